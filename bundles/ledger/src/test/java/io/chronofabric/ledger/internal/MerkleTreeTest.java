package io.chronofabric.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.ledger.verify.ProofVerifier;
import io.chronofabric.ledger.verify.Rfc6962;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String[] LEAVES = io.chronofabric.ledger.verify.Rfc6962VectorsTestAccess.leaves();
    private static final String[] ROOTS = io.chronofabric.ledger.verify.Rfc6962VectorsTestAccess.roots();

    private static MerkleTree referenceTree() {
        MerkleTree t = new MerkleTree();
        for (String l : LEAVES) {
            t.append(Rfc6962.leafHash(HEX.parseHex(l)));
        }
        return t;
    }

    @Test
    void shouldComputeTheReferenceRootForEverySize() {
        MerkleTree t = referenceTree();
        for (int size = 0; size <= 8; size++) {
            assertThat(HEX.formatHex(t.root(size))).as("root of size %d", size).isEqualTo(ROOTS[size]);
        }
    }

    @Test
    void shouldProduceTheReferenceProofs() {
        MerkleTree t = referenceTree();
        for (Object[] v : io.chronofabric.ledger.verify.Rfc6962VectorsTestAccess.inclusion()) {
            List<byte[]> expected = io.chronofabric.ledger.verify.Rfc6962VectorsTestAccess.proof((String[]) v[2]);
            List<byte[]> got = t.inclusionProof((Long) v[0], (Long) v[1]);
            assertThat(got).as("inclusion %s/%s", v[0], v[1]).usingElementComparator(MerkleTreeTest::compare).isEqualTo(expected);
        }
        for (Object[] v : io.chronofabric.ledger.verify.Rfc6962VectorsTestAccess.consistency()) {
            List<byte[]> expected = io.chronofabric.ledger.verify.Rfc6962VectorsTestAccess.proof((String[]) v[2]);
            List<byte[]> got = t.consistencyProof((Long) v[0], (Long) v[1]);
            assertThat(got).as("consistency %s/%s", v[0], v[1]).usingElementComparator(MerkleTreeTest::compare).isEqualTo(expected);
        }
    }

    private static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, b);
    }

    @Test
    void everyProofOfARandomTreeVerifies() throws Exception {
        MerkleTree t = new MerkleTree();
        Random r = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[r.nextInt(20)];
            r.nextBytes(data);
            t.append(Rfc6962.leafHash(data));
        }
        for (long size = 1; size <= 300; size += 13) {
            for (long leaf = 0; leaf < size; leaf += 7) {
                ProofVerifier.verifyInclusion(leaf, size, t.leafHash(leaf), t.inclusionProof(leaf, size), t.root(size));
            }
            for (long old = 0; old <= size; old += 11) {
                ProofVerifier.verifyConsistency(old, size, t.consistencyProof(old, size), t.root(old), t.root(size));
            }
        }
    }
}
