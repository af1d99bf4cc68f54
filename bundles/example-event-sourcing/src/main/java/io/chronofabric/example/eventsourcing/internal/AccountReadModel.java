package io.chronofabric.example.eventsourcing.internal;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.api.patterns.StoredEvent;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query side (read model) of CQRS: balances in memory, built from the {@link EventStore} at
 * activation and then kept up to date by the events the command side publishes on
 * {@value Channels#EVENTS} (a whiteboard {@link PacketHandler}); queries on
 * {@value Channels#QUERIES} (a {@link Responder}) are answered from memory alone. The view is
 * eventually consistent: a query right after a command may see the version before it. An event
 * seen twice is ignored (by version); an event that skips versions (one was dropped) makes the
 * view read the missing ones from the store.
 */
@Component(name = "io.chronofabric.example.eventsourcing.readmodel", service = {PacketHandler.class, Responder.class},
        immediate = true, property = {
            PacketHandler.CHANNEL + "=" + Channels.EVENTS,
            PacketHandler.TYPE + "=io.chronofabric.api.patterns.StoredEvent",
            Responder.CHANNEL + "=" + Channels.QUERIES,
            Responder.TYPE + "=java.lang.String"})
public final class AccountReadModel implements PacketHandler<StoredEvent>, Responder<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(AccountReadModel.class);

    private final EventStore store;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    @Activate
    public AccountReadModel(@Reference EventStore store) {
        this.store = store;
        int n = 0;
        for (String stream : store.streams()) {
            String id = Account.idOf(stream);
            if (id != null) {
                accounts.put(id, Account.fold(id, store.read(stream, 1)));
                n++;
            }
        }
        LOG.info("Account read model rebuilt from the event store: {} accounts", n);
    }

    @Override
    public void onPacket(PhasePacket<StoredEvent> packet) {
        apply(packet.payload());
    }

    /** Applies one event; the bus calls this from one dispatcher thread at a time. */
    void apply(StoredEvent event) {
        String id = Account.idOf(event.stream());
        if (id == null) {
            return;
        }
        Account current = accounts.getOrDefault(id, Account.none(id));
        if (event.version() <= current.version()) {
            return; // already folded (e.g. read at activation, then published)
        }
        if (event.version() == current.version() + 1) {
            accounts.put(id, current.apply(event.type(), event.text()));
            return;
        }
        LOG.info("Account {} read model at version {} got version {}: reading the gap from the event store", id, current.version(),
                event.version());
        Account caughtUp = current;
        for (StoredEvent e : store.read(event.stream(), current.version() + 1)) {
            caughtUp = caughtUp.apply(e.type(), e.text());
        }
        accounts.put(id, caughtUp);
    }

    @Override
    public String respond(PhasePacket<String> request) {
        return query(request.payload());
    }

    /** {@code balance ID} or {@code accounts}. */
    String query(String query) {
        String[] words = query.strip().split("\\s+");
        if (words.length == 2 && words[0].equals("balance")) {
            Account a = accounts.get(words[1]);
            if (a == null || !a.open()) {
                throw new IllegalArgumentException("No account '" + words[1] + "' in the read model");
            }
            return "Account " + a.id() + " at version " + a.version() + ": balance " + a.balance();
        }
        if (words.length == 1 && words[0].equals("accounts")) {
            StringJoiner out = new StringJoiner(", ", "", "");
            new TreeMap<>(accounts).forEach((id, a) -> {
                if (a.open()) {
                    out.add(id + "=" + a.balance());
                }
            });
            return out.length() == 0 ? "No accounts" : out.toString();
        }
        throw new IllegalArgumentException("Query '" + query + "' is not 'balance ID' or 'accounts'");
    }

    @Override
    public String toString() {
        return "AccountReadModel[" + Channels.QUERIES + "]";
    }
}
