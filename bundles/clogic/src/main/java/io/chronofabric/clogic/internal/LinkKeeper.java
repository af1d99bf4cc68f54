package io.chronofabric.clogic.internal;

import io.chronofabric.api.bus.EventBusRx;
import io.chronofabric.api.clogic.LinkStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Keeps the bus's links equal to the configured ones, on the bus API only: makes missing links,
 * removes links it made that are no longer configured, and leaves other links alone. Not
 * thread-safe: the coordinator calls it under its own lock.
 */
final class LinkKeeper {

    private List<LinkSpec> desired = List.of();
    /** Links this coordinator made (or took over because they were configured), kept across restarts by the caller. */
    private final Set<LinkSpec> owned = new LinkedHashSet<>();
    private final Map<LinkSpec, String> problems = new LinkedHashMap<>();
    private List<LinkStatus> status = List.of();

    LinkKeeper(Set<LinkSpec> previouslyOwned) {
        owned.addAll(previouslyOwned);
    }

    void configure(List<LinkSpec> links) {
        desired = List.copyOf(links);
    }

    List<LinkSpec> desired() {
        return desired;
    }

    Set<LinkSpec> owned() {
        return Set.copyOf(owned);
    }

    /**
     * One pass against {@code bus} (null = no bus): removes owned links no longer desired, makes
     * the missing desired ones. Returns whether the owned set changed (the caller saves it).
     */
    boolean reconcile(EventBusRx bus, ToLongFunction<String> forwarded) {
        boolean changed = false;
        List<LinkStatus> result = new ArrayList<>();
        if (bus == null) {
            for (LinkSpec l : desired) {
                result.add(new LinkStatus(l.from(), l.to(), false, forwarded.applyAsLong(l.from()), "no EventBus service"));
            }
            status = List.copyOf(result);
            return false;
        }
        Map<String, Set<String>> present = bus.channelLinks();
        for (LinkSpec l : List.copyOf(owned)) {
            if (!desired.contains(l)) {
                if (has(present, l)) {
                    bus.unlinkChannels(l.from(), l.to());
                }
                owned.remove(l);
                problems.remove(l);
                changed = true;
            }
        }
        present = bus.channelLinks();
        for (LinkSpec l : desired) {
            String problem = "";
            if (!has(present, l)) {
                try {
                    bus.linkChannels(l.from(), l.to());
                    present = bus.channelLinks();
                } catch (RuntimeException e) {
                    problem = Objects.toString(e.getMessage(), e.toString());
                }
            }
            if (problem.isEmpty()) {
                problems.remove(l);
                changed |= owned.add(l);
            } else {
                problems.put(l, problem);
            }
            result.add(new LinkStatus(l.from(), l.to(), problem.isEmpty(), forwarded.applyAsLong(l.from()), problem));
        }
        status = List.copyOf(result);
        return changed;
    }

    /** The state after the last pass. */
    List<LinkStatus> status() {
        return status;
    }

    /** Links that failed in the last pass with the reason. */
    Map<LinkSpec, String> problems() {
        return Map.copyOf(problems);
    }

    private static boolean has(Map<String, Set<String>> links, LinkSpec l) {
        Set<String> to = links.get(l.from());
        return to != null && to.contains(l.to());
    }
}
