package io.chronofabric.api.patterns;

import java.util.stream.Stream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A channel's recorded history as a stream: the packets the ledger's bus recorder kept for a
 * channel (its {@code record.channels}), in ledger order, each as a {@link ReplayedPacket} with
 * its original HLC time and message id. This is what {@code csf:replay} republishes; a bundle
 * reads it to rebuild state (event sourcing) or to catch up before it subscribes to the channel
 * live (drop live packets whose message id it has already read).
 *
 * <p><b>Indexes</b> are ledger entry indexes, inclusive at both ends. Entries of other channels and
 * entries that are not recorded packets (event store events, application entries) are skipped.
 *
 * <p><b>Streams</b> are lazy and sequential: entries are read from the ledger as the stream is
 * consumed, so a short-circuiting operation ({@code limit}, {@code findFirst}) reads only what it
 * needs. The range is fixed when {@code read} is called; entries appended later are not included.
 * A stream is not thread-safe; the service is, and is registered while a ledger service is.
 */
@ProviderType
public interface ChannelHistory {

    /**
     * The recorded packets of {@code channel} at ledger indexes {@code fromIndex..toIndex}.
     *
     * @param fromIndex first ledger index (0 or more)
     * @param toIndex   last ledger index (inclusive), or -1 for the last entry at the time of the call
     * @return the packets in ledger order; empty when the ledger is empty
     * @throws IllegalArgumentException a bad channel name, a negative {@code fromIndex},
     *         {@code fromIndex > toIndex}, or an index past the ledger's end (the message gives
     *         the ledger's size)
     */
    Stream<ReplayedPacket> read(String channel, long fromIndex, long toIndex);

    /** The whole recorded history of {@code channel} up to the ledger's current end. */
    default Stream<ReplayedPacket> read(String channel) {
        return read(channel, 0, -1);
    }
}
