/**
 * The Secure Immutable Ledger port: an append-only, RFC 6962 / RFC 9162 Merkle log of byte
 * entries with Ed25519-signed tree heads, inclusion and consistency proofs.
 */
@Export
@Version("1.1.0")
package io.chronofabric.api.ledger;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
