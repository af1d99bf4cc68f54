package io.chronofabric.clogic.ems.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.ValueExtraction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A packet of another module read as an appraisal event:
 * {@code CHANNEL[/KIND]=GOAL:UTILITY:DELTA[:EXTRACTION]}.
 */
record SignalRule(String channel, String kind, String goal, double utility, double delta, ValueExtraction extraction) {

    SignalRule {
        Channels.requireValid(channel);
        if (!(utility >= -1 && utility <= 1)) {
            throw new IllegalArgumentException("utility " + utility + " is outside [-1, 1]");
        }
        if (!(delta >= -1 && delta <= 1)) {
            throw new IllegalArgumentException("likelihood change " + delta + " is outside [-1, 1]");
        }
    }

    /** Whether this rule applies to {@code payload} (kind filter). */
    boolean matches(Object payload) {
        if (kind.isEmpty()) {
            return true;
        }
        if (payload instanceof PatternEvent e) {
            return e.kind().name().equalsIgnoreCase(kind);
        }
        if (payload instanceof GovernanceDecision d) {
            return d.action().name().equalsIgnoreCase(kind);
        }
        return payload.getClass().getSimpleName().equalsIgnoreCase(kind);
    }

    /**
     * The likelihood change for {@code payload}: {@code delta}, or delta times the payload's
     * number (clamped to [-1, 1]) with an extraction.
     *
     * @throws IllegalArgumentException if the payload's number cannot be taken
     */
    double deltaFor(Object payload) {
        if (extraction == null) {
            return delta;
        }
        double v = delta * extraction.extract(payload);
        return Math.max(-1, Math.min(1, v));
    }

    static List<SignalRule> parseAll(String[] entries) {
        List<SignalRule> rules = new ArrayList<>();
        if (entries != null) {
            for (String e : entries) {
                if (e == null) {
                    continue;
                }
                for (String part : e.split(",")) {
                    if (!part.isBlank()) {
                        rules.add(parse(part.trim()));
                    }
                }
            }
        }
        return List.copyOf(rules);
    }

    /** @throws IllegalArgumentException naming the entry and what is wrong */
    static SignalRule parse(String text) {
        try {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected CHANNEL[/KIND]=GOAL:UTILITY:DELTA[:EXTRACTION]");
            }
            String left = text.substring(0, eq).trim();
            String channel = left;
            String kind = "";
            int slash = left.lastIndexOf('/');
            if (slash > 0) {
                channel = left.substring(0, slash);
                kind = left.substring(slash + 1).trim().toUpperCase(Locale.ROOT);
            }
            String[] parts = text.substring(eq + 1).trim().split(":", 4);
            if (parts.length < 3) {
                throw new IllegalArgumentException("expected GOAL:UTILITY:DELTA after '='");
            }
            String goal = parts[0].trim();
            if (goal.isEmpty()) {
                throw new IllegalArgumentException("the goal is empty");
            }
            double utility = number(parts[1], "utility");
            double delta = number(parts[2], "likelihood change");
            ValueExtraction x = parts.length == 4 ? ValueExtraction.parse(parts[3]) : null;
            return new SignalRule(channel.trim(), kind, goal, utility, delta, x);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Signal '" + text + "': " + e.getMessage(), e);
        }
    }

    private static double number(String text, String what) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " '" + text + "' is not a finite number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
    }
}
