package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.RoutingMetadata;
import io.chronofabric.api.core.ResourceExhaustedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The GCRA cells on simulated times: no clock is read, no thread sleeps. */
class ChannelLimitsTest {

    private static final long MS = 1_000_000L;
    private static final long NONE = RoutingMetadata.NO_DEADLINE;

    private final List<Long> sleeps = new ArrayList<>();
    private final ChannelLimits limits = new ChannelLimits(sleeps::add);

    private static PhasePacket<String> bestEffort(String channel) {
        return PhasePacket.builder("x").channel(channel).build();
    }

    private static PhasePacket<String> guaranteed(String channel) {
        return PhasePacket.builder("x").channel(channel).guaranteed(3).build();
    }

    @Test
    void shouldPassABurstThenOnePacketPerInterval() {
        limits.limit("news", 10, 3, "test");
        PhasePacket<String> p = bestEffort("news");
        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryAdmit(p, 0)).as("burst packet %d", i).isTrue();
        }
        assertThat(limits.tryAdmit(p, 0)).isFalse();
        assertThat(limits.tryAdmit(p, 99 * MS)).as("before the interval of 100 ms").isFalse();
        assertThat(limits.tryAdmit(p, 100 * MS)).isTrue();
        assertThat(limits.tryAdmit(p, 100 * MS)).isFalse();
        // a long quiet period refills the bucket to its burst, not beyond
        int passed = 0;
        for (int i = 0; i < 10; i++) {
            passed += limits.tryAdmit(p, 10_000 * MS) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(3);
        ChannelLimit l = limits.limitOf("news").orElseThrow();
        assertThat(l.admitted()).isEqualTo(7);
        assertThat(l.refused()).isEqualTo(10);
        assertThat(l.delayed()).isZero();
        assertThat(l.reason()).isEqualTo("test");
    }

    @Test
    void shouldHoldTheSustainedRateOverOneSecond() {
        limits.limit("fast", 1000, 1, "");
        PhasePacket<String> p = bestEffort("fast");
        int passed = 0;
        for (long t = 0; t < 1000 * MS; t += MS / 10) { // offered at 10,000 packets/s
            passed += limits.tryAdmit(p, t) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(1000);
    }

    @Test
    void shouldAcceptAFractionalRate() {
        limits.limit("slow", 0.5, 1, "");
        PhasePacket<String> p = bestEffort("slow");
        assertThat(limits.tryAdmit(p, 0)).isTrue();
        assertThat(limits.tryAdmit(p, 1_999 * MS)).isFalse();
        assertThat(limits.tryAdmit(p, 2_000 * MS)).isTrue();
    }

    @Test
    void shouldDelayGuaranteedPacketsInArrivalOrder() {
        limits.limit("orders", 10, 1, "");
        PhasePacket<String> p = guaranteed("orders");
        assertThat(limits.admit(p, 0, NONE, 1_000 * MS)).isZero();
        assertThat(limits.admit(p, 0, NONE, 1_000 * MS)).isEqualTo(100 * MS);
        assertThat(limits.admit(p, 0, NONE, 1_000 * MS)).isEqualTo(200 * MS);
        assertThat(limits.admit(p, 50 * MS, NONE, 1_000 * MS)).as("slots are reserved: the next one is at 300 ms").isEqualTo(250 * MS);
        assertThat(sleeps).containsExactly(100 * MS, 200 * MS, 250 * MS);
        ChannelLimit l = limits.limitOf("orders").orElseThrow();
        assertThat(l.admitted()).isEqualTo(1);
        assertThat(l.delayed()).isEqualTo(3);
        assertThat(l.waiting()).isZero();
        assertThat(l.refused()).isZero();
    }

    @Test
    void shouldRefuseAGuaranteedPacketWhoseTurnComesAfterItsTimeoutAndTakeNoSlot() {
        limits.limit("orders", 10, 1, "egc spec=lat");
        PhasePacket<String> p = guaranteed("orders");
        assertThat(limits.admit(p, 0, NONE, 50 * MS)).isZero();
        assertThatThrownBy(() -> limits.admit(p, 0, NONE, 50 * MS))
                .isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("channel 'orders' is limited to 10 packets/s, burst 1 (set by egc spec=lat); this guaranteed packet")
                .hasMessageContaining("would have waited 100 ms")
                .hasMessageContaining("delivery timeout of 50 ms")
                .hasMessageContaining("not published");
        // the refusal reserved nothing: the slot at 100 ms is free
        assertThat(limits.admit(p, 100 * MS, NONE, 50 * MS)).isZero();
        assertThat(sleeps).isEmpty();
        assertThat(limits.limitOf("orders").orElseThrow().refused()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAGuaranteedPacketWhoseTurnComesAfterItsDeadline() {
        limits.limit("orders", 10, 1, "");
        PhasePacket<String> p = guaranteed("orders");
        limits.admit(p, 0, NONE, 1_000 * MS);
        assertThatThrownBy(() -> limits.admit(p, 0, 30 * MS, 1_000 * MS))
                .isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("the 30 ms left to its deadline");
        assertThat(limits.admit(p, 0, 100 * MS, 1_000 * MS)).as("a deadline at the slot is met").isEqualTo(100 * MS);
    }

    @Test
    void shouldDropABestEffortPacketOverTheLimitInPublish() {
        limits.limit("metrics", 1, 1, "");
        PhasePacket<String> p = bestEffort("metrics");
        assertThat(limits.admit(p, 0, NONE, 1_000 * MS)).isZero();
        assertThat(limits.admit(p, 0, NONE, 1_000 * MS)).isEqualTo(ChannelLimits.DROP);
        assertThat(sleeps).isEmpty();
        assertThat(limits.limitOf("metrics").orElseThrow().refused()).isEqualTo(1);
    }

    @Test
    void shouldLeaveOtherChannelsAndTypedPacketsAlone() {
        limits.limit("news", 1, 1, "");
        for (int i = 0; i < 100; i++) {
            assertThat(limits.tryAdmit(bestEffort("sport"), 0)).isTrue();
            assertThat(limits.tryAdmit(PhasePacket.builder("typed").build(), 0)).isTrue();
            assertThat(limits.admit(guaranteed("sport"), 0, NONE, 0)).isZero();
        }
        assertThat(limits.limits()).extracting(ChannelLimit::channel).containsExactly("news");
        assertThat(limits.limitOf("news").orElseThrow().admitted()).isZero();
    }

    @Test
    void shouldTellTheBusOnlyWhileALimitExists() {
        List<Object> seen = new ArrayList<>();
        limits.attach(seen::add);
        limits.limit("a", 5, 1, "");
        limits.limit("b", 5, 1, "");
        limits.limit("a", 7, 2, "again");
        assertThat(limits.clear("a")).isPresent();
        assertThat(limits.clear("a")).isEmpty();
        assertThat(limits.clear("b")).isPresent();
        assertThat(seen).containsExactly(null, limits, null);
        limits.limit("c", 5, 1, "");
        limits.detach();
        limits.limit("d", 5, 1, "");
        assertThat(seen).containsExactly(null, limits, null, limits, null);
    }

    @Test
    void shouldKeepCountsAndTheBucketWhenALimitIsReplaced() {
        limits.limit("news", 1, 1, "first");
        PhasePacket<String> p = bestEffort("news");
        assertThat(limits.tryAdmit(p, 0)).isTrue();
        assertThat(limits.tryAdmit(p, 0)).isFalse();
        ChannelLimit replaced = limits.limit("news", 2, 3, "second");
        assertThat(replaced.packetsPerSecond()).isEqualTo(2);
        assertThat(replaced.burst()).isEqualTo(3);
        assertThat(replaced.reason()).isEqualTo("second");
        assertThat(replaced.admitted()).isEqualTo(1);
        assertThat(replaced.refused()).isEqualTo(1);
        // the old bucket is spent (next slot at 1 s); burst 3 at 2/s tolerates 1 s ahead: one more now, not a fresh 3
        assertThat(limits.tryAdmit(p, 0)).isTrue();
        assertThat(limits.tryAdmit(p, 0)).isFalse();
        assertThat(limits.tryAdmit(p, 500 * MS)).isTrue();
        ChannelLimit removed = limits.clear("news").orElseThrow();
        assertThat(removed.admitted()).isEqualTo(3);
        assertThat(limits.tryAdmit(p, 0)).isTrue();
        assertThat(limits.limits()).isEmpty();
    }

    @Test
    void shouldKeepAWaitersReservationWhenTheLimitIsReplaced() {
        limits.limit("news", 10, 1, "");
        assertThat(limits.admit(guaranteed("news"), 0, NONE, 10_000 * MS)).isZero();
        assertThat(limits.admit(guaranteed("news"), 0, NONE, 10_000 * MS)).isEqualTo(100 * MS); // holds the slot at 100 ms
        limits.limit("news", 10, 1, "same again");
        assertThat(limits.tryAdmit(bestEffort("news"), 0)).as("no fresh burst over the reservation").isFalse();
        assertThat(limits.tryAdmit(bestEffort("news"), 150 * MS)).isFalse();
        assertThat(limits.tryAdmit(bestEffort("news"), 200 * MS)).isTrue();
    }

    @Test
    void shouldReBaseWhenTheTimeSourceIsReplacedByOneReadingFarEarlier() {
        long systemNow = 1_764_000_000_000_000_000L; // a wall-clock reading in ns; then a simulated clock at 0
        limits.limit("news", 10, 2, "");
        assertThat(limits.tryAdmit(bestEffort("news"), systemNow)).isTrue();
        assertThat(limits.tryAdmit(bestEffort("news"), systemNow)).isTrue();
        assertThat(limits.tryAdmit(bestEffort("news"), systemNow)).isFalse();
        assertThat(limits.tryAdmit(bestEffort("news"), 0)).as("re-based on the new clock").isTrue();
        assertThat(limits.admit(guaranteed("news"), 0, NONE, 1_000 * MS)).isZero();
        assertThat(limits.tryAdmit(bestEffort("news"), 0)).as("the limit holds on the new clock").isFalse();
        assertThat(limits.admit(guaranteed("news"), 0, NONE, 1_000 * MS)).isEqualTo(100 * MS);
        assertThat(sleeps).containsExactly(100 * MS);
    }

    @Test
    void shouldNotReBaseForAStaleReadingOrALongReservation() {
        limits.limit("news", 10, 1, "");
        for (int i = 0; i < 50; i++) { // reservations up to 4.9 s ahead
            assertThat(limits.admit(guaranteed("news"), 0, NONE, 10_000 * MS)).isEqualTo(i * 100 * MS);
        }
        assertThat(limits.tryAdmit(bestEffort("news"), 0)).isFalse();
        assertThat(limits.tryAdmit(bestEffort("news"), -900 * MS)).as("a reading 0.9 s stale").isFalse();
        assertThat(limits.tryAdmit(bestEffort("news"), 4_999 * MS)).isFalse();
        assertThat(limits.tryAdmit(bestEffort("news"), 5_000 * MS)).isTrue();
    }

    @Test
    void shouldRefuseRatesBelowTheMinimumAndKeepTheArithmeticInRangeAtIt() {
        assertThatThrownBy(() -> limits.limit("news", 1e-4, ChannelLimits.MAX_BURST, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel 'news'").hasMessageContaining("1.0E-4 packets/s").hasMessageContaining("[0.001 (the minimum");
        assertThatThrownBy(() -> limits.limit("news", 1e-11, 1, "")).hasMessageContaining("1.0E-11 packets/s");
        assertThat(limits.limits()).isEmpty();
        limits.limit("news", ChannelLimits.MIN_RATE, ChannelLimits.MAX_BURST, "");
        long now = 1_764_000_000_000_000_000L;
        for (int i = 0; i < 1000; i++) {
            assertThat(limits.tryAdmit(bestEffort("news"), now)).isTrue(); // a full burst, no overflow into the past
        }
        limits.limit("tiny", ChannelLimits.MIN_RATE, 1, "");
        assertThat(limits.tryAdmit(bestEffort("tiny"), now)).isTrue();
        assertThat(limits.tryAdmit(bestEffort("tiny"), now + 999_000 * MS)).isFalse();
        assertThat(limits.tryAdmit(bestEffort("tiny"), now + 1_000_000 * MS)).isTrue(); // 1000 s later
    }

    @Test
    void shouldRefuseAnInterruptedWaiterAndKeepItsInterruptFlag() {
        limits.limit("news", 10, 1, "");
        assertThat(limits.admit(guaranteed("news"), 0, NONE, 1_000 * MS)).isZero();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> limits.admit(guaranteed("news"), 0, NONE, 1_000 * MS))
                    .isInstanceOf(ResourceExhaustedException.class)
                    .hasMessageContaining("interrupted while waiting 100 ms for its turn on channel 'news'")
                    .hasMessageContaining("not published");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(limits.limitOf("news").orElseThrow().refused()).isEqualTo(1);
    }

    /** Real parking (ChannelLimits.PARK): a publisher waiting 1000 s for its slot. */
    private static Thread waiter(ChannelLimits real, List<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.add(real.admit(guaranteed("news"), 0, NONE, 5_000_000 * MS));
            } catch (RuntimeException e) {
                outcome.add(e);
                outcome.add(Thread.currentThread().isInterrupted());
            }
        }, "throttle-waiter");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitWaiting(ChannelLimits real) throws InterruptedException {
        long end = System.nanoTime() + 10_000 * MS;
        while (real.limitOf("news").orElseThrow().waiting() == 0) {
            assertThat(System.nanoTime() - end).as("a publisher waits").isNegative();
            Thread.sleep(2);
        }
    }

    @Test
    void shouldLetWaitingPublishersGoOnWhenTheLimitIsCleared() throws InterruptedException {
        ChannelLimits real = new ChannelLimits();
        real.limit("news", ChannelLimits.MIN_RATE, 1, "");
        assertThat(real.admit(guaranteed("news"), 0, NONE, 1_000 * MS)).isZero();
        List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread t = waiter(real, outcome);
        awaitWaiting(real);
        real.clear("news");
        t.join(30_000);
        assertThat(t.isAlive()).as("woken by clear, not after 1000 s").isFalse();
        assertThat(outcome).containsExactly(1_000_000 * MS);
    }

    @Test
    void shouldRefuseAPublisherInterruptedWhileItWaits() throws InterruptedException {
        ChannelLimits real = new ChannelLimits();
        real.limit("news", ChannelLimits.MIN_RATE, 1, "");
        assertThat(real.admit(guaranteed("news"), 0, NONE, 1_000 * MS)).isZero();
        List<Object> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread t = waiter(real, outcome);
        awaitWaiting(real);
        t.interrupt();
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(outcome).hasSize(2);
        assertThat(outcome.get(0)).isInstanceOf(ResourceExhaustedException.class);
        assertThat(((Exception) outcome.get(0)).getMessage()).contains("interrupted while waiting 1000000 ms");
        assertThat(outcome.get(1)).as("interrupt flag kept").isEqualTo(true);
        assertThat(real.limitOf("news").orElseThrow().waiting()).isZero();
    }

    @Test
    void shouldRefuseLimitsOutOfRangeNamingThem() {
        assertThatThrownBy(() -> limits.limit("news", 0, 1, "")).hasMessageContaining("0.0 packets/s is outside [0.001");
        assertThatThrownBy(() -> limits.limit("news", Double.NaN, 1, "")).hasMessageContaining("NaN packets/s");
        assertThatThrownBy(() -> limits.limit("news", 2e9, 1, "")).hasMessageContaining("channel 'news'");
        assertThatThrownBy(() -> limits.limit("news", 5, 0, "")).hasMessageContaining("burst 0 is outside 1..1000000");
        assertThatThrownBy(() -> limits.limit(" ", 5, 1, "")).hasMessageContaining("channel is empty");
        assertThat(limits.limits()).isEmpty();
    }

    @Test
    void shouldAdmitExactlyTheBurstUnderContention() throws InterruptedException {
        limits.limit("hot", 1, 1000, "");
        AtomicInteger passed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                PhasePacket<String> p = bestEffort("hot");
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (limits.tryAdmit(p, 0)) {
                        passed.incrementAndGet();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(passed.get()).isEqualTo(1000);
        ChannelLimit l = limits.limitOf("hot").orElseThrow();
        assertThat(l.admitted()).isEqualTo(1000);
        assertThat(l.refused()).isEqualTo(3000);
    }
}
