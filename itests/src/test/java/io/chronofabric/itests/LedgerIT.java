package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.ledger.SecureImmutableLedger;
import io.chronofabric.api.ledger.SignedTreeHead;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The ledger inside the distribution: console, restart, recorder. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LedgerIT extends ChronoFabricTestSupport {

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Test
    public void consoleAppendsAndProofsVerifyAcrossARestartOfTheLedger() throws Exception {
        SecureImmutableLedger ledger = service(SecureImmutableLedger.class);
        long before = ledger.size();
        assertContains(execute("csf:ledger-append hello"), "Appended entry " + before);
        assertContains(execute("csf:ledger-append --hex 00ff10"), "Appended entry " + (before + 1));
        assertContains(execute("csf:ledger-get " + before), "\"hello\"");
        String head = execute("csf:ledger-head");
        assertContains(head, "Size       : " + (before + 2));
        assertContains(head, "Verified   : yes");
        SignedTreeHead sth = ledger.signedTreeHead();

        Bundle b = bundle("io.chronofabric.ledger");
        b.stop();
        b.start();
        SecureImmutableLedger reopened = service(SecureImmutableLedger.class);
        assertEquals(before + 2, reopened.size());
        assertTrue(Arrays.equals(sth.rootHash(), reopened.rootHash(sth.treeSize())));
        assertContains(execute("csf:ledger-head"), "Verified   : yes");
        assertContains(execute("csf:ledger-proof " + before), "Verified: yes");
        assertContains(execute("csf:ledger-proof --size " + (before + 1) + " " + before), "Verified: yes");
        assertContains(execute("csf:ledger-consistency 1 " + (before + 2)), "Verified: yes");
        assertContains(execute("csf:ledger-verify"), "OK: ");
        assertContains(execute("csf:ledger-tail"), "hex 00ff10");
        assertContains(execute("csf:status ledger"), "present");
    }

    @Test
    public void badConsoleInputGetsAClearError() throws Exception {
        long size = service(SecureImmutableLedger.class).size();
        assertContains(executeExpectingError("csf:ledger-get 99999"), "No ledger entry 99999: size is " + size);
        assertContains(executeExpectingError("csf:ledger-append --hex zz"), "is not hex");
        assertContains(executeExpectingError("csf:ledger-consistency 5 2"), "Old size 5 is larger than new size 2");
        assertContains(executeExpectingError("csf:ledger-get minus-one"), "is not a number");
    }

    @Test
    public void recorderAppendsConfiguredChannelsToTheLedger() throws Exception {
        SecureImmutableLedger ledger = service(SecureImmutableLedger.class);
        Configuration cfg = configurationAdmin.getConfiguration("io.chronofabric.ledger", "?");
        Dictionary<String, Object> props = cfg.getProperties() == null ? new Hashtable<>() : cfg.getProperties();
        props.put("record.channels", "itest.audit");
        cfg.update(props);
        EventBus bus = service(EventBus.class);
        long deadline = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (bus.subscriberCount("itest.audit") == 0 && System.currentTimeMillis() < deadline) {
            sleep(50);
        }
        SecureImmutableLedger current = service(SecureImmutableLedger.class);
        long before = current.size();
        bus.publish(PhasePacket.builder("audited event").channel("itest.audit").build());
        while (current.size() == before && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
        assertEquals(before + 1, current.size());
        String last = new String(current.get(before), java.nio.charset.StandardCharsets.UTF_8);
        assertContains(last, "itest.audit");
        assertContains(last, "audited event");
        assertTrue(ledger != null);
    }

}
