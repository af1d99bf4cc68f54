package io.chronofabric.api.clogic;

import java.util.Objects;

/**
 * A decision of a governance module (EGC in the seed) for other modules, published on
 * {@link ClogicChannels#EGC_DECISIONS}. A module applies the decisions addressed to it (its name
 * or {@link #ALL}) and ignores the others. Immutable.
 *
 * @param module    the module it is for, or {@link #ALL}
 * @param analysis  the analysis it is about (e.g. {@code ksg}, {@code te}), or {@link #ALL}
 * @param action    what to do, never null
 * @param value     the rate factor for {@link GovernanceAction#SET_RATE} (&gt; 0), the severity
 *                  for {@link GovernanceAction#ALERT} ([0, 1]), packets per second for
 *                  {@link GovernanceAction#THROTTLE} (&gt;= 0, 0 = lift), the pin's seconds for
 *                  {@link GovernanceAction#ORACLE_HINT} (&gt;= 0, 0 = until undone), otherwise
 *                  ignored (finite)
 * @param reason    why, for people; never null
 * @param timeNanos time-source nanoseconds, not negative
 * @param spec       the specification whose event made the decision, {@code ""} when none (a decision
 *                   not made from a spec); otherwise a name without whitespace (since 1.2.0)
 * @param robustness the robustness value of that event (may be infinite), {@code NaN} when none
 *                   (since 1.2.0)
 * @param rule       the rule that made the decision, as its text, {@code ""} when none (since 1.2.0)
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record GovernanceDecision(String module, String analysis, GovernanceAction action, double value, String reason, long timeNanos,
        String spec, double robustness, String rule) {

    /** Addresses every module or every analysis. */
    public static final String ALL = "*";

    public GovernanceDecision {
        Checks.name("Governance decision module", module);
        Checks.name("Governance decision analysis", analysis);
        Objects.requireNonNull(action, "Governance decision action");
        Checks.finite("Governance decision value", value);
        if (action == GovernanceAction.SET_RATE && !(value > 0)) {
            throw new IllegalArgumentException("Governance rate factor " + value + " for " + module + "/" + analysis + " must be above 0");
        }
        if (action == GovernanceAction.ALERT) {
            Checks.range("Governance alert severity", value, 0, 1);
        }
        if ((action == GovernanceAction.THROTTLE || action == GovernanceAction.ORACLE_HINT) && !(value >= 0)) {
            throw new IllegalArgumentException("Governance " + action + " value " + value + " for " + module + "/" + analysis
                    + " must be >= 0 (" + (action == GovernanceAction.THROTTLE ? "packets per second, 0 = lift" : "seconds, 0 = until undone") + ")");
        }
        Objects.requireNonNull(reason, "Governance decision reason");
        Checks.nonNegative("Governance decision time", timeNanos);
        Objects.requireNonNull(spec, "Governance decision spec (use \"\" for none)");
        if (!spec.isEmpty()) {
            Checks.name("Governance decision spec", spec);
        }
        Objects.requireNonNull(rule, "Governance decision rule (use \"\" for none)");
    }

    /**
     * A decision that names no spec, robustness or rule (the 1.1.0 constructor): {@link #spec()} and
     * {@link #rule()} are {@code ""}, {@link #robustness()} is {@code NaN}.
     */
    public GovernanceDecision(String module, String analysis, GovernanceAction action, double value, String reason, long timeNanos) {
        this(module, analysis, action, value, reason, timeNanos, "", Double.NaN, "");
    }

    /** Whether this decision names the spec it was made for (since 1.2.0). */
    public boolean hasSpec() {
        return !spec.isEmpty();
    }

    /** Whether this decision addresses module {@code name}. */
    public boolean isFor(String name) {
        return ALL.equals(module) || module.equals(name);
    }
}
