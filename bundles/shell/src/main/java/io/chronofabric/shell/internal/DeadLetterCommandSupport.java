package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/** Shared plumbing of the dead-letter commands: the optional log reference, the session's console, entry texts. */
public abstract class DeadLetterCommandSupport implements Action {

    @Reference(optional = true)
    DeadLetterLog log;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (log == null) {
            out.println("No DeadLetterLog service is registered (is the chronofabric-bus feature installed and started?)");
            return null;
        }
        doExecute(out);
        return null;
    }

    protected abstract void doExecute(PrintStream out) throws Exception;

    /** The channel, or the payload type for typed routing. */
    static String route(DeadLetterEntry e) {
        return e.channel() != null ? e.channel() : "(type " + e.payloadType() + ")";
    }

    /** Short replay state for a table. */
    static String replayState(DeadLetterEntry e) {
        if (e.isReplayed()) {
            return "replayed as " + e.replayedAs() + (e.replayCount() > 1 ? " (" + e.replayCount() + "x)" : "");
        }
        return e.replayable() ? "replayable" : "not replayable";
    }

    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }

    static String emptyText(DeadLetterLog log) {
        return "The dead-letter log is empty (the next entry gets sequence " + log.nextSequence() + ")";
    }
}
