package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.clogic.AffectState;
import io.chronofabric.api.clogic.AppraisalEvent;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.api.clogic.LinkStatus;
import io.chronofabric.api.clogic.Modulation;
import io.chronofabric.api.clogic.ModuleMetrics;
import io.chronofabric.api.clogic.ModuleState;
import io.chronofabric.api.clogic.Pad;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.api.clogic.Sample;
import io.chronofabric.api.network.PayloadCodec;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.StoredEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecsTest {

    private final CodecRegistry registry = new CodecRegistry();

    private static final String UNICODE = "h\u00e9-\u4e2d-\uD83D\uDE00"; // 2-, 3- and 4-byte UTF-8

    private static Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("z", -0.0);
        m.put("max", Double.MAX_VALUE);
        m.put("min", Double.MIN_VALUE);
        m.put("a", -Double.MAX_VALUE);
        m.put(UNICODE, 1e-300);
        return m;
    }

    /** Every built-in record type, each with edge values (and empty strings, lists, maps where it allows them). */
    static List<Object> examples() {
        InputBinding auto = InputBinding.parse("x.in");
        return List.of(
                new Sample(UNICODE, Double.MAX_VALUE, Long.MAX_VALUE),
                new Sample("s", -0.0, 0),
                new Sample("s", -Double.MIN_VALUE, 1),
                new Pad(-1, 1, -0.0),
                new PatternEvent(PatternKind.RESONANCE, List.of("a", UNICODE), values(), 12, ""),
                new PatternEvent(PatternKind.DISCORD, List.of("only"), Map.of(), Long.MAX_VALUE, UNICODE + " detail\nline"),
                new GovernanceDecision("*", "fft", GovernanceAction.SET_RATE, 0.5, "", 7, "", Double.NaN, ""),
                new GovernanceDecision("m", "a", GovernanceAction.ALERT, 1, "why " + UNICODE, 9, "spec.1", Double.POSITIVE_INFINITY,
                        "G[0,5] (x < 3)"),
                new GovernanceDecision("m", "a", GovernanceAction.DISABLE, -Double.MAX_VALUE, "r", 0, "s", Double.NEGATIVE_INFINITY,
                        "F x"),
                new GovernanceDecision("m", "a", GovernanceAction.ENABLE, 0, "r", 0, "s", -0.0, ""),
                new Modulation("ems", new Pad(0.25, -1, 1), "joy", 1, 3),
                new Modulation("ems", Pad.NEUTRAL, "none", 0, 0),
                new ModuleMetrics("adp", values(), 5),
                new ModuleMetrics("adp", Map.of(), 0),
                new AppraisalEvent("self", "g", -1, 1, "", 0),
                new AppraisalEvent(UNICODE, "goal", 0.125, -0.0, "other", Long.MAX_VALUE),
                new AffectState("self", Map.of("joy", 0.0, "fear", 1e300), new Pad(1, 1, 1), new Pad(-1, -1, -1), Pad.NEUTRAL,
                        "joy", 0.5, 44),
                new AffectState("self", Map.of(), Pad.NEUTRAL, Pad.NEUTRAL, Pad.NEUTRAL, "none", 0, 0),
                new LinkStatus("a", "b", true, Long.MAX_VALUE, ""),
                new LinkStatus("a=b", UNICODE, false, -1, "problem " + UNICODE),
                new ModuleState("drpp", "", List.of(), -1, -1, -1, -1, Map.of()),
                new ModuleState("drpp", "running " + UNICODE,
                        List.of(auto, InputBinding.parse("y=number"), InputBinding.parse("z=sample"), InputBinding.parse("w=field:v")),
                        Long.MAX_VALUE, 0, 3, 4, values()),
                new EventData("t", new byte[0]),
                new EventData(UNICODE, new byte[] {0, -1, 127, -128}),
                new StoredEvent("", -1, Long.MIN_VALUE, "", new byte[0]),
                new StoredEvent("orders-" + UNICODE, 3, 99, "Placed", new byte[] {1, 2, 3}));
    }

    @SuppressWarnings("unchecked")
    private <T> PayloadCodec<T> codecOf(T payload) {
        PayloadCodec<T> sender = registry.forPayload(payload, "test");
        assertThat(registry.forName(sender.name())).as("the receiver finds %s by name", sender.name()).isSameAs(sender);
        return sender;
    }

    private <T> Object roundTrip(T payload) {
        PayloadCodec<T> c = codecOf(payload);
        return c.decode(c.encode(payload));
    }

    @Test
    void shouldRoundTripEveryBuiltInRecordExactly() {
        for (Object p : examples()) {
            Object back = roundTrip(p);
            assertThat(back).as("round trip of %s", p).isInstanceOf(p.getClass());
            if (p instanceof EventData e) {
                EventData b = (EventData) back;
                assertThat(b.type()).isEqualTo(e.type());
                assertThat(b.data()).isEqualTo(e.data());
            } else if (p instanceof StoredEvent e) {
                StoredEvent b = (StoredEvent) back;
                assertThat(List.of(b.stream(), b.version(), b.ledgerIndex(), b.type()))
                        .isEqualTo(List.of(e.stream(), e.version(), e.ledgerIndex(), e.type()));
                assertThat(b.data()).isEqualTo(e.data());
            } else {
                assertThat(back).as("round trip of %s", p).isEqualTo(p);
            }
        }
    }

    @Test
    void shouldKeepTheExactBitsOfDoublesAndTheOrderOfMaps() {
        double oddNan = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        GovernanceDecision d = new GovernanceDecision("m", "a", GovernanceAction.ALERT, 0, "", 0, "s", oddNan, "");
        GovernanceDecision back = (GovernanceDecision) roundTrip(d);
        assertThat(Double.doubleToRawLongBits(back.robustness())).isEqualTo(0x7ff8_0000_dead_beefL);
        Sample negZero = (Sample) roundTrip(new Sample("s", -0.0, 0));
        assertThat(Double.doubleToRawLongBits(negZero.value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        ModuleMetrics m = (ModuleMetrics) roundTrip(new ModuleMetrics("adp", values(), 5));
        assertThat(new ArrayList<>(m.values().keySet())).containsExactlyElementsOf(values().keySet());
        PatternEvent e = (PatternEvent) roundTrip(new PatternEvent(PatternKind.MOTIF, List.of("b", "a", "b"), values(), 1, ""));
        assertThat(e.streams()).containsExactly("b", "a", "b");
    }

    @Test
    void shouldNameEveryBuiltInRecordCodecWithAVersion() {
        for (Object p : examples()) {
            String name = codecOf(p).name();
            assertThat(name).as("codec of %s", p.getClass().getName())
                    .isEqualTo("chronofabric." + p.getClass().getPackageName().replace("io.chronofabric.api.", "") + "."
                            + p.getClass().getSimpleName() + "/1");
        }
    }

    @Test
    void shouldRefuseEveryTruncatedFrameNamingTheType() {
        for (Object p : examples()) {
            PayloadCodec<Object> c = codecOf(p);
            byte[] full = c.encode(p);
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                assertThatThrownBy(() -> c.decode(cut)).as("%s cut to %d of %d bytes", c.name(), n, full.length)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(p.getClass().getName()).hasMessageContaining(c.name());
            }
        }
    }

    @Test
    void shouldRefuseAFrameWithTrailingBytesNamingTheType() {
        for (Object p : examples()) {
            PayloadCodec<Object> c = codecOf(p);
            byte[] longer = Arrays.copyOf(c.encode(p), c.encode(p).length + 1);
            assertThatThrownBy(() -> c.decode(longer)).as("%s with one byte more", c.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(p.getClass().getName()).hasMessageContaining("1 trailing bytes");
        }
    }

    @Test
    void shouldRefuseAFrameWhoseValuesTheRecordRefusesOrWhoseEnumIsUnknown() {
        PayloadCodec<Object> sample = codecOf(new Sample("s", 1, 0));
        byte[] nan = new RecordCodecs.Out().str("s").dbl(Double.NaN).lng(0).toArray();
        assertThatThrownBy(() -> sample.decode(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Sample.class.getName()).hasMessageContaining("must be a finite number");
        PayloadCodec<Object> decision = codecOf(new GovernanceDecision("m", "a", GovernanceAction.ENABLE, 0, "", 0));
        byte[] unknown = new RecordCodecs.Out().str("m").str("a").str("EXPLODE").dbl(0).str("").lng(0).str("").dbl(0).str("")
                .toArray();
        assertThatThrownBy(() -> decision.decode(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(GovernanceDecision.class.getName()).hasMessageContaining("'EXPLODE' is not a GovernanceAction");
        PayloadCodec<Object> link = codecOf(new LinkStatus("a", "b", true, 0, ""));
        byte[] notBoolean = new RecordCodecs.Out().str("a").str("b").count(0).toArray();
        notBoolean = Arrays.copyOf(notBoolean, 4 + 1 + 4 + 1 + 1 + 8 + 4);
        notBoolean[10] = 2;
        byte[] bad = notBoolean;
        assertThatThrownBy(() -> link.decode(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LinkStatus.class.getName()).hasMessageContaining("not a boolean");
    }

    @Test
    void shouldRefuseALengthOrCountClaimingMoreThanTheFrameHolds() {
        PayloadCodec<Object> metrics = codecOf(new ModuleMetrics("m", Map.of(), 0));
        byte[] huge = new RecordCodecs.Out().str("m").count(Integer.MAX_VALUE).lng(0).toArray();
        assertThatThrownBy(() -> metrics.decode(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ModuleMetrics.class.getName()).hasMessageContaining("claims " + Integer.MAX_VALUE + " elements");
        byte[] negative = ByteBuffer.allocate(4).putInt(-5).array();
        PayloadCodec<Object> event = codecOf(new EventData("t", new byte[0]));
        assertThatThrownBy(() -> event.decode(negative)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EventData.class.getName()).hasMessageContaining("claims -5 bytes");
    }
}
