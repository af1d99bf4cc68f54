package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.patterns.Responder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Answers remote compute calls (requests from another node's {@link RemotePlace}): runs the call
 * on the first available local {@link ComputeBackend} (its module compiled there once, as ADP's
 * {@code compute:KIND} places do) and replies with the {@link ExecutionResult}. A call that fails
 * (no backend, a compile or execution error, the timeout) throws, so the requester gets a
 * {@code ResponderFailure} naming the error. An asynchronous responder (patterns API 1.2): the bus
 * dispatcher thread that delivered the request only starts the call; the reply is published when
 * the backend's stage completes, at most the configured timeout later.
 */
final class RemoteComputeResponder implements Responder<ComputeCall, CompletionStage<ExecutionResult>> {

    private final Supplier<List<ComputeBackend>> backends;
    private final Duration timeout;
    private final Map<ComputeBackend, Places.Compute> places = new ConcurrentHashMap<>();

    RemoteComputeResponder(Supplier<List<ComputeBackend>> backends, Duration timeout) {
        this.backends = backends;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<ExecutionResult> respond(PhasePacket<ComputeCall> request) {
        ComputeCall call = request.payload();
        ComputeBackend backend = null;
        List<String> why = new ArrayList<>();
        for (ComputeBackend b : backends.get()) {
            Places.Compute p = place(b);
            String reason = p.unavailableReason();
            if (reason.isEmpty()) {
                backend = b;
                break;
            }
            why.add(p.name() + ": " + reason);
        }
        if (backend == null) {
            throw new IllegalStateException("no available compute backend on this node for @" + call.function() + " of module '"
                    + call.source().name() + "'" + (why.isEmpty() ? " (none registered)" : " " + why));
        }
        WorkUnit<ExecutionResult> unit = WorkUnit.compute("remote:" + call.source().name(), call).build();
        String kind = String.valueOf(backend.kind());
        CompletableFuture<ExecutionResult> run = place(backend).run(unit).toCompletableFuture();
        CompletableFuture<ExecutionResult> answer = new CompletableFuture<>();
        run.whenComplete((r, x) -> {
            if (x == null) {
                answer.complete(r);
            } else {
                answer.completeExceptionally((x instanceof CompletionException || x instanceof ExecutionException) && x.getCause() != null
                        ? x.getCause() : x);
            }
        });
        answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return answer.exceptionallyCompose(x -> {
            if (x instanceof TimeoutException && !run.isDone()) {
                run.cancel(true); // the backend's work stops too
                return CompletableFuture.failedFuture(new TimeoutException("@" + call.function() + " of module '" + call.source().name()
                        + "' on " + kind + " did not finish within " + timeout.toMillis() + " ms (remote.responder.timeout.ms)"));
            }
            return CompletableFuture.failedFuture(x);
        });
    }

    private Places.Compute place(ComputeBackend b) {
        return places.computeIfAbsent(b, Places.Compute::new);
    }

    /** Drops the compiled modules of a backend that went. */
    void backendGone(ComputeBackend b) {
        Places.Compute p = places.remove(b);
        if (p != null) {
            p.release();
        }
    }

    void close() {
        places.values().forEach(Places.Compute::release);
        places.clear();
    }

    @Override
    public String toString() {
        return "adp remote compute responder";
    }
}
