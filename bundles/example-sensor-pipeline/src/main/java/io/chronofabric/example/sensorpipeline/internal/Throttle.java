package io.chronofabric.example.sensorpipeline.internal;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How EGC's decisions set the publishing rate. Decisions not addressed to the module (its name or
 * {@code *}) are ignored. An ALERT with a severity above 0 from a watched spec starts a slowdown by
 * the throttle factor; the same spec's ALERT with severity 0 (EGC's recovery) ends it; the rate is
 * slowed while any watched spec is still alerting. A SET_RATE sets a rate factor of its own, which
 * multiplies. Which spec an ALERT is about is its {@link GovernanceDecision#spec()} (API clogic
 * 1.2.0); only when that field is empty (a decision from a producer built against 1.1.0) is it
 * read from the reason ({@code spec 'NAME' ...}, the form EGC writes). Not thread-safe: the bus
 * calls one handler at a time.
 */
final class Throttle {

    private static final Pattern SPEC = Pattern.compile("spec '([A-Za-z_][A-Za-z0-9_]*)'");

    private final String module;
    private final Set<String> watched;
    private final double throttleFactor;
    private final Set<String> alerting = new TreeSet<>();
    private double rateFactor = 1;
    private String last = "none";

    /** @param watched spec names; empty = every spec */
    Throttle(String module, Set<String> watched, double throttleFactor) {
        this.module = module;
        this.watched = Set.copyOf(watched);
        this.throttleFactor = throttleFactor;
    }

    /** A copy for new settings that keeps the alerts and rate factor seen so far. */
    Throttle reconfigured(String newModule, Set<String> newWatched, double newFactor) {
        Throttle t = new Throttle(newModule, newWatched, newFactor);
        for (String spec : alerting) {
            if (newWatched.isEmpty() || newWatched.contains(spec)) {
                t.alerting.add(spec);
            }
        }
        t.rateFactor = rateFactor;
        t.last = last;
        return t;
    }

    /** Applies one decision; returns whether the factor changed. */
    boolean apply(GovernanceDecision d) {
        if (!d.isFor(module)) {
            return false;
        }
        double before = factor();
        if (d.action() == GovernanceAction.SET_RATE) {
            rateFactor = d.value();
            last = "SET_RATE x" + d.value() + ": " + d.reason();
        } else if (d.action() == GovernanceAction.ALERT) {
            String spec = specOf(d);
            if (!watched.isEmpty() && (spec == null || !watched.contains(spec))) {
                return false;
            }
            String key = spec == null ? "?" : spec;
            if (d.value() > 0) {
                alerting.add(key);
            } else {
                alerting.remove(key);
            }
            last = "ALERT " + d.value() + ": " + d.reason();
        } else {
            return false;
        }
        return factor() != before;
    }

    /** The spec a decision is about: its {@code spec} field, else the one its reason names, else null. */
    static String specOf(GovernanceDecision d) {
        return d.hasSpec() ? d.spec() : specOf(d.reason());
    }

    /** The spec an EGC reason names, or null. */
    static String specOf(String reason) {
        Matcher m = SPEC.matcher(reason);
        return m.find() ? m.group(1) : null;
    }

    /** The factor the configured rate is multiplied by now. */
    double factor() {
        return rateFactor * (alerting.isEmpty() ? 1 : throttleFactor);
    }

    /** The watched specs alerting now, sorted. */
    Set<String> alerting() {
        return Set.copyOf(alerting);
    }

    boolean throttled() {
        return !alerting.isEmpty();
    }

    String lastDecision() {
        return last;
    }
}
