package io.chronofabric.time.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.core.NanoTime;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.time.SimulatedTimeSource;
import io.chronofabric.api.time.TimeSource;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time that moves only when told to. Starts at {@code simulated.start.ns}, or at the wall clock
 * when that is 0. Enabled by {@link TimeSourceSelector} when {@code source=simulated}.
 */
@Component(name = SimulatedTimeSourceImpl.NAME, enabled = false, immediate = true, configurationPid = TimeConfig.PID,
        service = {TimeSource.class, SimulatedTimeSource.class},
        property = TimeSource.KIND_PROPERTY + "=" + SimulatedTimeSourceImpl.KIND)
public final class SimulatedTimeSourceImpl extends AbstractTimeSource implements SimulatedTimeSource, HealthIndicator {

    static final String NAME = "io.chronofabric.time.simulated";
    static final String KIND = "simulated";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedTimeSourceImpl.class);

    private final AtomicLong nanos = new AtomicLong();

    /** For DS; the start time comes from configuration in {@link #activate}. */
    public SimulatedTimeSourceImpl() {
    }

    /** For tests: a source reading {@code startNanos}. */
    public SimulatedTimeSourceImpl(long startNanos) {
        if (startNanos < 0) {
            throw new IllegalArgumentException("Simulated start " + startNanos + " ns is negative");
        }
        nanos.set(startNanos);
    }

    @Activate
    void activate(TimeConfig config, Map<String, Object> raw) {
        long start;
        try {
            start = ConfigValues.read(raw, "simulated.start.ns", config::simulated_start_ns, "an integer");
            if (start < 0) {
                throw new IllegalArgumentException("simulated.start.ns=" + start + " is negative");
            }
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; starting at the wall clock", TimeConfig.PID, e.getMessage());
            start = 0;
        }
        if (start == 0) {
            start = NanoTime.of(Instant.now()).nanos();
        }
        nanos.set(start);
        modified(config, raw);
    }

    @Modified
    void modified(TimeConfig config, Map<String, Object> raw) {
        applyQuantumOffset(config, raw, LOG);
    }

    @Override
    public long nowNanos() {
        return nanos.get();
    }

    @Override
    public long advance(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("Cannot advance simulated time by " + delta + " ns: time does not run backwards");
        }
        while (true) {
            long current = nanos.get();
            if (current > Long.MAX_VALUE - delta) {
                throw new IllegalArgumentException("Cannot advance simulated time by " + delta + " ns from " + current
                        + " ns: it would pass Long.MAX_VALUE (" + Long.MAX_VALUE + " ns)");
            }
            if (nanos.compareAndSet(current, current + delta)) {
                return current + delta;
            }
        }
    }

    @Override
    public long advanceTo(long target) {
        while (true) {
            long current = nanos.get();
            if (target < current) {
                throw new TemporalViolationException("simulated time is " + current + " ns; cannot set it back to " + target + " ns");
            }
            if (nanos.compareAndSet(current, target)) {
                return target;
            }
        }
    }

    @Override
    public boolean hasHardwareTiming() {
        return false;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public HealthReport health() {
        return HealthReport.up("simulated, at " + new NanoTime(nanos.get()));
    }

    @Override
    public String toString() {
        return "SimulatedTimeSource[" + nanos.get() + " ns]";
    }
}
