package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsensusSettingsTest {

    private static ConsensusSettings settings(int node, String members, int termLength) {
        return new ConsensusSettings(node, ConsensusSettings.parseMembers(members), new File("x"), "", 5000, 1000, 3000,
                10000, 10000, termLength, 0, 0, 16);
    }

    @Test
    void shouldDeriveAeronMembersAndIngressEndpointsFromBasePorts() {
        ConsensusSettings s = settings(1, "0=a:9010, 1=b:9020,2=c:9030", 65536);
        assertThat(s.clusterMembers()).isEqualTo("0,a:9010,a:9011,a:9012,a:9013,a:9014|1,b:9020,b:9021,b:9022,b:9023,b:9024"
                + "|2,c:9030,c:9031,c:9032,c:9033,c:9034");
        assertThat(s.ingressEndpoints()).isEqualTo("0=a:9010,1=b:9020,2=c:9030");
        assertThat(s.quorum()).isEqualTo(2);
        assertThat(s.nodeDir()).isEqualTo(new File("x", "node-1"));
    }

    @Test
    void shouldNameWhatIsWrongInAConfiguration() {
        assertThatThrownBy(() -> ConsensusSettings.parseMembers("0=a:9010,0=b:9020")).hasMessage("members names member 0 twice");
        assertThatThrownBy(() -> ConsensusSettings.parseMembers("x=a:1")).hasMessageContaining("member id is not a number");
        assertThatThrownBy(() -> ConsensusSettings.parseMembers("0=a")).hasMessageContaining("is not host:basePort");
        assertThatThrownBy(() -> ConsensusSettings.parseMembers("0=a:65534")).hasMessageContaining("base port 65534");
        assertThatThrownBy(() -> settings(3, "0=a:9010", 65536)).hasMessageContaining("node.id 3 is not one of the members [0]");
        assertThatThrownBy(() -> settings(0, "", 65536)).hasMessageContaining("members is empty");
        assertThatThrownBy(() -> settings(0, "0=a:9010", 100_000)).hasMessageContaining("term.length must be a power of 2");
    }

    @Test
    void shouldTellSettingsAppliedLiveFromThoseNeedingARestart() {
        ConsensusSettings a = settings(0, "0=a:9010", 65536);
        ConsensusSettings timeout = new ConsensusSettings(0, Map.of(0, "a:9010"), new File("x"), "", 9000, 1000, 3000,
                10000, 10000, 65536, 50, 0, 16);
        assertThat(a.sameNode(timeout)).isTrue();
        assertThat(a.sameNode(settings(0, "0=a:9020", 65536))).isFalse();
        assertThat(a.sameNode(settings(0, "0=a:9010", 131072))).isFalse();
    }
}
