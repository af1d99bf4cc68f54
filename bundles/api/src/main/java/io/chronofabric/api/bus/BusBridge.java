package io.chronofabric.api.bus;

import io.chronofabric.api.core.LogicalTime;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The bus's side for bridges: bundles that carry packets between the buses of several nodes (the
 * network bundle). <b>Not for applications</b>: a packet published here keeps an identity that
 * another node's bus gave it, which only a bridge that received it from that node can vouch for.
 * The bus registers this service next to {@link EventBus}.
 *
 * <p><b>Identity across nodes.</b> Message ids are unique across a cluster (the publishing node's
 * id is in the top 16 bits, see {@link io.chronofabric.api.core.MessageId}); a bridged packet is
 * published on the receiving bus under its origin id and origin HLC timestamp, so that causal
 * dependencies ({@link PhasePacket.Builder#dependsOn}) and request/reply correlation cross nodes,
 * and a W3C trace context the packet carries continues on the receiving node (the deliver span
 * there is a child of the publish span on the origin: its id derives from the message id).
 *
 * <p><b>Causal dependencies on messages of another node</b> (on any packet, bridged or local)
 * are honoured, not assumed satisfied: such a dependency is done once that message has been
 * published here through a bridge and every delivery of it here has finished. A packet that waits
 * for one is held as for a local dependency (in HLC order, bounded by the bus's maximum held) until
 * its deadline, and at most for the bus's remote wait bound when it has none (30 s by default); then it
 * expires as a held packet does (counted, dead-lettered when guaranteed, with the dependency named).
 * Messages of another node more than 16,384 older than the newest this bus delivered from that node count as
 * done. A bridge carries only dependencies the receiving nodes can see: the network bundle leaves
 * out a dependency on a packet of its own node that it did not send to every node (a channel that
 * is not bridged), which the origin's bus had delivered before the dependent packet anyway.
 *
 * <p>Thread-safe; the calls may block as {@link EventBusTx#publish} does for guaranteed packets.
 *
 * @since 1.2
 */
@ProviderType
public interface BusBridge {

    /**
     * Publishes a packet first published on another node's bus, under that bus's message id and HLC
     * timestamp: routed here as {@link EventBusTx#publish} routes, with the packet's own priority,
     * deadline, target mask, delivery options, causal dependencies and trace context. The bridge has
     * merged {@code originTime} into the local HLC already (the HLC receive rule); the bus does not
     * read its clock for the timestamp. The bus does not deduplicate: a bridge publishes each origin
     * id once.
     *
     * @param packet          an unpublished packet
     * @param originMessageId the id the origin bus gave it; its node must not be this bus's node
     * @param originTime      the origin bus's HLC timestamp of the packet
     * @return {@code originMessageId}
     * @throws IllegalArgumentException if the id is negative or names this bus's own node, or a
     *         causal dependency names a message of this node not issued yet
     * @throws io.chronofabric.api.core.TemporalViolationException its deadline had passed on arrival
     * @throws io.chronofabric.api.core.DeliveryFailedException a guaranteed delivery failed here (dead-lettered already)
     * @throws io.chronofabric.api.core.ServiceUnavailableException the bus is stopping or has no clock
     * @throws IllegalStateException if the packet was already published
     */
    long publishForeign(PhasePacket<?> packet, long originMessageId, LogicalTime originTime);

    /**
     * Records a packet this bus published that a bridge could not carry to another node (that node
     * unreachable, no acknowledgement in time) in the bus's durable {@link DeadLetterLog}, with the
     * reason, and offers it on {@link Channels#DEAD_LETTER} as the bus does for its own.
     *
     * @param packet a packet published on this bus (stamped)
     * @param reason why, naming the node, e.g. "node 2 unreachable: no acknowledgement within 5000 ms"
     * @return the log entry's sequence, or -1 when it is not (yet) in the log (no log attached: kept
     *         in memory until one is; or it could not be written, which the bus logs)
     * @throws IllegalArgumentException if the packet is not stamped
     */
    long deadLetter(PhasePacket<?> packet, String reason);

    /**
     * Records a packet received from another node that cannot be published here (its payload could
     * not be decoded, its HLC timestamp was refused, its deadline had passed on arrival) in the
     * durable dead-letter log under its origin id and timestamp, with the reason.
     *
     * @param packet          an unpublished packet rebuilt from what arrived
     * @param originMessageId the id the origin bus gave it
     * @param originTime      the origin bus's HLC timestamp
     * @param reason          why, naming the origin node
     * @return as {@link #deadLetter(PhasePacket, String)}
     * @throws IllegalStateException if the packet was already published
     */
    long deadLetterForeign(PhasePacket<?> packet, long originMessageId, LogicalTime originTime, String reason);
}
