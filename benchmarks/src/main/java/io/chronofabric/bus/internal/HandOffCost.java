package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpscArrayQueue;

/**
 * What one hand-off costs each side, in CPU time of the thread doing it, so that a loaded machine
 * (where wall-clock throughput mostly measures the scheduler) still gives comparable figures: the
 * publisher's cost per packet while nobody consumes (the consumer is held back), then the
 * consumer's cost per packet draining the full queue (batches, as a dispatcher that has fallen
 * behind). The floor is the raw JCTools MPSC hand-off (offer a payload; relaxedPoll and count); the
 * bus is publish to a whiteboard handler that counts (held back by a gate packet its handler
 * blocks on). Rounds alternate floor and bus; medians and ranges are printed.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.bus.internal.HandOffCost [packets] [rounds]</pre>
 */
public final class HandOffCost {

    record Tick(long seq) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CAPACITY = 1 << 16;

    private HandOffCost() {
    }

    /** [publisher CPU ns per packet, consumer CPU ns per packet]. */
    static double[] floor(int n) throws InterruptedException {
        MpscArrayQueue<Tick> q = new MpscArrayQueue<>(CAPACITY);
        CountDownLatch go = new CountDownLatch(1);
        double[] out = new double[2];
        Thread consumer = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            AtomicLong count = new AtomicLong();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long k = 0;
            while (k < n) {
                Tick t = q.relaxedPoll();
                if (t != null) {
                    k++;
                    count.lazySet(k);
                }
            }
            out[1] = (THREADS.getCurrentThreadCpuTime() - c0) / (double) n;
        });
        consumer.start();
        long p0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            q.offer(new Tick(i));
        }
        out[0] = (THREADS.getCurrentThreadCpuTime() - p0) / (double) n;
        go.countDown();
        consumer.join();
        return out;
    }

    static double[] bus(int n, TimeSource time) throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(CAPACITY, "backoff", time, new HlcClockImpl(time, 1, 500_000_000L));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        double[] out = new double[2];
        long[] state = new long[2]; // [delivered after the gate, consumer CPU at the gate's release]
        PacketHandler<Tick> handler = p -> {
            if (p.payload().seq() < 0) {
                entered.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                state[1] = THREADS.getCurrentThreadCpuTime();
                return;
            }
            if (++state[0] == n) {
                out[1] = (THREADS.getCurrentThreadCpuTime() - state[1]) / (double) n;
                done.countDown();
            }
        };
        Buses.addHandler(bus, handler, Tick.class);
        bus.publish(PhasePacket.of(new Tick(-1), ComponentId.SYSTEM));
        entered.await();
        long p0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            bus.publish(PhasePacket.of(new Tick(i), ComponentId.SYSTEM));
        }
        out[0] = (THREADS.getCurrentThreadCpuTime() - p0) / (double) n;
        go.countDown();
        done.await();
        if (bus.stats().dropped() > 0) {
            throw new IllegalStateException("the bus dropped packets: the queue is too small for " + n);
        }
        bus.close();
        return out;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        TimeSource time = new SystemTimeSource();
        for (int i = 0; i < 20; i++) { // warm-up
            floor(n);
            bus(n, time);
        }
        List<Double> fp = new ArrayList<>();
        List<Double> fc = new ArrayList<>();
        List<Double> bp = new ArrayList<>();
        List<Double> bc = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] f = floor(n);
            double[] b = bus(n, time);
            fp.add(f[0]);
            fc.add(f[1]);
            bp.add(b[0]);
            bc.add(b[1]);
        }
        System.out.printf(Locale.ROOT, "HAND-OFF COST, CPU ns per packet (median [min, max] of %d rounds of %,d packets)%n", rounds, n);
        System.out.printf(Locale.ROOT, "  publisher: floor %s, bus %s%n", fmt(fp), fmt(bp));
        System.out.printf(Locale.ROOT, "  consumer (draining a full queue): floor %s, bus %s%n", fmt(fc), fmt(bc));
        System.exit(0);
    }

    private static String fmt(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int k = s.size();
        double med = k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
        return String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", med, s.get(0), s.get(k - 1));
    }
}
