package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.DistributedLock;
import io.chronofabric.api.consensus.Lease;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.agrona.ExpandableArrayBuffer;

/**
 * {@link DistributedLock} as commands in the node's replicated log, applied by every node's
 * {@link LockTable}; the leader's reply says what the table decided.
 */
final class ConsensusLock implements DistributedLock {

    /** Longest lock name or owner, in UTF-8 bytes. */
    static final int MAX_TEXT = 256;

    private final Proposer proposer;
    private final LockTable table;

    ConsensusLock(Proposer proposer, LockTable table) {
        this.proposer = proposer;
        this.table = table;
    }

    private static void check(String what, String text) {
        Objects.requireNonNull(text, what);
        if (text.isBlank()) {
            throw new IllegalArgumentException("Lock " + what + " is blank");
        }
        if (LockTable.utf8(text).length > MAX_TEXT) {
            throw new IllegalArgumentException("Lock " + what + " '" + text.substring(0, 32) + "...' exceeds " + MAX_TEXT
                    + " bytes");
        }
    }

    private static byte[] command(byte op, long arg, String name, String owner) {
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(32 + 2 * MAX_TEXT);
        int n = LockTable.encode(b, 0, op, arg, name, owner);
        byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String name, String owner, Duration leaseTime) {
        check("name", name);
        check("owner", owner);
        Objects.requireNonNull(leaseTime, "leaseTime");
        if (leaseTime.isZero() || leaseTime.isNegative()) {
            throw new IllegalArgumentException("Lock lease time must be positive: " + leaseTime);
        }
        long ms = Math.max(1, leaseTime.toMillis());
        return proposer.submit(LogService.LOCK, command(LockTable.ACQUIRE, ms, name, owner), (b, o, l, payload) -> {
            byte status = b.getByte(o);
            if (status == LockTable.GRANTED) {
                return Optional.of(new Lease(name, owner, b.getLong(o + 1), b.getLong(o + 9)));
            }
            if (status == LockTable.HELD) {
                return Optional.empty();
            }
            throw new IllegalStateException("Lock table refused the acquire command for '" + name + "' (status " + status + ")");
        });
    }

    @Override
    public CompletionStage<Boolean> release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        return proposer.submit(LogService.LOCK, command(LockTable.RELEASE, lease.fencingToken(), lease.name(), lease.owner()),
                (b, o, l, payload) -> b.getByte(o) == LockTable.RELEASED);
    }

    @Override
    public Optional<Lease> holder(String name) {
        Objects.requireNonNull(name, "name");
        return table.holder(name);
    }
}
