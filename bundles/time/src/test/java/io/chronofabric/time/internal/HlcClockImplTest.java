package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HlcClockImplTest {

    private static final long MS = 1_000_000L;
    private final SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000 * MS);
    private final HlcClockImpl clock = new HlcClockImpl(time, 7, 500 * MS);

    @Test
    void shouldRefuseANegativePhysicalTime() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clock.now(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("physical time -1 ns is negative");
    }

    @Test
    void shouldTakePhysicalTimeAndResetCounterWhenPhysicalTimeAdvances() {
        LogicalTime t = clock.now();
        assertThat(t).isEqualTo(new LogicalTime(1_000 * MS, 0, 7));
        time.advance(5);
        assertThat(clock.now()).isEqualTo(new LogicalTime(1_000 * MS + 5, 0, 7));
    }

    @Test
    void shouldApplyTheSendRuleToASuppliedReadingAndNeverGoBack() {
        LogicalTime t = clock.now(1_000 * MS + 7);
        assertThat(t).isEqualTo(new LogicalTime(1_000 * MS + 7, 0, 7));
        // a stale reading keeps l and counts up
        assertThat(clock.now(1_000 * MS)).isEqualTo(new LogicalTime(1_000 * MS + 7, 1, 7));
    }

    @Test
    void shouldIncrementCounterWhenPhysicalTimeStandsStill() {
        clock.now();
        assertThat(clock.now()).isEqualTo(new LogicalTime(1_000 * MS, 1, 7));
        assertThat(clock.now()).isEqualTo(new LogicalTime(1_000 * MS, 2, 7));
    }

    @Test
    void shouldKeepLogicalPartWhenPhysicalTimeIsBehindTheClock() {
        // l is ahead of pt after a receive from a faster node: send events keep l and count up
        clock.update(new LogicalTime(1_000 * MS + 100, 4, 2));
        assertThat(clock.now()).isEqualTo(new LogicalTime(1_000 * MS + 100, 6, 7));
    }

    @Test
    void receiveRuleWhenAllThreeAreEqualTakesTheLargerCounterPlusOne() {
        clock.now(); // (1000ms, 0)
        clock.now(); // (1000ms, 1)
        LogicalTime r = clock.update(new LogicalTime(1_000 * MS, 9, 3));
        assertThat(r).isEqualTo(new LogicalTime(1_000 * MS, 10, 7));
        LogicalTime r2 = clock.update(new LogicalTime(1_000 * MS, 2, 3));
        assertThat(r2).isEqualTo(new LogicalTime(1_000 * MS, 11, 7));
    }

    @Test
    void receiveRuleWhenLocalLIsLargestIncrementsLocalCounter() {
        clock.update(new LogicalTime(1_000 * MS + 50, 3, 2)); // l = 1000ms+50, c = 4
        LogicalTime r = clock.update(new LogicalTime(1_000 * MS + 10, 99, 2));
        assertThat(r).isEqualTo(new LogicalTime(1_000 * MS + 50, 5, 7));
    }

    @Test
    void receiveRuleWhenRemoteLIsLargestTakesRemoteCounterPlusOne() {
        clock.now();
        LogicalTime r = clock.update(new LogicalTime(1_000 * MS + 20, 8, 2));
        assertThat(r).isEqualTo(new LogicalTime(1_000 * MS + 20, 9, 7));
    }

    @Test
    void receiveRuleWhenPhysicalTimeIsLargestResetsCounter() {
        clock.update(new LogicalTime(1_000 * MS - 10, 8, 2));
        time.advance(1);
        assertThat(clock.update(new LogicalTime(1_000 * MS - 5, 3, 2))).isEqualTo(new LogicalTime(1_000 * MS + 1, 0, 7));
    }

    @Test
    void shouldRefuseAndCountRemoteTimestampTooFarAheadWithoutMovingTheClock() {
        LogicalTime before = clock.now();
        LogicalTime remote = new LogicalTime(1_000 * MS + 501 * MS, 0, 9);
        assertThatThrownBy(() -> clock.update(remote))
                .isInstanceOf(TemporalViolationException.class)
                .hasMessageContaining("node 9")
                .hasMessageContaining("501000000 ns ahead")
                .hasMessageContaining("500000000 ns");
        assertThat(clock.refusedUpdates()).isEqualTo(1);
        assertThat(clock.current()).isEqualTo(before);
        assertThat(clock.lastRefusal()).contains("node 9");
    }

    @Test
    void shouldAcceptRemoteTimestampExactlyAtTheMaximumOffset() {
        LogicalTime r = clock.update(new LogicalTime(1_000 * MS + 500 * MS, 0, 9));
        assertThat(r.physical()).isEqualTo(1_500 * MS);
        assertThat(clock.refusedUpdates()).isZero();
    }

    @Test
    void shouldMovePhysicalForwardOneNanosecondWhenCounterOverflows() {
        HlcClockImpl small = new HlcClockImpl(time, 1, 500 * MS, 3);
        LogicalTime prev = small.now();
        List<LogicalTime> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            LogicalTime t = small.now();
            assertThat(t).isGreaterThan(prev);
            seen.add(t);
            prev = t;
        }
        assertThat(seen.get(2)).isEqualTo(new LogicalTime(1_000 * MS, 3, 1));
        assertThat(seen.get(3)).isEqualTo(new LogicalTime(1_000 * MS + 1, 0, 1));
        // overflow on receive as well
        LogicalTime r = small.update(new LogicalTime(1_000 * MS + 1, 3, 4));
        assertThat(r).isEqualTo(new LogicalTime(1_000 * MS + 2, 0, 1));
    }

    @Test
    void shouldStayMonotonicWhenTheTimeSourceIsSwappedForOneThatIsBehind() {
        time.advance(10 * MS);
        LogicalTime before = clock.now();
        clock.setSource(new SimulatedTimeSourceImpl(1 * MS));
        LogicalTime after = clock.now();
        assertThat(after).isGreaterThan(before);
        assertThat(after.physical()).isEqualTo(before.physical());
    }

    @Test
    void shouldNotLowerTheClockWhenRestoringAnOlderMark() {
        time.advance(100);
        LogicalTime now = clock.now();
        clock.restore(new LogicalTime(5, 5, 1));
        assertThat(clock.current()).isEqualTo(now);
        clock.restore(new LogicalTime(now.physical() + 10, 3, 1));
        assertThat(clock.now()).isEqualTo(new LogicalTime(now.physical() + 10, 4, 7));
    }

    @Test
    void shouldRefuseBadSettingsNamingTheValue() {
        assertThatThrownBy(() -> clock.setNodeId(70_000)).hasMessageContaining("node.id=70000");
        assertThatThrownBy(() -> clock.setMaxOffsetNanos(-1)).hasMessageContaining("-1");
        assertThat(clock.nodeId()).isEqualTo(7);
    }

    @Test
    void shouldIssueStrictlyIncreasingUniqueTimestampsAcrossThreads() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        HlcClockImpl shared = new HlcClockImpl(new SystemTimeSource(), 1, 500 * MS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<LogicalTime[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                start.await();
                LogicalTime[] out = new LogicalTime[perThread];
                for (int i = 0; i < perThread; i++) {
                    out[i] = shared.now();
                }
                return out;
            }));
        }
        start.countDown();
        List<LogicalTime> all = new ArrayList<>(threads * perThread);
        for (Future<LogicalTime[]> f : results) {
            LogicalTime[] seq = f.get(60, TimeUnit.SECONDS);
            for (int i = 1; i < seq.length; i++) {
                assertThat(seq[i]).isGreaterThan(seq[i - 1]);
            }
            all.addAll(List.of(seq));
        }
        pool.shutdown();
        // strictly monotonic globally means no two threads ever got the same (l, c)
        assertThat(all.stream().map(t -> t.physical() + "." + t.logical()).distinct().count()).isEqualTo(all.size());
    }
}
