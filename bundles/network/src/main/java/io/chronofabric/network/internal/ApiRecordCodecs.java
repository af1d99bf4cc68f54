package io.chronofabric.network.internal;

import static io.chronofabric.network.internal.RecordCodecs.codec;

import io.chronofabric.api.adp.AdpStats;
import io.chronofabric.api.adp.PlaceInfo;
import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeliveryGuarantee;
import io.chronofabric.api.bus.DeliveryOptions;
import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.BackendStatus;
import io.chronofabric.api.compute.ComputeResult;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.api.consensus.ClusterView;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Lease;
import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.MemberStatus;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.NanoTime;
import io.chronofabric.api.core.Priority;
import io.chronofabric.api.core.TaskId;
import io.chronofabric.api.ledger.ConsistencyProof;
import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.LedgerStats;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.ledger.VerificationReport;
import io.chronofabric.api.network.PayloadCodec;
import io.chronofabric.api.patterns.AppendResult;
import io.chronofabric.api.patterns.EventProof;
import io.chronofabric.api.patterns.ReplayedPacket;
import io.chronofabric.api.patterns.StoredEvent;
import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.Operation;
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeCheckpoint;
import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import io.chronofabric.network.internal.RecordCodecs.In;
import io.chronofabric.network.internal.RecordCodecs.Out;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Built-in codecs for the value records of the API that an application plausibly publishes on a
 * bridged channel: core ids and times, HLC timestamps, time checkpoints, trace contexts and spans,
 * ledger proofs, heads and stats, consensus values, leases and views, scheduler stats, ADP stats and
 * places, tensors and compute results, bus stats, health and dead-letter entries, event-store results
 * and proofs, quantum circuits and results. Layout as {@link RecordCodecs} (big-endian, fields in
 * record order, doubles as raw IEEE bits, strings UTF-8 with a length), plus: a nullable string as
 * length -1 when null, an int as 4 bytes, arrays as {@code [int n]} then elements, a nested record
 * inline, an Optional as a boolean then the value. Exact round trip: every value comes back equal
 * (doubles bit for bit); a string that is not valid Unicode is refused at encode (UTF-8 would alter it).
 * Bad bytes are refused naming the wire name and the type.
 *
 * <p>Not built in, on purpose: records that carry behaviour or an exception ({@code Task} has a
 * Runnable, {@code TaskOutcome} and {@code DeadLetter} a Throwable, {@code PhasePacket} is the
 * envelope itself), configuration ({@code ExecutionOptions}, {@code Subscription}), and the ADP remote
 * place's {@code ComputeCall} and {@code ExecutionResult}, which the ADP bundle registers itself.
 */
final class ApiRecordCodecs {

    private ApiRecordCodecs() {
    }

    private static final String P = "chronofabric.";

    static List<PayloadCodec<?>> all() {
        return List.of(
                // core
                codec(LogicalTime.class, P + "core.LogicalTime/1", (t, o) -> time(o, t), ApiRecordCodecs::time),
                codec(MessageId.class, P + "core.MessageId/1", (m, o) -> o.lng(m.value()), i -> new MessageId(i.lng())),
                codec(NanoTime.class, P + "core.NanoTime/1", (t, o) -> o.lng(t.nanos()), i -> new NanoTime(i.lng())),
                codec(TaskId.class, P + "core.TaskId/1", (t, o) -> o.lng(t.value()), i -> new TaskId(i.lng())),
                codec(ComponentId.class, P + "core.ComponentId/1", (c, o) -> o.i32(c.value()), i -> new ComponentId(i.i32())),
                codec(Priority.class, P + "core.Priority/1", (p, o) -> o.enumeration(p), i -> i.enumeration(Priority.class)),
                codec(HealthStatus.class, P + "core.HealthStatus/1", (p, o) -> o.enumeration(p), i -> i.enumeration(HealthStatus.class)),
                codec(HealthReport.class, P + "core.HealthReport/1", (h, o) -> o.enumeration(h.status()).str(h.summary()).strs(h.details()),
                        i -> new HealthReport(i.enumeration(HealthStatus.class), i.str(), i.strs())),
                // time
                codec(TimeCheckpoint.class, P + "time.TimeCheckpoint/1",
                        (c, o) -> o.str(c.name()).lng(c.nanos()).lng(c.sequence()).lng(c.sourceId()),
                        i -> new TimeCheckpoint(i.str(), i.lng(), i.lng(), i.lng())),
                codec(QuantumOffset.class, P + "time.QuantumOffset/1",
                        (q, o) -> o.dbl(q.amplitudeNanos()).dbl(q.frequencyHz()).dbl(q.phaseRadians()),
                        i -> new QuantumOffset(i.dbl(), i.dbl(), i.dbl())),
                // trace
                codec(TraceContext.class, P + "trace.TraceContext/1", (t, o) -> trace(o, t), ApiRecordCodecs::trace),
                codec(Span.class, P + "trace.Span/1", (s, o) -> trace(o, s.trace()).lng(s.spanId()).lng(s.parentSpanId()).str(s.name())
                        .nstr(s.channel()).nstr(s.subscription()).lng(s.messageId()).lng(s.startNanos()).lng(s.durationNanos())
                        .nstr(s.error()),
                        i -> new Span(trace(i), i.lng(), i.lng(), i.str(), i.nstr(), i.nstr(), i.lng(), i.lng(), i.lng(), i.nstr())),
                // ledger
                codec(SignedTreeHead.class, P + "ledger.SignedTreeHead/1", (h, o) -> head(o, h), ApiRecordCodecs::head),
                codec(InclusionProof.class, P + "ledger.InclusionProof/1", (p, o) -> inclusion(o, p), ApiRecordCodecs::inclusion),
                codec(ConsistencyProof.class, P + "ledger.ConsistencyProof/1",
                        (p, o) -> o.lng(p.oldSize()).lng(p.newSize()).byteList(p.path()),
                        i -> new ConsistencyProof(i.lng(), i.lng(), i.byteList())),
                codec(VerificationReport.class, P + "ledger.VerificationReport/1",
                        (r, o) -> o.bool(r.ok()).lng(r.entriesChecked()).lng(r.headsChecked()).lng(r.firstBadIndex()).nstr(r.message()),
                        i -> new VerificationReport(i.bool(), i.lng(), i.lng(), i.lng(), i.nstr())),
                codec(LedgerStats.class, P + "ledger.LedgerStats/1",
                        (s, o) -> o.lng(s.appendCalls()).lng(s.entries()).lng(s.fsyncs()).lngs(s.latencyUpperBoundsNanos())
                                .lngs(s.latencyCounts()).lng(s.latencySumNanos()),
                        i -> new LedgerStats(i.lng(), i.lng(), i.lng(), i.lngs(), i.lngs(), i.lng())),
                // consensus
                codec(CommittedValue.class, P + "consensus.CommittedValue/1", (v, o) -> o.lng(v.index()).lng(v.term()).bytes(v.value()),
                        i -> new CommittedValue(i.lng(), i.lng(), i.bytes())),
                codec(LedgerAppend.class, P + "consensus.LedgerAppend/1", (a, o) -> o.lng(a.index()).lng(a.term()).bytes(a.rootHash()),
                        i -> new LedgerAppend(i.lng(), i.lng(), i.bytes())),
                codec(Lease.class, P + "consensus.Lease/1", (l, o) -> o.str(l.name()).str(l.owner()).lng(l.fencingToken())
                        .lng(l.expiresAtMillis()), i -> new Lease(i.str(), i.str(), i.lng(), i.lng())),
                codec(MemberStatus.class, P + "consensus.MemberStatus/1",
                        (m, o) -> o.str(m.member()).bool(m.leader()).lng(m.logPosition()).lng(m.lagBytes()),
                        i -> new MemberStatus(i.str(), i.bool(), i.lng(), i.lng())),
                codec(ClusterView.class, P + "consensus.ClusterView/1", (v, o) -> {
                    o.nstr(v.localNode()).bool(v.leader().isPresent());
                    v.leader().ifPresent(o::str);
                    o.strs(List.copyOf(v.members())).lng(v.term());
                }, i -> {
                    String local = i.nstr();
                    Optional<String> leader = i.bool() ? Optional.of(i.str()) : Optional.empty();
                    List<String> members = i.strs();
                    Set<String> set = Set.copyOf(members);
                    if (set.size() != members.size()) {
                        throw new IllegalArgumentException("the members list a member twice: " + members);
                    }
                    return new ClusterView(local, leader, set, i.lng());
                }),
                // scheduler
                codec(SchedulerStats.class, P + "scheduler.SchedulerStats/1", (s, o) -> o.dbl(s.load()).i32(s.queued()).i32(s.running())
                        .lng(s.completed()).lng(s.missed()).lng(s.failed()).longs(s.missesByTask()).enumeration(s.hint()).i32(s.workers())
                        .i32(s.configuredWorkers()).lng(s.workersReplaced()).str(s.timeSource()).lng(s.recent().windowNanos())
                        .lng(s.recent().jobs()).lng(s.recent().missed()).lng(s.recent().failed()).texts(s.refusedTasks()),
                        i -> new SchedulerStats(i.dbl(), i.i32(), i.i32(), i.lng(), i.lng(), i.lng(), i.longs(),
                                i.enumeration(OptimizationHint.class), i.i32(), i.i32(), i.lng(), i.str(),
                                new SchedulerStats.Window(i.lng(), i.lng(), i.lng(), i.lng()), i.texts())),
                // adp
                codec(AdpStats.class, P + "adp.AdpStats/1", (s, o) -> o.str(s.policy()).lng(s.submitted()).lng(s.completed())
                        .lng(s.failed()).lng(s.deadlineMisses()).lng(s.rejected()).i32(s.inFlight()).dbl(s.regret()).dbl(s.exploration())
                        .lng(s.contextual()).str(s.lastChoice()),
                        i -> new AdpStats(i.str(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.i32(), i.dbl(), i.dbl(), i.lng(), i.str())),
                codec(PlaceInfo.class, P + "adp.PlaceInfo/1", (p, o) -> o.str(p.name()).str(p.kind()).bool(p.eligible()).str(p.status())
                        .lng(p.choices()).dbl(p.meanReward()).dbl(p.meanLatencyNanos()).lng(p.failures()).lng(p.deadlineMisses())
                        .i32(p.inFlight()).i32(p.queueLength()),
                        i -> new PlaceInfo(i.str(), i.str(), i.bool(), i.str(), i.lng(), i.dbl(), i.dbl(), i.lng(), i.lng(), i.i32(),
                                i.i32())),
                // compute
                codec(Tensor.class, P + "compute.Tensor/1", ApiRecordCodecs::tensor, ApiRecordCodecs::tensor),
                codec(ModuleSource.class, P + "compute.ModuleSource/1", (m, o) -> o.str(m.name()).str(m.language()).str(m.text()),
                        i -> new ModuleSource(i.str(), i.str(), i.str())),
                codec(ComputeResult.class, P + "compute.ComputeResult/1", (r, o) -> {
                    o.count(r.outputs().size());
                    r.outputs().forEach((k, v) -> o.str(k).dbls(v));
                    o.lng(r.elapsedNanos());
                }, i -> {
                    int n = i.count(8);
                    Map<String, double[]> out = new LinkedHashMap<>();
                    for (int k = 0; k < n; k++) {
                        String name = i.str();
                        if (out.put(name, i.dbls()) != null) {
                            throw new IllegalArgumentException("output '" + name + "' is there twice");
                        }
                    }
                    return new ComputeResult(out, i.lng());
                }),
                codec(BackendStatus.class, P + "compute.BackendStatus/1", (b, o) -> o.enumeration(b.kind()).str(b.device())
                        .bool(b.available()).str(b.unavailableReason()).strs(List.copyOf(b.supportedOps())).str(b.bundle()),
                        i -> new BackendStatus(i.enumeration(BackendKind.class), i.str(), i.bool(), i.str(), uniqueSet(i.strs(), "op"),
                                i.str())),
                // bus
                codec(BusStats.class, P + "bus.BusStats/1", (s, o) -> stats(o, s), ApiRecordCodecs::stats),
                codec(BusHealth.class, P + "bus.BusHealth/1", (h, o) -> stats(o.bool(h.healthy()), h.stats()).strs(h.warnings())
                        .lng(h.timestampNanos()), i -> new BusHealth(i.bool(), stats(i), i.strs(), i.lng())),
                codec(DeliveryOptions.class, P + "bus.DeliveryOptions/1", (d, o) -> delivery(o, d), ApiRecordCodecs::delivery),
                codec(DeadLetterEntry.class, P + "bus.DeadLetterEntry/1", (e, o) -> {
                    o.lng(e.sequence()).lng(e.messageIdValue()).nstr(e.channel()).str(e.payloadType()).str(e.payloadText())
                            .i32(e.source().value()).enumeration(e.priority());
                    delivery(o, e.delivery()).lng(e.targetMask()).str(e.reason()).nstr(e.subscription()).nstr(e.cause())
                            .bool(e.timestamp() != null);
                    if (e.timestamp() != null) {
                        time(o, e.timestamp());
                    }
                    o.lng(e.recordedAtNanos()).bool(e.replayable()).nstr(e.notReplayableReason()).i32(e.replayCount())
                            .lng(e.replayedAtNanos()).bool(e.replayedAs() != null);
                    if (e.replayedAs() != null) {
                        o.lng(e.replayedAs().value());
                    }
                }, i -> new DeadLetterEntry(i.lng(), i.lng(), i.nstr(), i.str(), i.str(), new ComponentId(i.i32()),
                        i.enumeration(Priority.class), delivery(i), i.lng(), i.str(), i.nstr(), i.nstr(), i.bool() ? time(i) : null,
                        i.lng(), i.bool(), i.nstr(), i.i32(), i.lng(), i.bool() ? new MessageId(i.lng()) : null)),
                // patterns
                codec(AppendResult.class, P + "patterns.AppendResult/1",
                        (a, o) -> o.nstr(a.stream()).lng(a.version()).lng(a.firstLedgerIndex()).i32(a.count()),
                        i -> new AppendResult(i.nstr(), i.lng(), i.lng(), i.i32())),
                codec(EventProof.class, P + "patterns.EventProof/1", (p, o) -> {
                    StoredEvent e = p.event();
                    o.str(e.stream()).lng(e.version()).lng(e.ledgerIndex()).str(e.type()).bytes(e.data()).bytes(p.entry());
                    inclusion(head(o, p.treeHead()), p.inclusion());
                }, i -> new EventProof(new StoredEvent(i.str(), i.lng(), i.lng(), i.str(), i.bytes()), i.bytes(), head(i),
                        inclusion(i))),
                codec(ReplayedPacket.class, P + "patterns.ReplayedPacket/1", (r, o) -> time(o.str(r.channel()).lng(r.ledgerIndex()),
                        r.originalTime()).lng(r.originalMessageId()).str(r.payloadType()).bytes(r.payload()),
                        i -> new ReplayedPacket(i.str(), i.lng(), time(i), i.lng(), i.str(), i.bytes())),
                // quantum
                codec(Circuit.class, P + "quantum.Circuit/1", ApiRecordCodecs::circuit, ApiRecordCodecs::circuit),
                codec(QuantumResult.class, P + "quantum.QuantumResult/1", (r, o) -> {
                    o.i32(r.qubits()).i32(r.shots()).lng(r.seed()).longs(r.counts()).bool(r.hasState());
                    if (r.hasState()) {
                        o.dbls(r.stateReal()).dbls(r.stateImag());
                    }
                    o.lng(r.gateNanos()).lng(r.samplingNanos());
                }, i -> {
                    int qubits = i.i32();
                    int shots = i.i32();
                    long seed = i.lng();
                    Map<String, Long> counts = i.longs();
                    boolean state = i.bool();
                    double[] re = state ? i.dbls() : null;
                    double[] im = state ? i.dbls() : null;
                    return new QuantumResult(qubits, shots, seed, counts, re, im, i.lng(), i.lng());
                }));
    }

    private static Out time(Out o, LogicalTime t) {
        return o.lng(t.physical()).lng(t.logical()).i32(t.nodeId());
    }

    private static LogicalTime time(In i) {
        return new LogicalTime(i.lng(), i.lng(), i.i32());
    }

    private static Out trace(Out o, TraceContext t) {
        return o.lng(t.traceIdHigh()).lng(t.traceIdLow()).lng(t.spanId()).i32(t.flags());
    }

    private static TraceContext trace(In i) {
        return new TraceContext(i.lng(), i.lng(), i.lng(), i.i32());
    }

    private static Out head(Out o, SignedTreeHead h) {
        return time(o.lng(h.treeSize()).bytes(h.rootHash()), h.timestamp()).bytes(h.signature());
    }

    private static SignedTreeHead head(In i) {
        return new SignedTreeHead(i.lng(), i.bytes(), time(i), i.bytes());
    }

    private static Out inclusion(Out o, InclusionProof p) {
        return o.lng(p.leafIndex()).lng(p.treeSize()).byteList(p.path());
    }

    private static InclusionProof inclusion(In i) {
        return new InclusionProof(i.lng(), i.lng(), i.byteList());
    }

    private static Out delivery(Out o, DeliveryOptions d) {
        return o.enumeration(d.guarantee()).i32(d.maxRetries()).lng(d.timeoutNanos());
    }

    private static DeliveryOptions delivery(In i) {
        return new DeliveryOptions(i.enumeration(DeliveryGuarantee.class), i.i32(), i.lng());
    }

    private static Out stats(Out o, BusStats s) {
        return o.lng(s.published()).lng(s.delivered()).lng(s.dropped()).lng(s.expired()).lng(s.failed()).lng(s.retried())
                .lng(s.deadLettered()).lng(s.activeSubscriptions()).lng(s.avgLatencyNanos()).lng(s.peakLatencyNanos())
                .lng(s.p50LatencyNanos()).lng(s.p99LatencyNanos()).lng(s.p999LatencyNanos()).lng(s.throughputPerSecond())
                .lng(s.recentAvgLatencyNanos()).lng(s.recentP99LatencyNanos()).lng(s.windowNanos()).lng(s.takenAtNanos());
    }

    private static BusStats stats(In i) {
        return new BusStats(i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng(),
                i.lng(), i.lng(), i.lng(), i.lng(), i.lng(), i.lng());
    }

    private static Set<String> uniqueSet(List<String> list, String what) {
        Set<String> set = Set.copyOf(list);
        if (set.size() != list.size()) {
            throw new IllegalArgumentException("an " + what + " is listed twice: " + list);
        }
        return set;
    }

    /** Element type, shape, then the elements in their own width: f32 as raw float bits, f64 as raw double bits. */
    private static void tensor(Tensor t, Out o) {
        o.enumeration(t.elementType()).ints(t.shape());
        switch (t.elementType()) {
            case F32 -> {
                float[] v = t.toFloatArray();
                o.count(v.length);
                for (float x : v) {
                    o.i32(Float.floatToRawIntBits(x));
                }
            }
            case F64 -> o.dbls(t.toDoubleArray());
            case I32 -> o.ints(t.toIntArray());
            case I64, INDEX -> o.lngs(t.toLongArray());
            case I1 -> {
                boolean[] v = t.toBooleanArray();
                o.count(v.length);
                for (boolean x : v) {
                    o.bool(x);
                }
            }
            default -> throw new IllegalArgumentException("element type " + t.elementType() + " has no wire form");
        }
    }

    private static Tensor tensor(In i) {
        ElementType type = i.enumeration(ElementType.class);
        int[] shape = i.ints();
        return switch (type) {
            case F32 -> {
                float[] v = new float[i.count(4)];
                for (int k = 0; k < v.length; k++) {
                    v[k] = Float.intBitsToFloat(i.i32());
                }
                yield Tensor.wrapFloats(shape, v);
            }
            case F64 -> Tensor.wrapDoubles(shape, i.dbls());
            case I32 -> Tensor.wrapInts(shape, i.ints());
            case I64, INDEX -> Tensor.wrapLongs(type, shape, i.lngs());
            case I1 -> {
                boolean[] v = new boolean[i.count(1)];
                for (int k = 0; k < v.length; k++) {
                    v[k] = i.bool();
                }
                yield Tensor.wrapBooleans(shape, v);
            }
        };
    }

    /** Name, qubits, classical bits, then each operation: kind, gate (GATE only), qubits, parameters, classical bit. */
    private static void circuit(Circuit c, Out o) {
        o.str(c.name()).i32(c.qubits()).i32(c.classicalBits()).count(c.operations().size());
        for (Operation op : c.operations()) {
            o.enumeration(op.kind());
            if (op.kind() == Operation.Kind.GATE) {
                o.enumeration(op.gate());
            }
            o.ints(op.qubits()).dbls(op.parameters()).i32(op.classicalBit());
        }
    }

    private static Circuit circuit(In i) {
        String name = i.str();
        Circuit.Builder b = Circuit.builder(i.i32(), i.i32()).name(name);
        int n = i.count(20);
        for (int k = 0; k < n; k++) {
            Operation.Kind kind = i.enumeration(Operation.Kind.class);
            Gate gate = kind == Operation.Kind.GATE ? i.enumeration(Gate.class) : null;
            int[] qubits = i.ints();
            double[] params = i.dbls();
            int classical = i.i32();
            switch (kind) {
                case GATE -> b.gate(gate, params, qubits);
                case MEASURE -> {
                    if (qubits.length != 1) {
                        throw new IllegalArgumentException("operation " + k + ": a measurement of " + qubits.length + " qubits");
                    }
                    b.measure(qubits[0], classical);
                }
                case BARRIER -> b.barrier(qubits);
                default -> throw new IllegalArgumentException("operation " + k + " of kind " + kind);
            }
        }
        return b.build();
    }
}
