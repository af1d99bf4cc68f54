package io.chronofabric.shell.internal;

import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.compute.MlirRuntime;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the compute commands. */
public abstract class ComputeCommandSupport implements Action {

    @Reference(optional = true)
    MlirRuntime runtime;

    @Reference(optional = true)
    HardwareAbstraction hardware;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (runtime == null || hardware == null) {
            out.println("No compute runtime is registered (is the chronofabric-compute feature installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;
}
