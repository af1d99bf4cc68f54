package io.chronofabric.api.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.core.Priority;
import org.junit.jupiter.api.Test;

class PhasePacketTest {

    @Test
    void shouldBuildWithDefaults() {
        PhasePacket<String> p = PhasePacket.of("hello", ComponentId.of(9));
        assertThat(p.payload()).isEqualTo("hello");
        assertThat(p.priority()).isEqualTo(Priority.NORMAL);
        assertThat(p.targetMask()).isEqualTo(ComponentId.ALL);
        assertThat(p.routing().hasDeadline()).isFalse();
        assertThat(p.delivery()).isEqualTo(DeliveryOptions.BEST_EFFORT);
        assertThat(p.channel()).isNull();
        assertThat(p.isStamped()).isFalse();
        assertThat(p.messageId()).isNull();
    }

    @Test
    void shouldCarryEveryRoutingOption() {
        PhasePacket<Integer> p = PhasePacket.builder(7).channel("drpp.patterns").priority(Priority.HIGH).deadline(1_000)
                .targets(ComponentId.DRPP, ComponentId.EMS).guaranteed(3).timeout(5_000).dependsOn(11L, 12L)
                .temporalPhase(1.5).coherenceScore(0.25f).build();
        assertThat(p.channel()).isEqualTo("drpp.patterns");
        assertThat(p.deadlineNanos()).isEqualTo(1_000);
        assertThat(p.targetMask()).isEqualTo(ComponentId.maskOf(ComponentId.DRPP, ComponentId.EMS));
        assertThat(p.delivery().isGuaranteed()).isTrue();
        assertThat(p.delivery().maxRetries()).isEqualTo(3);
        assertThat(p.delivery().timeoutNanos()).isEqualTo(5_000);
        assertThat(p.causalDependencies()).containsExactly(11L, 12L);
        assertThat(p.temporalPhase()).isEqualTo(1.5);
        assertThat(p.coherenceScore()).isEqualTo(0.25f);
    }

    @Test
    void shouldShareAPreparedRoutingRecord() {
        RoutingMetadata r = new RoutingMetadata(ComponentId.of(8), 4, 0b10, Priority.LOW, RoutingMetadata.NO_DEADLINE, 16,
                DeliveryOptions.guaranteed(1));
        PhasePacket<String> a = PhasePacket.builder("a").routing(r).build();
        PhasePacket<String> b = PhasePacket.builder("b").routing(r).build();
        assertThat(a.routing()).isSameAs(r).isSameAs(b.routing());
    }

    @Test
    void shouldBeStampedOnlyOnce() {
        PhasePacket<String> p = PhasePacket.of("x", ComponentId.SYSTEM);
        Object bus = new Object();
        p.stamp(bus, 42, new LogicalTime(10, 0, 1), 10, 500);
        assertThat(p.messageIdValue()).isEqualTo(42);
        assertThat(p.timestamp()).isEqualTo(new LogicalTime(10, 0, 1));
        assertThat(p.publishedAtNanos()).isEqualTo(10);
        assertThat(p.deadlineNanos()).isEqualTo(500);
        p.expectDeliveries(bus, 2);
        assertThat(p.deliveryDone(bus)).isEqualTo(1);
        assertThat(p.deliveryDone(bus)).isZero();
        assertThatThrownBy(() -> p.stamp(bus, 43, new LogicalTime(11, 0, 1), 11, 500))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("0:42").hasMessageContaining("already published");
    }

    @Test
    void shouldRefuseBookkeepingFromAnyoneButTheStampingBus() {
        PhasePacket<String> p = PhasePacket.of("x", ComponentId.SYSTEM);
        Object bus = new Object();
        assertThatThrownBy(() -> p.deliveryDone(bus)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unpublished");
        p.stamp(bus, 7, new LogicalTime(10, 0, 1), 10, 500);
        p.expectDeliveries(bus, 2);
        Object handler = new Object();
        assertThatThrownBy(() -> p.deliveryDone(handler)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0:7").hasMessageContaining("belongs to the bus");
        assertThatThrownBy(() -> p.expectDeliveries(handler, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.deliveryDone(null)).isInstanceOf(IllegalStateException.class);
        assertThat(p.deliveryDone(bus)).isEqualTo(1);
    }

    @Test
    void shouldRefuseBadValuesNamingThem() {
        assertThatThrownBy(() -> PhasePacket.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PhasePacket.builder("x").deadline(-5)).hasMessageContaining("-5");
        assertThatThrownBy(() -> PhasePacket.builder("x").guaranteed(300)).hasMessageContaining("300");
        assertThatThrownBy(() -> PhasePacket.builder("x").channel("has space")).hasMessageContaining("'has space'");
        assertThatThrownBy(() -> PhasePacket.builder("x").channel("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PhasePacket.builder("x").temporalPhase(7)).hasMessageContaining("7.0");
        assertThatThrownBy(() -> PhasePacket.builder("x").coherenceScore(2f)).hasMessageContaining("2.0");
        assertThatThrownBy(() -> PhasePacket.builder("x").dependsOn(-1L)).hasMessageContaining("-1");
    }
}
