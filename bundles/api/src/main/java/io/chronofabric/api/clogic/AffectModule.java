package io.chronofabric.api.clogic;

import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A cognitive module that keeps affect (EMS in the seed): agents with goals, emotions and a mood.
 * Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface AffectModule extends CognitiveModule {

    /** The agents it models, {@link AppraisalEvent#SELF} among them. */
    Set<String> agents();

    /**
     * The agent's state now (emotions decayed to the current time).
     *
     * @throws IllegalArgumentException if the agent is unknown, naming the known ones
     */
    AffectState affect(String agent);

    /**
     * The agent's goals and their likelihoods now.
     *
     * @throws IllegalArgumentException if the agent is unknown
     */
    Map<String, Double> goals(String agent);

    /**
     * Appraises an event at once (as if it arrived on the module's input) and returns the agent's
     * state after it.
     *
     * @throws IllegalArgumentException if the agent or goal is unknown, naming the known ones
     */
    AffectState appraise(AppraisalEvent event);

    /** The last modulation published, or null before the first. */
    Modulation lastModulation();
}
