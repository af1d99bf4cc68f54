package io.chronofabric.compute.opencl.internal;

import io.chronofabric.compute.mlir.Operation;

/** An op (or a use of it) the OpenCL lowering cannot express; names the op, its position and why. */
final class Unsupported extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final transient Operation op;
    final String reason;

    Unsupported(Operation op, String reason) {
        super("unsupported op '" + op.name() + "' at " + op.location() + " (" + reason + ")");
        this.op = op;
        this.reason = reason;
    }
}
