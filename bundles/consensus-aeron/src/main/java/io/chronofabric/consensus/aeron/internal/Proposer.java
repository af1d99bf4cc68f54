package io.chronofabric.consensus.aeron.internal;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.AdminRequestType;
import io.aeron.cluster.codecs.AdminResponseCode;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.Header;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.core.DeliveryFailedException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's client of its cluster: takes proposals from any thread (a lock-free queue), offers
 * them on the cluster's ingress, completes them from the egress replies, fails them when their
 * timeout passes, keeps the session alive and reconnects after a failover. One agent thread; all
 * fields but the queue and the counters are that thread's.
 */
final class Proposer implements Agent, EgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(Proposer.class);
    private static final long KEEPALIVE_MS = 1_000;
    private static final long RECONNECT_BACKOFF_MS = 200;

    /** Turns a reply (after its correlation id) into the stage's result. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(DirectBuffer buffer, int offset, int length, byte[] payload);
    }

    static final Decoder<CommittedValue> COMMITTED = (b, o, l, payload) ->
            new CommittedValue(b.getLong(o), b.getLong(o + Long.BYTES), payload);

    /** A proposal on its way. */
    static final class Pending<T> {
        final long correlationId;
        final int type;
        final byte[] value;
        final Decoder<T> decoder;
        final CompletableFuture<T> future = new CompletableFuture<>();
        long deadlineMs;
        boolean done;

        Pending(long correlationId, int type, byte[] value, Decoder<T> decoder) {
            this.correlationId = correlationId;
            this.type = type;
            this.value = value;
            this.decoder = decoder;
        }

        void complete(DirectBuffer b, int offset, int length) {
            T result;
            try {
                result = decoder.decode(b, offset, length, value);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return;
            }
            future.complete(result);
        }
    }

    private final ConsensusSettings settings;
    private final LogService service;
    private final Aeron aeron;
    private final ManyToOneConcurrentArrayQueue<Pending<?>> queue;
    private final ArrayDeque<Pending<?>> waiting = new ArrayDeque<>();
    private final ArrayDeque<Pending<?>> inFlightOrder = new ArrayDeque<>();
    private final Long2ObjectHashMap<Pending<?>> inFlight = new Long2ObjectHashMap<>();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    /** A batch stays within one UDP frame (MTU 1408 less the frame and cluster session headers). */
    static final int BATCH_BYTES = 1280;
    private final ExpandableArrayBuffer batchBuffer = new ExpandableArrayBuffer(BATCH_BYTES);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong correlationIds = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private volatile long proposalTimeoutMs;
    private volatile long snapshotInterval;
    private volatile int clientLeader = -1;
    private volatile boolean connected;
    private volatile boolean closing;
    private volatile Thread thread;
    /** Set while the agent idles (see {@link #idleStrategy}): only then does a submit unpark it. */
    private volatile boolean idling;

    private AeronCluster.AsyncConnect connecting;
    private AeronCluster cluster;
    private long nextConnectMs;
    private long lastKeepAliveMs;
    private long snapshotRequestedAtIndex = -1;
    private long lastSnapshotRequestMs;

    private final org.agrona.ErrorHandler errors;

    Proposer(ConsensusSettings settings, LogService service, Aeron aeron, org.agrona.ErrorHandler errors) {
        this.errors = errors;
        this.settings = settings;
        this.service = service;
        this.aeron = aeron;
        this.queue = new ManyToOneConcurrentArrayQueue<>(settings.maxPending());
        apply(settings);
    }

    /** Settings a running node takes without a restart. */
    void apply(ConsensusSettings s) {
        proposalTimeoutMs = s.proposalTimeoutMs();
        snapshotInterval = s.snapshotInterval();
    }

    long proposalTimeoutMs() {
        return proposalTimeoutMs;
    }

    /** Largest value a proposal may carry: an ingress message of the term length's eighth. */
    int maxValueLength() {
        return settings.termLength() / 8 - LogService.PROPOSAL_HEADER - 64;
    }

    /** Any thread. */
    CompletableFuture<CommittedValue> propose(byte[] value) {
        return submit(LogService.VALUE, value.clone(), COMMITTED);
    }

    static final Decoder<Boolean> ACKNOWLEDGED = (b, o, l, payload) -> Boolean.TRUE;

    /**
     * Any thread: the leader's word, through the log, that every member has appended the log up
     * to {@code position} (see {@link LogPurger}). Not counted as a proposal.
     */
    CompletableFuture<Boolean> proposePurge(long position) {
        byte[] payload = new byte[Long.BYTES];
        new org.agrona.concurrent.UnsafeBuffer(payload).putLong(0, position);
        return submit(LogService.PURGE, payload, ACKNOWLEDGED);
    }

    private static boolean counted(Pending<?> p) {
        return p.type != LogService.PURGE;
    }

    /** Any thread: a command of {@code type}; {@code payload} is not copied. */
    <T> CompletableFuture<T> submit(int type, byte[] value, Decoder<T> decoder) {
        long id = correlationIds.incrementAndGet();
        Pending<T> p = new Pending<>(id, type, value, decoder);
        if (value.length > maxValueLength()) {
            failed.incrementAndGet();
            p.future.completeExceptionally(new IllegalArgumentException("Proposal of " + value.length
                    + " bytes exceeds the largest value of " + maxValueLength() + " bytes (term.length "
                    + settings.termLength() + " / 8)"));
        } else if (closing) {
            failed.incrementAndGet();
            p.future.completeExceptionally(new DeliveryFailedException(id, "the consensus node is closed"));
        } else if (!queue.offer(p)) {
            failed.incrementAndGet();
            p.future.completeExceptionally(new DeliveryFailedException(id, "proposal queue full: "
                    + settings.maxPending() + " proposals are waiting (max.pending)"));
        } else if (idling) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t); // cuts short the agent's back-off park (BackoffIdleStrategy parks)
            }
        }
        return p.future;
    }

    /**
     * The agent's idle strategy: {@code delegate}, telling {@link #submit} when an unpark is
     * needed. The flag is set before the queue is checked once more, and a submit offers before
     * it reads the flag, so a proposal is never left waiting out a park.
     */
    IdleStrategy idleStrategy(IdleStrategy delegate) {
        return new IdleStrategy() {
            @Override
            public void idle(int workCount) {
                if (workCount > 0) {
                    delegate.reset();
                } else {
                    idle();
                }
            }

            @Override
            public void idle() {
                idling = true;
                if (queue.isEmpty()) {
                    delegate.idle();
                }
                idling = false;
            }

            @Override
            public void reset() {
                delegate.reset();
            }

            @Override
            public String alias() {
                return "proposer-" + delegate.alias();
            }
        };
    }

    /** The leader as the client last heard it, -1 when not connected. */
    int clientLeader() {
        return connected ? clientLeader : -1;
    }

    boolean connected() {
        return connected;
    }

    long committedCount() {
        return committed.get();
    }

    /** Messages that carried two proposals or more. */
    long batchCount() {
        return batches.get();
    }

    long failedCount() {
        return failed.get();
    }

    int pendingCount() {
        return queue.size() + waiting.size() + inFlight.size();
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    @Override
    public String roleName() {
        return "chronofabric-consensus-proposer-" + settings.nodeId();
    }

    @Override
    public int doWork() {
        long now = System.currentTimeMillis();
        int work = aeron.conductorAgentInvoker().invoke();
        work += queue.drain(p -> {
            p.deadlineMs = now + proposalTimeoutMs;
            waiting.addLast(p);
        });
        work += connect(now);
        AeronCluster c = cluster;
        if (c != null) {
            work += c.pollEgress();
            if (c.isClosed()) {
                LOG.info("Consensus client of node {} lost its cluster session; reconnecting", settings.nodeId());
                dropConnection(now);
            } else {
                work += send(c);
                if (now - lastKeepAliveMs >= KEEPALIVE_MS) {
                    lastKeepAliveMs = now;
                    c.sendKeepAlive();
                }
                work += maybeSnapshot(c, now);
            }
        }
        work += expire(now);
        return work;
    }

    private int connect(long now) {
        if (cluster != null || closing) {
            return 0;
        }
        if (connecting == null) {
            if (now < nextConnectMs) {
                return 0;
            }
            AeronCluster.Context ctx = new AeronCluster.Context()
                    .aeron(aeron)
                    .ownsAeronClient(false)
                    .agentInvoker(aeron.conductorAgentInvoker())
                    .ingressChannel("aeron:udp?term-length=" + settings.termLength())
                    .ingressEndpoints(settings.ingressEndpoints())
                    .egressChannel("aeron:udp?endpoint=" + ConsensusSettings.host(settings.self())
                            + ":0|term-length=" + settings.termLength())
                    .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(Math.max(1000, settings.electionTimeoutMs() * 2)))
                    .egressListener(this)
                    .errorHandler(errors);
            try {
                connecting = AeronCluster.asyncConnect(ctx);
            } catch (RuntimeException e) {
                LOG.debug("Consensus client of node {} cannot start connecting: {}", settings.nodeId(), e.toString());
                nextConnectMs = now + RECONNECT_BACKOFF_MS;
                return 0;
            }
        }
        try {
            AeronCluster c = connecting.poll();
            if (c == null) {
                return 1;
            }
            connecting = null;
            cluster = c;
            clientLeader = c.leaderMemberId();
            connected = true;
            lastKeepAliveMs = now;
            LOG.info("Consensus client of node {} connected, leader node-{}, term {}", settings.nodeId(),
                    c.leaderMemberId(), c.leadershipTermId());
            return 1;
        } catch (RuntimeException e) {
            LOG.debug("Consensus client of node {} not connected yet: {}", settings.nodeId(), e.toString());
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectMs = now + RECONNECT_BACKOFF_MS;
            return 0;
        }
    }

    private void dropConnection(long now) {
        connected = false;
        CloseHelper.quietClose(cluster);
        cluster = null;
        nextConnectMs = now + RECONNECT_BACKOFF_MS;
        // in-flight proposals are not re-sent: they may be committed already; they time out
    }

    private int send(AeronCluster c) {
        int sent = 0;
        Pending<?> p;
        while ((p = waiting.peekFirst()) != null) {
            if (p.done) {
                waiting.pollFirst();
                continue;
            }
            int batched = batchable(p) ? batch(c) : 0;
            if (batched < 0) {
                break; // back pressure or not connected: retry on the next duty cycle
            }
            if (batched > 0) {
                sent += batched;
                continue;
            }
            buffer.putLong(0, p.correlationId);
            buffer.putInt(Long.BYTES, p.type);
            buffer.putBytes(LogService.PROPOSAL_HEADER, p.value);
            long result = c.offer(buffer, 0, LogService.PROPOSAL_HEADER + p.value.length);
            if (result > 0) {
                waiting.pollFirst();
                inFlight(p);
                sent++;
            } else {
                offerFailed(result);
                break;
            }
        }
        return sent;
    }

    /** Values and ledger entries may share a message; lock commands may not (their position is their token). */
    private static boolean batchable(Pending<?> p) {
        return p.type == LogService.VALUE || p.type == LogService.LEDGER;
    }

    /**
     * Offers the batchable proposals at the head of {@code waiting} as one message of at most
     * {@link #BATCH_BYTES}: returns how many were sent, 0 when fewer than two fit (the caller
     * sends the head alone), -1 when the offer was refused (they stay waiting).
     */
    private int batch(AeronCluster c) {
        int at = LogService.PROPOSAL_HEADER + Integer.BYTES;
        int count = 0;
        int scanned = 0;
        for (Pending<?> q : waiting) {
            if (q.done) {
                scanned++;
                continue;
            }
            int size = LogService.BATCH_ITEM_HEADER + q.value.length;
            if (!batchable(q) || at + size > BATCH_BYTES) {
                break;
            }
            batchBuffer.putLong(at, q.correlationId);
            batchBuffer.putInt(at + Long.BYTES, q.type);
            batchBuffer.putInt(at + Long.BYTES + Integer.BYTES, q.value.length);
            batchBuffer.putBytes(at + LogService.BATCH_ITEM_HEADER, q.value);
            at += size;
            count++;
            scanned++;
        }
        if (count < 2) {
            return 0;
        }
        batchBuffer.putLong(0, 0);
        batchBuffer.putInt(Long.BYTES, LogService.BATCH);
        batchBuffer.putInt(LogService.PROPOSAL_HEADER, count);
        long result = c.offer(batchBuffer, 0, at);
        if (result <= 0) {
            offerFailed(result);
            return -1;
        }
        for (int i = 0; i < scanned; i++) {
            Pending<?> q = waiting.pollFirst();
            if (!q.done) {
                inFlight(q);
            }
        }
        batches.incrementAndGet();
        return count;
    }

    private void inFlight(Pending<?> p) {
        inFlight.put(p.correlationId, p);
        inFlightOrder.addLast(p);
    }

    private void offerFailed(long result) {
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            dropConnection(System.currentTimeMillis());
        }
    }

    private int expire(long now) {
        int expired = 0;
        expired += expire(waiting, now, false);
        expired += expire(inFlightOrder, now, true);
        return expired;
    }

    private int expire(ArrayDeque<Pending<?>> order, long now, boolean sent) {
        int expired = 0;
        Pending<?> p;
        while ((p = order.peekFirst()) != null && (p.done || p.deadlineMs <= now)) {
            order.pollFirst();
            if (p.done) {
                continue;
            }
            if (sent) {
                inFlight.remove(p.correlationId);
            }
            p.done = true;
            if (counted(p)) {
                failed.incrementAndGet();
            }
            p.future.completeExceptionally(new DeliveryFailedException(p.correlationId, noQuorum(sent)));
            expired++;
        }
        return expired;
    }

    private String noQuorum(boolean sent) {
        int members = settings.members().size();
        int leader = clientLeader();
        return "no quorum: proposal not committed within " + proposalTimeoutMs + " ms (proposal.timeout.ms); a cluster of "
                + members + " needs " + settings.quorum() + " members up, "
                + (sent ? "it was sent to leader " + (leader < 0 ? "(lost)" : ConsensusSettings.memberName(leader))
                        + " and not confirmed; it may still be committed"
                        : leader < 0 ? "no leader was reachable" : "it could not be sent to leader "
                                + ConsensusSettings.memberName(leader));
    }

    private int maybeSnapshot(AeronCluster c, long now) {
        long interval = snapshotInterval;
        if (interval <= 0 || c.leaderMemberId() != settings.nodeId()) {
            return 0;
        }
        long last = service.log().size() - 1;
        long base = Math.max(service.lastSnapshotIndex(), snapshotRequestedAtIndex);
        if (last - base < interval || now - lastSnapshotRequestMs < 1_000) {
            return 0;
        }
        lastSnapshotRequestMs = now;
        if (c.sendAdminRequestToTakeASnapshot(correlationIds.incrementAndGet())) {
            snapshotRequestedAtIndex = last;
            return 1;
        }
        return 0;
    }

    @Override
    public void onMessage(long clusterSessionId, long timestamp, DirectBuffer buffer, int offset, int length,
            Header header) {
        if (length < Long.BYTES) {
            return;
        }
        long correlationId = buffer.getLong(offset);
        if (correlationId != LogService.BATCH_REPLY) {
            reply(correlationId, buffer, offset, length);
            return;
        }
        if (length < LogService.BATCH_REPLY_HEADER) {
            return;
        }
        int count = buffer.getInt(offset + Long.BYTES);
        int at = offset + LogService.BATCH_REPLY_HEADER;
        int end = offset + length;
        for (int i = 0; i < count && at + Integer.BYTES <= end; i++) {
            int n = buffer.getInt(at);
            at += Integer.BYTES;
            if (n < Long.BYTES || at + n > end) {
                return;
            }
            reply(buffer.getLong(at), buffer, at, n);
            at += n;
        }
    }

    private void reply(long correlationId, DirectBuffer buffer, int offset, int length) {
        Pending<?> p = inFlight.remove(correlationId);
        if (p == null) {
            return; // expired already
        }
        p.done = true;
        if (counted(p)) {
            committed.incrementAndGet();
        }
        p.complete(buffer, offset + Long.BYTES, length - Long.BYTES);
    }

    @Override
    public void onNewLeader(long clusterSessionId, long leadershipTermId, int leaderMemberId, String ingressEndpoints) {
        clientLeader = leaderMemberId;
        LOG.info("Consensus client of node {}: new leader node-{} in term {}", settings.nodeId(), leaderMemberId,
                leadershipTermId);
    }

    @Override
    public void onSessionEvent(long correlationId, long clusterSessionId, long leadershipTermId, int leaderMemberId,
            EventCode code, String detail) {
        if (code == EventCode.ERROR || code == EventCode.CLOSED) {
            LOG.info("Consensus client of node {}: session {} {}", settings.nodeId(), code, detail);
        }
    }

    @Override
    public void onAdminResponse(long clusterSessionId, long correlationId, AdminRequestType requestType,
            AdminResponseCode responseCode, String message, DirectBuffer payload, int payloadOffset,
            int payloadLength) {
        if (responseCode != AdminResponseCode.OK) {
            LOG.info("Consensus snapshot request of node {} refused: {} {}", settings.nodeId(), responseCode, message);
            snapshotRequestedAtIndex = -1;
        }
    }

    @Override
    public void onClose() {
        closing = true;
        connected = false;
        CloseHelper.quietClose(connecting);
        CloseHelper.quietClose(cluster);
        queue.drain(waiting::addLast);
        for (Pending<?> p : waiting) {
            fail(p);
        }
        for (Pending<?> p : inFlightOrder) {
            fail(p);
        }
        waiting.clear();
        inFlightOrder.clear();
        inFlight.clear();
    }

    /** After the agent stopped: fails what arrived since. */
    void failRemaining() {
        closing = true;
        Pending<?> p;
        while ((p = queue.poll()) != null) {
            fail(p);
        }
    }

    private void fail(Pending<?> p) {
        if (!p.done) {
            p.done = true;
            failed.incrementAndGet();
            p.future.completeExceptionally(new DeliveryFailedException(p.correlationId,
                    "the consensus node closed before the proposal was confirmed"));
        }
    }
}
