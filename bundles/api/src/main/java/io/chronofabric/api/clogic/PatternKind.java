package io.chronofabric.api.clogic;

/** What a {@link PatternEvent} reports. */
public enum PatternKind {
    /** A spectral line: values {@code frequency} (Hz or cycles/sample), {@code power}, {@code snr}. */
    RESONANCE,
    /** Phase coherence of oscillators: {@code r} (order parameter, 0..1), maybe {@code phase}. */
    COHERENCE,
    /** Directed information flow source → target: {@code te} (with its unit in the detail), {@code p}. */
    INFORMATION_FLOW,
    /** A change in a stream's distribution: {@code index}, {@code probability} or {@code statistic}. */
    CHANGEPOINT,
    /** A repeated subsequence (matrix profile): {@code index}, {@code match}, {@code distance}. */
    MOTIF,
    /** An anomalous subsequence (matrix profile): {@code index}, {@code distance}. */
    DISCORD
}
