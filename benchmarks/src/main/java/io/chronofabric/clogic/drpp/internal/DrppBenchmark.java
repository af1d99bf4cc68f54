package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.clogic.drpp.internal.algo.Bocpd;
import io.chronofabric.clogic.drpp.internal.algo.DiscreteTransferEntropy;
import io.chronofabric.clogic.drpp.internal.algo.GoertzelBank;
import io.chronofabric.clogic.drpp.internal.algo.KsgTransferEntropy;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DRPP's per-sample cost: {@code engineSample} is one sample through DRPP's engine (stream lookup by
 * name, ring, level and bins, a 4-filter Goertzel bank, CUSUM, and the discrete TE update of the
 * pair it is the target of: each op is one sample of x and one of y, reported per sample);
 * {@code algorithmsOnly} is the Goertzel bank plus the TE update alone, the floor the engine adds to.
 * Aim: under 1 µs per sample. {@code bocpdSample} is the optional BOCPD detector per sample. {@code ksg} times one KSG estimate (k = l = 1, K = 4, no surrogates)
 * at N = 1e3, 1e4, 1e5 (JIDT: about 0.27 s at 1e4 on one core of this machine).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DrppBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DrppBenchmark {

    private static final int RING = 4096;

    private DrppEngine engine;
    private GoertzelBank bank;
    private DiscreteTransferEntropy te;
    private Bocpd bocpd;
    private final double[] xs = new double[RING];
    private final double[] ys = new double[RING];
    private final int[] sx = new int[RING];
    private final int[] sy = new int[RING];
    private int i;

    @Setup
    public void setup() {
        engine = new DrppEngine(DrppBenchConfigs.settings(DrppBenchConfigs.perSample()), e -> { }, Runnable::run, System::nanoTime);
        bank = new GoertzelBank(new double[] {50, 100, 150, 200}, 1000, 100);
        te = new DiscreteTransferEntropy(4, 2, 1, 1024);
        bocpd = new Bocpd(1000, 256, 5, 0.8, 100);
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < RING; t++) {
            xs[t] = Math.sin(2 * Math.PI * 50 * t / 1000.0) + r.nextDouble();
            ys[t] = 0.5 * (t > 0 ? xs[t - 1] : 0) + r.nextDouble();
            sx[t] = r.nextInt(4);
            sy[t] = r.nextInt(4);
        }
        for (int t = 0; t < 2048; t++) {
            engineSample();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(2)
    public boolean engineSample() {
        int t = i = (i + 1) & (RING - 1);
        boolean a = engine.onSample("x", xs[t], t);
        return engine.onSample("y", ys[t], t) & a;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double algorithmsOnly() {
        int t = i = (i + 1) & (RING - 1);
        bank.add(ys[t]);
        te.add(sx[t], sy[t]);
        return te.value();
    }

    /** Bayesian online changepoint detection per sample (max run 256: the optional changepoint.method = bocpd). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean bocpdSample() {
        int t = i = (i + 1) & (RING - 1);
        return bocpd.add(ys[t]);
    }

    /** One KSG estimate at N samples. */
    @State(Scope.Benchmark)
    public static class KsgData {
        @Param({"1000", "10000", "100000"})
        int n;

        double[] x;
        double[] y;

        @Setup(Level.Trial)
        public void setup() {
            SplittableRandom r = new SplittableRandom(17);
            x = new double[n];
            y = new double[n];
            for (int t = 0; t < n; t++) {
                x[t] = gaussian(r);
                y[t] = (t > 0 ? 0.4 * x[t - 1] : 0) + 0.6 * gaussian(r);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public double ksg(KsgData d) {
        return new KsgTransferEntropy(1, 1, 4).compute(d.x, d.y, 0, 1).value();
    }

    static double gaussian(SplittableRandom r) {
        double u, w, s;
        do {
            u = 2 * r.nextDouble() - 1;
            w = 2 * r.nextDouble() - 1;
            s = u * u + w * w;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
