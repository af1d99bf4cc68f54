package io.chronofabric.ledger.internal;

import io.chronofabric.api.core.LogicalTime;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process of {@link CrashRecoveryTest}: appends entries under the every-append policy and
 * prints {@code ACK index text} after each append returned, until it is killed.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String run = args[1];
        AtomicLong t = new AtomicLong(System.currentTimeMillis() * 1_000_000L);
        DurableLedger ledger = DurableLedger.open(new DurableLedger.Options(dir, DurableLedger.Fsync.EVERY_APPEND, 0, 4096, "", 0),
                () -> new LogicalTime(t.incrementAndGet(), 0, 1));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("OPEN " + ledger.size() + " " + (ledger.recoveryReport() == null ? "-" : "torn"));
        for (int i = 0; ; i++) {
            String text = run + "-" + i;
            long index = ledger.append(text.getBytes(StandardCharsets.UTF_8));
            out.println("ACK " + index + " " + text);
            if (i % 50 == 49) {
                ledger.signedTreeHead();
            }
        }
    }
}
