package io.chronofabric.shell.internal;

import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The committed values this node holds. */
@Service
@Command(scope = "csf", name = "cluster-log", description = "Lists committed values of the consensus log held by "
        + "this node: index, term and value (text, or hex).")
public class ClusterLogCommand extends ClusterCommandSupport {

    @Option(name = "--from", description = "First index (default: the last --count values)")
    long from = -1;

    @Option(name = "--count", description = "How many values at most")
    int count = 20;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        long last = consensus.commitIndex();
        if (last < 0) {
            out.println("The consensus log is empty");
            return;
        }
        if (count < 1) {
            out.println("--count must be >= 1: " + count);
            return;
        }
        long start = from >= 0 ? from : Math.max(0, last - count + 1);
        if (start > last) {
            out.println("No committed value at index " + start + ": the commit index is " + last);
            return;
        }
        long end = Math.min(last, start + count - 1);
        List<CommittedValue> values = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Consensus.LearnHandle handle;
        try {
            handle = consensus.learn(start, v -> {
                if (v.index() <= end) {
                    synchronized (values) {
                        values.add(v);
                    }
                }
                if (v.index() >= end) {
                    done.countDown();
                }
            });
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return;
        }
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                out.println("(only part of the values arrived within 10 s)");
            }
        } finally {
            handle.close();
        }
        out.println(String.format("%-10s %-6s %s", "INDEX", "TERM", "VALUE"));
        synchronized (values) {
            for (CommittedValue v : values) {
                out.println(String.format("%-10d %-6d %s", v.index(), v.term(), LedgerCommandSupport.show(v.value())));
            }
        }
    }
}
