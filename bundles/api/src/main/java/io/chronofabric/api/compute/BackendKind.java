package io.chronofabric.api.compute;

/**
 * Kinds of compute backend. {@link #OPENCL} was added in 1.1; more may be added in minor
 * versions, so a {@code switch} over it needs a default branch.
 */
public enum BackendKind {
    CPU, CUDA, HIP, VULKAN, WEBGPU, TPU, FPGA,
    /** @since 1.1 */
    OPENCL;

    /**
     * The kind named {@code name}, ignoring case ({@code opencl}, {@code CUDA}).
     *
     * @throws IllegalArgumentException naming the unknown kind and the known ones
     * @since 1.1
     */
    public static BackendKind parse(String name) {
        for (BackendKind k : values()) {
            if (k.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        StringBuilder known = new StringBuilder();
        for (BackendKind k : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(k.name());
        }
        throw new IllegalArgumentException("unknown backend kind '" + name + "': known kinds are " + known);
    }
}
