package io.chronofabric.shell.internal;

import io.chronofabric.api.consensus.ClusterView;
import io.chronofabric.api.consensus.MemberStatus;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Members, leader, term, commit index and lag per member. */
@Service
@Command(scope = "csf", name = "cluster", description = "Shows the consensus cluster as this node sees it: members, "
        + "leader, term, commit index, and each member's log position and lag (known on the leader).")
public class ClusterCommand extends ClusterCommandSupport {

    @Override
    protected void doExecute(PrintStream out) {
        ClusterView v = consensus.view();
        out.println("This node   : " + v.localNode() + (v.isLeader() ? " (leader)" : ""));
        out.println("Leader      : " + v.leader().orElse("none known (election in progress or no quorum)"));
        out.println("Term        : " + v.term());
        out.println("Commit index: " + consensus.commitIndex());
        out.println("Members     : " + v.members().size() + " (quorum " + (v.members().size() / 2 + 1) + ")");
        out.println(String.format("  %-12s %-7s %16s %12s", "MEMBER", "ROLE", "LOG POSITION", "LAG BYTES"));
        for (MemberStatus m : consensus.memberStatus()) {
            out.println(String.format("  %-12s %-7s %16s %12s", m.member() + (m.member().equals(v.localNode()) ? "*" : ""),
                    m.leader() ? "leader" : "-", m.logPosition() < 0 ? "?" : Long.toString(m.logPosition()),
                    m.lagBytes() < 0 ? "?" : Long.toString(m.lagBytes())));
        }
    }
}
