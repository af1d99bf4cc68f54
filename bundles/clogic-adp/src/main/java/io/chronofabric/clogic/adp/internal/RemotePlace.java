package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.patterns.RequestReply;
import io.chronofabric.api.patterns.RequestTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A cluster node as a place for compute units ({@code remote:NAME}): the unit's {@link ComputeCall}
 * is sent by {@link RequestReply} on the node's channel, where that node's
 * {@link RemoteComputeResponder} runs it; the reply is the {@link ExecutionResult}. Only compute
 * units cross (a Java task cannot be shipped). The request times out after the unit's deadline, or
 * the configured timeout for a unit without one.
 *
 * <p><b>A node that went away</b> does not answer: its requests time out. After {@code goneAfter}
 * timeouts in a row the place says it is unavailable (ADP then places nothing there, whatever its
 * past rewards: a bandit's mean would take many failed units to fall) for {@code retry}; then one
 * request at a time probes it (a circuit breaker, half-open). Any answer, a responder's error
 * included (the node is there), closes it again. Other failures (no RequestReply, a refused
 * publish) are not the node's and do not count.
 */
final class RemotePlace implements WorkPlace {

    private final String name;
    private final String channel;
    private final Supplier<RequestReply> requestReply;
    private final Duration timeout;
    private final int goneAfter;
    private final long retryNanos;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger timeoutsInARow = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** System.nanoTime until which the node counts as gone; meaningful while {@link #gone}. */
    private volatile long goneUntil;
    private volatile boolean gone;
    private volatile String lastTimeout = "";

    RemotePlace(String node, String channel, Supplier<RequestReply> requestReply, Duration timeout) {
        this(node, channel, requestReply, timeout, 3, Duration.ofSeconds(5));
    }

    /**
     * @param goneAfter timeouts in a row after which the node counts as gone (&gt;= 1)
     * @param retry     how long a gone node is left alone before one probe request
     */
    RemotePlace(String node, String channel, Supplier<RequestReply> requestReply, Duration timeout, int goneAfter, Duration retry) {
        if (goneAfter < 1) {
            throw new IllegalArgumentException("remote.gone.after " + goneAfter + " must be >= 1");
        }
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("remote.retry.ms " + retry.toMillis() + " must be > 0");
        }
        this.name = "remote:" + node;
        this.channel = channel;
        this.requestReply = requestReply;
        this.timeout = timeout;
        this.goneAfter = goneAfter;
        this.retryNanos = retry.toNanos();
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
        if (requestReply.get() == null) {
            return "no RequestReply service (install the patterns feature)";
        }
        if (gone) {
            long left = goneUntil - System.nanoTime();
            String why = "the node did not answer " + timeoutsInARow.get() + " requests in a row (last: " + lastTimeout + ")";
            if (left > 0) {
                return why + "; next try in " + Math.max(1, left / 1_000_000) + " ms";
            }
            if (probing.get()) {
                return why + "; a probe request is under way";
            }
        }
        return "";
    }

    /** Timeouts in a row (0 after any answer). */
    int timeoutsInARow() {
        return timeoutsInARow.get();
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
        boolean probe = gone && goneUntil - System.nanoTime() <= 0 && probing.compareAndSet(false, true);
        try {
            pending.incrementAndGet();
            CompletableFuture<PhasePacket<ExecutionResult>> reply = rr.request(channel, call, ExecutionResult.class,
                    unit.deadline().orElse(timeout)).toCompletableFuture();
            // the caller's stage is completed after the bookkeeping, by an action on the request's own stage: ADP cancels the
            // stage it gets back at the unit's deadline, and an action chained after a cancelled stage would never run
            CompletableFuture<ExecutionResult> out = new CompletableFuture<>();
            reply.whenComplete((r, e) -> {
                pending.decrementAndGet();
                outcome(e);
                if (probe) {
                    probing.set(false);
                }
                if (e == null) {
                    out.complete(r.payload());
                } else {
                    out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
            });
            return (CompletionStage<T>) out;
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            if (probe) {
                probing.set(false);
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Counts a request's outcome: a timeout is the node's silence, anything else an answer. */
    private void outcome(Throwable e) {
        Throwable x = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (x instanceof RequestTimeoutException) {
            lastTimeout = x.getMessage();
            if (timeoutsInARow.incrementAndGet() >= goneAfter) {
                goneUntil = System.nanoTime() + retryNanos;
                gone = true;
            }
        } else {
            timeoutsInARow.set(0);
            gone = false;
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
