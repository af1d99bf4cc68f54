package io.chronofabric.api.adp;

import java.util.Objects;

/**
 * ADP's figures now ({@link AdaptiveProcessor#stats()}); counts since start, restored across a
 * restart of the ADP bundle. Immutable.
 *
 * @param policy         the bandit for units without features ({@code ucb1}, {@code thompson},
 *                       {@code exp3}, {@code power-of-d})
 * @param submitted      units accepted by submit
 * @param completed      units whose result arrived in time
 * @param failed         units that failed (deadline misses included)
 * @param deadlineMisses units whose deadline passed
 * @param rejected       units refused because no place could take them
 * @param inFlight       units running now
 * @param regret         estimated cumulative pseudo-regret: the sum over finished units of the best
 *                       eligible place's mean reward minus the chosen place's (current estimates)
 * @param exploration    the exploration factor in force (1 = the algorithms' own; EMS arousal
 *                       raises it)
 * @param contextual     units placed by LinUCB (they carried features)
 * @param lastChoice     the place chosen last, or empty
 */
public record AdpStats(String policy, long submitted, long completed, long failed, long deadlineMisses, long rejected, int inFlight,
        double regret, double exploration, long contextual, String lastChoice) {

    public AdpStats {
        Objects.requireNonNull(policy, "ADP policy");
        Objects.requireNonNull(lastChoice, "ADP last choice");
    }
}
