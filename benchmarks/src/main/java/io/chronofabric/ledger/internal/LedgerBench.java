package io.chronofabric.ledger.internal;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.ledger.verify.ProofVerifier;
import io.chronofabric.ledger.verify.Rfc6962;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Ledger throughput against a raw SHA-256 loop doing two hashes per entry (the floor of any RFC 6962
 * log: one leaf hash, about one node hash per entry), in the same run; durable appends per fsync
 * policy; proof generation and verification at 1M entries.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.ledger.internal.LedgerBench [entries=1000000]</pre>
 */
public final class LedgerBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        byte[][] entries = new byte[n][];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            entries[i] = new byte[64];
            r.nextBytes(entries[i]);
        }
        System.out.printf(Locale.ROOT, "%,d entries of 64 bytes, %d cores, %s%n", n, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        MerkleTree tree = null;
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            double raw = rawHashing(entries);
            long t0 = System.nanoTime();
            MerkleTree t = new MerkleTree();
            for (byte[] e : entries) {
                t.append(Rfc6962.leafHash(e));
            }
            double mem = n * 1e9 / (System.nanoTime() - t0);
            tree = t;
            ratios.add(mem / raw);
            System.out.printf(Locale.ROOT, "round %d: raw 2xSHA-256 %,.0f entries/s, in-memory append %,.0f entries/s, ratio %.2f%n",
                    round + 1, raw, mem, mem / raw);
        }
        ratios.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "IN-MEMORY APPEND / RAW HASHING median %.2f%n", ratios.get(1));

        Random pick = new Random(2);
        int probes = 10_000;
        long gen = 0;
        long ver = 0;
        for (int i = 0; i < probes; i++) {
            long leaf = pick.nextInt(n);
            long t0 = System.nanoTime();
            List<byte[]> proof = tree.inclusionProof(leaf, n);
            byte[] root = tree.root(n);
            long t1 = System.nanoTime();
            ProofVerifier.verifyInclusion(leaf, n, tree.leafHash(leaf), proof, root);
            ver += System.nanoTime() - t1;
            gen += t1 - t0;
        }
        System.out.printf(Locale.ROOT, "INCLUSION at %,d: generate %.1f us, verify %.1f us (mean of %,d)%n", n, gen / 1e3 / probes,
                ver / 1e3 / probes, probes);
        gen = 0;
        ver = 0;
        for (int i = 0; i < probes; i++) {
            long old = 1 + pick.nextInt(n - 1);
            long t0 = System.nanoTime();
            List<byte[]> proof = tree.consistencyProof(old, n);
            byte[] r1 = tree.root(old);
            byte[] r2 = tree.root(n);
            long t1 = System.nanoTime();
            ProofVerifier.verifyConsistency(old, n, proof, r1, r2);
            ver += System.nanoTime() - t1;
            gen += t1 - t0;
        }
        System.out.printf(Locale.ROOT, "CONSISTENCY at %,d: generate %.1f us, verify %.1f us (mean of %,d)%n", n, gen / 1e3 / probes,
                ver / 1e3 / probes, probes);

        for (DurableLedger.Fsync policy : DurableLedger.Fsync.values()) {
            durable(policy, entries, 1, policy == DurableLedger.Fsync.EVERY_APPEND ? 2_000 : 100_000);
            durable(policy, entries, 100, 200_000);
        }
    }

    static double rawHashing(byte[][] entries) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] acc = new byte[32];
        long t0 = System.nanoTime();
        for (byte[] e : entries) {
            md.update((byte) 0);
            md.update(e);
            byte[] leaf = md.digest();
            md.update((byte) 1);
            md.update(acc);
            md.update(leaf);
            acc = md.digest();
        }
        return entries.length * 1e9 / (System.nanoTime() - t0);
    }

    static void durable(DurableLedger.Fsync policy, byte[][] entries, int batch, int count) throws Exception {
        Path dir = Files.createTempDirectory("ledger-bench");
        AtomicLong t = new AtomicLong();
        try (DurableLedger l = DurableLedger.open(new DurableLedger.Options(dir, policy, 50_000_000L, 64L << 20, "", 0),
                () -> new LogicalTime(t.incrementAndGet(), 0, 1))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i += batch) {
                List<byte[]> b = new ArrayList<>(batch);
                for (int k = 0; k < batch; k++) {
                    b.add(entries[(i + k) % entries.length]);
                }
                l.appendBatch(b);
            }
            double rate = count * 1e9 / (System.nanoTime() - t0);
            System.out.printf(Locale.ROOT, "DURABLE fsync=%s, batches of %d: %,.0f entries/s (%,d entries)%n",
                    policy.name().toLowerCase(Locale.ROOT).replace('_', '-'), batch, rate, count);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
