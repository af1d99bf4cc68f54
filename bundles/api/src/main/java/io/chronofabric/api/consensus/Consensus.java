package io.chronofabric.api.consensus;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Replicated agreement on an ordered log of values.
 *
 * <p><b>Contract.</b> Every node learns the same values in the same index order. The stage
 * returned by {@link #propose} completes when the value is committed, or exceptionally with
 * {@link io.chronofabric.api.core.DeliveryFailedException} when it cannot be (no quorum within
 * the configured timeout). Thread-safe.
 */
@ProviderType
public interface Consensus {

    CompletionStage<CommittedValue> propose(byte[] value);

    /**
     * Calls {@code learner} with each committed value from {@code fromIndex} on, in order, on a
     * consensus thread, until the returned handle is closed.
     *
     * @return the handle that stops the calls; never null
     */
    LearnHandle learn(long fromIndex, Consumer<CommittedValue> learner);

    /** Index of the last committed value, or -1. */
    long commitIndex();

    ClusterView view();

    /**
     * Every member with its log position and lag, as far as this node knows them (a leader knows
     * its followers' positions; a follower may know only its own). Never null; members this node
     * knows nothing about are listed with -1.
     *
     * @since 1.1
     */
    default List<MemberStatus> memberStatus() {
        return view().members().stream()
                .sorted()
                .map(m -> new MemberStatus(m, view().leader().filter(m::equals).isPresent(), -1, -1))
                .toList();
    }

    /**
     * Stops the calls of one {@link #learn} registration. Use it in try-with-resources: its
     * {@link #close()} throws no checked exception.
     */
    @ProviderType
    interface LearnHandle extends AutoCloseable {

        /**
         * Stops the calls. Idempotent and callable from any thread, the learner's own included.
         * Once it returns, the learner is not called again; called from within the learner, the
         * current call finishes and no further call starts. Never throws.
         */
        @Override
        void close();
    }
}
