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
    ALERT,
    /**
     * Limit the bus channel named by the decision's {@code analysis} to {@code value} packets per
     * second ({@code value} &gt; 0), or lift its limit ({@code value} = 0); module {@code bus} by
     * convention. Acted on by the governance module itself through the bus's
     * {@link io.chronofabric.api.bus.ChannelThrottle}. Since 1.3.
     */
    THROTTLE,
    /**
     * Pin the time oracle's hint to the {@link io.chronofabric.api.scheduler.OptimizationHint} named
     * by {@code analysis} for {@code value} seconds ({@code value} = 0: until undone), or remove the
     * pin ({@code analysis} = {@link GovernanceDecision#ALL}); module {@code oracle} by convention.
     * Acted on by the governance module through {@link io.chronofabric.api.scheduler.TimeOracle#pin}.
     * Since 1.3.
     */
    ORACLE_HINT
}
