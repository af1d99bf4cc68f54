package io.chronofabric.shell.internal;

import io.chronofabric.api.patterns.EventStore;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the event store commands. */
public abstract class EventStoreCommandSupport implements Action {

    @Reference(optional = true)
    EventStore store;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (store == null) {
            out.println("No EventStore service is registered (are the chronofabric-patterns and chronofabric-ledger features installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;
}
