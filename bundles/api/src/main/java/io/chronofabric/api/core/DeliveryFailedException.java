package io.chronofabric.api.core;

/**
 * A packet could not be delivered as its delivery options demanded, e.g. guaranteed delivery
 * whose retries ran out. The packet has gone to the dead-letter channel; it is not lost.
 */
public class DeliveryFailedException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final long messageId;

    public DeliveryFailedException(long messageId, String details) {
        super("Delivery of message " + new MessageId(messageId) + " failed: " + details);
        this.messageId = messageId;
    }

    public DeliveryFailedException(long messageId, String details, Throwable cause) {
        super("Delivery of message " + new MessageId(messageId) + " failed: " + details, cause);
        this.messageId = messageId;
    }

    public long messageId() {
        return messageId;
    }
}
