package io.chronofabric.consensus.aeron.internal;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.security.AuthorisationService;
import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Aeron Cluster member: an embedded media driver (SHARED threading), archive (SHARED),
 * consensus module and the clustered service container running {@link LogService}, all in the
 * node's own directory and configured through their Context objects (no {@code aeron.*}
 * system properties). Back-off idling: the node sleeps when there is nothing to do.
 */
final class AeronNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AeronNode.class);

    /** Spin a little, yield a little, then park from 1 µs up to 1 ms. */
    static final Supplier<IdleStrategy> IDLE = () -> new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);

    private static final String LOCAL_CONTROL_CHANNEL = "aeron:ipc?term-length=64k";
    private static final int LOCAL_CONTROL_STREAM_ID = 10;

    private final NodeDirLock dirLock;
    private final ArchiveCleanup.Result cleanup;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;

    private AeronNode(NodeDirLock dirLock, ArchiveCleanup.Result cleanup, ClusteredMediaDriver driver,
            ClusteredServiceContainer container) {
        this.dirLock = dirLock;
        this.cleanup = cleanup;
        this.driver = driver;
        this.container = container;
    }

    /**
     * Takes the node directory's lock, removes the archive purge's leftovers from recording.log
     * and the catalog while nothing has them open ({@link ArchiveCleanup}), then launches.
     */
    static AeronNode launch(ConsensusSettings s, ClusteredService service, LoggingErrorHandler errors) {
        NodeDirLock lock = NodeDirLock.acquire(s.nodeDir());
        try {
            ArchiveCleanup.Result cleanup = ArchiveCleanup.run("node-" + s.nodeId(), new File(s.nodeDir(), "cluster"),
                    new File(s.nodeDir(), "archive"), s.retainSnapshots());
            return launch(s, service, errors, lock, cleanup);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static AeronNode launch(ConsensusSettings s, ClusteredService service, LoggingErrorHandler errors,
            NodeDirLock lock, ArchiveCleanup.Result cleanup) {
        File nodeDir = s.nodeDir();
        String driverDir = s.driverDir();
        String host = ConsensusSettings.host(s.self());
        int termLength = s.termLength();

        MediaDriver.Context driverCtx = new MediaDriver.Context()
                .aeronDirectoryName(driverDir)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(IDLE.get())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(termLength)
                .ipcTermBufferLength(termLength)
                .errorHandler(errors);

        Archive.Context archiveCtx = new Archive.Context()
                .aeronDirectoryName(driverDir)
                .archiveDir(new File(nodeDir, "archive"))
                .archiveId(s.nodeId())
                .controlChannel("aeron:udp?endpoint=" + ConsensusSettings.endpoint(s.self(), 4))
                .localControlChannel(LOCAL_CONTROL_CHANNEL)
                .localControlStreamId(LOCAL_CONTROL_STREAM_ID)
                .replicationChannel("aeron:udp?endpoint=" + host + ":0")
                .archiveClientContext(new AeronArchive.Context()
                        .controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
                .recordingEventsEnabled(false)
                .segmentFileLength(s.archiveSegmentLength())
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(IDLE)
                .errorHandler(errors);

        AeronArchive.Context localArchive = localArchiveContext(driverDir).lock(NoOpLock.INSTANCE);

        File clusterDir = new File(nodeDir, "cluster");
        ConsensusModule.Context cmCtx = new ConsensusModule.Context()
                .clusterMemberId(s.nodeId())
                .clusterMembers(s.clusterMembers())
                .clusterDir(clusterDir)
                .aeronDirectoryName(driverDir)
                .archiveContext(localArchive.clone())
                .serviceCount(1)
                .ingressChannel("aeron:udp?term-length=" + termLength)
                .logChannel("aeron:udp?term-length=" + termLength)
                .replicationChannel("aeron:udp?endpoint=" + host + ":0")
                .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(s.electionTimeoutMs()))
                .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(s.heartbeatTimeoutMs()))
                .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(Math.max(10, s.heartbeatTimeoutMs() / 10)))
                .startupCanvassTimeoutNs(TimeUnit.MILLISECONDS.toNanos(s.canvassTimeoutMs()))
                .sessionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(s.sessionTimeoutMs()))
                // admin requests (snapshots) come from our own proposer
                .authorisationServiceSupplier(() -> AuthorisationService.ALLOW_ALL)
                .idleStrategySupplier(IDLE)
                .errorHandler(errors);

        ClusteredServiceContainer.Context serviceCtx = new ClusteredServiceContainer.Context()
                .aeronDirectoryName(driverDir)
                .archiveContext(localArchive.clone())
                .clusterDir(clusterDir)
                .clusteredService(service)
                .serviceId(0)
                .idleStrategySupplier(IDLE)
                .errorHandler(errors);

        ClusteredMediaDriver driver = ClusteredMediaDriver.launch(driverCtx, archiveCtx, cmCtx);
        try {
            ClusteredServiceContainer container = ClusteredServiceContainer.launch(serviceCtx);
            return new AeronNode(lock, cleanup, driver, container);
        } catch (RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    /** A client context of the node's archive over IPC (the consensus module's, the service's, the purger's). */
    static AeronArchive.Context localArchiveContext(String driverDir) {
        return new AeronArchive.Context()
                .controlRequestChannel(LOCAL_CONTROL_CHANNEL)
                .controlRequestStreamId(LOCAL_CONTROL_STREAM_ID)
                .controlResponseChannel(LOCAL_CONTROL_CHANNEL)
                .aeronDirectoryName(driverDir);
    }

    /** What the start-up clean-up of the archive purge's leftovers did. */
    ArchiveCleanup.Result cleanup() {
        return cleanup;
    }

    @Override
    public void close() {
        try {
            CloseHelper.closeAll(container, driver);
        } finally {
            dirLock.close();
        }
    }

    /**
     * Logs Aeron's errors through SLF4J, naming the node; while the node closes (its parts see
     * each other go) at debug level only.
     */
    static final class LoggingErrorHandler implements ErrorHandler {
        private final String node;
        private volatile boolean closing;

        LoggingErrorHandler(String node) {
            this.node = node;
        }

        void closing() {
            closing = true;
        }

        @Override
        public void onError(Throwable throwable) {
            if (closing) {
                LOG.debug("Aeron Cluster error on {} while it closes: {}", node, throwable.toString());
            } else {
                LOG.warn("Aeron Cluster error on {}: {}", node, throwable.toString());
                LOG.debug("Aeron Cluster error on {}", node, throwable);
            }
        }
    }
}
