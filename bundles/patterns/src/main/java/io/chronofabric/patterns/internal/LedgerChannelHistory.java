package io.chronofabric.patterns.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.patterns.ChannelHistory;
import io.chronofabric.api.patterns.ReplayedPacket;
import io.chronofabric.ledger.record.RecordedPacket;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link ChannelHistory} on the {@link SecureImmutableLedger}: walks the given index range and
 * decodes the bus recorder's entries ({@link RecordedPacket}, the ledger bundle's exported format)
 * one at a time as the stream is consumed.
 */
@Component(name = "io.chronofabric.patterns.history", service = ChannelHistory.class)
public final class LedgerChannelHistory implements ChannelHistory {

    private final SecureImmutableLedger ledger;

    @Activate
    public LedgerChannelHistory(@Reference SecureImmutableLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Stream<ReplayedPacket> read(String channel, long fromIndex, long toIndex) {
        Channels.requireValid(channel);
        if (fromIndex < 0) {
            throw new IllegalArgumentException("fromIndex " + fromIndex + " is negative");
        }
        if (toIndex < -1) {
            throw new IllegalArgumentException("toIndex " + toIndex + " must be a ledger index or -1 (the last entry)");
        }
        long size = ledger.size();
        if (size == 0) {
            return Stream.empty();
        }
        long last = toIndex == -1 ? size - 1 : toIndex;
        if (fromIndex >= size) {
            throw new IllegalArgumentException("fromIndex " + fromIndex + " is past the ledger's end: it holds " + size + " entries (0.." + (size - 1) + ")");
        }
        if (last >= size) {
            throw new IllegalArgumentException("toIndex " + last + " is past the ledger's end: it holds " + size + " entries (0.." + (size - 1) + ")");
        }
        if (fromIndex > last) {
            throw new IllegalArgumentException("fromIndex " + fromIndex + " is after toIndex " + last);
        }
        return StreamSupport.stream(new Walker(channel, fromIndex, last), false);
    }

    /** Visits ledger entries {@code next..last}, handing on those recorded on the channel. */
    private final class Walker extends Spliterators.AbstractSpliterator<ReplayedPacket> {
        private final String channel;
        private final long last;
        private long next;

        Walker(String channel, long first, long last) {
            super(last - first + 1, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE);
            this.channel = channel;
            this.next = first;
            this.last = last;
        }

        @Override
        public boolean tryAdvance(Consumer<? super ReplayedPacket> action) {
            while (next <= last) {
                long i = next++;
                RecordedPacket r;
                try {
                    r = RecordedPacket.decode(ledger.get(i));
                } catch (IllegalArgumentException notRecorded) {
                    continue;
                }
                if (r.channel().equals(channel)) {
                    action.accept(new ReplayedPacket(r.channel(), i, r.timestamp(), r.messageId(), r.payloadType(), r.payload()));
                    return true;
                }
            }
            return false;
        }
    }
}
