package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.patterns.EventStore;
import io.chronofabric.api.patterns.RequestFailedException;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.StoredEvent;
import java.time.Duration;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The examples feature {@code chronofabric-examples} (installed offline from the distribution's
 * system/ folder, as {@code feature:install chronofabric-examples} does): the request/reply price
 * quote service and the event-sourced accounts with their CQRS read model, driven over the bus
 * through the RequestReply service as any client would.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExamplesIT extends ChronoFabricTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Before
    public void installExamples() throws Exception {
        service(FeaturesService.class).installFeature("chronofabric-examples", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        EventBus bus = service(EventBus.class);
        for (String channel : new String[] {"example.quote", "example.account.commands", "example.account.queries", "example.account.events"}) {
            waitFor(() -> bus.subscriberCount(channel) > 0, "a subscriber of " + channel);
        }
    }

    private String request(String channel, String text) throws Exception {
        return service(RequestReply.class).request(channel, text, String.class, TIMEOUT).toCompletableFuture()
                .get(60, TimeUnit.SECONDS).payload();
    }

    private String requestExpectingFailure(String channel, String text) throws Exception {
        try {
            String reply = request(channel, text);
            fail("request '" + text + "' on " + channel + " should have failed, got " + reply);
            return null;
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof RequestFailedException);
            return e.getCause().getMessage();
        }
    }

    @Test
    public void theQuoteServiceAnswersPricesRefusesUnknownItemsAndFollowsItsConfiguration() throws Exception {
        assertEquals("3 x widget = 7.50 EUR", request("example.quote", "widget 3"));
        assertEquals("1 x gadget = 10.00 EUR", request("example.quote", "gadget"));
        assertContains(requestExpectingFailure("example.quote", "sprocket 2"),
                "No price for 'sprocket': the price list has gadget, gizmo, widget");

        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("io.chronofabric.example.requestreply", "?");
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        props.put("prices", "widget=3.00, sprocket=0.25");
        props.put("currency", "USD");
        config.update(props);
        waitFor(() -> {
            try {
                return "2 x sprocket = 0.50 USD".equals(request("example.quote", "sprocket 2"));
            } catch (Exception e) {
                return false; // the old price list still answers (sprocket unknown) until the update lands
            }
        }, "the new price list to answer");
        assertEquals("2 x widget = 6.00 USD", request("example.quote", "widget 2"));
    }

    @Test
    public void accountsAreEventSourcedAndTheReadModelIsRebuiltFromTheStore() throws Exception {
        String id = "it-" + Long.toHexString(System.nanoTime());
        assertEquals("Account " + id + " at version 1: balance 0", request("example.account.commands", "open " + id));
        assertEquals("Account " + id + " at version 2: balance 100", request("example.account.commands", "deposit " + id + " 100"));
        assertEquals("Account " + id + " at version 3: balance 70", request("example.account.commands", "withdraw " + id + " 30"));
        assertContains(requestExpectingFailure("example.account.commands", "withdraw " + id + " 500"),
                "Account '" + id + "' has 70, cannot withdraw 500");

        List<StoredEvent> events = service(EventStore.class).read("account-" + id, 1);
        assertEquals(List.of("AccountOpened", "MoneyDeposited", "MoneyWithdrawn"), events.stream().map(StoredEvent::type).toList());

        // the read model follows the published events (eventually consistent)
        String expected = "Account " + id + " at version 3: balance 70";
        waitFor(() -> expected.equals(queryOrNull("balance " + id)), () -> "the read model to show '" + expected + "', it shows "
                + queryOrNull("balance " + id));
        assertContains(request("example.account.queries", "accounts"), id + "=70");

        // a restarted read model starts empty and rebuilds itself from the event store
        Bundle example = bundle("io.chronofabric.example.eventsourcing");
        example.stop();
        EventBus bus = service(EventBus.class);
        waitFor(() -> bus.subscriberCount("example.account.queries") == 0, "the stopped read model's query subscription to go");
        example.start();
        waitFor(() -> bus.subscriberCount("example.account.queries") > 0, "the restarted read model's query subscription");
        assertEquals(expected, request("example.account.queries", "balance " + id));
        assertEquals("Account " + id + " at version 4: balance 75", request("example.account.commands", "deposit " + id + " 5"));
    }

    private String queryOrNull(String query) {
        try {
            return request("example.account.queries", query);
        } catch (Exception e) {
            return null;
        }
    }
}
