package io.chronofabric.api.time;

import io.chronofabric.api.core.NanoTime;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A source of nanosecond time since the Unix epoch.
 *
 * <p><b>Contract.</b> Readings from one source instance never go backwards: for two calls
 * ordered by happens-before, the second returns a value greater than or equal to the first.
 * Implementations are thread-safe, lock-free on {@link #nowNanos()}, and allocate nothing there.
 * Methods never return null. The active source is chosen by configuration
 * ({@code etc/io.chronofabric.time.cfg}, key {@code source}); consumers should hold it through a
 * dynamic, greedy reference so that they follow a switch at run time.
 *
 * <p>Service property {@value #KIND_PROPERTY} carries {@link #kind()}.
 */
@ProviderType
public interface TimeSource {

    /** Service property naming the kind of source ({@code system} or {@code simulated}). */
    String KIND_PROPERTY = "chronofabric.time.kind";

    /** Nanoseconds since the epoch; never decreases. Hot path: no allocation, no lock. */
    long nowNanos();

    /** {@link #nowNanos()} as a value object. */
    default NanoTime now() {
        return new NanoTime(nowNanos());
    }

    /**
     * Whether readings come from a hardware counter with sub-microsecond resolution that the
     * JVM exposes (on HotSpot/x86-64 {@link System#nanoTime()} reads the invariant TSC through
     * the kernel's vDSO; a simulated source returns false).
     */
    boolean hasHardwareTiming();

    /** Short name of the implementation: {@code system} or {@code simulated}. */
    String kind();

    /**
     * The periodic offset this source suggests for spreading periodic work; see
     * {@link QuantumOffset}. {@link QuantumOffset#NONE} when none is configured.
     */
    QuantumOffset quantumOffset();

    /**
     * Records the current reading under a name, for a later {@link #validateCoherence} check.
     *
     * @param name what the checkpoint marks; not null
     * @throws NullPointerException if {@code name} is null
     */
    TimeCheckpoint createCheckpoint(String name);

    /**
     * Whether two checkpoints are coherent: both were taken from this source instance,
     * {@code from} was taken before {@code to}, and time did not run backwards between them.
     * Returns false (never throws) for checkpoints of another source.
     */
    boolean validateCoherence(TimeCheckpoint from, TimeCheckpoint to);
}
