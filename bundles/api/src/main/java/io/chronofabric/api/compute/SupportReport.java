package io.chronofabric.api.compute;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one backend says about one module before compiling it: the ops the module uses and those
 * the backend cannot run, each with its source position. Immutable.
 *
 * @param backend     the backend asked
 * @param opsUsed     every distinct op name the module uses, e.g. {@code linalg.matmul}
 * @param unsupported the ops the backend refuses, in source order (empty when it runs them all)
 * @since 1.1
 */
public record SupportReport(BackendKind backend, Set<String> opsUsed, List<UnsupportedOp> unsupported) {

    public SupportReport {
        Objects.requireNonNull(backend, "backend");
        opsUsed = Set.copyOf(opsUsed);
        unsupported = List.copyOf(unsupported);
    }

    /** Whether the backend runs every op of the module. */
    public boolean isFullySupported() {
        return unsupported.isEmpty();
    }

    /**
     * One op a backend cannot run.
     *
     * @param op     the op name, e.g. {@code linalg.conv_2d}
     * @param line   1-based source line (0 if unknown)
     * @param column 1-based source column (0 if unknown)
     * @param reason why, e.g. {@code "no OpenCL lowering"} (may be empty)
     */
    public record UnsupportedOp(String op, int line, int column, String reason) {
        public UnsupportedOp {
            Objects.requireNonNull(op, "op");
            reason = reason == null ? "" : reason;
        }

        /** {@code unsupported op 'linalg.conv_2d' at 12:7 (no OpenCL lowering)}. */
        @Override
        public String toString() {
            return "unsupported op '" + op + "' at " + line + ":" + column
                    + (reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    /** {@code CPU: all 4 ops supported} or {@code OPENCL: unsupported op 'x' at 3:5; ...}. */
    @Override
    public String toString() {
        if (unsupported.isEmpty()) {
            return backend + ": all " + opsUsed.size() + " ops supported";
        }
        StringBuilder sb = new StringBuilder(backend.toString()).append(": ");
        for (int i = 0; i < unsupported.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(unsupported.get(i));
        }
        return sb.toString();
    }
}
