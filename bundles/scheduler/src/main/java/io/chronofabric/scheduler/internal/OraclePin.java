package io.chronofabric.scheduler.internal;

import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pin of the time oracle's hint ({@link io.chronofabric.api.scheduler.TimeOracle#pin}): one
 * atomic reference, null while nothing is pinned, so an unpinned oracle pays one volatile read per
 * {@code currentHint()}. Lapses on the JVM's monotonic clock (as the oracle's timer), checked when
 * read; the first reader to see it lapsed removes it and logs it.
 */
final class OraclePin {

    private static final Logger LOG = LoggerFactory.getLogger(OraclePin.class);

    /** {@code until} = Long.MAX_VALUE: until unpinned. */
    private record State(OptimizationHint hint, String reason, long until) {
    }

    private final AtomicReference<State> state = new AtomicReference<>();
    private final LongSupplier clock;

    OraclePin(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    HintPin pin(OptimizationHint hint, long durationNanos, String reason) {
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(reason, "reason");
        if (durationNanos < 0) {
            throw new IllegalArgumentException("Pin duration " + durationNanos + " ns is negative (0 = until unpinned)");
        }
        long now = clock.getAsLong();
        long until = durationNanos == 0 || now + durationNanos < now ? Long.MAX_VALUE : now + durationNanos;
        State s = new State(hint, reason, until);
        State old = state.getAndSet(s);
        LOG.info("Time oracle hint pinned to {} {}{}{}", hint, durationNanos == 0 ? "until unpinned" : "for " + seconds(durationNanos),
                reason.isEmpty() ? "" : ": " + reason, old == null ? "" : " (replaces the pin to " + old.hint() + ")");
        return view(s, now);
    }

    Optional<HintPin> unpin() {
        State s = state.getAndSet(null);
        long now = clock.getAsLong();
        if (s == null || lapsed(s, now)) {
            return Optional.empty();
        }
        LOG.info("Time oracle hint unpinned (was {}{})", s.hint(), s.reason().isEmpty() ? "" : ": " + s.reason());
        return Optional.of(view(s, now));
    }

    Optional<HintPin> pinned() {
        State s = current();
        return s == null ? Optional.empty() : Optional.of(view(s, clock.getAsLong()));
    }

    /** The pinned hint while a pin holds, else {@code controller}. */
    OptimizationHint hintOr(OptimizationHint controller) {
        State s = state.get();
        if (s == null) {
            return controller;
        }
        s = current();
        return s == null ? controller : s.hint();
    }

    /** The explanation with the pin in front while one holds. */
    String explain(OptimizationHint controllerHint, String controllerExplanation) {
        State s = state.get();
        if (s == null || (s = current()) == null) {
            return controllerExplanation;
        }
        long now = clock.getAsLong();
        return "pinned to " + s.hint() + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")")
                + (s.until() == Long.MAX_VALUE ? " until unpinned" : ", " + seconds(Math.max(1, s.until() - now)) + " left")
                + "; the controller says " + controllerHint + ": " + controllerExplanation;
    }

    private State current() {
        State s = state.get();
        if (s != null && lapsed(s, clock.getAsLong())) {
            if (state.compareAndSet(s, null)) {
                LOG.info("Time oracle pin to {} lapsed{}; the controller's hint applies again", s.hint(),
                        s.reason().isEmpty() ? "" : " (" + s.reason() + ")");
            }
            return null;
        }
        return s;
    }

    private static boolean lapsed(State s, long now) {
        return s.until() != Long.MAX_VALUE && now - s.until() >= 0;
    }

    private static HintPin view(State s, long now) {
        return new HintPin(s.hint(), s.reason(), s.until() == Long.MAX_VALUE ? HintPin.UNTIL_UNPINNED : Math.max(1, s.until() - now));
    }

    static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s >= 10 ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.3g s", s);
    }
}
