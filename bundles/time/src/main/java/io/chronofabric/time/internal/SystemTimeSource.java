package io.chronofabric.time.internal;

import io.chronofabric.api.core.HealthIndicator;
import io.chronofabric.api.core.HealthReport;
import io.chronofabric.api.time.TimeSource;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nanosecond epoch time that never goes backwards and follows the wall clock (UTC):
 * {@link System#nanoTime()} (CLOCK_MONOTONIC) mapped to epoch time by a piecewise-linear function
 * that a discipline thread re-steers every {@code discipline.interval.ms}.
 *
 * <p><b>Reading</b> ({@link #nowNanos()}, the hot path): one volatile load of the current
 * {@link Segment}, one {@code nanoTime()}, one multiply-add. No lock, no allocation.
 *
 * <p><b>Why readings never go backwards, across threads.</b> The map is a chain of immutable
 * segments; each covers monotonic time {@code [start, end)} and each successor starts exactly at
 * its predecessor's {@code end}, at its predecessor's value there (or higher, for a forward step),
 * with a positive rate. A segment is installed only by compare-and-set on its predecessor, so
 * the chain is linear and a piece, once installed, never changes. A reader that loaded a segment
 * uses it only for a monotonic reading below its {@code end}; the writer only installs a
 * successor while its predecessor is in effect, so a reader that loaded the successor has a
 * monotonic reading at or after the predecessor's start and finds the right piece (the
 * successor carries its predecessor's piece for readings before its own start). So every
 * reading is F(m) for one fixed non-decreasing F and a monotonic m. A reader that finds its
 * segment expired (the discipline thread is late or stopped) installs, by the same
 * compare-and-set, an extension at the same rate; that allocates one small object per second at
 * most and keeps the read path lock-free.
 *
 * <p><b>Discipline</b> (the background thread, not the read path: it reads the wall clock, does
 * floating-point control and allocates a segment, none of which belongs on a publisher's path):
 * every interval it samples (monotonic, wall) and
 * <ul>
 * <li>estimates the frequency error of the monotonic clock against the wall clock from successive
 *     samples (a frequency-locked loop; samples across a detected wall-clock step are skipped),
 *     bounded by {@value #FREQUENCY_LIMIT_PPM} ppm;</li>
 * <li>predicts the offset (wall minus source) at the start of the next segment and sets that
 *     segment's rate to the frequency estimate plus a phase correction that removes half the
 *     offset per interval, bounded by {@code slew.max.ppm};</li>
 * <li>steps forward (jumps) when the wall clock is ahead by more than {@code step.threshold.ms}
 *     (0: never step); an offset below it, and every backward offset, is slewed: a wall clock set
 *     back is absorbed by running slower, at most {@code slew.max.ppm} slower than the wall
 *     clock, never by going back.</li>
 * </ul>
 * A decision takes effect at the end of the segment in effect, i.e. half an interval after the
 * sample; the controller predicts the offset there.
 *
 * <p>An instance made with the public constructor and never activated (tests, benchmarks) is
 * anchored once and never disciplined; DS activation starts the discipline.
 *
 * <p>Enabled by {@link TimeSourceSelector} when {@code source=system}.
 */
@Component(name = SystemTimeSource.NAME, enabled = false, immediate = true, configurationPid = TimeConfig.PID,
        service = TimeSource.class, property = TimeSource.KIND_PROPERTY + "=" + SystemTimeSource.KIND)
public final class SystemTimeSource extends AbstractTimeSource implements HealthIndicator {

    static final String NAME = "io.chronofabric.time.system";
    static final String KIND = "system";
    private static final Logger LOG = LoggerFactory.getLogger(SystemTimeSource.class);

    /** Largest frequency error of the monotonic clock against the wall clock that is corrected. */
    static final long FREQUENCY_LIMIT_PPM = 50_000;
    /** Offset within which the source counts as tracking (the steady-state target). */
    static final long TRACKING_NANOS = 1_000_000L;
    /** Offset beyond which health says DEGRADED. */
    static final long DEGRADED_DRIFT_NANOS = 10_000_000L;
    /** Length of an extension a reader installs when the discipline thread is late. */
    static final long EXTENSION_NANOS = 1_000_000_000L;
    /** Fraction of the predicted offset removed per interval (1 = deadbeat; 0.5 damps noise). */
    private static final double PHASE_GAIN = 0.5;
    /** Smallest weight of a new frequency sample (an EWMA over about 8 intervals once settled). */
    private static final double FLL_GAIN = 0.125;
    /** A residual beyond this plus the frequency tolerance below is taken as a wall-clock step. */
    private static final long STEP_DETECT_NANOS = 1_000_000L;
    private static final double SETTLED_FREQUENCY_TOLERANCE = 2_000e-6;
    private static final VarHandle SEGMENT;

    static {
        try {
            SEGMENT = MethodHandles.lookup().findVarHandle(SystemTimeSource.class, "segment", Segment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One piece of the map from monotonic to epoch time: {@code base + (m - start) * rate} on
     * {@code [start, end)}, and its predecessor's piece for readings before {@code start}.
     * Immutable; monotone in m because the rates are positive and IEEE multiplication and the
     * cast round monotonically.
     */
    static final class Segment {
        final long start;
        final long end;
        final long base;
        final double rate;
        final long prevStart;
        final long prevBase;
        final double prevRate;

        Segment(long start, long end, long base, double rate, long prevStart, long prevBase, double prevRate) {
            this.start = start;
            this.end = end;
            this.base = base;
            this.rate = rate;
            this.prevStart = prevStart;
            this.prevBase = prevBase;
            this.prevRate = prevRate;
        }

        long at(long m) {
            return m >= start ? base + (long) ((m - start) * rate) : prevBase + (long) ((m - prevStart) * prevRate);
        }

        /** This segment's own piece, extrapolated (also past {@code end}). */
        long pieceAt(long m) {
            return base + (long) ((m - start) * rate);
        }

        /** The successor: starts at this segment's end, at its value there plus {@code jump}. */
        Segment next(long newEnd, double newRate, long jump) {
            return new Segment(end, newEnd, pieceAt(end) + jump, newRate, start, base, rate);
        }
    }

    /** Settings of the discipline, from {@link TimeConfig}. */
    record Settings(long intervalNanos, long slewMaxPpm, long stepThresholdNanos) {
        static final Settings DEFAULT = new Settings(250_000_000L, 1_000, 128_000_000L);
    }

    /** What the last discipline step found; immutable, for health. */
    record Status(long tickMono, long offsetNanos, double frequencyPpm, double slewPpm, boolean slewing,
            String reason) {
    }

    private final LongSupplier wall;
    private final LongSupplier mono;
    private final boolean hardwareTiming;
    @SuppressWarnings("unused") // accessed through SEGMENT
    private volatile Segment segment;
    private volatile Settings settings = Settings.DEFAULT;
    private volatile Status status;
    private volatile boolean disciplined;
    private volatile long extensions;

    // Discipline state: touched only under this object's monitor (the discipline thread, tests).
    private ScheduledExecutorService discipliner;
    private boolean running;
    private boolean started;
    private long nextTickMono;
    private boolean havePrevious;
    private long previousMono;
    private long previousWall;
    private int frequencySamples;
    private double frequency;
    private String lastStep = "";
    private String lastCause = "";

    public SystemTimeSource() {
        this(SystemTimeSource::wallClockNanos, System::nanoTime, detectHardwareTiming());
    }

    /** With injected clocks (tests): {@code wall} in ns since the epoch, {@code mono} a monotonic ns counter. */
    SystemTimeSource(LongSupplier wall, LongSupplier mono, boolean hardwareTiming) {
        this.wall = wall;
        this.mono = mono;
        this.hardwareTiming = hardwareTiming;
        long m1 = mono.getAsLong();
        long w = wall.getAsLong();
        long m2 = mono.getAsLong();
        long m = m1 + ((m2 - m1) >> 1);
        this.segment = new Segment(m, Long.MAX_VALUE, w, 1.0, m, w, 1.0);
    }

    static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Activate
    void activate(TimeConfig config, Map<String, Object> raw) {
        modified(config, raw);
        synchronized (this) {
            startDiscipline();
            discipliner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chronofabric-time-discipline");
                t.setDaemon(true);
                return t;
            });
            running = true;
            scheduleTick();
        }
        LOG.info("System time source disciplined to the wall clock: {}", settings);
    }

    @Modified
    void modified(TimeConfig config, Map<String, Object> raw) {
        applyQuantumOffset(config, raw, LOG);
        try {
            settings = readSettings(config, raw);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; keeping {}", TimeConfig.PID, e.getMessage(), settings);
        }
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService ex;
        synchronized (this) {
            running = false;
            ex = discipliner;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        freeze();
    }

    static Settings readSettings(TimeConfig config, Map<String, ?> raw) {
        long interval = ConfigValues.read(raw, "discipline.interval.ms", config::discipline_interval_ms, "an integer");
        if (interval < 10 || interval > 10_000) {
            throw new IllegalArgumentException("discipline.interval.ms=" + raw.get("discipline.interval.ms")
                    + " is out of range 10..10000");
        }
        long slew = ConfigValues.read(raw, "slew.max.ppm", config::slew_max_ppm, "an integer");
        if (slew < 1 || slew > 100_000) {
            throw new IllegalArgumentException("slew.max.ppm=" + raw.get("slew.max.ppm") + " is out of range 1..100000");
        }
        long step = ConfigValues.read(raw, "step.threshold.ms", config::step_threshold_ms, "an integer");
        if (step < 0 || step > 86_400_000L) {
            throw new IllegalArgumentException("step.threshold.ms=" + raw.get("step.threshold.ms")
                    + " is out of range 0..86400000 (0 = never step)");
        }
        return new Settings(TimeUnit.MILLISECONDS.toNanos(interval), slew, TimeUnit.MILLISECONDS.toNanos(step));
    }

    /** For tests: applies settings directly. */
    void settings(Settings s) {
        settings = s;
    }

    /**
     * Replaces the never-ending root segment with a finite one at the same rate, so the discipline
     * can install successors. Readers holding the root compute the same values (both pieces have
     * rate 1 and meet at the cut), so this is safe even while readers run.
     */
    synchronized void startDiscipline() {
        if (started) {
            return; // only the root (rate exactly 1) can be cut without rounding differences
        }
        started = true;
        Segment c = (Segment) SEGMENT.getVolatile(this);
        long m = mono.getAsLong();
        long interval = settings.intervalNanos();
        Segment cut = new Segment(m, m + interval, c.at(m), c.rate, c.start, c.base, c.rate);
        SEGMENT.setVolatile(this, cut);
        disciplined = true;
        nextTickMono = m + interval / 2;
    }

    private synchronized void scheduleTick() {
        if (!running) {
            return;
        }
        long delay = Math.max(0, nextTickMono - mono.getAsLong());
        discipliner.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        try {
            discipline();
        } catch (RuntimeException e) {
            LOG.warn("Time discipline step failed; retrying next interval", e);
            synchronized (this) {
                nextTickMono = mono.getAsLong() + settings.intervalNanos();
            }
        } finally {
            scheduleTick();
        }
    }

    /** Monotonic reading at which the discipline thread runs next (tests drive the fake clocks to it). */
    synchronized long nextDisciplineMono() {
        return nextTickMono;
    }

    @Override
    public long nowNanos() {
        Segment s = (Segment) SEGMENT.getVolatile(this);
        long m = mono.getAsLong();
        if (m < s.end) {
            return s.at(m);
        }
        return readExpired();
    }

    /** The discipline thread is late: extend the expired segment at its rate (lock-free, by CAS). */
    private long readExpired() {
        while (true) {
            Segment s = (Segment) SEGMENT.getVolatile(this);
            long m = mono.getAsLong();
            if (m < s.end) {
                return s.at(m);
            }
            if (SEGMENT.compareAndSet(this, s, s.next(m + EXTENSION_NANOS, s.rate, 0))) {
                extensions++; // only the CAS winner writes it
            }
        }
    }

    /**
     * One discipline step: samples both clocks, updates the frequency estimate, and installs the
     * segment that follows the one in effect. Runs on the discipline thread (tests call it).
     */
    synchronized void discipline() {
        Settings cfg = settings;
        long interval = cfg.intervalNanos();
        long m1 = mono.getAsLong();
        long w = wall.getAsLong();
        long m2 = mono.getAsLong();
        long m = m1 + ((m2 - m1) >> 1);
        Segment c = (Segment) SEGMENT.getVolatile(this);
        if (c.end == Long.MAX_VALUE) {
            return; // not started, or frozen
        }
        if (m < c.start) {
            nextTickMono = c.end - interval / 2; // a successor is already scheduled
            return;
        }
        long stepSeen = frequencyStep(m, w);
        long s = c.end;
        double u = c.rate - 1;
        double offset = w - c.pieceAt(m);
        double offsetAtSwitch = offset + (s - m) * (frequency - u);
        double slewLimit = cfg.slewMaxPpm() * 1e-6;
        long jump = 0;
        double slew;
        if (stepSeen != 0) {
            lastStep = "the wall clock stepped " + (stepSeen > 0 ? "forward" : "back") + " by "
                    + millis(Math.abs(stepSeen)) + " at " + Instant.ofEpochSecond(0, w);
            lastCause = lastStep;
        }
        if (cfg.stepThresholdNanos() > 0 && offsetAtSwitch > cfg.stepThresholdNanos()) {
            jump = (long) offsetAtSwitch;
            slew = 0;
            lastStep = "stepped forward by " + millis(jump) + " at " + Instant.ofEpochSecond(0, w)
                    + " (more than step.threshold.ms=" + cfg.stepThresholdNanos() / 1_000_000 + ")";
            lastCause = "";
            LOG.info("System time source {}", lastStep);
        } else {
            slew = Math.max(-slewLimit, Math.min(slewLimit, PHASE_GAIN * offsetAtSwitch / interval));
        }
        double rate = 1 + frequency + slew;
        long end = Math.max(s + interval, m + interval);
        Segment next = c.next(end, rate, jump);
        if (!SEGMENT.compareAndSet(this, c, next)) {
            // A reader extended an expired segment a moment ago; steer its successor next time.
            Segment ext = (Segment) SEGMENT.getVolatile(this);
            nextTickMono = Math.min(ext.end - interval / 2, m + interval);
            return;
        }
        nextTickMono = end - interval / 2;
        status = status(m, (long) offset, slew, slewLimit, offsetAtSwitch, jump);
    }

    /**
     * Updates the frequency estimate from the previous sample; returns the size of a detected
     * wall-clock step (that sample does not count as frequency), or 0.
     */
    private long frequencyStep(long m, long w) {
        long detected = 0;
        if (havePrevious && m > previousMono) {
            long dm = m - previousMono;
            long dw = w - previousWall;
            double residual = dw - dm * (1 + frequency);
            double tolerance = STEP_DETECT_NANOS
                    + dm * (frequencySamples < 4 ? FREQUENCY_LIMIT_PPM * 1e-6 : SETTLED_FREQUENCY_TOLERANCE);
            if (Math.abs(residual) > tolerance) {
                detected = (long) residual;
            } else {
                frequencySamples++;
                double gain = Math.max(1.0 / frequencySamples, FLL_GAIN);
                double measured = (double) dw / dm - 1;
                double limit = FREQUENCY_LIMIT_PPM * 1e-6;
                frequency = Math.max(-limit, Math.min(limit, frequency + gain * (measured - frequency)));
            }
        }
        havePrevious = true;
        previousMono = m;
        previousWall = w;
        return detected;
    }

    private Status status(long m, long offset, double slew, double slewLimit, double offsetAtSwitch, long jump) {
        boolean slewing = jump == 0 && Math.abs(offsetAtSwitch) >= TRACKING_NANOS;
        String reason;
        if (jump != 0) {
            reason = lastStep;
        } else if (slewing) {
            reason = (offsetAtSwitch < 0 ? "ahead of" : "behind") + " the wall clock by " + millis((long) Math.abs(offsetAtSwitch))
                    + ": running " + String.format(Locale.ROOT, "%.1f ppm", Math.abs(slew) * 1e6) + (slew < 0 ? " slower" : " faster") + " than it"
                    + (Math.abs(slew) >= slewLimit ? " (the slew.max.ppm bound)" : "")
                    + (Math.abs(slew) > 0 ? ", about " + Math.round(Math.abs(offsetAtSwitch) / Math.abs(slew) / 1e9) + " s to go" : "")
                    + (lastCause.isEmpty() ? "" : "; cause: " + lastCause);
        } else {
            lastCause = "";
            reason = "tracking the wall clock";
        }
        return new Status(m, offset, frequency * 1e6, slew * 1e6, slewing, reason);
    }

    /** Ends the discipline: the segment in effect is followed by one that never ends, at the estimated frequency. */
    synchronized void freeze() {
        disciplined = false;
        while (true) {
            Segment c = (Segment) SEGMENT.getVolatile(this);
            if (c.end == Long.MAX_VALUE) {
                return;
            }
            if (SEGMENT.compareAndSet(this, c, c.next(Long.MAX_VALUE, 1 + frequency, 0))) {
                return;
            }
        }
    }

    /** Wall clock minus this source's reading, in nanoseconds (positive: the wall clock is ahead). */
    public long driftNanos() {
        long source = nowNanos();
        return wall.getAsLong() - source;
    }

    /** The current frequency correction (estimated error of the monotonic clock), in ppm. */
    double frequencyPpm() {
        Status st = status;
        return st == null ? 0 : st.frequencyPpm();
    }

    Status status() {
        return status;
    }

    /** How often a reader had to extend an expired segment because the discipline thread was late. */
    long extensions() {
        return extensions;
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
        Status st = status;
        Settings cfg = settings;
        List<String> problems = new ArrayList<>();
        StringBuilder summary = new StringBuilder("system, hardware timing ").append(hardwareTiming ? "yes" : "no")
                .append(", drift ").append(signedMicros(drift));
        if (!disciplined || st == null) {
            summary.append(disciplined ? ", discipline starting" : ", not disciplined (anchored once)");
            if (!disciplined && Math.abs(drift) >= DEGRADED_DRIFT_NANOS) {
                problems.add("The source is not disciplined and is " + millis(Math.abs(drift)) + (drift > 0 ? " behind" : " ahead of")
                        + " the wall clock");
            }
        } else {
            summary.append(", frequency correction ").append(ppm(st.frequencyPpm() * 1e-6))
                    .append(", slew ").append(ppm(st.slewPpm() * 1e-6))
                    .append(st.slewing() ? ", slewing: " : ", ").append(st.reason());
            if (Math.abs(drift) >= DEGRADED_DRIFT_NANOS) {
                problems.add("The source is " + millis(Math.abs(drift)) + (drift > 0 ? " behind" : " ahead of")
                        + " the wall clock (more than " + millis(DEGRADED_DRIFT_NANOS) + "); " + st.reason());
            }
            if (Math.abs(st.frequencyPpm()) >= FREQUENCY_LIMIT_PPM) {
                problems.add("The monotonic clock runs at least " + FREQUENCY_LIMIT_PPM
                        + " ppm off the wall clock, the most that is corrected; the source drifts");
            }
            long late = mono.getAsLong() - st.tickMono();
            if (late > 4 * cfg.intervalNanos() + 1_000_000_000L) {
                problems.add("The discipline thread has not run for " + millis(late) + " (discipline.interval.ms="
                        + cfg.intervalNanos() / 1_000_000 + ")");
            }
        }
        if (!lastStepText().isEmpty()) {
            summary.append("; last step: ").append(lastStepText());
        }
        return problems.isEmpty() ? HealthReport.up(summary.toString()) : HealthReport.degraded(summary.toString(), problems);
    }

    private synchronized String lastStepText() {
        return lastStep;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static String signedMicros(long nanos) {
        return String.format(Locale.ROOT, "%+d us", nanos / 1_000);
    }

    private static String ppm(double fraction) {
        return String.format(Locale.ROOT, "%+.1f ppm", fraction * 1e6);
    }

    @Override
    public String toString() {
        return "SystemTimeSource[hardware=" + hardwareTiming + ", disciplined=" + disciplined + "]";
    }
}
