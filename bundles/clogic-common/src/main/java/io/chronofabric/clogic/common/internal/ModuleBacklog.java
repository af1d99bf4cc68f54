package io.chronofabric.clogic.common.internal;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.SubscriptionInfo;
import java.util.Set;

/** How far behind its input a C-LOGIC module is: the packets queued on its own input subscriptions. */
public final class ModuleBacklog {

    private ModuleBacklog() {
    }

    /**
     * Packets waiting in the subscriptions that bundle {@code owner} holds on {@code channels}, or -1
     * when there is no bus or it cannot say.
     */
    public static long queued(EventBus bus, String owner, Set<String> channels) {
        if (bus == null) {
            return -1;
        }
        try {
            long n = 0;
            for (SubscriptionInfo i : bus.activeSubscriptions()) {
                if (owner.equals(i.owner()) && i.channel() != null && channels.contains(i.channel())) {
                    n += i.queued();
                }
            }
            return n;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
