package io.chronofabric.shell.internal;

import io.chronofabric.api.consensus.CommittedValue;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Proposes a value and waits for its commit. */
@Service
@Command(scope = "csf", name = "propose", description = "Proposes a UTF-8 value to the consensus cluster and waits "
        + "until it is committed (prints its index and term) or fails (no quorum within the proposal timeout).")
public class ClusterProposeCommand extends ClusterCommandSupport {

    @Argument(index = 0, name = "value", description = "The value (words are joined with spaces)", required = true,
            multiValued = true)
    List<String> words;

    @Option(name = "--wait", description = "Seconds to wait for the answer (the proposal timeout applies first)")
    int waitSeconds = 60;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        byte[] value = String.join(" ", words).getBytes(StandardCharsets.UTF_8);
        CommittedValue v = await(consensus.propose(value), waitSeconds, out);
        if (v != null) {
            out.println("Committed index " + v.index() + " in term " + v.term() + " (" + value.length + " bytes)");
        }
    }
}
