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
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

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
