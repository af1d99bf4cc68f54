package io.chronofabric.bus.internal;

import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.MessageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens stores in a temporary directory (closing them after each test), stamps packets, fakes the bus. */
abstract class DeadLetterTestSupport {

    @TempDir
    Path dir;

    /** The fake time source: advanced by hand. */
    final AtomicLong now = new AtomicLong(1_700_000_000_000_000_000L);
    private final List<DeadLetterStore> opened = new CopyOnWriteArrayList<>();

    DeadLetterStore open(DeadLetterStore.Options options) throws IOException {
        DeadLetterStore s = DeadLetterStore.open(options, now::get, name -> Class.forName(name, false, getClass().getClassLoader()));
        opened.add(s);
        return s;
    }

    DeadLetterStore open() throws IOException {
        return open(DeadLetterStore.Options.defaults(dir));
    }

    DeadLetterStore.Options bounded(long maxEntries, long maxBytes) {
        DeadLetterStore.Options d = DeadLetterStore.Options.defaults(dir);
        return new DeadLetterStore.Options(dir, maxEntries, maxBytes, d.fsync(), d.fsyncIntervalNanos(), d.liveEntries(),
                d.maxPayloadBytes());
    }

    DeadLetterStore.Options withLive(int liveEntries) {
        DeadLetterStore.Options d = DeadLetterStore.Options.defaults(dir);
        return new DeadLetterStore.Options(dir, d.maxEntries(), d.maxBytes(), DeadLetterStore.Fsync.EVERY_APPEND,
                d.fsyncIntervalNanos(), liveEntries, d.maxPayloadBytes());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(DeadLetterStore::close);
    }

    /** Stamps as the bus does at publish (with an owner token of its own). */
    static <T> PhasePacket<T> stamped(PhasePacket<T> p, long id, LogicalTime time) {
        p.stamp(new Object(), id, time, time.physical(), p.deadlineNanos());
        return p;
    }

    static <T> PhasePacket<T> stamped(PhasePacket<T> p, long sequence) {
        return stamped(p, MessageId.pack(1, sequence), new LogicalTime(1_000_000L + sequence, sequence % 3, 1));
    }

    List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dlq")).sorted().toList();
        }
    }

    /** Positions of the records (frames) in a segment file. */
    static List<Integer> recordPositions(byte[] segment) {
        List<Integer> out = new ArrayList<>();
        int pos = DeadLetterStore.SEGMENT_HEADER;
        while (pos + DeadLetterStore.FRAME <= segment.length) {
            int len = java.nio.ByteBuffer.wrap(segment).getInt(pos);
            out.add(pos);
            pos += DeadLetterStore.FRAME + len;
        }
        return out;
    }

    /** A bus that records what it is asked to publish. */
    static final class RecordingBus implements EventBusTx {
        final List<PhasePacket<?>> published = new CopyOnWriteArrayList<>();
        private final AtomicLong ids = new AtomicLong(MessageId.pack(2, 1000));

        @Override
        public long publish(PhasePacket<?> packet) {
            published.add(packet);
            return ids.getAndIncrement();
        }

        @Override
        public long[] publishBatch(List<? extends PhasePacket<?>> packets) {
            return packets.stream().mapToLong(this::publish).toArray();
        }

        @Override
        public PublishStatus tryPublish(PhasePacket<?> packet) {
            throw new UnsupportedOperationException("replay publishes with publish()");
        }

        @Override
        public long publishWithDeadline(PhasePacket<?> packet, long deadlineNanos) {
            throw new UnsupportedOperationException("replay publishes without a deadline");
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
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isHealthy() {
            return true;
        }
    }

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
}
