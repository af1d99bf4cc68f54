package io.chronofabric.api.core;

/** A subscription id that the bus does not know (never issued, or already closed). */
public class SubscriptionNotFoundException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final long subscriptionId;

    public SubscriptionNotFoundException(long subscriptionId) {
        super("Subscription not found: " + subscriptionId);
        this.subscriptionId = subscriptionId;
    }

    public long subscriptionId() {
        return subscriptionId;
    }
}
