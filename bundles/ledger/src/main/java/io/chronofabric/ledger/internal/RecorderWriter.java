package io.chronofabric.ledger.internal;

import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's queue and its writer thread. Bus handlers {@linkplain #record enqueue}; the
 * writer takes everything queued (up to a batch bound), encodes it and appends it with one
 * {@link SecureImmutableLedger#appendBatch} call, which under {@code fsync=every-append} is one
 * write and one fsync for the whole batch (group commit). Only then does the batch count as
 * {@linkplain #committed() committed}, and only then does the writer take the next one.
 *
 * <p>The queue lives as long as this object: it survives the ledger going and coming (packets
 * wait, up to the bound), a resize (the old queue is sealed and drained before the new one) and
 * any change of the recorded channels.
 */
final class RecorderWriter {

    private static final Logger LOG = LoggerFactory.getLogger(RecorderWriter.class);

    /** Most entries in one batch (one write, one fsync). */
    static final int MAX_BATCH_ENTRIES = 4096;
    /** Most bytes in one batch (the store writes a batch from one buffer); a larger single entry still goes alone. */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FAILURE_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int UNWRITTEN_IDS_LOGGED = 20;

    /** Turns a packet into the ledger entry; runs on the writer thread. */
    @FunctionalInterface
    interface Encoder {
        byte[] encode(PhasePacket<?> packet, String channel);
    }

    /** What a stop or a release left behind. */
    record Drain(boolean complete, long unwritten) {
    }

    private final Encoder encoder;
    private final String threadName;
    private final ReentrantLock ledgerLock = new ReentrantLock();
    private final Batch pending = new Batch();
    private final AtomicLong refusedFull = new AtomicLong();
    private final AtomicReference<SecureImmutableLedger> ledger = new AtomicReference<>();
    private volatile RecordQueue queue;
    private volatile long fullWaitNanos;
    private volatile boolean parked;
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private volatile long committed;
    private volatile long recorded;
    private volatile long batches;
    private volatile long refusedEncoding;
    private volatile String lastFailure;
    private volatile Thread thread;
    /** Writer thread only: the queue it takes from (the current one, or a sealed one it still drains). */
    private RecordQueue draining;

    RecorderWriter(Encoder encoder, String threadName) {
        this.encoder = encoder;
        this.threadName = threadName;
    }

    // ------------------------------------------------------------------ lifecycle (component threads)

    /** Creates the queue and starts the writer thread. */
    synchronized void start(int capacity, long fullWaitNanos) {
        if (thread != null) {
            throw new IllegalStateException("The recorder's writer was already started");
        }
        this.fullWaitNanos = fullWaitNanos;
        RecordQueue q = new RecordQueue(capacity, 0);
        draining = q;
        queue = q;
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> {
            lastFailure = "the writer thread died: " + e;
            LOG.error("The ledger recorder's writer died; its {} queued packets will not be written, and once its queue is full "
                    + "every packet is refused (dead-lettered) until the recorder restarts", queued(), e);
        });
        thread = t;
        t.start();
    }

    void fullWait(long nanos) {
        fullWaitNanos = nanos;
    }

    /**
     * A new capacity (rounded up to a power of two): the current queue is sealed, producers move
     * to a new one that starts where it ends, and the writer drains the sealed one first, so no
     * packet is lost and the order holds.
     */
    synchronized void resize(int capacity) {
        RecordQueue old = queue;
        if (old == null || stopping || old.capacity() == new RecordQueue(capacity, 0).capacity()) {
            return;
        }
        long end = old.seal();
        queue = new RecordQueue(capacity, end);
        wake();
    }

    /** The ledger to append to (the greedy replacement of the current one, or the first one). */
    void bind(SecureImmutableLedger l) {
        ledger.set(l);
        // a new ledger: handlers may wait for room again until it fails too
        lastFailure = null;
        wake();
    }

    /**
     * The ledger {@code l} is going away (it is still usable while this runs): appends everything
     * accepted so far to it, waiting up to {@code timeoutNanos}, then stops using it. Packets that
     * did not make it stay queued for the next ledger. Runs on the thread that unbinds the service.
     */
    Drain release(SecureImmutableLedger l, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        RecordQueue q = queue;
        boolean complete = true;
        long upTo = 0;
        if (q != null && ledger.get() == l && isRunning()) {
            upTo = q.end();
            wake();
            complete = awaitCommitted(upTo, deadline, l);
        }
        boolean locked = false;
        try {
            locked = ledgerLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // a replacement bound meanwhile stays
            ledger.compareAndSet(l, null);
        } finally {
            if (locked) {
                ledgerLock.unlock();
            }
        }
        if (!locked) {
            LOG.warn("The ledger recorder is still inside an append to the departing ledger after {} ms; that append ends there",
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
        long left = Math.max(0, upTo - committed);
        return new Drain(complete && locked, left);
    }

    private boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    private boolean awaitCommitted(long upTo, long deadline, SecureImmutableLedger l) {
        long backoff = 10_000;
        while (committed < upTo) {
            // no use waiting once the ledger was replaced, the writer ended, or appends to it fail
            if (System.nanoTime() - deadline >= 0 || ledger.get() != l || !isRunning() || lastFailure != null) {
                return committed >= upTo;
            }
            LockSupport.parkNanos(this, backoff);
            backoff = Math.min(backoff * 2, 1_000_000);
        }
        return true;
    }

    /**
     * Refuses further packets, lets the writer append what is queued within {@code timeoutNanos}
     * and ends it. The writer logs what it could not write (count, message ids, channels).
     */
    Drain stop(long timeoutNanos) {
        Thread t;
        long end;
        synchronized (this) {
            t = thread;
            RecordQueue q = queue;
            if (t == null || q == null) {
                return new Drain(true, 0);
            }
            stopDeadline = System.nanoTime() + timeoutNanos;
            end = q.seal();
            stopping = true;
        }
        wake();
        try {
            // a little beyond the deadline: the writer needs a moment to log what it left
            t.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = Math.max(0, end - committed);
        if (t.isAlive()) {
            LOG.error("The ledger recorder's writer is still inside an append after {} ms; {} packets are not written yet "
                    + "(it logs what it finally leaves)", TimeUnit.NANOSECONDS.toMillis(timeoutNanos), left);
        }
        return new Drain(left == 0 && !t.isAlive(), left);
    }

    // ------------------------------------------------------------------ producers (bus dispatcher threads)

    /**
     * Queues a packet. Returns at once while the queue has room; when it is full, waits up to the
     * configured bound for room and then throws, so the bus dead-letters the packet. It does not
     * wait when waiting cannot help: while no ledger is bound or while appends fail.
     *
     * @throws ResourceExhaustedException   the queue stayed full for the whole wait
     * @throws ServiceUnavailableException  the recorder is stopping, or the queue stayed full while
     *                                      no ledger is bound
     */
    void record(PhasePacket<?> packet, String channel) {
        RecordQueue q = queue;
        if (q != null && q.offer(packet, channel) == RecordQueue.OK) {
            wake();
            return;
        }
        recordSlowly(packet, channel);
    }

    private void recordSlowly(PhasePacket<?> packet, String channel) {
        long wait = fullWaitNanos;
        long deadline = System.nanoTime() + wait;
        long backoff = 1_000;
        for (;;) {
            RecordQueue q = queue;
            if (q == null || stopping) {
                throw new ServiceUnavailableException("ledger recorder", "it is stopping; packet " + packet.messageId()
                        + " on channel " + channel + " was not recorded");
            }
            int r = q.offer(packet, channel);
            if (r == RecordQueue.OK) {
                wake();
                return;
            }
            if (r == RecordQueue.SEALED) {
                // a resize is publishing the next queue
                Thread.onSpinWait();
                continue;
            }
            wake();
            long left = deadline - System.nanoTime();
            if (left <= 0 || ledger.get() == null || lastFailure != null) {
                // waiting helps only while the writer makes progress: not without a ledger, not while appends fail
                break;
            }
            LockSupport.parkNanos(this, Math.min(left, backoff));
            backoff = Math.min(backoff * 2, 1_000_000);
        }
        refusedFull.incrementAndGet();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(wait);
        if (ledger.get() == null) {
            throw new ServiceUnavailableException("ledger", "no ledger service is bound and the recorder's queue of "
                    + queue.capacity() + " packets is full; packet " + packet.messageId() + " on channel " + channel
                    + " was not recorded");
        }
        String why = lastFailure;
        if (why != null) {
            throw new ResourceExhaustedException("ledger recorder queue", "the queue of " + queue.capacity()
                    + " packets is full because appends fail (" + why + "); packet " + packet.messageId() + " on channel "
                    + channel + " was not recorded");
        }
        throw new ResourceExhaustedException("ledger recorder queue", "the queue of " + queue.capacity()
                + " packets stayed full for " + waitedMs + " ms (appends are slower than the recorded channels); packet "
                + packet.messageId() + " on channel " + channel + " was not recorded");
    }

    private void wake() {
        if (parked) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    // ------------------------------------------------------------------ figures (any thread)

    /** Packets taken from the queue and appended (durable under the ledger's fsync policy) or refused as unencodable. */
    long committed() {
        return committed;
    }

    /** Entries appended to the ledger. */
    long recorded() {
        return recorded;
    }

    /** appendBatch calls that succeeded. */
    long batches() {
        return batches;
    }

    /** Packets accepted and not yet committed. */
    long queued() {
        RecordQueue q = queue;
        return q == null ? 0 : Math.max(0, q.end() - committed);
    }

    /** Packets the handlers refused because the queue stayed full. */
    long refusedFull() {
        return refusedFull.get();
    }

    /** Packets the writer could not encode (logged with their ids). */
    long refusedEncoding() {
        return refusedEncoding;
    }

    boolean ledgerBound() {
        return ledger.get() != null;
    }

    // ------------------------------------------------------------------ the writer thread

    private void run() {
        long retry = 1_000_000;
        long lastFailureLog = System.nanoTime() - FAILURE_LOG_NANOS;
        long failures = 0;
        while (true) {
            if (pending.taken == 0) {
                if (ledger.get() == null) {
                    // packets wait in the queue, so its bound holds while no ledger is present
                    if (draining.drained() && draining != queue) {
                        draining = queue;
                        continue;
                    }
                    if (stopExpired()) {
                        break;
                    }
                    if (stopping && draining.drained() && draining == queue) {
                        break;
                    }
                    parkFor(IDLE_PARK_NANOS, true);
                    continue;
                }
                fill();
            }
            if (pending.taken > 0) {
                String failure = appendPending();
                if (failure == null) {
                    retry = 1_000_000;
                    if (failures > 0) {
                        LOG.info("The ledger recorder appends again after {} failed attempts", failures);
                        failures = 0;
                        lastFailure = null;
                    }
                    continue;
                }
                if (stopExpired()) {
                    break;
                }
                if (!failure.isEmpty()) {
                    failures++;
                    lastFailure = failure;
                    long now = System.nanoTime();
                    if (now - lastFailureLog >= FAILURE_LOG_NANOS) {
                        lastFailureLog = now;
                        LOG.warn("The ledger recorder could not append {} packets ({} failed attempts so far, retrying; "
                                + "{} queued): {}", pending.taken, failures, queued(), failure);
                    }
                    parkFor(retry, false);
                    retry = Math.min(retry * 2, MAX_RETRY_NANOS);
                } else {
                    // no ledger bound: wait for one (bind wakes us)
                    parkFor(IDLE_PARK_NANOS, true);
                }
                continue;
            }
            RecordQueue q = draining;
            if (stopping && q.drained() && q == queue) {
                break;
            }
            if (stopExpired()) {
                break;
            }
            if (q.size() > 0 || q.drained() && q != queue) {
                // a producer claimed a slot and is about to fill it, or a sealed queue hands over
                Thread.onSpinWait();
                continue;
            }
            parked = true;
            // re-check after announcing the park: a producer that claimed a slot since then sees parked
            if (draining.size() == 0 && !(stopping && draining.drained())) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            parked = false;
        }
        leave();
    }

    private boolean stopExpired() {
        return stopping && System.nanoTime() - stopDeadline >= 0;
    }

    private void parkFor(long nanos, boolean untilBound) {
        if (stopping) {
            nanos = Math.min(nanos, Math.max(1, stopDeadline - System.nanoTime()));
        }
        parked = true;
        // re-check after announcing the park: a bind since then sees parked and unparks
        if (!(untilBound && ledger.get() != null)) {
            LockSupport.parkNanos(this, nanos);
        }
        parked = false;
    }

    /** Takes queued packets into the pending batch: the sealed predecessor first, then the current queue. */
    private void fill() {
        RecordQueue q = draining;
        while (!pending.full()) {
            q.drainTo(pending);
            if (q.drained() && q != queue) {
                q = queue;
                draining = q;
                continue;
            }
            break;
        }
    }

    /** Appends the pending batch: null on success, "" when no ledger is bound, else why it failed. */
    private String appendPending() {
        if (pending.entries.isEmpty()) {
            // everything taken was refused as unencodable
            commit(0);
            return null;
        }
        ledgerLock.lock();
        try {
            SecureImmutableLedger l = ledger.get();
            if (l == null) {
                return "";
            }
            try {
                l.appendBatch(pending.entries);
            } catch (RuntimeException | Error e) {
                // also a LinkageError from a ledger whose bundle was refreshed under it: the batch stays for the next ledger
                return e.toString();
            }
            commit(pending.entries.size());
            return null;
        } finally {
            ledgerLock.unlock();
        }
    }

    private void commit(int appended) {
        if (appended > 0) {
            recorded += appended;
            batches++;
        }
        committed += pending.taken;
        pending.clear();
    }

    /** The writer ends: logs every packet it did not write. */
    private void leave() {
        List<Long> ids = new ArrayList<>();
        Map<String, Long> perChannel = new TreeMap<>();
        long count = pending.unwritten(ids, perChannel);
        pending.clear();
        RecordQueue q = draining;
        while (true) {
            while (q.drainTo(pending) > 0 || pending.taken > 0) {
                count += pending.unwritten(ids, perChannel);
                pending.clear();
            }
            if (q != queue) {
                q = queue;
                continue;
            }
            if (q.size() > 0) {
                // a producer between claim and write: give it a moment
                Thread.onSpinWait();
                continue;
            }
            break;
        }
        if (count > 0) {
            String why = ledger.get() == null ? "no ledger was bound" : lastFailure != null ? "appends failed: " + lastFailure
                    : "the drain timed out";
            LOG.error("The ledger recorder stopped with {} packets it could not write ({}): channels {}, message ids {}{}",
                    count, why, perChannel, ids, count > ids.size() ? " ..." : "");
        }
        LOG.info("The ledger recorder stopped: {} packets recorded in {} batches, {} refused while its queue was full, {} unencodable",
                recorded, batches, refusedFull.get(), refusedEncoding);
    }

    /** The batch being appended: encoded entries plus what the unwritten log needs. Writer thread only. */
    private final class Batch implements RecordQueue.Sink {
        final List<byte[]> entries = new ArrayList<>();
        long[] ids = new long[64];
        String[] channels = new String[64];
        int taken;
        long bytes;

        @Override
        public boolean full() {
            return taken >= MAX_BATCH_ENTRIES || bytes >= MAX_BATCH_BYTES;
        }

        @Override
        public void accept(PhasePacket<?> packet, String channel, long position) {
            if (taken == ids.length) {
                ids = Arrays.copyOf(ids, taken * 2);
                channels = Arrays.copyOf(channels, taken * 2);
            }
            ids[taken] = packet.messageIdValue();
            channels[taken] = channel;
            taken++;
            if (stopExpired()) {
                // only counted for the unwritten log
                return;
            }
            byte[] entry;
            try {
                entry = encoder.encode(packet, channel);
                if (entry.length > SegmentStore.MAX_ENTRY) {
                    throw new IllegalArgumentException("its entry of " + entry.length + " bytes exceeds the ledger's maximum of "
                            + SegmentStore.MAX_ENTRY);
                }
            } catch (RuntimeException e) {
                refusedEncoding++;
                LOG.error("The ledger recorder cannot record packet {} on channel {}: {}", packet.messageId(), channel, e.toString());
                return;
            }
            entries.add(entry);
            bytes += entry.length;
        }

        /** Adds this batch's packets to the unwritten log; returns how many. */
        long unwritten(List<Long> idsOut, Map<String, Long> perChannel) {
            for (int i = 0; i < taken; i++) {
                if (idsOut.size() < UNWRITTEN_IDS_LOGGED) {
                    idsOut.add(ids[i]);
                }
                perChannel.merge(channels[i], 1L, Long::sum);
            }
            return taken;
        }

        void clear() {
            entries.clear();
            Arrays.fill(channels, 0, taken, null);
            taken = 0;
            bytes = 0;
        }
    }
}
