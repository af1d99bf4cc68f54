package io.chronofabric.ledger.internal;

import io.chronofabric.api.bus.PhasePacket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The recorder's queue of packets to append: bounded, many producers (the bus dispatchers of the
 * recorded channels), exactly one consumer (the recorder's writer thread). Lock-free and
 * allocation-free: D. Vyukov's bounded queue, a sequence number per slot.
 *
 * <p>Positions count packets over a chain of queues: a queue that replaces a {@linkplain #seal
 * sealed} one starts at the position where the sealed one ends, so "every packet accepted before
 * position p has been appended" is one comparison, whatever resizes happened in between.
 *
 * <p>{@link #seal} refuses every later offer ({@link #SEALED}) while what was accepted before stays
 * to be taken; {@link #drained} says when all of it was.
 */
final class RecordQueue {

    static final int OK = 0;
    static final int FULL = 1;
    static final int SEALED = 2;

    private static final long SEALED_BIT = Long.MIN_VALUE;

    private final int mask;
    private final PhasePacket<?>[] packets;
    private final String[] channels;
    private final AtomicLongArray sequences;
    /** The next position to claim; the sign bit once sealed. */
    private final AtomicLong tail;
    /** The next position to take; written by the consumer only. */
    private volatile long head;

    /**
     * @param capacity at least 1; rounded up to a power of two
     * @param start    the position of the first packet (the end of the queue this one replaces)
     */
    RecordQueue(int capacity, long start) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("Queue capacity " + capacity + " is not in 1.." + (1 << 30));
        }
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        this.mask = size - 1;
        this.packets = new PhasePacket<?>[size];
        this.channels = new String[size];
        this.sequences = new AtomicLongArray(size);
        for (long p = start; p < start + size; p++) {
            sequences.set(index(p), p);
        }
        this.tail = new AtomicLong(start);
        this.head = start;
    }

    private int index(long position) {
        return (int) position & mask;
    }

    int capacity() {
        return mask + 1;
    }

    /** Adds a packet; {@link #OK}, {@link #FULL} or {@link #SEALED}. Any thread; never blocks. */
    int offer(PhasePacket<?> packet, String channel) {
        for (;;) {
            long t = tail.get();
            if (t < 0) {
                return SEALED;
            }
            int i = index(t);
            long seq = sequences.get(i);
            if (seq == t) {
                if (tail.compareAndSet(t, t + 1)) {
                    packets[i] = packet;
                    channels[i] = channel;
                    sequences.lazySet(i, t + 1);
                    return OK;
                }
            } else if (seq < t) {
                // the slot still holds the packet one lap behind: full
                return FULL;
            }
            // another producer claimed t first: try the next position
        }
    }

    /** Receives what {@link #drainTo} takes. */
    interface Sink {
        /** Whether the sink takes no more now (its batch is full). */
        boolean full();

        void accept(PhasePacket<?> packet, String channel, long position);
    }

    /** Consumer only: moves queued packets to the sink, in order, until it is full or nothing is ready. */
    int drainTo(Sink sink) {
        long h = head;
        int n = 0;
        while (!sink.full()) {
            int i = index(h);
            if (sequences.get(i) != h + 1) {
                break;
            }
            PhasePacket<?> p = packets[i];
            String c = channels[i];
            packets[i] = null;
            channels[i] = null;
            sequences.lazySet(i, h + mask + 1);
            sink.accept(p, c, h);
            h++;
            n++;
        }
        if (n > 0) {
            head = h;
        }
        return n;
    }

    /** The position after the last packet accepted (claimed) so far. */
    long end() {
        return tail.get() & ~SEALED_BIT;
    }

    /** The position of the next packet the consumer takes. */
    long head() {
        return head;
    }

    /** Packets accepted and not yet taken (some may still be being written by their producer). */
    long size() {
        return end() - head;
    }

    /** Refuses every later offer; returns {@link #end()}, fixed from now on. Idempotent. */
    long seal() {
        return tail.getAndUpdate(t -> t | SEALED_BIT) & ~SEALED_BIT;
    }

    boolean sealed() {
        return tail.get() < 0;
    }

    /** Sealed and every packet accepted before was taken. */
    boolean drained() {
        long t = tail.get();
        return t < 0 && head == (t & ~SEALED_BIT);
    }
}
