/**
 * Core value types and the error hierarchy shared by every ChronoFabric port.
 *
 * <p>All types here are immutable and safe to share between threads. Consumers may rely on
 * {@code equals}/{@code hashCode}/{@code compareTo} being value-based; providers never add
 * identity semantics.
 */
@Export
@Version("1.0.0")
package io.chronofabric.api.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
