package io.chronofabric.telemetry.internal;

/** io.chronofabric:type=Ledger: the secure immutable ledger's size and root. */
public interface LedgerMXBean extends PortMXBean {

    long getSize();

    /** The Merkle root over all entries, hex. */
    String getRootHash();
}
