package io.chronofabric.api.time;

import java.util.Objects;

/**
 * A named reading of a time source.
 *
 * @param name     what the checkpoint marks
 * @param nanos    the reading, nanoseconds since the epoch
 * @param sequence order of creation within its source (strictly increasing)
 * @param sourceId identity of the source instance that created it
 */
public record TimeCheckpoint(String name, long nanos, long sequence, long sourceId) {

    public TimeCheckpoint {
        Objects.requireNonNull(name, "name");
    }
}
