package io.chronofabric.api.consensus;

import java.util.Optional;
import java.util.Set;

/**
 * Membership as this node sees it.
 *
 * @param localNode this node's name
 * @param leader    the current leader, empty while none is known
 * @param members   every member, this node included
 * @param term      current term
 */
public record ClusterView(String localNode, Optional<String> leader, Set<String> members, long term) {

    public ClusterView {
        members = Set.copyOf(members);
    }

    public boolean isLeader() {
        return leader.filter(localNode::equals).isPresent();
    }
}
