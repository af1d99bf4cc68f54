package io.chronofabric.api.clogic;

/** What a {@link GovernanceDecision} asks of a module. */
public enum GovernanceAction {
    /** Switch the named analysis on. */
    ENABLE,
    /** Switch the named analysis off. */
    DISABLE,
    /** Run the named analysis at {@code value} times its configured rate ({@code value} &gt; 0). */
    SET_RATE,
    /** Tell the module about a concern (e.g. overload); {@code value} is its severity in [0, 1]. */
    ALERT
}
