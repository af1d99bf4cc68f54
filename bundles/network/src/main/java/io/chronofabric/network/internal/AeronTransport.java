package io.chronofabric.network.internal;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.DriverTimeoutException;
import java.io.File;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's Aeron client comes from and which channels carry its frames.
 *
 * <ul>
 * <li><b>udp</b> (the default): the node runs an embedded media driver in a directory of its own
 * (deleted on start and on shutdown), subscribes to {@code aeron:udp?endpoint=<its host:port>} and
 * publishes to each peer's endpoint, all on stream {@value #UDP_STREAM}.</li>
 * <li><b>ipc</b>: the nodes of one machine share one media driver directory ({@code aeron.dir}, e.g.
 * under /dev/shm); {@code driver = embedded} launches the driver there (refused if an active one
 * runs there already: {@code dirDeleteOnStart = false}), {@code external} only connects (an
 * {@code aeronmd}, or another node, runs it) and {@code auto} connects when a driver is active and
 * launches one otherwise. Node n subscribes to {@code aeron:ipc} on stream {@code ipc.stream.base + n}
 * and every other node publishes to n on that stream: every receiver has a stream of its own, so
 * nodes never see each other's traffic; the senders to one node share that stream's publication in
 * the driver (Aeron allows one concurrent IPC publication per stream; frames carry their origin, and a
 * sender that dies mid-write is unblocked by the driver after its publication unblock timeout).
 * Another cluster on the same driver needs another {@code ipc.stream.base}.</li>
 * </ul>
 *
 * <p>A client whose driver stops answering (the node that ran it stopped, or {@code aeronmd} was
 * killed) is closed by Aeron after {@code driver.timeout.ms}: {@link #failure()} then says so, and
 * {@link #checkAlive()} refuses to send with that reason instead of offering into closed publications.
 */
final class AeronTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AeronTransport.class);

    /** The stream of every UDP frame (each node has an endpoint of its own). */
    static final int UDP_STREAM = 1401;

    /** The transport between the nodes. */
    enum Kind {
        UDP, IPC;

        static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("transport must be udp or ipc: '" + s + "'");
            }
        }
    }

    /** Who runs the shared media driver (ipc). */
    enum Driver {
        AUTO, EMBEDDED, EXTERNAL;

        static Driver parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("driver must be auto, embedded or external: '" + s + "'");
            }
        }
    }

    /**
     * @param kind            udp or ipc
     * @param driver          ipc: who runs the shared driver (udp: always an embedded driver of the node's own)
     * @param driverTimeoutMs how long the client waits for a driver's heartbeat (at connect and after)
     * @param ipcStreamBase   ipc: node n receives on stream {@code ipcStreamBase + n}
     */
    record Options(Kind kind, Driver driver, long driverTimeoutMs, int ipcStreamBase) {
        /** As before there was a choice: UDP, an embedded driver per node. */
        static final Options UDP = new Options(Kind.UDP, Driver.EMBEDDED, 10_000, 1500);

        Options {
            Objects.requireNonNull(kind, "transport");
            Objects.requireNonNull(driver, "driver");
            if (driverTimeoutMs < 100) {
                throw new IllegalArgumentException("driver.timeout.ms must be >= 100: " + driverTimeoutMs);
            }
            if (ipcStreamBase <= 0) {
                throw new IllegalArgumentException("ipc.stream.base must be > 0: " + ipcStreamBase);
            }
        }

        static Options ipc(Driver driver, long driverTimeoutMs) {
            return new Options(Kind.IPC, driver, driverTimeoutMs, 1500);
        }
    }

    private final Options options;
    private final int nodeId;
    private final Map<Integer, String> nodes;
    private final File dir;
    private final int termLength;
    private final MediaDriver driver;
    private final Aeron aeron;
    private volatile String failure;

    private AeronTransport(Options o, int nodeId, Map<Integer, String> nodes, File dir, int termLength) {
        this.options = o;
        this.nodeId = nodeId;
        this.nodes = nodes;
        this.dir = dir;
        this.termLength = termLength;
        if (o.kind() == Kind.IPC) {
            for (int id : nodes.keySet()) {
                if (id < 0 || (long) o.ipcStreamBase() + id > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("node id " + id + " gives no ipc stream (ipc.stream.base " + o.ipcStreamBase()
                            + " + id must be a positive int)");
                }
            }
        }
        MediaDriver d = null;
        Aeron a = null;
        try {
            d = launchDriverIfOurs();
            a = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(dir.getAbsolutePath())
                    .driverTimeoutMs(o.driverTimeoutMs())
                    .useConductorAgentInvoker(true)
                    .errorHandler(this::onClientError));
        } catch (DriverTimeoutException e) {
            CloseHelper.quietCloseAll(a, d);
            throw new IllegalStateException("no media driver answers in " + dir + " (driver = " + o.driver().name().toLowerCase(Locale.ROOT)
                    + ", waited " + o.driverTimeoutMs() + " ms): start one there (aeronmd, or a node with driver = embedded/auto) "
                    + "or fix aeron.dir: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            CloseHelper.quietCloseAll(a, d);
            throw e;
        }
        this.driver = d;
        this.aeron = a;
    }

    /** Opens the transport of a node: its driver when it runs one, and its client. */
    static AeronTransport open(Options o, int nodeId, Map<Integer, String> nodes, File dir, int termLength) {
        return new AeronTransport(o, nodeId, nodes, dir, termLength);
    }

    private MediaDriver launchDriverIfOurs() {
        if (options.kind() == Kind.UDP) {
            return MediaDriver.launch(driverContext().dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        }
        switch (options.driver()) {
            case EXTERNAL:
                return null;
            case AUTO:
                if (dir.exists() && CommonContext.isDriverActive(dir, options.driverTimeoutMs(), m -> LOG.debug("{}", m))) {
                    LOG.info("Network node {}: a media driver is active in {}; connecting to it (ipc)", nodeId, dir);
                    return null;
                }
                try {
                    return launchShared();
                } catch (io.aeron.driver.exceptions.ActiveDriverException e) {
                    LOG.info("Network node {}: another media driver became active in {} meanwhile; connecting to it", nodeId, dir);
                    return null;
                }
            case EMBEDDED:
            default:
                try {
                    return launchShared();
                } catch (io.aeron.driver.exceptions.ActiveDriverException e) {
                    throw new IllegalStateException("driver = embedded but a media driver is active in " + dir
                            + " already (another node or aeronmd runs it): use driver = external or auto there, or another aeron.dir", e);
                }
        }
    }

    private MediaDriver launchShared() {
        // dirDeleteOnStart = false: an active driver there is refused (ActiveDriverException), a stale one replaced
        MediaDriver d = MediaDriver.launch(driverContext().dirDeleteOnStart(false).dirDeleteOnShutdown(true));
        LOG.info("Network node {} runs the shared media driver in {} (ipc)", nodeId, dir);
        return d;
    }

    private MediaDriver.Context driverContext() {
        return new MediaDriver.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
                .termBufferSparseFile(true)
                .publicationTermBufferLength(termLength)
                .ipcTermBufferLength(termLength)
                .driverTimeoutMs(options.driverTimeoutMs());
    }

    private void onClientError(Throwable t) {
        if (t instanceof DriverTimeoutException || t instanceof io.aeron.exceptions.ClientTimeoutException) {
            failure = "the media driver in " + dir + " stopped answering (no heartbeat within driver.timeout.ms = "
                    + options.driverTimeoutMs() + " ms; " + (driver != null ? "this node ran it" : "another process ran it")
                    + "): the Aeron client closed, nothing is sent or received until the node is restarted";
            LOG.error("Network node {}: {}", nodeId, failure);
        } else if (t instanceof org.agrona.concurrent.AgentTerminationException) {
            LOG.debug("Network node {}: Aeron client terminated ({})", nodeId, failure);
        } else {
            LOG.warn("Network node {}: Aeron client error: {}", nodeId, t.toString(), t);
        }
    }

    Aeron aeron() {
        return aeron;
    }

    Kind kind() {
        return options.kind();
    }

    Options options() {
        return options;
    }

    /** The directory of the driver this node's client uses. */
    File dir() {
        return dir;
    }

    /** Whether this node runs the driver it uses. */
    boolean ownsDriver() {
        return driver != null;
    }

    /** Why the transport no longer works (its driver died), or null while it works. */
    String failure() {
        String f = failure;
        if (f == null && aeron.isClosed()) {
            return "the Aeron client of node " + nodeId + " (driver in " + dir + ") is closed";
        }
        return f;
    }

    /** @throws IllegalStateException with {@link #failure()} when the client lost its driver */
    void checkAlive() {
        String f = failure;
        if (f != null || aeron.isClosed()) {
            throw new IllegalStateException("Network node " + nodeId + " cannot send: " + failure());
        }
    }

    String subscriptionChannel() {
        return options.kind() == Kind.UDP ? "aeron:udp?endpoint=" + nodes.get(nodeId) : "aeron:ipc";
    }

    int subscriptionStream() {
        return options.kind() == Kind.UDP ? UDP_STREAM : options.ipcStreamBase() + nodeId;
    }

    String publicationChannel(int peer) {
        if (options.kind() == Kind.UDP) {
            return "aeron:udp?endpoint=" + nodes.get(peer) + "|term-length=" + termLength;
        }
        // the receiver's stream; the driver shares one publication per stream among its clients (a session id per
        // sender is refused there: "existing publication has different 'session-id'"): frames carry their origin
        return "aeron:ipc?term-length=" + termLength;
    }

    int publicationStream(int peer) {
        return options.kind() == Kind.UDP ? UDP_STREAM : options.ipcStreamBase() + peer;
    }

    /** For the health row: {@code udp on host:port} or {@code ipc on stream n of <dir> (driver ours|shared)}. */
    String describe() {
        return options.kind() == Kind.UDP ? "udp on " + nodes.get(nodeId)
                : "ipc on stream " + subscriptionStream() + " of " + dir + " (" + (driver != null ? "runs the driver" : "driver shared")
                        + ")";
    }

    @Override
    public void close() {
        CloseHelper.quietCloseAll(aeron, driver);
    }
}
