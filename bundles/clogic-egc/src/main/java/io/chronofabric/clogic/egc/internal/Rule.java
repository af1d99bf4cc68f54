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
 */
record Rule(String spec, boolean onViolation, String module, String analysis, GovernanceAction action, double value, String text) {

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
        if (target.length < 2 || target.length > 3) {
            throw new IllegalArgumentException("rule '" + s + "': expected MODULE/ANALYSIS:ACTION[:VALUE] after '='");
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
            throw new IllegalArgumentException("rule '" + s + "': action '" + target[1].trim() + "' is not ENABLE, DISABLE, SET_RATE or ALERT");
        }
        double value = Double.NaN;
        if (target.length == 3) {
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
        return new Rule(spec, violation, module, analysis, action, value, s);
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
