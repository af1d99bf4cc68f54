package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * EDF on simulated time with zero overhead: the clock moves only by the tasks' execution times
 * (each job advances it by its cost) and to the next release when nothing is due. Our scheduler
 * runs a job to completion (non-preemptive EDF), which is optimal not for every task set with
 * U <= 1 but for those that also pass Jeffay, Stanat and Martel's condition ("On non-preemptive
 * scheduling of periodic and sporadic tasks", RTSS 1991, theorem 5.1); so: every UUniFast set
 * with U <= 1 that passes it must run without a single miss, and the same sets above U = 1 must miss.
 */
class EdfSimulatedScheduleTest {

    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final long HORIZON = 3_000 * MS;

    record Spec(long period, long cost) {
    }

    record Run(long jobs, long missed) {
    }

    @Test
    void shouldMissNoDeadlineForNonPreemptivelyFeasibleSetsUpToFullUtilisation() {
        Random random = new Random(20261201L);
        for (double u : new double[] {0.5, 0.7, 0.9, 0.95, 1.0}) {
            int feasible = 0;
            int tried = 0;
            long jobs = 0;
            while (feasible < 20 && tried < 5_000) {
                tried++;
                List<Spec> set = uunifast(random, 6, u);
                if (!jeffay(set)) {
                    continue;
                }
                feasible++;
                Run r = simulate(set);
                assertThat(r.missed()).as("misses of set %s at U=%.2f", set, u).isZero();
                jobs += r.jobs();
            }
            assertThat(feasible).as("feasible sets found at U=%.2f", u).isEqualTo(20);
            assertThat(jobs).isGreaterThan(20L * 6 * (HORIZON / (100 * MS)));
        }
    }

    @Test
    void shouldMissDeadlinesAboveFullUtilisation() {
        Random random = new Random(7L);
        for (int i = 0; i < 5; i++) {
            Run r = simulate(uunifast(random, 6, 1.1));
            assertThat(r.missed()).isPositive();
        }
    }

    /** UUniFast (Bini and Buttazzo 2005); periods whole milliseconds, log-uniform in [10, 100] ms. */
    static List<Spec> uunifast(Random r, int n, double u) {
        List<Spec> specs = new ArrayList<>();
        double sum = u;
        for (int i = 1; i <= n; i++) {
            double next = i < n ? sum * Math.pow(r.nextDouble(), 1.0 / (n - i)) : 0;
            double ui = sum - next;
            sum = next;
            long period = Math.round(10 * Math.pow(10, r.nextDouble())) * MS;
            specs.add(new Spec(period, Math.max(US, (long) Math.floor(ui * period))));
        }
        return specs;
    }

    /**
     * Jeffay et al.: with periods sorted ascending, U <= 1 and, for each task i and every L with
     * P1 < L < Pi, L >= Ci + sum over j < i of floor((L - 1) / Pj) Cj. The right side steps up only
     * just after multiples of the Pj, so checking L = k Pj + 1 (and just past P1) suffices.
     */
    static boolean jeffay(List<Spec> set) {
        List<Spec> s = new ArrayList<>(set);
        s.sort(Comparator.comparingLong(Spec::period));
        double u = 0;
        for (Spec t : s) {
            u += (double) t.cost() / t.period();
        }
        if (u > 1 + 1e-12) {
            return false;
        }
        long p1 = s.get(0).period();
        for (int i = 1; i < s.size(); i++) {
            long pi = s.get(i).period();
            List<Long> points = new ArrayList<>();
            points.add(p1 + 1);
            for (int j = 0; j < i; j++) {
                for (long l = s.get(j).period() + 1; l < pi; l += s.get(j).period()) {
                    if (l > p1) {
                        points.add(l);
                    }
                }
            }
            for (long l : points) {
                if (l <= p1 || l >= pi) {
                    continue;
                }
                long demand = s.get(i).cost();
                for (int j = 0; j < i; j++) {
                    demand += ((l - 1) / s.get(j).period()) * s.get(j).cost();
                }
                if (l < demand) {
                    return false;
                }
            }
        }
        return true;
    }

    /** All tasks released together at t0, run on simulated time for {@link #HORIZON}; returns the jobs run and missed. */
    static Run simulate(List<Spec> set) {
        long t0 = 1_000_000 * MS;
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(t0);
        SchedulerSettings settings = new SchedulerSettings(1, 100.0, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1);
        EdfScheduler scheduler = new EdfScheduler(settings, time, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE);
        try {
            List<ScheduledTask> handles = new ArrayList<>();
            int k = 0;
            for (Spec spec : set) {
                long cost = spec.cost();
                handles.add(scheduler.schedule(Task.builder("t" + k++, () -> time.advance(cost)).releaseAt(t0)
                        .periodic(Duration.ofNanos(spec.period()), Duration.ofNanos(spec.period()))
                        .estimate(Duration.ofNanos(cost)).build()));
            }
            while (time.nowNanos() < t0 + HORIZON) {
                if (scheduler.runDue(1) == 0) {
                    time.advanceTo(nextRelease(set, t0, time.nowNanos()));
                }
            }
            var stats = scheduler.stats();
            handles.forEach(ScheduledTask::cancel);
            return new Run(stats.completed() + stats.missed(), stats.missed());
        } finally {
            scheduler.close();
        }
    }

    private static long nextRelease(List<Spec> set, long t0, long now) {
        long next = Long.MAX_VALUE;
        for (Spec s : set) {
            long k = (now - t0) / s.period() + 1;
            next = Math.min(next, t0 + k * s.period());
        }
        return next;
    }
}
