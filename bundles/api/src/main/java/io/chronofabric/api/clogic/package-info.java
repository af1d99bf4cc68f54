/**
 * C-LOGIC modules (DRPP, ADP, EGC, EMS in the seed): analysis components that read from and
 * publish to bus channels. Minimal until their own issue; each module documents plainly which
 * algorithm it runs.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.clogic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
