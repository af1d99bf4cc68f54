package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CusumTest {

    @Test
    void shouldDetectAMeanShiftSoonAfterItHappensAndNotBefore() {
        SplittableRandom r = new SplittableRandom(2);
        Cusum c = new Cusum(0.5, 10, 100);
        int firstAlarm = -1, direction = 0;
        for (int t = 0; t < 2000; t++) {
            double x = KsgTransferEntropy.gaussian(r) + (t >= 1000 ? 2.0 : 0.0);
            int res = c.add(x);
            if (res != Cusum.NONE && firstAlarm < 0) {
                firstAlarm = t;
                direction = res;
            }
        }
        assertThat(firstAlarm).isBetween(1000, 1030);
        assertThat(direction).isEqualTo(Cusum.UP);
    }

    @Test
    void shouldRaiseFewFalseAlarmsOnStationaryNoiseAndMoreWithALowerThreshold() {
        SplittableRandom r = new SplittableRandom(3);
        Cusum strict = new Cusum(0.5, 10, 200);
        Cusum sensitive = new Cusum(0.5, 2, 200);
        int a = 0, b = 0;
        for (int t = 0; t < 20000; t++) {
            double x = KsgTransferEntropy.gaussian(r);
            a += strict.add(x) != Cusum.NONE ? 1 : 0;
            b += sensitive.add(x) != Cusum.NONE ? 1 : 0;
        }
        assertThat(a).isLessThanOrEqualTo(2);
        assertThat(b).isGreaterThan(a + 5);
    }

    @Test
    void shouldDetectADownwardShift() {
        Cusum c = new Cusum(0.5, 10, 50);
        SplittableRandom r = new SplittableRandom(8);
        int res = Cusum.NONE;
        int t = 0;
        for (; t < 200 && res == Cusum.NONE; t++) {
            res = c.add(KsgTransferEntropy.gaussian(r) * 0.1 + (t >= 100 ? -1 : 0));
        }
        assertThat(res).isEqualTo(Cusum.DOWN);
        assertThat(t).isBetween(101, 105);
    }

    @Test
    void shouldRefuseBadParameters() {
        assertThatThrownBy(() -> new Cusum(0.5, 0, 10)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new Cusum(-1, 4, 10)).hasMessageContaining("drift");
        assertThatThrownBy(() -> new Cusum(0.5, 4, 1)).hasMessageContaining("warm-up");
    }
}
