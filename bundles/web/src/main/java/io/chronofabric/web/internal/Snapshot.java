package io.chronofabric.web.internal;

import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.compute.BackendStatus;
import io.chronofabric.api.consensus.ClusterView;
import io.chronofabric.api.consensus.MemberStatus;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.api.quantum.QuantumSimulator;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.time.TimeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the JSON sections of the dashboard from the port services. Every section is written on its
 * own: an absent port gives {@code "present": false}, a port that throws gives its error, and the
 * other sections are unaffected.
 */
final class Snapshot {

    private Snapshot() {
    }

    /** Everything the page shows (the SSE payload and /api/status). */
    static String status(Sources s, int maxSubscriptions) {
        Json j = new Json().beginObject().field("takenAtMillis", System.currentTimeMillis());
        j.key("ports");
        guarded(j, part -> ports(part, s));
        j.key("bus");
        guarded(j, part -> bus(part, s));
        j.key("subscriptions");
        guarded(j, part -> subscriptions(part, s, maxSubscriptions));
        j.key("deadLetters");
        guarded(j, part -> deadLetters(part, s, 5));
        j.key("scheduler");
        guarded(j, part -> scheduler(part, s));
        j.key("oracle");
        guarded(j, part -> oracle(part, s));
        j.key("ledger");
        guarded(j, part -> ledger(part, s, false));
        j.key("time");
        guarded(j, part -> time(part, s));
        j.key("quantum");
        guarded(j, part -> quantum(part, s));
        j.key("clogic");
        guarded(j, part -> clogic(part, s, 5));
        j.key("compute");
        guarded(j, part -> compute(part, s));
        j.key("cluster");
        guarded(j, part -> cluster(part, s));
        j.key("traces");
        guarded(j, part -> part.raw(traces(s, 10, null)));
        return j.endObject().toString();
    }

    static String section(String name, Sources s, int limit, boolean verify) {
        Json j = new Json();
        guarded(j, part -> write(name, part, s, limit, verify));
        return j.toString();
    }

    private static void write(String name, Json j, Sources s, int limit, boolean verify) {
        switch (name) {
            case "ports" -> ports(j, s);
            case "bus" -> bus(j, s);
            case "subscriptions" -> subscriptions(j, s, limit);
            case "deadletters" -> deadLetters(j, s, limit);
            case "scheduler" -> scheduler(j, s);
            case "oracle" -> oracle(j, s);
            case "ledger" -> ledger(j, s, verify);
            case "time" -> time(j, s);
            case "quantum" -> quantum(j, s);
            case "clogic" -> clogic(j, s, limit);
            case "compute" -> compute(j, s);
            case "cluster" -> cluster(j, s);
            default -> throw new IllegalArgumentException("no section " + name);
        }
    }

    /** Writes one section on a fresh part, so a port that throws half-way leaves valid JSON: its error. */
    private static void guarded(Json j, java.util.function.Consumer<Json> writer) {
        Json part = new Json();
        try {
            writer.accept(part);
            j.raw(part.toString());
        } catch (RuntimeException e) {
            failed(j, e);
        }
    }

    static final Set<String> SECTIONS = Set.of("ports", "bus", "subscriptions", "deadletters", "scheduler", "oracle",
            "ledger", "time", "quantum", "clogic", "compute", "cluster");

    private static void failed(Json j, RuntimeException e) {
        j.beginObject().field("present", true).field("error", e.toString()).endObject();
    }

    private static void absent(Json j) {
        j.beginObject().field("present", false).endObject();
    }

    static void ports(Json j, Sources s) {
        List<Sources.PortState> states;
        try {
            states = s.ports().get();
        } catch (RuntimeException e) {
            states = List.of(new Sources.PortState("?", "?", "DOWN", "port scan failed: " + e));
        }
        j.beginArray();
        for (Sources.PortState p : states) {
            j.beginObject().field("port", p.port()).field("provider", p.provider())
                    .field("status", p.status() == null ? "UP" : p.status())
                    .field("summary", p.summary() == null ? "no health report (present)" : p.summary()).endObject();
        }
        j.endArray();
    }

    static void bus(Json j, Sources s) {
        if (s.bus() == null) {
            absent(j);
            return;
        }
        BusHealth h = s.bus().healthCheck();
        BusStats st = h.stats();
        Set<String> channels = new TreeSet<>(s.bus().channels());
        Map<String, Set<String>> links = s.bus().channelLinks();
        j.beginObject().field("present", true).field("healthy", h.healthy())
                .stringArray("warnings", h.warnings())
                .field("published", st.published()).field("delivered", st.delivered())
                .field("dropped", st.dropped()).field("expired", st.expired()).field("failed", st.failed())
                .field("retried", st.retried()).field("deadLettered", st.deadLettered())
                .field("activeSubscriptions", st.activeSubscriptions())
                .field("throughputPerSecond", st.throughputPerSecond())
                .field("avgLatencyNanos", st.avgLatencyNanos()).field("peakLatencyNanos", st.peakLatencyNanos())
                .field("p50LatencyNanos", st.p50LatencyNanos()).field("p99LatencyNanos", st.p99LatencyNanos())
                .field("p999LatencyNanos", st.p999LatencyNanos())
                .field("recentAvgLatencyNanos", st.recentAvgLatencyNanos())
                .field("recentP99LatencyNanos", st.recentP99LatencyNanos())
                .field("windowNanos", st.windowNanos())
                .stringArray("channels", channels);
        j.key("links").beginObject();
        for (Map.Entry<String, Set<String>> e : links.entrySet()) {
            j.stringArray(e.getKey(), new TreeSet<>(e.getValue()));
        }
        j.endObject().endObject();
    }

    static void subscriptions(Json j, Sources s, int max) {
        if (s.bus() == null) {
            absent(j);
            return;
        }
        List<SubscriptionInfo> all = new ArrayList<>(s.bus().activeSubscriptions());
        all.sort(Comparator.comparingInt(SubscriptionInfo::queued).reversed()
                .thenComparing(i -> String.valueOf(i.id())));
        j.beginObject().field("present", true).field("total", all.size())
                .field("listed", Math.min(max, all.size()));
        j.key("items").beginArray();
        for (SubscriptionInfo i : all.subList(0, Math.min(max, all.size()))) {
            j.beginObject().field("id", String.valueOf(i.id())).field("type", i.type())
                    .field("channel", i.channel()).field("owner", i.owner()).field("origin", i.origin())
                    .field("queued", i.queued()).field("capacity", i.capacity())
                    .field("delivered", i.delivered()).field("dropped", i.dropped()).endObject();
        }
        j.endArray().endObject();
    }

    static void deadLetters(Json j, Sources s, int max) {
        if (s.deadLetters() == null) {
            absent(j);
            return;
        }
        List<DeadLetterEntry> latest = s.deadLetters().latest(max);
        j.beginObject().field("present", true).key("latest").beginArray();
        for (DeadLetterEntry e : latest) {
            j.beginObject().field("sequence", e.sequence()).field("channel", e.channel())
                    .field("payloadType", e.payloadType()).field("reason", e.reason())
                    .field("subscription", e.subscription()).field("replayable", e.replayable())
                    .field("replayCount", e.replayCount()).endObject();
        }
        j.endArray().endObject();
    }

    static void scheduler(Json j, Sources s) {
        if (s.scheduler() == null) {
            absent(j);
            return;
        }
        SchedulerStats st = s.scheduler().stats();
        j.beginObject().field("present", true).field("load", st.load()).field("queued", st.queued())
                .field("running", st.running()).field("completed", st.completed()).field("missed", st.missed())
                .field("failed", st.failed()).field("hint", String.valueOf(st.hint()))
                .field("workers", st.workers()).field("configuredWorkers", st.configuredWorkers())
                .field("timeSource", st.timeSource());
        if (st.recent() != null) {
            j.key("recent").beginObject().field("windowNanos", st.recent().windowNanos())
                    .field("jobs", st.recent().jobs()).field("missed", st.recent().missed())
                    .field("failed", st.recent().failed()).field("missRate", st.recent().missRate()).endObject();
        }
        List<Map.Entry<String, Long>> misses = new ArrayList<>(st.missesByTask().entrySet());
        misses.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        j.key("missesByTask").beginObject();
        for (Map.Entry<String, Long> e : misses.subList(0, Math.min(20, misses.size()))) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject().endObject();
    }

    static void oracle(Json j, Sources s) {
        if (s.oracle() == null) {
            absent(j);
            return;
        }
        j.beginObject().field("present", true).field("hint", String.valueOf(s.oracle().currentHint()))
                .field("explanation", s.oracle().explanation()).endObject();
    }

    static void ledger(Json j, Sources s, boolean verify) {
        if (s.ledger() == null) {
            absent(j);
            return;
        }
        SignedTreeHead head = s.ledger().signedTreeHead();
        j.beginObject().field("present", true).field("size", head.treeSize())
                .field("root", HexFormat.of().formatHex(head.rootHash()))
                .field("timestamp", time(head.timestamp()))
                .field("signatureBytes", head.signature().length);
        if (verify) {
            VerificationReport r = s.ledger().verify();
            j.key("verification").beginObject().field("ok", r.ok()).field("entriesChecked", r.entriesChecked())
                    .field("headsChecked", r.headsChecked()).field("firstBadIndex", r.firstBadIndex())
                    .field("message", r.message()).endObject();
        }
        j.endObject();
    }

    static void time(Json j, Sources s) {
        j.beginObject();
        j.key("hlc");
        if (s.hlc() == null) {
            absent(j);
        } else {
            j.beginObject().field("present", true).field("current", time(s.hlc().current())).endObject();
        }
        j.key("source");
        TimeSource t = s.time();
        if (t == null) {
            absent(j);
        } else {
            j.beginObject().field("present", true).field("kind", t.kind())
                    .field("now", String.valueOf(t.now())).endObject();
        }
        j.endObject();
    }

    static void quantum(Json j, Sources s) {
        j.beginArray();
        for (QuantumSimulator q : s.quantum()) {
            j.beginObject().field("name", q.name()).field("maxQubits", q.maxQubits()).endObject();
        }
        j.endArray();
    }

    /** The channels whose latest payloads the C-LOGIC panel shows (patterns, affect, decisions). */
    static final List<String> CLOGIC_EVENT_CHANNELS = List.of(ClogicChannels.DRPP_PATTERNS, ClogicChannels.EMS_MODULATION,
            ClogicChannels.EGC_DECISIONS);

    static void clogic(Json j, Sources s, int maxEvents) {
        List<CognitiveModule> modules = s.modules();
        j.beginObject().field("present", s.clogic() != null || !modules.isEmpty())
                .field("coordinator", s.clogic() != null);
        j.key("modules").beginArray();
        List<CognitiveModule> sorted = new ArrayList<>(modules);
        sorted.sort(Comparator.comparing(m -> safeName(m)));
        for (CognitiveModule m : sorted) {
            Json part = new Json();
            try {
                ModuleState st = m.state();
                part.beginObject().field("name", m.name()).field("algorithm", m.algorithm())
                        .field("health", m.health().status().name()).field("activity", st.activity())
                        .field("processed", st.processed()).field("skipped", st.skipped())
                        .field("backlog", st.backlog()).field("lagNanos", st.lagNanos())
                        .stringArray("inputs", new TreeSet<>(m.inputChannels()))
                        .stringArray("outputs", new TreeSet<>(m.outputChannels()));
                part.key("metrics").beginObject();
                for (Map.Entry<String, Double> e : new java.util.TreeMap<>(st.metrics()).entrySet()) {
                    part.field(e.getKey(), e.getValue());
                }
                part.endObject().endObject();
                j.raw(part.toString());
            } catch (RuntimeException e) {
                j.beginObject().field("name", safeName(m)).field("health", "DOWN").field("error", e.toString()).endObject();
            }
        }
        j.endArray();
        j.key("links").beginArray();
        if (s.clogic() != null) {
            for (LinkStatus l : s.clogic().links()) {
                j.beginObject().field("from", l.from()).field("to", l.to()).field("active", l.active())
                        .field("forwarded", l.forwarded()).field("problem", l.problem()).endObject();
            }
        }
        j.endArray();
        j.key("events").beginObject();
        for (String channel : CLOGIC_EVENT_CHANNELS) {
            j.key(channel).beginArray();
            for (RecentEvents.Event e : s.events().latest(channel, maxEvents)) {
                j.beginObject().field("hlcPhysical", e.hlcPhysical()).field("type", e.type()).field("text", e.text())
                        .endObject();
            }
            j.endArray();
        }
        j.endObject().endObject();
    }

    private static String safeName(CognitiveModule m) {
        try {
            return m.name();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    static void compute(Json j, Sources s) {
        if (s.compute() == null) {
            absent(j);
            return;
        }
        j.beginObject().field("present", true).key("backends").beginArray();
        for (BackendStatus b : s.compute().backends()) {
            j.beginObject().field("kind", b.kind().name()).field("device", b.device()).field("available", b.available())
                    .field("reason", b.unavailableReason()).field("ops", b.supportedOps().size())
                    .field("bundle", b.bundle()).endObject();
        }
        j.endArray().endObject();
    }

    static void cluster(Json j, Sources s) {
        if (s.consensus() == null) {
            absent(j);
            return;
        }
        ClusterView v = s.consensus().view();
        j.beginObject().field("present", true).field("localNode", v.localNode())
                .field("leader", v.leader().orElse(null)).field("term", v.term())
                .field("commitIndex", s.consensus().commitIndex());
        j.key("members").beginArray();
        for (MemberStatus m : s.consensus().memberStatus()) {
            j.beginObject().field("member", m.member()).field("leader", m.leader()).field("logPosition", m.logPosition())
                    .field("lagBytes", m.lagBytes()).endObject();
        }
        j.endArray().endObject();
    }

    /**
     * The trace store: the latest traces (no id), or one trace's spans.
     *
     * @throws IllegalArgumentException naming a malformed trace id
     */
    static String traces(Sources s, int limit, String id) {
        Json j = new Json();
        if (s.traces() == null) {
            absent(j);
            return j.toString();
        }
        j.beginObject().field("present", true).field("recorded", s.traces().recorded())
                .field("capacity", s.traces().capacity());
        if (id == null) {
            j.key("recent").beginArray();
            for (io.chronofabric.api.trace.TraceStore.TraceSummary t : s.traces().recent(limit)) {
                j.beginObject().field("traceId", t.traceId()).field("spans", t.spans())
                        .field("durationNanos", Math.max(0, t.lastEndNanos() - t.firstStartNanos()))
                        .field("channels", t.channels()).field("errors", t.errors()).endObject();
            }
            j.endArray();
        } else {
            String traceId;
            try {
                traceId = id.contains("-") ? io.chronofabric.api.trace.TraceContext.parse(id).traceId() : id;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query parameter 'id': " + e.getMessage());
            }
            if (!traceId.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("query parameter 'id' must be a trace id of 32 hex digits, got '" + id + "'");
            }
            List<io.chronofabric.api.trace.Span> spans = s.traces().trace(traceId);
            long t0 = spans.stream().mapToLong(io.chronofabric.api.trace.Span::startNanos).min().orElse(0);
            j.field("traceId", traceId.toLowerCase(java.util.Locale.ROOT)).key("spans").beginArray();
            for (io.chronofabric.api.trace.Span sp : spans) {
                j.beginObject().field("name", sp.name()).field("spanId", sp.spanIdHex()).field("parentId", sp.parentIdHex())
                        .field("channel", sp.channel()).field("subscription", sp.subscription())
                        .field("messageId", new io.chronofabric.api.core.MessageId(sp.messageId()).toString())
                        .field("offsetNanos", sp.startNanos() - t0).field("durationNanos", sp.durationNanos())
                        .field("error", sp.error()).endObject();
            }
            j.endArray();
        }
        return j.endObject().toString();
    }

    private static String time(LogicalTime t) {
        return t == null ? null : t.toString();
    }
}
