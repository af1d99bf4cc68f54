package io.chronofabric.telemetry.internal;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.time.HlcClock;
import io.chronofabric.api.time.TimeSource;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one scrape's metric families from the port services' own statistics methods. It runs on
 * the scraping thread only and never touches the bus hot path: everything comes from
 * {@code stats()}-style reads the ports already offer.
 */
final class MetricsCollector {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);

    static final String OTHER_TASKS = "_other";

    private final Set<Family> families;
    private final int maxSubscriptions;
    private final int maxTasks;

    MetricsCollector(Set<Family> families, int maxSubscriptions, int maxTasks) {
        if (maxSubscriptions < 0 || maxTasks < 0) {
            throw new IllegalArgumentException("max.subscriptions and max.tasks must be >= 0, got " + maxSubscriptions
                    + " and " + maxTasks);
        }
        this.families = Set.copyOf(families);
        this.maxSubscriptions = maxSubscriptions;
        this.maxTasks = maxTasks;
    }

    MetricSnapshots collect(Sources s) {
        List<MetricSnapshot> out = new ArrayList<>(64);
        if (s.bus() != null && families.contains(Family.BUS)) {
            guarded("bus", out, o -> bus(s.bus().stats(), o));
        }
        if (s.bus() != null && families.contains(Family.SUBSCRIPTIONS)) {
            guarded("subscriptions", out, o -> subscriptions(s.bus().activeSubscriptions(), o));
        }
        if (s.throttle() != null && families.contains(Family.BUS)) {
            guarded("channel limits", out, o -> channelLimits(s.throttle().limits(), o));
        }
        if (s.deadLetters() != null && families.contains(Family.DEADLETTERS)) {
            guarded("deadletters", out, o -> o.add(gauge("chronofabric_deadletter_entries",
                    "Entries in the durable dead-letter log", s.deadLetters().size())));
        }
        if (s.scheduler() != null && families.contains(Family.SCHEDULER)) {
            guarded("scheduler", out, o -> scheduler(s.scheduler().stats(), o));
        }
        if (s.oracle() != null && families.contains(Family.ORACLE)) {
            guarded("oracle", out, o -> o.add(hint("chronofabric_oracle_hint",
                    "The time oracle's current optimisation hint", s.oracle().currentHint())));
            // apart from the hint: an oracle whose pin cannot be read keeps its hint in this scrape
            guarded("oracle pin", out, o -> oraclePin(s.oracle().pinned(), o));
        }
        if (s.ledger() != null && families.contains(Family.LEDGER)) {
            guarded("ledger", out, o -> ledger(s.ledger(), o));
        }
        if (s.hlc() != null && families.contains(Family.HLC)) {
            guarded("hlc", out, o -> hlc(s.hlc(), s.time(), o));
        }
        if (s.time() != null && families.contains(Family.TIME)) {
            guarded("time", out, o -> {
                o.add(InfoSnapshot.builder().name("chronofabric_time_source")
                        .help("The active time source")
                        .dataPoint(new InfoDataPointSnapshot(Labels.of("kind", nz(s.time().kind()),
                                "hardware_timing", String.valueOf(s.time().hasHardwareTiming()))))
                        .build());
                java.time.Instant wall = java.time.Instant.now();
                long offset = s.time().nowNanos() - (wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
                o.add(GaugeSnapshot.builder().name("chronofabric_time_source_offset_seconds")
                        .help("The time source minus the JVM's wall clock (UTC) at this scrape: how far it drifted")
                        .unit(Unit.SECONDS).dataPoint(point(offset / 1e9, Labels.EMPTY)).build());
            });
        }
        if (families.contains(Family.HEALTH)) {
            guarded("health", out, o -> health(s.ports(), o));
        }
        if (families.contains(Family.JVM)) {
            guarded("jvm", out, this::jvm);
        }
        if ((!s.modules().isEmpty() || s.clogic() != null) && families.contains(Family.CLOGIC)) {
            guarded("clogic", out, o -> clogic(s, o));
        }
        if (s.compute() != null && families.contains(Family.COMPUTE)) {
            guarded("compute", out, o -> compute(s.compute(), o));
        }
        if (s.runtime() != null && families.contains(Family.COMPUTE)) {
            guarded("compute", out, o -> runtime(s.runtime().stats(), o));
        }
        if (s.consensus() != null && families.contains(Family.CLUSTER)) {
            guarded("cluster", out, o -> cluster(s.consensus(), o));
        }
        return new MetricSnapshots(out);
    }

    // a port that fails mid-scrape (stopping, restarting) drops its families from this scrape only
    private static void guarded(String family, List<MetricSnapshot> out, Consumer<List<MetricSnapshot>> body) {
        List<MetricSnapshot> part = new ArrayList<>();
        try {
            body.accept(part);
            out.addAll(part);
        } catch (RuntimeException e) {
            LOG.debug("Metric family {} left out of this scrape: {}", family, e.toString());
        }
    }

    private static void bus(BusStats b, List<MetricSnapshot> o) {
        o.add(counter("chronofabric_bus_published", "Packets accepted by the bus", b.published()));
        o.add(counter("chronofabric_bus_delivered", "Deliveries to subscribers", b.delivered()));
        o.add(counter("chronofabric_bus_dropped", "Best-effort packets dropped on a full queue", b.dropped()));
        o.add(counter("chronofabric_bus_expired", "Packets whose deadline passed before delivery", b.expired()));
        o.add(counter("chronofabric_bus_failed", "Deliveries that failed (handler exception, exhausted retries)", b.failed()));
        o.add(counter("chronofabric_bus_retried", "Delivery retries of guaranteed packets", b.retried()));
        o.add(counter("chronofabric_bus_dead_lettered", "Packets written to the dead-letter log", b.deadLettered()));
        o.add(gauge("chronofabric_bus_active_subscriptions", "Subscriptions the bus routes to", b.activeSubscriptions()));
        o.add(SummarySnapshot.builder().name("chronofabric_bus_delivery_latency_seconds")
                .help("Publish-to-delivery latency since the bus started (HdrHistogram quantiles)")
                .unit(Unit.SECONDS)
                .dataPoint(SummaryDataPointSnapshot.builder()
                        .count(Math.max(0, b.delivered()))
                        .sum(Unit.nanosToSeconds(b.avgLatencyNanos()) * Math.max(0, b.delivered()))
                        .quantiles(Quantiles.of(
                                new Quantile(0.5, Unit.nanosToSeconds(b.p50LatencyNanos())),
                                new Quantile(0.99, Unit.nanosToSeconds(b.p99LatencyNanos())),
                                new Quantile(0.999, Unit.nanosToSeconds(b.p999LatencyNanos()))))
                        .build())
                .build());
        o.add(gauge("chronofabric_bus_delivery_latency_max_seconds", "Highest delivery latency seen",
                Unit.nanosToSeconds(b.peakLatencyNanos())));
        o.add(GaugeSnapshot.builder().name("chronofabric_bus_recent_delivery_latency_seconds")
                .help("Delivery latency over the sliding window (chronofabric_bus_window_seconds)")
                .unit(Unit.SECONDS)
                .dataPoint(point(Unit.nanosToSeconds(b.recentAvgLatencyNanos()), Labels.of("stat", "avg")))
                .dataPoint(point(Unit.nanosToSeconds(b.recentP99LatencyNanos()), Labels.of("stat", "p99")))
                .build());
        o.add(gauge("chronofabric_bus_throughput_per_second", "Deliveries per second over the sliding window",
                b.throughputPerSecond()));
        o.add(GaugeSnapshot.builder().name("chronofabric_bus_window_seconds").help("Length of the bus's sliding window")
                .unit(Unit.SECONDS).dataPoint(point(Unit.nanosToSeconds(b.windowNanos()), Labels.EMPTY)).build());
    }

    private void subscriptions(List<SubscriptionInfo> subs, List<MetricSnapshot> o) {
        List<SubscriptionInfo> sorted = new ArrayList<>(subs);
        sorted.sort(Comparator.comparingInt(SubscriptionInfo::queued).reversed()
                .thenComparing(Comparator.comparingLong(SubscriptionInfo::delivered).reversed()));
        int listed = Math.min(maxSubscriptions, sorted.size());
        GaugeSnapshot.Builder depth = GaugeSnapshot.builder().name("chronofabric_bus_subscription_queue_depth")
                .help("Packets waiting in a subscription's queue (the deepest max.subscriptions are listed)");
        GaugeSnapshot.Builder capacity = GaugeSnapshot.builder().name("chronofabric_bus_subscription_queue_capacity")
                .help("A subscription's queue capacity");
        CounterSnapshot.Builder delivered = CounterSnapshot.builder().name("chronofabric_bus_subscription_delivered")
                .help("Packets delivered to a subscription");
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("chronofabric_bus_subscription_dropped")
                .help("Packets a subscription's full queue dropped");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < listed; i++) {
            SubscriptionInfo s = sorted.get(i);
            String id = String.valueOf(s.id());
            if (!seen.add(id)) {
                continue;
            }
            Labels l = Labels.of("subscription", id, "channel", nz(s.channel()), "type", nz(s.type()), "owner", nz(s.owner()));
            depth.dataPoint(point(s.queued(), l));
            capacity.dataPoint(point(s.capacity(), l));
            delivered.dataPoint(CounterDataPointSnapshot.builder().value(s.delivered()).labels(l).build());
            dropped.dataPoint(CounterDataPointSnapshot.builder().value(s.dropped()).labels(l).build());
        }
        long unlistedQueued = 0;
        for (int i = listed; i < sorted.size(); i++) {
            unlistedQueued += sorted.get(i).queued();
        }
        o.add(depth.build());
        o.add(capacity.build());
        o.add(delivered.build());
        o.add(dropped.build());
        o.add(gauge("chronofabric_bus_subscriptions_unlisted", "Subscriptions beyond max.subscriptions, not listed by label",
                sorted.size() - listed));
        o.add(gauge("chronofabric_bus_subscriptions_unlisted_queue_depth", "Packets queued for the unlisted subscriptions",
                unlistedQueued));
    }

    private static void channelLimits(List<ChannelLimit> limits, List<MetricSnapshot> o) {
        GaugeSnapshot.Builder rate = GaugeSnapshot.builder().name("chronofabric_bus_channel_limit_rate_per_second")
                .help("A channel's rate limit: packets a second it lets through, sustained");
        GaugeSnapshot.Builder burst = GaugeSnapshot.builder().name("chronofabric_bus_channel_limit_burst")
                .help("Packets a channel's rate limit lets through at once after a quiet period");
        CounterSnapshot.Builder admitted = CounterSnapshot.builder().name("chronofabric_bus_channel_limit_admitted")
                .help("Packets a channel's rate limit let through at once since it was first set");
        CounterSnapshot.Builder delayed = CounterSnapshot.builder().name("chronofabric_bus_channel_limit_delayed")
                .help("Guaranteed packets that waited for their turn under a channel's rate limit, then passed");
        CounterSnapshot.Builder refused = CounterSnapshot.builder().name("chronofabric_bus_channel_limit_refused")
                .help("Packets a channel's rate limit turned away (THROTTLED answers, refused guaranteed, dropped best-effort)");
        GaugeSnapshot.Builder waiting = GaugeSnapshot.builder().name("chronofabric_bus_channel_limit_waiting")
                .help("Publishers waiting for their turn under a channel's rate limit now");
        Set<String> seen = new HashSet<>();
        for (ChannelLimit l : limits) {
            if (!seen.add(l.channel())) {
                continue;
            }
            Labels c = Labels.of("channel", l.channel());
            rate.dataPoint(point(l.packetsPerSecond(), c));
            burst.dataPoint(point(l.burst(), c));
            admitted.dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, l.admitted())).labels(c).build());
            delayed.dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, l.delayed())).labels(c).build());
            refused.dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, l.refused())).labels(c).build());
            waiting.dataPoint(point(l.waiting(), c));
        }
        if (seen.isEmpty()) {
            return; // no limit: no series at all (the families are not even declared)
        }
        o.add(rate.build());
        o.add(burst.build());
        o.add(admitted.build());
        o.add(delayed.build());
        o.add(refused.build());
        o.add(waiting.build());
    }

    private static void oraclePin(Optional<HintPin> pin, List<MetricSnapshot> o) {
        HintPin p = pin.orElse(null);
        GaugeSnapshot.Builder pinned = GaugeSnapshot.builder().name("chronofabric_oracle_pinned")
                .help("1 for the hint pinned on the time oracle (overriding its controller), 0 for the others; all 0 while none is");
        for (OptimizationHint h : OptimizationHint.values()) {
            pinned.dataPoint(point(p != null && p.hint() == h ? 1 : 0, Labels.of("hint", h.name())));
        }
        o.add(pinned.build());
        if (p != null && !p.untilUnpinned()) {
            o.add(GaugeSnapshot.builder().name("chronofabric_oracle_pin_remaining_seconds")
                    .help("How long the oracle's timed pin still holds (absent while none holds or it holds until unpinned)")
                    .unit(Unit.SECONDS).dataPoint(point(Unit.nanosToSeconds(p.remainingNanos()), Labels.EMPTY)).build());
        }
    }

    private void scheduler(SchedulerStats st, List<MetricSnapshot> o) {
        o.add(gauge("chronofabric_scheduler_load", "Estimated utilisation per worker (0..1+)", st.load()));
        o.add(gauge("chronofabric_scheduler_queued", "Jobs waiting to run", st.queued()));
        o.add(gauge("chronofabric_scheduler_running", "Jobs running now", st.running()));
        o.add(counter("chronofabric_scheduler_completed", "Jobs completed", st.completed()));
        o.add(counter("chronofabric_scheduler_missed", "Jobs that missed their deadline", st.missed()));
        o.add(counter("chronofabric_scheduler_failed", "Jobs that threw", st.failed()));
        o.add(gauge("chronofabric_scheduler_workers", "Worker threads running", st.workers()));
        o.add(gauge("chronofabric_scheduler_workers_configured", "Worker threads configured", st.configuredWorkers()));
        o.add(counter("chronofabric_scheduler_workers_replaced", "Workers replaced after dying", st.workersReplaced()));
        o.add(gauge("chronofabric_scheduler_refused_tasks", "Tasks refused by admission control", st.refusedTasks().size()));
        SchedulerStats.Window w = st.recent();
        o.add(GaugeSnapshot.builder().name("chronofabric_scheduler_recent_jobs")
                .help("Jobs over the scheduler's recent window, by outcome")
                .dataPoint(point(w.jobs(), Labels.of("outcome", "all")))
                .dataPoint(point(w.missed(), Labels.of("outcome", "missed")))
                .dataPoint(point(w.failed(), Labels.of("outcome", "failed")))
                .build());
        o.add(hint("chronofabric_scheduler_hint", "The optimisation hint the scheduler applies", st.hint()));
        List<Map.Entry<String, Long>> misses = new ArrayList<>(st.missesByTask().entrySet());
        misses.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        CounterSnapshot.Builder byTask = CounterSnapshot.builder().name("chronofabric_scheduler_task_misses")
                .help("Deadline misses by task name (the most missed max.tasks listed, the rest under task=\"_other\")");
        long other = 0;
        boolean otherNamed = false;
        for (int i = 0; i < misses.size(); i++) {
            Map.Entry<String, Long> e = misses.get(i);
            if (i < maxTasks && !OTHER_TASKS.equals(e.getKey())) {
                byTask.dataPoint(CounterDataPointSnapshot.builder().value(e.getValue())
                        .labels(Labels.of("task", nz(e.getKey()))).build());
            } else {
                other += e.getValue();
                otherNamed = true;
            }
        }
        if (otherNamed) {
            byTask.dataPoint(CounterDataPointSnapshot.builder().value(other).labels(Labels.of("task", OTHER_TASKS)).build());
        }
        o.add(byTask.build());
    }

    private static void ledger(io.chronofabric.api.ledger.SecureImmutableLedger ledger, List<MetricSnapshot> o) {
        o.add(gauge("chronofabric_ledger_entries", "Entries appended to the secure immutable ledger (its tree size)",
                ledger.size()));
        io.chronofabric.api.ledger.LedgerStats st;
        try {
            st = ledger.stats();
        } catch (RuntimeException e) {
            return; // the size above stays in this scrape
        }
        if (st.appendCalls() == 0 && st.latencyUpperBoundsNanos().length == 0) {
            return; // a ledger that keeps no statistics
        }
        o.add(counter("chronofabric_ledger_appends", "Append calls (a batch is one call) since the ledger opened",
                st.appendCalls()));
        o.add(counter("chronofabric_ledger_fsyncs", "Forces of ledger data to disk since the ledger opened", st.fsyncs()));
        long[] bounds = st.latencyUpperBoundsNanos();
        long[] counts = st.latencyCounts();
        double[] upper = new double[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
            upper[i] = Unit.nanosToSeconds(bounds[i]);
        }
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        o.add(io.prometheus.metrics.model.snapshots.HistogramSnapshot.builder().name("chronofabric_ledger_append_latency_seconds")
                .help("Time of an append call, lock wait and fsync included").unit(Unit.SECONDS)
                .dataPoint(io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets.of(upper, counts))
                        .sum(Unit.nanosToSeconds(st.latencySumNanos())).build())
                .build());
    }

    private static void hlc(HlcClock clock, TimeSource time, List<MetricSnapshot> o) {
        if (time != null) {
            long lead = clock.current().physical() - time.nowNanos();
            o.add(GaugeSnapshot.builder().name("chronofabric_hlc_lead_seconds")
                    .help("How far the HLC's physical part runs ahead of the time source (remote timestamps pulled it; 0 or less: none)")
                    .unit(Unit.SECONDS).dataPoint(point(Math.max(0, lead) / 1e9, Labels.EMPTY)).build());
        }
        o.add(counter("chronofabric_hlc_refused_updates", "Remote timestamps refused for running too far ahead",
                clock.refusedUpdates()));
        o.add(GaugeSnapshot.builder().name("chronofabric_hlc_max_offset_seconds")
                .help("Largest lead of a remote timestamp the clock accepts").unit(Unit.SECONDS)
                .dataPoint(point(Unit.nanosToSeconds(clock.maxOffsetNanos()), Labels.EMPTY)).build());
        o.add(gauge("chronofabric_hlc_logical", "Logical counter of the clock's latest timestamp", clock.current().logical()));
    }

    private static void health(List<PortState> ports, List<MetricSnapshot> o) {
        GaugeSnapshot.Builder present = GaugeSnapshot.builder().name("chronofabric_port_present")
                .help("1 when at least one provider of the port is registered");
        for (PortTable.Port p : PortTable.ALL) {
            boolean any = ports.stream().anyMatch(s -> s.port().equals(p.name()));
            if (p.multiple() && !any) {
                continue; // a plug-in port nobody provides is not a missing part
            }
            present.dataPoint(point(any ? 1 : 0, Labels.of("port", p.name())));
        }
        o.add(present.build());
        GaugeSnapshot.Builder status = GaugeSnapshot.builder().name("chronofabric_port_health_status")
                .help("A port provider's health: 2 UP, 1 DEGRADED, 0 DOWN, -1 reports none");
        Set<String> seen = new HashSet<>();
        for (PortState s : ports) {
            if (!seen.add(s.port() + '\u0000' + s.provider())) {
                continue;
            }
            status.dataPoint(point(healthValue(s), Labels.of("port", s.port(), "provider", nz(s.provider()))));
        }
        o.add(status.build());
    }

    static double healthValue(PortState s) {
        if (s.report() == null) {
            return -1;
        }
        HealthStatus st = s.report().status();
        return switch (st) {
            case UP -> 2;
            case DEGRADED -> 1;
            case DOWN -> 0;
        };
    }

    private void jvm(List<MetricSnapshot> o) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        o.add(GaugeSnapshot.builder().name("jvm_memory_used_bytes").help("Used bytes of a memory area").unit(Unit.BYTES)
                .dataPoint(point(heap.getUsed(), Labels.of("area", "heap")))
                .dataPoint(point(nonHeap.getUsed(), Labels.of("area", "nonheap"))).build());
        o.add(GaugeSnapshot.builder().name("jvm_memory_committed_bytes").help("Committed bytes of a memory area")
                .unit(Unit.BYTES)
                .dataPoint(point(heap.getCommitted(), Labels.of("area", "heap")))
                .dataPoint(point(nonHeap.getCommitted(), Labels.of("area", "nonheap"))).build());
        o.add(GaugeSnapshot.builder().name("jvm_memory_max_bytes").help("Most bytes a memory area may use (-1: no limit)")
                .unit(Unit.BYTES)
                .dataPoint(point(heap.getMax(), Labels.of("area", "heap")))
                .dataPoint(point(nonHeap.getMax(), Labels.of("area", "nonheap"))).build());
        o.add(gauge("jvm_threads_current", "Live threads", ManagementFactory.getThreadMXBean().getThreadCount()));
        CounterSnapshot.Builder gcCount = CounterSnapshot.builder().name("jvm_gc_collections").help("Collections by collector");
        CounterSnapshot.Builder gcTime = CounterSnapshot.builder().name("jvm_gc_collection_seconds")
                .help("Time spent collecting, by collector").unit(Unit.SECONDS);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Labels l = Labels.of("gc", gc.getName());
            gcCount.dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, gc.getCollectionCount())).labels(l).build());
            gcTime.dataPoint(CounterDataPointSnapshot.builder().value(Unit.millisToSeconds(Math.max(0, gc.getCollectionTime())))
                    .labels(l).build());
        }
        o.add(gcCount.build());
        o.add(gcTime.build());
        o.add(GaugeSnapshot.builder().name("process_uptime_seconds").help("Time since the JVM started").unit(Unit.SECONDS)
                .dataPoint(point(Unit.millisToSeconds(ManagementFactory.getRuntimeMXBean().getUptime()), Labels.EMPTY)).build());
    }

    /** Most metrics written per C-LOGIC module (the first by name; a module's metric map is its own). */
    static final int MAX_MODULE_METRICS = 32;

    private static void clogic(Sources s, List<MetricSnapshot> o) {
        CounterSnapshot.Builder processed = CounterSnapshot.builder().name("chronofabric_clogic_processed")
                .help("Input samples or events a C-LOGIC module has processed");
        CounterSnapshot.Builder skipped = CounterSnapshot.builder().name("chronofabric_clogic_skipped")
                .help("Inputs a C-LOGIC module skipped (not numeric, NaN, out of range)");
        GaugeSnapshot.Builder backlog = GaugeSnapshot.builder().name("chronofabric_clogic_backlog")
                .help("Inputs waiting for a C-LOGIC module");
        GaugeSnapshot.Builder lag = GaugeSnapshot.builder().name("chronofabric_clogic_lag_seconds")
                .help("How far a C-LOGIC module is behind its newest input").unit(Unit.SECONDS);
        GaugeSnapshot.Builder metric = GaugeSnapshot.builder().name("chronofabric_clogic_module_metric")
                .help("A C-LOGIC module's own key figures (e.g. order parameter r, transfer entropy, mood)");
        java.util.Map<String, Boolean> seen = new java.util.TreeMap<>();
        for (io.chronofabric.api.clogic.CognitiveModule m : s.modules()) {
            io.chronofabric.api.clogic.ModuleState st;
            String name;
            try {
                name = m.name();
                st = m.state();
            } catch (RuntimeException e) {
                continue; // a module stopping mid-scrape drops out of this scrape
            }
            if (seen.put(name, Boolean.TRUE) != null) {
                continue;
            }
            Labels l = Labels.of("module", name);
            if (st.processed() >= 0) {
                processed.dataPoint(CounterDataPointSnapshot.builder().value(st.processed()).labels(l).build());
            }
            if (st.skipped() >= 0) {
                skipped.dataPoint(CounterDataPointSnapshot.builder().value(st.skipped()).labels(l).build());
            }
            if (st.backlog() >= 0) {
                backlog.dataPoint(point(st.backlog(), l));
            }
            if (st.lagNanos() >= 0) {
                lag.dataPoint(point(Unit.nanosToSeconds(st.lagNanos()), l));
            }
            int n = 0;
            for (java.util.Map.Entry<String, Double> e : new java.util.TreeMap<>(st.metrics()).entrySet()) {
                if (n++ >= MAX_MODULE_METRICS) {
                    break;
                }
                metric.dataPoint(point(e.getValue(), Labels.of("module", name, "metric", e.getKey())));
            }
        }
        o.add(processed.build());
        o.add(skipped.build());
        o.add(backlog.build());
        o.add(lag.build());
        o.add(metric.build());
        if (s.clogic() != null) {
            CounterSnapshot.Builder forwarded = CounterSnapshot.builder().name("chronofabric_clogic_link_forwarded")
                    .help("Packets a C-LOGIC cross-talk link has forwarded");
            GaugeSnapshot.Builder active = GaugeSnapshot.builder().name("chronofabric_clogic_link_active")
                    .help("1 while a C-LOGIC cross-talk link is in place on the bus");
            for (io.chronofabric.api.clogic.LinkStatus link : s.clogic().links()) {
                Labels l = Labels.of("from", link.from(), "to", link.to());
                forwarded.dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, link.forwarded())).labels(l).build());
                active.dataPoint(point(link.active() ? 1 : 0, l));
            }
            o.add(forwarded.build());
            o.add(active.build());
        }
    }

    private static void compute(io.chronofabric.api.compute.HardwareAbstraction hw, List<MetricSnapshot> o) {
        GaugeSnapshot.Builder available = GaugeSnapshot.builder().name("chronofabric_compute_backend_available")
                .help("1 when a compute backend can run now, 0 when it reports unavailable (see csf:compute-backends for why)");
        GaugeSnapshot.Builder ops = GaugeSnapshot.builder().name("chronofabric_compute_backend_supported_ops")
                .help("Operations of the MLIR subset a compute backend supports");
        for (io.chronofabric.api.compute.BackendStatus b : hw.backends()) {
            Labels l = Labels.of("kind", b.kind().name());
            available.dataPoint(point(b.available() ? 1 : 0, l));
            ops.dataPoint(point(b.supportedOps().size(), l));
        }
        o.add(available.build());
        o.add(ops.build());
    }

    private static void runtime(io.chronofabric.api.compute.RuntimeStats st, List<MetricSnapshot> o) {
        o.add(counter("chronofabric_compute_compiles", "Modules compiled by a backend (cache misses)", st.compiles()));
        o.add(counter("chronofabric_compute_cache_hits", "Compile requests answered from the runtime's cache", st.cacheHits()));
        o.add(counter("chronofabric_compute_fallbacks", "Executions moved to another backend because theirs went away",
                st.fallbacks()));
        CounterSnapshot.Builder ex = CounterSnapshot.builder().name("chronofabric_compute_executions")
                .help("Executions by the backend that ran them and their outcome");
        for (java.util.Map.Entry<io.chronofabric.api.compute.BackendKind, Long> e : new java.util.TreeMap<>(st.completed()).entrySet()) {
            ex.dataPoint(CounterDataPointSnapshot.builder().value(e.getValue())
                    .labels(Labels.of("backend", e.getKey().name(), "outcome", "completed")).build());
        }
        for (java.util.Map.Entry<io.chronofabric.api.compute.BackendKind, Long> e : new java.util.TreeMap<>(st.failed()).entrySet()) {
            ex.dataPoint(CounterDataPointSnapshot.builder().value(e.getValue())
                    .labels(Labels.of("backend", e.getKey().name(), "outcome", "failed")).build());
        }
        o.add(ex.build());
    }

    private static void cluster(io.chronofabric.api.consensus.Consensus c, List<MetricSnapshot> o) {
        io.chronofabric.api.consensus.ClusterView v = c.view();
        o.add(gauge("chronofabric_cluster_term", "The consensus term this node knows", v.term()));
        o.add(gauge("chronofabric_cluster_commit_index", "The highest committed log index this node knows", c.commitIndex()));
        o.add(gauge("chronofabric_cluster_leader", "1 while this node is the leader", v.isLeader() ? 1 : 0));
        o.add(gauge("chronofabric_cluster_members", "Members of the static membership", v.members().size()));
        GaugeSnapshot.Builder lagBytes = GaugeSnapshot.builder().name("chronofabric_cluster_member_lag_bytes")
                .help("How far a member's log is behind the leader's, in bytes (-1 unknown)").unit(Unit.BYTES);
        for (io.chronofabric.api.consensus.MemberStatus m : c.memberStatus()) {
            lagBytes.dataPoint(point(m.lagBytes(), Labels.of("member", m.member())));
        }
        o.add(lagBytes.build());
    }

    private static StateSetSnapshot hint(String name, String help, OptimizationHint current) {
        StateSetDataPointSnapshot.Builder b = StateSetDataPointSnapshot.builder();
        for (OptimizationHint h : OptimizationHint.values()) {
            b.state(h.name(), h == current);
        }
        return StateSetSnapshot.builder().name(name).help(help).dataPoint(b.build()).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, value)).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(point(value, Labels.EMPTY)).build();
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
