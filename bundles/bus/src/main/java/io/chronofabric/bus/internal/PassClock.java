package io.chronofabric.bus.internal;

import io.chronofabric.api.time.TimeSource;
import java.util.concurrent.TimeUnit;

/**
 * The clock a dispatcher times its passes with (one thread only). While the bus's time source
 * keeps pace with {@link System#nanoTime()} (the system time source does: it is disciplined by a
 * few hundred ppm at most), a pass reads only the time source, and that one reading serves as the
 * pass's time (busy time, the back-off's idle windows, histogram hand-over) and as the first
 * packet's delivery time. A time source that does not keep pace (simulated time, which may stand
 * still or jump) is never used for the dispatcher's own timing: passes then read
 * {@code System.nanoTime()} and each packet reads the time source, so an idle dispatcher on a
 * simulated clock still parks after its windows of real time.
 *
 * <p>The pace is checked with one reading of the other clock after 1 ms, then at doubling
 * intervals up to once a second, and from scratch whenever the time source is replaced; until the
 * first check passes, passes are timed with {@code System.nanoTime()}. {@link #generation()}
 * changes whenever the pass clock does, so the dispatcher drops intervals begun on the other clock.
 */
final class PassClock {

    private static final long FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Tolerated drift between the two clocks over a check: 0.2% plus 50 us (a preempted reading). */
    private static final long SLACK_PPM = 2_000;
    private static final long SLACK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private TimeSource checked;
    private boolean shared;
    private int generation;
    private long sourceMark;
    private long monoMark;
    private long interval = FIRST_CHECK_NANOS;

    /** Whether passes are timed with {@code ts} itself (see the class comment). */
    boolean shared(TimeSource ts) {
        if (ts != checked) {
            checked = ts;
            if (shared) {
                shared = false;
                generation++;
            }
            interval = FIRST_CHECK_NANOS;
            mark(ts.nowNanos(), System.nanoTime());
        }
        return shared;
    }

    int generation() {
        return generation;
    }

    /**
     * Called with each pass's reading (of {@code ts} while shared, of {@code System.nanoTime()}
     * otherwise); reads the other clock when a check is due and decides again.
     */
    void maybeCheck(TimeSource ts, long reading) {
        long elapsed = reading - (shared ? sourceMark : monoMark);
        if (elapsed >= 0 && elapsed < interval) {
            return;
        }
        long source = shared ? reading : ts.nowNanos();
        long mono = shared ? System.nanoTime() : reading;
        long dMono = mono - monoMark;
        long dSource = source - sourceMark;
        boolean keepsPace = dMono > 0 && Math.abs(dSource - dMono) <= dMono / 1_000_000 * SLACK_PPM + SLACK_NANOS;
        if (keepsPace != shared) {
            shared = keepsPace;
            generation++;
        }
        interval = Math.min(MAX_CHECK_NANOS, interval * 2);
        mark(source, mono);
    }

    private void mark(long source, long mono) {
        sourceMark = source;
        monoMark = mono;
    }
}
