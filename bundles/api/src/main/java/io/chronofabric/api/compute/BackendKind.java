package io.chronofabric.api.compute;

/** Kinds of compute backend. */
public enum BackendKind {
    CPU, CUDA, HIP, VULKAN, WEBGPU, TPU, FPGA
}
