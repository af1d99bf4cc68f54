package io.chronofabric.time.internal;

import io.chronofabric.api.time.QuantumOffset;
import io.chronofabric.api.time.TimeCheckpoint;
import io.chronofabric.api.time.TimeSource;
import java.util.Map;
import org.slf4j.Logger;

/** What both time sources share: checkpoints and the configured quantum offset. */
abstract class AbstractTimeSource implements TimeSource {

    private final Checkpoints checkpoints = new Checkpoints();
    private volatile QuantumOffset quantumOffset = QuantumOffset.NONE;

    /** Applies the {@code quantum.*} keys; a bad value is refused with a log line and the last good offset stays. */
    final void applyQuantumOffset(TimeConfig config, Map<String, Object> raw, Logger log) {
        try {
            quantumOffset = QuantumOffsets.from(config, raw);
        } catch (IllegalArgumentException e) {
            log.error("Refused configuration {}: {}; keeping quantum offset {}", TimeConfig.PID, e.getMessage(), quantumOffset);
        }
    }

    @Override
    public QuantumOffset quantumOffset() {
        return quantumOffset;
    }

    @Override
    public TimeCheckpoint createCheckpoint(String name) {
        return checkpoints.create(name, nowNanos());
    }

    @Override
    public boolean validateCoherence(TimeCheckpoint from, TimeCheckpoint to) {
        return checkpoints.coherent(from, to);
    }
}
