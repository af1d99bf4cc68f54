package io.chronofabric.example.eventsourcing.internal;

import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.patterns.AppendResult;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.api.patterns.StoredEvent;
import io.chronofabric.api.patterns.WrongExpectedVersionException;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command side (write model). A {@link Responder} on {@value Channels#COMMANDS}: loads the
 * account's stream from the {@link EventStore}, folds it, decides the command against that
 * state, and appends the new events with the version it read as the expected version. Another
 * writer in between makes the append fail with {@link WrongExpectedVersionException}; the
 * command is then decided again on the fresh state (a few times at most). After the append each
 * event is published on {@value Channels#EVENTS} for the read model. The reply names the new
 * version and balance; a refused command fails at the requester with the reason.
 */
@Component(name = "io.chronofabric.example.eventsourcing.commands", service = Responder.class, immediate = true,
        property = {Responder.CHANNEL + "=" + Channels.COMMANDS, Responder.TYPE + "=java.lang.String"})
public final class AccountCommandHandler implements Responder<String, String> {

    static final int ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(AccountCommandHandler.class);

    private final EventStore store;
    private final EventBusTx bus;

    @Activate
    public AccountCommandHandler(@Reference EventStore store, @Reference EventBusTx bus) {
        this.store = store;
        this.bus = bus;
    }

    @Override
    public String respond(PhasePacket<String> request) {
        return handle(request.payload());
    }

    /** Handles one command line; see the class comment. */
    String handle(String command) {
        String[] words = command.strip().split("\\s+");
        if (words.length < 2 || words.length > 3) {
            throw new IllegalArgumentException("Command '" + command + "' is not 'open ID', 'deposit ID AMOUNT' or 'withdraw ID AMOUNT'");
        }
        String verb = words[0];
        String id = Account.requireId(words[1]);
        String amount = words.length == 3 ? words[2] : null;
        String stream = Account.stream(id);
        for (int attempt = 1; ; attempt++) {
            Account account = Account.fold(id, store.read(stream, 1));
            List<EventData> events = account.decide(verb, amount);
            AppendResult result;
            try {
                result = store.append(stream, account.version(), events);
            } catch (WrongExpectedVersionException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("Command '" + command + "' lost " + ATTEMPTS + " races for stream " + stream + ": "
                            + e.getMessage(), e);
                }
                continue;
            }
            Account after = account;
            for (int i = 0; i < events.size(); i++) {
                EventData e = events.get(i);
                long version = account.version() + 1 + i;
                StoredEvent stored = new StoredEvent(stream, version, result.firstLedgerIndex() + i, e.type(), e.data());
                after = after.apply(e.type(), stored.text());
                publish(stored);
            }
            return "Account " + id + " at version " + result.version() + ": balance " + after.balance();
        }
    }

    private void publish(StoredEvent event) {
        // best effort: a read model that misses an event catches up from the store at the next one
        PublishStatus status = bus.tryPublish(PhasePacket.builder(event).channel(Channels.EVENTS).build());
        if (status != PublishStatus.ACCEPTED) {
            LOG.warn("Event {} v{} not published on {}: {}", event.stream(), event.version(), Channels.EVENTS, status);
        }
    }

    @Override
    public String toString() {
        return "AccountCommandHandler[" + Channels.COMMANDS + "]";
    }
}
