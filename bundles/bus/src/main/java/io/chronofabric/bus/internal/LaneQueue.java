package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.Priority;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jctools.queues.MpscArrayQueue;

/**
 * A subscriber's bounded queue: one lock-free multi-producer/single-consumer ring per priority
 * level. {@link #poll()} takes from the highest non-empty lane, so a higher-priority packet waiting
 * is delivered before lower ones; within a lane, order is enqueue order, which keeps each
 * publisher's packets of equal priority in FIFO order.
 *
 * <p>Rings are preallocated arrays, so offering and polling allocate nothing. The NORMAL lane
 * exists from the start; the others are created the first time a packet of their priority
 * arrives, so a subscriber holds at most {@code capacity} references per priority level it has
 * actually seen.
 */
final class LaneQueue {

    private static final int DEFAULT_LANE = Priority.NORMAL.ordinal();

    private final AtomicReferenceArray<MpscArrayQueue<PhasePacket<?>>> lanes =
            new AtomicReferenceArray<>(Priority.LEVELS);
    private final int capacity;

    LaneQueue(int requestedCapacity) {
        this.capacity = roundUpPowerOfTwo(requestedCapacity);
        lanes.set(DEFAULT_LANE, new MpscArrayQueue<>(capacity));
    }

    static int roundUpPowerOfTwo(int n) {
        return n <= 16 ? 16 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Never blocks; false when the packet's lane is full. */
    boolean offer(PhasePacket<?> p) {
        int level = p.priority().ordinal();
        MpscArrayQueue<PhasePacket<?>> lane = lanes.get(level);
        if (lane == null) {
            lanes.compareAndSet(level, null, new MpscArrayQueue<>(capacity));
            lane = lanes.get(level);
        }
        return lane.offer(p);
    }

    /** Single consumer only: the next packet from the highest non-empty lane, or null. */
    PhasePacket<?> poll() {
        for (int i = Priority.LEVELS - 1; i >= 0; i--) {
            MpscArrayQueue<PhasePacket<?>> lane = lanes.get(i);
            if (lane != null) {
                PhasePacket<?> p = lane.poll();
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * As {@link #poll()}, but a lane whose next slot a publisher has claimed and not yet filled
     * counts as empty for now (JCTools' relaxedPoll): polling an empty lane then reads only the
     * slot, not the producers' index, so a consumer that keeps up does not pull the line the
     * publishers' compare-and-set needs. Every packet whose offer has returned is seen. Callers
     * that decide to block check {@link #isEmpty()} (exact) first.
     */
    PhasePacket<?> relaxedPoll() {
        for (int i = Priority.LEVELS - 1; i >= 0; i--) {
            MpscArrayQueue<PhasePacket<?>> lane = lanes.get(i);
            if (lane != null) {
                PhasePacket<?> p = lane.relaxedPoll();
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    boolean isEmpty() {
        for (int i = 0; i < Priority.LEVELS; i++) {
            MpscArrayQueue<PhasePacket<?>> lane = lanes.get(i);
            if (lane != null && !lane.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    int size() {
        int n = 0;
        for (int i = 0; i < Priority.LEVELS; i++) {
            MpscArrayQueue<PhasePacket<?>> lane = lanes.get(i);
            if (lane != null) {
                n += lane.size();
            }
        }
        return n;
    }

    int capacity() {
        return capacity;
    }

    /** Producer positions of the lanes now (-1 for a lane not created yet), for {@link #consumedPast}. */
    long[] producerMarks() {
        long[] marks = new long[Priority.LEVELS];
        for (int i = 0; i < Priority.LEVELS; i++) {
            MpscArrayQueue<PhasePacket<?>> lane = lanes.get(i);
            marks[i] = lane == null ? -1 : lane.currentProducerIndex();
        }
        return marks;
    }

    /** Whether the consumer has taken every packet offered before {@code marks} were read. */
    boolean consumedPast(long[] marks) {
        for (int i = 0; i < Priority.LEVELS; i++) {
            MpscArrayQueue<PhasePacket<?>> lane = lanes.get(i);
            if (marks[i] > 0 && lane != null && lane.currentConsumerIndex() < marks[i]) {
                return false;
            }
        }
        return true;
    }
}
