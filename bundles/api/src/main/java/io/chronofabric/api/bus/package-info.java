/**
 * The Phase Coherence Bus ports: typed and channel publish/subscribe of
 * {@link io.chronofabric.api.bus.PhasePacket}s stamped with HLC time, with priority, deadline,
 * target mask, delivery guarantee and causal dependencies.
 *
 * <p>Two ways to subscribe: register a {@link io.chronofabric.api.bus.PacketHandler} service
 * (the whiteboard pattern; a DS component is enough), or call
 * {@link io.chronofabric.api.bus.EventBusRx#subscribe} for a pull-style
 * {@link io.chronofabric.api.bus.Receiver}.
 *
 * <p>1.1: same-thread delivery for whiteboard handlers that opt in
 * ({@link io.chronofabric.api.bus.PacketHandler#DELIVERY}).
 */
@Export
@Version("1.1.0")
package io.chronofabric.api.bus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
