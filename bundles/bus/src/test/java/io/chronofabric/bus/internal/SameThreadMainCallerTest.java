package io.chronofabric.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.SubscriptionId;
import io.chronofabric.api.bus.SubscriptionInfo;
import io.chronofabric.api.core.ComponentId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Same-thread delivery's main caller (the first publishing thread counts its calls without atomic
 * read-modify-writes): counts stay exact next to other threads, and a close waits for a main
 * caller's call even when that call published (and so was entered) again from inside itself.
 */
class SameThreadMainCallerTest extends BusTestSupport {

    record Tick(int n) {
    }

    @Test
    void shouldCountTheMainCallersAndOtherThreadsDeliveriesExactly() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        AtomicInteger calls = new AtomicInteger();
        SubscriptionId id = bus.addHandler((PacketHandler<Tick>) p -> calls.incrementAndGet(), Tick.class, null, -1, "test", true);
        for (int i = 0; i < 1000; i++) { // this thread becomes the main caller
            bus.publish(PhasePacket.of(new Tick(i), ComponentId.SYSTEM));
        }
        Thread other = new Thread(() -> {
            for (int i = 0; i < 1500; i++) {
                bus.publish(PhasePacket.of(new Tick(i), ComponentId.SYSTEM));
            }
        });
        other.start();
        for (int i = 0; i < 500; i++) {
            bus.publish(PhasePacket.of(new Tick(i), ComponentId.SYSTEM));
        }
        other.join();
        assertThat(calls).hasValue(3000);
        SubscriptionInfo info = bus.activeSubscriptions().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        assertThat(info.delivered()).isEqualTo(3000);
        assertThat(bus.stats().delivered()).isEqualTo(3000);
    }

    @Test
    void shouldWaitForAMainCallersCallThatPublishedFromInsideItself() throws Exception {
        PhaseCoherenceBus bus = systemBus(settings(1024, 1));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean returning = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        bus.addHandler((PacketHandler<Tick>) p -> {
            calls.incrementAndGet();
            if (p.payload().n() == 0) {
                bus.publish(PhasePacket.of(new Tick(1), ComponentId.SYSTEM)); // nested: entered and exited inside this call
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                returning.set(true);
            }
        }, Tick.class, null, -1, "test", true);
        Thread publisher = new Thread(() -> bus.publish(PhasePacket.of(new Tick(0), ComponentId.SYSTEM)));
        publisher.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        SubscriptionId id = bus.activeSubscriptions().get(0).id();
        AtomicReference<Boolean> returnedFirst = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            bus.unsubscribe(id);
            returnedFirst.set(returning.get());
        });
        closer.start();
        // let the closer reach its wait for the call in progress (if it has not yet, the check below holds trivially)
        await(() -> closer.getState() == Thread.State.TIMED_WAITING || closer.getState() == Thread.State.WAITING
                || !closer.isAlive(), "the closer waiting");
        release.countDown();
        closer.join();
        publisher.join();
        assertThat(returnedFirst.get()).as("the outer call had returned when unsubscribe returned").isTrue();
        assertThat(calls).hasValue(2);
    }
}
