package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.jctools.queues.MpscArrayQueue;

/**
 * Publish-to-handler latency at sparse, paced rates (1k, 10k, 100k packets/s), for every wait
 * strategy, the bus next to the raw hand-off (JCTools MPSC queue, consumer waiting the same way)
 * in the same JVM, back to back; and the CPU an idle bus uses with each strategy.
 *
 * <p>The publisher sends on a fixed schedule (packet i at start + i / rate): it parks until about
 * 60 us before the send time, yields until 5 us before and spins the rest, so a late wake-up does
 * not bunch packets and a waiting publisher leaves the core to the consumer. A
 * packet's latency is the handler's clock reading minus the packet's publish stamp (the same
 * time source), so it includes the dispatcher's wake-up when the strategy blocked.
 *
 * <p>Idle CPU: a bus with one handler, after a few packets, left alone; the CPU time of the
 * bus's threads (dispatcher and housekeeper, ThreadMXBean) and of the whole process over the
 * interval, as a share of one core.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.bus.internal.SparseRate [rates=1000,10000,100000] [strategies=all] [idle seconds=10]</pre>
 */
public final class SparseRate {

    record Tick(long seq, long sentAt) {
    }

    /** One strategy at one rate: the bus and the floor. */
    public record RateResult(String strategy, int rate, Histogram bus, Histogram floor, double busCpuPercent) {
        public double p50Ratio() {
            return (double) bus.getValueAtPercentile(50) / Math.max(1, floor.getValueAtPercentile(50));
        }
    }

    /** CPU an idle bus used, in per cent of one core. */
    public record IdleCpu(String strategy, double busThreadsPercent, double processPercent, double seconds) {
    }

    private static final int CAPACITY = 1 << 16;

    private SparseRate() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 0 ? args[0] : "1000,10000,100000").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        List<String> strategies = args.length > 1 && !args[1].equals("all") ? List.of(args[1].split(",")) : Waits.keys();
        double idleSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        TimeSource time = new SystemTimeSource();
        System.out.printf(Locale.ROOT, "Sparse-rate publish->handler latency, %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        warmUp(time);
        List<RateResult> results = new ArrayList<>();
        for (String s : strategies) {
            for (int rate : rates) {
                results.add(measure(s, rate, samplesFor(rate), time));
            }
        }
        print(results);
        List<IdleCpu> idle = new ArrayList<>();
        for (String s : strategies) {
            idle.add(idleCpu(s, s.equals("busy-spin") || s.equals("yield") ? Math.min(2, idleSeconds) : idleSeconds, time));
        }
        printIdle(idle);
    }

    /** Samples for a rate: about one second's worth, at most 50,000. */
    public static int samplesFor(int rate) {
        return Math.max(500, Math.min(rate, 50_000));
    }

    public static void warmUp(TimeSource time) throws InterruptedException {
        for (String s : List.of("busy-spin", "backoff")) {
            busAtRate(s, 200_000, 100_000, time);
            floorAtRate(s, 200_000, 100_000);
        }
    }

    /** The floor and then the bus, at the same rate and strategy. */
    public static RateResult measure(String strategy, int rate, int samples, TimeSource time) throws InterruptedException {
        Histogram floor = floorAtRate(strategy, rate, samples);
        double[] cpu = new double[1];
        Histogram bus = busAtRate(strategy, rate, samples, time, cpu);
        return new RateResult(strategy, rate, bus, floor, cpu[0]);
    }

    public static Histogram busAtRate(String strategy, int rate, int samples, TimeSource time) throws InterruptedException {
        return busAtRate(strategy, rate, samples, time, new double[1]);
    }

    /** @param cpu receives the bus threads' CPU while publishing, per cent of one core */
    public static Histogram busAtRate(String strategy, int rate, int samples, TimeSource time, double[] cpu)
            throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(CAPACITY, strategy, time, new HlcClockImpl(time, 1, 500_000_000L));
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        AtomicLong received = new AtomicLong();
        PacketHandler<Tick> handler = p -> {
            h.recordValue(Math.max(1, Math.min(60_000_000_000L, time.nowNanos() - p.publishedAtNanos())));
            received.lazySet(received.get() + 1);
        };
        Buses.addHandler(bus, handler, Tick.class);
        long period = 1_000_000_000L / rate;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = busThreadCpu(threads);
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < samples; i++) {
            pace(start + i * period);
            bus.publish(PhasePacket.of(new Tick(i, 0), ComponentId.SYSTEM));
        }
        awaitCount(received, samples);
        cpu[0] = 100.0 * cpuSince(threads, before) / Math.max(1, System.nanoTime() - start);
        bus.close();
        return h;
    }

    public static Histogram floorAtRate(String strategy, int rate, int samples) throws InterruptedException {
        MpscArrayQueue<Tick> q = new MpscArrayQueue<>(CAPACITY);
        WaitStrategy.Waker waker = new WaitStrategy.Waker();
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        AtomicLong received = new AtomicLong();
        Thread consumer = FloorConsumer.of(q, WaitStrategy.parse(strategy), waker, received, samples,
                t -> h.recordValue(Math.max(1, Math.min(60_000_000_000L, System.nanoTime() - t.sentAt()))));
        consumer.start();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < samples; i++) {
            pace(start + i * period);
            q.offer(new Tick(i, System.nanoTime()));
            waker.wake();
        }
        consumer.join();
        return h;
    }

    private static void pace(long at) {
        long wait;
        while ((wait = at - System.nanoTime()) > 0) {
            if (wait > 120_000) {
                LockSupport.parkNanos(wait - 60_000);
            } else if (wait > 5_000) {
                Thread.yield(); // leave the core to the consumer (and, on a shared machine, to others)
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitCount(AtomicLong count, long n) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (count.get() < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + count.get() + " of " + n + " packets arrived within 30 s");
            }
            Thread.sleep(1);
        }
    }

    /** An idle bus with one handler subscription (and its dispatcher) for {@code seconds}. */
    public static IdleCpu idleCpu(String strategy, double seconds, TimeSource time) throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(1024, strategy, time, new HlcClockImpl(time, 1, 500_000_000L));
        AtomicLong received = new AtomicLong();
        Buses.addHandler(bus, (PacketHandler<Tick>) p -> received.incrementAndGet(), Tick.class);
        for (int i = 0; i < 100; i++) {
            bus.publish(PhasePacket.of(new Tick(i, 0), ComponentId.SYSTEM));
        }
        awaitCount(received, 100);
        Thread.sleep(300); // past every spin and yield window
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<Long, Long> before = busThreadCpu(threads);
        long p0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long elapsed = System.nanoTime() - t0;
        long p1 = os.getProcessCpuTime();
        long busCpu = cpuSince(threads, before);
        bus.close();
        return new IdleCpu(strategy, 100.0 * busCpu / elapsed, 100.0 * (p1 - p0) / elapsed, elapsed / 1e9);
    }

    private static long cpuSince(ThreadMXBean threads, Map<Long, Long> before) {
        long busCpu = 0;
        for (Map.Entry<Long, Long> e : busThreadCpu(threads).entrySet()) {
            busCpu += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return busCpu;
    }

    private static Map<Long, Long> busThreadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new LinkedHashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("chronofabric-bus")) {
                long c = threads.getThreadCpuTime(info.getThreadId());
                if (c >= 0) {
                    cpu.put(info.getThreadId(), c);
                }
            }
        }
        return cpu;
    }

    public static void print(List<RateResult> results) {
        System.out.println("SPARSE RATES, publish -> handler (ns; the floor: raw MPSC hand-off, same wait strategy, same run)");
        System.out.println("  strategy    rate/s   |  bus p50      p99    p99.9 | floor p50      p99 | p50 bus/floor | bus CPU %");
        for (RateResult r : results) {
            System.out.printf(Locale.ROOT, "  %-10s %8d   | %8d %8d %8d | %8d %8d |   %8.2f    | %6.1f%n", r.strategy(), r.rate(),
                    r.bus().getValueAtPercentile(50), r.bus().getValueAtPercentile(99), r.bus().getValueAtPercentile(99.9),
                    r.floor().getValueAtPercentile(50), r.floor().getValueAtPercentile(99), r.p50Ratio(), r.busCpuPercent());
        }
    }

    public static void printIdle(List<IdleCpu> idle) {
        System.out.println("IDLE CPU, one handler subscription, nothing published (per cent of one core)");
        for (IdleCpu c : idle) {
            System.out.printf(Locale.ROOT, "  %-10s bus threads %7.2f %%   whole process %7.2f %%   (%.1f s)%n", c.strategy(),
                    c.busThreadsPercent(), c.processPercent(), c.seconds());
        }
    }
}
