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
 *                  for {@link GovernanceAction#ALERT} ([0, 1]), otherwise ignored (finite)
 * @param reason    why, for people; never null
 * @param timeNanos time-source nanoseconds, not negative
 * @throws IllegalArgumentException naming the field that is wrong
 */
public record GovernanceDecision(String module, String analysis, GovernanceAction action, double value, String reason, long timeNanos) {

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
        Objects.requireNonNull(reason, "Governance decision reason");
        Checks.nonNegative("Governance decision time", timeNanos);
    }

    /** Whether this decision addresses module {@code name}. */
    public boolean isFor(String name) {
        return ALL.equals(module) || module.equals(name);
    }
}
