package io.chronofabric.clogic.ems.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.core.HealthStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmsComponentTest {

    static final long T0 = 1_700_000_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    final Stubs.Clock clock = new Stubs.Clock(T0);
    final List<PhasePacket<?>> published = Stubs.recording();

    EmsComponent start(Stubs.Context ctx, Map<String, Object> overrides) {
        Map<String, Object> o = new HashMap<>(overrides);
        o.putIfAbsent("state_dir", dir.resolve("state").toString());
        o.putIfAbsent("tick_interval_ms", 60_000L); // the test ticks by hand
        o.putIfAbsent("snapshot_interval_s", 86_400L);
        EmsComponent c = new EmsComponent();
        c.bindTime(clock);
        c.bindBus(Stubs.bus(published));
        c.activate(ctx.context, Stubs.config(o));
        return c;
    }

    @Test
    void shouldPublishModulationForAnEventOnItsInput() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of("modulation_pad", "emotion"));
        assertThat(ctx.handlers).containsKeys("ems.input", "drpp.patterns", "ems.governance");

        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, 1), T0);
        clock.advance(SECOND);
        ems.tick();

        assertThat(published).hasSize(1);
        assertThat(published.get(0).channel()).isEqualTo("ems.modulation");
        Modulation m = (Modulation) published.get(0).payload();
        assertThat(m.dominantEmotion()).isEqualTo("joy");
        assertThat(m.intensity()).isCloseTo(0.8 / 1.8, within(1e-9));
        assertThat(m.pad().pleasure()).isCloseTo(0.608, within(1e-9));
        assertThat(m.pad().arousal()).isCloseTo(0.384, within(1e-9));
        assertThat(m.pad().dominance()).isCloseTo(0.28, within(1e-9));
        assertThat(ems.state().processed()).isEqualTo(1);
        assertThat(ems.state().lagNanos()).isEqualTo(0);
        assertThat(ems.health().status()).isEqualTo(HealthStatus.UP);
        ems.deactivate();
    }

    @Test
    void shouldContinueTheTraceOfATracedInputInItsModulation() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of());
        io.chronofabric.api.trace.TraceContext in = io.chronofabric.api.trace.TraceContext.parse(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, 1), T0, in);
        clock.advance(SECOND);
        ems.tick();
        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, -0.5), T0 + SECOND);
        clock.advance(SECOND);
        ems.tick();

        assertThat(published).hasSize(2);
        io.chronofabric.api.trace.TraceContext out = published.get(0).trace();
        assertThat(out).isNotNull();
        assertThat(out.traceId()).isEqualTo(in.traceId());
        // its parent is the input's publish span (message id 1 in these stubs)
        assertThat(out.spanId()).isEqualTo(io.chronofabric.api.trace.TraceContext.publishSpanId(1, in));
        assertThat(published.get(1).trace()).as("an untraced input's modulation starts no trace").isNull();
        ems.deactivate();
    }

    @Test
    void shouldCountAndNameBadInputWithoutStopping() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of("signals", new String[] {"sensors=stability:1:-0.1:sample"}));
        ctx.deliver("ems.input", "not an event", T0);
        ctx.deliver("ems.input", AppraisalEvent.of("unknown-goal", 1, 0.5), T0);
        ctx.deliver("sensors", 3.0, T0); // a number where a Sample is configured
        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, 1), T0);

        assertThat(ems.state().skipped()).isEqualTo(3);
        assertThat(ems.state().processed()).isEqualTo(1);
        assertThat(String.join("\n", ems.health().details())).contains("sensors: Payload of type java.lang.Double is not a");
        ctx.deliver("ems.input", AppraisalEvent.of("nope", 1, 0.5), T0);
        assertThat(String.join("\n", ems.health().details()))
                .contains("Unknown goal 'nope' of agent 'self': known goals are [task, stability, deadlines, governance]");

        ctx.deliver("sensors", new Sample("load", 2, T0), T0); // delta = -0.1 x 2
        assertThat(ems.goals("self").get("stability")).isCloseTo(0.3, within(1e-12));
        ems.deactivate();
    }

    @Test
    void shouldAppraiseSignalsAndObeyGovernance() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of());
        ctx.deliver("drpp.patterns", new PatternEvent(PatternKind.DISCORD, List.of("s"), Map.of("distance", 4.0), T0), T0);
        ctx.deliver("drpp.patterns", new PatternEvent(PatternKind.RESONANCE, List.of("s"), Map.of("power", 1.0), T0), T0);
        assertThat(ems.goals("self").get("stability")).isCloseTo(0.4, within(1e-12));
        assertThat(ems.affect("self").emotion("fear")).isCloseTo(0.1, within(1e-12));

        ctx.deliver("ems.governance", new GovernanceDecision("ems", "*", GovernanceAction.DISABLE, 0, "overload", T0), T0);
        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, 1), T0);
        assertThat(ems.goals("self").get("task")).isZero();
        assertThat(ems.state().activity()).contains("paused by governance: overload");
        assertThat(ems.health().status()).isEqualTo(HealthStatus.DEGRADED);

        ctx.deliver("ems.governance", new GovernanceDecision("drpp", "*", GovernanceAction.ENABLE, 0, "", T0), T0);
        assertThat(ems.state().activity()).as("a decision for another module is ignored").contains("paused");
        ctx.deliver("ems.governance", new GovernanceDecision("*", "appraisal", GovernanceAction.ENABLE, 0, "", T0), T0);
        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, 1), T0);
        assertThat(ems.goals("self").get("task")).isEqualTo(1.0);

        ctx.deliver("ems.governance", new GovernanceDecision("ems", "*", GovernanceAction.ALERT, 0.5, "hot", T0), T0);
        assertThat(ems.goals("self").get("governance")).isCloseTo(0.4, within(1e-12));
        ems.deactivate();
    }

    @Test
    void shouldComeBackWithItsStateAfterARestart() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of());
        ctx.deliver("ems.input", AppraisalEvent.of("task", 1, 1), T0);
        ctx.deliver("ems.input", AppraisalEvent.of("stability", 1, -0.25), T0);
        ems.deactivate();
        assertThat(Files.exists(dir.resolve("state").resolve(EmsComponent.SNAPSHOT_FILE))).isTrue();
        assertThat(ctx.handlers).isEmpty();

        clock.advance(SECOND);
        Stubs.Context ctx2 = new Stubs.Context(dir);
        EmsComponent again = start(ctx2, Map.of());
        assertThat(again.goals("self")).containsEntry("task", 1.0).containsEntry("stability", 0.25);
        assertThat(again.state().processed()).isEqualTo(2);
        assertThat(again.state().activity()).startsWith("appraising 4 goals of 1 agents; last event 1.0 s ago");
        assertThat(again.state().inputs()).extracting(Object::toString)
                .containsExactly("ems.input=auto", "drpp.patterns=auto", "ems.governance=auto");
        assertThat(again.affect("self").emotion("joy")).as("decayed over the second it was down").isCloseTo(0.8, within(1e-9));
        again.deactivate();
    }

    @Test
    void shouldKeepThePreviousModelWhenTheConfigurationIsBad() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of());
        ems.modified(Stubs.config(Map.of("goals", new String[] {"task=2"}, "state_dir", dir.toString(), "tick_interval_ms", 60_000L)));
        assertThat(ems.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join("\n", ems.health().details())).contains("goals: 'task=2': likelihood 2.0 is outside [0, 1]");
        assertThat(ems.goals("self")).containsKeys("task", "stability");
        ems.deactivate();
    }

    @Test
    void shouldLowerTheDeadlineGoalForNewDeadlineMisses() throws Exception {
        java.util.concurrent.atomic.AtomicLong missed = new java.util.concurrent.atomic.AtomicLong(7);
        io.chronofabric.api.scheduler.DeadlineScheduler scheduler = (io.chronofabric.api.scheduler.DeadlineScheduler) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {io.chronofabric.api.scheduler.DeadlineScheduler.class},
                        (p, m, a) -> {
                            if (m.getName().equals("stats")) {
                                return new io.chronofabric.api.scheduler.SchedulerStats(0, 0, 0, 0, missed.get(), 0, Map.of(),
                                        io.chronofabric.api.scheduler.OptimizationHint.values()[0], 1, 1, 0, "simulated",
                                        new io.chronofabric.api.scheduler.SchedulerStats.Window(1, 0, 0, 0), Map.of());
                            }
                            throw new UnsupportedOperationException(m.getName());
                        });
        Stubs.Context ctx = new Stubs.Context(dir);
        EmsComponent ems = start(ctx, Map.of());
        ems.bindScheduler(scheduler);
        ems.tick(); // the misses before EMS saw the scheduler are not its business
        assertThat(ems.goals("self").get("deadlines")).isEqualTo(0.9);
        missed.set(9);
        ems.tick(); // two new misses: -0.05 each
        assertThat(ems.goals("self").get("deadlines")).isCloseTo(0.8, within(1e-12));
        assertThat(ems.affect("self").emotion("fear")).isCloseTo(0.1, within(1e-12));
        ems.deactivate();
    }
}
