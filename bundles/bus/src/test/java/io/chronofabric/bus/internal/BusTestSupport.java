package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/** Builds buses on the real time sources and HLC, and closes them after each test. */
abstract class BusTestSupport {

    static final long MS = 1_000_000L;
    final List<PhaseCoherenceBus> buses = new CopyOnWriteArrayList<>();

    final RecordingSink deadLetters = new RecordingSink();
    final SequenceStore sequences = SequenceStore.inMemory();

    PhaseCoherenceBus systemBus(Settings settings) {
        TimeSource ts = new SystemTimeSource();
        PhaseCoherenceBus bus = new PhaseCoherenceBus(settings, ts, new HlcClockImpl(ts, 1, 500 * MS), sequences, deadLetters);
        buses.add(bus);
        return bus;
    }

    PhaseCoherenceBus simulatedBus(Settings settings, SimulatedTimeSourceImpl ts) {
        PhaseCoherenceBus bus = new PhaseCoherenceBus(settings, ts, new HlcClockImpl(ts, 1, 500 * MS), sequences, deadLetters);
        buses.add(bus);
        return bus;
    }

    /** A dead-letter log in memory: what the bus recorded, in order. */
    static final class RecordingSink implements DeadLetterSink {
        record Entry(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause) {
        }

        final List<Entry> entries = new CopyOnWriteArrayList<>();

        @Override
        public synchronized long record(PhasePacket<?> packet, String reason, SubscriptionId subscriber, Throwable cause) {
            entries.add(new Entry(packet, reason, subscriber, cause));
            return entries.size() - 1;
        }

        List<Object> payloads() {
            return entries.stream().map(e -> (Object) e.packet().payload()).toList();
        }
    }

    static Settings settings(int capacity, int threads) {
        Settings d = Settings.DEFAULTS;
        return new Settings(capacity, d.waitStrategy(), threads, d.defaultRetries(), d.defaultTimeoutNanos(), d.maxHeld(),
                d.shutdownTimeoutNanos(), d.healthMaxAvgLatencyNanos(), d.healthMinCapacity(), d.throughputWindowNanos(),
                d.causalAlways());
    }

    @AfterEach
    void closeBuses() {
        for (PhaseCoherenceBus b : buses) {
            b.close();
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Timed out waiting for " + what);
    }

    /** A handler that keeps what it receives. */
    static final class Collecting<T> implements PacketHandler<T> {
        final List<PhasePacket<T>> received = new CopyOnWriteArrayList<>();

        @Override
        public void onPacket(PhasePacket<T> packet) {
            received.add(packet);
        }

        List<T> payloads() {
            return received.stream().map(PhasePacket::payload).toList();
        }
    }
}
