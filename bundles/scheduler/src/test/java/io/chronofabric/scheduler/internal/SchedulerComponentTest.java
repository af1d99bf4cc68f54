package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.ScheduledWork;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.time.QuantumOffset;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** The DS component without OSGi: what SCR calls, in the order SCR calls it. */
class SchedulerComponentTest {

    private static final long MS = 1_000_000L;
    private final FakeTimeSource sim = FakeTimeSource.simulated(1_000_000 * MS);
    private SchedulerComponent component;

    @AfterEach
    void close() {
        if (component != null) {
            component.deactivate();
        }
    }

    private SchedulerComponent activated() {
        SchedulerComponent c = new SchedulerComponent();
        c.bindTimeSource(sim);
        c.start(SchedulerSettings.DEFAULTS);
        component = c;
        return c;
    }

    private static Task tick(String name) {
        return Task.builder(name, () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10)).estimate(Duration.ofMillis(1)).build();
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<ScheduledWork> ref(long id) {
        return (ServiceReference<ScheduledWork>) Proxy.newProxyInstance(SchedulerComponentTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> Constants.SERVICE_ID.equals(a[0]) ? id : null;
                    case "getBundle" -> null;
                    case "hashCode" -> (int) id;
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void shouldKeepEveryAdmittedTaskWhenTheTimeSourceGoesAndSayItRunsOnNone() {
        SchedulerComponent c = activated();
        ScheduledTask t = c.schedule(tick("tick"));

        c.unbindTimeSource(sim); // the time bundle stops: no replacement

        assertThat(c.pending()).containsExactly(t);
        assertThat(c.stats().timeSource()).isEqualTo(SchedulerStats.NO_TIME_SOURCE);
        HealthReport h = c.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.summary()).contains("running on no time source");
        assertThat(h.details()).anyMatch(d -> d.startsWith("No time source for"));

        FakeTimeSource back = FakeTimeSource.simulated(2_000_000 * MS);
        c.bindTimeSource(back); // the time bundle starts again

        assertThat(c.pending()).containsExactly(t);
        assertThat(t.isDone()).isFalse();
        assertThat(c.stats().timeSource()).isEqualTo("simulated");
        assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(c.health().summary()).contains("time simulated");
    }

    @Test
    void shouldFollowAGreedyReplacementWithoutFallingBackInBetween() {
        SchedulerComponent c = activated();
        FakeTimeSource better = FakeTimeSource.realTime("system", sim.nowNanos());
        c.bindTimeSource(better); // SCR binds the higher-ranked source first ...
        c.unbindTimeSource(sim); // ... then unbinds the old one
        assertThat(c.stats().timeSource()).isEqualTo("system");
    }

    @Test
    void shouldScheduleWhiteboardWorkBoundBeforeActivationAndAgainInANewComponentAfterARestart() {
        ScheduledWork work = () -> tick("wb");
        SchedulerComponent first = new SchedulerComponent();
        first.bindTimeSource(sim);
        first.addScheduledWork(work, ref(42)); // SCR binds dynamic references before activate
        first.start(SchedulerSettings.DEFAULTS);
        assertThat(first.pending()).extracting(p -> p.task().name()).containsExactly("wb");
        first.deactivate();

        // a bundle restart: a new component instance, the same service bound again
        component = new SchedulerComponent();
        component.bindTimeSource(sim);
        component.addScheduledWork(work, ref(42));
        component.start(SchedulerSettings.DEFAULTS);
        assertThat(component.pending()).extracting(p -> p.task().name()).containsExactly("wb");

        component.removeScheduledWork(work, ref(42));
        assertThat(component.pending()).isEmpty();
    }

    @Test
    void shouldShowARefusedWhiteboardTaskInStatsAndHealth() {
        SchedulerComponent c = activated(); // 2 workers, bound 0.9: 1.8 of capacity
        c.addScheduledWork(() -> Task.builder("hog", () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(10)).build(), ref(1));
        c.addScheduledWork(() -> Task.builder("too-much", () -> { }).periodic(Duration.ofMillis(10), Duration.ofMillis(10))
                .estimate(Duration.ofMillis(9)).build(), ref(2));
        assertThat(c.stats().refusedTasks()).hasSize(1).containsKey("'too-much' (service 2 of an unregistered bundle)");
        HealthReport h = c.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details()).anyMatch(d -> d.contains("'too-much'") && d.contains("not admitted"));
    }

    @Test
    void shouldJudgeHealthByTheRecentWindowSoOldMissesAge() {
        AtomicLong ticker = new AtomicLong();
        SchedulerSettings settings = new SchedulerSettings(1, 0.9, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(2),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1); // health window 60 s
        EdfScheduler s = new EdfScheduler(settings, sim, () -> OptimizationHint.BALANCED, n -> QuantumOffset.NONE, ticker::get, null);
        try {
            s.schedule(Task.builder("late", () -> { }).deadline(sim.nowNanos() + 10 * MS).estimate(Duration.ofMillis(1)).build());
            sim.advance(20 * MS);
            s.processTemporalQueue(); // one miss, now
            HealthReport burst = SchedulerComponent.health(s.stats(), -1);
            assertThat(burst.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(burst.summary()).contains("1 of 1 jobs missed in the last 60 s");

            ticker.addAndGet(TimeUnit.MINUTES.toNanos(61)); // an hour later, nothing missed since
            s.schedule(Task.builder("ok", () -> { }).deadline(sim.nowNanos() + 10 * MS).estimate(Duration.ofMillis(1)).build());
            s.processTemporalQueue();
            HealthReport later = SchedulerComponent.health(s.stats(), -1);
            assertThat(s.stats().missed()).as("the since-start counter keeps it").isEqualTo(1);
            assertThat(later.status()).isEqualTo(HealthStatus.UP);
            assertThat(later.summary()).contains("0 of 1 jobs missed in the last 60 s");

            s.schedule(Task.builder("fresh", () -> { }).deadline(sim.nowNanos() + 10 * MS).estimate(Duration.ofMillis(1)).build());
            sim.advance(20 * MS);
            s.processTemporalQueue(); // a fresh miss shows at once
            assertThat(SchedulerComponent.health(s.stats(), -1).status()).isEqualTo(HealthStatus.DEGRADED);
        } finally {
            s.close();
        }
    }
}
