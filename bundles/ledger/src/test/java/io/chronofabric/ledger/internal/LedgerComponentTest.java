package io.chronofabric.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.HlcClock;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class LedgerComponentTest {

    @TempDir
    Path dir;

    private static final BundleContext CONTEXT = (BundleContext) Proxy.newProxyInstance(LedgerComponentTest.class.getClassLoader(),
            new Class<?>[] {BundleContext.class}, (p, m, a) -> m.getName().equals("getProperty") ? null : null);

    private static DurableLedger current(LedgerComponent c) throws Exception {
        Field f = LedgerComponent.class.getDeclaredField("ledger");
        f.setAccessible(true);
        return (DurableLedger) f.get(c);
    }

    private static LedgerComponent component() throws Exception {
        LedgerComponent c = new LedgerComponent();
        Field f = LedgerComponent.class.getDeclaredField("hlc");
        f.setAccessible(true);
        f.set(c, Proxy.newProxyInstance(HlcClock.class.getClassLoader(), new Class<?>[] {HlcClock.class},
                (p, m, a) -> m.getName().equals("now") ? new LogicalTime(1, 0, 1) : null));
        return c;
    }

    @Test
    void shouldKeepTheLedgerOpenWhenOnlyRecorderKeysChangeAndReopenItForItsOwnKeys() throws Exception {
        LedgerComponent c = component();
        String d = dir.toString();
        c.activate(CONTEXT, RecorderTestSupport.config("dir", d, "head_interval_ms", 0L), Map.of());
        c.append("a".getBytes(StandardCharsets.UTF_8));
        DurableLedger first = current(c);

        c.modified(CONTEXT, RecorderTestSupport.config("dir", d, "head_interval_ms", 0L, "record_channels", new String[] {"audit.a"},
                "record_queue_capacity", 1024), Map.of());
        assertThat(current(c)).as("a recorder-only change does not close, rescan and reopen the ledger").isSameAs(first);

        c.modified(CONTEXT, RecorderTestSupport.config("dir", d, "head_interval_ms", 0L, "fsync", "os"), Map.of());
        assertThat(current(c)).as("a new fsync policy reopens it").isNotSameAs(first);
        assertThat(c.size()).isEqualTo(1);
        c.append("b".getBytes(StandardCharsets.UTF_8));
        c.deactivate();
        try (DurableLedger reopened = DurableLedger.open(LedgerTestSupport.options(dir, DurableLedger.Fsync.OS, 64L << 20),
                LedgerTestSupport.clock())) {
            assertThat(RecorderTestSupport.entries(reopened)).containsExactly("a", "b");
        }
    }
}
