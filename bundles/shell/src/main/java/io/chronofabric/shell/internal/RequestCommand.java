package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.RequestReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** csf:request: sends a text request and prints the reply. */
@Service
@Command(scope = "csf", name = "request", description = "Sends a text request on a channel and prints the reply (request/reply over the bus).")
public class RequestCommand implements Action {

    @Argument(index = 0, name = "channel", required = true, description = "The request channel.")
    @Completion(ChannelCompleter.class)
    String channel;

    @Argument(index = 1, name = "text", required = true, description = "The request payload text.")
    String text;

    @Option(name = "-t", aliases = "--timeout", description = "How long to wait for the reply: 500ms, 2s, ... (default 5s).")
    String timeout = "5s";

    @Reference(optional = true)
    RequestReply requests;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        PrintStream out = session.getConsole();
        if (requests == null) {
            out.println("No RequestReply service is registered (is the chronofabric-patterns feature installed and started?)");
            return null;
        }
        long nanos = Durations.parseNanos(timeout);
        if (nanos <= 0) {
            throw new IllegalArgumentException("--timeout " + timeout + " must be positive");
        }
        PhasePacket<Object> reply;
        try {
            // the stage always completes: by a reply, or by the service's own timeout
            reply = requests.request(channel, text, Duration.ofNanos(nanos)).toCompletableFuture()
                    .get(nanos + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof Exception ex ? ex : e;
        }
        out.println("Reply " + reply.messageId() + " to request " + new io.chronofabric.api.core.MessageId(reply.causalDependency(0))
                + ": " + reply.payload());
        return null;
    }
}
