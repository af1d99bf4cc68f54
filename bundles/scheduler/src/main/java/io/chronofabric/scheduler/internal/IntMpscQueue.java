package io.chronofabric.scheduler.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded queue of non-negative ints for many producers and one consumer at a time, on a ring
 * of int cells (the scheme of JCTools' {@code MpscArrayQueue}): a producer claims a position with
 * one compare-and-set of the producer index and publishes its value with a release store; the
 * consumer reads cells with acquire loads and moves its own index with a release store. It holds
 * no references, so neither side stores one (no garbage-collector write barrier). A value that
 * is claimed but not yet published stops {@link #poll()} until it is.
 *
 * <p>The scheduler queues here the slots of one-shot tasks that ended outside its lock; the
 * holder of the lock is the one consumer.
 */
final class IntMpscQueue {

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle PRODUCER;
    private static final VarHandle CONSUMER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PRODUCER = l.findVarHandle(IntMpscQueue.class, "producerIndex", long.class);
            CONSUMER = l.findVarHandle(IntMpscQueue.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int[] cells; // -1: empty
    private final int mask;
    private volatile long producerIndex;
    private volatile long consumerIndex;

    /** @param capacity a power of two */
    IntMpscQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two >= 2");
        }
        cells = new int[capacity];
        java.util.Arrays.fill(cells, -1);
        mask = capacity - 1;
    }

    /**
     * Adds {@code value}, from any thread.
     *
     * @return false when the queue is full (nothing added)
     */
    boolean offer(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a queued value is negative: " + value);
        }
        long p;
        do {
            p = producerIndex;
            if (p - consumerIndex >= cells.length) {
                return false;
            }
        } while (!PRODUCER.compareAndSet(this, p, p + 1));
        CELL.setRelease(cells, (int) p & mask, value);
        return true;
    }

    /** The consumer (one thread at a time, the caller keeps it so): the oldest published value, or -1. */
    int poll() {
        long c = (long) CONSUMER.getOpaque(this);
        int i = (int) c & mask;
        int v = (int) CELL.getAcquire(cells, i);
        if (v < 0) {
            return -1;
        }
        cells[i] = -1;
        CONSUMER.setRelease(this, c + 1); // after the clear: a producer that wraps around finds the cell empty
        return v;
    }

    /**
     * A volatile read of the producer index: a thread that reads it after a producer's
     * compare-and-set sees everything that producer wrote before offering.
     */
    long producerIndex() {
        return producerIndex;
    }
}
