package io.chronofabric.shell.internal;

import io.chronofabric.api.patterns.StoredEvent;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** csf:stream-read: prints a stream's events, or the streams. */
@Service
@Command(scope = "csf", name = "stream-read", description = "Prints the events of an EventStore stream (without a stream: the streams and their versions).")
public class StreamReadCommand extends EventStoreCommandSupport {

    @Argument(index = 0, name = "stream", description = "The stream name; none lists the streams.")
    String stream;

    @Option(name = "-f", aliases = "--from", description = "First version to print (default 1).")
    long from = 1;

    @Override
    protected void doExecute(PrintStream out) {
        if (stream == null) {
            List<String> streams = store.streams();
            if (streams.isEmpty()) {
                out.println("No streams yet");
            }
            for (String s : streams) {
                out.println(s + ": version " + store.version(s));
            }
            return;
        }
        List<StoredEvent> events = store.read(stream, from);
        if (events.isEmpty()) {
            out.println("Stream " + stream + " has no events from version " + from + " (its version is " + store.version(stream) + ")");
        }
        for (StoredEvent e : events) {
            out.println("v" + e.version() + " (ledger entry " + e.ledgerIndex() + ") " + e.type() + " " + TailCommand.abbreviate(e.text()));
        }
    }
}
