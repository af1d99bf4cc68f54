/**
 * The format in which the bus recorder keeps packets in the ledger, and its decoder, so an
 * application can replay a channel's history from the ledger's entries.
 */
@Export
@Version("1.0.0")
package io.chronofabric.ledger.record;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
