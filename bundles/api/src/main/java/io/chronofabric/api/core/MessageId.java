package io.chronofabric.api.core;

/**
 * Identifies a published packet uniquely across a cluster of up to 65,536 nodes.
 *
 * <p>The 64-bit value holds the publishing node's id in its top 16 bits and a per-node
 * sequence number in the low 48 bits, so ids from one node increase in publish order and
 * never collide with another node's. A node may publish 2<sup>48</sup> packets (about 2.8e14)
 * per bus lifetime before its sequence would wrap; providers refuse to publish past that.
 *
 * @param value the packed id
 */
public record MessageId(long value) implements Comparable<MessageId> {

    /** Largest sequence number a node can issue. */
    public static final long MAX_SEQUENCE = (1L << 48) - 1;

    public static MessageId of(int nodeId, long sequence) {
        return new MessageId(pack(nodeId, sequence));
    }

    /**
     * Packs a node id and a sequence into a message id value.
     *
     * @throws IllegalArgumentException naming the value that does not fit
     */
    public static long pack(int nodeId, long sequence) {
        if (nodeId < 0 || nodeId > LogicalTime.MAX_NODE_ID) {
            throw new IllegalArgumentException("Node id " + nodeId + " is out of range 0.." + LogicalTime.MAX_NODE_ID);
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("Message sequence " + sequence + " is out of range 0.." + MAX_SEQUENCE);
        }
        return ((long) nodeId << 48) | sequence;
    }

    public int nodeId() {
        return (int) (value >>> 48);
    }

    public long sequence() {
        return value & MAX_SEQUENCE;
    }

    @Override
    public int compareTo(MessageId other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return nodeId() + ":" + sequence();
    }
}
