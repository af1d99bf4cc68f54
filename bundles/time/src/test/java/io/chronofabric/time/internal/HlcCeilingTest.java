package io.chronofabric.time.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.core.HealthStatus;
import io.chronofabric.api.core.LogicalTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlcCeilingTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final SimulatedTimeSourceImpl time = new SimulatedTimeSourceImpl(1_750_000_000_000L * MS);
    private final List<HlcClockComponent> components = new ArrayList<>();

    @AfterEach
    void stopComponents() {
        for (HlcClockComponent c : components) {
            c.haltWithoutSaving();
        }
    }

    private long storedCeiling(HlcStateStore store) throws IOException {
        return store.read().orElseThrow().time().physical();
    }

    private HlcClockComponent component(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(extra);
        raw.put("state.dir", dir.toString());
        HlcClockComponent c = new HlcClockComponent();
        c.bindTimeSource(time);
        c.activate(null, TestConfigs.of(raw), raw);
        components.add(c);
        return c;
    }

    @Test
    void shouldKeepTheLeadWellInsideTheMaximumOffsetForDefaultAndEdgeSettings() {
        // default: persist.interval.ms=1000, max.offset.ms=500 (the old lead was 4 x 1000 = 4000 ms)
        assertThat(HlcCeiling.lead(1_000 * MS, 500 * MS)).isEqualTo(125 * MS);
        long[][] cases = {{10, 500}, {60_000, 500}, {1_000, 80}, {1_000, 100}, {1_000, 60_000}, {10, 60_000},
            {60_000, 86_400_000L}, {10, 80}};
        for (long[] c : cases) {
            long lead = HlcCeiling.lead(c[0] * MS, c[1] * MS);
            assertThat(lead).as("interval %d ms, max offset %d ms", c[0], c[1])
                    .isLessThanOrEqualTo(c[1] * MS / 4).isGreaterThanOrEqualTo(HlcCeiling.MIN_LEAD_NANOS);
            // checked often enough that the ceiling is rewritten with half the lead still to go
            assertThat(HlcCeiling.checkPeriod(lead)).isLessThanOrEqualTo(lead / 4);
        }
        // below 80 ms the 20 ms floor applies (documented); it stays under the offset from 21 ms on
        assertThat(HlcCeiling.lead(1_000 * MS, 40 * MS)).isEqualTo(20 * MS).isLessThan(40 * MS);
        assertThat(HlcCeiling.lead(1_000 * MS, 0)).isEqualTo(20 * MS);
    }

    @Test
    void shouldKeepEveryIssuedTimestampBelowTheStoredCeilingWhenThePersisterKeepsUp() throws IOException {
        HlcStateStore store = new HlcStateStore(dir.resolve("hlc.state"));
        HlcClockImpl clock = new HlcClockImpl(time, 3, 500 * MS);
        HlcCeiling ceiling = new HlcCeiling(clock, store, HlcCeiling.lead(1_000 * MS, 500 * MS), System::nanoTime);
        ceiling.start();
        long period = HlcCeiling.checkPeriod(ceiling.leadNanos());
        for (int i = 0; i < 400; i++) {
            time.advance(period);
            ceiling.tick();
            for (int k = 0; k < 3; k++) {
                LogicalTime t = clock.now();
                assertThat(t.physical()).isLessThan(storedCeiling(store));
                assertThat(storedCeiling(store) - time.nowNanos()).isLessThanOrEqualTo(125 * MS);
            }
        }
        // every lead / 2 in the steady state, not every check: 400 checks of lead / 4 -> about 200 writes
        assertThat(ceiling.writes()).isBetween(195L, 205L);
    }

    @Test
    void shouldWriteTheCeilingOnTheIssuingThreadWhenTheClockOutrunsThePersister() throws IOException {
        HlcClockComponent c = component(Map.of());
        HlcStateStore store = new HlcStateStore(dir.resolve(HlcClockComponent.STATE_FILE));
        c.haltWithoutSaving(); // the persister does not run: a pause, a slow disk
        time.advance(2_000 * MS);
        LogicalTime t = c.now();
        assertThat(t.physical()).isLessThan(storedCeiling(store));
        // a remote timestamp accepted ahead of local time is covered too
        LogicalTime ahead = new LogicalTime(time.nowNanos() + 400 * MS, 5, 9);
        LogicalTime merged = c.update(ahead);
        assertThat(merged.physical()).isEqualTo(ahead.physical());
        assertThat(merged.physical()).isLessThan(storedCeiling(store));
    }

    @Test
    void shouldRestoreAfterACrashWithinTheMaximumOffsetOfTheTimeSource() throws IOException {
        HlcClockComponent before = component(Map.of());
        LogicalTime last = null;
        for (int i = 0; i < 100; i++) {
            time.advance(7 * MS);
            before.ceiling().tick();
            last = before.now();
        }
        before.haltWithoutSaving(); // crash: no clean stop, the last ceiling stays on disk
        HlcStateStore store = new HlcStateStore(dir.resolve(HlcClockComponent.STATE_FILE));
        assertThat(store.read().orElseThrow().clean()).isFalse();

        // worst case: restarted at once, the time source has not moved on
        HlcClockComponent after = component(Map.of());
        LogicalTime first = after.now();
        assertThat(first).isGreaterThan(last);
        assertThat(first.physical() - time.nowNanos()).isPositive().isLessThanOrEqualTo(125 * MS)
                .isLessThan(after.maxOffsetNanos());
    }

    @Test
    void shouldRestoreAfterACrashWithinTheMaximumOffsetForAnEdgeConfiguration() throws IOException {
        Map<String, Object> edge = Map.of("persist.interval.ms", "60000", "max.offset.ms", "100");
        HlcClockComponent before = component(edge);
        time.advance(10 * MS);
        LogicalTime last = before.now();
        before.haltWithoutSaving();
        HlcClockComponent after = component(edge);
        LogicalTime first = after.now();
        assertThat(first).isGreaterThan(last);
        assertThat(first.physical() - time.nowNanos()).isLessThanOrEqualTo(25 * MS);
    }

    @Test
    void shouldLowerTheStoredCeilingAtOnceWhenTheMaximumOffsetShrinks() throws IOException {
        HlcClockComponent c = component(Map.of("max.offset.ms", "4000"));
        HlcStateStore store = new HlcStateStore(dir.resolve(HlcClockComponent.STATE_FILE));
        assertThat(storedCeiling(store) - time.nowNanos()).isEqualTo(1_000 * MS);
        LogicalTime issued = c.now();
        Map<String, Object> raw = Map.of("state.dir", dir.toString(), "max.offset.ms", "100");
        c.modified(TestConfigs.of(raw), raw);
        assertThat(storedCeiling(store) - time.nowNanos()).isEqualTo(25 * MS);
        assertThat(storedCeiling(store)).isGreaterThan(issued.physical());
        assertThat(c.now().physical()).isLessThan(storedCeiling(store));
    }

    @Test
    void shouldWriteTheExactMarkAtACleanStopAndACeilingAgainIfTheClockIsStillUsed() throws IOException {
        HlcClockComponent c = component(Map.of());
        HlcStateStore store = new HlcStateStore(dir.resolve(HlcClockComponent.STATE_FILE));
        LogicalTime last = c.now();
        c.deactivate();
        components.remove(c);
        assertThat(store.read()).contains(new HlcStateStore.Stored(last, true));
        // a consumer that has not let go yet
        LogicalTime later = c.now();
        HlcStateStore.Stored stored = store.read().orElseThrow();
        assertThat(stored.clean()).isFalse();
        assertThat(stored.time().physical()).isGreaterThan(later.physical());
    }

    @Test
    void shouldHandOutTimestampsAndSaySoWhenTheCeilingCannotBeWritten() throws IOException {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        HlcStateStore store = new HlcStateStore(blocker.resolve("hlc.state"));
        HlcClockImpl clock = new HlcClockImpl(time, 3, 500 * MS);
        HlcCeiling ceiling = new HlcCeiling(clock, store, 125 * MS, System::nanoTime);
        ceiling.start();
        LogicalTime a = clock.now();
        LogicalTime b = clock.now();
        assertThat(b).isGreaterThan(a);
        assertThat(ceiling.unprotected()).isEqualTo(2);
        assertThat(ceiling.lastFailure()).contains("not-a-dir");
    }

    @Test
    void shouldReportUnprotectedTimestampsInHealth() throws IOException {
        Path blocker = dir.resolve("blocked");
        Files.writeString(blocker, "x");
        Map<String, Object> raw = Map.of("state.dir", blocker.toString());
        HlcClockComponent c = new HlcClockComponent();
        c.bindTimeSource(time);
        c.activate(null, TestConfigs.of(raw), raw);
        components.add(c);
        c.now();
        assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(c.health().details()).anySatisfy(d -> assertThat(d).contains("above the persisted ceiling")
                .contains("could repeat"));
    }

    @Test
    void shouldKeepIssuedTimestampsBelowTheStoredCeilingUnderConcurrency() throws Exception {
        HlcStateStore store = new HlcStateStore(dir.resolve("hlc.state"));
        HlcClockImpl clock = new HlcClockImpl(time, 3, 500 * MS);
        HlcCeiling ceiling = new HlcCeiling(clock, store, HlcCeiling.lead(1_000 * MS, 500 * MS), System::nanoTime);
        ceiling.start();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> violation = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2);
        Runnable issuer = () -> {
            try {
                while (!stop.get() && violation.get() == null) {
                    LogicalTime t = clock.now();
                    long stored = storedCeiling(store); // the stored ceiling only rises here
                    if (t.physical() >= stored) {
                        violation.set(t + " handed out with the stored ceiling at " + stored);
                    }
                }
            } catch (IOException e) {
                violation.set(e.toString());
            } finally {
                done.countDown();
            }
        };
        new Thread(issuer, "issuer-1").start();
        new Thread(issuer, "issuer-2").start();
        // 3 s of clock time in 3 ms steps; the persister runs only every 240 ms of it, so the
        // issuers keep outrunning the 125 ms ceiling and must raise it themselves
        for (int n = 0; n < 1_000 && violation.get() == null; n++) {
            time.advance(3 * MS);
            if (n % 80 == 0) {
                ceiling.tick();
            }
            Thread.sleep(0, 200_000); // let the issuers run at each step (pacing, not an assertion)
        }
        stop.set(true);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(violation.get()).isNull();
        assertThat(ceiling.unprotected()).isZero();
    }
}
