package io.chronofabric.scheduler.internal;

import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeCheckpoint;
import io.chronofabric.api.time.TimeSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A time source for tests. {@code simulated}: the time moves only by {@link #advance}. Otherwise it
 * is a real-time source of the given kind: {@code offset + System.nanoTime()}, plus what
 * {@link #advance} adds.
 */
final class FakeTimeSource implements TimeSource {

    private final String kind;
    private final boolean real;
    private final AtomicLong offset;

    private FakeTimeSource(String kind, boolean real, long offset) {
        this.kind = kind;
        this.real = real;
        this.offset = new AtomicLong(offset);
    }

    static FakeTimeSource simulated(long startNanos) {
        return new FakeTimeSource("simulated", false, startNanos);
    }

    /** A real-time source reading {@code startNanos} now. */
    static FakeTimeSource realTime(String kind, long startNanos) {
        return new FakeTimeSource(kind, true, startNanos - System.nanoTime());
    }

    void advance(long nanos) {
        offset.addAndGet(nanos);
    }

    @Override
    public long nowNanos() {
        return real ? offset.get() + System.nanoTime() : offset.get();
    }

    @Override
    public boolean hasHardwareTiming() {
        return real;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public QuantumOffset quantumOffset() {
        return QuantumOffset.NONE;
    }

    @Override
    public TimeCheckpoint createCheckpoint(String name) {
        throw new UnsupportedOperationException("not used by the scheduler");
    }

    @Override
    public boolean validateCoherence(TimeCheckpoint from, TimeCheckpoint to) {
        return false;
    }
}
