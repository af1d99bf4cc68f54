package io.chronofabric.consensus.aeron.internal;

import io.aeron.Aeron;
import io.aeron.cluster.service.Cluster;
import io.chronofabric.api.consensus.ClusterView;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.consensus.DistributedLock;
import io.chronofabric.api.consensus.ReplicatedLedger;
import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;
import io.chronofabric.api.consensus.MemberStatus;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the Consensus port on Aeron Cluster, without OSGi (the DS component and the tests
 * use it). {@link #start} launches the Aeron node, its proposer and its learner dispatcher.
 */
public final class AeronConsensus implements Consensus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AeronConsensus.class);

    private final ConsensusSettings settings;
    private final CommittedLog log;
    private final LogService service;
    private final AeronNode node;
    private final Aeron aeron;
    private final Proposer proposer;
    private final LearnDispatcher dispatcher;
    private final ConsensusLock lock;
    private final ReplicatedLedger ledger;
    private final AgentRunner proposerRunner;
    private final AgentRunner dispatcherRunner;
    private final LogPurger purger;
    private final AgentRunner purgerRunner;
    private final Set<String> members;
    private final AeronNode.LoggingErrorHandler errors;
    private final long startedAtMs = System.currentTimeMillis();

    private AeronConsensus(ConsensusSettings settings) {
        this.settings = settings;
        this.log = new CommittedLog(settings.retainValues());
        this.service = new LogService(log);
        Set<String> m = new LinkedHashSet<>();
        settings.members().keySet().forEach(id -> m.add(ConsensusSettings.memberName(id)));
        this.members = Set.copyOf(m);
        this.errors = new AeronNode.LoggingErrorHandler("node-" + settings.nodeId());
        AeronNode n = null;
        Aeron a = null;
        try {
            n = AeronNode.launch(settings, service, errors);
            a = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(settings.driverDir())
                    .useConductorAgentInvoker(true)
                    .errorHandler(errors));
        } catch (RuntimeException e) {
            CloseHelper.quietCloseAll(a, n);
            throw e;
        }
        this.node = n;
        this.aeron = a;
        this.proposer = new Proposer(settings, service, aeron, errors);
        this.lock = new ConsensusLock(proposer, service.locks());
        this.ledger = new ConsensusLedger(proposer, service.ledger());
        this.dispatcher = new LearnDispatcher(log, "chronofabric-consensus-learners-" + settings.nodeId());
        this.proposerRunner = new AgentRunner(proposer.idleStrategy(AeronNode.IDLE.get()), this::agentError, null,
                proposer);
        this.dispatcherRunner = new AgentRunner(AeronNode.IDLE.get(), this::agentError, null, dispatcher);
        this.purger = new LogPurger(settings, service, proposer, this::memberStatus, errors);
        this.purgerRunner = new AgentRunner(new org.agrona.concurrent.SleepingMillisIdleStrategy(100), this::agentError,
                null, purger);
    }

    /** Starts a node; returns once its Aeron parts run (the election goes on in the background). */
    public static AeronConsensus start(ConsensusSettings settings) {
        AeronConsensus c = new AeronConsensus(Objects.requireNonNull(settings, "settings"));
        AgentRunner.startOnThread(c.proposerRunner);
        AgentRunner.startOnThread(c.dispatcherRunner);
        AgentRunner.startOnThread(c.purgerRunner);
        LOG.info("Consensus node-{} started: members {}, directory {}, snapshot every {} values, {}", settings.nodeId(),
                settings.members(), settings.nodeDir(), settings.snapshotInterval(), settings.retainSnapshots() == 0
                        ? "archive log kept whole (retain.snapshots = 0)"
                        : "archive log purged before the oldest of " + settings.retainSnapshots() + " snapshots");
        return c;
    }

    private void agentError(Throwable t) {
        LOG.warn("Consensus node-{} agent error: {}", settings.nodeId(), t.toString(), t);
    }

    public ConsensusSettings settings() {
        return settings;
    }

    /** Applies the settings a running node can change (proposal timeout, snapshot interval). */
    public void apply(ConsensusSettings s) {
        proposer.apply(s);
        purger.apply(s);
    }

    @Override
    public CompletionStage<CommittedValue> propose(byte[] value) {
        Objects.requireNonNull(value, "value");
        return proposer.propose(value);
    }

    /** As {@link #propose}, typed for callers in this bundle. */
    CompletableFuture<CommittedValue> proposeFuture(byte[] value) {
        Objects.requireNonNull(value, "value");
        return proposer.propose(value);
    }

    /** The node's replicated ledger: appends in the same replicated log. */
    public ReplicatedLedger ledger() {
        return ledger;
    }

    /** The node's distributed lock: commands in the same replicated log. */
    public DistributedLock lock() {
        return lock;
    }

    @Override
    public LearnHandle learn(long fromIndex, Consumer<CommittedValue> learner) {
        Objects.requireNonNull(learner, "learner");
        return dispatcher.add(fromIndex, learner);
    }

    @Override
    public long commitIndex() {
        return log.size() - 1;
    }

    @Override
    public ClusterView view() {
        return new ClusterView(ConsensusSettings.memberName(settings.nodeId()), leader().map(ConsensusSettings::memberName),
                members, service.term());
    }

    /**
     * Asks the local consensus module for its members (Aeron's ClusterTool list-members): the
     * leader knows every follower's log position, a follower little. Blocks up to 2 s.
     */
    @Override
    public List<MemberStatus> memberStatus() {
        // each query connects a client to the local consensus module: answer from a second-old one
        long now = System.nanoTime();
        CachedMembers c = cachedMembers;
        if (c != null && now - c.atNanos < 1_000_000_000L) {
            return c.members;
        }
        synchronized (this) {
            c = cachedMembers;
            if (c != null && System.nanoTime() - c.atNanos < 1_000_000_000L) {
                return c.members;
            }
            List<MemberStatus> fresh = List.copyOf(queryMembers());
            cachedMembers = new CachedMembers(System.nanoTime(), fresh);
            return fresh;
        }
    }

    private record CachedMembers(long atNanos, List<MemberStatus> members) {
    }

    private volatile CachedMembers cachedMembers;

    private List<MemberStatus> queryMembers() {
        ClusterMembership m = new ClusterMembership();
        boolean ok;
        try {
            ok = ClusterTool.listMembers(m, new File(settings.nodeDir(), "cluster"), 2_000);
        } catch (RuntimeException e) {
            LOG.debug("Consensus node-{}: list-members failed: {}", settings.nodeId(), e.toString());
            ok = false;
        }
        if (!ok || m.activeMembers == null) {
            return Consensus.super.memberStatus();
        }
        long top = -1;
        for (ClusterMember c : m.activeMembers) {
            top = Math.max(top, c.logPosition());
        }
        List<MemberStatus> out = new ArrayList<>();
        Optional<Integer> leader = leader();
        for (int id : settings.members().keySet()) {
            long position = -1;
            for (ClusterMember c : m.activeMembers) {
                if (c.id() == id && c.logPosition() >= 0) {
                    position = c.logPosition();
                }
            }
            out.add(new MemberStatus(ConsensusSettings.memberName(id), leader.filter(l -> l == id).isPresent(), position,
                    position < 0 ? -1 : top - position));
        }
        return out;
    }

    /** The leader this node knows: itself when its role is leader, else the log's or its client's. */
    Optional<Integer> leader() {
        if (service.role() == Cluster.Role.LEADER) {
            return Optional.of(settings.nodeId());
        }
        int fromClient = proposer.clientLeader();
        if (fromClient >= 0) {
            return Optional.of(fromClient);
        }
        int fromLog = service.leaderMemberId();
        return fromLog >= 0 && service.started() && service.role() == Cluster.Role.FOLLOWER
                ? Optional.of(fromLog) : Optional.empty();
    }

    /** What the console shows about this node. */
    public Status status() {
        return new Status(settings.nodeId(), view(), service.role().name(), commitIndex(), log.firstIndex(),
                service.lastSnapshotIndex(), proposer.pendingCount(), proposer.committedCount(),
                proposer.failedCount(), dispatcher.learnerCount(), dispatcher.learnerErrors(), proposer.connected(),
                settings.nodeDir().getAbsolutePath(), startedAtMs, purger.retainSnapshots(), purger.logStartPosition(),
                purger.archiveBytes(), purger.segmentsDeleted(), purger.snapshotRecordingsDeleted());
    }

    /** What the start-up clean-up removed of the archive purge's leftovers (recording.log, catalog). */
    ArchiveCleanup.Result startupCleanup() {
        return node.cleanup();
    }

    /** Times the purger asked the consensus module to invalidate recording.log entries of deleted recordings. */
    long recordingLogValidations() {
        return purger.validationsRequested();
    }

    /** Messages this node's proposer sent carrying two proposals or more. */
    long batchCount() {
        return proposer.batchCount();
    }

    /** The committed value at {@code index} if this node still holds it. */
    public Optional<CommittedValue> get(long index) {
        return Optional.ofNullable(log.get(index));
    }

    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public void close() {
        errors.closing();
        CloseHelper.quietClose(proposerRunner);
        proposer.failRemaining();
        CloseHelper.quietClose(dispatcherRunner);
        CloseHelper.quietClose(purgerRunner);
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(node);
        LOG.info("Consensus node-{} closed", settings.nodeId());
    }

    /**
     * @param nodeId          this node's member id
     * @param view            members, leader, term
     * @param role            LEADER, FOLLOWER or CANDIDATE
     * @param commitIndex     last committed index applied here, -1 for none
     * @param firstIndex      smallest index still held (compaction)
     * @param snapshotIndex   last index covered by a snapshot, -1 for none
     * @param pending         proposals waiting or in flight
     * @param committed       proposals of this node confirmed
     * @param failed          proposals of this node failed (timeouts, full queue)
     * @param learners        registered learners
     * @param learnerErrors   exceptions thrown by learners
     * @param clientConnected whether this node's client holds a cluster session
     * @param directory       this node's directory
     * @param startedAtMs     wall-clock start of this node
     * @param retainSnapshots snapshots kept (0 = the archive keeps the whole log)
     * @param logStartPosition first position of the log recording still in the archive, -1 before
     *                        the purger looked
     * @param archiveBytes    size of the node's archive directory, -1 before the purger looked
     * @param segmentsDeleted log segment files purged since the node started
     * @param snapshotsDeleted snapshot recordings deleted since the node started
     */
    public record Status(int nodeId, ClusterView view, String role, long commitIndex, long firstIndex,
            long snapshotIndex, int pending, long committed, long failed, int learners, long learnerErrors,
            boolean clientConnected, String directory, long startedAtMs, int retainSnapshots, long logStartPosition,
            long archiveBytes, long segmentsDeleted, long snapshotsDeleted) {
    }
}
