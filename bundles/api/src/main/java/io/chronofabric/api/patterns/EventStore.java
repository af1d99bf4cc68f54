package io.chronofabric.api.patterns;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Event sourcing on the ledger: named streams of events, appended with optimistic concurrency and
 * each provable with an RFC 9162 inclusion proof against a signed tree head.
 *
 * <p><b>Versions.</b> The events of a stream are numbered from 1 in append order; a stream's
 * version is the number of its events (0: no such stream yet). An append names the version the
 * caller last saw; it succeeds only if the stream is still at that version (or the caller passes
 * {@link #ANY_VERSION}), else it fails with {@link WrongExpectedVersionException} naming both.
 *
 * <p><b>Storage.</b> Each event is one ledger entry; the events of one append are one atomic
 * {@code appendBatch}, so they get consecutive ledger indexes and are never interleaved with
 * another append. Ledger entries that are not events (the bus recorder's, say) are skipped.
 *
 * <p><b>Threads.</b> Thread-safe; appends are serialized (one at a time per store). Stream names
 * are 1 to 200 characters without whitespace or control characters.
 */
@ProviderType
public interface EventStore {

    /** Expected version that accepts any current version. */
    long ANY_VERSION = -1;

    /**
     * Appends events to a stream.
     *
     * @param expectedVersion the stream's version the caller expects (0 for a new stream), or {@link #ANY_VERSION}
     * @param events          one or more events
     * @return the stream's new version and the ledger index of the first event appended
     * @throws WrongExpectedVersionException the stream is at another version
     * @throws IllegalArgumentException a bad stream name, no events, or {@code expectedVersion < -1}
     * @throws io.chronofabric.api.core.ServiceUnavailableException no ledger is available
     */
    AppendResult append(String stream, long expectedVersion, List<EventData> events);

    /** The events of {@code stream} from version {@code fromVersion} (1 = all) on, in order; empty if none. */
    List<StoredEvent> read(String stream, long fromVersion);

    /** The stream's version: its number of events, 0 if it does not exist. */
    long version(String stream);

    /** Streams with at least one event, in order of their first event. */
    List<String> streams();

    /**
     * Proof that event {@code version} of {@code stream} is in the ledger: a freshly signed tree
     * head and the inclusion proof of the event's entry in that tree.
     *
     * @throws IllegalArgumentException no such event (the message gives the stream's version)
     */
    EventProof prove(String stream, long version);
}
