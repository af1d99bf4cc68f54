package io.chronofabric.shell.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.EventBusTx;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.patterns.ReplayedPacket;
import io.chronofabric.ledger.record.RecordedPacket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Republishes the packets the bus recorder kept for one channel, in ledger order, as
 * {@link ReplayedPacket} payloads (original HLC time and message id inside) on a target channel.
 * Indexes are ledger entry indexes, inclusive at both ends; entries of other channels and entries
 * that are not recorded packets are skipped and counted. Runs on the caller's thread; an interrupt
 * (Ctrl-C at the console) stops it between packets.
 */
final class Replayer {

    /** Waits until a time-source instant; tests replace it. */
    interface Pacer {
        void waitUntil(long nanos) throws InterruptedException;
    }

    static final Pacer PARK = deadline -> {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    };

    record Result(long replayed, long otherChannels, long notRecorded, long from, long to, boolean interrupted) {
    }

    private final SecureImmutableLedger ledger;
    private final EventBusTx bus;
    private final LongSupplier clock;
    private final Pacer pacer;

    Replayer(SecureImmutableLedger ledger, EventBusTx bus, LongSupplier clock, Pacer pacer) {
        this.ledger = ledger;
        this.bus = bus;
        this.clock = clock;
        this.pacer = pacer;
    }

    /** The channel a replay goes to when none is given. */
    static String defaultTarget(String channel) {
        return channel + ".replay";
    }

    /**
     * @param from first ledger index, or -1 for 0
     * @param to   last ledger index (inclusive), or -1 for the last entry
     * @param rate packets per second, or 0 for as fast as the bus takes them
     * @throws IllegalArgumentException a bad channel name, a negative rate, {@code from > to}, or an
     *         index past the ledger's end (the message gives the ledger's size)
     */
    Result replay(String channel, long from, long to, String into, double rate) {
        Channels.requireValid(channel);
        Channels.requireValid(into);
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate " + rate + " must be a positive number of packets per second (0: no limit)");
        }
        long size = ledger.size();
        if (size == 0) {
            throw new IllegalArgumentException("The ledger is empty: nothing to replay");
        }
        long first = from < 0 ? 0 : from;
        long last = to < 0 ? size - 1 : to;
        if (first >= size) {
            throw new IllegalArgumentException("--from " + first + " is past the ledger's end: it holds " + size + " entries (0.." + (size - 1) + ")");
        }
        if (last >= size) {
            throw new IllegalArgumentException("--to " + last + " is past the ledger's end: it holds " + size + " entries (0.." + (size - 1) + ")");
        }
        if (first > last) {
            throw new IllegalArgumentException("--from " + first + " is after --to " + last);
        }
        long intervalNanos = rate == 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long start = clock.getAsLong();
        long replayed = 0;
        long other = 0;
        long notRecorded = 0;
        for (long i = first; i <= last; i++) {
            RecordedPacket r;
            try {
                r = RecordedPacket.decode(ledger.get(i));
            } catch (IllegalArgumentException e) {
                notRecorded++;
                continue;
            }
            if (!r.channel().equals(channel)) {
                other++;
                continue;
            }
            if (intervalNanos > 0 && replayed > 0) {
                try {
                    pacer.waitUntil(start + replayed * intervalNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Result(replayed, other, notRecorded, first, i - 1, true);
                }
            }
            ReplayedPacket payload = new ReplayedPacket(r.channel(), i, r.timestamp(), r.messageId(), r.payloadType(), r.payload());
            try {
                bus.publish(PhasePacket.builder(payload).channel(into).build());
            } catch (RuntimeException e) {
                throw new IllegalStateException("Replay stopped at ledger entry " + i + " after " + replayed + " packets: " + e.getMessage(), e);
            }
            replayed++;
            if (Thread.currentThread().isInterrupted()) {
                return new Result(replayed, other, notRecorded, first, i, true);
            }
        }
        return new Result(replayed, other, notRecorded, first, last, false);
    }
}
