package io.chronofabric.shell.internal;

import io.chronofabric.api.compute.BackendStatus;
import java.io.PrintStream;
import java.util.List;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Lists the compute backends: kind, device, available or why not, ops supported. */
@Service
@Command(scope = "csf", name = "compute-backends", description = "Lists the registered compute backends: kind, device, whether it is "
        + "available (or why not) and how many ops it runs (--ops lists them).")
public class ComputeBackendsCommand extends ComputeCommandSupport {

    @Option(name = "--ops", description = "Also list the ops each available backend supports.")
    boolean ops;

    @Override
    protected void doExecute(PrintStream out) {
        List<BackendStatus> all = hardware.backends();
        if (all.isEmpty()) {
            out.println("No compute backend is registered (install chronofabric-compute-cpu or another backend feature)");
            return;
        }
        out.println(String.format("%-7s %-9s %-5s %-48s %s", "KIND", "AVAILABLE", "OPS", "DEVICE", "BUNDLE / WHY NOT"));
        for (BackendStatus s : all) {
            out.println(String.format("%-7s %-9s %-5d %-48s %s", s.kind(), s.available() ? "yes" : "no", s.supportedOps().size(),
                    clip(s.device(), 48), s.available() ? s.bundle() : s.unavailableReason()));
            if (ops && s.available()) {
                out.println("        " + String.join(" ", new TreeSet<>(s.supportedOps())));
            }
        }
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
