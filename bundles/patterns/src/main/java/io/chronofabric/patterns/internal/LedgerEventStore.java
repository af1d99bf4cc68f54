package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.ledger.InclusionProof;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.ledger.SignedTreeHead;
import io.chronofabric.api.patterns.AppendResult;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.EventProof;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.StoredEvent;
import io.chronofabric.api.patterns.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventStore} on the {@link SecureImmutableLedger} service. At activation it reads the
 * whole ledger once to index the events (stream to ledger indexes); afterwards it indexes what it
 * appends. Entries are encoded by {@link EventCodec}. An append checks the expected version and
 * appends under one lock, so two appends to the same stream never both succeed against one version.
 * The ledger is a static reference: a new ledger service re-activates the store and re-indexes.
 */
@Component(name = "io.chronofabric.patterns.eventstore", service = EventStore.class)
public final class LedgerEventStore implements EventStore {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerEventStore.class);

    private final SecureImmutableLedger ledger;
    private final Object lock = new Object();
    /** stream -> ledger indexes of its events, in version order; guarded by lock. */
    private final Map<String, LongList> index = new LinkedHashMap<>();

    @Activate
    public LedgerEventStore(@Reference SecureImmutableLedger ledger) {
        this.ledger = ledger;
        long size = ledger.size();
        long events = 0;
        long bad = 0;
        for (long i = 0; i < size; i++) {
            byte[] entry = ledger.get(i);
            if (!EventCodec.isEvent(entry)) {
                continue;
            }
            StoredEvent e = EventCodec.decode(entry, i);
            LongList list = e == null ? null : index.computeIfAbsent(e.stream(), s -> new LongList());
            if (e == null || e.version() != list.size() + 1) {
                bad++;
                continue;
            }
            list.add(i);
            events++;
        }
        if (bad > 0) {
            LOG.warn("Event store: skipped {} ledger entries that look like events but are malformed or out of version order", bad);
        }
        LOG.info("Event store indexed {} events in {} streams from {} ledger entries", events, index.size(), size);
    }

    private static String requireStream(String stream) {
        Objects.requireNonNull(stream, "stream");
        try {
            return Channels.requireValid(stream);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Stream name: " + e.getMessage().replace("Channel name", "name"));
        }
    }

    @Override
    public AppendResult append(String stream, long expectedVersion, List<EventData> events) {
        requireStream(stream);
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("Append to stream '" + stream + "' has no events");
        }
        if (expectedVersion < ANY_VERSION) {
            throw new IllegalArgumentException("Expected version " + expectedVersion + " of stream '" + stream + "' is below -1 (ANY_VERSION)");
        }
        synchronized (lock) {
            LongList list = index.get(stream);
            long actual = list == null ? 0 : list.size();
            if (expectedVersion != ANY_VERSION && expectedVersion != actual) {
                throw new WrongExpectedVersionException(stream, expectedVersion, actual);
            }
            List<byte[]> entries = new ArrayList<>(events.size());
            long v = actual;
            for (EventData e : events) {
                entries.add(EventCodec.encode(stream, ++v, e.type(), e.data()));
            }
            long first = ledger.appendBatch(entries);
            LongList l = index.computeIfAbsent(stream, s -> new LongList());
            for (int i = 0; i < entries.size(); i++) {
                l.add(first + i);
            }
            return new AppendResult(stream, v, first, entries.size());
        }
    }

    @Override
    public List<StoredEvent> read(String stream, long fromVersion) {
        requireStream(stream);
        if (fromVersion < 1) {
            throw new IllegalArgumentException("Read of stream '" + stream + "' from version " + fromVersion + ": versions start at 1");
        }
        long[] indexes;
        synchronized (lock) {
            LongList list = index.get(stream);
            if (list == null || fromVersion > list.size()) {
                return List.of();
            }
            indexes = list.copy((int) (fromVersion - 1));
        }
        List<StoredEvent> out = new ArrayList<>(indexes.length);
        for (long i : indexes) {
            out.add(decodeAt(i));
        }
        return out;
    }

    private StoredEvent decodeAt(long ledgerIndex) {
        StoredEvent e = EventCodec.decode(ledger.get(ledgerIndex), ledgerIndex);
        if (e == null) {
            throw new IllegalStateException("Ledger entry " + ledgerIndex + " no longer decodes as an event");
        }
        return e;
    }

    @Override
    public long version(String stream) {
        requireStream(stream);
        synchronized (lock) {
            LongList list = index.get(stream);
            return list == null ? 0 : list.size();
        }
    }

    @Override
    public List<String> streams() {
        synchronized (lock) {
            return List.copyOf(index.keySet().stream().filter(s -> index.get(s).size() > 0).toList());
        }
    }

    @Override
    public EventProof prove(String stream, long version) {
        requireStream(stream);
        long ledgerIndex;
        synchronized (lock) {
            LongList list = index.get(stream);
            long size = list == null ? 0 : list.size();
            if (version < 1 || version > size) {
                throw new IllegalArgumentException("Stream '" + stream + "' has no event " + version + ": its version is " + size);
            }
            ledgerIndex = list.get((int) (version - 1));
        }
        byte[] entry = ledger.get(ledgerIndex);
        StoredEvent event = EventCodec.decode(entry, ledgerIndex);
        if (event == null) {
            throw new IllegalStateException("Ledger entry " + ledgerIndex + " no longer decodes as an event");
        }
        SignedTreeHead head = ledger.signedTreeHead();
        InclusionProof proof = ledger.inclusionProof(ledgerIndex, head.treeSize());
        return new EventProof(event, entry, head, proof);
    }

    /** A growable list of longs. */
    private static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long get(int i) {
            return values[i];
        }

        long[] copy(int from) {
            return java.util.Arrays.copyOfRange(values, from, size);
        }
    }
}
