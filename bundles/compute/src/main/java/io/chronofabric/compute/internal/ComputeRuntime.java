package io.chronofabric.compute.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.BackendStatus;
import io.chronofabric.api.compute.BackendUnavailableException;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionOptions;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.HardwareAbstraction;
import io.chronofabric.api.compute.MlirRuntime;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.SupportReport;
import io.chronofabric.api.compute.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute runtime: follows every {@link ComputeBackend} service (dynamic, greedy), picks one
 * per module with fallback to the CPU, caches compiled modules by (backend, content hash) with
 * reference-counted handles, and runs executions with a timeout and cancellation that reach the
 * backend. A backend that goes away takes its cache entries with it; handles on them fall back
 * or fail at their next execution, as configured.
 */
@Component(name = ComputeConfig.PID, configurationPid = ComputeConfig.PID, immediate = true,
        service = {MlirRuntime.class, HardwareAbstraction.class})
@Designate(ocd = ComputeConfig.class)
public final class ComputeRuntime implements MlirRuntime, HardwareAbstraction {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeRuntime.class);

    /** One registered backend service. */
    record Registered(long serviceId, int ranking, String bundle, ComputeBackend backend) {
    }

    /** Settings in force (replaced whole on @Modified). */
    record Settings(List<BackendKind> preferred, long timeoutMs, boolean fallback) {
        static Settings defaults() {
            return new Settings(List.of(BackendKind.CPU), 30_000, true);
        }
    }

    private final List<Registered> backends = new CopyOnWriteArrayList<>();
    /** (preference, content hash) -> the backend chosen last time; cleared whenever a backend comes or goes. */
    private final Map<String, Registered> selections = new java.util.concurrent.ConcurrentHashMap<>();
    /** Cache: "serviceId:hash" -> entry. Guarded by {@code this}. */
    private final Map<String, CacheEntry> cache = new HashMap<>();
    private volatile Settings settings = Settings.defaults();
    private volatile ScheduledExecutorService timer;

    public ComputeRuntime() {
    }

    /** For tests: no framework, default settings unless given. */
    ComputeRuntime(Settings settings) {
        this.settings = settings;
        this.timer = newTimer();
    }

    @Activate
    void activate(ComputeConfig config) {
        settings = settings(config);
        timer = newTimer();
        LOG.info("Compute runtime ready: preferred {}, timeout {} ms, fallback on backend loss {}",
                settings.preferred(), settings.timeoutMs(), settings.fallback());
    }

    @Modified
    void modified(ComputeConfig config) {
        settings = settings(config);
        LOG.info("Compute runtime reconfigured: preferred {}, timeout {} ms, fallback on backend loss {}",
                settings.preferred(), settings.timeoutMs(), settings.fallback());
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            for (CacheEntry e : cache.values()) {
                e.dispose();
            }
            cache.clear();
        }
    }

    static Settings settings(ComputeConfig c) {
        Settings d = Settings.defaults();
        List<BackendKind> preferred = kinds("preferred.backends", c.preferred_backends(), d.preferred());
        long timeout = c.execution_timeout_ms();
        if (timeout < 1 || timeout > 86_400_000L) {
            LOG.error("Refused configuration {}: execution.timeout.ms={} is out of range 1..86400000; using {}",
                    ComputeConfig.PID, timeout, d.timeoutMs());
            timeout = d.timeoutMs();
        }
        return new Settings(preferred, timeout, c.fallback_on_backend_loss());
    }

    private static List<BackendKind> kinds(String key, String value, List<BackendKind> dflt) {
        List<BackendKind> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            try {
                out.add(BackendKind.parse(s));
            } catch (IllegalArgumentException e) {
                LOG.error("Refused configuration {}: {}={}: {}; using {}", ComputeConfig.PID, key, value, e.getMessage(), dflt);
                return dflt;
            }
        }
        return out.isEmpty() ? dflt : List.copyOf(out);
    }

    private static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "chronofabric-compute-timeouts");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    Settings currentSettings() {
        return settings;
    }

    // ---------------------------------------------------------------- backends

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(ServiceReference<ComputeBackend> ref, ComputeBackend backend) {
        Object rank = ref.getProperty(Constants.SERVICE_RANKING);
        add(new Registered((Long) ref.getProperty(Constants.SERVICE_ID), rank instanceof Integer i ? i : 0,
                ref.getBundle() == null ? "" : ref.getBundle().getSymbolicName(), backend));
    }

    void unbindBackend(ServiceReference<ComputeBackend> ref, ComputeBackend backend) {
        remove((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    void add(Registered r) {
        backends.add(r);
        selections.clear();
        LOG.info("Compute backend {} registered by {} (service {}, ranking {})", safeKind(r.backend()), r.bundle(),
                r.serviceId(), r.ranking());
    }

    void remove(long serviceId) {
        Registered gone = null;
        for (Registered r : backends) {
            if (r.serviceId() == serviceId) {
                gone = r;
                backends.remove(r);
            }
        }
        if (gone == null) {
            return;
        }
        selections.clear();
        int dropped = 0;
        synchronized (this) {
            var it = cache.values().iterator();
            while (it.hasNext()) {
                CacheEntry e = it.next();
                if (e.owner.serviceId() == serviceId) {
                    e.gone = true;
                    it.remove();
                    e.dispose();
                    dropped++;
                }
            }
        }
        LOG.info("Compute backend {} from {} went away; {} cached module(s) dropped", safeKind(gone.backend()),
                gone.bundle(), dropped);
    }

    private static String safeKind(ComputeBackend b) {
        try {
            return String.valueOf(b.kind());
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** The backend in use for a kind: highest ranking, then lowest service id. */
    Optional<Registered> top(BackendKind kind) {
        return backends.stream().filter(r -> safeKind(r.backend()).equals(kind.name()))
                .min(Comparator.comparingInt((Registered r) -> -r.ranking()).thenComparingLong(Registered::serviceId));
    }

    private boolean registered(Registered r) {
        return backends.contains(r);
    }

    // ---------------------------------------------------------------- HardwareAbstraction

    @Override
    public List<BackendStatus> backends() {
        List<BackendStatus> out = new ArrayList<>();
        for (Registered r : backends) {
            out.add(status(r));
        }
        out.sort(Comparator.comparing(BackendStatus::kind).thenComparing(BackendStatus::bundle));
        return out;
    }

    @Override
    public Optional<BackendStatus> backend(BackendKind kind) {
        return top(kind).map(ComputeRuntime::status);
    }

    static BackendStatus status(Registered r) {
        ComputeBackend b = r.backend();
        BackendKind kind;
        try {
            kind = b.kind();
        } catch (RuntimeException e) {
            return new BackendStatus(BackendKind.CPU, "?", false, "kind() threw " + e, Set.of(), r.bundle());
        }
        try {
            boolean available = b.isAvailable();
            String reason = available ? "" : b.unavailableReason().orElse("reports unavailable");
            return new BackendStatus(kind, b.device(), available, reason, available ? b.supportedOps() : Set.of(), r.bundle());
        } catch (RuntimeException e) {
            return new BackendStatus(kind, "?", false, "status query threw " + e, Set.of(), r.bundle());
        }
    }

    @Override
    public Selection select(ModuleSource source, List<BackendKind> preferred) {
        return choose(source, preferred).selection();
    }

    private record Choice(Registered registered, Selection selection) {
    }

    private Choice choose(ModuleSource source, List<BackendKind> preferred) {
        LinkedHashSet<BackendKind> order = new LinkedHashSet<>(
                preferred == null || preferred.isEmpty() ? settings.preferred() : preferred);
        order.add(BackendKind.CPU);
        List<String> skipped = new ArrayList<>();
        for (BackendKind kind : order) {
            Optional<Registered> r = top(kind);
            if (r.isEmpty()) {
                skipped.add(kind + ": no backend registered");
                continue;
            }
            ComputeBackend b = r.get().backend();
            boolean available;
            String reason;
            try {
                available = b.isAvailable();
                reason = available ? "" : b.unavailableReason().orElse("reports unavailable");
            } catch (RuntimeException e) {
                available = false;
                reason = "availability check threw " + e;
            }
            if (!available) {
                skipped.add(kind + ": unavailable: " + reason);
                continue;
            }
            SupportReport report = b.support(source); // IllegalArgumentException: the module does not parse
            if (!report.isFullySupported()) {
                if (kind == BackendKind.CPU) {
                    throw new IllegalArgumentException("module '" + source.name() + "': " + report);
                }
                skipped.add(report.toString());
                continue;
            }
            if (!skipped.isEmpty()) {
                LOG.debug("Module '{}' goes to {}; skipped: {}", source.name(), kind, skipped);
            }
            return new Choice(r.get(), new Selection(kind, skipped));
        }
        throw new BackendUnavailableException(null, "no backend can run module '" + source.name() + "': "
                + String.join("; ", skipped));
    }

    @Override
    public DeviceBuffer allocate(BackendKind kind, ElementType type, int elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("buffer of " + elements + " elements: size must be >= 0");
        }
        Registered r = top(kind).orElseThrow(() -> new BackendUnavailableException(kind, "no " + kind + " backend registered"));
        if (!r.backend().isAvailable()) {
            throw new BackendUnavailableException(kind, kind + " backend unavailable: "
                    + r.backend().unavailableReason().orElse("reports unavailable"));
        }
        return r.backend().allocate(type, elements);
    }

    // ---------------------------------------------------------------- MlirRuntime

    @Override
    public SupportReport support(BackendKind kind, ModuleSource source) {
        Registered r = top(kind).orElseThrow(() -> new BackendUnavailableException(kind, "no " + kind + " backend registered"));
        return r.backend().support(source);
    }

    private final java.util.concurrent.atomic.LongAdder compiles = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder cacheHits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder fallbacks = new java.util.concurrent.atomic.LongAdder();
    private final java.util.Map<BackendKind, java.util.concurrent.atomic.LongAdder> completedBy = new java.util.EnumMap<>(BackendKind.class);
    private final java.util.Map<BackendKind, java.util.concurrent.atomic.LongAdder> failedBy = new java.util.EnumMap<>(BackendKind.class);

    {
        for (BackendKind k : BackendKind.values()) {
            completedBy.put(k, new java.util.concurrent.atomic.LongAdder());
            failedBy.put(k, new java.util.concurrent.atomic.LongAdder());
        }
    }

    @Override
    public io.chronofabric.api.compute.RuntimeStats stats() {
        java.util.Map<BackendKind, Long> done = new java.util.EnumMap<>(BackendKind.class);
        java.util.Map<BackendKind, Long> bad = new java.util.EnumMap<>(BackendKind.class);
        for (BackendKind k : BackendKind.values()) {
            long c = completedBy.get(k).sum();
            long f = failedBy.get(k).sum();
            if (c > 0 || f > 0) {
                done.put(k, c);
                bad.put(k, f);
            }
        }
        return new io.chronofabric.api.compute.RuntimeStats(compiles.sum(), cacheHits.sum(), fallbacks.sum(), done, bad);
    }

    private void counted(BackendKind kind, Throwable failure) {
        (failure == null ? completedBy : failedBy).get(kind).increment();
    }

    @Override
    public CompiledModule compile(ModuleSource source, List<BackendKind> preferred) {
        List<BackendKind> pref = preferred == null || preferred.isEmpty() ? settings.preferred() : List.copyOf(preferred);
        CacheEntry entry = acquire(source, pref);
        return new RuntimeModule(this, source, entry.hash, pref, entry);
    }

    /** One reference on the cache entry for the module on the chosen backend (compiling it if new). */
    CacheEntry acquire(ModuleSource source, List<BackendKind> preferred) {
        String hash = Hashes.sha256(source.text());
        // the same text with the same preference, backend still there and available: no parse, no support report
        String selectionKey = preferred + "|" + hash;
        Registered known = selections.get(selectionKey);
        if (known != null && registered(known) && known.backend().isAvailable()) {
            synchronized (this) {
                CacheEntry e = cache.get(known.serviceId() + ":" + hash);
                if (e != null) {
                    e.refs++;
                    cacheHits.increment();
                    return e;
                }
            }
        }
        Choice c = choose(source, preferred);
        selections.put(selectionKey, c.registered());
        String key = c.registered().serviceId() + ":" + hash;
        synchronized (this) {
            CacheEntry e = cache.get(key);
            if (e != null) {
                e.refs++;
                cacheHits.increment();
                return e;
            }
        }
        compiles.increment();
        // compile outside the lock: it may take a while; a racing compile of the same text is discarded
        CompiledModule compiled = c.registered().backend().compile(source);
        synchronized (this) {
            CacheEntry e = cache.get(key);
            if (e != null) {
                e.refs++;
                quietRelease(compiled);
                return e;
            }
            e = new CacheEntry(c.registered(), c.selection().chosen(), hash, compiled);
            if (!registered(c.registered())) {
                // the backend went away while compiling
                quietRelease(compiled);
                throw new BackendUnavailableException(c.selection().chosen(), c.selection().chosen()
                        + " backend went away while compiling module '" + source.name() + "'");
            }
            e.refs = 1;
            cache.put(key, e);
            return e;
        }
    }

    /** Drops one reference; the backend's module is freed with the last. */
    synchronized void releaseEntry(CacheEntry e) {
        if (--e.refs <= 0) {
            cache.remove(e.owner.serviceId() + ":" + e.hash, e);
            e.dispose();
        }
    }

    private static void quietRelease(CompiledModule m) {
        try {
            m.release();
        } catch (RuntimeException ex) {
            LOG.warn("Releasing module '{}' failed: {}", m.name(), ex.toString());
        }
    }

    @Override
    public synchronized Set<String> cachedModules() {
        Set<String> out = new TreeSet<>();
        for (CacheEntry e : cache.values()) {
            out.add(e.kind + ":" + e.hash);
        }
        return out;
    }

    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments,
            ExecutionOptions options) {
        return execute(module, function, arguments, null, options);
    }

    /**
     * Into preallocated buffers: passed to the backend's {@link
     * io.chronofabric.api.compute.ComputeBackend#execute(CompiledModule, String, List, List)},
     * which writes its own buffers in place and others through {@link DeviceBuffer#write} (so a
     * fallback to another backend still fills them).
     */
    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments,
            List<DeviceBuffer> outputs, ExecutionOptions options) {
        try {
            if (!(module instanceof RuntimeModule rm) || rm.runtime != this) {
                throw new IllegalArgumentException("module '" + (module == null ? null : module.name())
                        + "' was not compiled by this runtime (use MlirRuntime.compile)");
            }
            if (rm.isReleased()) {
                throw new IllegalStateException("module '" + rm.name() + "' was released");
            }
            if (function == null) {
                throw new IllegalArgumentException("no function name given for module '" + rm.name() + "'");
            }
            FunctionSignature f = rm.requireFunction(function);
            f.checkArguments(arguments);
            List<DeviceBuffer> outs = null;
            if (outputs != null) {
                f.checkOutputs(outputs);
                outs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(outputs));
            }
            ExecutionOptions o = options == null ? ExecutionOptions.DEFAULTS : options;
            long timeoutMs = o.timeout() == null ? settings.timeoutMs() : Math.max(1, o.timeout().toMillis());
            boolean fallback = switch (o.onBackendLoss()) {
                case FAIL -> false;
                case FALL_BACK -> true;
                default -> settings.fallback();
            };
            // fast path: a backend that finished on the caller's thread (small modules on the CPU) needs no
            // timer and no wrapping: its completed future is the answer
            CacheEntry first = rm.entry();
            CompletableFuture<ExecutionResult> firstTry = null;
            if (!first.gone) {
                firstTry = call(first, function, arguments, outs);
                if (firstTry.isDone() && !firstTry.isCompletedExceptionally()) {
                    completedBy.get(first.kind).increment();
                    return firstTry;
                }
            }
            CompletableFuture<ExecutionResult> out = new CompletableFuture<>();
            ScheduledFuture<?> timeout = timer.schedule(() -> out.completeExceptionally(new TimeoutException(
                    "execution of @" + function + " of module '" + rm.name() + "' on " + rm.backend()
                            + " took longer than " + timeoutMs + " ms")), timeoutMs, TimeUnit.MILLISECONDS);
            out.whenComplete((r, t) -> {
                timeout.cancel(false);
                counted(rm.entry().kind, t);
            });
            run(rm, function, arguments, outs, fallback, out, 0, first, firstTry);
            return out;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletableFuture<ExecutionResult> call(CacheEntry e, String function, List<Tensor> args,
            List<DeviceBuffer> outs) {
        try {
            return (outs == null ? e.owner.backend().execute(e.compiled, function, args)
                    : e.owner.backend().execute(e.compiled, function, args, outs)).toCompletableFuture();
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private void run(RuntimeModule rm, String function, List<Tensor> args, List<DeviceBuffer> outs, boolean fallback,
            CompletableFuture<ExecutionResult> out, int attempt) {
        run(rm, function, args, outs, fallback, out, attempt, null, null);
    }

    /** {@code started} is the backend's future for {@code startedOn} when the caller already called it. */
    private void run(RuntimeModule rm, String function, List<Tensor> args, List<DeviceBuffer> outs, boolean fallback,
            CompletableFuture<ExecutionResult> out, int attempt, CacheEntry startedOn, CompletableFuture<ExecutionResult> started) {
        CacheEntry e = rm.entry();
        if (started != null && e == startedOn) {
            watch(rm, function, args, outs, fallback, out, attempt, e, started);
            return;
        }
        if (e.gone || !registered(e.owner)) {
            if (!fallback || attempt > 1) {
                out.completeExceptionally(lost(rm, e));
                return;
            }
            try {
                e = rm.moveToFallback(e);
                fallbacks.increment();
                LOG.info("Module '{}': {} backend went away; running @{} on {} instead", rm.name(), rm.lostKind(), function, e.kind);
            } catch (RuntimeException ex) {
                BackendUnavailableException b = lost(rm, e);
                b.addSuppressed(ex);
                out.completeExceptionally(b);
                return;
            }
        }
        watch(rm, function, args, outs, fallback, out, attempt, e, call(e, function, args, outs));
    }

    /** Links a backend's future to the caller's: cancellation and timeout go down, the outcome (or a retry) up. */
    private void watch(RuntimeModule rm, String function, List<Tensor> args, List<DeviceBuffer> outs, boolean fallback,
            CompletableFuture<ExecutionResult> out, int attempt, CacheEntry used, CompletableFuture<ExecutionResult> bf) {
        // cancellation and timeout reach the backend: it stops at its next op boundary
        out.whenComplete((r, t) -> {
            if (!bf.isDone()) {
                if (t instanceof CancellationException) {
                    bf.cancel(true);
                } else {
                    bf.completeExceptionally(t == null ? new CancellationException("caller completed") : t);
                }
            }
        });
        bf.whenComplete((r, t) -> {
            if (t == null) {
                out.complete(r);
                return;
            }
            Throwable cause = unwrap(t);
            if ((used.gone || !registered(used.owner)) && fallback && attempt == 0 && !out.isDone()) {
                LOG.info("Module '{}': {} backend went away during @{} ({}); retrying on the fallback", rm.name(), used.kind,
                        function, cause.toString());
                run(rm, function, args, outs, true, out, 1);
                return;
            }
            out.completeExceptionally(cause);
        });
    }

    private static BackendUnavailableException lost(RuntimeModule rm, CacheEntry e) {
        return new BackendUnavailableException(e.kind, "the " + e.kind + " backend that compiled module '" + rm.name()
                + "' (from bundle " + e.owner.bundle() + ") is no longer registered");
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A compiled module on one backend, shared by handles. */
    static final class CacheEntry {
        final Registered owner;
        final BackendKind kind;
        final String hash;
        final CompiledModule compiled;
        int refs;
        volatile boolean gone;
        private boolean disposed;

        CacheEntry(Registered owner, BackendKind kind, String hash, CompiledModule compiled) {
            this.owner = owner;
            this.kind = kind;
            this.hash = hash;
            this.compiled = compiled;
        }

        synchronized void dispose() {
            if (!disposed) {
                disposed = true;
                quietRelease(compiled);
            }
        }
    }
}
