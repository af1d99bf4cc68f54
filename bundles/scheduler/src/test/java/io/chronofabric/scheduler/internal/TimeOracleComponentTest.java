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

    @AfterEach
    void stop() {
        oracle.deactivate();
    }

    private static SchedulerStats stats(long completed, long missed) {
        return new SchedulerStats(0.3, 0, 0, completed, missed, 0, Map.of(), OptimizationHint.BALANCED, 2, 2, 0, "system",
                new SchedulerStats.Window(60_000_000_000L, 0, 0, 0), Map.of());
    }

    /**
     * Bus figures with this mean latency since start and over the bus's 10 s window, every other
     * component 0 (built by component name, so the test does not depend on the record's other components).
     */
    private static BusStats bus(long sinceStartAvg, long recentAvg) {
        return bus(sinceStartAvg, recentAvg, 100_000);
    }

    /** The same with this many deliveries per second over the window. */
    private static BusStats bus(long sinceStartAvg, long recentAvg, long throughput) {
        try {
            RecordComponent[] rc = BusStats.class.getRecordComponents();
            Class<?>[] types = new Class<?>[rc.length];
            Object[] values = new Object[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                values[i] = switch (rc[i].getName()) {
                    case "published", "delivered" -> 1_000_000L;
                    case "avgLatencyNanos", "p50LatencyNanos" -> sinceStartAvg;
                    case "recentAvgLatencyNanos" -> recentAvg;
                    case "windowNanos" -> 10_000_000_000L;
                    case "throughputPerSecond" -> throughput;
                    default -> 0L;
                };
            }
            return BusStats.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
    void shouldJudgeTheBusByItsRecentLatencySoAnOldSpikeDoesNotKeepLowLatency() {
        oracle.start(settings(3_600_000, 5)); // the timer never fires in this test: evaluate() is called by hand
        wire();
        busStats.set(bus(1_750, 10_000)); // a spike now
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        busStats.set(bus(1_750, 100)); // fast again; the since-start mean still looks slow (above 1.2x the 1000 ns target)
        for (int i = 0; i < OracleController.CALM_EVALUATIONS; i++) {
            oracle.evaluate();
        }
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        assertThat(oracle.explanation()).contains("bus latency 100 ns").contains("over the bus's last 10 s")
                .contains("misses over the last 4 of 5 evaluations");
    }

    @Test
    void shouldShowAFreshLatencyBurstAtOnceAfterALongCalmRun() {
        oracle.start(settings(3_600_000, 5));
        wire();
        busStats.set(bus(100, 100));
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        busStats.set(bus(490, 20_000)); // a fresh burst: the since-start mean stays below the target
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
    }

    @Test
    void shouldNotJudgeTheLatencyOfAnAlmostIdleBus() {
        oracle.start(settings(3_600_000, 5));
        wire();
        busStats.set(bus(560_000, 560_000, 9)); // 90 deliveries in 10 s, each a parked dispatcher's wake-up
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        assertThat(oracle.explanation()).contains("only 90 deliveries in the bus's last 10 s, fewer than 100: its latency is not judged");
        busStats.set(bus(560_000, 560_000, 10)); // 100: judged
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
    }

    @Test
    void shouldSayWhenTheBusDeliveredNothingRecently() {
        oracle.start(settings(3_600_000, 5));
        wire();
        busStats.set(bus(5_000, 0));
        oracle.evaluate();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        assertThat(oracle.explanation()).contains("bus latency n/a (nothing delivered in the bus's last 10 s)");
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
