package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import io.chronofabric.api.consensus.DistributedLock;
import io.chronofabric.api.consensus.Lease;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The cluster feature {@code chronofabric-cluster} installed offline into the distribution (it is
 * not a boot feature): a single-node Aeron Cluster (members = itself) on free loopback ports
 * commits proposals, serves the console commands and grants locks with fencing tokens.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClusterIT extends ChronoFabricTestSupport {

    private static int freeBase() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 30_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(2_000) * 10;
            boolean free = true;
            for (int p = base; p < base + 5 && free; p++) {
                try (DatagramSocket s = new DatagramSocket(p, InetAddress.getByName("127.0.0.1"))) {
                    s.getLocalPort();
                } catch (Exception e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no five free UDP ports in a row on 127.0.0.1");
    }

    @Before
    public void installCluster() throws Exception {
        boolean installed = java.util.Arrays.stream(bundleContext.getBundles())
                .anyMatch(b -> "io.chronofabric.consensus.aeron".equals(b.getSymbolicName()));
        if (!installed) {
            Configuration config = service(ConfigurationAdmin.class).getConfiguration("io.chronofabric.consensus", "?");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("node.id", "0");
            props.put("members", "0=127.0.0.1:" + freeBase());
            props.put("term.length", "65536");
            config.update(props);
            service(FeaturesService.class).installFeature("chronofabric-cluster",
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        Consensus consensus = service(Consensus.class);
        waitFor(() -> consensus.view().isLeader(), "node-0 to lead its single-node cluster");
    }

    @Test
    public void aSingleNodeClusterCommitsFromTheApiAndTheConsoleAndGrantsLocks() throws Exception {
        Consensus consensus = service(Consensus.class);
        CommittedValue first = consensus.propose("from the api".getBytes(StandardCharsets.UTF_8)).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        String proposed = execute("csf:propose from the console");
        assertContains(proposed, "Committed index " + (first.index() + 1) + " in term " + first.term());
        assertEquals(first.index() + 1, consensus.commitIndex());

        String cluster = execute("csf:cluster");
        assertContains(cluster, "This node   : node-0 (leader)");
        assertContains(cluster, "Commit index: " + (first.index() + 1));
        assertContains(cluster, "Members     : 1 (quorum 1)");

        String log = execute("csf:cluster-log");
        assertContains(log, "\"from the api\"");
        assertContains(log, "\"from the console\"");

        DistributedLock lock = service(DistributedLock.class);
        Lease lease = lock.tryAcquire("orders", "it", Duration.ofMinutes(1)).toCompletableFuture()
                .get(60, TimeUnit.SECONDS).orElseThrow();
        assertContains(execute("csf:lock --owner other orders"), "Refused: lock 'orders' held by it, fencing token "
                + lease.fencingToken());
        assertTrue(lock.release(lease).toCompletableFuture().get(60, TimeUnit.SECONDS));
        assertContains(execute("csf:lock --owner console orders"), "Acquired: lock 'orders' held by console");
        Optional<Lease> now = lock.holder("orders");
        assertTrue(now.isPresent() && now.get().fencingToken() > lease.fencingToken());

        // the replicated ledger: RFC 6962 root of one entry "x" = SHA-256(0x00 || "x")
        String appended = execute("csf:cluster-ledger --append x");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        String leaf = java.util.HexFormat.of().formatHex(sha.digest("x".getBytes(StandardCharsets.UTF_8)));
        assertContains(appended, "Appended entry 0 in term " + first.term() + "; root at size 1: " + leaf);
        assertContains(execute("csf:cluster-ledger"), "Root : " + leaf + " (RFC 6962, size 1)");
    }

    /**
     * The bus across nodes in the distribution ({@code chronofabric-network}, not a boot feature):
     * a bridged guaranteed packet for a node that never answers is dead-lettered into the bus's
     * durable log with the reason, so {@code csf:deadletters} shows it under its message id.
     */
    @Test
    public void aNetworkDeadLetterForAnUnreachableNodeIsInTheDeadLetterLog() throws Exception {
        int base = freeBase();
        Configuration config = service(ConfigurationAdmin.class).getConfiguration("io.chronofabric.network", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("node.id", "0"); // the distribution's HLC node id (io.chronofabric.time node.id), as in its message ids
        props.put("nodes", "0=127.0.0.1:" + (base + 3) + ",1=127.0.0.1:" + (base + 4)); // node 1: nobody listens
        props.put("channels", "net.audit");
        props.put("term.length", "65536");
        props.put("retransmit.ms", "100");
        props.put("unreachable.ms", "1500");
        config.update(props);
        boolean installed = java.util.Arrays.stream(bundleContext.getBundles())
                .anyMatch(b -> "io.chronofabric.network".equals(b.getSymbolicName()));
        if (!installed) {
            service(FeaturesService.class).installFeature("chronofabric-network",
                    EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        waitFor(() -> {
            try {
                return execute("csf:channels").contains("net.audit");
            } catch (Exception e) {
                return false;
            }
        }, "the network's handler on net.audit");
        String published = execute("csf:publish --guaranteed net.audit for-node-1");
        waitFor(() -> {
            try {
                return execute("csf:deadletters --channel net.audit").contains("node 1 unreachable");
            } catch (Exception e) {
                return false;
            }
        }, "the dead letter of node 1 in csf:deadletters");
        String list = execute("csf:deadletters --channel net.audit");
        assertContains(list, "net.audit");
        assertContains(list, "node 1 unreachable: no acknowledgement within 1500 ms");
        String id = published.trim().split(" ")[1]; // "Published 0:17 at ..."
        assertTrue(published, id.startsWith("0:"));
        assertContains(list, id);
        String status = execute("csf:status --details");
        assertContains(status, "bridge:network");
        assertContains(status, "bridge:network: deadLettered = 1");
    }

    /**
     * EGC (a boot feature) with the cluster's Consensus service: a violation is not decided locally
     * but proposed to the real Aeron Cluster log and applied when committed, so the decision on
     * {@code egc.decisions} comes from the log (the path every node of a cluster takes).
     */
    @Test
    public void anEgcDecisionGoesThroughTheConsensusLog() throws Exception {
        io.chronofabric.api.clogic.CognitiveModule egc = service(io.chronofabric.api.clogic.CognitiveModule.class,
                "(" + io.chronofabric.api.clogic.CognitiveModule.MODULE_PROPERTY + "=egc)");
        Consensus consensus = service(Consensus.class);
        waitFor(() -> execute0("csf:egc-specs").contains("decisions through the consensus log as node"),
                () -> "EGC connected to the consensus log: " + egc.health() + " / " + execute0("csf:egc-specs"));
        Configuration config = service(ConfigurationAdmin.class).getConfiguration("io.chronofabric.clogic.egc", "?");
        java.util.Dictionary<String, Object> old = config.getProperties();
        Hashtable<String, Object> props = new Hashtable<>();
        if (old != null) {
            for (java.util.Enumeration<String> e = old.keys(); e.hasMoreElements();) {
                String k = e.nextElement();
                props.put(k, old.get(k));
            }
        }
        Hashtable<String, Object> saved = new Hashtable<>(props);
        double specsBefore = egc.metrics().get("specs");
        props.put("spec.cwm", "cwm <= 10");
        props.put("period.ms", "100");
        config.update(props);
        try {
            waitFor(() -> egc.metrics().get("specs") == specsBefore + 1, () -> "EGC with spec cwm: " + egc.metrics() + ", " + egc.health());
            long commitBefore = consensus.commitIndex();
            double appliedBefore = egc.metrics().get("committed_applied");
            io.chronofabric.api.bus.EventBus bus = service(io.chronofabric.api.bus.EventBus.class);
            try (io.chronofabric.api.bus.Receiver<Object> decisions = bus.subscribeChannel(io.chronofabric.api.clogic.ClogicChannels.EGC_DECISIONS)) {
                bus.publish(io.chronofabric.api.bus.PhasePacket.builder(new io.chronofabric.api.clogic.Sample("cwm", 42, System.nanoTime()))
                        .channel(io.chronofabric.api.clogic.ClogicChannels.EGC_INPUT).build());
                io.chronofabric.api.clogic.GovernanceDecision d = null;
                long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
                while (d == null && System.currentTimeMillis() < end) {
                    io.chronofabric.api.bus.PhasePacket<Object> p = decisions.take(1, TimeUnit.SECONDS);
                    if (p != null && p.payload() instanceof io.chronofabric.api.clogic.GovernanceDecision g
                            && g.reason().contains("spec 'cwm' violated")) {
                        d = g;
                    }
                }
                assertTrue("a decision for spec cwm on egc.decisions; EGC " + egc.metrics(), d != null);
            }
            assertTrue("the decision was proposed: " + egc.metrics(), egc.metrics().get("proposed") >= 1);
            assertTrue("and applied from the log: " + egc.metrics(), egc.metrics().get("committed_applied") > appliedBefore);
            assertTrue("the log grew: " + consensus.commitIndex() + " > " + commitBefore, consensus.commitIndex() > commitBefore);
            assertContains(execute("csf:egc-decisions"), "cwm");
        } finally {
            config.update(saved);
            waitFor(() -> egc.metrics().get("specs") == specsBefore, () -> "EGC back to its specs: " + egc.metrics());
        }
    }

    private String execute0(String command) {
        try {
            return execute(command);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
