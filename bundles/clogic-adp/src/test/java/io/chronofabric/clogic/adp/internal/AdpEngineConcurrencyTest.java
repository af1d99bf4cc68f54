package io.chronofabric.clogic.adp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.adp.AdpStats;
import io.chronofabric.api.adp.PlaceInfo;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lock-free engine under several threads deciding and recording at once (with a thread reading
 * views and changing the exploration meanwhile): every decision and every outcome is counted exactly,
 * none is lost or doubled, caps hold exactly, nothing stays in flight.
 */
class AdpEngineConcurrencyTest {

    private static final WorkUnit<String> UNIT = WorkUnit.task("u", () -> "x").build();
    private static final WorkUnit<String> FEATURED = WorkUnit.task("f", () -> "x").features(0.3, 0.6, 0.9).build();
    private static final int THREADS = 4;
    private static final int PER_THREAD = 20_000;

    private static AdpEngine.Settings settings(AdpEngine.Policy p, int maxInFlight) {
        AdpEngine.Settings d = AdpEngine.Settings.defaults();
        return new AdpEngine.Settings(p, d.exploration(), d.arousalGain(), d.exp3Gamma(), d.exp3Share(), d.d(), d.features(), d.linucbAlpha(),
                d.rewardLatencyNanos(), maxInFlight, d.changepointDiscount(), d.seed());
    }

    /** Per thread: outcomes it recorded, by kind, and the sum of the latencies it reported. */
    private record Tally(long ok, long failed, long missed, long latencySum) {
    }

    private static List<Tally> hammer(AdpEngine e, boolean featured) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Tally> tallies = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int id = w;
            workers.add(new Thread(() -> {
                try {
                    start.await();
                    long ok = 0;
                    long failed = 0;
                    long missed = 0;
                    long latencies = 0;
                    AdpEngine.Ticket reused = new AdpEngine.Ticket(); // even threads reuse one ticket (its outcome may still be queued)
                    for (int i = 0; i < PER_THREAD; i++) {
                        AdpEngine.Ticket k = id % 2 == 0 ? reused : new AdpEngine.Ticket();
                        if (featured) {
                            k.context = new double[] {1, 0.3, 0.6, 0.9};
                        }
                        String why = e.decide(featured ? FEATURED : UNIT, k);
                        if (why != null) {
                            throw new AssertionError("decision refused: " + why);
                        }
                        long latency = 100_000L + (i % 97) * 10_000L + k.slot * 1_000_000L;
                        boolean miss = i % 13 == 0;
                        boolean good = !miss && i % 7 != 0;
                        e.finish(k, latency, good, miss);
                        latencies += latency;
                        if (good) {
                            ok++;
                        } else {
                            failed++;
                        }
                        if (miss) {
                            missed++;
                        }
                    }
                    tallies.add(new Tally(ok, failed, missed, latencies));
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "adp-worker-" + w));
        }
        Thread churn = new Thread(() -> {
            try {
                start.await();
                for (int i = 0; !stop.get(); i++) {
                    e.stats();
                    e.places();
                    e.modulate((i % 10) / 10.0);
                    e.refreshQueues();
                    Thread.yield();
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        }, "adp-churn");
        workers.forEach(Thread::start);
        churn.start();
        start.countDown();
        for (Thread t : workers) {
            t.join();
        }
        stop.set(true);
        churn.join();
        assertThat(errors).isEmpty();
        assertThat(tallies).hasSize(THREADS);
        return new ArrayList<>(tallies);
    }

    private static void assertExact(AdpEngine e, List<Tally> tallies, boolean featured) {
        long ok = tallies.stream().mapToLong(Tally::ok).sum();
        long failed = tallies.stream().mapToLong(Tally::failed).sum();
        long missed = tallies.stream().mapToLong(Tally::missed).sum();
        long latencies = tallies.stream().mapToLong(Tally::latencySum).sum();
        long n = (long) THREADS * PER_THREAD;
        assertThat(ok + failed).isEqualTo(n);
        AdpStats s = e.stats();
        assertThat(s.submitted()).isEqualTo(n);
        assertThat(s.completed()).isEqualTo(ok);
        assertThat(s.failed()).isEqualTo(failed);
        assertThat(s.deadlineMisses()).isEqualTo(missed);
        assertThat(s.inFlight()).isZero();
        assertThat(s.rejected()).isZero();
        assertThat(s.contextual()).isEqualTo(featured ? n : 0);
        List<PlaceInfo> places = e.places();
        assertThat(places.stream().mapToLong(PlaceInfo::choices).sum()).isEqualTo(n);
        assertThat(places.stream().mapToLong(PlaceInfo::failures).sum()).isEqualTo(failed);
        assertThat(places.stream().mapToLong(PlaceInfo::deadlineMisses).sum()).isEqualTo(missed);
        Properties p = e.snapshot();
        long finished = 0;
        double latencySum = 0;
        for (int k = 0; p.getProperty("place." + k + ".name") != null; k++) {
            finished += Long.parseLong(p.getProperty("place." + k + ".finished"));
            latencySum += Double.parseDouble(p.getProperty("place." + k + ".latency"));
            if (featured) {
                // LinUCB's model of each place saw exactly that place's outcomes
                String[] lin = p.getProperty("place." + k + ".linucb").split(";");
                assertThat(Long.parseLong(lin[1])).isEqualTo(Long.parseLong(p.getProperty("place." + k + ".finished")));
            }
        }
        assertThat(finished).isEqualTo(n);
        assertThat(latencySum).isEqualTo((double) latencies); // integers below 2^53: exact
    }

    @Test
    void shouldCountEveryDecisionAndOutcomeExactlyWithThreadsDecidingAndRecordingAtOnce() throws InterruptedException {
        for (AdpEngine.Policy policy : AdpEngine.Policy.values()) {
            AdpEngine e = new AdpEngine();
            e.configure(settings(policy, 1_000_000));
            for (int k = 0; k < 3; k++) {
                e.attach(new FakePlace("p" + k), 0);
            }
            List<Tally> tallies = hammer(e, false);
            assertExact(e, tallies, false);
        }
    }

    @Test
    void shouldCountEveryLinUcbOutcomeInItsPlacesModelWithThreadsAtOnce() throws InterruptedException {
        AdpEngine e = new AdpEngine();
        e.configure(settings(AdpEngine.Policy.UCB1, 1_000_000));
        e.attach(new FakePlace("a"), 0);
        e.attach(new FakePlace("b"), 0);
        List<Tally> tallies = hammer(e, true);
        assertExact(e, tallies, true);
    }

    @Test
    void shouldHoldTheInFlightCapExactlyWhenThreadsRaceForTheLastPlaces() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            AdpEngine e = new AdpEngine();
            e.configure(settings(AdpEngine.Policy.UCB1, 5));
            e.attach(new FakePlace("a"), 0);
            e.attach(new FakePlace("b"), 0);
            e.govern(new GovernanceDecision("adp", "b", GovernanceAction.SET_RATE, 0.4, "throttle", 0)); // b: cap 2
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<AdpEngine.Ticket> taken = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                ts.add(new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException ex) {
                        return;
                    }
                    for (int i = 0; i < 10; i++) {
                        AdpEngine.Ticket k = new AdpEngine.Ticket();
                        if (e.decide(UNIT, k) == null) {
                            taken.add(k);
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            ts.forEach(Thread::start);
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
            // 40 tries against caps 5 + 2: exactly 7 taken, the rest refused
            assertThat(taken).hasSize(7);
            assertThat(refused.get()).isEqualTo(33);
            assertThat(taken.stream().filter(k -> k.place.name().equals("b")).count()).isEqualTo(2);
            assertThat(e.stats().inFlight()).isEqualTo(7);
            for (AdpEngine.Ticket k : taken) {
                e.finish(k, 1_000_000, true, false);
            }
            assertThat(e.stats().inFlight()).isZero();
            assertThat(e.stats().completed()).isEqualTo(7);
        }
    }
}
