package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.adp.WorkUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A place for tests: runs the task on the caller's thread, or holds it (never completes) when hold is set. */
final class FakePlace implements Place, WorkPlace {
    final String name;
    volatile boolean hold;
    volatile boolean available = true;
    final ConcurrentLinkedQueue<CompletableFuture<?>> held = new ConcurrentLinkedQueue<>();
    volatile int runs;

    FakePlace(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "test";
    }

    @Override
    public boolean accepts(WorkUnit<?> unit) {
        return !unit.isCompute();
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    @Override
    public String unavailableReason() {
        return available ? "" : "down for the test";
    }

    @Override
    public int queueLength() {
        return 0;
    }

    @Override
    public <T> CompletionStage<T> run(WorkUnit<T> unit) {
        runs++;
        CompletableFuture<T> f = new CompletableFuture<>();
        if (hold) {
            held.add(f);
            return f;
        }
        try {
            f.complete(unit.call());
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }
}
