package io.chronofabric.api.consensus;

/**
 * A value the cluster agreed on.
 *
 * @param index position in the agreed log, from 0, without gaps
 * @param term  leadership term (election epoch) in which it was committed
 * @param value the bytes proposed (a copy)
 */
public record CommittedValue(long index, long term, byte[] value) {

    public CommittedValue {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }
}
