package io.chronofabric.api.adp;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * ADP's service: runs work units on the place it learns is best. Thread-safe.
 *
 * <p><b>Places</b> are the DeadlineScheduler's workers (place {@code scheduler}), ADP's own
 * threads (place {@code local}, when configured), every available compute backend (place
 * {@code compute:KIND}, for compute units) and every {@link WorkPlace} service. Governance
 * decisions on {@code adp.governance} can exclude or throttle a place.
 *
 * <p><b>Choice and reward.</b> Among the places that accept the unit and are eligible, a unit
 * without features goes where the configured bandit (UCB1 by default) says; a unit with features
 * where LinUCB says. The reward of a finished unit is {@code ref / (ref + latency)} (ref from the
 * configuration), 0 for a failure or a missed deadline.
 *
 * <p>A provider type: only the ADP bundle implements it.
 */
@ProviderType
public interface AdaptiveProcessor {

    /**
     * Runs the unit on the chosen place. The stage completes with the result; exceptionally with
     * what the work threw, with a {@link DeadlineMissedException} naming the unit, place and
     * deadline when the deadline passes first, with a
     * {@link java.util.concurrent.RejectedExecutionException} saying why when no place can take
     * it (none accepts it, all excluded, ADP stopping), or with a
     * {@link java.util.concurrent.CancellationException} when ADP stops while it runs.
     *
     * @throws IllegalArgumentException when the unit carries features but not the configured
     *                                  number of them (the message says both)
     * @throws NullPointerException     for a null unit
     */
    <T> CompletionStage<T> submit(WorkUnit<T> unit);

    /** Every place known now, in the order they appeared. */
    List<PlaceInfo> places();

    AdpStats stats();
}
