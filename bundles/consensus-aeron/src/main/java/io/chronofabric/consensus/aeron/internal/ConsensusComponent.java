package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.ClusterView;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.consensus.DistributedLock;
import io.chronofabric.api.consensus.LedgerAppend;
import io.chronofabric.api.consensus.Lease;
import io.chronofabric.api.consensus.ReplicatedLedger;
import io.chronofabric.api.consensus.MemberStatus;
import io.chronofabric.api.core.InitializationException;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node of the cluster as the {@link Consensus}, {@link DistributedLock} and
 * {@link ReplicatedLedger} services (one replicated log),
 * configured by {@code etc/io.chronofabric.consensus.cfg}. A change of membership, directories,
 * timeouts of the consensus module or buffer sizes restarts the node from its directory; the
 * proposal timeout and snapshot interval apply at once.
 */
@Component(name = ConsensusConfig.PID, configurationPid = ConsensusConfig.PID, immediate = true,
        service = {Consensus.class, DistributedLock.class, ReplicatedLedger.class})
@Designate(ocd = ConsensusConfig.class)
public final class ConsensusComponent implements Consensus, DistributedLock, ReplicatedLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ConsensusComponent.class);

    private volatile AeronConsensus node;

    @Activate
    synchronized void activate(BundleContext bc, ConsensusConfig config) {
        node = start(settings(bc, config));
    }

    @Modified
    synchronized void modified(BundleContext bc, ConsensusConfig config) {
        ConsensusSettings next = settings(bc, config);
        AeronConsensus current = node;
        if (current.settings().sameNode(next)) {
            current.apply(next);
            LOG.info("Consensus node-{}: proposal timeout {} ms, snapshot interval {}, retained snapshots {} applied",
                    next.nodeId(), next.proposalTimeoutMs(), next.snapshotInterval(), next.retainSnapshots());
            return;
        }
        LOG.info("Consensus configuration changed: restarting node-{} as node-{} of {}", current.settings().nodeId(),
                next.nodeId(), next.members());
        current.close();
        node = start(next);
    }

    @Deactivate
    synchronized void deactivate() {
        node.close();
    }

    private static AeronConsensus start(ConsensusSettings s) {
        try {
            return AeronConsensus.start(s);
        } catch (RuntimeException e) {
            throw new InitializationException("consensus", "node-" + s.nodeId() + " cannot start in " + s.nodeDir() + ": "
                    + e.getMessage(), e);
        }
    }

    static ConsensusSettings settings(BundleContext bc, ConsensusConfig c) {
        File dir;
        if (c.dir() != null && !c.dir().isBlank()) {
            dir = new File(c.dir());
        } else if (bc != null && bc.getProperty("karaf.data") != null) {
            dir = new File(new File(bc.getProperty("karaf.data"), "chronofabric"), "consensus");
        } else if (bc != null) {
            dir = bc.getDataFile("consensus");
        } else {
            dir = new File("consensus");
        }
        try {
            return new ConsensusSettings(c.node_id(), ConsensusSettings.parseMembers(c.members()), dir,
                    c.aeron_dir() == null ? "" : c.aeron_dir(), c.proposal_timeout_ms(), c.election_timeout_ms(),
                    c.heartbeat_timeout_ms(), c.canvass_timeout_ms(), c.session_timeout_ms(), c.term_length(),
                    c.snapshot_interval(), c.retain_values(), c.max_pending(), c.retain_snapshots(),
                    c.archive_segment_length());
        } catch (IllegalArgumentException e) {
            throw new InitializationException("consensus", "configuration " + ConsensusConfig.PID + " refused: "
                    + e.getMessage(), e);
        }
    }

    /** The running node, for the console. */
    AeronConsensus node() {
        return node;
    }

    @Override
    public CompletionStage<CommittedValue> propose(byte[] value) {
        return node.propose(value);
    }

    @Override
    public LearnHandle learn(long fromIndex, Consumer<CommittedValue> learner) {
        return node.learn(fromIndex, learner);
    }

    @Override
    public long commitIndex() {
        return node.commitIndex();
    }

    @Override
    public ClusterView view() {
        return node.view();
    }

    @Override
    public List<MemberStatus> memberStatus() {
        return node.memberStatus();
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String name, String owner, Duration leaseTime) {
        return node.lock().tryAcquire(name, owner, leaseTime);
    }

    @Override
    public CompletionStage<Boolean> release(Lease lease) {
        return node.lock().release(lease);
    }

    @Override
    public Optional<Lease> holder(String name) {
        return node.lock().holder(name);
    }

    @Override
    public CompletionStage<LedgerAppend> append(byte[] entry) {
        return node.ledger().append(entry);
    }

    @Override
    public long size() {
        return node.ledger().size();
    }

    @Override
    public byte[] rootHash(long size) {
        return node.ledger().rootHash(size);
    }

    @Override
    public byte[] entry(long index) {
        return node.ledger().entry(index);
    }
}
