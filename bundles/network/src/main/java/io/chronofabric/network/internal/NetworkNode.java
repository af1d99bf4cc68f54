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
 * <p><b>Large payloads.</b> A frame longer than Aeron's maximum message length (the term length / 8,
 * at most 16 MiB) crosses as CHUNK frames, sent by the agent thread as the publication accepts them
 * (back pressure makes it wait, never drop), and is reassembled on receive, where it then goes the
 * way of any DATA frame (horizon, acknowledgement, de-duplication, codec, HLC). Acknowledgement and
 * retransmission are per message: the receiver acknowledges the message once it is whole, the
 * sender sends all of its chunks again when no acknowledgement came within {@code retransmit.ms}
 * of the last chunk (chunks already held by the receiver are ignored there). Payloads over
 * {@code max.payload.bytes} are refused at {@link #send} naming the size and the limit. The
 * receiver holds at most {@code max.reassembly.bytes} of partial messages: a message that does
 * not fit (or that is over its own {@code max.payload.bytes}) is refused and counted, and for a
 * guaranteed one the sender is told (REFUSE), which dead-letters it with the receiver's reason.
 * A partial message whose next chunk has not come within {@code unreachable.ms} (its node went
 * away) is dropped and counted ({@code partialsDropped}). Ordering: a large packet is delivered
 * when its last chunk arrives, so a packet published after it on the same node may be delivered
 * before it; one that must come after declares a causal dependency on it (the receiving bus then
 * holds it until the large one was delivered).
 *
 * <p><b>Dependency scopes.</b> Each causal dependency in a DATA frame carries the one node that may
 * ever receive the packet it names, or -1 for every node (see {@link BusLink#carry}); a receiver
 * that is not that node leaves the dependency out, so a packet depending on a reply unicast to
 * another node is not held here for the reply that never comes. Frames sent to one node only carry
 * the UNICAST flag: the receiver remembers their ids ({@link #addressedOnlyHere}).
 *
 * <p><b>Nothing accepted is lost on close.</b> A node closes ({@link #close}, {@link #handOver}) after
 * the sends in progress: later ones throw. Every guaranteed packet some addressee has not
 * acknowledged yet (tracked, or still in the agent's queue) is then either dead-lettered with a
 * reason naming the node, why it closed and the addressee ({@link #close(String)}), or handed to
 * the replacement node ({@link #handOver}, then {@link #start(Settings, CodecRegistry, HlcClock,
 * Consumer, BiConsumer, Unfinished)}), which continues the sequence and sends those packets again
 * under their own sequence, message id and first-send time: a receiver that got one before
 * acknowledges and drops it, and each is still given up {@code unreachable.ms} after its first send.
 *
 * <p>Frames (Agrona, little endian): DATA (version 3) {@code [byte 4][byte flags: 1 guaranteed,
 * 2 traced, 4 unicast][byte maxRetries][byte 0][int origin][long seq][long messageId][int priority]
 * [long deadline][long targetMask][long hlcPhysical][long hlcLogical][int hlcNode][long firstSentMs]
 * [long timeoutNanos][int n][n x long dependency][n x int scope][traced: long traceHigh,
 * long traceLow, long span, int flags][channel][codec name][int n][payload]}; ACK {@code [byte 2]
 * [3 x 0][int acker][long seq]}; CHUNK {@code [byte 5][byte flags: 1 guaranteed][2 x 0][int origin]
 * [long seq][int index][int count][int total length][int offset][bytes of the DATA frame]};
 * REFUSE {@code [byte 6][byte reason: 1 too large, 2 reassembly memory full][2 x 0][int refuser]
 * [long seq][long size][long limit][long in use]}. Types 1 and 3 were the first and second
 * versions' DATA (without dependencies and trace; without scopes): refused, as is any unknown type,
 * with a warning naming it and counted ({@code refusedVersion}).
 */
public final class NetworkNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNode.class);
    private static final byte DATA_V1 = 1;
    private static final byte DATA_V2 = 3;
    private static final byte DATA = 4;
    private static final byte CHUNK = 5;
    private static final byte REFUSE = 6;
    private static final byte GUARANTEED = 1;
    private static final byte TRACED = 2;
    private static final byte UNICAST = 4;
    private static final int FIRST_SENT_AT = 64;
    private static final int HEADER = 84;
    private static final int CHUNK_HEADER = 32;
    private static final int REFUSE_LENGTH = 40;
    private static final byte TOO_LARGE = 1;
    private static final byte MEMORY_FULL = 2;
    /** A received message may exceed max.payload.bytes by this much (header, dependencies, channel, codec name). */
    static final int HEADER_SLACK = 64 * 1024;
    static final int DEFAULT_MAX_PAYLOAD = 16 << 20;
    static final long DEFAULT_MAX_REASSEMBLY = 64L << 20;
    static final int MAX_PAYLOAD_LIMIT = 1 << 30;
    static final int UNICAST_RING = 1 << 14;
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
     * @param maxPayloadBytes    the largest encoded payload sent or received (larger ones are refused)
     * @param maxReassemblyBytes partial large messages held on receive at most, in bytes (at least maxPayloadBytes)
     */
    public record Settings(int nodeId, Map<Integer, String> nodes, File dir, int termLength, long retransmitMs,
            long unreachableMs, int maxQueued, AeronTransport.Options transport, int maxPayloadBytes, long maxReassemblyBytes) {
        /** UDP, as before the transport could be chosen. */
        public Settings(int nodeId, Map<Integer, String> nodes, File dir, int termLength, long retransmitMs, long unreachableMs,
                int maxQueued) {
            this(nodeId, nodes, dir, termLength, retransmitMs, unreachableMs, maxQueued, AeronTransport.Options.UDP);
        }

        /** With the default payload (16 MiB) and reassembly (64 MiB) limits. */
        public Settings(int nodeId, Map<Integer, String> nodes, File dir, int termLength, long retransmitMs, long unreachableMs,
                int maxQueued, AeronTransport.Options transport) {
            this(nodeId, nodes, dir, termLength, retransmitMs, unreachableMs, maxQueued, transport, DEFAULT_MAX_PAYLOAD,
                    DEFAULT_MAX_REASSEMBLY);
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
            if (maxPayloadBytes <= 0 || maxPayloadBytes > MAX_PAYLOAD_LIMIT) {
                throw new IllegalArgumentException("max.payload.bytes " + maxPayloadBytes + " is out of range 1.." + MAX_PAYLOAD_LIMIT);
            }
            if (maxReassemblyBytes < maxPayloadBytes) {
                throw new IllegalArgumentException("max.reassembly.bytes " + maxReassemblyBytes + " is below max.payload.bytes "
                        + maxPayloadBytes + ": a payload of the largest size could never be received");
            }
        }

        /** The same with other payload and reassembly limits. */
        public Settings withLimits(int maxPayload, long maxReassembly) {
            return new Settings(nodeId, nodes, dir, termLength, retransmitMs, unreachableMs, maxQueued, transport, maxPayload,
                    maxReassembly);
        }
    }

    /**
     * @param to      the one peer to send to, or -1 for every peer
     * @param sent    offered already by the sending thread: the agent only tracks its acknowledgements
     * @param chunked longer than Aeron's maximum message: the agent sends it as CHUNK frames
     * @param refs    chunked: the addressees it is not finished with (agent thread only); null otherwise
     */
    private record Outgoing(WirePacket packet, byte[] frame, int to, boolean sent, boolean chunked, int[] refs) {
    }

    /** A chunked message on its way to one peer (agent thread only). */
    private static final class Transfer {
        final Outgoing out;
        final long seq;
        final int count;
        final Unacked owner;
        int next;
        boolean cancelled;

        Transfer(Outgoing out, long seq, int count, Unacked owner) {
            this.out = out;
            this.seq = seq;
            this.count = count;
            this.owner = owner;
        }
    }

    /** A large message being reassembled (agent thread only). */
    private static final class Partial {
        final byte[] data;
        final java.util.BitSet got;
        final int count;
        int remaining;
        long lastMs;

        Partial(int total, int count, long now) {
            this.data = new byte[total];
            this.got = new java.util.BitSet(count);
            this.count = count;
            this.remaining = count;
            this.lastMs = now;
        }
    }

    private static final class Unacked {
        final Outgoing out;
        final long firstSentMs;
        long lastSentMs;
        int sends;
        /** A chunked message's transfer in progress, or null. */
        Transfer transfer;

        Unacked(Outgoing out, long firstSentMs) {
            this.out = out;
            this.firstSentMs = firstSentMs;
            this.lastSentMs = firstSentMs;
        }
    }

    /**
     * What a closed node leaves behind ({@link #handOver}): its guaranteed packets that some addressee
     * has not acknowledged yet, each with its frame (same sequence, same message id), first-send
     * time and sends, the addressees still owing an acknowledgement, and the node's last sequence
     * (its replacement continues after it, so a receiver that stayed up never takes a new packet
     * for a duplicate). Give it to {@link #start(Settings, CodecRegistry, HlcClock, Consumer,
     * BiConsumer, Unfinished)} to send them again there, or {@link #deadLetter} them.
     */
    public static final class Unfinished {
        private final int nodeId;
        private final long lastSeq;
        private final int maxMessage;
        private final List<Pending> pending;
        private final BiConsumer<WirePacket, String> deadLetters;

        private Unfinished(int nodeId, long lastSeq, int maxMessage, List<Pending> pending, BiConsumer<WirePacket, String> deadLetters) {
            this.nodeId = nodeId;
            this.lastSeq = lastSeq;
            this.maxMessage = maxMessage;
            this.pending = pending;
            this.deadLetters = deadLetters;
        }

        /** The closed node's id. */
        public int nodeId() {
            return nodeId;
        }

        /** Packet and addressee pairs waiting for an acknowledgement. */
        public int size() {
            int n = 0;
            for (Pending p : pending) {
                n += p.to().length;
            }
            return n;
        }

        /**
         * Dead-letters every packet, once per addressee that did not acknowledge it, through the
         * closed node's dead-letter sink: "network node N closed (why) before node P acknowledged it".
         */
        public void deadLetter(String why) {
            for (Pending p : pending) {
                for (int peer : p.to()) {
                    deadLetters.accept(p.packet(), closedBefore(nodeId, why, peer));
                }
            }
            pending.clear();
        }

        /**
         * Dead-letters those first sent {@code unreachableMs} or longer before {@code nowMs} (they would
         * be refused by their receivers by now), keeps the rest; returns how many pairs went.
         */
        public int expire(long nowMs, long unreachableMs, String why) {
            int n = 0;
            for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
                Pending p = it.next();
                if (nowMs - p.firstSentMs() >= unreachableMs) {
                    it.remove();
                    for (int peer : p.to()) {
                        n++;
                        deadLetters.accept(p.packet(), closedBefore(nodeId, why, peer) + ", and not sent again within "
                                + unreachableMs + " ms of its first send (unreachable.ms)");
                    }
                }
            }
            return n;
        }
    }

    /** A guaranteed packet left unacknowledged by a closed node: the addressees that still owe an acknowledgement. */
    private record Pending(WirePacket packet, byte[] frame, long seq, long firstSentMs, int sends, int[] to) {
    }

    static String closedBefore(int node, String why, int peer) {
        return "network node " + node + " closed" + (why == null || why.isBlank() ? "" : " (" + why + ")") + " before node "
                + peer + " acknowledged it";
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
    /**
     * Frame sequence: a new node (not a replacement) starts from its start time in ms times 65,536, past any
     * sequence an earlier run of it could have reached, so a receiver that stayed up does not take its packets
     * for duplicates of the earlier run's; a replacement continues after the node it replaces.
     */
    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() << 16);
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
    /** Aeron's maximum message length on the peers' publications: longer frames go as chunks. */
    private final int maxMessage;
    /** Per peer (index as peerIds): chunked messages on their way (agent thread only). */
    private final java.util.ArrayDeque<Transfer>[] transfers;
    /** Per origin: large messages being reassembled, and their bytes in all (agent thread only). */
    private final Int2ObjectHashMap<Long2ObjectHashMap<Partial>> partials = new Int2ObjectHashMap<>();
    private long reassemblyBytes;
    /**
     * Per origin: sequences refused for reassembly and why (agent thread only, at most
     * {@value #DEDUPE_WINDOW} per origin), so their further chunks are ignored and a guaranteed
     * one's sender, which resends it while no REFUSE came, is told again (a lost REFUSE).
     */
    private final Int2ObjectHashMap<Long2ObjectHashMap<Refusal>> refusedSeqs = new Int2ObjectHashMap<>();

    /** Why a large message was refused here, and when the REFUSE was last sent (ms). */
    private static final class Refusal {
        final byte reason;
        final long size;
        final long limit;
        final long inUse;
        final boolean guaranteed;
        long sentMs;

        Refusal(byte reason, long size, long limit, long inUse, boolean guaranteed, long sentMs) {
            this.reason = reason;
            this.size = size;
            this.limit = limit;
            this.inUse = inUse;
            this.guaranteed = guaranteed;
            this.sentMs = sentMs;
        }
    }
    /** Ids of packets that came addressed to this node only (per origin, slot = sequence), written by the agent before delivery. */
    private final UnicastIds unicastHere = new UnicastIds(UNICAST_RING);
    private final AtomicLong sentChunked = new AtomicLong();
    /** Bytes of chunked messages sent and not yet finished with (acknowledged, refused or dead-lettered by every addressee). */
    private final AtomicLong largeInFlight = new AtomicLong();
    private final AtomicLong reassembled = new AtomicLong();
    private final AtomicLong reassemblyRefused = new AtomicLong();
    private final AtomicLong partialsDropped = new AtomicLong();
    private final AtomicLong refusedVersion = new AtomicLong();
    private final AtomicLong refusedByPeer = new AtomicLong();
    private final AtomicLong refusesResent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong handedOver = new AtomicLong();
    /** Set first on close: a send after it is refused. */
    private volatile boolean closing;
    /** Sends in progress: close waits for them, so none slips into the queue after it was drained. */
    private final java.util.concurrent.atomic.AtomicInteger sending = new java.util.concurrent.atomic.AtomicInteger();
    private boolean closed;

    /** A packet received, with the receive event's HLC timestamp. */
    public record Delivered(WirePacket packet, LogicalTime receivedAt) {
    }

    private NetworkNode(Settings s, CodecRegistry codecs, HlcClock hlc, Consumer<Delivered> listener,
            BiConsumer<WirePacket, String> deadLetters, Unfinished previous) {
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
        int max = Math.min(s.termLength() / 8, 16 << 20);
        for (Publication pub : peerPubs) {
            max = Math.min(max, pub.maxMessageLength());
        }
        this.maxMessage = max;
        @SuppressWarnings("unchecked")
        java.util.ArrayDeque<Transfer>[] queues = new java.util.ArrayDeque[peerIds.length];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new java.util.ArrayDeque<>();
        }
        this.transfers = queues;
        if (previous != null) {
            takeOver(previous);
        }
        this.runner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000),
                t -> LOG.warn("Network node {} agent error: {}", s.nodeId(), t.toString(), t), null, new NodeAgent());
    }

    /** Starts a node: its driver, publications and agent thread. */
    public static NetworkNode start(Settings s, CodecRegistry codecs, HlcClock hlc, Consumer<Delivered> listener,
            BiConsumer<WirePacket, String> deadLetters) {
        return start(s, codecs, hlc, listener, deadLetters, null);
    }

    /**
     * Starts a node that replaces a closed one ({@code previous}, from {@link #handOver}; null: none):
     * its sequence continues after the closed node's, and the packets it left unacknowledged are
     * sent again at once under their own sequence and message id (a receiver that got them already
     * acknowledges and drops them), each still given up {@code unreachable.ms} after its first send.
     * Those that cannot go on are dead-lettered naming why: the replacement has another node id, the
     * addressee is not one of its nodes, or a large one's chunk size changed (term.length).
     */
    public static NetworkNode start(Settings s, CodecRegistry codecs, HlcClock hlc, Consumer<Delivered> listener,
            BiConsumer<WirePacket, String> deadLetters, Unfinished previous) {
        NetworkNode n = new NetworkNode(s, codecs, hlc, listener, deadLetters, previous);
        AgentRunner.startOnThread(n.runner);
        return n;
    }

    /** Before the agent starts: tracks what the closed node left as unacknowledged, due for a retransmission now. */
    private void takeOver(Unfinished previous) {
        int self = settings.nodeId();
        seq.set(Math.max(seq.get(), previous.lastSeq));
        for (Pending p : previous.pending) {
            String closed = null;
            if (previous.nodeId != self) {
                closed = "its replacement is node " + self + " (node.id changed): sent again it would name another origin";
            } else if (previous.maxMessage != maxMessage && p.frame().length > Math.min(previous.maxMessage, maxMessage)) {
                closed = "its " + p.frame().length + " bytes cross in chunks of another size in the replacement (term.length "
                        + "changed): the addressee could not put them together";
            }
            int n = 0;
            for (int peer : p.to()) {
                if (closed == null && peers.containsKey(peer)) {
                    n++;
                } else {
                    deadLettered.incrementAndGet();
                    deadLetters.accept(p.packet(), closedBefore(previous.nodeId, "replaced", peer) + "; "
                            + (closed != null ? closed : "node " + peer + " is not one of the replacement's nodes "
                                    + new TreeMap<>(settings.nodes()).keySet()));
                }
            }
            if (n == 0) {
                continue;
            }
            boolean chunked = p.frame().length > maxMessage;
            Outgoing o = new Outgoing(p.packet(), p.frame(), -1, true, chunked, chunked ? new int[] {n} : null);
            if (chunked) {
                largeInFlight.addAndGet(p.frame().length);
            }
            for (int peer : p.to()) {
                if (peers.containsKey(peer)) {
                    Unacked u = new Unacked(o, p.firstSentMs());
                    u.sends = p.sends();
                    u.lastSentMs = 0; // due: the first timeout check sends it again
                    unacked.get(peer).put(p.seq(), u);
                    handedOver.incrementAndGet();
                }
            }
        }
        previous.pending.clear();
    }

    /**
     * Sends a packet to every other node.
     *
     * @throws IllegalArgumentException if its payload has no codec (naming type and channel), the codec fails, or the
     *         encoded payload is larger than max.payload.bytes (naming the size and the limit)
     * @throws IllegalStateException if it is chunked (longer than {@link #maxMessageLength}) and the chunked messages
     *         in flight from this node would exceed max.reassembly.bytes
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
        sending.incrementAndGet();
        try {
            if (closing) {
                throw new IllegalStateException("Network node " + settings.nodeId() + " is closed: the packet on channel "
                        + p.channel() + " was not sent");
            }
            return sendNow(p, to);
        } finally {
            sending.decrementAndGet();
        }
    }

    private boolean sendNow(WirePacket p, int to) {
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
        if (bytes.length > settings.maxPayloadBytes()) {
            throw new IllegalArgumentException("Payload of " + bytes.length + " bytes (codec '" + codec.name() + "') on channel "
                    + p.channel() + " is larger than max.payload.bytes (" + settings.maxPayloadBytes() + " bytes)");
        }
        long[] deps = p.dependencies();
        byte[] channelUtf8 = p.channel().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] codecUtf8 = codec.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // the frame at its exact size, written in place (no copy of the payload but the one into it)
        byte[] frame = new byte[HEADER + deps.length * 12 + (p.trace() != null ? 28 : 0) + 4 + channelUtf8.length + 4
                + codecUtf8.length + 4 + bytes.length];
        UnsafeBuffer b = new UnsafeBuffer(frame);
        long s = seq.incrementAndGet();
        b.putByte(0, DATA);
        b.putByte(1, (byte) ((p.guaranteed() ? GUARANTEED : 0) | (p.trace() != null ? TRACED : 0) | (to != -1 ? UNICAST : 0)));
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
        for (int k = 0; k < deps.length; k++) {
            b.putInt(i, p.scope(k));
            i += 4;
        }
        if (p.trace() != null) {
            b.putLong(i, p.trace().traceIdHigh());
            b.putLong(i + 8, p.trace().traceIdLow());
            b.putLong(i + 16, p.trace().spanId());
            b.putInt(i + 24, p.trace().flags());
            i += 28;
        }
        b.putInt(i, channelUtf8.length);
        b.putBytes(i + 4, channelUtf8);
        i += 4 + channelUtf8.length;
        b.putInt(i, codecUtf8.length);
        b.putBytes(i + 4, codecUtf8);
        i += 4 + codecUtf8.length;
        b.putInt(i, bytes.length);
        b.putBytes(i + 4, bytes);
        WirePacket stamped = p.origin() == settings.nodeId() ? p : p.withOrigin(settings.nodeId());
        if (frame.length > maxMessage) {
            long limit = settings.maxReassemblyBytes();
            long inFlight = largeInFlight.addAndGet(frame.length);
            if (inFlight > limit) {
                largeInFlight.addAndGet(-frame.length);
                throw new IllegalStateException("Large payloads in flight from node " + settings.nodeId() + " would exceed "
                        + "max.reassembly.bytes (" + limit + " bytes) with this message of " + frame.length + " bytes on channel "
                        + p.channel() + ": " + (inFlight - frame.length) + " bytes are sent and not yet acknowledged or given up");
            }
            if (!queue.offer(new Outgoing(stamped, frame, to, false, true, new int[1]))) { // the agent sends its chunks
                largeInFlight.addAndGet(-frame.length);
                return false;
            }
            return true;
        }
        if ((cutPeers | losePeers) != 0) {
            return queue.offer(new Outgoing(stamped, frame, to, false, false, null)); // tests: the agent applies the cut
        }
        // sent from this thread at once (no hand-off to the agent, which may be parked); the agent
        // only tracks a guaranteed packet's acknowledgements, registered before the first offer
        UnsafeBuffer fb = new UnsafeBuffer(frame);
        fb.putLong(FIRST_SENT_AT, System.currentTimeMillis());
        if (p.guaranteed() && !queue.offer(new Outgoing(stamped, frame, to, true, false, null))) {
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

    /**
     * Counters: sent, received, retransmits, dropped (best effort, peer down), refused (HLC),
     * dead-lettered, refused late, acknowledged after dead-lettered; large messages: sent chunked,
     * reassembled, refused for reassembly here, partial ones dropped here, refused by a peer, refusals sent again;
     * frames of another version refused; acknowledgements of tracked packets, packets (per addressee)
     * taken over from a closed node.
     */
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
        m.put("sentChunked", sentChunked.get());
        m.put("largeInFlightBytes", largeInFlight.get());
        m.put("reassembled", reassembled.get());
        m.put("reassemblyRefused", reassemblyRefused.get());
        m.put("partialsDropped", partialsDropped.get());
        m.put("refusedByPeer", refusedByPeer.get());
        m.put("refusesResent", refusesResent.get());
        m.put("refusedVersion", refusedVersion.get());
        m.put("acknowledged", acknowledged.get());
        m.put("handedOver", handedOver.get());
        return m;
    }

    static String refusal(byte reason, long size, long limit, long inUse) {
        return reason == TOO_LARGE
                ? "a message of " + size + " bytes is over its limit (max.payload.bytes + " + HEADER_SLACK
                        + " bytes of header = " + limit + " bytes)"
                : reason == MEMORY_FULL
                        ? "its reassembly memory is full: a message of " + size + " bytes, with " + inUse + " of max.reassembly.bytes ("
                                + limit + ") in use by other partial messages"
                        : "reason " + reason + ", size " + size + ", limit " + limit;
    }

    /** Aeron's maximum message length here: frames longer than it cross as chunks. */
    public int maxMessageLength() {
        return maxMessage;
    }

    /**
     * Whether the packet of this id came to this node addressed to it only (a reply unicast to
     * its requester's node), remembered until its origin's sequence has passed it by
     * {@value #UNICAST_RING} (a ring per origin, slot = sequence mod the ring; see {@link UnicastIds}).
     */
    public boolean addressedOnlyHere(long messageId) {
        return unicastHere.contains(messageId);
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
    /** Tests: offers a frame as it is (any type, any content) to a peer, from the calling thread. */
    boolean offerRaw(int peer, byte[] frame) {
        Publication pub = peers.get(peer);
        if (pub == null) {
            throw new IllegalArgumentException("node " + peer + " is not one of the other nodes");
        }
        return offer(pub, new UnsafeBuffer(frame), frame.length);
    }

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

    /**
     * Closes the node; the guaranteed packets not yet acknowledged by all their addressees are
     * dead-lettered ("network node N closed before node P acknowledged it"): nothing accepted is lost.
     */
    @Override
    public void close() {
        close("");
    }

    /** Closes the node; the packets left unacknowledged are dead-lettered naming {@code why} (e.g. "component deactivated"). */
    public void close(String why) {
        Unfinished u = handOver();
        int n = u.size();
        u.deadLetter(why);
        if (n > 0) {
            deadLettered.addAndGet(n);
            LOG.warn("Network node {} closed{}: {} guaranteed packet/addressee pair(s) not acknowledged went to the dead-letter log",
                    settings.nodeId(), why == null || why.isBlank() ? "" : " (" + why + ")", n);
        }
    }

    /**
     * Closes the node and returns what it left unacknowledged, for its replacement to send again
     * ({@link #start(Settings, CodecRegistry, HlcClock, Consumer, BiConsumer, Unfinished)}) or to
     * {@link Unfinished#deadLetter}. A send after this (or racing with it) throws; none is lost
     * between: close waits for the sends in progress before it stops the agent and drains its queue.
     * A second call returns nothing.
     */
    public synchronized Unfinished handOver() {
        closing = true;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sending.get() != 0 && System.nanoTime() < deadline) {
            Thread.yield();
        }
        if (closed) {
            return new Unfinished(settings.nodeId(), seq.get(), maxMessage, new ArrayList<>(), deadLetters);
        }
        closed = true;
        CloseHelper.quietClose(runner); // the agent has stopped: its state is this thread's now
        List<Pending> left = collectUnacknowledged();
        CloseHelper.quietClose(transport);
        if (!left.isEmpty()) {
            LOG.info("Network node {} closed with {} guaranteed packet(s) not acknowledged by every addressee yet",
                    settings.nodeId(), left.size());
        }
        return new Unfinished(settings.nodeId(), seq.get(), maxMessage, left, deadLetters);
    }

    /** The agent's unacknowledged packets and the guaranteed ones still in its queue, by sequence. */
    private List<Pending> collectUnacknowledged() {
        TreeMap<Long, Pending> bySeq = new TreeMap<>();
        for (Int2ObjectHashMap<Long2ObjectHashMap<Unacked>>.EntryIterator it = unacked.entrySet().iterator(); it.hasNext();) {
            it.next();
            int peer = it.getIntKey();
            for (Long2ObjectHashMap<Unacked>.EntryIterator u = it.getValue().entrySet().iterator(); u.hasNext();) {
                u.next();
                long s = u.getLongKey();
                Unacked x = u.getValue();
                Pending was = bySeq.get(s);
                int[] to = was == null ? new int[] {peer} : java.util.Arrays.copyOf(was.to(), was.to().length + 1);
                to[to.length - 1] = peer;
                bySeq.put(s, new Pending(x.out.packet(), x.out.frame(), s, Math.min(x.firstSentMs, was == null ? Long.MAX_VALUE
                        : was.firstSentMs()), Math.max(x.sends, was == null ? 0 : was.sends()), to));
            }
        }
        long now = System.currentTimeMillis();
        Outgoing o;
        while ((o = queue.poll()) != null) {
            UnsafeBuffer fb = new UnsafeBuffer(o.frame());
            if (!o.packet().guaranteed()) {
                if (o.chunked()) {
                    largeInFlight.addAndGet(-o.frame().length);
                }
                dropped.incrementAndGet(); // best effort: never sent
                continue;
            }
            long s = fb.getLong(8);
            long firstSent = o.sent() ? fb.getLong(FIRST_SENT_AT) : now;
            if (!o.sent()) {
                fb.putLong(FIRST_SENT_AT, now); // as if first sent now: the replacement sends it first
            }
            int[] to = new int[peerIds.length];
            int n = 0;
            for (int peer : peerIds) {
                LongHashSet early = earlyAcks.get(peer);
                if ((o.to() == -1 || o.to() == peer) && (early == null || !early.contains(s))) {
                    to[n++] = peer;
                }
            }
            if (n > 0) {
                bySeq.put(s, new Pending(o.packet(), o.frame(), s, firstSent, 0, java.util.Arrays.copyOf(to, n)));
            }
        }
        return new ArrayList<>(bySeq.values());
    }

    private final class NodeAgent implements Agent {
        private final UnsafeBuffer ack = new UnsafeBuffer(new byte[16]);
        private final UnsafeBuffer frameBuffer = new UnsafeBuffer(new byte[0]);
        private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
        private final UnsafeBuffer refuse = new UnsafeBuffer(new byte[REFUSE_LENGTH]);
        private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[maxMessage]); // whole chunks only while a test cuts a link
        private final UnsafeBuffer whole = new UnsafeBuffer(new byte[0]);
        private long lastTimeoutCheckMs;
        private long now;

        @Override
        public int doWork() {
            int work = aeron.conductorAgentInvoker().invoke();
            long now = System.currentTimeMillis();
            this.now = now;
            if (!heldBack.isEmpty()) {
                work += releaseHeldBack();
            }
            Outgoing o;
            while ((o = queue.poll()) != null) {
                work++;
                frameBuffer.wrap(o.frame());
                if (o.chunked()) {
                    startTransfers(o, now);
                    continue;
                }
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
            work += pumpTransfers(now);
            work += subscription.poll(assembler, 64);
            if (now - lastTimeoutCheckMs >= Math.min(10, settings.retransmitMs())) {
                lastTimeoutCheckMs = now;
                work += timeouts(now);
            }
            return work;
        }

        /** A chunked message: first sent now, tracked per peer when guaranteed, its chunks queued to each peer. */
        private void startTransfers(Outgoing o, long now) {
            frameBuffer.putLong(FIRST_SENT_AT, now);
            long s = frameBuffer.getLong(8);
            int count = chunkCount(o.frame().length);
            for (int k = 0; k < peerIds.length; k++) {
                int peer = peerIds[k];
                if (o.to() != -1 && o.to() != peer) {
                    continue;
                }
                Unacked u = null;
                if (o.packet().guaranteed()) {
                    u = new Unacked(o, now);
                    unacked.get(peer).put(s, u);
                }
                Transfer t = new Transfer(o, s, count, u);
                if (u != null) {
                    u.transfer = t;
                }
                transfers[k].add(t);
                o.refs()[0]++;
            }
            if (o.refs()[0] == 0) {
                largeInFlight.addAndGet(-o.frame().length); // no addressee
            }
            sent.incrementAndGet();
            sentChunked.incrementAndGet();
        }

        /** One addressee finished with a chunked message (acknowledged, refused, dead-lettered; best effort: sent or dropped). */
        private void release(Outgoing o) {
            if (o.refs() != null && --o.refs()[0] == 0) {
                largeInFlight.addAndGet(-o.frame().length);
            }
        }

        private int chunkCount(int length) {
            int data = maxMessage - CHUNK_HEADER;
            return (length + data - 1) / data;
        }

        /** Offers the chunks of the transfers at the head of each peer's queue, as far as the publication takes them. */
        private int pumpTransfers(long now) {
            int work = 0;
            int data = maxMessage - CHUNK_HEADER;
            for (int k = 0; k < peerIds.length; k++) {
                java.util.ArrayDeque<Transfer> q = transfers[k];
                int budget = 32;
                Transfer t;
                while (budget > 0 && (t = q.peek()) != null) {
                    if (t.cancelled) {
                        q.poll();
                        continue;
                    }
                    byte[] f = t.out.frame();
                    int at = t.next * data;
                    int n = Math.min(data, f.length - at);
                    chunk.putByte(0, CHUNK);
                    chunk.putByte(1, t.out.packet().guaranteed() ? GUARANTEED : 0);
                    chunk.putShort(2, (short) 0);
                    chunk.putInt(4, settings.nodeId());
                    chunk.putLong(8, t.seq);
                    chunk.putInt(16, t.next);
                    chunk.putInt(20, t.count);
                    chunk.putInt(24, f.length);
                    chunk.putInt(28, at);
                    long r;
                    if (((cutPeers | losePeers) & (1L << peerIds[k])) != 0 && peerIds[k] < 64) {
                        chunk.putBytes(CHUNK_HEADER, f, at, n); // tests: held back or lost as one frame
                        r = linkUp(peerIds[k], chunk.byteArray(), CHUNK_HEADER + n) ? peerPubs[k].offer(chunk, 0, CHUNK_HEADER + n) : 1;
                    } else {
                        frameBuffer.wrap(f);
                        r = peerPubs[k].offer(chunk, 0, CHUNK_HEADER, frameBuffer, at, n); // header and slice, no copy here
                    }
                    budget--;
                    if (r > 0) {
                        work++;
                        if (++t.next == t.count) {
                            q.poll();
                            if (t.owner != null) {
                                t.owner.transfer = null;
                                t.owner.lastSentMs = now; // the retransmission timer runs from the last chunk
                            } else {
                                release(t.out);
                            }
                        }
                    } else if (r == Publication.BACK_PRESSURED) {
                        break;
                    } else if (r != Publication.ADMIN_ACTION) {
                        // not connected (or closed): a guaranteed one is sent again by the retransmission timer
                        q.poll();
                        if (t.owner != null) {
                            t.owner.transfer = null;
                            t.owner.lastSentMs = now;
                        } else {
                            dropped.incrementAndGet();
                            release(t.out);
                        }
                    }
                }
            }
            return work;
        }

        private void sendAgain(int peer, Unacked x) {
            for (int k = 0; k < peerIds.length; k++) {
                if (peerIds[k] == peer) {
                    Transfer t = new Transfer(x.out, frameSeq(x.out.frame()), chunkCount(x.out.frame().length), x);
                    x.transfer = t;
                    transfers[k].add(t);
                    return;
                }
            }
        }

        private static void cancel(Unacked x) {
            if (x != null && x.transfer != null) {
                x.transfer.cancelled = true;
                x.transfer = null;
            }
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
                        cancel(x);
                        release(x.out);
                        deadLettered.incrementAndGet();
                        deadLetters.accept(x.out.packet(), "node " + peer + " unreachable: no acknowledgement within "
                                + settings.unreachableMs() + " ms (unreachable.ms), sent " + (x.sends + 1) + " times");
                    } else if (x.out.chunked()) {
                        if (x.transfer == null && now - x.lastSentMs >= settings.retransmitMs()) {
                            x.sends++;
                            retransmits.incrementAndGet();
                            sendAgain(peer, x);
                            work++;
                        }
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
            if (!partials.isEmpty()) {
                work += dropStalePartials(now);
            }
            return work;
        }

        /** Partial messages whose last chunk came more than unreachable.ms ago: their node went away. */
        private int dropStalePartials(long now) {
            int work = 0;
            for (Int2ObjectHashMap<Long2ObjectHashMap<Partial>>.EntryIterator it = partials.entrySet().iterator(); it.hasNext();) {
                it.next();
                int from = it.getIntKey();
                for (Long2ObjectHashMap<Partial>.EntryIterator p = it.getValue().entrySet().iterator(); p.hasNext();) {
                    p.next();
                    Partial x = p.getValue();
                    if (now - x.lastMs >= settings.unreachableMs()) {
                        long s = p.getLongKey();
                        p.remove();
                        reassemblyBytes -= x.data.length;
                        partialsDropped.incrementAndGet();
                        work++;
                        LOG.warn("Network node {} dropped message {} of node {}: {} of its {} chunks ({} bytes) came, the last "
                                + "{} ms ago (unreachable.ms {})", settings.nodeId(), s, from, x.count - x.remaining, x.count,
                                x.data.length, now - x.lastMs, settings.unreachableMs());
                    }
                }
            }
            return work;
        }

        private void onFragment(DirectBuffer b, int offset, int length, Header header) {
            byte type = b.getByte(offset);
            if (length < 16) {
                refusedVersion.incrementAndGet();
                LOG.warn("Network node {} ignored a frame of {} bytes (type {}): too short for any frame", settings.nodeId(),
                        length, type);
                return;
            }
            int from = b.getInt(offset + 4);
            long s = b.getLong(offset + 8);
            if (type == CHUNK) {
                onChunk(b, offset, length, from, s);
                return;
            }
            if (type == REFUSE) {
                onRefuse(b, offset, length, from, s);
                return;
            }
            if (type == ACK) {
                Unacked acked = null;
                Long2ObjectHashMap<Unacked> pending = unacked.get(from);
                if (pending != null && (acked = pending.remove(s)) != null) {
                    acknowledged.incrementAndGet();
                    cancel(acked);
                    release(acked.out);
                } else if (pending != null) {
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
            onData(b, offset, length, type, from, s);
        }

        private void onData(DirectBuffer b, int offset, int length, byte type, int from, long s) {
            if (type != DATA || length < HEADER) {
                long n = refusedVersion.incrementAndGet();
                if (n <= 10 || LOG.isDebugEnabled()) {
                    LOG.warn("Network node {} refused a frame of {} type {} from node {} ({} refused so far): this node reads "
                            + "DATA version 3 (type {}); run the same version on every node", settings.nodeId(),
                            type == DATA_V1 ? "the first version's (no dependencies, no trace)"
                                    : type == DATA_V2 ? "the second version's DATA (no dependency scopes, no chunks)"
                                    : type == DATA ? "truncated (" + length + " bytes)" : "unknown", type, from, n, DATA);
                }
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
                acknowledge(from, s);
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
            int scopesAt = i + nDeps * 8;
            int mine = 0;
            for (int k = 0; k < nDeps; k++) {
                int scope = b.getInt(scopesAt + k * 4);
                if (scope == WirePacket.EVERY_NODE || scope == settings.nodeId()) {
                    mine++;
                }
            }
            long[] deps = mine == 0 ? WirePacket.NO_DEPENDENCIES : new long[mine];
            for (int k = 0, m = 0; k < nDeps; k++) {
                int scope = b.getInt(scopesAt + k * 4);
                if (scope == WirePacket.EVERY_NODE || scope == settings.nodeId()) {
                    deps[m++] = b.getLong(i + k * 8);
                }
            }
            i += nDeps * 12;
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
            long messageId = b.getLong(offset + 16);
            if ((flags & UNICAST) != 0) {
                unicastHere.remember(messageId); // before it is delivered, so before anything depends on it here
            }
            WirePacket p = new WirePacket(from, channel, payload, messageId, b.getInt(offset + 24),
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

        /** A chunk of a large message: kept until the message is whole, which then goes the way of a DATA frame. */
        private void onChunk(DirectBuffer b, int offset, int length, int from, long s) {
            boolean guaranteed = (b.getByte(offset + 1) & GUARANTEED) != 0;
            if (length < CHUNK_HEADER) {
                refusedVersion.incrementAndGet();
                LOG.warn("Network node {} ignored a chunk of {} bytes from node {}: shorter than its header", settings.nodeId(),
                        length, from);
                return;
            }
            int index = b.getInt(offset + 16);
            int count = b.getInt(offset + 20);
            int total = b.getInt(offset + 24);
            int at = b.getInt(offset + 28);
            int n = length - CHUNK_HEADER;
            if (count < 1 || count > total || index < 0 || index >= count || total < HEADER || at < 0 || (long) at + n > total) {
                refusedVersion.incrementAndGet();
                LOG.warn("Network node {} ignored a malformed chunk {} of {} (at {}, {} bytes, message of {}) of message {} from node {}",
                        settings.nodeId(), index, count, at, n, total, s, from);
                return;
            }
            if (guaranteed) {
                LongHashSet seenFrom = seen.get(from);
                if (seenFrom != null && seenFrom.contains(s)) {
                    if (index == count - 1) {
                        acknowledge(from, s); // a retransmission of what was delivered: its acknowledgement was lost
                    }
                    return;
                }
            }
            Long2ObjectHashMap<Partial> fromNode = partials.get(from);
            if (fromNode == null) {
                fromNode = new Long2ObjectHashMap<>();
                partials.put(from, fromNode);
            }
            Partial p = fromNode.get(s);
            if (p == null) {
                Long2ObjectHashMap<Refusal> refusedFrom = refusedSeqs.get(from);
                Refusal refused = refusedFrom == null ? null : refusedFrom.get(s);
                if (refused != null) {
                    // sent again: our REFUSE was lost (or is on its way); tell it again, once per half retransmit period
                    if (refused.guaranteed && now - refused.sentMs >= Math.max(1, settings.retransmitMs() / 2)) {
                        refused.sentMs = now;
                        refusesResent.incrementAndGet();
                        sendRefuse(from, s, refused);
                    }
                    return;
                }
                long limit = (long) settings.maxPayloadBytes() + HEADER_SLACK;
                if (total > limit) {
                    refuseMessage(from, s, guaranteed, TOO_LARGE, total, limit);
                    return;
                }
                if (reassemblyBytes + total > settings.maxReassemblyBytes()) {
                    refuseMessage(from, s, guaranteed, MEMORY_FULL, total, settings.maxReassemblyBytes());
                    return;
                }
                p = new Partial(total, count, now);
                fromNode.put(s, p);
                reassemblyBytes += total;
            } else if (p.data.length != total || p.count != count) {
                refusedVersion.incrementAndGet();
                LOG.warn("Network node {} ignored chunk {} of message {} from node {}: {} chunks of {} bytes, where its first "
                        + "said {} of {}", settings.nodeId(), index, s, from, count, total, p.count, p.data.length);
                return;
            }
            p.lastMs = now;
            if (!p.got.get(index)) {
                p.got.set(index);
                b.getBytes(offset + CHUNK_HEADER, p.data, at, n);
                p.remaining--;
            }
            if (p.remaining == 0) {
                fromNode.remove(s);
                reassemblyBytes -= total;
                reassembled.incrementAndGet();
                whole.wrap(p.data);
                if (whole.getInt(4) != from || whole.getLong(8) != s) {
                    refusedVersion.incrementAndGet();
                    LOG.warn("Network node {} ignored message {} of node {}: its reassembled frame names node {} and sequence {}",
                            settings.nodeId(), s, from, whole.getInt(4), whole.getLong(8));
                    return;
                }
                onData(whole, 0, total, whole.getByte(0), from, s);
            }
        }

        private void refuseMessage(int from, long s, boolean guaranteed, byte reason, long size, long limit) {
            Long2ObjectHashMap<Refusal> refusedFrom = refusedSeqs.get(from);
            if (refusedFrom == null) {
                refusedFrom = new Long2ObjectHashMap<>();
                refusedSeqs.put(from, refusedFrom);
            } else if (refusedFrom.size() >= DEDUPE_WINDOW) {
                refusedFrom.clear();
            }
            Refusal r = new Refusal(reason, size, limit, reassemblyBytes, guaranteed, now);
            refusedFrom.put(s, r);
            long n = reassemblyRefused.incrementAndGet();
            if (n <= 10 || LOG.isDebugEnabled()) {
                LOG.error("Network node {} refused message {} of node {} ({} refused so far): {}", settings.nodeId(), s, from, n,
                        refusal(reason, size, limit, reassemblyBytes));
            }
            if (guaranteed) {
                sendRefuse(from, s, r);
            }
        }

        private void sendRefuse(int from, long s, Refusal r) {
            Publication back = peers.get(from);
            if (back != null) {
                refuse.putByte(0, REFUSE);
                refuse.putByte(1, r.reason);
                refuse.putShort(2, (short) 0);
                refuse.putInt(4, settings.nodeId());
                refuse.putLong(8, s);
                refuse.putLong(16, r.size);
                refuse.putLong(24, r.limit);
                refuse.putLong(32, r.inUse);
                if (linkUp(from, refuse.byteArray(), REFUSE_LENGTH)) {
                    back.offer(refuse, 0, REFUSE_LENGTH);
                }
            }
        }

        /** The receiver refused a large message: a guaranteed one is dead-lettered with its reason (never sent again). */
        private void onRefuse(DirectBuffer b, int offset, int length, int from, long s) {
            if (length < REFUSE_LENGTH) {
                refusedVersion.incrementAndGet();
                LOG.warn("Network node {} ignored a refusal of {} bytes from node {}: too short", settings.nodeId(), length, from);
                return;
            }
            Long2ObjectHashMap<Unacked> pending = unacked.get(from);
            Unacked x = pending == null ? null : pending.remove(s);
            if (x == null) {
                return; // acknowledged or dead-lettered already, or a duplicate
            }
            cancel(x);
            release(x.out);
            refusedByPeer.incrementAndGet();
            deadLettered.incrementAndGet();
            deadLetters.accept(x.out.packet(), "node " + from + " refused it: "
                    + refusal(b.getByte(offset + 1), b.getLong(offset + 16), b.getLong(offset + 24), b.getLong(offset + 32)));
        }

        private void acknowledge(int to, long s) {
            Publication back = peers.get(to);
            if (back != null) {
                ack.putByte(0, ACK);
                ack.putInt(4, settings.nodeId());
                ack.putLong(8, s);
                if (linkUp(to, ack.byteArray(), 16)) {
                    back.offer(ack, 0, 16);
                }
            }
        }

        @Override
        public String roleName() {
            return "chronofabric-network-" + settings.nodeId();
        }
    }
}
