package io.chronofabric.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6962 reference vectors published with transparency-dev/merkle (testonly/constants.go
 * and proof/verify_test.go): eight leaves, roots for sizes 0..8, inclusion and consistency proofs.
 */
class Rfc6962VectorsTest {

    static final HexFormat HEX = HexFormat.of();
    static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    /** {leaf (0-based), size, proof...} */
    static final Object[][] INCLUSION = {
        {0L, 8L, new String[] {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {5L, 8L, new String[] {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2L, 3L, new String[] {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
        {1L, 5L, new String[] {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
        {0L, 1L, new String[0]}};

    static final Object[][] CONSISTENCY = {
        {1L, 1L, new String[0]},
        {1L, 8L, new String[] {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {6L, 8L, new String[] {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2L, 5L, new String[] {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
        {6L, 7L, new String[] {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}}};

    static byte[] root(int size) {
        return HEX.parseHex(ROOTS[size]);
    }

    static List<byte[]> proof(String[] hexes) {
        List<byte[]> p = new ArrayList<>();
        for (String h : hexes) {
            p.add(HEX.parseHex(h));
        }
        return p;
    }

    @Test
    void emptyTreeIsTheHashOfNothing() {
        assertThat(HEX.formatHex(Rfc6962.emptyRoot())).isEqualTo(ROOTS[0]);
    }

    @Test
    void shouldVerifyTheReferenceInclusionProofsAndRejectCorruptedOnes() throws Exception {
        for (Object[] v : INCLUSION) {
            long leaf = (Long) v[0];
            long size = (Long) v[1];
            List<byte[]> p = proof((String[]) v[2]);
            byte[] leafHash = Rfc6962.leafHash(HEX.parseHex(LEAVES[(int) leaf]));
            ProofVerifier.verifyInclusion(leaf, size, leafHash, p, root((int) size));
            // wrong index, wrong size, wrong leaf, trailing garbage, flipped bit: all refused
            assertRefused(() -> ProofVerifier.verifyInclusion(leaf + 1, size, leafHash, p, root((int) size)));
            assertRefused(() -> ProofVerifier.verifyInclusion(leaf, size * 2, leafHash, p, root((int) size)));
            assertRefused(() -> ProofVerifier.verifyInclusion(leaf, size, Rfc6962.leafHash(new byte[] {9}), p, root((int) size)));
            List<byte[]> longer = new ArrayList<>(p);
            longer.add(root((int) size));
            assertRefused(() -> ProofVerifier.verifyInclusion(leaf, size, leafHash, longer, root((int) size)));
            for (int i = 0; i < p.size(); i++) {
                List<byte[]> flipped = proof((String[]) v[2]);
                flipped.get(i)[0] ^= 8;
                assertRefused(() -> ProofVerifier.verifyInclusion(leaf, size, leafHash, flipped, root((int) size)));
            }
        }
    }

    @Test
    void shouldVerifyTheReferenceConsistencyProofsAndRejectCorruptedOnes() throws Exception {
        for (Object[] v : CONSISTENCY) {
            long s1 = (Long) v[0];
            long s2 = (Long) v[1];
            List<byte[]> p = proof((String[]) v[2]);
            ProofVerifier.verifyConsistency(s1, s2, p, root((int) s1), root((int) s2));
            if (p.isEmpty()) {
                continue;
            }
            assertRefused(() -> ProofVerifier.verifyConsistency(s1, s2, p, root((int) s2), root((int) s1)));
            assertRefused(() -> ProofVerifier.verifyConsistency(s1 + 1, s2, p, root((int) s1), root((int) s2)));
            assertRefused(() -> ProofVerifier.verifyConsistency(s1, s2, p.subList(0, p.size() - 1), root((int) s1), root((int) s2)));
            for (int i = 0; i < p.size(); i++) {
                List<byte[]> flipped = proof((String[]) v[2]);
                flipped.get(i)[0] ^= 16;
                assertRefused(() -> ProofVerifier.verifyConsistency(s1, s2, flipped, root((int) s1), root((int) s2)));
            }
        }
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(5, 2, List.of(), root(5), root(2)))
                .hasMessageContaining("size 5 cannot be a prefix of size 2");
    }

    interface Check {
        void run() throws Exception;
    }

    static void assertRefused(Check c) {
        assertThatThrownBy(c::run).isInstanceOf(ProofVerifier.ProofException.class);
    }
}
