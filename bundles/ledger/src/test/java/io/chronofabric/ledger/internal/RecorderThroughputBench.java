package io.chronofabric.ledger.internal;

import static io.chronofabric.ledger.internal.LedgerTestSupport.clock;
import static io.chronofabric.ledger.internal.LedgerTestSupport.options;
import static io.chronofabric.ledger.internal.RecorderTestSupport.config;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.ledger.record.RecordedPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: reports recorder appends/s with {@code fsync=every-append} on this machine's disk,
 * the old way (the dispatcher thread appends and fsyncs each packet) and the new way (the handler
 * enqueues, the writer commits in groups). Run with
 * {@code mvn -B -o -q -pl bundles/ledger install -Dtest=RecorderThroughputBench -Dchronofabric.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dchronofabric.bench.dir=...} picks the disk
 * (default: target/bench).
 */
@EnabledIfSystemProperty(named = "chronofabric.bench", matches = "true")
class RecorderThroughputBench {

    private static final String CHANNEL = "audit.bench";
    private static final byte[] PAYLOAD = "{\"event\":\"order-filled\",\"qty\":100,\"px\":101.25}".getBytes(StandardCharsets.UTF_8);

    /** A RecordedPacket of the usual size, without the bus's stamping. */
    private static byte[] encode(PhasePacket<?> p, String channel) {
        return new RecordedPacket(channel, new LogicalTime(System.currentTimeMillis(), 0, 1), (Long) p.payload(),
                "java.lang.String", PAYLOAD).encode();
    }

    private static Path dir(String name) throws Exception {
        Path base = Path.of(System.getProperty("chronofabric.bench.dir", "target/bench"));
        Path d = base.resolve(name + "-" + System.nanoTime());
        Files.createDirectories(d);
        return d;
    }

    @Test
    void report() throws Exception {
        long seconds = Long.getLong("chronofabric.bench.seconds", 5);
        for (int round = 1; round <= 2; round++) {
            perEntryFsync(seconds, round);
            groupCommit(seconds, round);
        }
    }

    /** The old recorder: the handler (on the dispatcher) appends and fsyncs each packet. */
    private void perEntryFsync(long seconds, int round) throws Exception {
        try (DurableLedger ledger = DurableLedger.open(options(dir("before"), DurableLedger.Fsync.EVERY_APPEND, 64L << 20), clock())) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long t0 = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < end) {
                ledger.append(encode(PhasePacket.builder((Object) n).channel(CHANNEL).build(), CHANNEL));
                n++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "round %d BEFORE per-entry fsync: %,d appends in %.2f s = %,.0f appends/s durable; "
                    + "the dispatcher spends %.1f us per packet; %d fsyncs%n", round, n, s, n / s, s * 1e6 / n, ledger.fsyncCount());
        }
    }

    /** The new recorder: the handler enqueues, the writer appends what is queued with one fsync per batch. */
    private void groupCommit(long seconds, int round) throws Exception {
        try (DurableLedger ledger = DurableLedger.open(options(dir("after"), DurableLedger.Fsync.EVERY_APPEND, 64L << 20), clock())) {
            RecorderTestSupport.FakeContext ctx = new RecorderTestSupport.FakeContext();
            BusRecorder recorder = new BusRecorder(RecorderThroughputBench::encode);
            recorder.bindLedger(ledger);
            recorder.activate(ctx.context, config("record_channels", new String[] {CHANNEL}, "record_queue_capacity", 1 << 16,
                    "record_full_wait_ms", 10_000L));
            PacketHandler<Object> handler = ctx.handler(CHANNEL);
            long fsyncs0 = ledger.fsyncCount();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long t0 = System.nanoTime();
            long handlerNanos = 0;
            long n = 0;
            long maxCall = 0;
            // the dispatcher offers as fast as the queue takes packets (a full queue makes it wait: that is the disk's pace)
            while (System.nanoTime() < end) {
                PhasePacket<Object> p = PhasePacket.builder((Object) n).channel(CHANNEL).build();
                long c0 = System.nanoTime();
                handler.onPacket(p);
                long c = System.nanoTime() - c0;
                handlerNanos += c;
                maxCall = Math.max(maxCall, c);
                n++;
            }
            long accepted = n;
            while (recorder.committed() < accepted) {
                Thread.onSpinWait();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            long fsyncs = ledger.fsyncCount() - fsyncs0;
            System.out.printf(Locale.ROOT, "round %d AFTER  group commit:    %,d appends in %.2f s = %,.0f appends/s durable; "
                    + "onPacket mean %.2f us (max %.1f ms, includes waits on a full queue); %,d fsyncs, %.0f entries per batch%n",
                    round, accepted, s, accepted / s, handlerNanos / 1e3 / accepted, maxCall / 1e6, fsyncs, (double) accepted / recorder.batches());
            recorder.deactivate();
        }
        // a paced dispatcher (10,000 packets/s, well under the disk's pace): what onPacket costs when the queue has room
        try (DurableLedger ledger = DurableLedger.open(options(dir("paced"), DurableLedger.Fsync.EVERY_APPEND, 64L << 20), clock())) {
            RecorderTestSupport.FakeContext ctx = new RecorderTestSupport.FakeContext();
            BusRecorder recorder = new BusRecorder(RecorderThroughputBench::encode);
            recorder.bindLedger(ledger);
            recorder.activate(ctx.context, config("record_channels", new String[] {CHANNEL}));
            PacketHandler<Object> handler = ctx.handler(CHANNEL);
            int total = (int) (10_000 * seconds);
            long t0 = System.nanoTime();
            long handlerNanos = 0;
            long maxCall = 0;
            long[] calls = new long[total];
            for (int i = 0; i < total; i++) {
                long due = t0 + i * 100_000L;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                long c0 = System.nanoTime();
                handler.onPacket(PhasePacket.builder((Object) (long) i).channel(CHANNEL).build());
                long c = System.nanoTime() - c0;
                handlerNanos += c;
                maxCall = Math.max(maxCall, c);
                calls[i] = c;
            }
            java.util.Arrays.sort(calls);
            while (recorder.committed() < total) {
                Thread.onSpinWait();
            }
            System.out.printf(Locale.ROOT, "round %d AFTER  paced 10k/s:     onPacket mean %.2f us, p50 %.2f us, p99 %.2f us, "
                    + "p99.9 %.1f us, max %.1f us; %,d batches (= fsyncs) for %,d entries (%.1f per batch)%n", round,
                    handlerNanos / 1e3 / total, calls[total / 2] / 1e3, calls[(int) (total * 0.99)] / 1e3,
                    calls[(int) (total * 0.999)] / 1e3, maxCall / 1e3, recorder.batches(), total, (double) total / recorder.batches());
            recorder.deactivate();
        }
    }
}
