package io.chronofabric.scheduler.internal;

import io.chronofabric.api.scheduler.MissPolicy;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskPriority;
import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deadline-miss ratio of the EDF scheduler against a FIFO {@code ThreadPoolExecutor} on the same
 * periodic task sets, one worker each, in one run. Task sets come from UUniFast (Bini and Buttazzo
 * 2005): n utilisations summing to U, periods log-uniform in [10, 100] ms, implicit deadlines
 * (deadline = period), execution time = utilisation x period spent busy-spinning. Admission
 * control is switched off for the run so that overload (U &gt; 1) can be measured. Then the dispatch
 * overhead per task against a bare {@link PriorityBlockingQueue} offer + poll.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.scheduler.internal.SchedulerVsFifo [seconds=3] [tasks=8]</pre>
 * ({@code overhead} as the only argument runs the overhead part alone)
 */
public final class SchedulerVsFifo {

    record Spec(String name, long periodNanos, long costNanos) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("overhead")) {
            overhead();
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.printf(Locale.ROOT, "%d periodic tasks (UUniFast), periods 10..100 ms, implicit deadlines, 1 worker, %d s per run, %d cores%n",
                n, seconds, Runtime.getRuntime().availableProcessors());
        System.out.println("   U   | EDF miss ratio | FIFO miss ratio | EDF jobs | FIFO jobs");
        Random random = new Random(42);
        for (double u : new double[] {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2}) {
            List<Spec> set = taskSet(random, n, u);
            double[] edf = edf(set, seconds);
            double[] fifo = fifo(set, seconds);
            System.out.printf(Locale.ROOT, "  %.1f  |     %6.4f     |     %6.4f      | %8.0f | %8.0f%n", u, edf[0], fifo[0], edf[1], fifo[1]);
        }
        overhead();
    }

    /** UUniFast: n utilisations, uniformly distributed over the simplex summing to u. */
    static List<Spec> taskSet(Random r, int n, double u) {
        List<Spec> specs = new ArrayList<>();
        double sum = u;
        for (int i = 1; i <= n; i++) {
            double next = i < n ? sum * Math.pow(r.nextDouble(), 1.0 / (n - i)) : 0;
            double ui = sum - next;
            sum = next;
            long period = (long) (10e6 * Math.pow(10, r.nextDouble())); // 10..100 ms
            specs.add(new Spec("t" + i, period, Math.max(1_000, (long) (ui * period))));
        }
        return specs;
    }

    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static double[] edf(List<Spec> set, int seconds) throws InterruptedException {
        return edfMillis(set, seconds * 1000L);
    }

    static double[] edfMillis(List<Spec> set, long millis) throws InterruptedException {
        SystemTimeSource time = new SystemTimeSource();
        SchedulerSettings s = new SchedulerSettings(1, 100.0, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(5),
                TimeUnit.SECONDS.toNanos(1), 1000, 0, 1);
        EdfScheduler scheduler = new EdfScheduler(s, time, () -> OptimizationHint.BALANCED, name -> QuantumOffset.NONE);
        long start = time.nowNanos() + 5_000_000L;
        List<ScheduledTask> handles = new ArrayList<>();
        for (Spec spec : set) {
            long cost = spec.costNanos();
            handles.add(scheduler.schedule(Task.builder(spec.name(), () -> spin(cost)).releaseAt(start)
                    .periodic(Duration.ofNanos(spec.periodNanos()), Duration.ofNanos(spec.periodNanos()))
                    .estimate(Duration.ofNanos(Math.min(cost, spec.periodNanos()))).build()));
        }
        Thread.sleep(millis);
        for (ScheduledTask h : handles) {
            h.cancel();
        }
        var stats = scheduler.stats();
        scheduler.close();
        long jobs = stats.completed() + stats.missed();
        return new double[] {jobs == 0 ? 0 : (double) stats.missed() / jobs, jobs};
    }

    static double[] fifo(List<Spec> set, int seconds) throws InterruptedException {
        return fifoMillis(set, seconds * 1000L);
    }

    static double[] fifoMillis(List<Spec> set, long millis) throws InterruptedException {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();
        AtomicLong jobs = new AtomicLong();
        AtomicLong misses = new AtomicLong();
        long base = System.nanoTime() + 5_000_000L;
        for (Spec spec : set) {
            AtomicLong k = new AtomicLong();
            releaser.scheduleAtFixedRate(() -> {
                long deadline = base + (k.getAndIncrement() + 1) * spec.periodNanos();
                worker.execute(() -> {
                    spin(spec.costNanos());
                    jobs.incrementAndGet();
                    if (System.nanoTime() > deadline) {
                        misses.incrementAndGet();
                    }
                });
            }, base - System.nanoTime(), spec.periodNanos(), TimeUnit.NANOSECONDS);
        }
        Thread.sleep(millis);
        releaser.shutdownNow();
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        long j = jobs.get();
        return new double[] {j == 0 ? 0 : (double) misses.get() / j, j};
    }

    /**
     * Per-task cost, on one thread with simulated time: admission (schedule) and dispatch (EDF
     * queue to run and outcome, empty work) measured separately, against a bare PriorityBlockingQueue
     * offer + poll of a deadline.
     */
    static void overhead() {
        int tasks = 20_000;
        List<Double> ratios = new ArrayList<>();
        double admitNs = 0;
        double dispatchNs = 0;
        double pbqNs = 0;
        for (int round = 0; round < 25; round++) {
            SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000_000_000L);
            SchedulerSettings s = new SchedulerSettings(1, 100.0, MissPolicy.RUN_LATE, TimeUnit.SECONDS.toNanos(5),
                    TimeUnit.SECONDS.toNanos(1), 1000, 0, 1);
            EdfScheduler scheduler = new EdfScheduler(s, time, () -> OptimizationHint.BALANCED, name -> QuantumOffset.NONE);
            Runnable nothing = () -> { };
            Task[] prepared = new Task[tasks];
            for (int i = 0; i < tasks; i++) {
                prepared[i] = new Task("o", TaskPriority.NORMAL, 0, 2_000_000_000L + (i * 7919L) % 1_000_000, 1, 0, 0, null, nothing);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                scheduler.schedule(prepared[i]);
            }
            long t1 = System.nanoTime();
            scheduler.processTemporalQueue();
            long t2 = System.nanoTime();
            scheduler.close();
            PriorityBlockingQueue<Long> pbq = new PriorityBlockingQueue<>();
            long t3 = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                pbq.offer(2_000_000_000L + (i * 7919L) % 1_000_000);
            }
            while (pbq.poll() != null) {
                // drain
            }
            long t4 = System.nanoTime();
            admitNs = (t1 - t0) / (double) tasks;
            dispatchNs = (t2 - t1) / (double) tasks;
            pbqNs = (t4 - t3) / (double) tasks;
            if (round >= 5) {
                ratios.add((admitNs + dispatchNs) / pbqNs);
            }
            if (Boolean.getBoolean("overhead.verbose")) {
                System.out.printf(Locale.ROOT, "  round %2d: admission %4.0f ns, dispatch %4.0f ns, PBQ %4.0f ns%n", round, admitNs, dispatchNs,
                        pbqNs);
            }
        }
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "PER TASK (%,d queued): admission %.0f ns; EDF dispatch (dequeue, run, outcome) %.0f ns; "
                + "PriorityBlockingQueue offer+poll %.0f ns; (admission + dispatch) / PBQ median %.2f (min %.2f, max %.2f)%n", tasks, admitNs,
                dispatchNs, pbqNs, ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1));
    }
}
