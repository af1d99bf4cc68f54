package io.chronofabric.compute.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.ModuleSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle returned by {@link ComputeRuntime#compile}: one reference on a cache entry. When the
 * entry's backend goes away the handle can move to an entry on the fallback backend.
 */
final class RuntimeModule implements CompiledModule {

    final ComputeRuntime runtime;
    private final ModuleSource source;
    private final String hash;
    private final List<BackendKind> preferred;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile ComputeRuntime.CacheEntry entry;
    private volatile BackendKind lostKind;

    RuntimeModule(ComputeRuntime runtime, ModuleSource source, String hash, List<BackendKind> preferred,
            ComputeRuntime.CacheEntry entry) {
        this.runtime = runtime;
        this.source = source;
        this.hash = hash;
        this.preferred = preferred;
        this.entry = entry;
    }

    ComputeRuntime.CacheEntry entry() {
        return entry;
    }

    BackendKind lostKind() {
        return lostKind;
    }

    /** Compiles again on the next available preferred backend, replacing a lost entry. */
    synchronized ComputeRuntime.CacheEntry moveToFallback(ComputeRuntime.CacheEntry lost) {
        if (entry != lost) {
            return entry; // another execution moved it already
        }
        ComputeRuntime.CacheEntry next = runtime.acquire(source, preferred);
        lostKind = lost.kind;
        entry = next;
        if (released.get()) {
            runtime.releaseEntry(next);
        }
        return next;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public BackendKind backend() {
        return entry.kind;
    }

    @Override
    public String contentHash() {
        return hash;
    }

    @Override
    public ModuleSource source() {
        return source;
    }

    @Override
    public List<FunctionSignature> functions() {
        return entry.compiled.functions();
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            ComputeRuntime.CacheEntry e = entry;
            if (!e.gone) {
                runtime.releaseEntry(e);
            }
        }
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public String toString() {
        return "module '" + name() + "' on " + backend() + " (" + hash.substring(0, 12) + ")";
    }
}
