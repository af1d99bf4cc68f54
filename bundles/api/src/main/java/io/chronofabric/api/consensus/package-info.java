/**
 * The consensus port: agree with other nodes on a single ordered log of values
 * ({@link io.chronofabric.api.consensus.Consensus}), and named locks held as leases with fencing
 * tokens decided through it ({@link io.chronofabric.api.consensus.DistributedLock}).
 *
 * <p>1.1: {@code DistributedLock}, {@code Lease}, {@code MemberStatus},
 * {@code Consensus.memberStatus()}, {@code ReplicatedLedger} and {@code LedgerAppend} added.
 */
@Export
@Version("1.1.0")
package io.chronofabric.api.consensus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
