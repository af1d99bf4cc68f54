package io.chronofabric.api.compute;

import java.util.Objects;
import java.util.Set;

/**
 * What a registered backend reports about itself. Immutable.
 *
 * @param kind              backend kind
 * @param device            the device it runs on, e.g. {@code "pthread-AMD EPYC (PoCL 5.0)"}
 * @param available         whether it can compile and execute now
 * @param unavailableReason why not, e.g. {@code "no libcuda.so.1"}; empty when available
 * @param supportedOps      the op names it runs (empty when unavailable)
 * @param bundle            symbolic name of the bundle that registered it
 * @since 1.1
 */
public record BackendStatus(BackendKind kind, String device, boolean available,
        String unavailableReason, Set<String> supportedOps, String bundle) {

    public BackendStatus {
        Objects.requireNonNull(kind, "kind");
        device = device == null ? "" : device;
        unavailableReason = unavailableReason == null ? "" : unavailableReason;
        supportedOps = Set.copyOf(supportedOps);
        bundle = bundle == null ? "" : bundle;
    }
}
