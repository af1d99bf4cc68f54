package io.chronofabric.clogic.adp.internal.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinUcbTest {

    @Test
    void shouldMatchTheHandComputedRidgeSolution() {
        // A = I + (1,0)(1,0)^T + (1,1)(1,1)^T + (0,1)(0,1)^T = [[3,1],[1,3]], b = 1*(1,0) + 0.5*(1,1) + 0*(0,1) = (1.5, 0.5)
        // A^-1 = [[3,-1],[-1,3]] / 8, theta = A^-1 b = (0.5, 0)
        LinUcb l = new LinUcb(2, 2, 1.0);
        l.update(0, new double[] {1, 0}, 1);
        l.update(0, new double[] {1, 1}, 0.5);
        l.update(0, new double[] {0, 1}, 0);
        assertThat(l.theta(0)).containsExactly(new double[] {0.5, 0}, within(1e-12));
        assertThat(l.inverse(0)).containsExactly(new double[] {3 / 8.0, -1 / 8.0, -1 / 8.0, 3 / 8.0}, within(1e-12));
        // UCB for x = (1,0): 0.5 + 1 * sqrt(x^T A^-1 x) = 0.5 + sqrt(3/8)
        assertThat(l.ucb(0, new double[] {1, 0})).isCloseTo(0.5 + Math.sqrt(3 / 8.0), within(1e-12));
        // the untouched arm: theta 0, width |x| = 1
        assertThat(l.ucb(1, new double[] {1, 0})).isCloseTo(1.0, within(1e-12));
        assertThat(l.select(new double[] {1, 0}, -1L)).isEqualTo(0);
        assertThat(l.select(new double[] {1, 0}, 0b10)).isEqualTo(1);
    }

    @Test
    void shouldAgreeWithADirectInverseAfterManyUpdates() {
        SplittableRandom r = new SplittableRandom(5);
        int d = 5;
        LinUcb l = new LinUcb(1, d, 1);
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            a[i * d + i] = 1;
        }
        for (int k = 0; k < 200; k++) {
            double[] x = new double[d];
            for (int i = 0; i < d; i++) {
                x[i] = r.nextDouble();
            }
            l.update(0, x, r.nextDouble());
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    a[i * d + j] += x[i] * x[j];
                }
            }
        }
        double[] direct = LinUcb.invert(a, d);
        assertThat(l.inverse(0)).containsExactly(direct, within(1e-9));
        // theta kept by the recursive step equals A^-1 b computed directly
        double[] b = l.b(0);
        double[] theta = new double[d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                theta[i] += direct[i * d + j] * b[j];
            }
        }
        assertThat(l.theta(0)).containsExactly(theta, within(1e-9));
    }

    @Test
    void shouldLearnWhichPlaceSuitsWhichUnit() {
        // place 0 is good for small units (x1 < 0.5), place 1 for big ones
        SplittableRandom r = new SplittableRandom(11);
        LinUcb l = new LinUcb(2, 2, 0.5);
        int right = 0;
        int n = 4000;
        for (int t = 0; t < n; t++) {
            double size = r.nextDouble();
            double[] x = {1, size};
            int a = l.select(x, -1L);
            double mean0 = 0.9 - 0.8 * size;
            double mean1 = 0.1 + 0.8 * size;
            double reward = Math.min(1, Math.max(0, (a == 0 ? mean0 : mean1) + 0.1 * (r.nextDouble() - 0.5)));
            l.update(a, x, reward);
            if (t >= n / 2 && (a == 0) == (size < 0.5)) {
                right++;
            }
        }
        assertThat(right).isGreaterThan((int) (0.9 * n / 2));
    }

    @Test
    void shouldDiscountTowardThePrior() {
        LinUcb l = new LinUcb(1, 2, 1);
        l.update(0, new double[] {1, 0}, 1);
        l.update(0, new double[] {1, 1}, 0.5);
        l.update(0, new double[] {0, 1}, 0);
        l.discount(0.5);
        // A = I + 0.5 * [[2,1],[1,2]] = [[2,0.5],[0.5,2]], b = (0.75, 0.25)
        double det = 4 - 0.25;
        double[] inv = {2 / det, -0.5 / det, -0.5 / det, 2 / det};
        assertThat(l.inverse(0)).containsExactly(inv, within(1e-12));
        assertThat(l.theta(0)).containsExactly(new double[] {inv[0] * 0.75 + inv[1] * 0.25, inv[2] * 0.75 + inv[3] * 0.25}, within(1e-12));
    }

    @Test
    void shouldRefuseBadInput() {
        assertThatThrownBy(() -> new LinUcb(2, 0, 1)).hasMessageContaining("dimension must be in 1..65, was 0");
        assertThatThrownBy(() -> new LinUcb(2, 3, -1)).hasMessageContaining("alpha");
        LinUcb l = new LinUcb(2, 3, 1);
        assertThatThrownBy(() -> l.select(new double[] {1, 2}, -1L)).hasMessageContaining("context has 2 values, needs 3");
        assertThatThrownBy(() -> l.update(0, new double[] {1, 2, 3}, 1.5)).hasMessageContaining("reward 1.5 of arm 0 is outside [0, 1]");
        assertThatThrownBy(() -> l.update(2, new double[] {1, 2, 3}, 0.5)).hasMessageContaining("arm 2 is outside 0..1");
        assertThatThrownBy(() -> l.discount(0)).hasMessageContaining("discount must be in (0, 1]");
    }
}
