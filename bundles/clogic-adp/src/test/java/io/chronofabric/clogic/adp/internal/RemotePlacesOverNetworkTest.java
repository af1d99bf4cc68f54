package io.chronofabric.clogic.adp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.DeadlineMissedException;
import io.chronofabric.api.adp.PlaceInfo;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.RequestTimeoutException;
import io.chronofabric.api.patterns.Responder;
import io.chronofabric.bus.internal.StandaloneBus;
import io.chronofabric.compute.cpu.internal.CpuBackend;
import io.chronofabric.network.internal.BridgedTestNode;
import io.chronofabric.patterns.internal.StandalonePatterns;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADP's remote places across real nodes: three real buses in one JVM (nodes 1, 2, 3), each bridged
 * to the others by the network bundle's own classes over loopback UDP (Aeron), the compute calls and
 * results crossing through ADP's codecs. ADP on node 1 has places remote:b (node 2's responder, CPU
 * backend) and remote:c (node 3's, whose replies are held 60 ms: a slower node). It learns to prefer
 * the faster node from the latencies it observes; when node 2 goes away with units pending there,
 * they fail at their deadline naming the place, its failures are counted, and after three timeouts
 * in a row the place is avoided (unavailable, the reason said) while node 3 takes the work. A call
 * larger than an eighth of the term buffer crosses as the network node's chunked messages.
 */
class RemotePlacesOverNetworkTest {

    static final String FAST = "adp.remote.2";
    static final String SLOW = "adp.remote.3";
    static final long SLOW_MS = 60;

    @TempDir
    File dir;

    private final List<BridgedTestNode> nodes = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final List<RemoteComputeResponder> responders = new ArrayList<>();
    private final AtomicBoolean holdB = new AtomicBoolean();
    private BridgedTestNode a;
    private BridgedTestNode b;
    private BridgedTestNode c;
    private RequestReply requests;
    private AdpComponent adp;

    @BeforeEach
    void start() throws Exception {
        Map<Integer, String> endpoints = BridgedTestNode.endpoints(1, 2, 3);
        List<String> bridged = List.of(FAST, SLOW, RequestReply.REPLY_CHANNEL);
        List<io.chronofabric.api.network.PayloadCodec<?>> codecs = List.of(new ComputeCallCodec(), new ExecutionResultCodec());
        for (int id = 1; id <= 3; id++) {
            nodes.add(new BridgedTestNode(id, endpoints, dir, bridged, codecs));
        }
        a = nodes.get(0);
        b = nodes.get(1);
        c = nodes.get(2);
        StandalonePatterns.Requester requester = StandalonePatterns.requester(a.bus, timer);
        StandaloneBus.handle(a.bus, RequestReply.REPLY_CHANNEL, requester.replies(), false);
        requests = requester;
        RemoteComputeResponder onB = responder();
        Responder<ComputeCall, CompletionStage<ExecutionResult>> heldOnB = r -> holdB.get() ? new CompletableFuture<>() : onB.respond(r);
        StandaloneBus.handle(b.bus, FAST, StandalonePatterns.responder(heldOnB, FAST, b.bus), false);
        RemoteComputeResponder onC = responder();
        Responder<ComputeCall, CompletionStage<ExecutionResult>> slowOnC = r -> onC.respond(r).thenCompose(x -> CompletableFuture.supplyAsync(
                () -> x, CompletableFuture.delayedExecutor(SLOW_MS, TimeUnit.MILLISECONDS)));
        StandaloneBus.handle(c.bus, SLOW, StandalonePatterns.responder(slowOnC, SLOW, c.bus), false);
        // both nodes answer node 1 (the links are up both ways) before ADP starts
        awaitAnswer(FAST);
        awaitAnswer(SLOW);
    }

    private RemoteComputeResponder responder() {
        CpuBackend cpu = new CpuBackend(1, false, 1 << 20);
        RemoteComputeResponder r = new RemoteComputeResponder(() -> List.<ComputeBackend>of(cpu), Duration.ofSeconds(60));
        responders.add(r);
        return r;
    }

    private void awaitAnswer(String channel) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                PhasePacket<ExecutionResult> r = requests.request(channel, add(4), ExecutionResult.class,
                        Duration.ofSeconds(2)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(r.payload().result(0).toFloatArray()).containsExactly(11, 22, 33, 44);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("no answer on " + channel + " through the network within 60 s", e);
                }
            }
        }
    }

    @AfterEach
    void stop() {
        if (adp != null) {
            adp.deactivate();
        }
        responders.forEach(RemoteComputeResponder::close);
        nodes.forEach(BridgedTestNode::close);
        timer.shutdownNow();
    }

    private static ComputeCall add(float last) {
        return new ComputeCall(RemoteComputeTest.ADD, "main", List.of(Tensor.ofFloats(new int[] {4}, 1, 2, 3, last),
                Tensor.ofFloats(new int[] {4}, 10, 20, 30, 40)));
    }

    private PlaceInfo place(String name) {
        return adp.places().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no place " + name));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void shouldRunACallLargerThanAnEighthOfTheTermBufferOnTheRemoteNode() throws Exception {
        // 2 x 4096 f32 arguments (32 KiB) and a 16 KiB result: more than term.length / 8 (8 KiB of the 64 KiB terms),
        // so they cross as the network node's chunked messages
        int n = 4096;
        ModuleSource big = new ModuleSource("adp-remote-add-4096", "mlir", """
                func.func @main(%a: tensor<4096xf32>, %b: tensor<4096xf32>) -> tensor<4096xf32> {
                  %0 = arith.addf %a, %b : tensor<4096xf32>
                  return %0 : tensor<4096xf32>
                }
                """);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 0.5f * i;
        }
        ComputeCall call = new ComputeCall(big, "main", List.of(Tensor.ofFloats(new int[] {n}, x), Tensor.ofFloats(new int[] {n}, y)));
        assertThat(RemoteWire.encodeCall(call).length).isGreaterThan(64 * 1024 / 8 * 4);
        RemotePlace place = new RemotePlace("b", FAST, () -> requests, Duration.ofSeconds(60));
        long chunkedBefore = a.counters().getOrDefault("sentChunked", 0L);
        long reassembledBefore = a.counters().getOrDefault("reassembled", 0L);

        ExecutionResult r = place.run(WorkUnit.compute("big", call).deadline(Duration.ofSeconds(60)).build()).toCompletableFuture()
                .get(90, TimeUnit.SECONDS);

        float[] sum = r.result(0).toFloatArray();
        assertThat(sum).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(sum[i]).as("element %d", i).isEqualTo(1.5f * i);
        }
        // the call left node 1 in chunks, the reply came back in chunks (reassembled there)
        assertThat(a.counters().get("sentChunked")).as("node 1 %s", a.counters()).isGreaterThan(chunkedBefore);
        assertThat(a.counters().get("reassembled")).as("node 1 %s", a.counters()).isGreaterThan(reassembledBefore);
    }

    @Test
    void shouldPreferTheFasterNodeAndAvoidANodeThatWentAway() throws Exception {
        adp = new AdpComponent();
        adp.activate(null, AdpComponentTest.config("state_dir", new File(dir, "adp").toString(), "metrics_interval_ms", 3_600_000L,
                "scheduler_place", false));
        // a long retry: the gone node is not probed again during the test
        RemotePlace remoteB = new RemotePlace("b", FAST, () -> requests, Duration.ofSeconds(30), 3, Duration.ofMinutes(10));
        adp.bindPlace(remoteB);
        adp.bindPlace(new RemotePlace("c", SLOW, () -> requests, Duration.ofSeconds(30), 3, Duration.ofMinutes(10)));

        // learning: every unit answered right, from whichever node; the faster node is chosen more
        for (int i = 0; i < 40; i++) {
            ExecutionResult r = adp.submit(WorkUnit.compute("u" + i, add(i)).deadline(Duration.ofSeconds(30)).build()).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertThat(r.result(0).toFloatArray()).containsExactly(11, 22, 33, 40 + i);
        }
        PlaceInfo fast = place("remote:b");
        PlaceInfo slow = place("remote:c");
        assertThat(fast.choices() + slow.choices()).isEqualTo(40);
        assertThat(slow.choices()).as("the slower node was tried").isGreaterThanOrEqualTo(1);
        assertThat(fast.meanLatencyNanos()).as("observed latencies: remote:b %s, remote:c %s", fast, slow)
                .isLessThan(slow.meanLatencyNanos());
        assertThat(fast.choices()).as("remote:b chosen more than remote:c: %s / %s", fast, slow).isGreaterThan(slow.choices());
        assertThat(fast.failures() + slow.failures()).isZero();

        // node 2 stops answering, then goes away, with units pending there: they fail at their deadline, naming remote:b
        holdB.set(true);
        Duration deadline = Duration.ofSeconds(3);
        List<CompletableFuture<ExecutionResult>> pending = new ArrayList<>();
        List<Long> submittedAt = new ArrayList<>();
        int onB = 0;
        for (int i = 0; i < 30 && onB == 0; i++) { // until one is placed on node 2 (those placed on node 3 are answered)
            submittedAt.add(System.nanoTime());
            pending.add(adp.submit(WorkUnit.compute("p" + i, add(100 + i)).deadline(deadline).build()).toCompletableFuture());
            onB = place("remote:b").inFlight();
            if (onB == 0) {
                pending.get(i).get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(onB).as("a unit in flight on remote:b, the preferred node, within 30 units").isEqualTo(1);
        b.close();
        int failedOnB = 0;
        for (int i = 0; i < pending.size(); i++) {
            try {
                assertThat(pending.get(i).get(60, TimeUnit.SECONDS).result(0).size()).isEqualTo(4); // one that went to node 3
            } catch (ExecutionException e) {
                long waited = System.nanoTime() - submittedAt.get(i);
                assertThat(e.getCause()).isInstanceOfAny(DeadlineMissedException.class, RequestTimeoutException.class);
                assertThat(e.getCause().getMessage()).containsAnyOf("remote:b", FAST);
                assertThat(waited).as("failed at its deadline, not before").isGreaterThanOrEqualTo(deadline.toNanos() * 9 / 10);
                assertThat(waited).as("failed within its deadline (and a loaded machine's margin)")
                        .isLessThan(deadline.toNanos() + TimeUnit.SECONDS.toNanos(20));
                failedOnB++;
            }
        }
        assertThat(failedOnB).isEqualTo(onB);
        await(() -> place("remote:b").failures() == 1 && place("remote:b").inFlight() == 0, "remote:b's failure counted");

        // then the work goes to node 3: at most three timeouts in a row on remote:b, then it is avoided
        int inARow = 0;
        int units = 0;
        List<String> failures = new ArrayList<>();
        while (inARow < 5) {
            assertThat(units++).as("5 units in a row answered within 20 units; failures %s; places %s", failures, adp.places()).isLessThan(20);
            try {
                ExecutionResult r = adp.submit(WorkUnit.compute("after" + units, add(units)).deadline(deadline).build()).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                assertThat(r.result(0).toFloatArray()).containsExactly(11, 22, 33, 40 + units);
                inARow++;
            } catch (ExecutionException e) {
                failures.add(e.getCause().toString() + " [b: " + remoteB.timeoutsInARow() + " in a row, " + remoteB.unavailableReason() + "]");
                assertThat(e.getCause().getMessage()).containsAnyOf("remote:b", FAST);
                inARow = 0;
            }
        }
        PlaceInfo gone = place("remote:b");
        // the pending ones, and at most 3 timeouts in a row in all; plus at most one unit placed there between ADP's deadline
        // failing the previous one and the request's own timeout (a moment later) counting it
        assertThat(gone.failures()).as("failures on remote:b: %s", failures).isLessThanOrEqualTo(3 + 1);
        assertThat(gone.eligible()).isFalse();
        assertThat(gone.status()).contains("did not answer", "requests in a row", "No reply on channel '" + FAST + "'", "next try in");
        assertThat(place("remote:c").failures()).isZero();
    }
}
