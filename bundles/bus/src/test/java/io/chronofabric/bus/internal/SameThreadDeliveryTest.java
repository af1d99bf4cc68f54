package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SameThreadDeliveryTest extends BusTestSupport {

    record Tick(int publisher, int seq) {
    }

    @Test
    void shouldCallTheHandlerOnThePublishersThreadBeforePublishReturns() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        List<Thread> callers = new CopyOnWriteArrayList<>();
        List<Object> payloads = new CopyOnWriteArrayList<>();
        bus.addHandler((PacketHandler<String>) p -> {
            callers.add(Thread.currentThread());
            payloads.add(p.payload());
        }, String.class, null, -1, "test", true);
        for (int i = 0; i < 100; i++) {
            bus.publish(PhasePacket.of("p" + i, ComponentId.SYSTEM));
            assertThat(payloads).hasSize(i + 1).last().isEqualTo("p" + i);
        }
        assertThat(callers).containsOnly(Thread.currentThread());
        assertThat(bus.stats().delivered()).isEqualTo(100);
        assertThat(bus.activeSubscriptions()).singleElement().satisfies(s -> assertThat(s.origin()).contains("same-thread"));
    }

    @Test
    void shouldDeliverToQueuedAndSameThreadHandlersOfOneChannelAlike() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Collecting<Object> queued = new Collecting<>();
        Collecting<Object> direct = new Collecting<>();
        bus.addHandler(queued, Object.class, "mixed", -1, "test", false);
        bus.addHandler(direct, Object.class, "mixed", -1, "test", true);
        for (int i = 0; i < 50; i++) {
            bus.publish(PhasePacket.builder(i).channel("mixed").build());
        }
        assertThat(direct.payloads()).hasSize(50).isSorted();
        await(() -> queued.received.size() == 50, "the queued handler got all");
        assertThat(queued.payloads()).isEqualTo(direct.payloads());
    }

    @Test
    void shouldDeadLetterWhatTheHandlerThrowsWithoutFailingThePublish() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        AtomicInteger calls = new AtomicInteger();
        SubscriptionId id = bus.addHandler((PacketHandler<String>) p -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom on " + p.payload());
        }, String.class, null, -1, "test", true);
        long msg = bus.publish(PhasePacket.builder("x").guaranteed(3).build());
        bus.publish(PhasePacket.of("y", ComponentId.SYSTEM));
        assertThat(calls).hasValue(2);
        assertThat(deadLetters.entries).hasSize(2);
        assertThat(deadLetters.entries.get(0).packet().messageIdValue()).isEqualTo(msg);
        assertThat(deadLetters.entries.get(0).reason()).contains("handler of " + id).contains("boom on x");
        assertThat(deadLetters.entries.get(0).subscriber()).isEqualTo(id);
        assertThat(bus.stats().failed()).isEqualTo(2);
        assertThat(bus.stats().delivered()).isZero();
    }

    @Test
    void shouldHonourAcceptsAndTheTargetMask() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        List<Integer> got = new CopyOnWriteArrayList<>();
        PacketHandler<Integer> evens = new PacketHandler<>() {
            @Override
            public void onPacket(PhasePacket<Integer> packet) {
                got.add(packet.payload());
            }

            @Override
            public boolean accepts(PhasePacket<Integer> packet) {
                return packet.payload() % 2 == 0;
            }
        };
        bus.addHandler(evens, Integer.class, null, 5, "test", true);
        for (int i = 0; i < 10; i++) {
            bus.publish(PhasePacket.of(i, ComponentId.SYSTEM));
        }
        bus.publish(PhasePacket.builder(100).targets(1L << 6).build()); // another component: not for it
        bus.publish(PhasePacket.builder(200).targets(1L << 5).build());
        assertThat(got).containsExactly(0, 2, 4, 6, 8, 200);
    }

    @Test
    void shouldKeepEachPublishersOrderWhenPublishersCallConcurrently() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        ConcurrentHashMap<Integer, Integer> last = new ConcurrentHashMap<>();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger concurrentCalls = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicLong calls = new AtomicLong();
        bus.addHandler((PacketHandler<Tick>) p -> {
            int c = concurrentCalls.incrementAndGet();
            maxConcurrent.accumulateAndGet(c, Math::max);
            Integer prev = last.put(p.payload().publisher(), p.payload().seq());
            if (prev != null && prev + 1 != p.payload().seq()) {
                outOfOrder.incrementAndGet();
            }
            calls.incrementAndGet();
            concurrentCalls.decrementAndGet();
        }, Tick.class, null, -1, "test", true);
        int publishers = 3;
        int each = 20_000;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < publishers; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    bus.publish(PhasePacket.of(new Tick(id, i), ComponentId.SYSTEM));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(outOfOrder).hasValue(0);
        assertThat(calls.get()).isEqualTo((long) publishers * each);
        assertThat(bus.stats().delivered()).isEqualTo((long) publishers * each);
    }

    @Test
    void shouldNeverCallTheHandlerAfterItsUnsubscriptionReturnsAndLoseNothingGuaranteed() throws Exception {
        for (int round = 0; round < 20; round++) {
            PhaseCoherenceBus bus = systemBus(settings(1024, 1));
            AtomicBoolean unsubscribed = new AtomicBoolean();
            AtomicInteger lateCalls = new AtomicInteger();
            AtomicLong handled = new AtomicLong();
            SubscriptionId id = bus.addHandler((PacketHandler<Tick>) p -> {
                if (unsubscribed.get()) {
                    lateCalls.incrementAndGet();
                }
                handled.incrementAndGet();
                Thread.onSpinWait();
            }, Tick.class, null, -1, "test", true);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong routedBeforeClose = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int pub = t;
                threads.add(new Thread(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        bus.publish(PhasePacket.builder(new Tick(pub, i++)).guaranteed(3).build());
                    }
                }));
            }
            threads.forEach(Thread::start);
            Thread.sleep(5);
            int before = deadLetters.entries.size();
            bus.unsubscribe(id);
            unsubscribed.set(true);
            long handledAtReturn = handled.get();
            Thread.sleep(2);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(lateCalls).as("calls after unsubscribe returned, round %d", round).hasValue(0);
            assertThat(handled.get()).isEqualTo(handledAtReturn);
            // packets that met the closed handler on their way are in the dead-letter log, not lost
            deadLetters.entries.subList(before, deadLetters.entries.size())
                    .forEach(e -> assertThat(e.reason()).contains(id + " closed (unsubscribed) before the packet was delivered"));
            routedBeforeClose.set(handledAtReturn);
            assertThat(bus.stats().delivered()).isEqualTo(handledAtReturn);
        }
    }

    @Test
    void shouldDeadLetterGuaranteedPacketsThatReachAStoppingBusesSameThreadHandler() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        AtomicInteger calls = new AtomicInteger();
        bus.addHandler((PacketHandler<String>) p -> calls.incrementAndGet(), String.class, null, -1, "test", true);
        bus.publish(PhasePacket.of("before", ComponentId.SYSTEM));
        bus.close();
        assertThat(calls).hasValue(1);
        assertThat(bus.stats().delivered()).isEqualTo(1);
        assertThat(deadLetters.entries).isEmpty();
    }
}
