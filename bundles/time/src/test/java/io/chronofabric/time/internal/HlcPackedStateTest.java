package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.core.LogicalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The clock's packed state: fetch-and-add while physical time stands still, epochs re-based as l moves on. */
class HlcPackedStateTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldIssueDistinctIncreasingTimestampsFromManyThreadsWhileTimeStandsStill() throws Exception {
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(5_000 * MS); // frozen: every call takes c + 1
        HlcClockImpl clock = new HlcClockImpl(time, 3, 500 * MS);
        int threads = 4;
        int each = 50_000;
        List<long[]> issued = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] logicals = new long[each];
            issued.add(logicals);
            ts.add(new Thread(() -> {
                long[] out = new long[3];
                long prev = -1;
                for (int i = 0; i < each; i++) {
                    clock.nowInto(time.nowNanos(), out);
                    if (out[0] != 5_000 * MS || out[2] != 3 || out[1] <= prev) {
                        problems.add("physical " + out[0] + " logical " + out[1] + " after " + prev + " node " + out[2]);
                    }
                    prev = out[1];
                    logicals[i] = out[1];
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        assertThat(problems).isEmpty();
        Set<Long> all = new HashSet<>();
        issued.forEach(a -> {
            for (long v : a) {
                all.add(v);
            }
        });
        assertThat(all).hasSize(threads * each);
        assertThat(clock.current()).isEqualTo(new LogicalTime(5_000 * MS, threads * each - 1, 3)); // the first one took c = 0
    }

    @Test
    void shouldStayMonotonicAcrossEpochsWhenTimeJumpsAndCrawls() {
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000 * MS);
        HlcClockImpl clock = new HlcClockImpl(time, 1, 500 * MS);
        LogicalTime prev = clock.now();
        for (int i = 0; i < 20_000; i++) {
            // mostly tiny steps, now and then a jump past an epoch's range (about 1.07 s)
            time.advance(i % 1000 == 0 ? 1_500 * MS : (i % 3 == 0 ? 0 : 7));
            LogicalTime next = i % 2 == 0 ? clock.now() : clock.update(new LogicalTime(prev.physical(), prev.logical() + 5, 2));
            assertThat(next).isGreaterThan(prev);
            assertThat(next.physical()).isGreaterThanOrEqualTo(time.nowNanos() - 0);
            prev = next;
        }
        assertThat(clock.current()).isEqualTo(prev);
    }

    @Test
    void shouldApplyTheOverflowRuleNearTheCounterBound() {
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000 * MS);
        HlcClockImpl clock = new HlcClockImpl(time, 1, 500 * MS);
        LogicalTime near = clock.update(new LogicalTime(time.nowNanos(), LogicalTime.MAX_LOGICAL - 2, 9));
        assertThat(near).isEqualTo(new LogicalTime(time.nowNanos(), LogicalTime.MAX_LOGICAL - 1, 1));
        assertThat(clock.now()).isEqualTo(new LogicalTime(time.nowNanos(), LogicalTime.MAX_LOGICAL, 1));
        assertThat(clock.now()).isEqualTo(new LogicalTime(time.nowNanos() + 1, 0, 1)); // l moves on by 1 ns, c restarts
        assertThat(clock.now()).isEqualTo(new LogicalTime(time.nowNanos() + 1, 1, 1));
    }
}
