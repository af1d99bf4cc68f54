package io.chronofabric.shell.internal;

import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.consensus.DistributedLock;
import java.io.PrintStream;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the cluster commands (csf:cluster, csf:propose, csf:cluster-log, csf:lock). */
public abstract class ClusterCommandSupport implements Action {

    static final String NO_CLUSTER = "No Consensus service is registered (feature:install chronofabric-cluster; "
            + "configuration in etc/io.chronofabric.consensus.cfg)";

    @Reference(optional = true)
    Consensus consensus;

    @Reference(optional = true)
    DistributedLock lock;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (consensus == null) {
            out.println(NO_CLUSTER);
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;

    /** Waits for a stage; a failure prints its message instead of a stack trace. */
    static <T> T await(CompletionStage<T> stage, long timeoutSeconds, PrintStream out) throws InterruptedException {
        try {
            return stage.toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            out.println("Failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            out.println("Failed: no answer within " + timeoutSeconds + " s");
        }
        return null;
    }
}
