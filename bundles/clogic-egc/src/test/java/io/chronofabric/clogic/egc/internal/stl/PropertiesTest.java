package io.chronofabric.clogic.egc.internal.stl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random signals: sign of robustness = Boolean satisfaction; online = offline on every prefix. */
class PropertiesTest {

    static final List<String> FORMULAS = List.of(
            "always[0:3](a > 0.2)", "eventually[1:4](a < b)", "a until[0:3] b > 0.5", "a unless[1:3] b",
            "once[0:5](a >= b) and historically[2:4](b > -0.5)", "a since[0:3] b", "a since b", "a since[2:5] b", "a since[2:inf] (b > 0.5)", "(a > -0.5) since[1:inf] b",
            "not (rise(a > 0) or fall(b > 0))", "next (a > 0.1) or prev (b < 0)", "always[0:2](a > 0 implies eventually[0:3] b > 0)",
            "(a > 0) iff (b > 0)", "(a > 0) xor eventually[0:2](b > 0.3)", "historically(once[0:2] a > -0.8)",
            "abs(a) + 1 > 2 * b", "once(a > 0.9)", "historically[3:inf](a < 0.95)",
            // bounded until/since (sliding-window fold), nested and with point intervals
            "a until[2:5] b", "(a > 0) until[1:1] (b > 0.3)", "a until[0:0] b", "a since[0:0] b", "a since[3:3] b", "a since[1:7] b",
            "(a until[0:4] b) since[1:6] (b > 0)", "always[0:3](a since[1:4] b)", "eventually[0:2]((a > 0) until[2:6] (b < 0))",
            "a unless[2:4] b", "(a since[2:4] b) until[1:3] (once[0:2] a > 0.5)", "not (a until[3:8] (b > 0.2)) or (a since[0:5] b)");

    /** The signals the spec reads (Offline refuses names it does not know). */
    static Map<String, double[]> only(Spec spec, Map<String, double[]> all) {
        Map<String, double[]> m = new java.util.HashMap<>();
        spec.inputs().forEach(i -> m.put(i, all.get(i)));
        return m;
    }

    private static Map<String, double[]> randomSignals(Random r, int n) {
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 2 * r.nextDouble() - 1;
            b[i] = 2 * r.nextDouble() - 1;
        }
        return Map.of("a", a, "b", b);
    }

    @Test
    void shouldHaveRobustnessSignAgreeWithBooleanSatisfaction() {
        Random r = new Random(42);
        int checked = 0;
        for (int round = 0; round < 40; round++) {
            Map<String, double[]> s = randomSignals(r, 25);
            for (String f : FORMULAS) {
                Spec spec = Spec.parse(f);
                double[] rob = Offline.evaluate(spec, only(spec, s));
                boolean[] sat = BooleanSemantics.eval(spec.formula(), s, 25);
                for (int t = 0; t < rob.length; t++) {
                    if (rob[t] != 0 && Double.isFinite(rob[t]) || Double.isInfinite(rob[t])) {
                        assertThat(rob[t] > 0).as("%s at t=%d, robustness %s", f, t, rob[t]).isEqualTo(sat[t]);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(15_000);
    }

    @Test
    void shouldAgreeOnlineWithOfflineOnEveryPrefix() {
        Random r = new Random(7);
        for (int round = 0; round < 10; round++) {
            int n = 30;
            Map<String, double[]> s = randomSignals(r, n);
            for (String f : FORMULAS) {
                Spec spec = Spec.parse(f);
                OnlineMonitor m = new OnlineMonitor(spec);
                int d = (int) m.delay();
                double[] full = Offline.evaluate(spec, only(spec, s));
                for (int t = 0; t < n; t++) {
                    double[] values = new double[spec.inputs().size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = s.get(spec.inputs().get(i))[t];
                    }
                    double online = m.update(values);
                    if (t >= d) {
                        Map<String, double[]> prefix = Map.of("a", java.util.Arrays.copyOf(s.get("a"), t + 1), "b",
                                java.util.Arrays.copyOf(s.get("b"), t + 1));
                        double[] off = Offline.evaluate(spec, only(spec, prefix));
                        assertThat(online).as("%s at t=%d (delay %d)", f, t - d, d).isCloseTo(off[t - d], within(1e-12));
                        assertThat(online).isCloseTo(full[t - d], within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void shouldAgreeOnlineWithOfflineForLargeUntilAndSinceBounds() {
        Random r = new Random(19);
        int n = 700;
        Map<String, double[]> s = randomSignals(r, n);
        for (String f : List.of("a until[0:150] (b > 0.95)", "(a > -0.9) until[40:250] (b > 0.99)", "(a > -0.95) since[0:200] (b > 0.98)",
                "(a > -0.97) since[30:320] (b > 0.99)", "always[0:20]((a > -0.99) since[5:100] (b > 0.9))")) {
            Spec spec = Spec.parse(f);
            OnlineMonitor m = new OnlineMonitor(spec);
            int d = (int) m.delay();
            double[] full = Offline.evaluate(spec, only(spec, s));
            long finite = 0;
            for (int t = 0; t < n; t++) {
                double[] values = new double[spec.inputs().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = s.get(spec.inputs().get(i))[t];
                }
                double online = m.update(values);
                if (t >= d) {
                    assertThat(online).as("%s at t=%d (delay %d)", f, t - d, d).isEqualTo(full[t - d]);
                    finite += Double.isFinite(online) ? 1 : 0;
                }
            }
            assertThat(finite).as("%s: finite values compared", f).isGreaterThan(50);
        }
    }

    @Test
    void shouldKeepTheMaxMinFoldEqualToTheNaiveComposition() {
        Random r = new Random(23);
        for (int w : new int[] {1, 2, 5, 64}) {
            for (boolean since : new boolean[] {false, true}) {
                MaxMinFold fold = new MaxMinFold(w, since);
                double[] p = new double[500];
                double[] q = new double[500];
                for (int t = 0; t < p.length; t++) {
                    p[t] = r.nextInt(10);
                    q[t] = r.nextInt(10);
                    fold.push(p[t], q[t]);
                    // apply the maps to -inf: until innermost = newest, since innermost = oldest
                    double x = Double.NEGATIVE_INFINITY;
                    int from = Math.max(0, t - w + 1);
                    if (since) {
                        for (int i = from; i <= t; i++) {
                            x = Math.max(p[i], Math.min(q[i], x));
                        }
                    } else {
                        for (int i = t; i >= from; i--) {
                            x = Math.max(p[i], Math.min(q[i], x));
                        }
                    }
                    assertThat(fold.value()).as("width %d since %s at %d", w, since, t).isEqualTo(x);
                }
            }
        }
    }

    @Test
    void shouldMatchPastFormulasFromTheFirstSample() {
        Random r = new Random(3);
        Map<String, double[]> s = randomSignals(r, 50);
        for (String f : List.of("once[0:5](a >= b)", "historically[2:4](b > -0.5)", "a since b", "prev a", "rise(a > 0)", "a since[0:4] b",
                "a since[2:6] b", "(a > 0) since[3:inf] b")) {
            Spec spec = Spec.parse(f);
            OnlineMonitor m = new OnlineMonitor(spec);
            double[] off = Offline.evaluate(spec, only(spec, s));
            for (int t = 0; t < 50; t++) {
                double[] v = new double[spec.inputs().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = s.get(spec.inputs().get(i))[t];
                }
                assertThat(m.update(v)).as("%s at %d", f, t).isEqualTo(off[t]);
            }
        }
    }

    @Test
    void shouldKeepStreamingExtremumEqualToNaiveWindow() {
        Random r = new Random(11);
        for (int w : new int[] {1, 2, 7, 100}) {
            StreamingExtremum max = new StreamingExtremum(w, true);
            StreamingExtremum min = new StreamingExtremum(w, false);
            double[] x = new double[1000];
            for (int t = 0; t < x.length; t++) {
                x[t] = r.nextInt(20);
                double naiveMax = Double.NEGATIVE_INFINITY;
                double naiveMin = Double.POSITIVE_INFINITY;
                for (int i = Math.max(0, t - w + 1); i <= t; i++) {
                    naiveMax = Math.max(naiveMax, x[i]);
                    naiveMin = Math.min(naiveMin, x[i]);
                }
                assertThat(max.push(x[t])).isEqualTo(naiveMax);
                assertThat(min.push(x[t])).isEqualTo(naiveMin);
            }
        }
    }
}
