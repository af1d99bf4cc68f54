package io.chronofabric.clogic.adp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.adp.DeadlineMissedException;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.core.HealthStatus;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component outside OSGi: submit, deadlines, errors, places, state across a restart. */
class AdpComponentTest {

    @TempDir
    Path dir;

    static AdpConfig config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (AdpConfig) Proxy.newProxyInstance(AdpConfig.class.getClassLoader(), new Class<?>[] {AdpConfig.class},
                (proxy, method, args) -> m.containsKey(method.getName()) ? m.get(method.getName()) : method.getDefaultValue());
    }

    private AdpComponent start(Object... keyValues) {
        Object[] kv = new Object[keyValues.length + 4];
        System.arraycopy(keyValues, 0, kv, 0, keyValues.length);
        kv[keyValues.length] = "state_dir";
        kv[keyValues.length + 1] = dir.toString();
        kv[keyValues.length + 2] = "metrics_interval_ms";
        kv[keyValues.length + 3] = 3_600_000L;
        AdpComponent c = new AdpComponent();
        c.activate(null, config(kv));
        return c;
    }

    @Test
    void shouldRunAUnitAndReturnItsResult() throws Exception {
        AdpComponent c = start();
        try {
            assertThat(c.places()).extracting(p -> p.name()).containsExactly("local", "scheduler");
            assertThat(c.places().get(1).status()).isEqualTo("unavailable: no DeadlineScheduler service");
            String r = c.submit(WorkUnit.task("hello", () -> "world").build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(r).isEqualTo("world");
            assertThat(c.stats().completed()).isEqualTo(1);
            assertThat(c.stats().lastChoice()).isEqualTo("local");
            assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED); // no bus
        } finally {
            c.deactivate();
        }
    }

    @Test
    void shouldFailAUnitThatMissesItsDeadlineNamingUnitPlaceAndDeadline() throws Exception {
        AdpComponent c = start("local_threads", 0);
        FakePlace stuck = new FakePlace("stuck");
        stuck.hold = true;
        c.bindPlace(stuck);
        try {
            CompletableFuture<String> f = c.submit(WorkUnit.task("slowpoke", () -> "never").deadline(Duration.ofMillis(50)).build())
                    .toCompletableFuture();
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DeadlineMissedException.class)
                    .hasMessage("Work unit 'slowpoke' missed its deadline of 50 ms (PT0.05S) on place 'stuck'");
            assertThat(stuck.held.peek()).isNotNull();
            assertThat(stuck.held.peek().isCancelled()).as("the place's stage is cancelled").isTrue();
            assertThat(c.stats().deadlineMisses()).isEqualTo(1);
            assertThat(c.places().stream().filter(p -> p.name().equals("stuck")).findFirst().orElseThrow().failures()).isEqualTo(1);
        } finally {
            c.deactivate();
        }
    }

    @Test
    void shouldPassOnWhatTheWorkThrew() {
        AdpComponent c = start();
        try {
            CompletableFuture<Object> f = c.submit(WorkUnit.task("boom", () -> {
                throw new IllegalStateException("broken on purpose");
            }).build()).toCompletableFuture();
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class).hasMessage("broken on purpose");
            assertThat(c.stats().failed()).isEqualTo(1);
        } finally {
            c.deactivate();
        }
    }

    @Test
    void shouldRefuseBadInputWithClearErrors() {
        AdpComponent c = start("local_threads", 0, "scheduler_place", false);
        try {
            assertThatThrownBy(() -> c.submit(null)).isInstanceOf(NullPointerException.class).hasMessage("work unit");
            assertThatThrownBy(() -> c.submit(WorkUnit.task("f", () -> 1).features(0.5, 0.5).build()))
                    .hasMessage("Work unit 'f' carries 2 features; ADP is configured for 3 (linucb.features)");
            assertThatThrownBy(() -> c.submit(WorkUnit.task("none", () -> 1).build()).toCompletableFuture().get()).cause()
                    .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("no place is known to ADP for work unit 'none'");
            assertThatThrownBy(() -> WorkUnit.task("d", () -> 1).deadline(Duration.ZERO).build()).hasMessage("Work unit 'd': deadline PT0S must be > 0");
            assertThatThrownBy(() -> WorkUnit.task("n", () -> 1).features(1, Double.NaN).build())
                    .hasMessage("Work unit 'n': feature 1 is NaN, not a finite number");
            assertThatThrownBy(() -> WorkUnit.task(" ", () -> 1).build()).hasMessage("Work unit name is empty");
            FakePlace bad = new FakePlace("has space");
            c.bindPlace(bad);
            assertThat(c.health().details()).anyMatch(d -> d.contains("WorkPlace name 'has space' is empty or has whitespace"));
        } finally {
            c.deactivate();
        }
    }

    @Test
    void shouldSayWhatIsWrongInTheConfiguration() {
        AdpComponent c = start("policy", "greedy", "exploration", -2.0);
        try {
            assertThat(c.health().details().get(0)).contains("policy 'greedy' is not one of ucb1, thompson, exp3, power-of-d; keeping ucb1")
                    .contains("exploration -2.0 must be a finite number >= 0");
            assertThat(c.stats().policy()).isEqualTo("ucb1");
        } finally {
            c.deactivate();
        }
    }

    @Test
    void shouldUseLinUcbForUnitsWithFeaturesAndKeepStatisticsAcrossARestart() throws Exception {
        AdpComponent c = start();
        try {
            for (int i = 0; i < 5; i++) {
                int v = i;
                c.submit(WorkUnit.task("f" + i, () -> v).features(0.1, 0.2, 0.3).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            assertThat(c.stats().contextual()).isEqualTo(5);
        } finally {
            c.deactivate();
        }
        AdpComponent again = start();
        try {
            assertThat(again.stats().submitted()).isEqualTo(5);
            assertThat(again.places().get(0).choices()).isEqualTo(5);
        } finally {
            again.deactivate();
        }
    }

    @Test
    void shouldTakeContextConstraintsAndModulationFromTheBus() {
        AdpComponent c = start();
        try {
            io.chronofabric.api.bus.RoutingMetadata r = io.chronofabric.api.bus.RoutingMetadata.defaults(io.chronofabric.api.core.ComponentId.SYSTEM);
            c.onInput(io.chronofabric.api.bus.PhasePacket.of(new io.chronofabric.api.clogic.PatternEvent(io.chronofabric.api.clogic.PatternKind.CHANGEPOINT,
                    java.util.List.of("load"), Map.of(io.chronofabric.api.clogic.PatternEvent.INDEX, 12.0), 5), "adp.input", r));
            c.onInput(io.chronofabric.api.bus.PhasePacket.of("not a pattern", "adp.input", r));
            assertThat(c.metrics()).containsEntry("patterns", 1.0).containsEntry("changepoints", 1.0).containsEntry("skipped", 1.0);
            assertThat(c.health().details()).anyMatch(d -> d.equals("last skipped packet: adp.input: not a PatternEvent: java.lang.String"));
            c.onModulation(io.chronofabric.api.bus.PhasePacket.of(new io.chronofabric.api.clogic.Modulation("ems",
                    new io.chronofabric.api.clogic.Pad(0, 1, 0), "fear", 0.5, 1), "adp.modulation", r));
            assertThat(c.stats().exploration()).isEqualTo(2.0);
            c.onGovernance(io.chronofabric.api.bus.PhasePacket.of(new io.chronofabric.api.clogic.GovernanceDecision("adp", "local",
                    io.chronofabric.api.clogic.GovernanceAction.DISABLE, 0, "rule x", 1), "adp.governance", r));
            c.onGovernance(io.chronofabric.api.bus.PhasePacket.of(new io.chronofabric.api.clogic.GovernanceDecision("drpp", "scheduler",
                    io.chronofabric.api.clogic.GovernanceAction.DISABLE, 0, "not for adp", 1), "adp.governance", r));
            assertThat(c.places()).filteredOn(p -> p.name().equals("local")).singleElement()
                    .satisfies(p -> assertThat(p.status()).isEqualTo("excluded by governance: rule x"));
            assertThat(c.places()).filteredOn(p -> p.name().equals("scheduler")).singleElement()
                    .satisfies(p -> assertThat(p.status()).doesNotContain("excluded"));
            assertThat(c.metrics()).containsEntry("governance", 1.0);
        } finally {
            c.deactivate();
        }
    }

    @Test
    void shouldAbandonUnitsInFlightWhenItStops() {
        AdpComponent c = start("local_threads", 0);
        FakePlace stuck = new FakePlace("stuck");
        stuck.hold = true;
        c.bindPlace(stuck);
        CompletableFuture<String> f = c.submit(WorkUnit.task("orphan", () -> "x").build()).toCompletableFuture();
        c.deactivate();
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().hasMessage("Work unit 'orphan' abandoned: ADP stopped while it ran on 'stuck'");
        assertThatThrownBy(() -> c.submit(WorkUnit.task("late", () -> "x").build()).toCompletableFuture().get()).cause()
                .isInstanceOf(RejectedExecutionException.class).hasMessage("Work unit 'late' refused: ADP is stopped");
    }
}
