package io.chronofabric.api.consensus;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value the cluster agreed on. Immutable: the bytes are copied in and copied out, and two
 * committed values are equal when their index, term and bytes are equal (by content).
 *
 * @param index position in the agreed log, from 0, without gaps
 * @param term  leadership term (election epoch) in which it was committed, from 0
 * @param value the bytes proposed; never null, possibly empty
 */
public record CommittedValue(long index, long term, byte[] value) {

    /** Bytes shown by {@link #toString()} before it abbreviates. */
    private static final int SHOWN_BYTES = 16;

    /**
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code index} or {@code term} is negative
     */
    public CommittedValue {
        Objects.requireNonNull(value, "value");
        if (index < 0) {
            throw new IllegalArgumentException("Committed value index must be >= 0: " + index);
        }
        if (term < 0) {
            throw new IllegalArgumentException("Committed value term must be >= 0: " + term);
        }
        value = value.clone();
    }

    /** A copy of the agreed bytes: changing it does not change this value. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommittedValue other
                && index == other.index
                && term == other.term
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(index) + Long.hashCode(term)) + Arrays.hashCode(value);
    }

    /** E.g. {@code CommittedValue[index=3, term=1, value=5 bytes 0x68656c6c6f]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(64 + 2 * SHOWN_BYTES)
                .append("CommittedValue[index=").append(index)
                .append(", term=").append(term)
                .append(", value=").append(value.length)
                .append(value.length == 1 ? " byte" : " bytes");
        if (value.length > 0) {
            s.append(" 0x");
            int shown = Math.min(value.length, SHOWN_BYTES);
            for (int i = 0; i < shown; i++) {
                s.append(Character.forDigit((value[i] >> 4) & 0xf, 16))
                        .append(Character.forDigit(value[i] & 0xf, 16));
            }
            if (shown < value.length) {
                s.append("...");
            }
        }
        return s.append(']').toString();
    }
}
