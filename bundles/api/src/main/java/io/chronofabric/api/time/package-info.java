/**
 * Time ports: a nanosecond {@link io.chronofabric.api.time.TimeSource}, a controllable
 * {@link io.chronofabric.api.time.SimulatedTimeSource} for deterministic tests, and the
 * Hybrid Logical Clock {@link io.chronofabric.api.time.HlcClock} that orders events causally
 * across nodes.
 *
 * <p>1.1: {@link io.chronofabric.api.time.HlcClock#nowInto}, a timestamp without an object.
 */
@Export
@Version("1.1.0")
package io.chronofabric.api.time;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
