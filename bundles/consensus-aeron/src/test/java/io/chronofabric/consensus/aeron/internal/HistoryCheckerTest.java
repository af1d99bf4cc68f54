package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.consensus.CommittedValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {

    private static CommittedValue v(long index, long term, String s) {
        return new CommittedValue(index, term, s.getBytes());
    }

    @Test
    void shouldAcceptPrefixesOfOneOrderHoldingEveryAcknowledgement() {
        List<CommittedValue> full = List.of(v(0, 0, "a"), v(1, 0, "b"), v(2, 1, "c"));
        assertThat(HistoryChecker.check(Map.of("n0", full, "n1", full.subList(0, 2)), List.of(v(1, 0, "b"), v(2, 1, "c"))))
                .isEmpty();
    }

    @Test
    void shouldReportNodesThatDisagreeGapsAndLostAcknowledgements() {
        List<CommittedValue> a = List.of(v(0, 0, "a"), v(1, 0, "b"));
        List<CommittedValue> b = List.of(v(0, 0, "a"), v(1, 0, "x"));
        List<CommittedValue> gap = List.of(v(0, 0, "a"), v(2, 0, "b"));
        assertThat(HistoryChecker.check(Map.of("n0", a, "n1", b), List.of()))
                .singleElement().asString().contains("disagrees at index 1");
        assertThat(HistoryChecker.check(Map.of("n0", gap), List.of()))
                .anySatisfy(s -> assertThat(s).contains("learned index 2 at position 1"));
        assertThat(HistoryChecker.check(Map.of("n0", a), List.of(v(1, 0, "z"))))
                .singleElement().asString().contains("but index 1 holds");
        assertThat(HistoryChecker.check(Map.of("n0", a), List.of(v(5, 0, "z"))))
                .singleElement().asString().contains("was learned by no node");
    }
}
