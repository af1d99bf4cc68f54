package io.chronofabric.clogic.drpp.internal.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KdTreeTest {

    @Test
    void shouldAgreeWithBruteForceOnKthNeighbourAndStrictCounts() {
        SplittableRandom r = new SplittableRandom(13);
        for (int d = 1; d <= 4; d++) {
            int n = 500;
            double[] p = new double[n * d];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextInt(4) == 0 ? Math.floor(r.nextDouble() * 10) / 10 : r.nextDouble(); // some ties
            }
            KdTree tree = new KdTree(p, n, d);
            for (int q = 0; q < n; q += 7) {
                double[] dist = new double[n - 1];
                int c = 0;
                for (int j = 0; j < n; j++) {
                    if (j == q) {
                        continue;
                    }
                    double m = 0;
                    for (int a = 0; a < d; a++) {
                        m = Math.max(m, Math.abs(p[q * d + a] - p[j * d + a]));
                    }
                    dist[c++] = m;
                }
                Arrays.sort(dist);
                for (int kk : new int[] {1, 4, 10}) {
                    double eps = tree.kthNearest(p, q * d, kk, q);
                    assertThat(eps).isEqualTo(dist[kk - 1]);
                    long strict = Arrays.stream(dist).filter(v -> v < eps).count();
                    assertThat(tree.countWithin(p, q * d, eps, q)).isEqualTo((int) strict);
                }
            }
        }
    }
}
