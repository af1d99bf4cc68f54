/**
 * The consensus port: agree with other nodes on a single ordered log of values.
 * Implementations arrive with their own issue; this package fixes the contract.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.consensus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
