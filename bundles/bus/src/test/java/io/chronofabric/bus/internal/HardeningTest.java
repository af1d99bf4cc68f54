package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hardening points of the bus: each test failed on the bus before its fix. */
class HardeningTest extends BusTestSupport {

    /** A handler that notices being called by two threads at once and counts each packet it gets. */
    static final class Strict implements PacketHandler<Long> {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();

        @Override
        public void onPacket(PhasePacket<Long> p) {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            if (!seen.add(p.messageIdValue())) {
                duplicates.incrementAndGet();
            }
            inside.decrementAndGet();
        }
    }

    @Test
    void shouldNeverLoseOrDuplicateAcceptedGuaranteedPacketsWhileHandlersAndDispatchersChange() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(64, 2));
        Strict[] handlers = new Strict[4];
        SubscriptionId[] ids = new SubscriptionId[4];
        for (int i = 0; i < 4; i++) {
            handlers[i] = new Strict();
            ids[i] = bus.addHandler(handlers[i], Long.class, null, -1, "stress");
        }
        AtomicBoolean stop = new AtomicBoolean();
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        AtomicLong failedAtPublisher = new AtomicLong();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread th = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    PhasePacket<Long> p = PhasePacket.builder(n++).guaranteed(2).timeout(2_000_000).build();
                    try {
                        accepted.add(bus.publish(p));
                    } catch (DeliveryFailedException e) {
                        accepted.add(p.messageIdValue());
                        failedAtPublisher.incrementAndGet();
                    }
                }
            });
            th.start();
            publishers.add(th);
        }
        List<Strict> retired = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            int k = round % 4;
            bus.unsubscribe(ids[k]);
            retired.add(handlers[k]);
            handlers[k] = new Strict();
            ids[k] = bus.addHandler(handlers[k], Long.class, null, -1, "stress");
            if (round % 5 == 0) {
                bus.reconfigure(settings(64, 1 + (round / 5) % 3));
            }
            Thread.sleep(5);
        }
        stop.set(true);
        for (Thread th : publishers) {
            th.join();
        }
        for (Strict h : handlers) {
            retired.add(h);
        }
        bus.close();
        assertThat(retired).allSatisfy(h -> {
            assertThat(h.overlapped).as("handler called by two threads at once").isFalse();
            assertThat(h.duplicates.get()).as("duplicate deliveries").isZero();
        });
        // each accepted packet reached every subscription that was routed it, or is in the dead-letter log for it
        long deliveries = retired.stream().mapToLong(h -> h.seen.size()).sum();
        assertThat(bus.stats().delivered()).isEqualTo(deliveries);
        for (BusTestSupport.RecordingSink.Entry e : deadLetters.entries) {
            assertThat(accepted).contains(e.packet().messageIdValue());
        }
        // every packet reached the subscriptions present (at least 3 of the 4 at any moment), or is dead-lettered for them
        for (long id : accepted) {
            long reached = retired.stream().filter(h -> h.seen.contains(id)).count();
            long lettered = deadLetters.entries.stream().filter(e -> e.packet().messageIdValue() == id).count();
            assertThat(reached + lettered).as("deliveries + dead letters of %s", new MessageId(id)).isGreaterThanOrEqualTo(3);
        }
        assertThat(accepted).hasSizeGreaterThan(1000);
        assertThat(bus.stats().dropped()).isZero();
    }

    @Test
    void shouldDeadLetterWhatIsQueuedWhenAHandlerLeavesAfterItsDrainTime() throws Exception {
        Settings quick = new Settings(1024, WaitStrategy.PARK, 1, 3, 100 * MS, 100, 50 * MS, 1000, 1_000_000,
                10_000 * MS, false);
        PhaseCoherenceBus bus = systemBus(quick);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        SubscriptionId id = bus.addHandler((PacketHandler<Integer>) p -> {
            entered.countDown();
            gate.await();
            handled.incrementAndGet();
        }, Integer.class, null, -1, "slow");
        for (int i = 0; i < 10; i++) {
            bus.publish(PhasePacket.builder(i).guaranteed(1).build());
        }
        entered.await(5, TimeUnit.SECONDS);
        Thread unsubscriber = new Thread(() -> bus.unsubscribe(id));
        unsubscriber.start();
        Thread.sleep(200); // the drain time (50 ms) passes while the handler is stuck in its first call
        gate.countDown();
        unsubscriber.join(10_000);
        await(() -> handled.get() + deadLetters.entries.size() == 10, "every packet delivered or dead-lettered");
        assertThat(deadLetters.entries).isNotEmpty().allSatisfy(e -> assertThat(e.reason()).contains("unsubscribed"));
        assertThat(handled.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldCloseReceiversWithAReasonAndDeadLetterTheirGuaranteedPackets() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Receiver<Integer> r = bus.subscribe(Integer.class);
        bus.publish(PhasePacket.builder(1).guaranteed(1).build());
        bus.publish(PhasePacket.of(2, ComponentId.SYSTEM));
        assertThat(r.closeReason()).isNull();
        bus.close();
        assertThat(r.isClosed()).isTrue();
        assertThat(r.closeReason()).isEqualTo("the bus stopped");
        assertThat(r.poll()).isNull();
        assertThat(deadLetters.payloads()).containsExactly(1);
        assertThat(bus.stats().dropped()).isEqualTo(1);
    }

    @Test
    void shouldRefuseASecondConcurrentPollerOfAReceiver() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Receiver<Integer> r = bus.subscribe(Integer.class);
        assertThat(r.poll()).isNull();
        ConsumerToken token = ((ReceiverImpl<Integer>) r).token;
        assertThat(token.tryAcquire()).isTrue(); // as if another thread were inside poll
        assertThatThrownBy(r::poll).isInstanceOf(IllegalStateException.class).hasMessageContaining("one consumer");
        token.release();
        assertThat(r.poll()).isNull();
    }

    @Test
    void shouldKeepMessageIdsUniqueAcrossBusRestartsAndCrashes(@TempDir Path dir) throws Exception {
        SequenceStore file = SequenceStore.inFile(dir.resolve("ids.state"));
        TimeSource ts = new SystemTimeSource();
        PhaseCoherenceBus first = new PhaseCoherenceBus(settings(1024, 1), ts, new HlcClockImpl(ts, 1, 500 * MS), file, null);
        long a = first.publish(PhasePacket.of(1, ComponentId.SYSTEM));
        first.close();
        PhaseCoherenceBus second = new PhaseCoherenceBus(settings(1024, 1), ts, new HlcClockImpl(ts, 1, 500 * MS),
                SequenceStore.inFile(dir.resolve("ids.state")), null);
        long b = second.publish(PhasePacket.of(2, ComponentId.SYSTEM));
        assertThat(new MessageId(b).sequence()).as("after a clean stop").isGreaterThan(new MessageId(a).sequence());
        // a crash: the second bus is never closed; a third starts from its reservation
        PhaseCoherenceBus third = new PhaseCoherenceBus(settings(1024, 1), ts, new HlcClockImpl(ts, 1, 500 * MS),
                SequenceStore.inFile(dir.resolve("ids.state")), null);
        buses.add(third);
        long c = third.publish(PhasePacket.of(3, ComponentId.SYSTEM));
        assertThat(new MessageId(c).sequence()).as("after a crash").isGreaterThan(new MessageId(b).sequence());
        second.close();
    }

    @Test
    void shouldRefuseADependencyOnAnIdNotIssuedYet() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        long a = bus.publish(PhasePacket.of("a", ComponentId.SYSTEM));
        long future = MessageId.pack(1, new MessageId(a).sequence() + 1000);
        assertThatThrownBy(() -> bus.publish(PhasePacket.builder("b").dependsOn(future).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not issued yet");
    }

    @Test
    void shouldKeepTheNewerSequenceWhenALateFinisherWritesTheSameRingSlot() {
        CausalTracker t = new CausalTracker(() -> { }, 1, true);
        long newer = 5 + CausalTracker.RING;
        t.markDone(MessageId.pack(1, newer), 1);
        t.markDone(MessageId.pack(1, 5), 1); // a packet that finished after 65,536 later ones
        assertThat(t.isDone(MessageId.pack(1, newer), 1, newer + 10)).isTrue();
    }

    @Test
    void shouldNotWalkHeldPacketsInALoopWhenNothingCanBeReleased() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Receiver<String> r = bus.subscribe(String.class);
        long a = bus.publish(PhasePacket.of("a", ComponentId.SYSTEM)); // never taken
        bus.publish(PhasePacket.builder("b").dependsOn(a).build());
        Thread hk = threadNamed("chronofabric-bus-housekeeper");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(100);
        long cpu0 = mx.getThreadCpuTime(hk.getId());
        Thread.sleep(1000);
        long cpuMs = (mx.getThreadCpuTime(hk.getId()) - cpu0) / 1_000_000;
        assertThat(cpuMs).as("housekeeper CPU ms in 1 s with a packet held").isLessThan(100);
        assertThat(r.poll().payload()).isEqualTo("a");
        assertThat(r.take(5, TimeUnit.SECONDS).payload()).isEqualTo("b");
    }

    @Test
    void shouldNotSpinWhenAHandlerLeavesTheInterruptFlagSet() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        CountDownLatch done = new CountDownLatch(1);
        bus.addHandler((PacketHandler<String>) p -> {
            Thread.currentThread().interrupt();
            done.countDown();
        }, String.class, null, -1, "rude");
        bus.publish(PhasePacket.of("x", ComponentId.SYSTEM));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        Thread d = threadNamed("chronofabric-bus-dispatch-");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(100);
        long cpu0 = mx.getThreadCpuTime(d.getId());
        Thread.sleep(1000);
        long cpuMs = (mx.getThreadCpuTime(d.getId()) - cpu0) / 1_000_000;
        assertThat(cpuMs).as("idle dispatcher CPU ms in 1 s").isLessThan(100);
    }

    @Test
    void shouldRefusePublishesWithoutAClockAndKeepEverythingElse() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        Receiver<String> r = bus.subscribe(String.class);
        bus.publish(PhasePacket.of("before", ComponentId.SYSTEM));
        bus.setClocks(null, null);
        assertThatThrownBy(() -> bus.publish(PhasePacket.of("x", ComponentId.SYSTEM)))
                .isInstanceOf(ServiceUnavailableException.class).hasMessageContaining("TimeSource");
        assertThat(bus.health().details()).anySatisfy(w -> assertThat(w).contains("No time source"));
        assertThat(r.poll().payload()).isEqualTo("before");
        TimeSource ts = new SystemTimeSource();
        bus.setClocks(ts, new HlcClockImpl(ts, 1, 500 * MS));
        bus.publish(PhasePacket.of("after", ComponentId.SYSTEM));
        assertThat(r.poll().payload()).isEqualTo("after");
    }

    @Test
    void shouldRememberABoundedNumberOfChannelNames() {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        for (int i = 0; i < 5000; i++) {
            bus.publish(PhasePacket.builder("x").channel("bench.run-" + i).build());
        }
        assertThat(bus.channels().size()).isLessThanOrEqualTo(2 * Router.MAX_REMEMBERED + 10);
    }

    private static Thread threadNamed(String prefix) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                return t;
            }
        }
        throw new AssertionError("no thread " + prefix);
    }
}
