package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
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
 * One node of the bus across nodes: an embedded Aeron media driver (SHARED threading, back-off
 * idling, its own directory), a UDP subscription on this node's endpoint and an exclusive
 * publication to every peer. {@link #send} encodes on the caller's thread (an unserializable
 * payload fails there), the agent thread sends, acknowledges, retransmits and times out; received
 * packets get their HLC timestamp merged by the receive rule before the listener sees them.
 *
 * <p>Frames (Agrona, little endian): DATA {@code [byte 1][byte guaranteed][short 0][int origin]
 * [long seq][long messageId][int priority][long deadline][long targetMask][long hlcPhysical]
 * [long hlcLogical][int hlcNode][channel][codec name][int n][payload]}; ACK {@code [byte 2][3 x 0]
 * [int acker][long seq]}.
 */
public final class NetworkNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNode.class);
    private static final byte DATA = 1;
    private static final byte ACK = 2;
    private static final int STREAM = 1401;
    private static final int DEDUPE_WINDOW = 65_536;

    /**
     * @param nodeId         this node's id
     * @param nodes          node id to {@code host:port} (this node included)
     * @param dir            the media driver's directory
     * @param termLength     term buffer length (power of 2, >= 64 KiB)
     * @param retransmitMs   how long a guaranteed packet waits for its acknowledgement before it is sent again
     * @param unreachableMs  how long a guaranteed packet is retried before it is dead-lettered
     * @param maxQueued      packets waiting to be sent at most
     */
    public record Settings(int nodeId, Map<Integer, String> nodes, File dir, int termLength, long retransmitMs,
            long unreachableMs, int maxQueued) {
        public Settings {
            nodes = Map.copyOf(nodes);
            if (!nodes.containsKey(nodeId)) {
                throw new IllegalArgumentException("node.id " + nodeId + " is not one of the nodes " + new TreeMap<>(nodes).keySet());
            }
            if (retransmitMs <= 0 || unreachableMs <= 0) {
                throw new IllegalArgumentException("retransmit.ms and unreachable.ms must be > 0: " + retransmitMs + ", " + unreachableMs);
            }
        }
    }

    private record Outgoing(WirePacket packet, byte[] frame) {
    }

    private static final class Unacked {
        final Outgoing out;
        final long firstSentMs;
        long lastSentMs;
        int sends;

        Unacked(Outgoing out, long now) {
            this.out = out;
            this.firstSentMs = now;
            this.lastSentMs = now;
        }
    }

    private final Settings settings;
    private final CodecRegistry codecs;
    private final HlcClock hlc;
    private final Consumer<Delivered> listener;
    private final BiConsumer<WirePacket, String> deadLetters;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription subscription;
    private final Int2ObjectHashMap<ExclusivePublication> peers = new Int2ObjectHashMap<>();
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
        MediaDriver d = null;
        Aeron a = null;
        try {
            d = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(s.dir().getAbsolutePath())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .termBufferSparseFile(true)
                    .publicationTermBufferLength(s.termLength())
                    .ipcTermBufferLength(s.termLength()));
            a = Aeron.connect(new Aeron.Context().aeronDirectoryName(s.dir().getAbsolutePath()).useConductorAgentInvoker(true));
            this.driver = d;
            this.aeron = a;
            this.subscription = a.addSubscription("aeron:udp?endpoint=" + s.nodes().get(s.nodeId()), STREAM);
            for (Map.Entry<Integer, String> n : s.nodes().entrySet()) {
                if (n.getKey() != s.nodeId()) {
                    peers.put(n.getKey(), a.addExclusivePublication("aeron:udp?endpoint=" + n.getValue() + "|term-length="
                            + s.termLength(), STREAM));
                    unacked.put(n.getKey(), new Long2ObjectHashMap<>());
                }
            }
        } catch (RuntimeException e) {
            CloseHelper.quietCloseAll(a, d);
            throw e;
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
        Objects.requireNonNull(p, "packet");
        PayloadCodec<Object> codec = codecs.forPayload(p.payload(), p.channel());
        byte[] bytes;
        try {
            bytes = codec.encode(p.payload());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Payload codec '" + codec.name() + "' cannot encode the payload on channel "
                    + p.channel() + ": " + e.getMessage(), e);
        }
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(96 + p.channel().length() * 3 + bytes.length);
        long s = seq.incrementAndGet();
        int i = 0;
        b.putByte(i, DATA);
        b.putByte(i + 1, (byte) (p.guaranteed() ? 1 : 0));
        b.putShort(i + 2, (short) 0);
        b.putInt(i + 4, settings.nodeId());
        b.putLong(i + 8, s);
        b.putLong(i + 16, p.messageId());
        b.putInt(i + 24, p.priority());
        b.putLong(i + 28, p.deadlineNanos());
        b.putLong(i + 36, p.targetMask());
        b.putLong(i + 44, p.timestamp().physical());
        b.putLong(i + 52, p.timestamp().logical());
        b.putInt(i + 60, p.timestamp().nodeId());
        i = 64;
        i += b.putStringUtf8(i, p.channel());
        i += b.putStringUtf8(i, codec.name());
        b.putInt(i, bytes.length);
        b.putBytes(i + 4, bytes);
        i += 4 + bytes.length;
        byte[] frame = new byte[i];
        b.getBytes(0, frame);
        WirePacket stamped = p.origin() == settings.nodeId() ? p : new WirePacket(settings.nodeId(), p.channel(), p.payload(),
                p.messageId(), p.priority(), p.deadlineNanos(), p.targetMask(), p.timestamp(), p.guaranteed());
        return queue.offer(new Outgoing(stamped, frame));
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
        return m;
    }

    @Override
    public void close() {
        CloseHelper.quietClose(runner);
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
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
            Outgoing o;
            while ((o = queue.poll()) != null) {
                work++;
                for (Int2ObjectHashMap<ExclusivePublication>.EntryIterator it = peers.entrySet().iterator(); it.hasNext();) {
                    it.next();
                    int peer = it.getIntKey();
                    boolean ok = offer(it.getValue(), o.frame());
                    if (o.packet().guaranteed()) {
                        long s = frameSeq(o.frame());
                        unacked.get(peer).put(s, new Unacked(o, now));
                    } else if (!ok) {
                        dropped.incrementAndGet();
                    }
                }
                sent.incrementAndGet();
            }
            work += subscription.poll(assembler, 64);
            if (now - lastTimeoutCheckMs >= Math.min(10, settings.retransmitMs())) {
                lastTimeoutCheckMs = now;
                work += timeouts(now);
            }
            return work;
        }

        private boolean offer(ExclusivePublication pub, byte[] frame) {
            frameBuffer.wrap(frame);
            long r = pub.offer(frameBuffer, 0, frame.length);
            // ADMIN_ACTION (a term rotation) means "try again now"; a few tries, never a drop for it
            for (int i = 0; i < 8 && r == Publication.ADMIN_ACTION; i++) {
                r = pub.offer(frameBuffer, 0, frame.length);
            }
            return r > 0;
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
                        expired.add(frameSeq(x.out.frame()));
                        deadLettered.incrementAndGet();
                        deadLetters.accept(x.out.packet(), "node " + peer + " unreachable: no acknowledgement within "
                                + settings.unreachableMs() + " ms (unreachable.ms), sent " + (x.sends + 1) + " times");
                    } else if (now - x.lastSentMs >= settings.retransmitMs()) {
                        x.lastSentMs = now;
                        x.sends++;
                        retransmits.incrementAndGet();
                        offer(peers.get(peer), x.out.frame());
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
                if (pending != null) {
                    pending.remove(s);
                }
                return;
            }
            if (type != DATA) {
                LOG.warn("Network node {} ignored a frame of unknown type {} from node {}", settings.nodeId(), type, from);
                return;
            }
            boolean guaranteed = b.getByte(offset + 1) != 0;
            if (guaranteed) {
                ExclusivePublication back = peers.get(from);
                if (back != null) {
                    ack.putByte(0, ACK);
                    ack.putInt(4, settings.nodeId());
                    ack.putLong(8, s);
                    back.offer(ack, 0, 16);
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
            int i = offset + 64;
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
                    b.getLong(offset + 28), b.getLong(offset + 36), remote, guaranteed);
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
