package io.chronofabric.api.bus;

import java.util.Objects;

/**
 * A rate limit of one channel with what it has done so far (see {@link ChannelThrottle}). An
 * immutable snapshot.
 *
 * @param channel          the channel; not null
 * @param packetsPerSecond the sustained rate, packets per second (&gt; 0)
 * @param burst            packets that may pass at once after a quiet period (&gt;= 1)
 * @param reason           who set it and why; not null
 * @param admitted         packets that passed at once since the limit was first set on the channel
 * @param delayed          guaranteed packets that waited for their turn and then passed
 * @param waiting          publishers waiting for their turn now
 * @param refused          packets turned away: {@link PublishStatus#THROTTLED} answers, guaranteed
 *                         packets refused with an error, best-effort packets dropped
 * @since 1.3
 */
public record ChannelLimit(String channel, double packetsPerSecond, int burst, String reason, long admitted, long delayed,
        int waiting, long refused) {

    public ChannelLimit {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(reason, "reason");
    }
}
