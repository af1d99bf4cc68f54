package io.chronofabric.clogic.adp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.api.core.ComponentId;
import io.chronofabric.api.patterns.RequestFailedException;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.RequestTimeoutException;
import io.chronofabric.bus.internal.PhaseCoherenceBus;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.compute.cpu.internal.CpuBackend;
import io.chronofabric.patterns.internal.StandalonePatterns;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.patterns.Responder;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A remote place and the responder wired through the real request/reply (the patterns bundle's
 * StandalonePatterns) on one real bus (StandaloneBus), the responder running calls on the real
 * CPU backend. One bus stands for both nodes: what crosses nodes in a cluster is the same packet,
 * its payloads through the codecs (RemoteWireTest).
 */
class RemoteComputeTest {

    static final ModuleSource ADD = new ModuleSource("adp-remote-add", "mlir", """
            func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
              %0 = arith.addf %a, %b : tensor<4xf32>
              return %0 : tensor<4xf32>
            }
            """);

    private PhaseCoherenceBus bus;
    private ScheduledExecutorService timer;
    private CpuBackend cpu;
    private RemoteComputeResponder responder;
    private RequestReply requests;

    @BeforeEach
    void start() {
        SystemTimeSource ts = new SystemTimeSource();
        bus = StandaloneBus.start(ts, new HlcClockImpl(ts, 0, 500_000_000L));
        timer = Executors.newSingleThreadScheduledExecutor();
        StandalonePatterns.Requester requester = StandalonePatterns.requester(bus, timer);
        StandaloneBus.handle(bus, RequestReply.REPLY_CHANNEL, requester.replies(), false);
        requests = requester;
        cpu = new CpuBackend(1, false, 1 << 20);
    }

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
        bus.close();
        timer.shutdownNow();
    }

    private void respondOn(String channel, List<ComputeBackend> backends) {
        responder = new RemoteComputeResponder(() -> backends, Duration.ofSeconds(60));
        StandaloneBus.handle(bus, channel, StandalonePatterns.responder(responder, channel, bus), false);
    }

    private static ComputeCall add(float last) {
        return new ComputeCall(ADD, "main", List.of(Tensor.ofFloats(new int[] {4}, 1, 2, 3, last), Tensor.ofFloats(new int[] {4}, 10, 20, 30, 40)));
    }

    @Test
    void shouldAnswerACallWithTheCpuBackendsResult() throws Exception {
        responder = new RemoteComputeResponder(() -> List.of(cpu), Duration.ofSeconds(60));

        ExecutionResult r = responder.respond(PhasePacket.of(add(4), ComponentId.of(1))).toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(r.backend()).isEqualTo(BackendKind.CPU);
        assertThat(r.result(0).toFloatArray()).containsExactly(11, 22, 33, 44);
    }

    @Test
    void shouldNameWhyWhenNoBackendCanRunIt() {
        responder = new RemoteComputeResponder(List::of, Duration.ofSeconds(60));

        assertThatThrownBy(() -> responder.respond(PhasePacket.of(add(4), ComponentId.of(1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no available compute backend on this node for @main of module 'adp-remote-add' (none registered)");
    }

    @Test
    void shouldRunACallOnTheRemotePlaceThroughRequestReply() throws Exception {
        respondOn("adp.remote.1", List.of(cpu));
        RemotePlace place = new RemotePlace("node1", "adp.remote.1", () -> requests, Duration.ofSeconds(60));

        for (int i = 0; i < 3; i++) {
            WorkUnit<ExecutionResult> unit = WorkUnit.compute("u" + i, add(100 + i)).build();
            assertThat(place.accepts(unit)).isTrue();
            ExecutionResult r = place.run(unit).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(r.result(0).toFloatArray()).containsExactly(11, 22, 33, 140 + i);
            assertThat(r.backend()).isEqualTo(BackendKind.CPU);
        }
        assertThat(place.name()).isEqualTo("remote:node1");
        assertThat(place.isAvailable()).isTrue();
        assertThat(place.pending()).isZero(); // the place's own count: RequestReply.pending() may still count a request whose stage completed
    }

    @Test
    void shouldFailWithTheRespondersErrorForABadModule() {
        respondOn("adp.remote.1", List.of(cpu));
        RemotePlace place = new RemotePlace("node1", "adp.remote.1", () -> requests, Duration.ofSeconds(60));
        ComputeCall bad = new ComputeCall(new ModuleSource("broken", "mlir", "func.func @main( {"), "main", List.of());

        assertThatThrownBy(() -> place.run(WorkUnit.compute("bad", bad).build()).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(RequestFailedException.class)
                .hasMessageContaining("adp.remote.1").hasMessageContaining("expected a type");
    }

    @Test
    void shouldTimeOutAfterTheUnitsDeadlineWhenNoNodeAnswers() {
        RemotePlace place = new RemotePlace("node9", "adp.remote.9", () -> requests, Duration.ofSeconds(60));

        assertThatThrownBy(() -> place.run(WorkUnit.compute("lost", add(1)).deadline(Duration.ofMillis(200)).build()).toCompletableFuture()
                .get(60, TimeUnit.SECONDS)).cause().isInstanceOf(RequestTimeoutException.class).hasMessageContaining("adp.remote.9");
    }

    @Test
    void shouldCountANodeThatStopsAnsweringAsGoneThenProbeItOneUnitAtATime() throws Exception {
        RemotePlace place = new RemotePlace("node9", "adp.remote.9", () -> requests, Duration.ofSeconds(60), 2, Duration.ofMillis(300));
        for (int i = 0; i < 2; i++) {
            assertThat(place.unavailableReason()).isEmpty();
            assertThatThrownBy(() -> place.run(WorkUnit.compute("lost", add(1)).deadline(Duration.ofMillis(100)).build()).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS)).cause().isInstanceOf(RequestTimeoutException.class);
        }
        // two timeouts in a row: gone, and it says why
        assertThat(place.timeoutsInARow()).isEqualTo(2);
        assertThat(place.unavailableReason()).contains("did not answer 2 requests in a row", "No reply on channel 'adp.remote.9'", "next try in");
        assertThat(place.isAvailable()).isFalse();
        // after remote.retry.ms one probe may go; while it is under way nothing else does
        await(() -> place.unavailableReason().isEmpty(), "the retry time passes");
        CompletableFuture<ExecutionResult> probe = place.run(WorkUnit.compute("probe", add(2)).deadline(Duration.ofSeconds(2)).build())
                .toCompletableFuture();
        assertThat(place.unavailableReason()).contains("a probe request is under way");
        assertThatThrownBy(() -> probe.get(60, TimeUnit.SECONDS)).cause().isInstanceOf(RequestTimeoutException.class);
        assertThat(place.unavailableReason()).contains("did not answer 3 requests in a row", "next try in");
        // the node is back: the next probe is answered, and the place is available again
        respondOn("adp.remote.9", List.of(cpu));
        await(() -> place.unavailableReason().isEmpty(), "the retry time passes again");
        ExecutionResult r = place.run(WorkUnit.compute("back", add(3)).deadline(Duration.ofSeconds(60)).build()).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertThat(r.result(0).toFloatArray()).containsExactly(11, 22, 33, 43);
        assertThat(place.timeoutsInARow()).isZero();
        assertThat(place.unavailableReason()).isEmpty();
        // a responder's error is an answer: it does not count towards gone
        ComputeCall bad = new ComputeCall(new ModuleSource("broken", "mlir", "func.func @main( {"), "main", List.of());
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> place.run(WorkUnit.compute("bad", bad).build()).toCompletableFuture().get(60, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RequestFailedException.class);
        }
        assertThat(place.unavailableReason()).isEmpty();
        assertThatThrownBy(() -> new RemotePlace("n", "c.d", () -> requests, Duration.ofSeconds(1), 0, Duration.ofSeconds(1)))
                .hasMessageContaining("remote.gone.after 0 must be >= 1");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void shouldRefuseTasksAndSayWhyItIsUnavailable() {
        RemotePlace place = new RemotePlace("node1", "adp.remote.1", () -> null, Duration.ofSeconds(1));
        WorkUnit<String> task = WorkUnit.task("t", () -> "x").build();

        assertThat(place.accepts(task)).isFalse();
        assertThat(place.isAvailable()).isFalse();
        assertThat(place.unavailableReason()).contains("no RequestReply service");
        assertThat(new Places.Service(place).unavailableReason()).contains("no RequestReply service");
        assertThatThrownBy(() -> place.run(WorkUnit.compute("c", add(1)).build()).toCompletableFuture().join())
                .cause().hasMessageContaining("no RequestReply service");
        RemotePlace up = new RemotePlace("node1", "adp.remote.1", () -> requests, Duration.ofSeconds(1));
        assertThatThrownBy(() -> up.run(task).toCompletableFuture().join()).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compute units only");
    }

    @Test
    void shouldParseRemotePlacesAndNameBadEntries() {
        assertThat(RemoteComponent.parsePlaces(" node1=adp.remote.1 , node2 = adp.remote.2,"))
                .containsExactly(java.util.Map.entry("node1", "adp.remote.1"), java.util.Map.entry("node2", "adp.remote.2"));
        assertThat(RemoteComponent.parsePlaces("")).isEmpty();
        assertThatThrownBy(() -> RemoteComponent.parsePlaces("node1")).hasMessageContaining("'node1' is not name=channel");
        assertThatThrownBy(() -> RemoteComponent.parsePlaces("a=x.y,a=x.z")).hasMessageContaining("names node 'a' twice");
        assertThatThrownBy(() -> RemoteComponent.parsePlaces("a=chronofabric.reply")).hasMessageContaining("cannot be chronofabric.reply");
        assertThatThrownBy(() -> RemoteComponent.parsePlaces("a=bad channel")).hasMessageContaining("remote.places entry 'a=bad channel'");
    }
    @Test
    void shouldLetAdpPlaceComputeUnitsOnTheRemoteNode(@TempDir Path dir) throws Exception {
        respondOn("adp.remote.1", List.of(cpu));
        AtomicReference<RequestReply> rr = new AtomicReference<>(requests);
        RemotePlace place = new RemotePlace("node1", "adp.remote.1", rr::get, Duration.ofSeconds(60));
        AdpComponent adp = new AdpComponent();
        adp.activate(null, AdpComponentTest.config("state_dir", dir.toString(), "metrics_interval_ms", 3_600_000L, "scheduler_place", false));
        try {
            adp.bindPlace(place);
            ExecutionResult r = adp.submit(WorkUnit.compute("via-adp", add(7)).deadline(Duration.ofSeconds(60)).build()).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertThat(r.result(0).toFloatArray()).containsExactly(11, 22, 33, 47);
            assertThat(adp.places()).filteredOn(p -> p.name().equals("remote:node1")).singleElement()
                    .satisfies(p -> assertThat(p.choices()).isEqualTo(1)).satisfies(p -> assertThat(p.kind()).isEqualTo("remote"));

            rr.set(null);
            assertThat(adp.places()).filteredOn(p -> p.name().equals("remote:node1")).singleElement()
                    .satisfies(p -> assertThat(p.eligible()).isFalse()).satisfies(p -> assertThat(p.status()).contains("no RequestReply service"));
            assertThatThrownBy(() -> adp.submit(WorkUnit.compute("nowhere", add(7)).build()).toCompletableFuture().get(60, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RejectedExecutionException.class).hasMessageContaining("remote:node1");
        } finally {
            adp.deactivate();
        }
    }

    @Test
    void shouldRegisterAPlacePerNodeAndTheResponderFromTheConfiguration() {
        List<Object[]> registered = new ArrayList<>();
        List<Object> unregistered = new ArrayList<>();
        BundleContext ctx = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, a) -> {
            if (m.getName().equals("registerService")) {
                registered.add(a);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p2, m2, a2) -> {
                    if (m2.getName().equals("unregister")) {
                        unregistered.add(a[1]);
                    }
                    return null;
                });
            }
            throw new UnsupportedOperationException(m.getName());
        });
        RemoteComponent c = new RemoteComponent();
        c.activate(ctx, AdpComponentTest.config("remote_places", "node1=adp.remote.1, node2=adp.remote.2", "remote_responder_channel", "adp.remote.0"));

        assertThat(registered).hasSize(3);
        assertThat(registered.get(0)[0]).isEqualTo(WorkPlace.class);
        assertThat(((RemotePlace) registered.get(1)[1]).name()).isEqualTo("remote:node2");
        assertThat(((RemotePlace) registered.get(1)[1]).channel()).isEqualTo("adp.remote.2");
        assertThat(registered.get(2)[0]).isEqualTo(Responder.class);
        assertThat(((Dictionary<?, ?>) registered.get(2)[2]).get(Responder.CHANNEL)).isEqualTo("adp.remote.0");
        assertThat(((Dictionary<?, ?>) registered.get(2)[2]).get(Responder.TYPE)).isEqualTo(ComputeCall.class.getName());

        c.modified(AdpComponentTest.config("remote_places", "node1=bad channel"));
        assertThat(unregistered).isEmpty(); // refused: the previous configuration stays
        c.modified(AdpComponentTest.config("remote_places", "node3=adp.remote.3"));
        assertThat(unregistered).hasSize(3);
        assertThat(registered).hasSize(4);
        c.deactivate();
        assertThat(unregistered).hasSize(4);
    }
}
