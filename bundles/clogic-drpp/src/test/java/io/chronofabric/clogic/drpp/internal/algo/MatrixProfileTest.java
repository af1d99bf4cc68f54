package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatrixProfileTest {

    static double[] bruteProfile(double[] x, int n, int m, int excl, int[] idx) {
        int subs = n - m + 1;
        double[] p = new double[subs];
        for (int i = 0; i < subs; i++) {
            p[i] = Double.POSITIVE_INFINITY;
            idx[i] = -1;
            for (int j = 0; j < subs; j++) {
                if (Math.abs(i - j) < excl) {
                    continue;
                }
                double d = MatrixProfile.zNormDistance(x, i, j, m);
                if (d < p[i]) {
                    p[i] = d;
                    idx[i] = j;
                }
            }
        }
        return p;
    }

    static double[] series(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double walk = 0;
        for (int i = 0; i < n; i++) {
            walk += r.nextDouble() - 0.5;
            x[i] = walk;
        }
        return x;
    }

    @Test
    void shouldMatchBruteForceZNormalisedDistancesWithStomp() {
        double[] x = series(300, 1);
        int m = 16;
        MatrixProfile mp = new MatrixProfile(m, 400);
        mp.stomp(x, x.length);
        int[] idx = new int[x.length];
        double[] expected = bruteProfile(x, x.length, m, mp.exclusionZone(), idx);
        assertThat(mp.count()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(mp.profile(i)).as("profile %d", i).isCloseTo(expected[i], within(1e-6));
            assertThat(MatrixProfile.zNormDistance(x, i, mp.profileIndex(i), m)).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void shouldGiveTheSameProfileIncrementallyWithStampi() {
        double[] x = series(260, 2);
        int m = 12;
        MatrixProfile incremental = new MatrixProfile(m, 300);
        incremental.stomp(x, 100); // start from a batch, then append the rest
        for (int i = 100; i < x.length; i++) {
            assertThat(incremental.append(x[i])).isTrue();
        }
        MatrixProfile fromScratch = new MatrixProfile(m, 300);
        for (double v : x) {
            fromScratch.append(v);
        }
        int[] idx = new int[x.length];
        double[] expected = bruteProfile(x, x.length, m, incremental.exclusionZone(), idx);
        for (int i = 0; i < expected.length; i++) {
            assertThat(incremental.profile(i)).isCloseTo(expected[i], within(1e-6));
            assertThat(fromScratch.profile(i)).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void shouldFindAPlantedMotifPairAndAPlantedDiscord() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 600, m = 32;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(2 * Math.PI * i / 50.0) + 0.3 * (r.nextDouble() - 0.5);
        }
        for (int i = 0; i < m; i++) { // a spike-shaped anomaly
            x[400 + i] = (i % 4 < 2 ? 3 : -3) + 0.1 * r.nextDouble();
        }
        MatrixProfile mp = new MatrixProfile(m, n);
        mp.stomp(x, n);
        int discord = mp.discord();
        assertThat(discord).isBetween(400 - m, 400 + m);
        int motif = mp.motif();
        assertThat(mp.profile(motif)).isLessThan(mp.profile(discord) / 3);
    }

    @Test
    void shouldTreatConstantSubsequencesWithoutNaN() {
        double[] x = new double[64];
        for (int i = 32; i < 64; i++) {
            x[i] = i % 2;
        }
        MatrixProfile mp = new MatrixProfile(8, 64);
        mp.stomp(x, 64);
        for (int i = 0; i < mp.count(); i++) {
            assertThat(mp.profile(i)).isNotNaN();
        }
        assertThat(mp.profile(0)).isZero();
    }

    @Test
    void shouldRefuseTooShortSubsequencesAndOverfullSeries() {
        assertThatThrownBy(() -> new MatrixProfile(2, 100)).hasMessageContaining("m must be >= 4");
        MatrixProfile mp = new MatrixProfile(8, 40);
        assertThatThrownBy(() -> mp.stomp(new double[50], 50)).hasMessageContaining("capacity 40");
    }
}
