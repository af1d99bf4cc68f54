package io.chronofabric.time.internal;

import io.chronofabric.api.time.TimeCheckpoint;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Checkpoint bookkeeping shared by both time sources: identity of the source and order of creation. */
final class Checkpoints {

    private final long sourceId = ThreadLocalRandom.current().nextLong();
    private final AtomicLong sequence = new AtomicLong();

    TimeCheckpoint create(String name, long nanos) {
        Objects.requireNonNull(name, "checkpoint name");
        return new TimeCheckpoint(name, nanos, sequence.incrementAndGet(), sourceId);
    }

    boolean coherent(TimeCheckpoint from, TimeCheckpoint to) {
        if (from == null || to == null) {
            return false;
        }
        return from.sourceId() == sourceId && to.sourceId() == sourceId
                && from.sequence() < to.sequence()
                && from.nanos() <= to.nanos();
    }
}
