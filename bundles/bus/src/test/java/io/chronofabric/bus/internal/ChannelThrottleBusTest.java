package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limits on a real bus over a simulated time source: a waiting publisher advances the clock instead of sleeping. */
class ChannelThrottleBusTest extends BusTestSupport {

    private final SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000 * MS);
    private final List<Long> waits = new ArrayList<>();
    private final ChannelLimits limits = new ChannelLimits(n -> {
        waits.add(n);
        time.advance(n);
    });
    private PhaseCoherenceBus bus;
    private Receiver<Object> news;

    @BeforeEach
    void start() {
        bus = simulatedBus(settings(1024, 1), time);
        limits.attach(bus::setThrottles);
        news = bus.subscribeChannel("news");
    }

    private List<Object> received() {
        List<Object> out = new ArrayList<>();
        news.drain(p -> out.add(p.payload()), 10_000);
        return out;
    }

    @Test
    void shouldAnswerThrottledWithoutStampingSoTheSamePacketCanBePublishedLater() {
        limits.limit("news", 10, 2, "test");
        assertThat(bus.tryPublish(PhasePacket.builder("a").channel("news").build())).isEqualTo(PublishStatus.ACCEPTED);
        assertThat(bus.tryPublish(PhasePacket.builder("b").channel("news").guaranteed(3).build())).isEqualTo(PublishStatus.ACCEPTED);
        PhasePacket<String> c = PhasePacket.builder("c").channel("news").guaranteed(3).build();
        assertThat(bus.tryPublish(c)).isEqualTo(PublishStatus.THROTTLED);
        assertThat(c.isStamped()).isFalse();
        time.advance(100 * MS);
        assertThat(bus.tryPublish(c)).isEqualTo(PublishStatus.ACCEPTED);
        assertThat(received()).containsExactly("a", "b", "c");
        assertThat(limits.limitOf("news").orElseThrow().refused()).isEqualTo(1);
        assertThat(deadLetters.entries).isEmpty();
    }

    @Test
    void shouldDelayGuaranteedPublishesToTheRateAndLoseNone() {
        limits.limit("news", 100, 1, "");
        long t0 = time.nowNanos();
        List<PhasePacket<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PhasePacket<Integer> p = PhasePacket.builder(i).channel("news").guaranteed(3).timeout(1_000 * MS).build();
            bus.publish(p);
            sent.add(p);
        }
        assertThat(received()).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
        assertThat(waits).hasSize(19).allMatch(w -> w == 10 * MS);
        for (int i = 0; i < 20; i++) {
            assertThat(sent.get(i).publishedAtNanos()).as("packet %d stamped at its slot", i).isEqualTo(t0 + i * 10 * MS);
        }
        ChannelLimit l = limits.limitOf("news").orElseThrow();
        assertThat(l.admitted()).isEqualTo(1);
        assertThat(l.delayed()).isEqualTo(19);
        assertThat(l.refused()).isZero();
    }

    @Test
    void shouldRefuseAGuaranteedPublishThatCannotWaitWithAClearErrorAndQueueNothing() {
        limits.limit("news", 1, 1, "egc spec=lat rule=r1");
        bus.publish(PhasePacket.builder("first").channel("news").guaranteed(3).build());
        PhasePacket<String> second = PhasePacket.builder("second").channel("news").guaranteed(3).timeout(200 * MS).build();
        assertThatThrownBy(() -> bus.publish(second))
                .isInstanceOf(ResourceExhaustedException.class)
                .hasMessageContaining("channel 'news' is limited to 1 packets/s, burst 1")
                .hasMessageContaining("delivery timeout of 200 ms");
        assertThat(second.isStamped()).isFalse();
        assertThat(received()).containsExactly("first");
        assertThat(deadLetters.entries).isEmpty();
        assertThat(bus.stats().published()).isEqualTo(1);
    }

    @Test
    void shouldDropAndCountBestEffortPublishesOverTheLimit() {
        limits.limit("news", 1, 2, "");
        long dropped = bus.stats().dropped();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(bus.publish(PhasePacket.builder(i).channel("news").build()));
        }
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id >= 0);
        assertThat(received()).containsExactly(0, 1);
        assertThat(bus.stats().dropped() - dropped).isEqualTo(3);
        assertThat(limits.limitOf("news").orElseThrow().refused()).isEqualTo(3);
        assertThat(waits).isEmpty();
    }

    @Test
    void shouldPublishUnlimitedAgainOnceTheLimitIsCleared() {
        limits.limit("news", 1, 1, "");
        assertThat(bus.tryPublish(PhasePacket.builder(1).channel("news").build())).isEqualTo(PublishStatus.ACCEPTED);
        assertThat(bus.tryPublish(PhasePacket.builder(2).channel("news").build())).isEqualTo(PublishStatus.THROTTLED);
        limits.clear("news");
        for (int i = 3; i < 10; i++) {
            assertThat(bus.tryPublish(PhasePacket.builder(i).channel("news").build())).isEqualTo(PublishStatus.ACCEPTED);
        }
        assertThat(received()).hasSize(8);
    }

    @Test
    void shouldNotLimitOtherChannelsOrTypedPackets() {
        limits.limit("news", 1, 1, "");
        Receiver<String> typed = bus.subscribe(String.class);
        Receiver<Object> sport = bus.subscribeChannel("sport");
        for (int i = 0; i < 50; i++) {
            assertThat(bus.tryPublish(PhasePacket.builder("s" + i).channel("sport").build())).isEqualTo(PublishStatus.ACCEPTED);
            bus.publish(PhasePacket.of("t" + i, io.chronofabric.api.core.ComponentId.SYSTEM));
        }
        assertThat(sport.size()).isEqualTo(50);
        assertThat(typed.size()).isEqualTo(50);
    }

    /** The reviewer's case: a best-effort packet over the limit, held for an unfinished dependency, must not be delivered on release. */
    @Test
    void shouldDropAThrottledBestEffortPacketHeldForItsDependencyWhenItIsReleased() {
        Settings d = Settings.DEFAULTS;
        PhaseCoherenceBus causalBus = simulatedBus(new Settings(1024, d.waitStrategy(), 1, d.defaultRetries(), d.defaultTimeoutNanos(),
                d.maxHeld(), d.shutdownTimeoutNanos(), d.healthMaxAvgLatencyNanos(), d.healthMinCapacity(), d.throughputWindowNanos(),
                true), time);
        ChannelLimits causalLimits = new ChannelLimits(time::advance);
        causalLimits.attach(causalBus::setThrottles);
        Receiver<Object> slow = causalBus.subscribeChannel("slow");
        Receiver<Object> feed = causalBus.subscribeChannel("news");
        causalLimits.limit("news", 1, 1, "test");
        long id0 = causalBus.publish(PhasePacket.builder("p0").channel("slow").build());
        causalBus.publish(PhasePacket.builder("a").channel("news").build());
        long idB = causalBus.publish(PhasePacket.builder("b").channel("news").dependsOn(id0).build()); // over the limit
        assertThat(causalLimits.limitOf("news").orElseThrow().refused()).isEqualTo(1);
        assertThat(causalBus.stats().dropped()).as("held, not yet dropped").isZero();
        assertThat(slow.drain(p -> { }, 10)).isEqualTo(1); // p0 done: b is released, and dropped
        await(() -> causalBus.stats().dropped() == 1, "the throttled packet dropped when its dependency was done");
        time.advance(1_000 * MS);
        causalBus.publish(PhasePacket.builder("c").channel("news").dependsOn(idB).build()); // b counts as done
        List<Object> got = new ArrayList<>();
        await(() -> {
            feed.drain(p -> got.add(p.payload()), 10);
            return got.contains("c");
        }, "c, whose dependency b was dropped");
        feed.drain(p -> got.add(p.payload()), 10);
        assertThat(got).containsExactly("a", "c");
        assertThat(causalBus.stats().dropped()).isEqualTo(1);
        assertThat(causalLimits.limitOf("news").orElseThrow().refused()).isEqualTo(1);
        assertThat(deadLetters.entries).isEmpty();
    }

    @Test
    void shouldKeepLimitingAfterTheTimeSourceIsReplacedByOneReadingFarEarlier() {
        limits.limit("news", 10, 1, "");
        time.advance(10_000_000 * MS); // the old clock reads 10000 s
        assertThat(bus.tryPublish(PhasePacket.builder("a").channel("news").build())).isEqualTo(PublishStatus.ACCEPTED);
        assertThat(bus.tryPublish(PhasePacket.builder("b").channel("news").build())).isEqualTo(PublishStatus.THROTTLED);
        SimulatedTimeSourceImpl early = new SimulatedTimeSourceImpl(0);
        bus.setClocks(early, new io.chronofabric.time.internal.HlcClockImpl(early, 1, 500 * MS));
        assertThat(bus.tryPublish(PhasePacket.builder("c").channel("news").build())).as("not throttled for 10000 s")
                .isEqualTo(PublishStatus.ACCEPTED);
        assertThat(bus.tryPublish(PhasePacket.builder("d").channel("news").build())).as("the rate holds on the new clock")
                .isEqualTo(PublishStatus.THROTTLED);
        early.advance(100 * MS);
        assertThat(bus.tryPublish(PhasePacket.builder("e").channel("news").build())).isEqualTo(PublishStatus.ACCEPTED);
        assertThat(received()).containsExactly("a", "c", "e");
    }
}
