package io.chronofabric.api.bus;

import java.util.Objects;

/**
 * How hard the bus tries to deliver a packet.
 *
 * @param guarantee    best effort or guaranteed; not null
 * @param maxRetries   retries after the first attempt (guaranteed only), 0 to 255; 0 on a
 *                     guaranteed packet means the bus's configured default
 * @param timeoutNanos how long the bus may keep trying, in nanoseconds; 0 means the bus's
 *                     configured default
 */
public record DeliveryOptions(DeliveryGuarantee guarantee, int maxRetries, long timeoutNanos) {

    /** Best effort, no retries, default timeout: the default for every packet. */
    public static final DeliveryOptions BEST_EFFORT = new DeliveryOptions(DeliveryGuarantee.BEST_EFFORT, 0, 0);

    public DeliveryOptions {
        Objects.requireNonNull(guarantee, "guarantee");
        if (maxRetries < 0 || maxRetries > 255) {
            throw new IllegalArgumentException("maxRetries " + maxRetries + " is out of range 0..255");
        }
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("Delivery timeout " + timeoutNanos + " ns is negative");
        }
    }

    public static DeliveryOptions guaranteed(int maxRetries) {
        return new DeliveryOptions(DeliveryGuarantee.GUARANTEED, maxRetries, 0);
    }

    public DeliveryOptions withTimeout(long nanos) {
        return new DeliveryOptions(guarantee, maxRetries, nanos);
    }

    public boolean isGuaranteed() {
        return guarantee == DeliveryGuarantee.GUARANTEED;
    }
}
