package io.chronofabric.bus.internal;

/** Benchmark access to the bus's wait strategies. */
public final class Waits {

    private Waits() {
    }

    public static WaitStrategy park() {
        return WaitStrategy.PARK;
    }

    public static WaitStrategy busySpin() {
        return WaitStrategy.BUSY_SPIN;
    }
}
