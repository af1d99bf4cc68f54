package io.chronofabric.ledger.internal;

import static io.chronofabric.ledger.internal.LedgerTestSupport.clock;
import static io.chronofabric.ledger.internal.LedgerTestSupport.options;
import static io.chronofabric.ledger.internal.RecorderTestSupport.ENCODER;
import static io.chronofabric.ledger.internal.RecorderTestSupport.config;
import static io.chronofabric.ledger.internal.RecorderTestSupport.entries;
import static io.chronofabric.ledger.internal.RecorderTestSupport.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.ledger.internal.RecorderTestSupport.FakeContext;
import io.chronofabric.ledger.internal.RecorderTestSupport.GatedLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusRecorderTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final String[] AB = {"audit.a", "audit.b"};

    @TempDir
    Path dir;

    private DurableLedger ledger;
    private GatedLedger gated;
    private final FakeContext ctx = new FakeContext();
    private final BusRecorder recorder = new BusRecorder(ENCODER);
    private final List<String> expected = new ArrayList<>();
    private boolean active;

    @BeforeEach
    void openLedger() throws Exception {
        ledger = DurableLedger.open(options(dir, DurableLedger.Fsync.EVERY_APPEND, 64L * 1024 * 1024), clock());
        gated = new GatedLedger(ledger);
    }

    @AfterEach
    void stopAll() {
        gated.open();
        if (active) {
            recorder.deactivate();
        }
        ledger.close();
    }

    private void activate(Object... keyValues) {
        recorder.activate(ctx.context, config(keyValues));
        active = true;
    }

    /** Publishes on the test thread, as a bus dispatcher would; remembers the entry it must become. */
    private void send(String channel) throws Exception {
        String payload = "p" + expected.size();
        ctx.handler(channel).onPacket(packet(payload, channel));
        expected.add(channel + "|" + payload);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void shouldReturnFromOnPacketWhileTheWriterIsBlockedInASlowFsync() throws Exception {
        recorder.bindLedger(gated);
        activate("record_channels", AB);
        gated.close();
        // on the old recorder this first call is the append itself and waits for the gate: the timeout fails the test
        assertTimeoutPreemptively(GENEROUS, () -> send("audit.a"));
        assertThat(gated.awaitEntered()).as("the writer reached the (slow) append").isTrue();

        assertTimeoutPreemptively(GENEROUS, () -> {
            for (int i = 0; i < 1000; i++) {
                send(i % 2 == 0 ? "audit.a" : "audit.b");
            }
        });
        assertThat(gated.inside).as("the writer is still inside the blocked append").isTrue();
        assertThat(recorder.recorded()).as("nothing counts as recorded before its fsync").isZero();
        assertThat(recorder.queued()).isEqualTo(1001);

        gated.open();
        await(() -> recorder.recorded() == 1001, "all 1001 packets are recorded");
        assertThat(entries(ledger)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldAppendEverythingQueuedDuringAnFsyncAsOneBatchWithOneFsync() throws Exception {
        recorder.bindLedger(gated);
        activate("record_channels", AB);
        gated.close();
        send("audit.a");
        assertThat(gated.awaitEntered()).isTrue();
        long fsyncsBefore = ledger.fsyncCount();
        for (int i = 0; i < 500; i++) {
            send(i % 3 == 0 ? "audit.b" : "audit.a");
        }
        gated.open();
        await(() -> recorder.recorded() == 501, "all 501 packets are recorded");

        assertThat(gated.batches).as("the first packet alone, then the 500 queued meanwhile in one batch").containsExactly(1, 500);
        assertThat(ledger.fsyncCount() - fsyncsBefore).as("one fsync per batch").isEqualTo(2);
        assertThat(recorder.batches()).isEqualTo(2);
        assertThat(entries(ledger)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldLoseNoQueuedPacketWhenTheChannelsAndTheQueueCapacityChange() throws Exception {
        recorder.bindLedger(gated);
        activate("record_channels", AB);
        gated.close();
        send("audit.a");
        assertThat(gated.awaitEntered()).isTrue();
        for (int i = 0; i < 300; i++) {
            send(i % 2 == 0 ? "audit.a" : "audit.b");
        }

        recorder.modified(config("record_channels", new String[] {"audit.b, audit.c"}, "record_queue_capacity", 32));
        assertThat(ctx.unregistered).as("only the channel no longer configured is unsubscribed").containsExactly("audit.a");
        assertThat(ctx.registered).as("audit.b kept its one subscription").containsExactly("audit.a", "audit.b", "audit.c");
        for (int i = 0; i < 20; i++) {
            send(i % 2 == 0 ? "audit.c" : "audit.b");
        }
        assertThat(recorder.queued()).isEqualTo(321);

        gated.open();
        await(() -> recorder.committed() == 321, "all 321 packets are appended");
        assertThat(entries(ledger)).as("every packet, in the order accepted, across the resize").containsExactlyElementsOf(expected);
    }

    @Test
    void shouldDrainIntoADepartingLedgerAndQueueForTheNextOne() throws Exception {
        recorder.bindLedger(gated);
        activate("record_channels", AB, "record_drain_timeout_ms", 10_000L);
        gated.close();
        send("audit.a");
        assertThat(gated.awaitEntered()).isTrue();
        for (int i = 0; i < 100; i++) {
            send("audit.b");
        }
        // the ledger service goes away (its bundle restarts, or a new fsync policy reopens it)
        CompletableFuture<Void> unbind = CompletableFuture.runAsync(() -> recorder.unbindLedger(gated));
        gated.open();
        unbind.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        assertThat(entries(ledger)).as("everything queued went into the departing ledger before it left")
                .containsExactlyElementsOf(expected);

        // no ledger: packets wait in the queue
        for (int i = 0; i < 50; i++) {
            send("audit.a");
        }
        assertThat(recorder.queued()).isEqualTo(50);
        assertThat(recorder.recorded()).isEqualTo(101);

        ledger.close();
        ledger = DurableLedger.open(options(dir, DurableLedger.Fsync.EVERY_APPEND, 64L * 1024 * 1024), clock());
        recorder.bindLedger(ledger);
        await(() -> recorder.recorded() == 151, "the 50 waiting packets are appended to the new ledger");
        assertThat(entries(ledger)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldDrainTheQueueAtStopAndRefuseLaterPackets() throws Exception {
        recorder.bindLedger(gated);
        activate("record_channels", AB);
        gated.close();
        send("audit.a");
        assertThat(gated.awaitEntered()).isTrue();
        for (int i = 0; i < 200; i++) {
            send("audit.b");
        }
        PacketHandler<Object> late = ctx.handler("audit.a");
        CompletableFuture<Void> stop = CompletableFuture.runAsync(recorder::deactivate);
        active = false;
        await(() -> ctx.handlers.isEmpty(), "the stop unsubscribes the handlers");
        await(() -> {
            try {
                late.onPacket(packet("late", "audit.a"));
                expected.add("audit.a|late");
                return false;
            } catch (ServiceUnavailableException e) {
                return true;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "a packet that arrives during the stop is refused (so the bus dead-letters it)");

        gated.open();
        stop.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        assertThat(entries(ledger)).as("the stop appended everything it had accepted").containsExactlyElementsOf(expected);
        assertThat(recorder.queued()).isZero();
    }

    @Test
    void shouldStopWithinTheDrainTimeoutWhenNoLedgerIsBound() throws Exception {
        activate("record_channels", AB, "record_drain_timeout_ms", 200L);
        for (int i = 0; i < 10; i++) {
            send("audit.a");
        }
        assertThat(recorder.queued()).as("packets wait for a ledger").isEqualTo(10);
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(GENEROUS, recorder::deactivate);
        active = false;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(recorder.committed()).isZero();
    }

    @Test
    void shouldWaitBoundedlyOnAFullQueueThenFailSoTheBusDeadLettersThePacket() throws Exception {
        // no ledger: packets wait in the queue up to its bound; then the handler fails at once (waiting cannot help)
        activate("record_channels", AB, "record_queue_capacity", 16, "record_full_wait_ms", 60_000L);
        for (int i = 0; i < 16; i++) {
            send("audit.a");
        }
        assertTimeoutPreemptively(GENEROUS, () -> assertThatThrownBy(() -> send("audit.a"))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("no ledger service is bound").hasMessageContaining("audit.a"));
        assertThat(recorder.refusedFull()).isEqualTo(1);

        // a ledger that is present but slow: the queue fills behind the blocked append; the handler waits, then fails
        recorder.modified(config("record_channels", AB, "record_queue_capacity", 16, "record_full_wait_ms", 200L));
        gated.close();
        recorder.bindLedger(gated);
        assertThat(gated.awaitEntered()).isTrue();
        for (int i = 0; i < 16; i++) {
            send("audit.b");
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> send("audit.b")).isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("stayed full for 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("it waited for room first").isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(recorder.refusedFull()).isEqualTo(2);

        // room that appears during the wait lets the packet in
        recorder.modified(config("record_channels", AB, "record_queue_capacity", 16, "record_full_wait_ms", 60_000L));
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                send("audit.b");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        gated.open();
        waiting.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        await(() -> recorder.queued() == 0, "everything accepted is appended");
        assertThat(entries(ledger)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldFailAtOnceOnAFullQueueWhileAppendsFail() throws Exception {
        activate("record_channels", AB, "record_queue_capacity", 16, "record_full_wait_ms", 60_000L, "record_drain_timeout_ms", 200L);
        ledger.close();
        recorder.bindLedger(ledger);
        // the writer holds what it took in its batch (retrying it); the queue fills behind it
        await(this::sendFails, "the queue is full behind the failing appends");
        assertThat(recorder.queued()).isBetween(16L, 16L + RecorderWriter.MAX_BATCH_ENTRIES);
        assertTimeoutPreemptively(GENEROUS, () -> assertThatThrownBy(() -> send("audit.a"))
                .isInstanceOf(ResourceExhaustedException.class).hasMessageContaining("appends fail")
                .hasMessageContaining("The ledger is closed"));
        assertThat(recorder.recorded()).isZero();
    }

    /** Whether a send is refused (the queue is full and the writer has seen an append fail). */
    private boolean sendFails() {
        try {
            send("audit.a");
            return false;
        } catch (ResourceExhaustedException e) {
            return e.getMessage().contains("appends fail");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
