package io.chronofabric.consensus.aeron.internal;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** Test helpers: free loopback ports and small settings. */
final class Nodes {

    private Nodes() {
    }

    /** {@code n} members on 127.0.0.1 whose five ports each are free now. */
    static Map<Integer, String> members(int n) {
        Map<Integer, String> m = new TreeMap<>();
        int id = 0;
        while (m.size() < n) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(4_000) * 10;
            if (free(base) && m.values().stream().noneMatch(e -> e.endsWith(":" + base))) {
                m.put(id++, "127.0.0.1:" + base);
            }
        }
        return m;
    }

    private static boolean free(int base) {
        for (int p = base; p < base + ConsensusSettings.PORTS_PER_MEMBER; p++) {
            try (DatagramSocket s = new DatagramSocket(p, InetAddress.getByName("127.0.0.1"))) {
                s.getLocalPort();
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }

    static ConsensusSettings settings(int nodeId, Map<Integer, String> members, File dir, long snapshotInterval,
            int retain) {
        return new ConsensusSettings(nodeId, members, dir, "", 10_000, 1_000, 2_000, 5_000, 10_000, 64 * 1024,
                snapshotInterval, retain, 4096);
    }
}
