package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.chronofabric.api.adp.AdaptiveProcessor;
import io.chronofabric.api.adp.AdpStats;
import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.PlaceInfo;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import io.chronofabric.api.clogic.ClogicChannels;
import io.chronofabric.api.clogic.CognitiveModule;
import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.ModuleMetrics;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * ADP in the distribution: two places registered by the test as WorkPlace services, one fast
 * (about 1 ms a unit) and one slow (about 25 ms); ADP (UCB1) learns to send most units to the fast
 * one, its regret estimate grows sub-linearly (much less over the second half of the units than
 * over the first), its metrics reach a subscriber of adp.metrics, a governance decision published
 * on egc.decisions reaches it through the coordinator's link and excludes a place; the console.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClogicAdpIT extends ChronoFabricTestSupport {

    private static final int UNITS = 200;

    /** A place that sleeps a fixed time per unit on its own thread. */
    private static final class SleepingPlace implements WorkPlace {
        private final String name;
        private final long sleepMs;
        private final ExecutorService pool;

        SleepingPlace(String name, long sleepMs) {
            this.name = name;
            this.sleepMs = sleepMs;
            this.pool = Executors.newFixedThreadPool(2);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "itest";
        }

        @Override
        public <T> CompletionStage<T> run(WorkUnit<T> unit) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(sleepMs);
                    return unit.call();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, pool);
        }
    }

    @Test
    public void adpLearnsToPreferTheFasterPlaceWithSubLinearRegret() throws Exception {
        AdaptiveProcessor adp = service(AdaptiveProcessor.class);
        CognitiveModule module = service(CognitiveModule.class, "(" + CognitiveModule.MODULE_PROPERTY + "=adp)");
        EventBus bus = service(EventBus.class);
        // only the test's two places: no local threads, no scheduler place (compute places take no task units)
        configure("local.threads", "0", "scheduler.place", "false", "metrics.interval.ms", "200");
        SleepingPlace fast = new SleepingPlace("itest.fast", 1);
        SleepingPlace slow = new SleepingPlace("itest.slow", 25);
        ServiceRegistration<WorkPlace> rf = bundleContext.registerService(WorkPlace.class, fast, new Hashtable<>());
        ServiceRegistration<WorkPlace> rs = bundleContext.registerService(WorkPlace.class, slow, new Hashtable<>());
        try (Receiver<Object> metrics = bus.subscribeChannel(ClogicChannels.ADP_METRICS)) {
            waitFor(() -> eligible(adp).equals(Set.of("itest.fast", "itest.slow")), () -> "ADP with exactly the two test places eligible: "
                    + adp.places());
            double half = 0;
            for (int i = 0; i < UNITS; i++) {
                int v = i;
                Integer r = adp.submit(WorkUnit.task("itest-" + i, () -> v).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertEquals(Integer.valueOf(i), r);
                if (i == UNITS / 2 - 1) {
                    half = adp.stats().regret();
                }
            }
            AdpStats stats = adp.stats();
            PlaceInfo f = place(adp, "itest.fast");
            PlaceInfo s = place(adp, "itest.slow");
            String summary = "fast " + f + ", slow " + s + ", regret after " + UNITS / 2 + " units " + half + ", after " + UNITS + " " + stats.regret();
            assertEquals(summary, UNITS, f.choices() + s.choices());
            assertTrue("most units on the fast place: " + summary, f.choices() >= 0.75 * UNITS);
            assertTrue("the fast place earns more: " + summary, f.meanReward() > s.meanReward());
            double secondHalf = stats.regret() - half;
            assertTrue("regret over the second half much smaller than over the first: " + summary, half > 0 && secondHalf < 0.5 * half);
            // metrics reach a subscriber
            ModuleMetrics m = awaitMetrics(metrics);
            assertEquals("adp", m.module());
            assertTrue(m.values().toString(), m.value("choices.itest.fast") >= f.choices() - 1 && m.value("places") >= 2);
        }
        // governance through the coordinator's link egc.decisions -> adp.governance
        bus.publish(PhasePacket.builder(new GovernanceDecision("adp", "itest.slow", GovernanceAction.DISABLE, 0, "itest: too slow", System.nanoTime()))
                .channel(ClogicChannels.EGC_DECISIONS).build());
        waitFor(() -> place(adp, "itest.slow").status().contains("excluded by governance: itest: too slow"), () -> "itest.slow excluded: "
                + adp.places());
        assertEquals(Set.of("itest.fast"), eligible(adp));
        assertTrue(module.health().toString(), module.health().details().stream().anyMatch(d -> d.contains("itest.slow: excluded by governance")));
        assertContains(execute("csf:adp-places"), "itest.fast");
        assertContains(execute("csf:adp-places"), "excluded by governance: itest: too slow");
        assertContains(execute("csf:adp-stats"), "policy          ucb1");
        assertContains(execute("csf:adp-run -n 3"), "itest.fast ok 3");
        rf.unregister();
        rs.unregister();
        waitFor(() -> eligible(adp).isEmpty(), () -> "no eligible place after the test places went: " + adp.places());
        assertContains(place(adp, "itest.fast").status(), "gone");
        configure("local.threads", "2", "scheduler.place", "true", "metrics.interval.ms", "1000");
    }

    @Test
    public void computeUnitsRunOnAnAvailableComputeBackend() throws Exception {
        AdaptiveProcessor adp = service(AdaptiveProcessor.class);
        waitFor(() -> adp.places().stream().anyMatch(p -> p.name().equals("compute:CPU") && p.eligible()), () -> "compute:CPU eligible: "
                + adp.places());
        ModuleSource src = new ModuleSource("adp-add", "mlir", """
                func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
                  %0 = arith.addf %a, %b : tensor<4xf32>
                  return %0 : tensor<4xf32>
                }
                """);
        for (int i = 0; i < 4; i++) {
            ComputeCall call = new ComputeCall(src, "main", List.of(Tensor.ofFloats(new int[] {4}, 1, 2, 3, i),
                    Tensor.ofFloats(new int[] {4}, 10, 20, 30, 40)));
            ExecutionResult r = adp.submit(WorkUnit.compute("add-" + i, call).build()).toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertEquals(33f, r.results().get(0).getFloat(2), 0f);
            assertEquals(40f + i, r.results().get(0).getFloat(3), 0f);
            assertTrue(adp.stats().lastChoice(), adp.stats().lastChoice().equals("compute:" + r.backend().name()));
        }
        long computeChoices = adp.places().stream().filter(p -> p.kind().equals("compute")).mapToLong(PlaceInfo::choices).sum();
        assertEquals(adp.places().toString(), 4, computeChoices);
    }

    private static Set<String> eligible(AdaptiveProcessor adp) {
        return adp.places().stream().filter(p -> p.eligible() && !p.kind().equals("compute")).map(PlaceInfo::name).collect(Collectors.toSet());
    }

    private static PlaceInfo place(AdaptiveProcessor adp, String name) {
        List<PlaceInfo> ps = adp.places();
        return ps.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no place " + name + " in " + ps));
    }

    private static ModuleMetrics awaitMetrics(Receiver<Object> r) throws InterruptedException {
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        ModuleMetrics last = null;
        while (System.currentTimeMillis() < end) {
            PhasePacket<Object> p = r.take(1, TimeUnit.SECONDS);
            if (p != null && p.payload() instanceof ModuleMetrics m) {
                last = m;
                if (m.value("submitted") >= UNITS) {
                    return m;
                }
            }
        }
        assertNotNull("ModuleMetrics on adp.metrics with submitted >= " + UNITS + " (last: " + last + ")", null);
        return null;
    }

    private void configure(String... keyValues) throws Exception {
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("io.chronofabric.clogic.adp", "?");
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        config.update(props);
    }
}
