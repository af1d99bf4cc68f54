package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.api.network.PayloadCodec;
import io.chronofabric.api.time.HlcClock;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the bus across nodes ({@link AeronTransport}: UDP, or IPC through a shared driver): an embedded Aeron media driver (SHARED threading, back-off
 * idling, its own directory), a UDP subscription on this node's endpoint and an exclusive
 * publication to every peer. {@link #send} encodes on the caller's thread (an unserializable
 * payload fails there), the agent thread sends, acknowledges, retransmits and times out; received
 * packets get their HLC timestamp merged by the receive rule before the listener sees them.
 *
 * <p><b>Dead means dead.</b> A guaranteed packet that a peer has not acknowledged within
 * {@code unreachable.ms} of its first send is dead-lettered by the sender, and its frames, which
 * may still reach the peer after a partition heals (Aeron recovers them from its term buffer), are
 * refused there: a receiver drops, without acknowledging, every guaranteed frame first sent more
 * than {@code unreachable.ms - max offset} ago by the sender's clock (the HLC's max offset bounds
 * how far the two clocks differ), so a packet is never delivered after its sender declared it dead.
 * The one remaining ambiguity is the other way round: a packet delivered just before the horizon
 * whose acknowledgement was lost (the partition began right after) is dead-lettered by the sender
 * although it arrived; when that late acknowledgement does come in, the sender counts it
 * ({@code ackedAfterDeadLetter}) and logs the packet's id.
 *
 * <p>Frames (Agrona, little endian): DATA {@code [byte 3][byte flags: 1 guaranteed, 2 traced]
 * [byte maxRetries][byte 0][int origin][long seq][long messageId][int priority][long deadline]
 * [long targetMask][long hlcPhysical][long hlcLogical][int hlcNode][long firstSentMs]
 * [long timeoutNanos][int n][n x long dependency][traced: long traceHigh, long traceLow, long span,
 * int flags][channel][codec name][int n][payload]}; ACK {@code [byte 2][3 x 0][int acker][long seq]}.
 * (Type 1 was the first version's DATA, without dependencies or trace: refused with a warning.)
 */
public final class NetworkNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNode.class);
    private static final byte DATA_V1 = 1;
    private static final byte DATA = 3;
    private static final byte GUARANTEED = 1;
    private static final byte TRACED = 2;
    private static final int FIRST_SENT_AT = 64;
    private static final int HEADER = 84;
    private static final byte ACK = 2;
    private static final int DEDUPE_WINDOW = 65_536;

    /**
     * @param nodeId         this node's id
     * @param nodes          node id to {@code host:port} (this node included)
     * @param dir            the media driver's directory
     * @param termLength     term buffer length (power of 2, >= 64 KiB)
     * @param retransmitMs   how long a guaranteed packet waits for its acknowledgement before it is sent again
     * @param unreachableMs  how long a guaranteed packet is retried before it is dead-lettered
     * @param maxQueued      packets waiting to be sent at most
     * @param transport      udp (a driver of its own in {@code dir}) or ipc (the driver shared in {@code dir}): {@link AeronTransport}
     */
    public record Settings(int nodeId, Map<Integer, String> nodes, File dir, int termLength, long retransmitMs,
            long unreachableMs, int maxQueued, AeronTransport.Options transport) {
        /** UDP, as before the transport could be chosen. */
        public Settings(int nodeId, Map<Integer, String> nodes, File dir, int termLength, long retransmitMs, long unreachableMs,
                int maxQueued) {
            this(nodeId, nodes, dir, termLength, retransmitMs, unreachableMs, maxQueued, AeronTransport.Options.UDP);
        }

        public Settings {
            transport = transport == null ? AeronTransport.Options.UDP : transport;
            nodes = Map.copyOf(nodes);
            if (!nodes.containsKey(nodeId)) {
                throw new IllegalArgumentException("node.id " + nodeId + " is not one of the nodes " + new TreeMap<>(nodes).keySet());
            }
            if (retransmitMs <= 0 || unreachableMs <= 0) {
                throw new IllegalArgumentException("retransmit.ms and unreachable.ms must be > 0: " + retransmitMs + ", " + unreachableMs);
            }
        }
    }

    /**
     * @param to   the one peer to send to, or -1 for every peer
     * @param sent offered already by the sending thread: the agent only tracks its acknowledgements
     */
    private record Outgoing(WirePacket packet, byte[] frame, int to, boolean sent) {
    }

    private static final class Unacked {
        final Outgoing out;
        final long firstSentMs;
        long lastSentMs;
        int sends;

        Unacked(Outgoing out, long firstSentMs) {
            this.out = out;
            this.firstSentMs = firstSentMs;
            this.lastSentMs = firstSentMs;
        }
    }

    private final Settings settings;
    private final CodecRegistry codecs;
    private final HlcClock hlc;
    private final Consumer<Delivered> listener;
    private final BiConsumer<WirePacket, String> deadLetters;
    private final AeronTransport transport;
    private final Aeron aeron;
    private final Subscription subscription;
    /** Concurrent publications: the sending threads offer to them directly, the agent too (acknowledgements, retransmissions). */
    private final Int2ObjectHashMap<Publication> peers = new Int2ObjectHashMap<>();
    /** The peers as arrays, for the sending threads (no iterator). */
    private final int[] peerIds;
    private final Publication[] peerPubs;
    /** Per peer: acknowledgements that arrived before the agent tracked their frame (agent thread only). */
    private final Int2ObjectHashMap<LongHashSet> earlyAcks = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Long2ObjectHashMap<Unacked>> unacked = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<LongHashSet> seen = new Int2ObjectHashMap<>();
    private final ManyToOneConcurrentArrayQueue<Outgoing> queue;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong retransmits = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refusedHlc = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong refusedLate = new AtomicLong();
    private final AtomicLong ackedAfterDeadLetter = new AtomicLong();
    /** Per peer: sequences dead-lettered recently (agent thread only), to recognise a late acknowledgement. */
    private final Int2ObjectHashMap<LongHashSet> declaredDead = new Int2ObjectHashMap<>();
    private final long horizonMs;
    /** Tests: peers whose link is cut (bit per peer id below 64): frames to them are held back, sent when healed. */
    private volatile long cutPeers;
    /** Tests: peers whose frames are lost (bit per peer id below 64): dropped, as a lossy link. */
    private volatile long losePeers;
    private final Int2ObjectHashMap<List<byte[]>> heldBack = new Int2ObjectHashMap<>();
    private final AgentRunner runner;

    /** A packet received, with the receive event's HLC timestamp. */
    public record Delivered(WirePacket packet, LogicalTime receivedAt) {
    }

    private NetworkNode(Settings s, CodecRegistry codecs, HlcClock hlc, Consumer<Delivered> listener,
            BiConsumer<WirePacket, String> deadLetters) {
        this.settings = s;
        this.codecs = codecs;
        this.hlc = hlc;
        this.listener = listener;
        this.deadLetters = deadLetters;
        this.queue = new ManyToOneConcurrentArrayQueue<>(s.maxQueued());
        long maxOffsetMs = hlc.maxOffsetNanos() / 1_000_000L;
        if (s.unreachableMs() <= 2 * maxOffsetMs) {
            // the receiver reads the first-send time on the sender's clock, up to one max offset off: below
            // twice the offset it could refuse every frame at once
            throw new IllegalArgumentException("unreachable.ms " + s.unreachableMs() + " must be larger than twice the HLC's max "
                    + "offset (" + maxOffsetMs + " ms): a receiver refuses guaranteed frames first sent more than unreachable.ms - "
                    + "max offset ago by the sender's clock, which may be up to max offset off its own");
        }
        this.horizonMs = s.unreachableMs() - maxOffsetMs;
        AeronTransport tr = AeronTransport.open(s.transport(), s.nodeId(), s.nodes(), s.dir(), s.termLength());
        try {
            Aeron a = tr.aeron();
            this.transport = tr;
            this.aeron = a;
            this.subscription = a.addSubscription(tr.subscriptionChannel(), tr.subscriptionStream());
            for (Map.Entry<Integer, String> n : s.nodes().entrySet()) {
                if (n.getKey() != s.nodeId()) {
                    peers.put(n.getKey(), a.addPublication(tr.publicationChannel(n.getKey()), tr.publicationStream(n.getKey())));
                    unacked.put(n.getKey(), new Long2ObjectHashMap<>());
                }
            }
        } catch (RuntimeException e) {
            CloseHelper.quietClose(tr);
            throw e;
        }
        this.peerIds = new int[peers.size()];
        this.peerPubs = new Publication[peers.size()];
        int k = 0;
        for (Integer id : new TreeMap<>(s.nodes()).keySet()) {
            if (id != s.nodeId()) {
                peerIds[k] = id;
                peerPubs[k++] = peers.get(id);
            }
        }
        this.runner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000),
                t -> LOG.warn("Network node {} agent error: {}", s.nodeId(), t.toString(), t), null, new NodeAgent());
    }

    /** Starts a node: its driver, publications and agent thread. */
    public static NetworkNode start(Settings s, CodecRegistry codecs, HlcClock hlc, Consumer<Delivered> listener,
            BiConsumer<WirePacket, String> deadLetters) {
        NetworkNode n = new NetworkNode(s, codecs, hlc, listener, deadLetters);
        AgentRunner.startOnThread(n.runner);
        return n;
    }

    /**
     * Sends a packet to every other node.
     *
     * @throws IllegalArgumentException if its payload has no codec (naming type and channel) or the codec fails
     * @return false when the send queue is full (the packet is not sent)
     */
    public boolean send(WirePacket p) {
        return send(p, -1);
    }

    /** This node's id. */
    public int nodeId() {
        return settings.nodeId();
    }

    /** Whether {@code node} is one of the other nodes. */
    public boolean hasPeer(int node) {
        return peers.containsKey(node);
    }

    /**
     * Sends a packet to one other node ({@code to} = -1: to every other node).
     *
     * @throws IllegalArgumentException if {@code to} is not a peer, or as {@link #send(WirePacket)}
     */
    public boolean send(WirePacket p, int to) {
        Objects.requireNonNull(p, "packet");
        transport.checkAlive();
        if (to != -1 && !peers.containsKey(to)) {
            throw new IllegalArgumentException("node " + to + " is not one of the other nodes " + new TreeMap<>(settings.nodes()).keySet());
        }
        PayloadCodec<Object> codec = codecs.forPayload(p.payload(), p.channel());
        byte[] bytes;
        try {
            bytes = codec.encode(p.payload());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Payload codec '" + codec.name() + "' cannot encode the payload on channel "
                    + p.channel() + ": " + e.getMessage(), e);
        }
        long[] deps = p.dependencies();
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(HEADER + deps.length * 8 + 28 + 8 + p.channel().length() * 3
                + codec.name().length() * 3 + bytes.length);
        long s = seq.incrementAndGet();
        b.putByte(0, DATA);
        b.putByte(1, (byte) ((p.guaranteed() ? GUARANTEED : 0) | (p.trace() != null ? TRACED : 0)));
        b.putByte(2, (byte) p.maxRetries());
        b.putByte(3, (byte) 0);
        b.putInt(4, settings.nodeId());
        b.putLong(8, s);
        b.putLong(16, p.messageId());
        b.putInt(24, p.priority());
        b.putLong(28, p.deadlineNanos());
        b.putLong(36, p.targetMask());
        b.putLong(44, p.timestamp().physical());
        b.putLong(52, p.timestamp().logical());
        b.putInt(60, p.timestamp().nodeId());
        b.putLong(FIRST_SENT_AT, 0L); // written when the agent first sends it
        b.putLong(72, p.timeoutNanos());
        b.putInt(80, deps.length);
        int i = HEADER;
        for (long d : deps) {
            b.putLong(i, d);
            i += 8;
        }
        if (p.trace() != null) {
            b.putLong(i, p.trace().traceIdHigh());
            b.putLong(i + 8, p.trace().traceIdLow());
            b.putLong(i + 16, p.trace().spanId());
            b.putInt(i + 24, p.trace().flags());
            i += 28;
        }
        i += b.putStringUtf8(i, p.channel());
        i += b.putStringUtf8(i, codec.name());
        b.putInt(i, bytes.length);
        b.putBytes(i + 4, bytes);
        i += 4 + bytes.length;
        byte[] frame = new byte[i];
        b.getBytes(0, frame);
        WirePacket stamped = p.origin() == settings.nodeId() ? p : p.withOrigin(settings.nodeId());
        if ((cutPeers | losePeers) != 0) {
            return queue.offer(new Outgoing(stamped, frame, to, false)); // tests: the agent applies the cut
        }
        // sent from this thread at once (no hand-off to the agent, which may be parked); the agent
        // only tracks a guaranteed packet's acknowledgements, registered before the first offer
        UnsafeBuffer fb = new UnsafeBuffer(frame);
        fb.putLong(FIRST_SENT_AT, System.currentTimeMillis());
        if (p.guaranteed() && !queue.offer(new Outgoing(stamped, frame, to, true))) {
            return false;
        }
        for (int k = 0; k < peerIds.length; k++) {
            if (to != -1 && peerIds[k] != to) {
                continue;
            }
            if (!offer(peerPubs[k], fb, frame.length) && !p.guaranteed()) {
                dropped.incrementAndGet(); // a guaranteed one is retransmitted by the agent
            }
        }
        sent.incrementAndGet();
        return true;
    }

    /** Offers a frame; ADMIN_ACTION (a term rotation) means "try again now": a few tries, never a drop for it. */
    private static boolean offer(Publication pub, UnsafeBuffer frame, int length) {
        long r = pub.offer(frame, 0, length);
        for (int i = 0; i < 8 && r == Publication.ADMIN_ACTION; i++) {
            r = pub.offer(frame, 0, length);
        }
        return r > 0;
    }

    /** Counters: sent, received, retransmits, dropped (best effort, peer down), refused (HLC), dead-lettered. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("sent", sent.get());
        m.put("received", received.get());
        m.put("retransmits", retransmits.get());
        m.put("dropped", dropped.get());
        m.put("refusedHlc", refusedHlc.get());
        m.put("deadLettered", deadLettered.get());
        m.put("refusedLate", refusedLate.get());
        m.put("ackedAfterDeadLetter", ackedAfterDeadLetter.get());
        return m;
    }

    /** The receive horizon: guaranteed frames first sent longer ago than this are refused (unreachable.ms - max offset). */
    public long horizonMs() {
        return horizonMs;
    }

    /**
     * Tests: cuts the link to a peer (frames to it, acknowledgements included, are held back as
     * if lost in the network) or heals it (what was held back is sent then, in order, as Aeron
     * delivers frames recovered from its term buffer after a partition).
     */
    /** Tests: frames to the peer (acknowledgements included) are dropped while {@code lose} is set. */
    void lose(int peer, boolean lose) {
        if (peer < 0 || peer >= 64) {
            throw new IllegalArgumentException("peer " + peer + " is not 0..63");
        }
        synchronized (this) {
            losePeers = lose ? losePeers | (1L << peer) : losePeers & ~(1L << peer);
        }
    }

    void cut(int peer, boolean cut) {
        if (peer < 0 || peer >= 64) {
            throw new IllegalArgumentException("peer " + peer + " is not 0..63");
        }
        long bit = 1L << peer;
        long c;
        do {
            c = cutPeers;
        } while (!CUT.compareAndSet(this, c, cut ? c | bit : c & ~bit));
    }

    private static final java.lang.invoke.VarHandle CUT;

    static {
        try {
            CUT = java.lang.invoke.MethodHandles.lookup().findVarHandle(NetworkNode.class, "cutPeers", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The transport (udp or ipc) and its driver's state. */
    AeronTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        CloseHelper.quietClose(runner);
        CloseHelper.quietClose(transport);
    }

    private final class NodeAgent implements Agent {
        private final UnsafeBuffer ack = new UnsafeBuffer(new byte[16]);
        private final UnsafeBuffer frameBuffer = new UnsafeBuffer(new byte[0]);
        private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
        private long lastTimeoutCheckMs;

        @Override
        public int doWork() {
            int work = aeron.conductorAgentInvoker().invoke();
            long now = System.currentTimeMillis();
            if (!heldBack.isEmpty()) {
                work += releaseHeldBack();
            }
            Outgoing o;
            while ((o = queue.poll()) != null) {
                work++;
                frameBuffer.wrap(o.frame());
                long firstSent;
                if (o.sent()) {
                    firstSent = frameBuffer.getLong(FIRST_SENT_AT);
                } else {
                    firstSent = now;
                    frameBuffer.putLong(FIRST_SENT_AT, now);
                }
                long s = frameBuffer.getLong(8);
                for (int k = 0; k < peerIds.length; k++) {
                    int peer = peerIds[k];
                    if (o.to() != -1 && o.to() != peer) {
                        continue;
                    }
                    boolean ok = o.sent() || offer(peer, peerPubs[k], o.frame());
                    if (o.packet().guaranteed()) {
                        LongHashSet early = earlyAcks.get(peer);
                        if (early == null || !early.remove(s)) {
                            unacked.get(peer).put(s, new Unacked(o, firstSent));
                        }
                    } else if (!ok) {
                        dropped.incrementAndGet();
                    }
                }
                if (!o.sent()) {
                    sent.incrementAndGet();
                }
            }
            work += subscription.poll(assembler, 64);
            if (now - lastTimeoutCheckMs >= Math.min(10, settings.retransmitMs())) {
                lastTimeoutCheckMs = now;
                work += timeouts(now);
            }
            return work;
        }

        private int releaseHeldBack() {
            int work = 0;
            long cut = cutPeers;
            for (Int2ObjectHashMap<List<byte[]>>.EntryIterator it = heldBack.entrySet().iterator(); it.hasNext();) {
                it.next();
                int peer = it.getIntKey();
                if ((cut & (1L << peer)) == 0) {
                    for (byte[] f : it.getValue()) {
                        frameBuffer.wrap(f);
                        peers.get(peer).offer(frameBuffer, 0, f.length);
                        work++;
                    }
                    it.remove();
                }
            }
            return work;
        }

        /** False while the link to the peer is cut (tests): the frame is held back, as lost until the heal. */
        private boolean linkUp(int peer, byte[] frame, int length) {
            if (peer >= 64 || ((cutPeers | losePeers) & (1L << peer)) == 0) {
                return true;
            }
            if ((losePeers & (1L << peer)) != 0) {
                return false;
            }
            byte[] copy = java.util.Arrays.copyOf(frame, length);
            List<byte[]> held = heldBack.get(peer);
            if (held == null) {
                held = new ArrayList<>();
                heldBack.put(peer, held);
            }
            held.add(copy);
            return false;
        }

        private boolean offer(int peer, Publication pub, byte[] frame) {
            if (!linkUp(peer, frame, frame.length)) {
                return true;
            }
            frameBuffer.wrap(frame);
            return NetworkNode.offer(pub, frameBuffer, frame.length);
        }

        private long frameSeq(byte[] frame) {
            frameBuffer.wrap(frame);
            return frameBuffer.getLong(8);
        }

        private int timeouts(long now) {
            int work = 0;
            for (Int2ObjectHashMap<Long2ObjectHashMap<Unacked>>.EntryIterator it = unacked.entrySet().iterator(); it.hasNext();) {
                it.next();
                int peer = it.getIntKey();
                Long2ObjectHashMap<Unacked> pending = it.getValue();
                if (pending.isEmpty()) {
                    continue;
                }
                List<Long> expired = null;
                for (Iterator<Unacked> u = pending.values().iterator(); u.hasNext();) {
                    Unacked x = u.next();
                    if (now - x.firstSentMs >= settings.unreachableMs()) {
                        if (expired == null) {
                            expired = new ArrayList<>();
                        }
                        long dead = frameSeq(x.out.frame());
                        expired.add(dead);
                        LongHashSet d = declaredDead.get(peer);
                        if (d == null) {
                            d = new LongHashSet();
                            declaredDead.put(peer, d);
                        } else if (d.size() >= DEDUPE_WINDOW) {
                            d.clear();
                        }
                        d.add(dead);
                        deadLettered.incrementAndGet();
                        deadLetters.accept(x.out.packet(), "node " + peer + " unreachable: no acknowledgement within "
                                + settings.unreachableMs() + " ms (unreachable.ms), sent " + (x.sends + 1) + " times");
                    } else if (now - x.lastSentMs >= settings.retransmitMs()) {
                        x.lastSentMs = now;
                        x.sends++;
                        retransmits.incrementAndGet();
                        offer(peer, peers.get(peer), x.out.frame());
                        work++;
                    }
                }
                if (expired != null) {
                    for (long s : expired) {
                        pending.remove(s);
                    }
                }
            }
            return work;
        }

        private void onFragment(DirectBuffer b, int offset, int length, Header header) {
            byte type = b.getByte(offset);
            int from = b.getInt(offset + 4);
            long s = b.getLong(offset + 8);
            if (type == ACK) {
                Long2ObjectHashMap<Unacked> pending = unacked.get(from);
                if (pending != null && pending.remove(s) == null) {
                    LongHashSet dead = declaredDead.get(from);
                    if (dead == null || !dead.contains(s)) {
                        // before the agent tracked the frame (sent from another thread), or a duplicate
                        LongHashSet early = earlyAcks.get(from);
                        if (early == null) {
                            early = new LongHashSet();
                            earlyAcks.put(from, early);
                        } else if (early.size() >= DEDUPE_WINDOW) {
                            early.clear();
                        }
                        early.add(s);
                    }
                    if (dead != null && dead.remove(s)) {
                        ackedAfterDeadLetter.incrementAndGet();
                        LOG.warn("Network node {}: node {} acknowledged frame {} after it was dead-lettered (delivered before "
                                + "the horizon, its acknowledgement late or lost): the dead-letter entry is a packet that did arrive",
                                settings.nodeId(), from, s);
                    }
                }
                return;
            }
            if (type != DATA) {
                LOG.warn("Network node {} ignored a frame of {} type {} from node {}", settings.nodeId(),
                        type == DATA_V1 ? "the first version's (no dependencies, no trace; upgrade that node)" : "unknown",
                        type, from);
                return;
            }
            byte flags = b.getByte(offset + 1);
            boolean guaranteed = (flags & GUARANTEED) != 0;
            if (guaranteed) {
                long age = System.currentTimeMillis() - b.getLong(offset + FIRST_SENT_AT);
                if (age >= horizonMs) {
                    // its sender dead-letters it (or has): never delivered after that, so not acknowledged either
                    if (refusedLate.incrementAndGet() <= 10 || LOG.isDebugEnabled()) {
                        LOG.info("Network node {} refused frame {} of node {}: first sent {} ms ago, past the horizon of {} ms "
                                + "(unreachable.ms - max offset): its sender dead-letters it", settings.nodeId(), s, from, age,
                                horizonMs);
                    }
                    return;
                }
                Publication back = peers.get(from);
                if (back != null) {
                    ack.putByte(0, ACK);
                    ack.putInt(4, settings.nodeId());
                    ack.putLong(8, s);
                    if (linkUp(from, ack.byteArray(), 16)) {
                        back.offer(ack, 0, 16);
                    }
                }
                LongHashSet seenFrom = seen.computeIfAbsent(from, k -> new LongHashSet());
                if (!seenFrom.add(s)) {
                    return; // a retransmission of what arrived already
                }
                if (seenFrom.size() > DEDUPE_WINDOW) {
                    seenFrom.removeIf(v -> v < s - DEDUPE_WINDOW);
                }
            }
            received.incrementAndGet();
            int nDeps = b.getInt(offset + 80);
            int i = offset + HEADER;
            long[] deps = nDeps == 0 ? WirePacket.NO_DEPENDENCIES : new long[nDeps];
            for (int k = 0; k < nDeps; k++) {
                deps[k] = b.getLong(i);
                i += 8;
            }
            io.chronofabric.api.trace.TraceContext trace = null;
            if ((flags & TRACED) != 0) {
                try {
                    trace = new io.chronofabric.api.trace.TraceContext(b.getLong(i), b.getLong(i + 8), b.getLong(i + 16),
                            b.getInt(i + 24));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Network node {}: frame {} of node {} carries an invalid trace context ({}); delivered untraced",
                            settings.nodeId(), s, from, e.getMessage());
                }
                i += 28;
            }
            String channel = b.getStringUtf8(i);
            i += 4 + b.getInt(i);
            String codecName = b.getStringUtf8(i);
            i += 4 + b.getInt(i);
            byte[] bytes = new byte[b.getInt(i)];
            b.getBytes(i + 4, bytes);
            LogicalTime remote = new LogicalTime(b.getLong(offset + 44), b.getLong(offset + 52), b.getInt(offset + 60));
            PayloadCodec<?> codec = codecs.forName(codecName);
            Object payload = codec == null ? bytes : null;
            String problem = codec == null ? "no payload codec '" + codecName + "' on node " + settings.nodeId() : null;
            if (codec != null) {
                try {
                    payload = codec.decode(bytes);
                } catch (RuntimeException e) {
                    payload = bytes;
                    problem = "payload codec '" + codecName + "' cannot decode it: " + e.getMessage();
                }
            }
            WirePacket p = new WirePacket(from, channel, payload, b.getLong(offset + 16), b.getInt(offset + 24),
                    b.getLong(offset + 28), b.getLong(offset + 36), remote, guaranteed, b.getByte(offset + 2) & 0xFF,
                    b.getLong(offset + 72), deps, trace, null);
            if (problem != null) {
                deadLettered.incrementAndGet();
                deadLetters.accept(p, problem);
                return;
            }
            LogicalTime at;
            try {
                at = hlc.update(remote);
            } catch (TemporalViolationException e) {
                refusedHlc.incrementAndGet();
                deadLettered.incrementAndGet();
                deadLetters.accept(p, "HLC refused the timestamp of node " + from + ": " + e.getMessage());
                return;
            }
            try {
                listener.accept(new Delivered(p, at));
            } catch (RuntimeException e) {
                LOG.warn("Network node {}: the receiver of a packet on {} failed: {}", settings.nodeId(), channel, e.toString(), e);
            }
        }

        @Override
        public String roleName() {
            return "chronofabric-network-" + settings.nodeId();
        }
    }
}
