package io.chronofabric.clogic.egc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.ModuleMetrics;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.core.HealthStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgcComponentTest {

    static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    final Stubs.Clock clock = new Stubs.Clock(T0);
    final List<PhasePacket<?>> published = Stubs.recording();

    EgcComponent start(Stubs.Context ctx, Map<String, Object> overrides, Map<String, Object> props) {
        Map<String, Object> o = new HashMap<>(overrides);
        o.putIfAbsent("period_ms", 3_600_000L); // the test ticks by hand
        o.putIfAbsent("snapshot_interval_s", 86_400L);
        o.putIfAbsent("state_dir", dir.resolve("state").toString());
        o.putIfAbsent("spec_dir", "-");
        EgcComponent c = new EgcComponent();
        c.bindTime(clock);
        c.bindBus(Stubs.bus(published));
        c.activate(ctx.context, Stubs.config(o), props);
        return c;
    }

    @Test
    void shouldTurnAViolationOfALiveSpecIntoADecisionOnEgcDecisions() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(ctx, Map.of("rules", new String[] {"lat:violated=drpp/ksg:DISABLE, lat:recovered=drpp/ksg:ENABLE"}),
                Map.of("spec.lat", "historically[0:1](latency <= 10)", "spec.load", "adp.load < 0.9"));
        assertThat(ctx.handlers).containsKeys("egc.input");
        assertThat(egc.health().status()).isEqualTo(HealthStatus.UP);

        ctx.deliver("egc.input", new Sample("latency", 4, T0), T0);
        ctx.deliver("egc.input", new ModuleMetrics("adp", Map.of("load", 0.5), T0), T0);
        egc.tick();
        assertThat(published).isEmpty();
        ctx.deliver("egc.input", new Sample("latency", 25, T0), T0);
        clock.advance(1000);
        egc.tick();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).channel()).isEqualTo("egc.decisions");
        GovernanceDecision d = (GovernanceDecision) published.get(0).payload();
        assertThat(d.module()).isEqualTo("drpp");
        assertThat(d.analysis()).isEqualTo("ksg");
        assertThat(d.action()).isEqualTo(GovernanceAction.DISABLE);
        assertThat(d.timeNanos()).isEqualTo(T0 + 1000);
        assertThat(d.reason()).isEqualTo("spec 'lat' violated: robustness -15 at sample 1 (rule lat:violated=drpp/ksg:DISABLE)");
        assertThat(d.spec()).isEqualTo("lat");
        assertThat(d.robustness()).isEqualTo(-15);
        assertThat(d.rule()).isEqualTo("lat:violated=drpp/ksg:DISABLE");

        ctx.deliver("egc.input", new Sample("latency", 3, T0), T0);
        egc.tick();
        assertThat(published).hasSize(1); // historically[0:1] still sees the 25
        egc.tick();
        assertThat(published).hasSize(2);
        assertThat(((GovernanceDecision) published.get(1).payload()).action()).isEqualTo(GovernanceAction.ENABLE);
        assertThat(egc.metrics()).containsEntry("decisions", 2.0).containsEntry("specs", 2.0).containsEntry("violated", 0.0);
        assertThat(egc.state().activity()).isEqualTo("2 specs every 3600000 ms, 0 violated, 2 decisions");
        egc.deactivate();
        assertThat(ctx.handlers).isEmpty();
    }

    /** A ledger that answers only size() and stats(), with what the test sets. */
    static final class FakeLedger {
        volatile long size;
        volatile io.chronofabric.api.ledger.LedgerStats stats = io.chronofabric.api.ledger.LedgerStats.NONE;

        io.chronofabric.api.ledger.SecureImmutableLedger service() {
            return (io.chronofabric.api.ledger.SecureImmutableLedger) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {io.chronofabric.api.ledger.SecureImmutableLedger.class}, (p, m, a) -> switch (m.getName()) {
                        case "size" -> size;
                        case "stats" -> stats;
                        case "toString" -> "fake ledger";
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    @Test
    void shouldOfferTheLedgerSizeAndAppendLatencyAsSignals() {
        FakeLedger fake = new FakeLedger();
        EgcEngine e = new EgcEngine();
        fake.size = 42;
        EgcComponent.offerLedger(e, fake.service());
        assertThat(e.latest("ledger.size")).isEqualTo(42);
        assertThat(e.latest("ledger.entries")).isNaN(); // LedgerStats.NONE: no statistics kept, only the size

        // buckets <=1 us: 2, <=10 us: 5, <=100 us: 2, above: 1 (10 calls, 12 entries, 250 us in all)
        fake.stats = new io.chronofabric.api.ledger.LedgerStats(10, 12, 3, new long[] {1_000, 10_000, 100_000}, new long[] {2, 5, 2, 1},
                250_000);
        fake.size = 50;
        EgcComponent.offerLedger(e, fake.service());
        assertThat(e.latest("ledger.size")).isEqualTo(50);
        assertThat(e.latest("ledger.entries")).isEqualTo(12);
        assertThat(e.latest("ledger.append_calls")).isEqualTo(10);
        assertThat(e.latest("ledger.fsyncs")).isEqualTo(3);
        assertThat(e.latest("ledger.append_avg_us")).isEqualTo(25);
        assertThat(e.latest("ledger.append_p50_us")).isEqualTo(10); // the 5th of 10 calls is in the <=10 us bucket
        assertThat(e.latest("ledger.append_p99_us")).isEqualTo(Double.POSITIVE_INFINITY); // the 10th: overflow

        EgcEngine fresh = new EgcEngine();
        fake.stats = new io.chronofabric.api.ledger.LedgerStats(0, 0, 0, new long[] {1_000}, new long[] {0, 0}, 0);
        EgcComponent.offerLedger(fresh, fake.service());
        assertThat(fresh.latest("ledger.append_calls")).isZero();
        assertThat(fresh.latest("ledger.append_avg_us")).isNaN(); // nothing appended yet: latency specs wait
        assertThat(fresh.latest("ledger.append_p99_us")).isNaN();
    }

    @Test
    void shouldTurnALedgerSizeSpecIntoADecisionAtEachTick() throws Exception {
        FakeLedger fake = new FakeLedger();
        io.chronofabric.api.ledger.SecureImmutableLedger service = fake.service();
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(ctx, Map.of(), Map.of("spec.ledger_cap", "ledger.size <= 100"));
        egc.tick();
        assertThat(egc.engine.specs().get(0).status()).contains("waiting for signals ledger.size"); // no ledger bound yet
        egc.bindLedger(service);
        fake.size = 40;
        egc.tick();
        assertThat(published).isEmpty();
        assertThat(egc.engine.specs().get(0).robustness()).isEqualTo(60);
        fake.size = 130;
        egc.tick();
        assertThat(published).hasSize(1);
        GovernanceDecision d = (GovernanceDecision) published.get(0).payload();
        assertThat(d.spec()).isEqualTo("ledger_cap");
        assertThat(d.robustness()).isEqualTo(-30);
        assertThat(d.action()).isEqualTo(GovernanceAction.ALERT);
        assertThat(d.reason()).startsWith("spec 'ledger_cap' violated: robustness -30");
        fake.size = 20;
        egc.tick();
        assertThat(published).hasSize(2);
        assertThat(((GovernanceDecision) published.get(1).payload()).robustness()).isEqualTo(80);
        egc.unbindLedger(service);
        fake.size = 500; // no longer read
        egc.tick();
        assertThat(egc.engine.latest("ledger.size")).isEqualTo(20);
        egc.deactivate();
    }

    @Test
    void shouldReportABadSpecInHealthAndKeepRunning() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(ctx, Map.of(), Map.of("spec.bad", "always(x > 0)"));
        assertThat(egc.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(egc.health().details().get(0)).contains("spec.bad: online monitoring refused").contains("without an upper bound");
        egc.tick();
        assertThat(egc.state().activity()).isEqualTo("idle: no spec configured");
        egc.deactivate();
    }

    @Test
    void shouldCountAPayloadItCannotReadAsSkipped() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(ctx, Map.of("signals", new String[] {"q:work.queue=number"}), Map.of("spec.q", "q < 100"));
        ctx.deliver("work.queue", "not a number", T0);
        assertThat(egc.state().skipped()).isEqualTo(1);
        ctx.deliver("work.queue", 250, T0);
        egc.tick();
        assertThat(published).hasSize(1);
        assertThat(((GovernanceDecision) published.get(0).payload()).action()).isEqualTo(GovernanceAction.ALERT);
        assertThat(((GovernanceDecision) published.get(0).payload()).value()).isEqualTo(150.0 / 151);
        egc.deactivate();
    }

    @Test
    void shouldComeBackViolatedAfterARestartWithoutASecondViolationDecision() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        Map<String, Object> specs = Map.of("spec.q", "q < 100");
        EgcComponent egc = start(ctx, Map.of(), specs);
        ctx.deliver("egc.input", new Sample("q", 250, T0), T0);
        egc.tick();
        assertThat(published).hasSize(1);
        egc.deactivate();

        Stubs.Context ctx2 = new Stubs.Context(dir);
        EgcComponent again = start(ctx2, Map.of(), specs);
        assertThat(again.engine.specs().get(0).violated()).isTrue();
        assertThat(again.engine.specs().get(0).violations()).isEqualTo(1);
        ctx2.deliver("egc.input", new Sample("q", 300, T0), T0);
        again.tick();
        assertThat(published).hasSize(1); // still violated: nothing new
        ctx2.deliver("egc.input", new Sample("q", 5, T0), T0);
        again.tick();
        assertThat(published).hasSize(2);
        assertThat(((GovernanceDecision) published.get(1).payload()).reason()).contains("recovered");
        again.deactivate();
        // a changed spec text starts fresh
        EgcComponent changed = start(new Stubs.Context(dir), Map.of(), Map.of("spec.q", "q < 1000"));
        assertThat(changed.engine.specs().get(0).violations()).isZero();
        changed.deactivate();
    }

    @Test
    void shouldTakeSpecsFromFilesAndNoticeNewOnes() throws Exception {
        Path specs = java.nio.file.Files.createDirectories(dir.resolve("egc"));
        java.nio.file.Files.writeString(specs.resolve("lat.stl"), "input float latency\nout = historically[0:1](latency <= 10)\n");
        java.nio.file.Files.writeString(specs.resolve("notes.txt"), "not a spec");
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(ctx, Map.of("spec_dir", specs.toString()), Map.of("spec.q", "q < 100"));
        assertThat(egc.engine.specs()).extracting(EgcEngine.SpecView::name).containsExactly("lat", "q");
        java.nio.file.Files.writeString(specs.resolve("bad.stl"), "always(");
        egc.rescan();
        assertThat(egc.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(egc.health().details().get(0)).contains("spec.bad: line 1, column 8");
        java.nio.file.Files.writeString(specs.resolve("bad.stl"), "temp > 0");
        egc.rescan();
        assertThat(egc.engine.specs()).extracting(EgcEngine.SpecView::name).containsExactly("bad", "lat", "q");
        assertThat(egc.health().status()).isEqualTo(HealthStatus.UP);
        egc.deactivate();
    }

    @Test
    void shouldKeepTheHandlerOfAnUnchangedChannelAcrossAReconfiguration() throws Exception {
        Stubs.Context ctx = new Stubs.Context(dir);
        EgcComponent egc = start(ctx, Map.of(), Map.of("spec.q", "q < 100"));
        Object before = ctx.handlers.get("egc.input");
        Map<String, Object> o = new HashMap<>();
        o.put("period_ms", 3_600_000L);
        o.put("snapshot_interval_s", 86_400L);
        o.put("state_dir", dir.resolve("state").toString());
        o.put("spec_dir", "-");
        o.put("signals", new String[] {"w:work.queue=number"});
        egc.modified(Stubs.config(o), Map.of("spec.q", "q < 100", "spec.w", "w < 5"));
        assertThat(ctx.handlers.get("egc.input")).isSameAs(before);
        assertThat(ctx.handlers).containsKeys("egc.input", "work.queue");
        o.put("signals", new String[0]);
        egc.modified(Stubs.config(o), Map.of("spec.q", "q < 100"));
        assertThat(ctx.handlers).containsOnlyKeys("egc.input", "egc.modulation");
        assertThat(ctx.handlers.get("egc.input")).isSameAs(before);
        egc.deactivate();
    }
}
