package io.chronofabric.api.clogic;

import java.util.Objects;

/**
 * One configured cross-talk link of the coordinator and whether the bus has it.
 *
 * @param from      the channel whose packets are forwarded
 * @param to        the channel they are forwarded to
 * @param active    whether the bus has the link now
 * @param forwarded packets seen on {@code from} since the coordinator started watching it (each
 *                  one went to {@code to} as well while the link was active), -1 if unknown
 * @param problem   why the link is not active (e.g. "no EventBus service", the bus's refusal), or
 *                  empty
 */
public record LinkStatus(String from, String to, boolean active, long forwarded, String problem) {

    public LinkStatus {
        Checks.name("Link source channel", from);
        Checks.name("Link target channel", to);
        Objects.requireNonNull(problem, "problem");
    }

    /** The configuration form {@code from->to}. */
    @Override
    public String toString() {
        return from + "->" + to;
    }
}
