package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.patterns.RequestReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A cluster node as a place for compute units ({@code remote:NAME}): the unit's {@link ComputeCall}
 * is sent by {@link RequestReply} on the node's channel, where that node's
 * {@link RemoteComputeResponder} runs it; the reply is the {@link ExecutionResult}. Only compute
 * units cross (a Java task cannot be shipped). The request times out after the unit's deadline, or
 * the configured timeout for a unit without one.
 */
final class RemotePlace implements WorkPlace {

    private final String name;
    private final String channel;
    private final Supplier<RequestReply> requestReply;
    private final Duration timeout;
    private final AtomicInteger pending = new AtomicInteger();

    RemotePlace(String node, String channel, Supplier<RequestReply> requestReply, Duration timeout) {
        this.name = "remote:" + node;
        this.channel = channel;
        this.requestReply = requestReply;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "remote";
    }

    String channel() {
        return channel;
    }

    @Override
    public boolean accepts(WorkUnit<?> unit) {
        return unit.isCompute();
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why the place cannot take work, empty when it can. */
    String unavailableReason() {
        return requestReply.get() == null ? "no RequestReply service (install the patterns feature)" : "";
    }

    @Override
    public int queueLength() {
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> run(WorkUnit<T> unit) {
        RequestReply rr = requestReply.get();
        if (rr == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("place '" + name + "': " + unavailableReason()));
        }
        ComputeCall call = unit.compute().orElse(null);
        if (call == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("place '" + name + "' runs compute units only; '" + unit.name()
                    + "' is a Java task, which cannot cross nodes"));
        }
        try {
            pending.incrementAndGet();
            CompletionStage<PhasePacket<ExecutionResult>> reply = rr.request(channel, call, ExecutionResult.class, unit.deadline().orElse(timeout));
            return (CompletionStage<T>) reply.thenApply(PhasePacket::payload).whenComplete((r, e) -> pending.decrementAndGet());
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Requests sent and not answered yet. */
    int pending() {
        return pending.get();
    }

    @Override
    public String toString() {
        return name + " (" + channel + ")";
    }
}
