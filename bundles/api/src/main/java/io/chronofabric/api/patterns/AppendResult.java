package io.chronofabric.api.patterns;

/**
 * Outcome of an {@link EventStore#append}.
 *
 * @param stream           the stream
 * @param version          the stream's version after the append (its last event's version)
 * @param firstLedgerIndex the ledger index of the first event appended
 * @param count            events appended
 */
public record AppendResult(String stream, long version, long firstLedgerIndex, int count) {
}
