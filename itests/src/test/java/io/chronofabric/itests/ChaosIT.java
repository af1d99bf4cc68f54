package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.DeadLetterEntry;
import io.chronofabric.api.bus.DeadLetterLog;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PacketHandler;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.bus.Subscription;
import io.chronofabric.api.core.DeliveryFailedException;
import io.chronofabric.api.core.MessageId;
import io.chronofabric.api.core.ServiceUnavailableException;
import io.chronofabric.api.scheduler.ScheduledWork;
import io.chronofabric.api.scheduler.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The hot-swap promise under load: publishers send guaranteed packets at full speed to a whiteboard
 * handler (through a channel link) and to a programmatic receiver while the bus, time, scheduler and
 * ledger bundles are stopped and started or updated, over and over; a whiteboard periodic task runs
 * meanwhile. Every accepted packet reaches the handler or the dead-letter log, none twice, ids are
 * unique, and the task keeps firing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChaosIT extends ChronoFabricTestSupport {

    private static final String SOURCE = "chaos.src";
    private static final String HANDLED = "chaos.wb";
    private static final String RECEIVED = "chaos.rx";
    private static final String[] BUNDLES = {"io.chronofabric.bus", "io.chronofabric.time", "io.chronofabric.scheduler",
        "io.chronofabric.ledger"};

    /** Notices concurrent calls and duplicates. */
    static final class CountingHandler implements PacketHandler<Object> {
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();

        @Override
        public void onPacket(PhasePacket<Object> p) {
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
    public void shouldLoseAndDuplicateNothingWhileEveryPartIsRestartedUnderLoad() throws Exception {
        ServiceTracker<EventBus, EventBus> buses = new ServiceTracker<>(bundleContext, EventBus.class, null);
        buses.open();
        EventBus first = service(EventBus.class);
        // the link from SOURCE to HANDLED must survive every bus restart, or packets stop reaching the handler
        first.subscribe(Subscription.toChannel(SOURCE)).close();
        first.linkChannels(SOURCE, HANDLED);

        CountingHandler handler = new CountingHandler();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PacketHandler.CHANNEL, HANDLED);
        ServiceRegistration<?> handlerReg = bundleContext.registerService(PacketHandler.class.getName(), handler, props);

        AtomicLong fires = new AtomicLong();
        ServiceRegistration<?> taskReg = bundleContext.registerService(ScheduledWork.class.getName(), (ScheduledWork) () ->
                Task.builder("chaos-tick", fires::incrementAndGet)
                        .periodic(Duration.ofMillis(20), Duration.ofMillis(20))
                        .estimate(Duration.ofMillis(1)).build(), new Hashtable<>());
        waitFor(() -> fires.get() > 3, "the whiteboard task fires");
        waitFor(() -> first.subscriberCount(HANDLED) == 1, "the whiteboard handler is subscribed");

        AtomicBoolean stop = new AtomicBoolean();
        Set<Long> acceptedToHandler = ConcurrentHashMap.newKeySet();
        Set<Long> acceptedToReceiver = ConcurrentHashMap.newKeySet();
        AtomicLong duplicateIds = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        List<String> unexpectedText = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            boolean toHandler = t == 0;
            Thread th = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    EventBus bus = buses.getService();
                    if (bus == null) {
                        sleep(1);
                        continue;
                    }
                    PhasePacket<Long> p = PhasePacket.builder(n++).channel(toHandler ? SOURCE : RECEIVED).guaranteed(5)
                            .timeout(500_000_000L).build();
                    Set<Long> accepted = toHandler ? acceptedToHandler : acceptedToReceiver;
                    try {
                        long id = bus.publish(p);
                        if (!accepted.add(id)) {
                            duplicateIds.incrementAndGet();
                        }
                    } catch (DeliveryFailedException e) {
                        accepted.add(p.messageIdValue()); // accepted, and dead-lettered where it failed
                    } catch (ServiceUnavailableException e) {
                        refused.incrementAndGet(); // bus stopping or no clock: not accepted
                        sleep(1);
                    } catch (RuntimeException e) {
                        unexpected.incrementAndGet();
                        if (unexpectedText.size() < 5) {
                            unexpectedText.add(e.toString());
                        }
                    }
                }
            }, "chaos-publisher-" + t);
            threads.add(th);
        }
        Set<Long> received = ConcurrentHashMap.newKeySet();
        AtomicLong receivedTwice = new AtomicLong();
        Set<String> closeReasons = ConcurrentHashMap.newKeySet();
        Thread receiverThread = new Thread(() -> {
            while (!stop.get()) {
                EventBus bus = buses.getService();
                if (bus == null) {
                    sleep(1);
                    continue;
                }
                Receiver<Object> r;
                try {
                    r = bus.subscribe(Subscription.toChannel(RECEIVED));
                } catch (RuntimeException e) {
                    sleep(5);
                    continue;
                }
                try {
                    while (!stop.get() && !r.isClosed()) {
                        PhasePacket<Object> p = r.take(20, TimeUnit.MILLISECONDS);
                        if (p != null && !received.add(p.messageIdValue())) {
                            receivedTwice.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (r.isClosed()) {
                    closeReasons.add(String.valueOf(r.closeReason()));
                } else {
                    r.close();
                }
            }
        }, "chaos-receiver");
        threads.add(receiverThread);
        threads.forEach(Thread::start);

        int rounds = 12;
        for (int i = 0; i < rounds; i++) {
            Bundle b = bundle(BUNDLES[i % BUNDLES.length]);
            if (i % 3 == 2) {
                b.update();
            } else {
                b.stop();
                sleep(50);
                b.start();
            }
            waitFor(() -> buses.getService() != null, "a bus after round");
            sleep(400);
        }
        long firesBeforeEnd = fires.get();
        sleep(500);
        stop.set(true);
        for (Thread th : threads) {
            th.join(10_000);
        }
        waitFor(() -> fires.get() > firesBeforeEnd, "the whiteboard task still fires after the last restart");

        EventBus bus = service(EventBus.class);
        assertTrue("the channel link survived the bus restarts: " + bus.channelLinks(),
                bus.channelLinks().getOrDefault(SOURCE, Set.of()).contains(HANDLED));
        DeadLetterLog log = service(DeadLetterLog.class);
        // stop routing, then let the handler take what is still queued
        long settleEnd = System.currentTimeMillis() + 20_000;
        Set<Long> lettered = new java.util.HashSet<>();
        while (System.currentTimeMillis() < settleEnd) {
            lettered.clear();
            for (long from = log.firstSequence(); from < log.nextSequence(); ) {
                List<DeadLetterEntry> page = log.list(from, 1000);
                if (page.isEmpty()) {
                    break;
                }
                for (DeadLetterEntry e : page) {
                    if (HANDLED.equals(e.channel()) || SOURCE.equals(e.channel())) {
                        lettered.add(e.messageIdValue());
                    }
                }
                from = page.get(page.size() - 1).sequence() + 1;
            }
            long missing = acceptedToHandler.stream().filter(id -> !handler.seen.contains(id) && !lettered.contains(id)).count();
            if (missing == 0) {
                break;
            }
            sleep(200);
        }
        List<String> lost = new ArrayList<>();
        for (long id : acceptedToHandler) {
            if (!handler.seen.contains(id) && !lettered.contains(id)) {
                if (lost.size() < 10) {
                    lost.add(new MessageId(id).toString());
                }
            }
        }
        long lostCount = acceptedToHandler.stream().filter(id -> !handler.seen.contains(id) && !lettered.contains(id)).count();
        String summary = "accepted to handler " + acceptedToHandler.size() + ", handled " + handler.seen.size()
                + ", dead-lettered " + lettered.size() + ", lost " + lostCount + " " + lost + ", refused while stopping "
                + refused.get() + ", to receiver " + acceptedToReceiver.size() + ", received " + received.size()
                + ", close reasons " + closeReasons + ", task fires " + fires.get() + ", unexpected " + unexpectedText;
        System.out.println("ChaosIT: " + summary);
        assertEquals(summary, 0, lostCount);
        assertEquals("duplicate deliveries to the handler; " + summary, 0, handler.duplicates.get());
        assertFalse("the handler was called by two threads at once; " + summary, handler.overlapped.get());
        assertEquals("message ids repeated; " + summary, 0, duplicateIds.get());
        assertEquals("packets received twice; " + summary, 0, receivedTwice.get());
        assertEquals("unexpected publish errors; " + summary, 0, unexpected.get());
        Set<Long> allAccepted = new java.util.HashSet<>(acceptedToHandler);
        allAccepted.retainAll(acceptedToReceiver);
        assertTrue("an id was issued to both streams; " + summary, allAccepted.isEmpty());
        assertTrue("everything received was accepted; " + summary, acceptedToReceiver.containsAll(received));
        assertTrue("the load was real; " + summary, acceptedToHandler.size() > 1000 && received.size() > 100);
        assertTrue("receivers were closed with the reason; " + summary, closeReasons.contains("the bus stopped"));
        taskReg.unregister();
        handlerReg.unregister();
        buses.close();
    }
}
