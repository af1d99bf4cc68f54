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
 *
 * <p>1.2: {@link io.chronofabric.api.bus.BusBridge}, for bridges between nodes: publish a packet
 * received from another node under its origin message id and HLC timestamp (causal dependencies,
 * correlation and traces cross nodes), and record what could not cross in the dead-letter log.
 *
 * <p>1.3: per-channel rate limits, {@link io.chronofabric.api.bus.ChannelThrottle} (a service the
 * bus registers besides {@code EventBus}) with {@link io.chronofabric.api.bus.ChannelLimit}, and
 * {@link io.chronofabric.api.bus.PublishStatus#THROTTLED}.
 */
@Export
@Version("1.3.0")
package io.chronofabric.api.bus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
