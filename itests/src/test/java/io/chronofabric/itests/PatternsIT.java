package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.patterns.AppendResult;
import io.chronofabric.api.patterns.ChannelHistory;
import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.EventProof;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.ReplayedPacket;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.RequestTimeoutException;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.api.patterns.StoredEvent;
import io.chronofabric.api.patterns.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Request/reply, csf:replay and the event store inside the distribution, on the real bus and ledger. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PatternsIT extends ChronoFabricTestSupport {

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Test
    public void requestGetsTheWhiteboardRespondersReplyAndTimesOutNamingTheChannelWithoutOne() throws Exception {
        RequestReply rr = service(RequestReply.class);
        EventBus bus = service(EventBus.class);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Responder.CHANNEL, "itest.ping");
        Responder<Object, String> responder = request -> "pong:" + request.payload();
        ServiceRegistration<?> reg = bundleContext.registerService(Responder.class, responder, props);
        try {
            waitFor(() -> bus.subscriberCount("itest.ping") > 0, "the responder's subscription to itest.ping");
            for (int i = 0; i < 20; i++) {
                PhasePacket<String> reply = rr.request("itest.ping", "hello" + i, String.class, Duration.ofSeconds(30))
                        .toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals("pong:hello" + i, reply.payload());
                assertEquals(RequestReply.REPLY_CHANNEL, reply.channel());
            }
        } finally {
            reg.unregister();
        }
        waitFor(() -> bus.subscriberCount("itest.ping") == 0, "the responder's subscription to go");
        try {
            rr.request("itest.nobody", "anyone?", Duration.ofMillis(500)).toCompletableFuture().get(60, TimeUnit.SECONDS);
            fail("a request nobody answers must time out");
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof RequestTimeoutException);
            assertContains(e.getCause().getMessage(), "No reply on channel 'itest.nobody' within 500 ms");
        }
        assertEquals(0, rr.pending());
    }

    @Test
    public void replayRepublishesARecordedChannelWithItsOriginalTimes() throws Exception {
        Configuration cfg = configurationAdmin.getConfiguration("io.chronofabric.ledger", "?");
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put("record.channels", "itest.orders");
        cfg.update(props);
        EventBus bus = service(EventBus.class);
        waitFor(() -> bus.subscriberCount("itest.orders") > 0, "the recorder's subscription to itest.orders");
        SecureImmutableLedger ledger = service(SecureImmutableLedger.class);
        long before = ledger.size();
        List<PhasePacket<String>> originals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PhasePacket<String> p = PhasePacket.builder("order-" + i).channel("itest.orders").build();
            bus.publish(p);
            originals.add(p);
        }
        waitFor(() -> ledger.size() >= before + 3, "3 recorded packets in the ledger");

        try (Receiver<Object> replays = bus.subscribeChannel("itest.orders.replay")) {
            String out = execute("csf:replay itest.orders --from " + before + " --rate 100");
            assertContains(out, "Replayed 3 packets of channel itest.orders into itest.orders.replay");
            for (int i = 0; i < 3; i++) {
                PhasePacket<Object> p = replays.take(30, TimeUnit.SECONDS);
                assertTrue("replayed packet " + i, p != null && p.payload() instanceof ReplayedPacket);
                ReplayedPacket r = (ReplayedPacket) p.payload();
                assertEquals("order-" + i, r.payloadText());
                assertEquals(originals.get(i).timestamp(), r.originalTime());
                assertEquals(originals.get(i).messageIdValue(), r.originalMessageId());
            }
        }
        long size = service(SecureImmutableLedger.class).size();
        assertContains(executeExpectingError("csf:replay --from " + (size + 10) + " itest.orders"),
                "--from " + (size + 10) + " is past the ledger's end: it holds " + size + " entries");
    }

    @Test
    public void channelHistoryStreamsARecordedChannelInLedgerOrder() throws Exception {
        Configuration cfg = configurationAdmin.getConfiguration("io.chronofabric.ledger", "?");
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put("record.channels", "itest.history");
        cfg.update(props);
        EventBus bus = service(EventBus.class);
        waitFor(() -> bus.subscriberCount("itest.history") > 0, "the recorder's subscription to itest.history");
        SecureImmutableLedger ledger = service(SecureImmutableLedger.class);
        long before = ledger.size();
        List<PhasePacket<String>> originals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PhasePacket<String> p = PhasePacket.builder("reading-" + i).channel("itest.history").build();
            bus.publish(p);
            originals.add(p);
        }
        waitFor(() -> ledger.size() >= before + 4, "4 recorded packets in the ledger");

        ChannelHistory history = service(ChannelHistory.class);
        List<ReplayedPacket> read = history.read("itest.history", before, -1).toList();
        assertEquals(4, read.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("reading-" + i, read.get(i).payloadText());
            assertEquals(originals.get(i).timestamp(), read.get(i).originalTime());
            assertEquals(originals.get(i).messageIdValue(), read.get(i).originalMessageId());
        }
        assertEquals(List.of("reading-0", "reading-1"),
                history.read("itest.history", before, -1).limit(2).map(ReplayedPacket::payloadText).toList());
        String printed = execute("csf:history --from " + before + " itest.history");
        assertContains(printed, "#" + read.get(0).ledgerIndex() + "  " + originals.get(0).timestamp() + "  " + originals.get(0).messageId()
                + "  reading-0");
        assertContains(printed, "reading-3");
        String two = execute("csf:history -n 2 --from " + before + " itest.history");
        assertContains(two, "reading-1");
        assertContains(two, "... more: use --from or --count");
        assertTrue(two, !two.contains("reading-2"));
        long size = ledger.size();
        try {
            history.read("itest.history", size + 5, -1);
            fail("a range past the ledger's end must be refused");
        } catch (IllegalArgumentException e) {
            assertContains(e.getMessage(), "fromIndex " + (size + 5) + " is past the ledger's end: it holds " + size + " entries");
        }
    }

    @Test
    public void eventStoreAppendsWithExpectedVersionsAndProvesEachEvent() throws Exception {
        EventStore store = service(EventStore.class);
        AppendResult r = store.append("itest-order-1", 0, List.of(EventData.of("Placed", "{\"qty\":2}"), EventData.of("Paid", "{}")));
        assertEquals(2, r.version());
        try {
            store.append("itest-order-1", 0, List.of(EventData.of("Placed", "again")));
            fail("a stale expected version must be refused");
        } catch (WrongExpectedVersionException e) {
            assertContains(e.getMessage(), "Stream 'itest-order-1' is at version 2, not the expected version 0");
        }
        List<StoredEvent> events = store.read("itest-order-1", 2);
        assertEquals(1, events.size());
        assertEquals("Paid", events.get(0).type());

        EventProof proof = store.prove("itest-order-1", 2);
        assertEquals(r.firstLedgerIndex() + 1, proof.event().ledgerIndex());
        assertEquals(proof.treeHead().treeSize(), proof.inclusion().treeSize());
        SecureImmutableLedger ledger = service(SecureImmutableLedger.class);
        assertTrue(Arrays.equals(proof.entry(), ledger.get(proof.event().ledgerIndex())));
        assertTrue(Arrays.equals(proof.treeHead().rootHash(), ledger.rootHash(proof.treeHead().treeSize())));
        assertContains(execute("csf:ledger-proof --size " + proof.treeHead().treeSize() + " " + proof.event().ledgerIndex()),
                "Verified: yes");
    }
}
