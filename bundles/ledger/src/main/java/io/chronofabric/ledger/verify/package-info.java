/**
 * Verification a third party can run with only a public key, a tree head and a proof: RFC 6962 /
 * RFC 9162 hashing, inclusion and consistency proof verification, and the Ed25519 tree-head
 * signature check. JDK only; no storage code.
 */
@Export
@Version("1.0.0")
package io.chronofabric.ledger.verify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
