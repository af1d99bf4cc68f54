package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.Lease;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The replicated lock table: applied on the clustered service's thread in log order, so every
 * node grants the same leases. Deterministic: time is the cluster time carried by each log
 * message (the largest seen, so it never goes back), the fencing token the message's log
 * position. Readable from any thread.
 *
 * <p>Command {@code [byte op][long leaseMs | token][int n][name][int n][owner]}; result
 * {@code [byte status][long token][long expiresAt][int n][owner]}.
 */
final class LockTable {

    static final byte ACQUIRE = 1;
    static final byte RELEASE = 2;
    static final byte GRANTED = 1;
    static final byte HELD = 2;
    static final byte RELEASED = 3;
    static final byte NOT_CURRENT = 4;
    static final byte MALFORMED = 5;

    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private long clock;

    Optional<Lease> holder(String name) {
        return Optional.ofNullable(leases.get(name));
    }

    Map<String, Lease> leases() {
        return leases;
    }

    long clock() {
        return clock;
    }

    void restore(long clock, Iterable<Lease> restored) {
        leases.clear();
        this.clock = clock;
        for (Lease l : restored) {
            leases.put(l.name(), l);
        }
    }

    static int encode(MutableDirectBuffer b, int offset, byte op, long arg, String name, String owner) {
        int i = offset;
        b.putByte(i, op);
        i += 1;
        b.putLong(i, arg);
        i += Long.BYTES;
        i += b.putStringUtf8(i, name);
        i += b.putStringUtf8(i, owner);
        return i - offset;
    }

    /**
     * Applies one command and writes its result to {@code out} at 0.
     *
     * @return the result's length
     */
    int apply(DirectBuffer b, int offset, int length, long position, long timestamp, MutableDirectBuffer out) {
        clock = Math.max(clock, timestamp);
        byte op;
        long arg;
        String name;
        String owner;
        try {
            op = b.getByte(offset);
            arg = b.getLong(offset + 1);
            int i = offset + 1 + Long.BYTES;
            int n = b.getInt(i);
            if (n < 1 || i + 4 + n > offset + length) {
                return result(out, MALFORMED, 0, 0, "");
            }
            name = b.getStringUtf8(i, n);
            i += 4 + n;
            int m = b.getInt(i);
            if (m < 1 || i + 4 + m > offset + length) {
                return result(out, MALFORMED, 0, 0, "");
            }
            owner = b.getStringUtf8(i, m);
        } catch (IndexOutOfBoundsException e) {
            return result(out, MALFORMED, 0, 0, "");
        }
        Lease current = leases.get(name);
        if (op == ACQUIRE) {
            if (arg <= 0) {
                return result(out, MALFORMED, 0, 0, "");
            }
            long expires = clock + arg;
            if (current != null && current.owner().equals(owner)) {
                Lease renewed = new Lease(name, owner, current.fencingToken(), expires);
                leases.put(name, renewed);
                return result(out, GRANTED, renewed.fencingToken(), expires, owner);
            }
            if (current != null && current.expiresAtMillis() > clock) {
                return result(out, HELD, current.fencingToken(), current.expiresAtMillis(), current.owner());
            }
            Lease granted = new Lease(name, owner, position, expires);
            leases.put(name, granted);
            return result(out, GRANTED, position, expires, owner);
        }
        if (op == RELEASE) {
            if (current != null && current.owner().equals(owner) && current.fencingToken() == arg) {
                leases.remove(name);
                return result(out, RELEASED, arg, 0, owner);
            }
            return result(out, NOT_CURRENT, arg, 0, owner);
        }
        return result(out, MALFORMED, 0, 0, "");
    }

    private static int result(MutableDirectBuffer out, byte status, long token, long expires, String owner) {
        out.putByte(0, status);
        out.putLong(1, token);
        out.putLong(9, expires);
        int n = out.putStringUtf8(17, owner);
        return 17 + n;
    }

    static String decodeOwner(DirectBuffer b, int offset) {
        return b.getStringUtf8(offset + 17);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
