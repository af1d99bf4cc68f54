package io.chronofabric.consensus.aeron.internal;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's checked settings (from {@code etc/io.chronofabric.consensus.cfg} or a test).
 *
 * @param nodeId             this node's member id, one of {@code members}
 * @param members            member id to {@code host:basePort}; each member uses five UDP ports
 *                           from its base: ingress, consensus, log, catch-up, archive control
 * @param dir                root directory; this node uses {@code dir/node-<id>/}
 * @param aeronDir           the media driver's directory; empty = {@code dir/node-<id>/driver}
 * @param proposalTimeoutMs  how long a proposal may wait for its commit
 * @param electionTimeoutMs  Aeron Cluster election timeout
 * @param heartbeatTimeoutMs leader heartbeat timeout: a silent leader is replaced after it
 * @param canvassTimeoutMs   how long a starting node waits to see all members before electing
 *                           with a quorum
 * @param sessionTimeoutMs   client session timeout
 * @param termLength         term buffer length of the log and the node's publications (power of 2,
 *                           64 KiB to 1 GiB)
 * @param snapshotInterval   committed values between snapshots the leader requests (0 = never)
 * @param retainValues       latest values kept for {@code learn} (0 = all)
 * @param maxPending         proposals waiting at most (queue capacity)
 * @param retainSnapshots    snapshots each node keeps in its archive; the cluster log's segments
 *                           before the oldest of them (and below what every member has appended)
 *                           are purged, older snapshot recordings deleted; 0 = keep everything
 * @param segmentLength      archive segment file length (power of 2, a multiple of the term
 *                           length, at most 1 GiB); 0 = max(4 x term length, 1 MiB). The log is
 *                           purged a whole segment at a time
 */
public record ConsensusSettings(
        int nodeId,
        Map<Integer, String> members,
        File dir,
        String aeronDir,
        long proposalTimeoutMs,
        long electionTimeoutMs,
        long heartbeatTimeoutMs,
        long canvassTimeoutMs,
        long sessionTimeoutMs,
        int termLength,
        long snapshotInterval,
        int retainValues,
        int maxPending,
        int retainSnapshots,
        int segmentLength) {

    public static final int PORTS_PER_MEMBER = 5;

    /** Without log purge, default segments (the settings before issue #14's archive purge). */
    public ConsensusSettings(int nodeId, Map<Integer, String> members, File dir, String aeronDir, long proposalTimeoutMs,
            long electionTimeoutMs, long heartbeatTimeoutMs, long canvassTimeoutMs, long sessionTimeoutMs, int termLength,
            long snapshotInterval, int retainValues, int maxPending) {
        this(nodeId, members, dir, aeronDir, proposalTimeoutMs, electionTimeoutMs, heartbeatTimeoutMs, canvassTimeoutMs,
                sessionTimeoutMs, termLength, snapshotInterval, retainValues, maxPending, 0, 0);
    }

    /** The same settings keeping {@code n} snapshots (0 = no purge). */
    public ConsensusSettings withRetainSnapshots(int n) {
        return new ConsensusSettings(nodeId, members, dir, aeronDir, proposalTimeoutMs, electionTimeoutMs,
                heartbeatTimeoutMs, canvassTimeoutMs, sessionTimeoutMs, termLength, snapshotInterval, retainValues,
                maxPending, n, segmentLength);
    }

    /** The same settings with archive segments of {@code length} bytes (0 = default). */
    public ConsensusSettings withSegmentLength(int length) {
        return new ConsensusSettings(nodeId, members, dir, aeronDir, proposalTimeoutMs, electionTimeoutMs,
                heartbeatTimeoutMs, canvassTimeoutMs, sessionTimeoutMs, termLength, snapshotInterval, retainValues,
                maxPending, retainSnapshots, length);
    }

    public ConsensusSettings {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members is empty: name at least this node, e.g. 0=localhost:9010");
        }
        if (!members.containsKey(nodeId)) {
            throw new IllegalArgumentException("node.id " + nodeId + " is not one of the members " + members.keySet());
        }
        positive("proposal.timeout.ms", proposalTimeoutMs);
        positive("election.timeout.ms", electionTimeoutMs);
        positive("heartbeat.timeout.ms", heartbeatTimeoutMs);
        positive("canvass.timeout.ms", canvassTimeoutMs);
        positive("session.timeout.ms", sessionTimeoutMs);
        if (termLength < 64 * 1024 || termLength > 1 << 30 || Integer.bitCount(termLength) != 1) {
            throw new IllegalArgumentException("term.length must be a power of 2 from 65536 to 1073741824: " + termLength);
        }
        if (snapshotInterval < 0) {
            throw new IllegalArgumentException("snapshot.interval must be >= 0: " + snapshotInterval);
        }
        if (retainValues < 0) {
            throw new IllegalArgumentException("retain.values must be >= 0: " + retainValues);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("max.pending must be >= 1: " + maxPending);
        }
        if (retainSnapshots < 0) {
            throw new IllegalArgumentException("retain.snapshots must be >= 0 (0 = keep the whole log): " + retainSnapshots);
        }
        if (segmentLength != 0 && (segmentLength < termLength || segmentLength > 1 << 30
                || Integer.bitCount(segmentLength) != 1)) {
            throw new IllegalArgumentException("archive.segment.length must be 0 or a power of 2 from term.length ("
                    + termLength + ") to 1073741824: " + segmentLength);
        }
        for (Map.Entry<Integer, String> m : members.entrySet()) {
            port(m.getKey(), m.getValue());
        }
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be > 0: " + value);
        }
    }

    /**
     * Parses {@code "0=localhost:9010, 1=localhost:9020"}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static Map<Integer, String> parseMembers(String text) {
        Map<Integer, String> members = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return members;
        }
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("members entry '" + e + "' is not id=host:basePort");
            }
            int id;
            try {
                id = Integer.parseInt(e.substring(0, eq).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("members entry '" + e + "': member id is not a number");
            }
            if (id < 0) {
                throw new IllegalArgumentException("members entry '" + e + "': member id must be >= 0");
            }
            String endpoint = e.substring(eq + 1).trim();
            port(id, endpoint);
            if (members.put(id, endpoint) != null) {
                throw new IllegalArgumentException("members names member " + id + " twice");
            }
        }
        return members;
    }

    private static int port(int id, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("member " + id + " endpoint '" + endpoint + "' is not host:basePort");
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("member " + id + " endpoint '" + endpoint + "': port is not a number");
        }
        if (port < 1 || port + PORTS_PER_MEMBER - 1 > 65535) {
            throw new IllegalArgumentException("member " + id + " base port " + port + " must be 1 to " + (65536 - PORTS_PER_MEMBER));
        }
        return port;
    }

    static String host(String endpoint) {
        return endpoint.substring(0, endpoint.lastIndexOf(':'));
    }

    static int basePort(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    static String endpoint(String member, int offset) {
        return host(member) + ":" + (basePort(member) + offset);
    }

    /** Aeron Cluster's members string: {@code id,ingress,consensus,log,catchup,archive|...}. */
    String clusterMembers() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, String> m : members.entrySet()) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(m.getKey());
            for (int offset = 0; offset < PORTS_PER_MEMBER; offset++) {
                sb.append(',').append(endpoint(m.getValue(), offset));
            }
        }
        return sb.toString();
    }

    /** The client's ingress endpoints: {@code id=host:ingressPort,...}. */
    String ingressEndpoints() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, String> m : members.entrySet()) {
            parts.add(m.getKey() + "=" + endpoint(m.getValue(), 0));
        }
        return String.join(",", parts);
    }

    String self() {
        return members.get(nodeId);
    }

    File nodeDir() {
        return new File(dir, "node-" + nodeId);
    }

    String driverDir() {
        return aeronDir.isBlank() ? new File(nodeDir(), "driver").getAbsolutePath() : aeronDir;
    }

    /** The archive's segment file length in use. */
    int archiveSegmentLength() {
        return segmentLength != 0 ? segmentLength : Math.max(termLength * 4, 1 << 20);
    }

    int quorum() {
        return members.size() / 2 + 1;
    }

    static String memberName(int id) {
        return "node-" + id;
    }

    /** True when only settings a running node applies without a restart differ. */
    boolean sameNode(ConsensusSettings o) {
        return nodeId == o.nodeId && members.equals(o.members) && dir.equals(o.dir) && aeronDir.equals(o.aeronDir)
                && electionTimeoutMs == o.electionTimeoutMs && heartbeatTimeoutMs == o.heartbeatTimeoutMs
                && canvassTimeoutMs == o.canvassTimeoutMs && sessionTimeoutMs == o.sessionTimeoutMs
                && termLength == o.termLength && retainValues == o.retainValues && maxPending == o.maxPending
                && archiveSegmentLength() == o.archiveSegmentLength();
    }
}
