package io.chronofabric.time.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.time.TimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nanosecond epoch time that never goes backwards: {@link System#nanoTime()} (CLOCK_MONOTONIC,
 * slewed but never stepped by NTP) anchored once to the wall clock at activation. A step of the
 * wall clock after activation is not followed; {@link #driftNanos()} shows the difference.
 *
 * <p>Enabled by {@link TimeSourceSelector} when {@code source=system}.
 */
@Component(name = SystemTimeSource.NAME, enabled = false, configurationPid = TimeConfig.PID,
        service = TimeSource.class, property = TimeSource.KIND_PROPERTY + "=" + SystemTimeSource.KIND)
public final class SystemTimeSource extends AbstractTimeSource implements HealthIndicator {

    static final String NAME = "io.chronofabric.time.system";
    static final String KIND = "system";
    private static final Logger LOG = LoggerFactory.getLogger(SystemTimeSource.class);

    private final long anchorEpochNanos;
    private final long anchorMonotonic;
    private final boolean hardwareTiming;

    public SystemTimeSource() {
        Instant wall = Instant.now();
        this.anchorMonotonic = System.nanoTime();
        this.anchorEpochNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        this.hardwareTiming = detectHardwareTiming();
    }

    @Activate
    @Modified
    void configure(TimeConfig config, Map<String, Object> raw) {
        applyQuantumOffset(config, raw, LOG);
    }

    @Override
    public long nowNanos() {
        return anchorEpochNanos + (System.nanoTime() - anchorMonotonic);
    }

    /** Wall clock minus this source's reading, in nanoseconds (positive: the wall clock is ahead). */
    public long driftNanos() {
        Instant wall = Instant.now();
        return wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - nowNanos();
    }

    @Override
    public boolean hasHardwareTiming() {
        return hardwareTiming;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** True when the kernel's clock source is the CPU's time stamp counter (Linux). */
    static boolean detectHardwareTiming() {
        Path p = Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource");
        try {
            return Files.isReadable(p) && Files.readString(p, StandardCharsets.US_ASCII).trim().equals("tsc");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public HealthReport health() {
        long drift = driftNanos();
        String summary = "system, hardware timing " + (hardwareTiming ? "yes" : "no") + ", wall-clock drift "
                + drift / 1_000 + " us";
        if (Math.abs(drift) > 1_000_000_000L) {
            return HealthReport.degraded(summary, java.util.List.of("The wall clock was stepped by "
                    + drift / 1_000_000 + " ms since activation; readings stay monotonic and do not follow it"));
        }
        return HealthReport.up(summary);
    }

    @Override
    public String toString() {
        return "SystemTimeSource[hardware=" + hardwareTiming + "]";
    }
}
