package io.chronofabric.shell.internal;

import io.chronofabric.api.patterns.AppendResult;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.EventStore;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** csf:stream-append: appends one text event to an event store stream. */
@Service
@Command(scope = "csf", name = "stream-append", description = "Appends a text event to an EventStore stream (one ledger entry).")
public class StreamAppendCommand extends EventStoreCommandSupport {

    @Argument(index = 0, name = "stream", required = true, description = "The stream name.")
    String stream;

    @Argument(index = 1, name = "type", required = true, description = "The event type, e.g. OrderPlaced.")
    String type;

    @Argument(index = 2, name = "text", required = true, description = "The event body text.")
    String text;

    @Option(name = "-e", aliases = "--expect", description = "The stream version you expect (0 for a new stream); default: any.")
    long expect = EventStore.ANY_VERSION;

    @Override
    protected void doExecute(PrintStream out) {
        AppendResult r = store.append(stream, expect, List.of(EventData.of(type, text)));
        out.println("Appended " + type + " to " + stream + ": version " + r.version() + ", ledger entry " + r.firstLedgerIndex());
    }
}
