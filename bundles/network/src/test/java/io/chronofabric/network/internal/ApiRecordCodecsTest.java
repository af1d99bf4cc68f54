package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.chronofabric.api.quantum.QuantumResult;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.SchedulerStats;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeCheckpoint;
import io.chronofabric.api.trace.Span;
import io.chronofabric.api.trace.TraceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in codecs of {@link ApiRecordCodecs}: one round trip per codec with edge values (NaN with
 * a payload, infinities, -0.0, Long.MIN/MAX, empty and long multi-byte strings, empty and nullable
 * fields, the largest ids), every truncation and a trailing byte refused naming the type, values the
 * record refuses refused naming the type.
 */
class ApiRecordCodecsTest {

    private static final double ODD_NAN = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
    /** Multi-byte UTF-8 (2, 3 and 4 bytes) in a string longer than 64 KiB once encoded. */
    private static final String LONG = "é€😀x".repeat(10_000);
    private static final byte[] HASH = new byte[32];

    static {
        Arrays.fill(HASH, (byte) 0xAB);
    }

    private final CodecRegistry registry = new CodecRegistry();

    private static final LogicalTime MAX_TIME = new LogicalTime(Long.MAX_VALUE, LogicalTime.MAX_LOGICAL, LogicalTime.MAX_NODE_ID);
    private static final TraceContext TRACE = new TraceContext(-1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFF);
    private static final BusStats STATS = new BusStats(Long.MAX_VALUE, 0, -1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            Long.MIN_VALUE);

    private static Map<String, Double> doubles() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nan", ODD_NAN);
        return m;
    }

    /**
     * Samples per built-in type; {@code true} where a re-encoding must give the same bytes (no set or
     * map whose order the record does not keep).
     */
    static Stream<Arguments> samples() {
        List<Arguments> a = new ArrayList<>();
        // core
        a.add(Arguments.of(LogicalTime.ZERO, true));
        a.add(Arguments.of(MAX_TIME, true));
        a.add(Arguments.of(new MessageId(Long.MIN_VALUE), true));
        a.add(Arguments.of(MessageId.of(LogicalTime.MAX_NODE_ID, MessageId.MAX_SEQUENCE), true));
        a.add(Arguments.of(new NanoTime(Long.MAX_VALUE), true));
        a.add(Arguments.of(new TaskId(0), true));
        a.add(Arguments.of(ComponentId.of(ComponentId.MAX_COMPONENTS - 1), true));
        a.add(Arguments.of(Priority.CRITICAL, true));
        a.add(Arguments.of(HealthStatus.DEGRADED, true));
        a.add(Arguments.of(new HealthReport(HealthStatus.DOWN, "", List.of("", LONG)), true));
        // time
        a.add(Arguments.of(new TimeCheckpoint("", Long.MIN_VALUE, Long.MAX_VALUE, -1), true));
        a.add(Arguments.of(new QuantumOffset(Double.MAX_VALUE, Double.MIN_VALUE, -0.0), true));
        a.add(Arguments.of(new QuantumOffset(-0.0, 0, -Double.MAX_VALUE), true));
        // trace
        a.add(Arguments.of(TRACE, true));
        a.add(Arguments.of(new Span(TRACE, -1, 0, "", null, null, Long.MIN_VALUE, Long.MAX_VALUE, 0, null), true));
        a.add(Arguments.of(new Span(TRACE, 1, 2, LONG, "ch", "sub", 3, 4, Long.MAX_VALUE, "boom: " + LONG), true));
        // ledger
        a.add(Arguments.of(new SignedTreeHead(0, new byte[0], LogicalTime.ZERO, new byte[0]), true));
        a.add(Arguments.of(new SignedTreeHead(Long.MAX_VALUE, HASH, MAX_TIME, new byte[64]), true));
        a.add(Arguments.of(new InclusionProof(0, 1, List.of()), true));
        a.add(Arguments.of(new InclusionProof(Long.MAX_VALUE - 1, Long.MAX_VALUE, List.of(HASH, new byte[0], HASH)), true));
        a.add(Arguments.of(new ConsistencyProof(1, Long.MAX_VALUE, List.of(HASH, new byte[] {0})), true));
        a.add(Arguments.of(new VerificationReport(true, 0, 0, -1, null), true));
        a.add(Arguments.of(new VerificationReport(false, Long.MAX_VALUE, 1, 7, ""), true));
        a.add(Arguments.of(LedgerStats.NONE, true));
        a.add(Arguments.of(new LedgerStats(1, 2, 3, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, new long[] {1, 2, 3, -1},
                Long.MAX_VALUE), true));
        // consensus
        a.add(Arguments.of(new CommittedValue(0, 0, new byte[0]), true));
        a.add(Arguments.of(new CommittedValue(Long.MAX_VALUE, Long.MAX_VALUE, LONG.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                true));
        a.add(Arguments.of(new LedgerAppend(Long.MAX_VALUE, 0, HASH), true));
        a.add(Arguments.of(new Lease("lock/" + LONG, "node-1", Long.MAX_VALUE, Long.MIN_VALUE), true));
        a.add(Arguments.of(new MemberStatus("", true, -1, Long.MAX_VALUE), true));
        a.add(Arguments.of(new ClusterView("n1", Optional.empty(), Set.of(), 0), true));
        a.add(Arguments.of(new ClusterView(null, Optional.of("n2"), Set.of("n1", "n2", "n3", ""), Long.MAX_VALUE), false));
        // scheduler
        a.add(Arguments.of(new SchedulerStats(ODD_NAN, 0, Integer.MAX_VALUE, 1, 2, 3, Map.of(), OptimizationHint.MINIMIZE_LATENCY,
                Integer.MIN_VALUE, 0, Long.MAX_VALUE, "", new SchedulerStats.Window(0, 0, 0, 0), Map.of()), true));
        a.add(Arguments.of(new SchedulerStats(Double.POSITIVE_INFINITY, 1, 2, 3, 4, 5, Map.of("a", Long.MIN_VALUE, "", 0L),
                OptimizationHint.MAXIMIZE_THROUGHPUT, 1, 2, 3, SchedulerStats.NO_TIME_SOURCE,
                new SchedulerStats.Window(Long.MAX_VALUE, 1, 2, -1), Map.of("t", LONG, "u", "")), false));
        // adp
        a.add(Arguments.of(new AdpStats("", 0, 0, 0, 0, 0, 0, ODD_NAN, Double.NEGATIVE_INFINITY, Long.MAX_VALUE, ""), true));
        a.add(Arguments.of(new AdpStats("ucb1", Long.MAX_VALUE, 1, 2, 3, 4, Integer.MAX_VALUE, -0.0, Double.MIN_VALUE, -1, LONG), true));
        a.add(Arguments.of(new PlaceInfo("", "", false, "", 0, ODD_NAN, Double.POSITIVE_INFINITY, 0, 0, 0, 0), true));
        a.add(Arguments.of(new PlaceInfo("gpu0", "remote", true, LONG, Long.MAX_VALUE, -0.0, Double.MAX_VALUE, -1, 1,
                Integer.MIN_VALUE, Integer.MAX_VALUE), true));
        // compute
        a.add(Arguments.of(Tensor.ofFloats(new int[] {2, 2}, Float.intBitsToFloat(0x7fc0_beef), Float.NEGATIVE_INFINITY, -0.0f,
                Float.MIN_VALUE), true));
        a.add(Arguments.of(Tensor.ofDoubles(new int[] {3}, ODD_NAN, Double.POSITIVE_INFINITY, -0.0), true));
        a.add(Arguments.of(Tensor.ofDoubles(new int[] {0, 5}), true));
        a.add(Arguments.of(Tensor.scalar(ElementType.F64, Double.MAX_VALUE), true));
        a.add(Arguments.of(Tensor.ofInts(new int[] {2}, Integer.MIN_VALUE, Integer.MAX_VALUE), true));
        a.add(Arguments.of(Tensor.ofLongs(new int[] {2}, Long.MIN_VALUE, Long.MAX_VALUE), true));
        a.add(Arguments.of(Tensor.ofIndices(new int[] {1, 1}, Long.MAX_VALUE), true));
        a.add(Arguments.of(Tensor.ofBooleans(new int[] {3}, true, false, true), true));
        a.add(Arguments.of(new ModuleSource("", "mlir", ""), true));
        a.add(Arguments.of(new ModuleSource("m", "mlir", LONG), true));
        a.add(Arguments.of(new ComputeResult(Map.of(), Long.MIN_VALUE), true));
        a.add(Arguments.of(new ComputeResult(Map.of("y", new double[] {ODD_NAN, -0.0}, "", new double[0]), Long.MAX_VALUE), false));
        a.add(Arguments.of(new BackendStatus(BackendKind.OPENCL, null, false, null, Set.of(), null), true));
        a.add(Arguments.of(new BackendStatus(BackendKind.CPU, "cpu0", true, "", Set.of("arith.addf", "linalg.matmul", ""), LONG),
                false));
        // bus
        a.add(Arguments.of(STATS, true));
        a.add(Arguments.of(new BusHealth(false, STATS, List.of(), 0), true));
        a.add(Arguments.of(new BusHealth(true, STATS, List.of(LONG, ""), Long.MAX_VALUE), true));
        a.add(Arguments.of(DeliveryOptions.BEST_EFFORT, true));
        a.add(Arguments.of(new DeliveryOptions(DeliveryGuarantee.GUARANTEED, 255, Long.MAX_VALUE), true));
        a.add(Arguments.of(new DeadLetterEntry(0, -1, null, "", "", ComponentId.SYSTEM, Priority.LOW, DeliveryOptions.BEST_EFFORT, 0,
                "", null, null, null, 0, false, null, 0, 0, null), true));
        a.add(Arguments.of(new DeadLetterEntry(Long.MAX_VALUE, Long.MIN_VALUE, "orders", "java.lang.String", LONG,
                ComponentId.of(63), Priority.CRITICAL, new DeliveryOptions(DeliveryGuarantee.GUARANTEED, 255, 1), -1L, "timeout",
                "sub-1", "java.lang.IllegalStateException: x", MAX_TIME, Long.MAX_VALUE, true, "", Integer.MAX_VALUE, -1,
                new MessageId(Long.MAX_VALUE)), true));
        // patterns
        StoredEvent event = new StoredEvent("s", Long.MAX_VALUE, 0, "", new byte[0]);
        a.add(Arguments.of(new AppendResult(null, 0, -1, 0), true));
        a.add(Arguments.of(new AppendResult(LONG, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE), true));
        a.add(Arguments.of(new EventProof(event, new byte[0], new SignedTreeHead(1, HASH, MAX_TIME, new byte[0]),
                new InclusionProof(0, 1, List.of())), true));
        a.add(Arguments.of(new EventProof(new StoredEvent(LONG, 1, 2, "t", HASH), HASH, new SignedTreeHead(3, HASH, LogicalTime.ZERO,
                HASH), new InclusionProof(2, 3, List.of(HASH, HASH))), true));
        a.add(Arguments.of(new ReplayedPacket("", 0, LogicalTime.ZERO, Long.MIN_VALUE, "", new byte[0]), true));
        a.add(Arguments.of(new ReplayedPacket("orders", Long.MAX_VALUE, MAX_TIME, -1, "java.lang.String", HASH), true));
        // quantum
        a.add(Arguments.of(Circuit.builder(1, 0).build(), true));
        a.add(Arguments.of(Circuit.builder(3).name("bell+" + LONG).h(0).cnot(0, 1).u(Double.MAX_VALUE, -0.0, Double.MIN_VALUE, 2)
                .barrier().toffoli(0, 1, 2).barrier(0, 2).measure(0, 0).measure(1, 2).build(), true));
        a.add(Arguments.of(Circuit.builder(io.chronofabric.api.quantum.Circuit.MAX_QUBITS).h(1023).measure(1023, 1023).build(), true));
        a.add(Arguments.of(new QuantumResult(0, 0, Long.MIN_VALUE, Map.of(), null, null, 0, 0), true));
        a.add(Arguments.of(new QuantumResult(2, Integer.MAX_VALUE, Long.MAX_VALUE, Map.of("00", Long.MAX_VALUE, "11", 0L),
                new double[] {ODD_NAN, -0.0, Double.POSITIVE_INFINITY, 1}, new double[] {0, 0, 0, Double.MIN_VALUE}, -1,
                Long.MAX_VALUE), true));
        return a.stream();
    }

    @SuppressWarnings("unchecked")
    private <T> PayloadCodec<T> codecOf(T payload) {
        PayloadCodec<T> sender = registry.forPayload(payload, "test");
        assertThat(registry.forName(sender.name())).as("the receiver finds %s by name", sender.name()).isSameAs(sender);
        return sender;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldRoundTripExactly(Object value, boolean sameBytes) {
        PayloadCodec<Object> c = codecOf(value);
        byte[] bytes = c.encode(value);
        Object back = c.decode(bytes);
        assertThat(back).isExactlyInstanceOf(value.getClass());
        // field by field, every double and float bit for bit (NaN payloads, -0.0)
        assertThat(back).usingRecursiveComparison()
                .withComparatorForType((x, y) -> Long.compare(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(y)), Double.class)
                .withComparatorForType((x, y) -> Integer.compare(Float.floatToRawIntBits(x), Float.floatToRawIntBits(y)), Float.class)
                .isEqualTo(value);
        if (!(value instanceof Tensor || value instanceof Circuit || value instanceof QuantumResult || value instanceof LedgerStats
                || value instanceof SignedTreeHead || value instanceof InclusionProof || value instanceof ConsistencyProof
                || value instanceof CommittedValue || value instanceof LedgerAppend || value instanceof EventProof
                || value instanceof ReplayedPacket || value instanceof ComputeResult || value instanceof Span)) {
            assertThat(back).isEqualTo(value); // records with value equality
        } else if (value instanceof Tensor || value instanceof CommittedValue || value instanceof LedgerAppend) {
            assertThat(back).isEqualTo(value); // their own equals
        }
        if (sameBytes) {
            // the same bytes again: every double and float came back bit for bit (NaN payloads, -0.0)
            assertThat(c.encode(back)).isEqualTo(bytes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldRefuseEveryTruncationAndATrailingByteNamingTheType(Object value, boolean sameBytes) {
        PayloadCodec<Object> c = codecOf(value);
        byte[] full = c.encode(value);
        // every cut for frames up to 4 KiB, else the first 512 cuts and every 97th
        for (int n = 0; n < full.length; n += full.length <= 4096 || n < 512 ? 1 : 97) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> c.decode(cut)).as("%s cut to %d of %d bytes", c.name(), n, full.length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(value.getClass().getName()).hasMessageContaining(c.name());
        }
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThatThrownBy(() -> c.decode(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(value.getClass().getName()).hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> c.decode(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(value.getClass().getName());
    }

    @Test
    void shouldHaveSamplesForEveryBuiltInApiCodecNamedByPackageAndType() {
        Set<Class<?>> sampled = samples().map(a -> a.get()[0].getClass()).collect(Collectors.toSet());
        for (PayloadCodec<?> c : ApiRecordCodecs.all()) {
            assertThat(sampled).as("a sample of %s", c.type().getName()).contains(c.type());
            assertThat(c.name()).isEqualTo("chronofabric." + c.type().getPackageName().replace("io.chronofabric.api.", "") + "."
                    + c.type().getSimpleName() + "/1");
            assertThat(registry.forName(c.name())).as("registered: %s", c.name()).isNotNull();
        }
        assertThat(ApiRecordCodecs.all()).hasSize(sampled.size());
    }

    @Test
    void shouldRefuseValuesTheRecordRefusesNamingTheType() {
        PayloadCodec<LedgerAppend> append = codecOf(new LedgerAppend(0, 0, HASH));
        byte[] shortHash = new RecordCodecs.Out().lng(1).lng(1).bytes(new byte[31]).toArray();
        assertThatThrownBy(() -> append.decode(shortHash)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LedgerAppend.class.getName()).hasMessageContaining("must be 32 bytes: 31");
        PayloadCodec<Priority> priority = codecOf(Priority.LOW);
        byte[] unknown = new RecordCodecs.Out().str("URGENT").toArray();
        assertThatThrownBy(() -> priority.decode(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Priority.class.getName()).hasMessageContaining("'URGENT' is not a Priority");
        PayloadCodec<QuantumOffset> offset = codecOf(QuantumOffset.NONE);
        byte[] nan = new RecordCodecs.Out().dbl(Double.NaN).dbl(0).dbl(0).toArray();
        assertThatThrownBy(() -> offset.decode(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(QuantumOffset.class.getName()).hasMessageContaining("must be finite");
        PayloadCodec<Circuit> circuit = codecOf(Circuit.builder(1).build());
        byte[] measured = codecOf(Circuit.builder(1).measure(0, 0).build()).encode(Circuit.builder(1).measure(0, 0).build());
        assertThat(circuit.decode(measured).measurementCount()).isEqualTo(1);
        byte[] tooMany = new RecordCodecs.Out().str("").i32(Circuit.MAX_QUBITS + 1).i32(0).count(0).toArray();
        assertThatThrownBy(() -> circuit.decode(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Circuit.class.getName()).hasMessageContaining("qubits");
        PayloadCodec<ClusterView> view = codecOf(new ClusterView("a", Optional.empty(), Set.of(), 0));
        byte[] twice = new RecordCodecs.Out().str("a").bool(false).strs(List.of("b", "b")).lng(0).toArray();
        assertThatThrownBy(() -> view.decode(twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ClusterView.class.getName()).hasMessageContaining("twice");
        PayloadCodec<SchedulerStats> sched = codecOf(new SchedulerStats(0, 0, 0, 0, 0, 0, Map.of(), OptimizationHint.MINIMIZE_LATENCY,
                0, 0, 0, "", new SchedulerStats.Window(0, 0, 0, 0), Map.of()));
        byte[] dupKey = new RecordCodecs.Out().dbl(0).i32(0).i32(0).lng(0).lng(0).lng(0).count(2).str("k").lng(1).str("k").lng(2)
                .toArray();
        assertThatThrownBy(() -> sched.decode(dupKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SchedulerStats.class.getName()).hasMessageContaining("'k' is there twice");
    }

    @Test
    void shouldRefuseAtEncodeAStringThatIsNotValidUnicodeNamingTheType() {
        PayloadCodec<ModuleSource> c = codecOf(new ModuleSource("m", "mlir", ""));
        assertThatThrownBy(() -> c.encode(new ModuleSource("m", "mlir", "ok \uD800 lone")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ModuleSource.class.getName())
                .hasMessageContaining("lone surrogate (U+D800) at index 3");
        // a proper pair is fine
        assertThat(c.decode(c.encode(new ModuleSource("m", "mlir", "\uD83D\uDE00"))).text()).isEqualTo("😀");
        PayloadCodec<HealthReport> h = codecOf(HealthReport.up("x"));
        assertThatThrownBy(() -> h.encode(new HealthReport(HealthStatus.UP, "x", List.of("\uDC00"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(HealthReport.class.getName());
    }
}
