package io.chronofabric.shell.internal;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completion from names a service lists at the moment Tab is pressed. */
final class Completions {

    private Completions() {
    }

    /**
     * Offers {@code names}; offers nothing when the service is absent ({@code names} returns null)
     * or stopping (it throws).
     */
    static int complete(Session session, CommandLine commandLine, List<String> candidates,
            Supplier<? extends Collection<String>> names) {
        StringsCompleter delegate = new StringsCompleter();
        try {
            Collection<String> current = names.get();
            if (current != null) {
                delegate.getStrings().addAll(current);
            }
        } catch (RuntimeException e) {
            // the service is stopping: nothing to offer
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
