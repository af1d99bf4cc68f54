package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jctools.queues.MpscArrayQueue;

/**
 * One publisher, one subscriber: the bus (publish -> dispatcher -> handler) against the raw floor
 * (a JCTools MpscArrayQueue hand-off to a consumer thread with the same wait strategy), in
 * alternating rounds A, B, A, B in one JVM. Prints the median throughput of each and the median
 * and spread of the per-round ratios, then one-way latency percentiles (one message in flight).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.bus.internal.BusVsFloor [messages] [rounds] [wait]</pre>
 */
public final class BusVsFloor {

    record Tick(long seq, long sentAt) {
    }

    private static final int CAPACITY = 1 << 16;
    private static final int WINDOW = CAPACITY / 2;

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String wait = args.length > 2 ? args[2] : "park";
        WaitStrategy strategy = WaitStrategy.parse(wait);
        TimeSource time = new SystemTimeSource();
        System.out.printf(Locale.ROOT, "1 publisher -> 1 subscriber, %,d messages per round, %d rounds, wait strategy %s, %d cores, %s%n",
                messages, rounds, wait, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));

        // warm-up
        raw(messages / 5, strategy);
        bus(messages / 5, wait, time);

        List<Double> rawRates = new ArrayList<>();
        List<Double> busRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double a = raw(messages, strategy);
            double b = bus(messages, wait, time);
            rawRates.add(a);
            busRates.add(b);
            ratios.add(b / a);
            System.out.printf(Locale.ROOT, "round %d: raw %,.0f msg/s, bus %,.0f msg/s, bus/raw %.3f%n", r + 1, a, b, b / a);
        }
        System.out.printf(Locale.ROOT, "THROUGHPUT median: raw %,.0f msg/s, bus %,.0f msg/s; bus/raw median %.3f (min %.3f, max %.3f)%n",
                median(rawRates), median(busRates), median(ratios), Collections.min(ratios), Collections.max(ratios));

        Histogram rawLat = rawLatency(200_000, strategy);
        Histogram busLat = busLatency(200_000, wait, time);
        System.out.printf(Locale.ROOT, "ONE-WAY LATENCY (one in flight) raw  p50 %d ns, p99 %d ns, p99.9 %d ns%n",
                rawLat.getValueAtPercentile(50), rawLat.getValueAtPercentile(99), rawLat.getValueAtPercentile(99.9));
        System.out.printf(Locale.ROOT, "ONE-WAY LATENCY (one in flight) bus  p50 %d ns, p99 %d ns, p99.9 %d ns; p50 bus/raw %.2f%n",
                busLat.getValueAtPercentile(50), busLat.getValueAtPercentile(99), busLat.getValueAtPercentile(99.9),
                (double) busLat.getValueAtPercentile(50) / rawLat.getValueAtPercentile(50));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Raw floor: MPSC ring hand-off, consumer waits like a bus dispatcher does. */
    public static double raw(int messages, WaitStrategy strategy) throws InterruptedException {
        MpscArrayQueue<Tick> q = new MpscArrayQueue<>(CAPACITY);
        WaitStrategy.Waker waker = new WaitStrategy.Waker();
        AtomicLong received = new AtomicLong();
        Thread consumer = FloorConsumer.of(q, strategy, waker, received, messages, t -> { });
        consumer.start();
        long start = System.nanoTime();
        for (long i = 0; i < messages; i++) {
            while (i - received.get() > WINDOW) {
                Thread.onSpinWait();
            }
            Tick t = new Tick(i, 0);
            while (!q.offer(t)) {
                Thread.onSpinWait();
            }
            waker.wake();
        }
        consumer.join();
        return messages * 1e9 / (System.nanoTime() - start);
    }

    public static double bus(int messages, String wait, TimeSource time) throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(CAPACITY, wait, time, new HlcClockImpl(time, 1, 500_000_000L));
        AtomicLong received = new AtomicLong();
        Object done = new Object();
        PacketHandler<Tick> handler = p -> {
            long n = received.get() + 1;
            received.lazySet(n);
            if (n == messages) {
                synchronized (done) {
                    done.notifyAll();
                }
            }
        };
        Buses.addHandler(bus, handler, Tick.class);
        long start = System.nanoTime();
        for (long i = 0; i < messages; i++) {
            while (i - received.get() > WINDOW) {
                Thread.onSpinWait();
            }
            bus.publish(PhasePacket.of(new Tick(i, 0), ComponentId.SYSTEM));
        }
        synchronized (done) {
            while (received.get() < messages) {
                done.wait(100);
            }
        }
        double rate = messages * 1e9 / (System.nanoTime() - start);
        if (bus.stats().dropped() > 0) {
            throw new IllegalStateException("bus dropped packets; the window is too large");
        }
        bus.close();
        return rate;
    }

    public static Histogram rawLatency(int messages, WaitStrategy strategy) throws InterruptedException {
        MpscArrayQueue<Tick> q = new MpscArrayQueue<>(CAPACITY);
        WaitStrategy.Waker waker = new WaitStrategy.Waker();
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        AtomicLong received = new AtomicLong();
        Thread consumer = FloorConsumer.of(q, strategy, waker, received, messages,
                t -> h.recordValue(Math.max(1, System.nanoTime() - t.sentAt())));
        consumer.start();
        for (long i = 0; i < messages; i++) {
            q.offer(new Tick(i, System.nanoTime()));
            waker.wake();
            while (received.get() <= i) {
                Thread.onSpinWait();
            }
        }
        consumer.join();
        return h;
    }

    public static Histogram busLatency(int messages, String wait, TimeSource time) {
        PhaseCoherenceBus bus = Buses.create(CAPACITY, wait, time, new HlcClockImpl(time, 1, 500_000_000L));
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        AtomicLong received = new AtomicLong();
        PacketHandler<Tick> handler = p -> {
            h.recordValue(Math.max(1, time.nowNanos() - p.publishedAtNanos()));
            received.set(received.get() + 1);
        };
        Buses.addHandler(bus, handler, Tick.class);
        for (long i = 0; i < messages; i++) {
            bus.publish(PhasePacket.of(new Tick(i, 0), ComponentId.SYSTEM));
            while (received.get() <= i) {
                Thread.onSpinWait();
            }
        }
        bus.close();
        return h;
    }
}
