package io.chronofabric.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.time.HlcClock;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MetricsCollectorTest {

    private static final BusStats STATS = new BusStats(5, 4, 1, 0, 0, 2, 1, 3, 2_000, 90_000, 1_000, 50_000, 80_000,
            123, 1_500, 40_000, 10_000_000_000L, 0);

    private final MetricsCollector all = new MetricsCollector(EnumSet.allOf(Family.class), 50, 50);

    @Test
    void shouldWriteBusFamiliesUnderPrometheusNames() throws IOException {
        String text = scrape(all, sources(bus(STATS, List.of()), null, null, List.of()));

        assertThat(text).contains("# TYPE chronofabric_bus_published_total counter",
                "chronofabric_bus_published_total 5.0",
                "chronofabric_bus_delivered_total 4.0",
                "chronofabric_bus_dead_lettered_total 1.0",
                "chronofabric_bus_active_subscriptions 3.0",
                "# TYPE chronofabric_bus_delivery_latency_seconds summary",
                "chronofabric_bus_delivery_latency_seconds{quantile=\"0.5\"} 1.0E-6",
                "chronofabric_bus_delivery_latency_seconds{quantile=\"0.99\"} 5.0E-5",
                "chronofabric_bus_delivery_latency_seconds_count 4",
                "chronofabric_bus_throughput_per_second 123.0",
                "chronofabric_bus_recent_delivery_latency_seconds{stat=\"p99\"} 4.0E-5");
    }

    @Test
    void shouldLeaveOutTheFamiliesOfAbsentPorts() throws IOException {
        String text = scrape(all, sources(null, null, null, List.of()));

        assertThat(text).doesNotContain("chronofabric_bus_", "chronofabric_scheduler_", "chronofabric_ledger_")
                .contains("jvm_threads_current", "chronofabric_port_present{port=\"bus\"} 0.0");
    }

    @Test
    void shouldLeaveOutFamiliesSwitchedOff() throws IOException {
        MetricsCollector onlyLedger = new MetricsCollector(EnumSet.of(Family.LEDGER), 50, 50);

        String text = scrape(onlyLedger, sources(bus(STATS, List.of()), null, ledger(17), List.of()));

        assertThat(text).contains("chronofabric_ledger_entries 17.0").doesNotContain("chronofabric_bus_", "jvm_");
        // the histogram's buckets are cumulative in the text format: 1 below 100 us, 2 below 1 ms, 3 in all
        assertThat(text).contains("chronofabric_ledger_appends_total 3.0", "chronofabric_ledger_fsyncs_total 3.0",
                "chronofabric_ledger_append_latency_seconds_bucket{le=\"1.0E-4\"} 1",
                "chronofabric_ledger_append_latency_seconds_bucket{le=\"0.001\"} 2",
                "chronofabric_ledger_append_latency_seconds_bucket{le=\"+Inf\"} 3",
                "chronofabric_ledger_append_latency_seconds_sum 0.0026");
    }

    @Test
    void shouldDropOnlyTheFamilyWhosePortThrows() throws IOException {
        EventBus failing = Fakes.port(EventBus.class, Map.of("stats", () -> {
            throw new IllegalStateException("bus stopping");
        }, "activeSubscriptions", List::of));

        String text = scrape(all, sources(failing, null, ledger(3), List.of()));

        assertThat(text).doesNotContain("chronofabric_bus_published").contains("chronofabric_ledger_entries 3.0");
    }

    @Test
    void shouldEscapeLabelValuesTakenFromChannelNames() throws IOException {
        SubscriptionInfo odd = sub(1, "a\"b\\c\nd", 7);

        String text = scrape(all, sources(bus(STATS, List.of(odd)), null, null, List.of()));

        assertThat(text).contains("channel=\"a\\\"b\\\\c\\nd\"");
        // every sample line stays one line
        assertThat(text.lines().filter(l -> l.startsWith("chronofabric_bus_subscription_queue_depth{")))
                .hasSize(1).allMatch(l -> l.endsWith(" 7.0"));
    }

    @Test
    void shouldListOnlyTheDeepestSubscriptionsAndCountTheRest() throws IOException {
        List<SubscriptionInfo> subs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            subs.add(sub(i, "ch" + i, i * 10));
        }
        MetricsCollector two = new MetricsCollector(EnumSet.allOf(Family.class), 2, 50);

        String text = scrape(two, sources(bus(STATS, subs), null, null, List.of()));

        assertThat(text.lines().filter(l -> l.startsWith("chronofabric_bus_subscription_queue_depth{")))
                .hasSize(2).anyMatch(l -> l.contains("channel=\"ch4\"")).anyMatch(l -> l.contains("channel=\"ch3\""));
        assertThat(text).contains("chronofabric_bus_subscriptions_unlisted 3.0",
                "chronofabric_bus_subscriptions_unlisted_queue_depth 30.0");
    }

    @Test
    void shouldBoundTaskMissesAndSumTheRestUnderOther() throws IOException {
        Map<String, Long> misses = new LinkedHashMap<>();
        misses.put("c", 1L);
        misses.put("a", 5L);
        misses.put("b", 3L);
        MetricsCollector one = new MetricsCollector(EnumSet.allOf(Family.class), 50, 1);

        String text = scrape(one, sources(null, scheduler(misses), null, List.of()));

        assertThat(text).contains("chronofabric_scheduler_task_misses_total{task=\"a\"} 5.0",
                "chronofabric_scheduler_task_misses_total{task=\"_other\"} 4.0",
                "chronofabric_scheduler_hint{chronofabric_scheduler_hint=\"BALANCED\"} 1",
                "chronofabric_scheduler_missed_total 9.0");
        assertThat(text).doesNotContain("task=\"b\"");
    }

    @Test
    void shouldReportEachProvidersHealthAsANumber() throws IOException {
        List<PortState> ports = List.of(
                new PortState("bus", "io.chronofabric.bus", HealthReport.up("ok")),
                new PortState("ledger", "io.chronofabric.ledger", HealthReport.down("closed", List.of())),
                new PortState("scheduler", "io.chronofabric.scheduler", HealthReport.degraded("misses", List.of())),
                new PortState("time-source", "io.chronofabric.time.system", null));

        String text = scrape(all, sources(null, null, null, ports));

        assertThat(text).contains(
                "chronofabric_port_health_status{port=\"bus\",provider=\"io.chronofabric.bus\"} 2.0",
                "chronofabric_port_health_status{port=\"ledger\",provider=\"io.chronofabric.ledger\"} 0.0",
                "chronofabric_port_health_status{port=\"scheduler\",provider=\"io.chronofabric.scheduler\"} 1.0",
                "chronofabric_port_health_status{port=\"time-source\",provider=\"io.chronofabric.time.system\"} -1.0",
                "chronofabric_port_present{port=\"bus\"} 1.0",
                "chronofabric_port_present{port=\"hlc\"} 0.0");
        // plug-in ports nobody provides are not reported missing
        assertThat(text).doesNotContain("port=\"clogic\"");
    }

    @Test
    void shouldWriteTheHlcRefusedUpdates() throws IOException {
        HlcClock clock = Fakes.port(HlcClock.class, Map.of("refusedUpdates", () -> 4L, "maxOffsetNanos", () -> 500_000_000L,
                "current", () -> new io.chronofabric.api.core.LogicalTime(1, 2, 0)));
        Sources s = new Sources(null, null, null, null, null, clock, null, List.of());

        String text = scrape(all, s);

        assertThat(text).contains("chronofabric_hlc_refused_updates_total 4.0", "chronofabric_hlc_max_offset_seconds 0.5");
    }

    @Test
    void shouldRefuseAnUnknownFamilyNamingIt() {
        assertThatThrownBy(() -> Family.parse(new String[] {"bus, busses"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'busses'");
        assertThat(Family.parse(new String[] {"bus,Ledger", " "})).containsExactlyInAnyOrder(Family.BUS, Family.LEDGER);
    }

    @Test
    void shouldRefuseAPathWithoutLeadingSlash() {
        assertThatThrownBy(() -> MetricsComponent.checkedPath("metrics")).hasMessageContaining("'metrics'");
        assertThat(MetricsComponent.checkedPath("/prom")).isEqualTo("/prom");
    }

    private static String scrape(MetricsCollector c, Sources s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, c.collect(s), EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Sources sources(EventBus bus, DeadlineScheduler scheduler, SecureImmutableLedger ledger,
            List<PortState> ports) {
        return new Sources(bus, null, scheduler, null, ledger, null, null, ports);
    }

    private static EventBus bus(BusStats stats, List<SubscriptionInfo> subs) {
        Map<String, Supplier<?>> m = Map.of("stats", () -> stats, "activeSubscriptions", () -> subs);
        return Fakes.port(EventBus.class, m);
    }

    private static SecureImmutableLedger ledger(long size) {
        return Fakes.port(SecureImmutableLedger.class, Map.of("size", () -> size, "stats",
                () -> new io.chronofabric.api.ledger.LedgerStats(3, 5, 3, new long[] {100_000, 1_000_000},
                        new long[] {1, 1, 1}, 2_600_000)));
    }

    private static DeadlineScheduler scheduler(Map<String, Long> misses) {
        SchedulerStats st = new SchedulerStats(0.25, 1, 0, 10, 9, 0, misses, OptimizationHint.BALANCED, 2, 2, 0, "system",
                new SchedulerStats.Window(60_000_000_000L, 10, 1, 0), Map.of());
        return Fakes.port(DeadlineScheduler.class, Map.of("stats", () -> st));
    }

    @Test
    void shouldWriteModuleLinkBackendAndClusterFamilies() throws IOException {
        io.chronofabric.api.clogic.CognitiveModule drpp = Fakes.port(io.chronofabric.api.clogic.CognitiveModule.class, Map.of(
                "name", () -> "drpp",
                "state", () -> new io.chronofabric.api.clogic.ModuleState("drpp", "resonance", List.of(), 1000, 3, 2, 2_000_000,
                        Map.of("r", 0.75, "te.a.b", 0.5))));
        io.chronofabric.api.clogic.CognitiveModule stopping = Fakes.port(io.chronofabric.api.clogic.CognitiveModule.class,
                Map.of("name", () -> "ems", "state", () -> {
                    throw new IllegalStateException("stopping");
                }));
        io.chronofabric.api.clogic.ClogicCoordinator coordinator = Fakes.port(io.chronofabric.api.clogic.ClogicCoordinator.class,
                Map.of("links", () -> List.of(new io.chronofabric.api.clogic.LinkStatus("drpp.patterns", "adp.input", true, 42, ""))));
        io.chronofabric.api.compute.HardwareAbstraction hw = Fakes.port(io.chronofabric.api.compute.HardwareAbstraction.class,
                Map.of("backends", () -> List.of(
                        new io.chronofabric.api.compute.BackendStatus(io.chronofabric.api.compute.BackendKind.CPU, "2 cores", true, "",
                                java.util.Set.of("arith.addf", "linalg.matmul"), "cpu"),
                        new io.chronofabric.api.compute.BackendStatus(io.chronofabric.api.compute.BackendKind.CUDA, "", false,
                                "no libcuda.so.1", java.util.Set.of(), "probe"))));
        io.chronofabric.api.consensus.ClusterView view = new io.chronofabric.api.consensus.ClusterView("n1", java.util.Optional.of("n1"),
                java.util.Set.of("n1", "n2"), 3);
        io.chronofabric.api.consensus.Consensus consensus = Fakes.port(io.chronofabric.api.consensus.Consensus.class, Map.of(
                "view", () -> view, "commitIndex", () -> 17L,
                "memberStatus", () -> List.of(new io.chronofabric.api.consensus.MemberStatus("n1", true, 900, 0),
                        new io.chronofabric.api.consensus.MemberStatus("n2", false, 800, 100))));
        io.chronofabric.api.compute.MlirRuntime runtime = Fakes.port(io.chronofabric.api.compute.MlirRuntime.class, Map.of(
                "stats", () -> new io.chronofabric.api.compute.RuntimeStats(4, 9, 1,
                        Map.of(io.chronofabric.api.compute.BackendKind.CPU, 12L), Map.of(io.chronofabric.api.compute.BackendKind.CPU, 2L))));
        Sources s = new Sources(null, null, null, null, null, null, null, List.of(), List.of(drpp, stopping), coordinator, hw,
                consensus, runtime);

        String text = scrape(all, s);

        assertThat(text).contains("chronofabric_clogic_processed_total{module=\"drpp\"} 1000.0",
                "chronofabric_clogic_skipped_total{module=\"drpp\"} 3.0",
                "chronofabric_clogic_backlog{module=\"drpp\"} 2.0",
                "chronofabric_clogic_lag_seconds{module=\"drpp\"} 0.002",
                "chronofabric_clogic_module_metric{metric=\"r\",module=\"drpp\"} 0.75",
                "chronofabric_clogic_link_forwarded_total{from=\"drpp.patterns\",to=\"adp.input\"} 42.0",
                "chronofabric_compute_backend_available{kind=\"CPU\"} 1.0",
                "chronofabric_compute_backend_available{kind=\"CUDA\"} 0.0",
                "chronofabric_compute_backend_supported_ops{kind=\"CPU\"} 2.0",
                "chronofabric_cluster_term 3.0", "chronofabric_cluster_commit_index 17.0", "chronofabric_cluster_leader 1.0",
                "chronofabric_cluster_member_lag_bytes{member=\"n2\"} 100.0",
                "chronofabric_compute_compiles_total 4.0", "chronofabric_compute_cache_hits_total 9.0",
                "chronofabric_compute_executions_total{backend=\"CPU\",outcome=\"completed\"} 12.0",
                "chronofabric_compute_executions_total{backend=\"CPU\",outcome=\"failed\"} 2.0");
        // a module that throws while stopping is left out; the others stay
        assertThat(text).doesNotContain("module=\"ems\"");
    }

    @Test
    void shouldWriteTheHlcLeadOverItsTimeSourceAndTheSourceOffsetFromTheWallClock() throws IOException {
        long now = 1_000_000_000_000L;
        io.chronofabric.api.time.TimeSource time = Fakes.port(io.chronofabric.api.time.TimeSource.class, Map.of(
                "nowNanos", () -> now, "kind", () -> "simulated", "hasHardwareTiming", () -> false));
        HlcClock hlc = Fakes.port(HlcClock.class, Map.of("refusedUpdates", () -> 0L, "maxOffsetNanos", () -> 500_000_000L,
                "current", () -> new io.chronofabric.api.core.LogicalTime(now + 2_000_000, 4, 1)));
        Sources s = new Sources(null, null, null, null, null, hlc, time, List.of());

        String text = scrape(new MetricsCollector(EnumSet.of(Family.HLC, Family.TIME), 50, 50), s);

        assertThat(text).contains("chronofabric_hlc_lead_seconds 0.002", "chronofabric_hlc_logical 4.0",
                "chronofabric_time_source_offset_seconds -");
    }

    private static SubscriptionInfo sub(int n, String channel, int queued) {
        return new SubscriptionInfo(new SubscriptionId(n), "java.lang.String", channel, 0, "local", "owner", queued, 8192,
                100 - n, 0);
    }
}
