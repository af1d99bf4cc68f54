package io.chronofabric.clogic.egc.internal.stl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MinerTest {

    private static final double[] TEMP = {20.5, 21, 23.25, 22, 19.75, 21.5};

    @Test
    void shouldFindTheTightestUpperBoundAndAddTheMargin() {
        Miner.Result r = Miner.mine("always(temp <= c)", "temp", TEMP, 0.1, "c");
        assertThat(r.tightest()).isEqualTo(23.25);
        assertThat(r.increasing()).isTrue();
        assertThat(r.proposed()).isCloseTo(23.25 + 0.1 * 3.5, within(1e-12));
        assertThat(r.spec()).isEqualTo("always(temp <= " + r.proposed() + ")");
        // the proposal holds on the learning data, the tightest value exactly (robustness 0)
        assertThat(Offline.evaluate(Spec.parse(r.spec()), Map.of("temp", TEMP))[0]).isCloseTo(0.35, within(1e-12));
    }

    @Test
    void shouldFindLowerBoundsAndWindowedTemplates() {
        Miner.Result low = Miner.mine("always(temp >= c)", "temp", TEMP, 0, "c");
        assertThat(low.tightest()).isEqualTo(19.75);
        assertThat(low.increasing()).isFalse();
        // eventually(temp >= c): the largest c some sample reaches; the deviation from 21: the largest |temp - 21|
        Miner.Result reach = Miner.mine("eventually(temp >= c)", "temp", TEMP, 0, "c");
        assertThat(reach.tightest()).isEqualTo(23.25);
        assertThat(reach.increasing()).isFalse();
        Miner.Result dev = Miner.mine("always[0:5](abs(temp - 21) <= c)", "temp", TEMP, 0, "c");
        assertThat(dev.tightest()).isCloseTo(2.25, within(1e-9));
    }

    @Test
    void shouldRefuseTemplatesWithoutAThreshold() {
        assertThatThrownBy(() -> Miner.mine("always(temp <= 100)", "temp", TEMP, 0.1, "c")).hasMessageContaining("has no parameter 'c'");
        assertThatThrownBy(() -> Miner.mine("always(abs(temp - c) <= 1000)", "temp", TEMP, 0.1, "c"))
                .hasMessageContaining("no threshold to learn");
        assertThatThrownBy(() -> Miner.mine("always(temp <= c)", "temp", new double[0], 0.1, "c")).hasMessageContaining("no samples");
        assertThatThrownBy(() -> Miner.mine("always(x <= c)", "temp", TEMP, 0.1, "c")).hasMessageContaining("does not read signal 'temp'");
    }

    @Test
    void shouldTurnAnUnboundedInvariantIntoAnOnlineSpec() {
        assertThat(Miner.monitorable("always(temp <= 23.6)", 1)).isEqualTo("temp <= 23.6");
        assertThat(Miner.monitorable("always[0:5](abs(temp - 21) <= 2.5)", 1)).isEqualTo("always[0:5](abs(temp - 21) <= 2.5)");
        // not a top-level always: stays, and the unbounded always inside is refused
        assertThatThrownBy(() -> Miner.monitorable("always(temp <= 3) and historically(temp >= 0)", 1))
                .hasMessageContaining("'always((temp le 3.0))' is a future operator without an upper bound");
        assertThatThrownBy(() -> Miner.monitorable("eventually(temp >= 23.6)", 1)).hasMessageContaining("online monitoring refused");
    }
}
