package io.chronofabric.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.ledger.VerificationReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends under the every-append policy and is killed with SIGKILL at a random moment,
 * many times over the same ledger. After each kill every acknowledged entry must be there, intact,
 * and verify() must pass.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
        Random random = new Random(2026);
        Map<Long, String> acked = new ConcurrentHashMap<>();
        int runs = 12;
        int torn = 0;
        for (int run = 0; run < runs; run++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), "r" + run);
            pb.redirectErrorStream(true);
            Process child = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("ACK ")) {
                            String[] parts = line.split(" ", 3);
                            acked.put(Long.parseLong(parts[1]), parts[2]);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the child died mid-line: nothing acknowledged there
                }
            });
            reader.start();
            // let it start, then kill it at a random point while it appends
            long waitUntilWriting = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int before = acked.size();
            while (acked.size() == before && System.nanoTime() < waitUntilWriting && child.isAlive()) {
                Thread.sleep(5);
            }
            Thread.sleep(20 + random.nextInt(200));
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            assertThat(acked.size()).as("run %d acknowledged appends", run).isGreaterThan(before);

            try (DurableLedger l = DurableLedger.open(LedgerTestSupport.options(dir, DurableLedger.Fsync.EVERY_APPEND, 4096),
                    LedgerTestSupport.clock())) {
                if (l.recoveryReport() != null) {
                    torn++;
                }
                assertThat(l.corruption()).as("run %d", run).isNull();
                for (Map.Entry<Long, String> e : acked.entrySet()) {
                    assertThat(l.size()).isGreaterThan(e.getKey());
                    assertThat(new String(l.get(e.getKey()), StandardCharsets.UTF_8)).as("entry %d", e.getKey()).isEqualTo(e.getValue());
                }
                VerificationReport v = l.verify();
                assertThat(v.ok()).as(v.message()).isTrue();
            }
        }
        assertThat(acked).hasSizeGreaterThan(runs);
        System.out.println("crash test: " + runs + " SIGKILLs, " + acked.size() + " acknowledged entries all present, "
                + torn + " torn tails cut off");
    }
}
