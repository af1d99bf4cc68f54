package io.chronofabric.example.eventsourcing.internal;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
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

/** Test doubles: an in-memory event store and a bus that records what is published. */
final class Fakes {

    private Fakes() {
    }

    static final class MemoryStore implements EventStore {
        final Map<String, List<StoredEvent>> streams = new LinkedHashMap<>();
        long ledgerSize;
        /** Events another writer appends just before the next append (to provoke a conflict). */
        Runnable beforeNextAppend;

        @Override
        public synchronized AppendResult append(String stream, long expectedVersion, List<EventData> events) {
            Runnable r = beforeNextAppend;
            beforeNextAppend = null;
            if (r != null) {
                r.run();
            }
            List<StoredEvent> list = streams.computeIfAbsent(stream, s -> new ArrayList<>());
            if (expectedVersion != ANY_VERSION && expectedVersion != list.size()) {
                throw new WrongExpectedVersionException(stream, expectedVersion, list.size());
            }
            long first = ledgerSize;
            for (EventData e : events) {
                list.add(new StoredEvent(stream, list.size() + 1, ledgerSize++, e.type(), e.data()));
            }
            return new AppendResult(stream, list.size(), first, events.size());
        }

        @Override
        public synchronized List<StoredEvent> read(String stream, long fromVersion) {
            List<StoredEvent> list = streams.getOrDefault(stream, List.of());
            return List.copyOf(list.subList((int) Math.min(list.size(), Math.max(0, fromVersion - 1)), list.size()));
        }

        @Override
        public synchronized long version(String stream) {
            return streams.getOrDefault(stream, List.of()).size();
        }

        @Override
        public synchronized List<String> streams() {
            return List.copyOf(streams.keySet());
        }

        @Override
        public EventProof prove(String stream, long version) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    static final class RecordingBus implements EventBusTx {
        final List<PhasePacket<?>> published = new ArrayList<>();

        @Override
        public long publish(PhasePacket<?> packet) {
            published.add(packet);
            return published.size();
        }

        @Override
        public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
            return packets.stream().mapToLong(this::publish).toArray();
        }

        @Override
        public io.chronofabric.api.bus.PublishStatus tryPublish(PhasePacket<?> packet) {
            publish(packet);
            return io.chronofabric.api.bus.PublishStatus.ACCEPTED;
        }

        @Override
        public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
            return publish(packet);
        }

        @Override
        public int subscriberCount(Class<?> type) {
            return 0;
        }

        @Override
        public int subscriberCount(String channel) {
            return 0;
        }

        @Override
        public BusStats stats() {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public boolean isHealthy() {
            return true;
        }

        List<StoredEvent> events() {
            return published.stream().map(p -> (StoredEvent) p.payload()).toList();
        }
    }
}
