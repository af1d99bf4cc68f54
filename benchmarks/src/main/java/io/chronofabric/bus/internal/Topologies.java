package io.chronofabric.bus.internal;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.benchmarks.Publishers;
import io.chronofabric.time.internal.HlcClockImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * More shapes for the suite: 3 publishers to 1 subscriber, 1 publisher to 4 subscribers (fan-out),
 * a Disruptor 1P1C ring, and the two-thread AtomicLong ping-pong latency floor. Each returns
 * messages published per second (fan-out: each message reaches every subscriber).
 */
public final class Topologies {

    record Tick(long seq) {
    }

    private static final int CAPACITY = 1 << 16;
    private static final int WINDOW = CAPACITY / 4;

    private Topologies() {
    }

    /** Raw floor, 3 producers: a shared MPSC ring to one consumer waiting like a dispatcher. */
    public static double raw3P1C(int messages) throws InterruptedException {
        return raw3P1C(messages, "park");
    }

    public static double raw3P1C(int messages, String wait) throws InterruptedException {
        int total = messages / 3 * 3;
        MpscArrayQueue<Tick> q = new MpscArrayQueue<>(CAPACITY);
        WaitStrategy.Waker waker = new WaitStrategy.Waker();
        AtomicLong received = new AtomicLong();
        Thread consumer = FloorConsumer.of(q, WaitStrategy.parse(wait), waker, received, total, t -> { });
        consumer.start();
        double rate = Publishers.drive(3, total, 1, WINDOW, received, (id, i) -> {
            Tick t = new Tick(i);
            while (!q.offer(t)) {
                Thread.onSpinWait();
            }
            waker.wake();
        });
        consumer.join();
        return rate;
    }

    public static double bus3P1C(int messages, TimeSource time) throws InterruptedException {
        return bus3P1C(messages, time, "park");
    }

    public static double bus3P1C(int messages, TimeSource time, String wait) throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(CAPACITY, wait, time, new HlcClockImpl(time, 1, 500_000_000L));
        AtomicLong received = new AtomicLong();
        Buses.addHandler(bus, (PacketHandler<Tick>) p -> received.lazySet(received.get() + 1), Tick.class);
        try {
            return Publishers.drive(3, messages, 1, WINDOW, received, (id, i) -> bus.publish(PhasePacket.of(new Tick(i), ComponentId.SYSTEM)));
        } finally {
            bus.close();
        }
    }

    /** Raw floor fan-out: the publisher offers each message to 4 SPSC rings, one consumer each. */
    public static double raw1P4C(int messages) throws InterruptedException {
        return raw1P4C(messages, "park");
    }

    public static double raw1P4C(int messages, String wait) throws InterruptedException {
        List<SpscArrayQueue<Tick>> queues = new ArrayList<>();
        List<WaitStrategy.Waker> wakers = new ArrayList<>();
        List<AtomicLong> counts = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            SpscArrayQueue<Tick> q = new SpscArrayQueue<>(CAPACITY);
            WaitStrategy.Waker w = new WaitStrategy.Waker();
            AtomicLong n = new AtomicLong();
            queues.add(q);
            wakers.add(w);
            counts.add(n);
            consumers.add(FloorConsumer.of(q, WaitStrategy.parse(wait), w, n, messages, t -> { }));
        }
        long start = System.nanoTime();
        consumers.forEach(Thread::start);
        for (long i = 0; i < messages; i++) {
            while (i - min(counts) > WINDOW) {
                Thread.onSpinWait();
            }
            Tick t = new Tick(i);
            for (int c = 0; c < 4; c++) {
                while (!queues.get(c).offer(t)) {
                    Thread.onSpinWait();
                }
                wakers.get(c).wake();
            }
        }
        for (Thread t : consumers) {
            t.join();
        }
        return messages * 1e9 / (System.nanoTime() - start);
    }

    /**
     * Raw floor fan-out with the bus's kind of queue: the publisher offers each message to 4 MPSC
     * rings (a compare-and-set per offer, as every bus queue takes packets from any thread), one
     * consumer each. The SPSC floor above is the floor; this one shows what the queue kind costs.
     */
    public static double raw1P4CMpsc(int messages, String wait) throws InterruptedException {
        List<MpscArrayQueue<Tick>> queues = new ArrayList<>();
        List<WaitStrategy.Waker> wakers = new ArrayList<>();
        List<AtomicLong> counts = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            MpscArrayQueue<Tick> q = new MpscArrayQueue<>(CAPACITY);
            WaitStrategy.Waker w = new WaitStrategy.Waker();
            AtomicLong n = new AtomicLong();
            queues.add(q);
            wakers.add(w);
            counts.add(n);
            consumers.add(FloorConsumer.of(q, WaitStrategy.parse(wait), w, n, messages, t -> { }));
        }
        long start = System.nanoTime();
        consumers.forEach(Thread::start);
        for (long i = 0; i < messages; i++) {
            while (i - min(counts) > WINDOW) {
                Thread.onSpinWait();
            }
            Tick t = new Tick(i);
            for (int c = 0; c < 4; c++) {
                while (!queues.get(c).offer(t)) {
                    Thread.onSpinWait();
                }
                wakers.get(c).wake();
            }
        }
        for (Thread t : consumers) {
            t.join();
        }
        return messages * 1e9 / (System.nanoTime() - start);
    }

    public static double bus1P4C(int messages, TimeSource time) throws InterruptedException {
        return bus1P4C(messages, time, "park");
    }

    public static double bus1P4C(int messages, TimeSource time, String wait) throws InterruptedException {
        PhaseCoherenceBus bus = Buses.create(CAPACITY, wait, 4, time, new HlcClockImpl(time, 1, 500_000_000L));
        List<AtomicLong> counts = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            AtomicLong n = new AtomicLong();
            counts.add(n);
            Buses.addHandler(bus, (PacketHandler<Tick>) p -> n.lazySet(n.get() + 1), Tick.class);
        }
        try {
            long start = System.nanoTime();
            for (long i = 0; i < messages; i++) {
                while (i - min(counts) > WINDOW) {
                    Thread.onSpinWait();
                }
                bus.publish(PhasePacket.of(new Tick(i), ComponentId.SYSTEM));
            }
            while (min(counts) < messages) {
                Thread.onSpinWait();
            }
            return messages * 1e9 / (System.nanoTime() - start);
        } finally {
            bus.close();
        }
    }

    private static long min(List<AtomicLong> counts) {
        long m = Long.MAX_VALUE;
        for (AtomicLong a : counts) {
            m = Math.min(m, a.get());
        }
        return m;
    }

    /** LMAX Disruptor 4.0.0, single producer, one event handler, BlockingWaitStrategy (it blocks when idle, like PARK). */
    public static double disruptor1P1C(int messages) throws InterruptedException {
        final class Slot {
            long value;
        }
        Disruptor<Slot> d = new Disruptor<>(Slot::new, CAPACITY, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE,
                new BlockingWaitStrategy());
        AtomicLong received = new AtomicLong();
        d.handleEventsWith((event, sequence, endOfBatch) -> received.lazySet(received.get() + 1));
        var ring = d.start();
        long start = System.nanoTime();
        for (long i = 0; i < messages; i++) {
            long seq = ring.next();
            ring.get(seq).value = i;
            ring.publish(seq);
        }
        while (received.get() < messages) {
            Thread.onSpinWait();
        }
        double rate = messages * 1e9 / (System.nanoTime() - start);
        d.shutdown();
        return rate;
    }

    /** One-way latency floor: two threads bouncing a counter through AtomicLongs, busy-spinning; RTT / 2 per sample. */
    public static long[] pingPongOneWayNanos(int samples) throws InterruptedException {
        AtomicLong ping = new AtomicLong(-1);
        AtomicLong pong = new AtomicLong(-1);
        Thread ponger = new Thread(() -> {
            for (long i = 0; i < samples; i++) {
                while (ping.get() != i) {
                    Thread.onSpinWait();
                }
                pong.set(i);
            }
        });
        ponger.start();
        long[] oneWay = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            ping.set(i);
            while (pong.get() != i) {
                Thread.onSpinWait();
            }
            oneWay[i] = (System.nanoTime() - t0) / 2;
        }
        ponger.join();
        java.util.Arrays.sort(oneWay);
        return oneWay;
    }

    /**
     * The same two-thread ping-pong, timed the way the bus and the queue hand-offs are: the sender
     * writes {@code System.nanoTime()} into the shared AtomicLong, the receiver subtracts it from its
     * own {@code System.nanoTime()} when it sees the new value, then acknowledges. Returns the sorted
     * one-way times; unlike round trip / 2 it includes one clock read on each side.
     */
    public static long[] pingPongStampedNanos(int samples) throws InterruptedException {
        AtomicLong sentAt = new AtomicLong(Long.MIN_VALUE);
        AtomicLong ack = new AtomicLong(-1);
        long[] oneWay = new long[samples];
        Thread receiver = new Thread(() -> {
            long last = Long.MIN_VALUE;
            for (int i = 0; i < samples; i++) {
                long sent;
                while ((sent = sentAt.get()) == last) {
                    Thread.onSpinWait();
                }
                oneWay[i] = System.nanoTime() - sent;
                last = sent;
                ack.set(i);
            }
        });
        receiver.start();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < samples; i++) {
            long now;
            while ((now = System.nanoTime()) == previous) {
                Thread.onSpinWait(); // each stamp must differ from the last so the receiver sees it
            }
            sentAt.set(now);
            previous = now;
            while (ack.get() != i) {
                Thread.onSpinWait();
            }
        }
        receiver.join();
        java.util.Arrays.sort(oneWay);
        return oneWay;
    }
}
