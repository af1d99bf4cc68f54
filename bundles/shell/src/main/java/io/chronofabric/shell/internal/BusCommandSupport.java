package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.EventBus;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the bus commands: the optional bus reference and the session's console. */
public abstract class BusCommandSupport implements Action {

    @Reference(optional = true)
    EventBus bus;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (bus == null) {
            out.println("No EventBus service is registered (is the chronofabric-bus feature installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;
}
