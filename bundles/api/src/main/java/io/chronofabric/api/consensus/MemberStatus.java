package io.chronofabric.api.consensus;

import java.util.Objects;

/**
 * One member as this node knows it, for monitoring.
 *
 * @param member      the member's name, as in {@link ClusterView#members()}
 * @param leader      whether it leads the current term
 * @param logPosition its replicated log position in bytes as last reported, or -1 when unknown
 *                    (only the leader learns the followers' positions)
 * @param lagBytes    how far its log position trails the leader's, or -1 when unknown
 */
public record MemberStatus(String member, boolean leader, long logPosition, long lagBytes) {

    /** @throws NullPointerException if {@code member} is null */
    public MemberStatus {
        Objects.requireNonNull(member, "member");
    }
}
