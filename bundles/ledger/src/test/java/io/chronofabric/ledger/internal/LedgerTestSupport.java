package io.chronofabric.ledger.internal;

import io.chronofabric.api.core.LogicalTime;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

final class LedgerTestSupport {

    private LedgerTestSupport() {
    }

    static Supplier<LogicalTime> clock() {
        AtomicLong t = new AtomicLong(1_000_000);
        return () -> new LogicalTime(t.incrementAndGet(), 0, 1);
    }

    static DurableLedger.Options options(Path dir, DurableLedger.Fsync fsync, long segmentBytes) {
        return new DurableLedger.Options(dir, fsync, 50_000_000L, segmentBytes, "", 0);
    }
}
