package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.Priority;
import org.jctools.queues.MpscChunkedArrayQueue;

/**
 * A subscriber's bounded queue: one lock-free multi-producer/single-consumer lane per priority
 * level. {@link #poll()} takes from the highest non-empty lane, so a higher-priority packet waiting
 * is delivered before lower ones; within a lane, order is enqueue order, which keeps each
 * publisher's packets of equal priority in FIFO order. Lanes grow in chunks up to
 * {@code capacity}, so an idle subscriber holds little memory and a busy one at most
 * {@code capacity} packets per level.
 */
final class LaneQueue {

    private final MpscChunkedArrayQueue<PhasePacket<?>>[] lanes;
    private final int capacity;

    @SuppressWarnings("unchecked")
    LaneQueue(int requestedCapacity) {
        this.capacity = roundUpPowerOfTwo(requestedCapacity);
        int chunk = Math.min(capacity / 2, 256);
        lanes = new MpscChunkedArrayQueue[Priority.LEVELS];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new MpscChunkedArrayQueue<>(chunk, capacity);
        }
    }

    static int roundUpPowerOfTwo(int n) {
        return n <= 16 ? 16 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Never blocks; false when the packet's lane is full. */
    boolean offer(PhasePacket<?> p) {
        return lanes[p.priority().ordinal()].offer(p);
    }

    /** Single consumer only: the next packet from the highest non-empty lane, or null. */
    PhasePacket<?> poll() {
        for (int i = lanes.length - 1; i >= 0; i--) {
            PhasePacket<?> p = lanes[i].poll();
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    boolean isEmpty() {
        for (MpscChunkedArrayQueue<PhasePacket<?>> lane : lanes) {
            if (!lane.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    int size() {
        int n = 0;
        for (MpscChunkedArrayQueue<PhasePacket<?>> lane : lanes) {
            n += lane.size();
        }
        return n;
    }

    int capacity() {
        return capacity;
    }
}
