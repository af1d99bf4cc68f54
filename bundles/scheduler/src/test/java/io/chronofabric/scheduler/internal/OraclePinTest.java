package io.chronofabric.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pinning the oracle's hint, on a clock the test moves. */
class OraclePinTest {

    private static final long S = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(5 * S);
    private final OraclePin pin = new OraclePin(clock::get);

    @Test
    void shouldOverrideTheControllerUntilThePinLapses() {
        assertThat(pin.hintOr(OptimizationHint.BALANCED)).isEqualTo(OptimizationHint.BALANCED);
        HintPin p = pin.pin(OptimizationHint.MINIMIZE_LATENCY, 30 * S, "operator: load test");
        assertThat(p.remainingNanos()).isEqualTo(30 * S);
        assertThat(p.untilUnpinned()).isFalse();
        clock.addAndGet(29 * S);
        assertThat(pin.hintOr(OptimizationHint.BALANCED)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        assertThat(pin.pinned()).hasValueSatisfying(h -> assertThat(h.remainingNanos()).isEqualTo(S));
        assertThat(pin.explain(OptimizationHint.BALANCED, "load 0.30"))
                .isEqualTo("pinned to MINIMIZE_LATENCY (operator: load test), 1.00 s left; the controller says BALANCED: load 0.30");
        clock.addAndGet(S);
        assertThat(pin.hintOr(OptimizationHint.BALANCED)).isEqualTo(OptimizationHint.BALANCED);
        assertThat(pin.pinned()).isEmpty();
        assertThat(pin.explain(OptimizationHint.BALANCED, "load 0.30")).isEqualTo("load 0.30");
        assertThat(pin.unpin()).as("a lapsed pin is not removed twice").isEmpty();
    }

    @Test
    void shouldHoldAPinWithoutDurationUntilUnpinned() {
        pin.pin(OptimizationHint.MAXIMIZE_THROUGHPUT, 0, "");
        clock.addAndGet(1_000_000 * S);
        assertThat(pin.hintOr(OptimizationHint.MINIMIZE_LATENCY)).isEqualTo(OptimizationHint.MAXIMIZE_THROUGHPUT);
        assertThat(pin.explain(OptimizationHint.MINIMIZE_LATENCY, "misses 40%"))
                .isEqualTo("pinned to MAXIMIZE_THROUGHPUT until unpinned; the controller says MINIMIZE_LATENCY: misses 40%");
        HintPin removed = pin.unpin().orElseThrow();
        assertThat(removed.hint()).isEqualTo(OptimizationHint.MAXIMIZE_THROUGHPUT);
        assertThat(removed.remainingNanos()).isEqualTo(HintPin.UNTIL_UNPINNED);
        assertThat(pin.hintOr(OptimizationHint.MINIMIZE_LATENCY)).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        assertThat(pin.unpin()).isEmpty();
    }

    @Test
    void shouldReplaceAnEarlierPin() {
        pin.pin(OptimizationHint.MAXIMIZE_THROUGHPUT, 0, "first");
        pin.pin(OptimizationHint.MINIMIZE_LATENCY, 10 * S, "second");
        assertThat(pin.pinned()).hasValueSatisfying(h -> {
            assertThat(h.hint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
            assertThat(h.reason()).isEqualTo("second");
        });
    }

    @Test
    void shouldRefuseANegativeDuration() {
        assertThatThrownBy(() -> pin.pin(OptimizationHint.BALANCED, -1, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 ns is negative");
        assertThat(pin.pinned()).isEmpty();
    }

    @Test
    void shouldPinTheOracleServiceAndNameThePinInItsExplanation() {
        TimeOracleComponent oracle = new TimeOracleComponent();
        oracle.pinState = pin;
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        oracle.pin(OptimizationHint.MINIMIZE_LATENCY, 0, "egc spec=lat");
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.MINIMIZE_LATENCY);
        assertThat(oracle.explanation()).startsWith("pinned to MINIMIZE_LATENCY (egc spec=lat) until unpinned; the controller says BALANCED: ");
        assertThat(oracle.health().summary()).startsWith("pinned to MINIMIZE_LATENCY");
        assertThat(oracle.unpin()).isPresent();
        assertThat(oracle.pinned()).isEmpty();
        assertThat(oracle.currentHint()).isEqualTo(OptimizationHint.BALANCED);
        assertThat(oracle.explanation()).isEqualTo("no observations yet");
    }
}
