package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LedgerTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The RFC 6962 test vectors of Certificate Transparency (leaves and roots of sizes 1 to 8). */
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    private static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    @Test
    void shouldReproduceTheRfc6962TestVectorsIncrementallyAndAtEverySize() {
        LedgerTree t = new LedgerTree();
        assertThat(HEX.formatHex(t.rootHash(0))).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int i = 0; i < LEAVES.length; i++) {
            assertThat(HEX.formatHex(t.append(HEX.parseHex(LEAVES[i])))).as("root after %d", i + 1).isEqualTo(ROOTS[i]);
        }
        for (int n = 1; n <= LEAVES.length; n++) {
            assertThat(HEX.formatHex(t.rootHash(n))).as("root at %d", n).isEqualTo(ROOTS[n - 1]);
        }
    }

    @Test
    void shouldAgreeBetweenTheIncrementalRootAndTheRecomputedOne() {
        LedgerTree t = new LedgerTree();
        for (int i = 0; i < 1500; i++) {
            byte[] root = t.append(("e" + i).getBytes());
            assertThat(root).isEqualTo(t.rootHash(i + 1));
        }
        assertThat(t.entry(7)).isEqualTo("e7".getBytes());
        assertThatThrownBy(() -> t.rootHash(1501)).hasMessage("No ledger root at size 1501: size is 1500");
        assertThatThrownBy(() -> t.entry(1500)).hasMessage("No ledger entry 1500: size is 1500");
    }
}
