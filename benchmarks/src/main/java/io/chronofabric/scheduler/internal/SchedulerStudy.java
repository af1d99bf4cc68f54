package io.chronofabric.scheduler.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * EDF against FIFO over many task sets: for each utilisation, {@code sets} UUniFast task sets (8
 * tasks, periods log-uniform in 10..100 ms, implicit deadlines, work busy-spun), each run on the
 * EDF scheduler and on a FIFO single-thread executor for {@code seconds}, one after the other, on
 * the real clock; per U the mean miss ratio over the sets with a 95% interval (Student t, n - 1
 * degrees of freedom), quiet, then again with a background load (one thread per core spinning
 * 2 ms of every 4 ms). The sets are seeded, so both schedulers and both conditions see the same ones.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.scheduler.internal.SchedulerStudy [sets=20] [seconds=0.4] [U list=0.6,0.8,0.9,1.0,1.1]</pre>
 */
public final class SchedulerStudy {

    /** Student t quantiles for a two-sided 95% interval, by degrees of freedom 1..30. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    /** Mean and 95% interval of one scheduler's miss ratios at one U. */
    public record Interval(double mean, double low, double high, int n) {
        static Interval of(List<Double> xs) {
            int n = xs.size();
            double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double var = 0;
            for (double x : xs) {
                var += (x - mean) * (x - mean);
            }
            double sd = n > 1 ? Math.sqrt(var / (n - 1)) : 0;
            double t = n > 1 ? T975[Math.min(n - 1, T975.length) - 1] : 0;
            double half = t * sd / Math.sqrt(Math.max(1, n));
            return new Interval(mean, Math.max(0, mean - half), Math.min(1, mean + half), n);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", mean, low, high);
        }
    }

    /** One U: EDF and FIFO miss ratios over the sets, and how many sets EDF did better, equal, worse. */
    public record Row(double u, Interval edf, Interval fifo, int edfBetter, int equal, int edfWorse) {
    }

    private SchedulerStudy() {
    }

    public static void main(String[] args) throws Exception {
        int sets = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 0.4;
        double[] us = args.length > 2 ? parse(args[2]) : new double[] {0.6, 0.8, 0.9, 1.0, 1.1};
        print("quiet", sets, seconds, study(sets, seconds, us, false));
        print("background load", sets, seconds, study(sets, seconds, us, true));
    }

    private static double[] parse(String list) {
        String[] parts = list.split(",");
        double[] us = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            us[i] = Double.parseDouble(parts[i].trim());
        }
        return us;
    }

    public static List<Row> study(int sets, double seconds, double[] us, boolean background) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        if (background) {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        SchedulerVsFifo.spin(2_000_000L);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "background-load-" + i);
                t.setDaemon(true);
                t.start();
                hogs.add(t);
            }
        }
        List<Row> rows = new ArrayList<>();
        try {
            long ms = Math.max(1, Math.round(seconds * 1000));
            for (double u : us) {
                Random random = new Random(Double.doubleToLongBits(u) ^ 20261201L);
                List<Double> edf = new ArrayList<>();
                List<Double> fifo = new ArrayList<>();
                int better = 0;
                int equal = 0;
                int worse = 0;
                for (int s = 0; s < sets; s++) {
                    List<SchedulerVsFifo.Spec> set = SchedulerVsFifo.taskSet(random, 8, u);
                    double e = SchedulerVsFifo.edfMillis(set, ms)[0];
                    double f = SchedulerVsFifo.fifoMillis(set, ms)[0];
                    edf.add(e);
                    fifo.add(f);
                    if (Math.abs(e - f) < 1e-9) {
                        equal++;
                    } else if (e < f) {
                        better++;
                    } else {
                        worse++;
                    }
                }
                rows.add(new Row(u, Interval.of(edf), Interval.of(fifo), better, equal, worse));
            }
        } finally {
            stop.set(true);
            for (Thread t : hogs) {
                t.join(1000);
            }
        }
        return rows;
    }

    public static void print(String condition, int sets, double seconds, List<Row> rows) {
        System.out.printf(Locale.ROOT, "EDF vs FIFO, %s: %d UUniFast sets per U (8 tasks, 10..100 ms, implicit deadlines), %.1f s each, 1 worker;"
                + " miss ratio mean [95%% interval]%n", condition, sets, seconds);
        System.out.println("   U   |        EDF               |        FIFO              | sets EDF better / equal / worse");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "  %.2f | %-24s | %-24s | %d / %d / %d%n", r.u(), r.edf(), r.fifo(), r.edfBetter(), r.equal(),
                    r.edfWorse());
        }
    }
}
