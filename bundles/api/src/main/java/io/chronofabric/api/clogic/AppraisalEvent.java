package io.chronofabric.api.clogic;

import java.util.Objects;

/**
 * Something that happened, to be appraised against one goal of an agent (GAMYGDALA, Popescu,
 * Broekens and van Someren 2014): the event changes the goal's likelihood by
 * {@code likelihoodDelta} and is worth {@code utility} to it. The payload of
 * {@link ClogicChannels#EMS_INPUT}. Immutable.
 *
 * @param agent           the agent whose goal it is; {@link #SELF} for the module's own agent
 * @param goal            the goal's name; the receiver refuses goals it does not know
 * @param utility         the event's desirability for the goal (GAMYGDALA: congruence times the
 *                        goal's utility), in [-1, 1]; negative means the event is bad for it
 * @param likelihoodDelta how much the goal's likelihood changes, in [-1, 1] (the goal's
 *                        likelihood stays within [0, 1])
 * @param causalAgent     the agent that caused the event, or empty when unknown (used for the
 *                        attribution emotions gratitude, anger, gratification, remorse)
 * @param timeNanos       time-source nanoseconds when it happened (0 = when received)
 * @throws IllegalArgumentException naming the field that is wrong (NaN, outside [-1, 1], empty name)
 */
public record AppraisalEvent(String agent, String goal, double utility, double likelihoodDelta, String causalAgent, long timeNanos) {

    /** The name of the module's own agent. */
    public static final String SELF = "self";

    public AppraisalEvent {
        Checks.name("Agent name", agent);
        Checks.name("Goal name", goal);
        // messages built only on failure: publishers build one of these per event
        if (!(utility >= -1 && utility <= 1)) {
            Checks.range("Utility of goal '" + goal + "'", Checks.finite("Utility of goal '" + goal + "'", utility), -1, 1);
        }
        if (!(likelihoodDelta >= -1 && likelihoodDelta <= 1)) {
            Checks.range("Likelihood change of goal '" + goal + "'",
                    Checks.finite("Likelihood change of goal '" + goal + "'", likelihoodDelta), -1, 1);
        }
        Objects.requireNonNull(causalAgent, "Causal agent");
        if (!causalAgent.isEmpty()) {
            Checks.name("Causal agent", causalAgent);
        }
        Checks.nonNegative("Appraisal event time", timeNanos);
    }

    /** An event for the module's own agent, no causal agent, stamped when received. */
    public static AppraisalEvent of(String goal, double utility, double likelihoodDelta) {
        return new AppraisalEvent(SELF, goal, utility, likelihoodDelta, "", 0);
    }
}
