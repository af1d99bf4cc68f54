package io.chronofabric.api.bus;

/**
 * Identifies one subscription on one bus instance.
 *
 * @param value positive id
 */
public record SubscriptionId(long value) implements Comparable<SubscriptionId> {

    @Override
    public int compareTo(SubscriptionId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "sub-" + value;
    }
}
