package io.chronofabric.compute.mlir;

/** An MLIR type of the subset: a scalar, a tensor or a function type. */
public sealed interface Type permits ScalarType, TensorType, FunctionType {

    /** The MLIR spelling, e.g. {@code tensor<2x3xf32>}. */
    String text();
}
