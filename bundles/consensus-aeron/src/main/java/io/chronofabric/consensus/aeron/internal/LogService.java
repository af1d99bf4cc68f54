package io.chronofabric.consensus.aeron.internal;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Lease;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state machine: every committed ingress message becomes the next
 * {@link CommittedValue} of the {@link CommittedLog}. Deterministic: the index counts log
 * messages, the term is the leadership term id carried by the log itself; no local clock or random.
 * Runs on the clustered service container's thread.
 *
 * <p>Wire formats (little endian, Agrona): proposal {@code [long correlationId][int type][payload]}
 * with type {@link #VALUE} (payload: the value) or {@link #LOCK} (a {@link LockTable} command);
 * reply {@code [long correlationId][long index][long term]} or
 * {@code [long correlationId][lock result]}; snapshot messages
 * {@code [int HEADER][long first][long size][long term][int leader][long lockClock]},
 * {@code [int ENTRY][long index][long term][value bytes]},
 * {@code [int LEASE][long token][long expires][name][owner]}, {@code [int END]}.
 */
final class LogService implements ClusteredService {

    static final int PROPOSAL_HEADER = Long.BYTES + Integer.BYTES;
    static final int VALUE = 1;
    static final int LOCK = 2;
    static final int LEDGER = 3;
    static final int LEDGER_REPLY_LENGTH = 3 * Long.BYTES + 32;
    /** Payload {@code [long position]}: every member has appended the log up to it (the leader saw). */
    static final int PURGE = 6;
    /** Several commands in one message: see {@link #applyBatch}. */
    static final int BATCH = 7;
    static final int BATCH_ITEM_HEADER = Long.BYTES + 2 * Integer.BYTES;
    /** The correlation id of a batched reply (proposals' ids are positive). */
    static final long BATCH_REPLY = -1;
    static final int BATCH_REPLY_HEADER = Long.BYTES + Integer.BYTES;
    private static final int REPLY_FLUSH = 4096;

    private static final int LEDGER_ENTRY = 5;
    static final int REPLY_LENGTH = 3 * Long.BYTES;
    private static final int LEASE = 4;
    private static final int HEADER = 0x43465331; // "CFS1"
    private static final int ENTRY = 2;
    private static final int END = 3;
    private static final int SEND_ATTEMPTS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LogService.class);

    private final CommittedLog log;
    private final ExpandableArrayBuffer replies = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer batchReplies = new ExpandableArrayBuffer(REPLY_FLUSH + 2048);
    private final ExpandableArrayBuffer lockReply = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer lockResult = new UnsafeBuffer(new byte[0]);
    private final LockTable locks = new LockTable();
    private final LedgerTree ledger = new LedgerTree();
    private final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(256);
    private Cluster cluster;
    private IdleStrategy idle;

    private volatile long term;
    private volatile int leaderMemberId = -1;
    private volatile long lastSnapshotIndex = -1;
    private volatile long purgeSafePosition;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile boolean started;

    LogService(CommittedLog log) {
        this.log = log;
    }

    CommittedLog log() {
        return log;
    }

    LockTable locks() {
        return locks;
    }

    LedgerTree ledger() {
        return ledger;
    }

    long term() {
        return term;
    }

    /** Leader of the current term as the log says, -1 before the first term event. */
    int leaderMemberId() {
        return leaderMemberId;
    }

    long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }

    /**
     * Log position below which every member had appended the log when the leader last said so
     * (a {@link #PURGE} command in the log): segments before it are no member's catch-up source.
     * Not replicated state: 0 after a restart until the next command.
     */
    long purgeSafePosition() {
        return purgeSafePosition;
    }

    Cluster.Role role() {
        return role;
    }

    boolean started() {
        return started;
    }

    @Override
    public void onStart(Cluster cluster, Image snapshotImage) {
        this.cluster = cluster;
        this.idle = cluster.idleStrategy();
        if (snapshotImage != null) {
            loadSnapshot(snapshotImage);
        }
        started = true;
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
        // proposers connect and go; nothing replicated about them
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
        // idem
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length,
            Header header) {
        if (length < PROPOSAL_HEADER) {
            LOG.warn("Ignored a consensus message of {} bytes from session {}: shorter than its {}-byte header",
                    length, session.id(), PROPOSAL_HEADER);
            return;
        }
        long correlationId = buffer.getLong(offset);
        int type = buffer.getInt(offset + Long.BYTES);
        if (type == BATCH) {
            applyBatch(session, buffer, offset + PROPOSAL_HEADER, length - PROPOSAL_HEADER, header.position(), timestamp);
            return;
        }
        int n = apply(session, correlationId, type, buffer, offset + PROPOSAL_HEADER, length - PROPOSAL_HEADER,
                header.position(), timestamp, replies, 0);
        if (n > 0) {
            send(session, replies, n);
        }
    }

    /**
     * A batch of commands in one ingress message (the proposer packs values and ledger entries
     * waiting at the same time): {@code [int count]} then per command
     * {@code [long correlationId][int type][int length][payload]}; applied in order, answered
     * with batched replies {@code [long BATCH_REPLY][int count]} then per reply
     * {@code [int length][long correlationId][result]}.
     */
    private void applyBatch(ClientSession session, DirectBuffer buffer, int offset, int length, long position,
            long timestamp) {
        if (length < Integer.BYTES) {
            LOG.warn("Ignored a consensus batch of {} bytes from session {}", length, session.id());
            return;
        }
        int count = buffer.getInt(offset);
        int at = offset + Integer.BYTES;
        int end = offset + length;
        int out = BATCH_REPLY_HEADER;
        int replyCount = 0;
        for (int i = 0; i < count; i++) {
            if (at + BATCH_ITEM_HEADER > end) {
                LOG.warn("Consensus batch from session {} ends after {} of its {} commands", session.id(), i, count);
                break;
            }
            long correlationId = buffer.getLong(at);
            int type = buffer.getInt(at + Long.BYTES);
            int itemLength = buffer.getInt(at + Long.BYTES + Integer.BYTES);
            int payload = at + BATCH_ITEM_HEADER;
            if (itemLength < 0 || payload + itemLength > end) {
                LOG.warn("Consensus batch from session {}: command {} of {} bytes overruns the message", session.id(), i,
                        itemLength);
                break;
            }
            if (out > REPLY_FLUSH) {
                flushBatchReply(session, out, replyCount);
                out = BATCH_REPLY_HEADER;
                replyCount = 0;
            }
            int n = apply(session, correlationId, type, buffer, payload, itemLength, position, timestamp, batchReplies,
                    out + Integer.BYTES);
            if (n > 0) {
                batchReplies.putInt(out, n);
                out += Integer.BYTES + n;
                replyCount++;
            }
            at = payload + itemLength;
        }
        if (replyCount > 0) {
            flushBatchReply(session, out, replyCount);
        }
    }

    private void flushBatchReply(ClientSession session, int length, int count) {
        batchReplies.putLong(0, BATCH_REPLY);
        batchReplies.putInt(Long.BYTES, count);
        send(session, batchReplies, length);
    }

    /**
     * Applies one command; writes its reply {@code [long correlationId][result]} at
     * {@code out[at]} and returns its length, or 0 when it gets none.
     */
    private int apply(ClientSession session, long correlationId, int type, DirectBuffer buffer, int offset, int length,
            long position, long timestamp, MutableDirectBuffer out, int at) {
        switch (type) {
            case VALUE: {
                byte[] value = new byte[length];
                buffer.getBytes(offset, value);
                long index = log.size();
                long t = term;
                log.append(new CommittedValue(index, t, value));
                out.putLong(at, correlationId);
                out.putLong(at + Long.BYTES, index);
                out.putLong(at + 2 * Long.BYTES, t);
                return REPLY_LENGTH;
            }
            case LEDGER: {
                byte[] entry = new byte[length];
                buffer.getBytes(offset, entry);
                long index = ledger.size();
                byte[] root = ledger.append(entry);
                out.putLong(at, correlationId);
                out.putLong(at + Long.BYTES, index);
                out.putLong(at + 2 * Long.BYTES, term);
                out.putBytes(at + 3 * Long.BYTES, root);
                return LEDGER_REPLY_LENGTH;
            }
            case LOCK: {
                // the log position is the fencing token: the proposer sends lock commands one per message
                lockResult.wrap(lockReply, 0, lockReply.capacity());
                int n = locks.apply(buffer, offset, length, position, timestamp, lockResult);
                out.putLong(at, correlationId);
                out.putBytes(at + Long.BYTES, lockReply, 0, n);
                return Long.BYTES + n;
            }
            case PURGE: {
                if (length >= Long.BYTES) {
                    purgeSafePosition = Math.max(purgeSafePosition, buffer.getLong(offset));
                }
                out.putLong(at, correlationId);
                return Long.BYTES;
            }
            default:
                LOG.warn("Ignored a consensus message of unknown type {} from session {}", type, session.id());
                return 0;
        }
    }

    private void send(ClientSession session, DirectBuffer b, int length) {
        idle.reset();
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
            if (session.offer(b, 0, length) > 0) {
                return;
            }
            idle.idle();
        }
        // the proposer times out and reports it; the command is committed all the same
        LOG.debug("Reply not sent to session {}", session.id());
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
        // no timers
    }

    @Override
    public void onNewLeadershipTermEvent(long leadershipTermId, long logPosition, long timestamp,
            long termBaseLogPosition, int leaderMemberId, int logSessionId, TimeUnit timeUnit, int appVersion) {
        this.term = Math.max(0, leadershipTermId);
        this.leaderMemberId = leaderMemberId;
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication publication) {
        long first = log.firstIndex();
        long size = log.size();
        snapshotBuffer.putInt(0, HEADER);
        snapshotBuffer.putLong(4, first);
        snapshotBuffer.putLong(12, size);
        snapshotBuffer.putLong(20, term);
        snapshotBuffer.putInt(28, leaderMemberId);
        snapshotBuffer.putLong(32, locks.clock());
        offer(publication, 40);
        // ledger and locks first, committed values last: a reader that sees the commit index
        // restored sees the rest restored too
        long ledgerSize = ledger.size();
        for (long i = 0; i < ledgerSize; i++) {
            byte[] e = ledger.entry(i);
            snapshotBuffer.putInt(0, LEDGER_ENTRY);
            snapshotBuffer.putBytes(4, e);
            offer(publication, 4 + e.length);
        }
        for (Lease l : locks.leases().values()) {
            snapshotBuffer.putInt(0, LEASE);
            snapshotBuffer.putLong(4, l.fencingToken());
            snapshotBuffer.putLong(12, l.expiresAtMillis());
            int n = snapshotBuffer.putStringUtf8(20, l.name());
            n += snapshotBuffer.putStringUtf8(20 + n, l.owner());
            offer(publication, 20 + n);
        }
        for (long i = first; i < size; i++) {
            CommittedValue v = log.get(i);
            if (v == null) {
                continue; // compacted while we ran: the window's start moved, loading skips the gap
            }
            byte[] bytes = v.value();
            snapshotBuffer.putInt(0, ENTRY);
            snapshotBuffer.putLong(4, v.index());
            snapshotBuffer.putLong(12, v.term());
            snapshotBuffer.putBytes(20, bytes);
            offer(publication, 20 + bytes.length);
        }
        snapshotBuffer.putInt(0, END);
        offer(publication, 4);
        lastSnapshotIndex = size - 1;
        LOG.info("Consensus snapshot taken: values {} to {}", first, size - 1);
    }

    private void offer(ExclusivePublication publication, int length) {
        idle.reset();
        while (true) {
            long result = publication.offer(snapshotBuffer, 0, length);
            if (result > 0) {
                return;
            }
            if (result == io.aeron.Publication.CLOSED || result == io.aeron.Publication.NOT_CONNECTED
                    || result == io.aeron.Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("Consensus snapshot publication refused a message: " + result);
            }
            idle.idle();
        }
    }

    private void loadSnapshot(Image image) {
        boolean[] done = {false};
        long[] lockClock = {0};
        boolean[] locksRestored = {false};
        java.util.List<Lease> leases = new java.util.ArrayList<>();
        FragmentHandler handler = new io.aeron.FragmentAssembler((buffer, offset, length, header) -> {
            int type = buffer.getInt(offset);
            if (type == HEADER) {
                long first = buffer.getLong(offset + 4);
                log.reset(first);
                ledger.reset();
                term = buffer.getLong(offset + 20);
                leaderMemberId = buffer.getInt(offset + 28);
                lockClock[0] = buffer.getLong(offset + 32);
            } else if (type == ENTRY) {
                if (!locksRestored[0]) {
                    locks.restore(lockClock[0], leases);
                    locksRestored[0] = true;
                }
                long index = buffer.getLong(offset + 4);
                long t = buffer.getLong(offset + 12);
                byte[] value = new byte[length - 20];
                buffer.getBytes(offset + 20, value);
                if (index > log.size()) {
                    log.reset(index); // a gap compacted while the snapshot was written
                }
                log.append(new CommittedValue(index, t, value));
            } else if (type == LEASE) {
                String name = buffer.getStringUtf8(offset + 20);
                String owner = buffer.getStringUtf8(offset + 24 + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                leases.add(new Lease(name, owner, buffer.getLong(offset + 4), buffer.getLong(offset + 12)));
            } else if (type == LEDGER_ENTRY) {
                byte[] e = new byte[length - 4];
                buffer.getBytes(offset + 4, e);
                ledger.append(e);
            } else if (type == END) {
                done[0] = true;
            } else {
                throw new IllegalStateException("Consensus snapshot holds an unknown message type " + type);
            }
        });
        idle.reset();
        while (!done[0]) {
            int fragments = image.poll(handler, 64);
            if (fragments == 0) {
                if (image.isClosed() || image.isEndOfStream()) {
                    if (!done[0]) {
                        throw new IllegalStateException("Consensus snapshot ended before its END marker");
                    }
                }
                idle.idle();
            } else {
                idle.reset();
            }
        }
        if (!locksRestored[0]) {
            locks.restore(lockClock[0], leases);
        }
        lastSnapshotIndex = log.size() - 1;
        LOG.info("Consensus snapshot loaded: values {} to {}, term {}", log.firstIndex(), log.size() - 1, term);
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        role = newRole;
    }

    @Override
    public void onTerminate(Cluster cluster) {
        started = false;
    }
}
