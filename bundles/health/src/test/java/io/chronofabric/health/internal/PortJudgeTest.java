package io.chronofabric.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.HealthReport;
import java.util.List;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

class PortJudgeTest {

    private static final Ports.Port BUS = Ports.ALL.stream().filter(p -> p.name().equals("bus")).findFirst().orElseThrow();
    private static final Ports.Port CLOGIC = Ports.ALL.stream().filter(p -> p.name().equals("clogic")).findFirst()
            .orElseThrow();

    private final PortJudge judge = new PortJudge(Result.Status.WARN, Result.Status.WARN);

    @Test
    void shouldBeOkWhenEveryProviderIsUp() {
        Result r = judge.judge(BUS, false, List.of(new PortJudge.Provider("io.chronofabric.bus", HealthReport.up("fine"))));

        assertThat(r.getStatus()).isEqualTo(Result.Status.OK);
        assertThat(r.toString()).contains("UP fine");
    }

    @Test
    void shouldBeCriticalWhenAProviderIsDown() {
        Result r = judge.judge(BUS, false, List.of(
                new PortJudge.Provider("a", HealthReport.up("fine")),
                new PortJudge.Provider("b", HealthReport.down("stopping", List.of("drain 3 packets")))));

        assertThat(r.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(r.toString()).contains("b: DOWN stopping");
    }

    @Test
    void shouldWarnWhenASinglePortIsAbsentAndFailWhenRequired() {
        assertThat(judge.judge(BUS, false, List.of()).getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(judge.judge(BUS, true, List.of()).getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(new PortJudge(Result.Status.CRITICAL, Result.Status.WARN).judge(BUS, false, List.of()).getStatus())
                .isEqualTo(Result.Status.CRITICAL);
    }

    @Test
    void shouldBeOkWithoutConsensusOnASingleNodeUnlessRequired() {
        Ports.Port consensus = Ports.ALL.stream().filter(p -> p.name().equals("consensus")).findFirst().orElseThrow();

        Result alone = judge.judge(consensus, false, List.of());
        assertThat(alone.getStatus()).isEqualTo(Result.Status.OK);
        assertThat(alone.toString()).contains("optional, this node runs alone");
        assertThat(judge.judge(consensus, true, List.of()).getStatus()).isEqualTo(Result.Status.CRITICAL);
    }

    @Test
    void shouldBeOkWhenNoPlugInProviderIsInstalled() {
        assertThat(judge.judge(CLOGIC, false, List.of()).getStatus()).isEqualTo(Result.Status.OK);
    }

    @Test
    void shouldMapDegradedToTheConfiguredResult() {
        List<PortJudge.Provider> degraded = List.of(new PortJudge.Provider("s", HealthReport.degraded("misses", List.of())));

        assertThat(judge.judge(BUS, false, degraded).getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(new PortJudge(Result.Status.WARN, Result.Status.CRITICAL).judge(BUS, false, degraded).getStatus())
                .isEqualTo(Result.Status.CRITICAL);
    }

    @Test
    void shouldTreatAProviderWithoutHealthAsOk() {
        assertThat(judge.judge(BUS, false, List.of(new PortJudge.Provider("x", null))).getStatus())
                .isEqualTo(Result.Status.OK);
    }

    @Test
    void shouldRefuseUnknownStatusesAndPortsNamingThem() {
        assertThatThrownBy(() -> PortJudge.parseStatus("absent.result", "OOPS")).hasMessageContaining("'OOPS'");
        assertThatThrownBy(() -> PortHealthChecks.requiredPorts(new String[] {"bus,buss"})).hasMessageContaining("'buss'");
        assertThat(PortHealthChecks.requiredPorts(new String[] {"bus, ledger"})).containsExactlyInAnyOrder("bus", "ledger");
    }
}
