package io.chronofabric.api.consensus;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Named locks held as leases, decided through consensus: every node applies the same grants in the
 * same order, so at most one owner holds a lock's live lease at any point of the log.
 *
 * <p><b>Contract.</b> A lease lapses at its {@link Lease#expiresAtMillis()} in cluster time; the
 * next command on that lock sees it lapsed, whoever sends it. Use the {@link Lease#fencingToken()}
 * with every action on the protected resource (see {@link Lease}): a lease alone cannot stop a
 * paused holder, the token can. Stages complete exceptionally with
 * {@link io.chronofabric.api.core.DeliveryFailedException} when the command is not committed
 * within the consensus proposal timeout (no quorum); its outcome is then unknown. Thread-safe.
 */
@ProviderType
public interface DistributedLock {

    /**
     * Grants {@code owner} the lock for {@code leaseTime} if it is free, lapsed or already held by
     * the same owner (a renewal: same token, later expiry).
     *
     * @return the lease granted, or empty when another owner holds a live lease
     * @throws IllegalArgumentException if {@code name} or {@code owner} is blank, or
     *         {@code leaseTime} is not positive
     */
    CompletionStage<Optional<Lease>> tryAcquire(String name, String owner, Duration leaseTime);

    /**
     * Frees the lock if {@code lease} is its current lease (same owner and token).
     *
     * @return true when released, false when the lease was no longer current (lapsed and taken,
     *         or released already)
     */
    CompletionStage<Boolean> release(Lease lease);

    /**
     * The lease recorded for {@code name} as this node has applied the log so far (it may trail
     * the leader); empty when free. A lease past its expiry is shown until the next command on
     * that lock lapses it.
     */
    Optional<Lease> holder(String name);
}
