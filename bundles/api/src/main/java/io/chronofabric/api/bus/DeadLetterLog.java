package io.chronofabric.api.bus;

import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.SerializationException;
import io.chronofabric.api.core.ServiceUnavailableException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The bus's durable dead-letter log: every packet the bus accepted but could not deliver
 * (retries or timeout exhausted, a handler's exception, a stopping bus, a causal hold that
 * failed) with the reason, kept on disk across restarts, and republished on request.
 *
 * <p><b>Entries.</b> Each entry gets a sequence number that increases by one per entry and is
 * never reused, also across restarts of the log. The log is bounded (by entry count and bytes,
 * configured by the provider): when it is full the oldest entries are evicted, so the entries
 * held are always the range {@link #firstSequence()} to {@link #nextSequence()}{@code - 1}, without
 * gaps except for entries the provider found corrupt when it started.
 *
 * <p><b>Replay.</b> {@link #replay(long, boolean)} publishes a copy of the original packet
 * through the bus ({@link EventBusTx#publish}): same payload, channel (or typed routing), source,
 * priority, target mask and delivery options (a guaranteed packet stays guaranteed); no deadline
 * and no causal dependencies, since both referred to the time of the first publish. The copy gets
 * a new message id. The payload is the original object while the provider still holds it in
 * memory (the same run, a bounded number of recent entries); otherwise it is restored from disk,
 * which providers can do for {@code String}, {@code byte[]}, boxed primitives and
 * {@link java.io.Serializable} payloads whose class they can load. An entry is replayed once;
 * a second replay needs {@code force}.
 *
 * <p><b>Threads.</b> Thread-safe. Reads see every entry recorded before they were called.
 * No method returns null.
 */
@ProviderType
public interface DeadLetterLog {

    /** Number of entries held now. */
    long size();

    /** Sequence of the oldest entry held; equal to {@link #nextSequence()} when the log is empty. */
    long firstSequence();

    /** Sequence the next entry will get. */
    long nextSequence();

    /**
     * Entries with a sequence of at least {@code fromSequence}, oldest first, at most {@code max}.
     * A {@code fromSequence} below {@link #firstSequence()} starts at the oldest entry; one at or
     * beyond {@link #nextSequence()} gives an empty list.
     *
     * @return an unmodifiable list, possibly empty
     * @throws IllegalArgumentException if {@code max} is negative
     */
    List<DeadLetterEntry> list(long fromSequence, int max);

    /**
     * The newest {@code max} entries, oldest first (so that a console prints the newest last).
     *
     * @return an unmodifiable list, possibly empty
     * @throws IllegalArgumentException if {@code max} is negative
     */
    List<DeadLetterEntry> latest(int max);

    /**
     * The entry with this sequence.
     *
     * @throws IllegalArgumentException if the log holds no such entry (evicted, cleared, corrupt or
     *         not recorded yet); the message names the sequence and the range held
     */
    DeadLetterEntry get(long sequence);

    /**
     * Replays the entry unless it was replayed before: {@code replay(sequence, false)}.
     *
     * @see #replay(long, boolean)
     */
    default MessageId replay(long sequence) {
        return replay(sequence, false);
    }

    /**
     * Publishes a copy of the entry's packet through the bus (see the class description) and
     * records the replay durably (the entry's {@link DeadLetterEntry#replayedAs()}). Blocks as
     * {@link EventBusTx#publish} does for a guaranteed packet. Exceptions of the publish propagate;
     * a {@link DeliveryFailedException} means the bus accepted the copy and dead-lettered it again
     * as a new entry: the original is then marked replayed (as the copy's id) all the same.
     *
     * @param sequence the entry
     * @param force    replay even if the entry was replayed before
     * @return the message id of the copy
     * @throws IllegalArgumentException if the log holds no such entry, naming it and the range held
     * @throws IllegalStateException if the entry was replayed before and {@code force} is false
     *         (naming the earlier replay's message id), or another thread is replaying it now
     * @throws SerializationException if the payload cannot be restored (not kept, its class cannot
     *         be loaded, or its bytes do not deserialize); the message names the payload class
     * @throws ServiceUnavailableException if no bus is available to publish through
     * @throws DeliveryFailedException as described above
     */
    MessageId replay(long sequence, boolean force);

    /**
     * Removes every entry; sequences continue where they were.
     *
     * @return how many entries were removed
     */
    long clear();
}
