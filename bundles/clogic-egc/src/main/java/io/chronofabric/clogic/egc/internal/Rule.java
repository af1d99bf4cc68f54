package io.chronofabric.clogic.egc.internal;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy: "when spec S is violated (or recovered), decide ACTION for MODULE/ANALYSIS". Text form
 * {@code SPEC:violated=MODULE/ANALYSIS:ACTION[:VALUE]} (or {@code :recovered}); MODULE and ANALYSIS
 * may be {@code *}; VALUE is the rate factor of SET_RATE (&gt; 0) or the severity of ALERT ([0, 1],
 * default: from the robustness, |ρ|/(1+|ρ|)).
 *
 * <p>Actuating rules, which EGC applies itself ({@link Actuator}) besides publishing the decision:
 * {@code SPEC:violated=bus/CHANNEL:THROTTLE:RATE[:BURST]} limits a bus channel to RATE packets/s
 * (&gt; 0; BURST default one second's worth, ceil(RATE)); {@code SPEC:violated=oracle/HINT:ORACLE_HINT[:SECONDS]}
 * pins the time oracle's hint (MINIMIZE_LATENCY, MAXIMIZE_THROUGHPUT, BALANCED) for SECONDS (default 0:
 * until undone). Both are undone when the spec recovers. Explicitly: {@code bus/CHANNEL:THROTTLE:0} lifts
 * a limit, {@code oracle/*:ORACLE_HINT} removes the pin.
 *
 * @param burst the burst of a THROTTLE rule, 0 when not given (then {@link #burstOrDefault()})
 */
record Rule(String spec, boolean onViolation, String module, String analysis, GovernanceAction action, double value, String text,
        int burst) {

    /** The module name of THROTTLE rules and decisions. */
    static final String BUS = "bus";
    /** The module name of ORACLE_HINT rules and decisions. */
    static final String ORACLE = "oracle";
    private static final String[] HINTS = {"MINIMIZE_LATENCY", "MAXIMIZE_THROUGHPUT", "BALANCED"};

    Rule(String spec, boolean onViolation, String module, String analysis, GovernanceAction action, double value, String text) {
        this(spec, onViolation, module, analysis, action, value, text, 0);
    }

    /** A THROTTLE rule's burst: as given, else one second's worth of packets (at least 1, at most 1,000,000). */
    int burstOrDefault() {
        return burst > 0 ? burst : defaultBurst(value);
    }

    static int defaultBurst(double rate) {
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(rate)));
    }

    static List<Rule> parseAll(String[] entries) {
        List<Rule> out = new ArrayList<>();
        if (entries == null) {
            return out;
        }
        for (String e : entries) {
            if (e == null) {
                continue;
            }
            for (String part : e.split(",")) {
                if (!part.isBlank()) {
                    out.add(parse(part.trim()));
                }
            }
        }
        return out;
    }

    static Rule parse(String s) {
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        if (eq < 0 || colon < 0 || colon > eq) {
            throw new IllegalArgumentException("rule '" + s + "' is not SPEC:violated=MODULE/ANALYSIS:ACTION[:VALUE] (or SPEC:recovered=...)");
        }
        String spec = s.substring(0, colon).trim();
        String when = s.substring(colon + 1, eq).trim().toLowerCase(Locale.ROOT);
        boolean violation = switch (when) {
            case "violated", "violation" -> true;
            case "recovered", "recovery" -> false;
            default -> throw new IllegalArgumentException("rule '" + s + "': '" + when + "' is not violated or recovered");
        };
        String[] target = s.substring(eq + 1).trim().split(":");
        boolean throttle = target.length >= 2 && target[1].trim().equalsIgnoreCase(GovernanceAction.THROTTLE.name());
        if (target.length < 2 || target.length > (throttle ? 4 : 3)) {
            throw new IllegalArgumentException("rule '" + s + "': expected MODULE/ANALYSIS:ACTION[:VALUE] after '='"
                    + (throttle ? " (bus/CHANNEL:THROTTLE:RATE[:BURST])" : ""));
        }
        String[] ma = target[0].split("/");
        String module = ma[0].trim();
        String analysis = ma.length > 1 ? ma[1].trim() : GovernanceDecision.ALL;
        if (spec.isEmpty() || module.isEmpty() || analysis.isEmpty() || ma.length > 2) {
            throw new IllegalArgumentException("rule '" + s + "': spec, module and analysis must not be empty");
        }
        GovernanceAction action;
        try {
            action = GovernanceAction.valueOf(target[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("rule '" + s + "': action '" + target[1].trim()
                    + "' is not ENABLE, DISABLE, SET_RATE or ALERT, nor an action EGC applies itself: THROTTLE, ORACLE_HINT");
        }
        double value = Double.NaN;
        if (target.length >= 3) {
            try {
                value = Double.parseDouble(target[2].trim());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("rule '" + s + "': value '" + target[2].trim() + "' is not a number");
            }
        }
        if (action == GovernanceAction.SET_RATE && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("rule '" + s + "': SET_RATE needs a rate factor > 0, e.g. :SET_RATE:0.5");
        }
        if (action == GovernanceAction.ALERT && !Double.isNaN(value) && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("rule '" + s + "': ALERT severity must be in [0, 1]");
        }
        int burst = 0;
        if (action == GovernanceAction.THROTTLE) {
            if (!module.equals(BUS) || analysis.equals(GovernanceDecision.ALL)) {
                throw new IllegalArgumentException("rule '" + s + "': THROTTLE names a bus channel: bus/CHANNEL:THROTTLE:RATE[:BURST]");
            }
            if (!(value >= 0 && value <= 1e9)) {
                throw new IllegalArgumentException("rule '" + s + "': THROTTLE needs a rate in packets/s, > 0 and <= 1e9 (0 lifts the limit),"
                        + " e.g. bus/" + analysis + ":THROTTLE:100");
            }
            if (target.length == 4) {
                try {
                    burst = Integer.parseInt(target[3].trim());
                } catch (NumberFormatException x) {
                    burst = -1;
                }
                if (burst < 1 || burst > 1_000_000) {
                    throw new IllegalArgumentException("rule '" + s + "': burst '" + target[3].trim() + "' is not a whole number in 1..1000000");
                }
            }
        }
        if (action == GovernanceAction.ORACLE_HINT) {
            if (!module.equals(ORACLE)) {
                throw new IllegalArgumentException("rule '" + s + "': ORACLE_HINT names a hint: oracle/HINT:ORACLE_HINT[:SECONDS], HINT one of "
                        + String.join(", ", HINTS) + " (or * to remove the pin)");
            }
            String hint = analysis.toUpperCase(Locale.ROOT);
            if (!hint.equals(GovernanceDecision.ALL) && !java.util.Arrays.asList(HINTS).contains(hint)) {
                throw new IllegalArgumentException("rule '" + s + "': hint '" + analysis + "' is not one of " + String.join(", ", HINTS) + " or *");
            }
            analysis = hint;
            if (Double.isNaN(value)) {
                value = 0;
            }
            if (!(value >= 0 && Double.isFinite(value))) {
                throw new IllegalArgumentException("rule '" + s + "': ORACLE_HINT seconds must be >= 0 (0 = until the spec recovers)");
            }
        }
        return new Rule(spec, violation, module, analysis, action, value, s, burst);
    }

    /** The decision this rule makes for a robustness value. */
    GovernanceDecision decide(double robustness, long step, long nowNanos) {
        return decide(robustness, step, nowNanos, 1, "");
    }

    /**
     * The decision, an ALERT's severity times {@code severityFactor} (modulation by valence, clamped
     * to [0, 1]); {@code note} (the vote, the modulation) is appended to the reason's parenthesis.
     */
    GovernanceDecision decide(double robustness, long step, long nowNanos, double severityFactor, String note) {
        double v = value;
        if (Double.isNaN(v)) {
            v = switch (action) {
                case ALERT -> onViolation ? severity(robustness) : 0;
                default -> 0;
            };
        }
        if (action == GovernanceAction.ALERT) {
            v = Math.max(0, Math.min(1, v * severityFactor));
        }
        String reason = String.format(Locale.ROOT, "spec '%s' %s: robustness %s at sample %d (rule %s%s)", spec,
                onViolation ? "violated" : "recovered", Numbers.brief(robustness), step, text, note);
        return new GovernanceDecision(module, analysis, action, v, reason, nowNanos, specField(spec), robustness, text);
    }

    /**
     * The spec's name as a decision's {@code spec} field: a name without whitespace or control
     * characters (each one, should a spec's name have any, becomes {@code _}).
     */
    static String specField(String spec) {
        StringBuilder b = null;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(spec);
                }
                b.setCharAt(i, '_');
            }
        }
        return b == null ? spec : b.toString();
    }

    static double severity(double robustness) {
        double a = Math.abs(robustness);
        return Double.isInfinite(a) ? 1 : a / (1 + a);
    }

    /** What a spec without a rule for an event does: an ALERT to every module. */
    static Rule defaultFor(String spec, boolean violation) {
        return new Rule(spec, violation, GovernanceDecision.ALL, GovernanceDecision.ALL, GovernanceAction.ALERT, Double.NaN,
                spec + ":" + (violation ? "violated" : "recovered") + "=*/*:ALERT (default)");
    }
}
