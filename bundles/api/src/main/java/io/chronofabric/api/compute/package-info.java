/**
 * Compute backends (the seed's MLIR runtime and hardware backends). Minimal until their own
 * issue: a backend says what it is and whether it is available, compiles a module, executes it.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.compute;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
