package io.chronofabric.bus.internal;

/** Benchmark access to the bus's wait strategies. */
public final class Waits {

    private Waits() {
    }

    public static WaitStrategy park() {
        return WaitStrategy.PARK;
    }

    public static WaitStrategy of(String key) {
        return WaitStrategy.parse(key);
    }

    /** Every strategy's configuration key, in declaration order. */
    public static java.util.List<String> keys() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (WaitStrategy w : WaitStrategy.values()) {
            keys.add(w.key());
        }
        return keys;
    }

    public static WaitStrategy busySpin() {
        return WaitStrategy.BUSY_SPIN;
    }
}
