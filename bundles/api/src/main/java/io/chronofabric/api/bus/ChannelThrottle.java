package io.chronofabric.api.bus;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-channel rate limits of the bus: at most {@code packetsPerSecond} packets a second on a
 * channel, with bursts of up to {@code burst} packets (the generic cell rate algorithm, GCRA, of
 * ATM traffic policing, ITU-T I.371: a token bucket of {@code burst} tokens refilled at the rate,
 * kept as one "theoretical arrival time" per channel). The bus registers this service next to
 * {@link EventBus}; governance (EGC) and the console use it.
 *
 * <p><b>What a limit does to a publish on its channel</b> (packets without a channel, routed by
 * type, are never limited; nor are packets a {@link BusBridge} publishes for another node, which
 * that node's bus accepted already). A packet within the limit is published as usual. Beyond it:
 * <ul>
 *   <li>{@link EventBusTx#tryPublish} returns {@link PublishStatus#THROTTLED}, best effort or
 *       guaranteed; the packet is <em>not</em> stamped, nothing was queued, and the same packet may be
 *       published again later.</li>
 *   <li>{@link EventBusTx#publish} of a <b>guaranteed</b> packet waits for its turn (publishers are
 *       served in the order they arrived) when that comes within the packet's delivery timeout and
 *       before its deadline; otherwise it is refused at once, unstamped, with a
 *       {@link io.chronofabric.api.core.ResourceExhaustedException} naming the channel, the limit and
 *       the wait it would have needed. A guaranteed packet is delayed or refused with an error, never
 *       dropped.</li>
 *   <li>{@link EventBusTx#publish} of a <b>best-effort</b> packet never waits: it is stamped (its id
 *       is returned), delivered to nobody and counted, as a best-effort packet meeting full queues is
 *       (in {@link ChannelLimit#refused()} and {@link BusStats#dropped()}).</li>
 * </ul>
 * Nothing the bus accepted before is touched: a limit acts at the door, never on queued packets. A
 * publisher already waiting keeps its turn when the limit is changed or cleared.
 *
 * <p>Without any limit the publish path pays one volatile read for this feature. Thread-safe.
 *
 * @since 1.3
 */
@ProviderType
public interface ChannelThrottle {

    /** The largest rate a limit may have, packets per second (one packet a nanosecond). */
    double MAX_RATE = 1e9;

    /** The largest burst a limit may have, packets. */
    int MAX_BURST = 1_000_000;

    /**
     * Sets or replaces the limit of a channel. A new limit starts with a full burst; a limit that
     * replaces another keeps its bucket (the burst already used and the slots waiting publishers
     * hold carry over) and its counts.
     *
     * @param channel          the channel; not blank
     * @param packetsPerSecond the sustained rate, in (0, {@link #MAX_RATE}]; the bus's implementation
     *                         refuses rates below 0.001 (one packet in 1000 s)
     * @param burst            packets that may pass at once after a quiet period, 1..{@link #MAX_BURST}
     * @param reason           who set it and why (e.g. "egc spec=lat rule=..."), shown by the console;
     *                         not null, may be empty
     * @return the limit now in force
     * @throws IllegalArgumentException naming the argument that is out of range
     */
    ChannelLimit limit(String channel, double packetsPerSecond, int burst, String reason);

    /**
     * Removes the limit of a channel: later publishes there pass unlimited.
     *
     * @return the limit removed (its final counts), or empty when the channel had none
     */
    Optional<ChannelLimit> clear(String channel);

    /** The limit of a channel now, with its counts, or empty when it has none. */
    Optional<ChannelLimit> limitOf(String channel);

    /** Every limit in force, sorted by channel, with its counts. */
    List<ChannelLimit> limits();
}
