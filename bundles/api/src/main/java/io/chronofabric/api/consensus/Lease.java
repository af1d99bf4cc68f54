package io.chronofabric.api.consensus;

import java.util.Objects;

/**
 * A lease on a named lock, as the replicated lock table holds it.
 *
 * <p>The fencing token is the position in the replicated log of the command that granted the
 * lease: it grows with every grant, on every node alike. A protected resource remembers the
 * highest token it has seen and refuses a request carrying a lower one, so a holder that was
 * paused past its expiry cannot act on the resource after a later holder did.
 *
 * @param name            the lock's name; not blank
 * @param owner           who holds it (as given to {@link DistributedLock#tryAcquire}); not blank
 * @param fencingToken    positive; equal for renewals of one lease, greater for any later grant
 * @param expiresAtMillis cluster time (epoch milliseconds, the leader's clock as recorded in the
 *                        log) at which the lease lapses unless renewed
 */
public record Lease(String name, String owner, long fencingToken, long expiresAtMillis) {

    /**
     * @throws NullPointerException     if {@code name} or {@code owner} is null
     * @throws IllegalArgumentException if {@code name} or {@code owner} is blank, or the token is not positive
     */
    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Lease lock name is blank");
        }
        if (owner.isBlank()) {
            throw new IllegalArgumentException("Lease owner is blank");
        }
        if (fencingToken <= 0) {
            throw new IllegalArgumentException("Lease fencing token must be > 0: " + fencingToken);
        }
    }
}
