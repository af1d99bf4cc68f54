package io.chronofabric.api.ledger;

/**
 * Result of {@link SecureImmutableLedger#verify()}.
 *
 * @param ok              true when every entry, tree head and signature checked out
 * @param entriesChecked  entries recomputed
 * @param headsChecked    signed tree heads checked
 * @param firstBadIndex   index of the first bad entry, or -1
 * @param message         what was found, naming the first problem
 */
public record VerificationReport(boolean ok, long entriesChecked, long headsChecked, long firstBadIndex, String message) {
}
