package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.BusHealth;
import io.chronofabric.api.bus.BusStats;
import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.bus.DeadLetter;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.PublishStatus;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.ResourceExhaustedException;
import io.chronofabric.api.core.TemporalViolationException;
import io.chronofabric.time.internal.SimulatedTimeSourceImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryTest extends BusTestSupport {

    record Tick(int publisher, int seq) {
    }

    @Test
    void shouldCallWhiteboardHandlersOnDispatcherThreads() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 2));
        Collecting<String> a = new Collecting<>();
        Collecting<String> b = new Collecting<>();
        bus.addHandler(a, String.class, null, -1, "test");
        bus.addHandler(b, Object.class, "news", -1, "test");
        bus.publish(PhasePacket.of("typed", ComponentId.SYSTEM));
        bus.publish(PhasePacket.builder("channel").channel("news").build());
        await(() -> a.received.size() == 1 && b.received.size() == 1, "both handlers called");
        assertThat(a.payloads()).containsExactly("typed");
        assertThat(b.payloads()).containsExactly("channel");
        await(() -> bus.stats().delivered() == 2, "delivered counted");
    }

    @Test
    void shouldKeepEachPublishersOrderAtEverySubscriberUnderConcurrency() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1 << 16, 2));
        int publishers = 3;
        int perPublisher = 20_000;
        Collecting<Tick> handler = new Collecting<>();
        bus.addHandler(handler, Tick.class, null, -1, "test");
        Receiver<Tick> receiver = bus.subscribe(Tick.class);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    bus.publish(PhasePacket.builder(new Tick(id, i)).guaranteed(50).timeout(5_000 * MS).build());
                }
            }));
        }
        List<Tick> pulled = new ArrayList<>();
        threads.forEach(Thread::start);
        while (pulled.size() < publishers * perPublisher) {
            PhasePacket<Tick> t = receiver.take(10, TimeUnit.SECONDS);
            assertThat(t).as("packet %d arrived", pulled.size()).isNotNull();
            pulled.add(t.payload());
        }
        for (Thread t : threads) {
            t.join();
        }
        await(() -> handler.received.size() == publishers * perPublisher, "handler got everything");
        assertFifoPerPublisher(pulled, publishers, perPublisher);
        assertFifoPerPublisher(handler.payloads(), publishers, perPublisher);
    }

    private static void assertFifoPerPublisher(List<Tick> ticks, int publishers, int perPublisher) {
        int[] next = new int[publishers];
        for (Tick t : ticks) {
            assertThat(t.seq()).as("publisher %d order", t.publisher()).isEqualTo(next[t.publisher()]);
            next[t.publisher()]++;
        }
        for (int n : next) {
            assertThat(n).isEqualTo(perPublisher);
        }
    }

    @Test
    void shouldLoseNothingToASlowSubscriberWithGuaranteedDelivery() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(16, 1));
        AtomicInteger handled = new AtomicInteger();
        PacketHandler<Integer> slow = p -> {
            Thread.sleep(1);
            handled.incrementAndGet();
        };
        bus.addHandler(slow, Integer.class, null, -1, "test");
        int total = 200;
        for (int i = 0; i < total; i++) {
            bus.publish(PhasePacket.builder(i).guaranteed(100).timeout(10_000 * MS).build());
        }
        await(() -> handled.get() == total, "every guaranteed packet handled");
        BusStats s = bus.stats();
        assertThat(s.dropped()).isZero();
        assertThat(s.failed()).isZero();
        assertThat(s.retried()).isPositive();
    }

    @Test
    void shouldDropAndCountBestEffortPacketsWhenAQueueIsFull() {
        PhaseCoherenceBus bus = systemBus(settings(16, 1));
        Receiver<Integer> r = bus.subscribe(Integer.class);
        for (int i = 0; i < 20; i++) {
            bus.publish(PhasePacket.of(i, ComponentId.SYSTEM));
        }
        assertThat(r.size()).isEqualTo(16);
        assertThat(bus.stats().dropped()).isEqualTo(4);
        assertThat(bus.activeSubscriptions().get(0).dropped()).isEqualTo(4);
        assertThat(bus.tryPublish(PhasePacket.of(99, ComponentId.SYSTEM))).isEqualTo(PublishStatus.QUEUE_FULL);
    }

    @Test
    void shouldTellThePublisherAndDeadLetterWhenRetriesRunOut() {
        PhaseCoherenceBus bus = systemBus(settings(16, 1));
        Receiver<Object> dead = bus.subscribeChannel(Channels.DEAD_LETTER);
        Receiver<Integer> stuck = bus.subscribe(Integer.class);
        for (int i = 0; i < 16; i++) {
            bus.publish(PhasePacket.of(i, ComponentId.SYSTEM));
        }
        PhasePacket<Integer> last = PhasePacket.builder(16).guaranteed(2).timeout(20 * MS).build();
        assertThatThrownBy(() -> bus.publish(last)).isInstanceOf(DeliveryFailedException.class)
                .hasMessageContaining(stuck.id().toString()).hasMessageContaining("2 retries")
                .hasMessageContaining("dead-letter log entry 0");
        assertThat(deadLetters.entries).singleElement().satisfies(e -> {
            assertThat(e.packet()).isSameAs(last);
            assertThat(e.reason()).contains("retries exhausted");
        });
        PhasePacket<Object> letter = dead.poll();
        assertThat(letter).isNotNull();
        DeadLetter d = (DeadLetter) letter.payload();
        assertThat(d.packet()).isSameAs(last);
        assertThat(d.subscriber()).isEqualTo(stuck.id());
        assertThat(d.reason()).contains("retries exhausted");
        assertThat(bus.stats().retried()).isEqualTo(2);
        assertThat(bus.stats().deadLettered()).isEqualTo(1);
    }

    @Test
    void shouldNotDeliverExpiredPackets() {
        SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_000 * MS);
        PhaseCoherenceBus bus = simulatedBus(Settings.DEFAULTS, time);
        Receiver<String> r = bus.subscribe(String.class);
        assertThatThrownBy(() -> bus.publish(PhasePacket.builder("too late").deadline(999 * MS).build()))
                .isInstanceOf(TemporalViolationException.class).hasMessageContaining("in the past");
        assertThat(bus.tryPublish(PhasePacket.builder("too late").deadline(999 * MS).build())).isEqualTo(PublishStatus.EXPIRED);
        bus.publish(PhasePacket.builder("expires in queue").deadline(1_010 * MS).build());
        bus.publishWithDeadline(PhasePacket.of("overridden", ComponentId.SYSTEM), 1_005 * MS);
        bus.publish(PhasePacket.builder("in time").deadline(1_100 * MS).build());
        time.advance(20 * MS);
        assertThat(r.poll().payload()).isEqualTo("in time");
        assertThat(r.poll()).isNull();
        assertThat(bus.stats().expired()).isEqualTo(4);
    }

    @Test
    void shouldKeepDeliveringWhenAHandlerThrows() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Receiver<Object> dead = bus.subscribeChannel(Channels.DEAD_LETTER);
        PacketHandler<String> broken = p -> {
            throw new IllegalStateException("handler bug on " + p.payload());
        };
        Collecting<String> healthy = new Collecting<>();
        bus.addHandler(broken, String.class, null, -1, "test");
        bus.addHandler(healthy, String.class, null, -1, "test");
        for (int i = 0; i < 10; i++) {
            bus.publish(PhasePacket.of("m" + i, ComponentId.SYSTEM));
        }
        await(() -> healthy.received.size() == 10, "the healthy handler got all");
        await(() -> bus.stats().failed() == 10, "failures counted");
        List<Object> letters = RoutingTest.drain(dead);
        assertThat(letters).hasSize(10);
        assertThat(((DeadLetter) letters.get(0)).cause()).hasMessageContaining("handler bug");
    }

    @Test
    void shouldHoldCausalDependentsAndReleaseThemInHlcOrder() throws Exception {
        PhaseCoherenceBus bus = systemBus(Settings.DEFAULTS);
        Receiver<String> r = bus.subscribe(String.class);
        long a = bus.publish(PhasePacket.of("a", ComponentId.SYSTEM));
        // b and c depend on a, which is queued but not yet taken: they wait
        bus.publish(PhasePacket.builder("b").dependsOn(a).priority(io.chronofabric.api.core.Priority.CRITICAL).build());
        bus.publish(PhasePacket.builder("c").dependsOn(a).priority(io.chronofabric.api.core.Priority.CRITICAL).build());
        assertThat(r.poll().payload()).isEqualTo("a");
        assertThat(r.take(5, TimeUnit.SECONDS).payload()).isEqualTo("b");
        assertThat(r.take(5, TimeUnit.SECONDS).payload()).isEqualTo("c");
        // a dependency that is already done does not hold
        bus.publish(PhasePacket.builder("d").dependsOn(a).build());
        assertThat(r.poll().payload()).isEqualTo("d");
    }

    @Test
    void shouldExpireAHeldPacketWhoseDependencyNeverCompletes() {
        PhaseCoherenceBus bus = systemBus(Settings.DEFAULTS);
        Receiver<String> r = bus.subscribe(String.class);
        long a = bus.publish(PhasePacket.of("a", ComponentId.SYSTEM)); // never taken
        long deadline = System.currentTimeMillis() * MS + 30 * MS;
        bus.publish(PhasePacket.builder("orphan").dependsOn(a).deadline(deadline).build());
        await(() -> bus.stats().expired() == 1, "held packet expired");
        assertThat(r.poll().payload()).isEqualTo("a");
        assertThat(r.poll()).isNull();
    }

    @Test
    void shouldMeasureLatencyAndCheckHealthAgainstTargets() {
        Settings strict = new Settings(1024, WaitStrategy.PARK, 1, 3, 100 * MS, 100, 1_000 * MS, 1, Long.MAX_VALUE,
                10_000 * MS, false);
        PhaseCoherenceBus bus = systemBus(strict);
        Collecting<Integer> h = new Collecting<>();
        bus.addHandler(h, Integer.class, null, -1, "test");
        for (int i = 0; i < 1000; i++) {
            bus.publish(PhasePacket.of(i, ComponentId.SYSTEM));
        }
        await(() -> h.received.size() == 1000, "all handled");
        await(() -> bus.stats().p50LatencyNanos() > 0, "latency handed over by the idle dispatcher");
        BusStats s = bus.stats();
        assertThat(s.published()).isEqualTo(1000);
        assertThat(s.delivered()).isEqualTo(1000);
        assertThat(s.p50LatencyNanos()).isPositive();
        assertThat(s.p99LatencyNanos()).isGreaterThanOrEqualTo(s.p50LatencyNanos());
        assertThat(s.peakLatencyNanos()).isGreaterThanOrEqualTo(s.p999LatencyNanos());
        await(() -> bus.healthCheck().warnings().size() >= 2, "both targets judged over the window");
        BusHealth health = bus.healthCheck();
        assertThat(health.healthy()).isFalse();
        assertThat(health.warnings()).anySatisfy(w -> assertThat(w).contains("exceeds the 1 ns target"));
        assertThat(health.warnings()).anySatisfy(w -> assertThat(w).contains("Dispatch capacity"));
    }

    @Test
    void shouldNotJudgeTheLatencyTargetsOverAWindowOfFewDeliveries() {
        Settings strict = new Settings(1024, WaitStrategy.PARK, 1, 3, 100 * MS, 100, 1_000 * MS, 1, Long.MAX_VALUE,
                10_000 * MS, false);
        PhaseCoherenceBus bus = systemBus(strict);
        Collecting<Integer> h = new Collecting<>();
        bus.addHandler(h, Integer.class, null, -1, "test");
        for (int i = 0; i < 10; i++) {
            bus.publish(PhasePacket.of(i, ComponentId.SYSTEM));
        }
        await(() -> h.received.size() == 10, "all handled");
        await(() -> bus.stats().p50LatencyNanos() > 0, "latency handed over by the idle dispatcher");
        // 10 deliveries, fewer than HEALTH_MIN_DELIVERIES: a 1 ns target is not judged
        assertThat(bus.healthCheck().warnings()).noneSatisfy(w -> assertThat(w).contains("target"));
        assertThat(bus.healthCheck().healthy()).isTrue();
    }

    @Test
    void shouldDeliverQueuedPacketsWhenStoppingAndRefuseNewOnes() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        bus.addHandler((PacketHandler<Integer>) p -> {
            gate.await();
            handled.incrementAndGet();
        }, Integer.class, null, -1, "test");
        for (int i = 0; i < 100; i++) {
            bus.publish(PhasePacket.builder(i).guaranteed(1).build());
        }
        Thread closer = new Thread(bus::close);
        closer.start();
        await(bus::isClosed, "closing");
        assertThatThrownBy(() -> bus.publish(PhasePacket.of(1, ComponentId.SYSTEM)))
                .isInstanceOf(io.chronofabric.api.core.ServiceUnavailableException.class).hasMessageContaining("stopping");
        assertThat(bus.tryPublish(PhasePacket.of(1, ComponentId.SYSTEM))).isEqualTo(PublishStatus.CLOSED);
        gate.countDown();
        closer.join(10_000);
        assertThat(handled.get()).isEqualTo(100);
    }

    @Test
    void shouldApplyANewDispatcherCountWithoutLosingHandlers() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Collecting<Integer> h = new Collecting<>();
        bus.addHandler(h, Integer.class, null, -1, "test");
        bus.publish(PhasePacket.of(1, ComponentId.SYSTEM));
        bus.reconfigure(settings(1024, 3));
        bus.publish(PhasePacket.of(2, ComponentId.SYSTEM));
        await(() -> h.received.size() == 2, "handler still served");
        assertThat(h.payloads()).containsExactly(1, 2);
    }

    @Test
    void shouldRefuseRepublishingAPacket() {
        PhaseCoherenceBus bus = systemBus(Settings.DEFAULTS);
        PhasePacket<String> p = PhasePacket.of("once", ComponentId.SYSTEM);
        bus.publish(p);
        assertThatThrownBy(() -> bus.publish(p)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already published");
    }
}
