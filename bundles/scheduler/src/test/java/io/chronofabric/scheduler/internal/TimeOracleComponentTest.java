package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The oracle judges recent figures (its last N evaluations), and its interval follows the configuration at run time. */
class TimeOracleComponentTest {

    private final TimeOracleComponent oracle = new TimeOracleComponent();
    private final AtomicReference<SchedulerStats> schedulerStats = new AtomicReference<>(stats(0, 0));
    private final AtomicReference<BusStats> busStats = new AtomicReference<>(bus(0, 0));
    private long delivered;
    private double latencySum;

    @AfterEach
    void stop() {
        oracle.deactivate();
    }

    private static SchedulerStats stats(long completed, long missed) {
        return new SchedulerStats(0.3, 0, 0, completed, missed, 0, Map.of(), OptimizationHint.BALANCED, 2, 2, 0, "system",
                new SchedulerStats.Window(60_000_000_000L, 0, 0, 0), Map.of());
    }

    /**
     * Bus figures with these counts and since-start mean latency, every other component 0 (built by
     * component name, so the test does not depend on the record's other components).
     */
    private static BusStats bus(long delivered, long avg) {
        try {
            RecordComponent[] rc = BusStats.class.getRecordComponents();
            Class<?>[] types = new Class<?>[rc.length];
            Object[] values = new Object[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                values[i] = switch (rc[i].getName()) {
                    case "published", "delivered" -> delivered;
                    case "avgLatencyNanos" -> avg;
                    default -> 0L;
                };
            }
            return BusStats.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An interval in which the bus delivered {@code n} packets at {@code latency} ns each. */
    private void deliver(long n, long latency) {
        delivered += n;
        latencySum += (double) n * latency;
        busStats.set(bus(delivered, (long) (latencySum / delivered)));
    }

    private void wire() {
        oracle.scheduler = (DeadlineScheduler) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DeadlineScheduler.class},
                (p, m, a) -> {
                    if (m.getName().equals("stats")) {
                        return schedulerStats.get();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        oracle.bus = (EventBus) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventBus.class}, (p, m, a) -> {
            if (m.getName().equals("stats")) {
                return busStats.get();
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private SchedulerSettings settings(long intervalMs, int windowIntervals) {
        SchedulerSettings d = SchedulerSettings.DEFAULTS;
        return new SchedulerSettings(d.workers(), d.utilisationBound(), d.missPolicy(), d.shutdownTimeoutNanos(),
                TimeUnit.MILLISECONDS.toNanos(intervalMs), 1000, 0, 1, windowIntervals, d.healthWindowNanos(), d.rebaseThresholdNanos());
    }

    @Test
    void shouldForgetABusLatencySpikeOnceItLeavesTheWindow() {
        oracle.start(settings(3_600_000, 5)); // the timer never fires in this test: evaluate() is called by hand
        wire();
        oracle.evaluate(); // baseline
        deliver(10_000, 10_000); // a spike: 10 us each
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        for (int i = 0; i < 10; i++) {
            deliver(5_000, 100); // fast again; the since-start mean stays above 1.2 us for a long time
            oracle.evaluate();
        }
        assertThat((long) (latencySum / delivered)).as("the since-start mean still looks slow").isGreaterThan(1200);
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        // the window mean is recovered from the since-start mean (truncated to whole ns): within a few ns of 100
        assertThat(oracle.explanation()).containsPattern("bus latency (9[5-9]|10[0-5]) ns").contains("over the last 5 of 5 evaluations");
    }

    @Test
    void shouldShowAFreshLatencyBurstAtOnceAfterALongCalmRun() {
        oracle.start(settings(3_600_000, 5));
        wire();
        oracle.evaluate();
        for (int i = 0; i < 50; i++) {
            deliver(100_000, 100);
            oracle.evaluate();
        }
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        deliver(100_000, 20_000); // a fresh burst: the since-start mean moves to about 490 ns only
        oracle.evaluate();
        assertThat((long) (latencySum / delivered)).isLessThan(1200);
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
    }

    @Test
    void shouldJudgeMissesOverTheWindowAndLeaveLowLatencyWhenTheBurstHasAged() {
        oracle.start(settings(3_600_000, 3));
        oracle.scheduler = (DeadlineScheduler) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DeadlineScheduler.class},
                (p, m, a) -> schedulerStats.get());
        oracle.evaluate();
        long completed = 0;
        long missed = 0;
        completed += 90;
        missed += 10; // 10% missed
        schedulerStats.set(stats(completed, missed));
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        int evaluations = 0;
        while (oracle.currentHint() == OptimizationHint.MINIMIZE_LATENCY && evaluations < 100) {
            completed += 100;
            schedulerStats.set(stats(completed, missed));
            oracle.evaluate();
            evaluations++;
        }
        // the burst weighs in the window for 2 more evaluations (rate above 0.5%), then 3 calm ones are needed
        assertThat(evaluations).isEqualTo(2 + OracleController.CALM_EVALUATIONS);
        assertThat(oracle.explanation()).contains("0 of 300 jobs");
    }

    @Test
    void shouldApplyANewIntervalAtRunTime() throws Exception {
        oracle.start(settings(3_600_000, 5)); // an hour: no evaluation in this test unless the change applies
        wire();
        assertThat(oracle.intervalNanos()).isEqualTo(TimeUnit.HOURS.toNanos(1));
        oracle.apply(settings(20, 5));
        assertThat(oracle.intervalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (oracle.evaluations() < 3 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(oracle.evaluations()).isGreaterThanOrEqualTo(3);
    }
}
