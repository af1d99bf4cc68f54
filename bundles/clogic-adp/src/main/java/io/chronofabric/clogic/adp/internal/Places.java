package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.adp.WorkPlace;
import io.chronofabric.api.adp.WorkUnit;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.scheduler.DeadlineScheduler;
import io.chronofabric.api.scheduler.ScheduledTask;
import io.chronofabric.api.scheduler.Task;
import io.chronofabric.api.scheduler.TaskOutcome;
import io.chronofabric.api.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The places ADP knows how to drive. */
final class Places {

    private Places() {
    }

    /** ADP's own threads ({@code local}). */
    static final class Local implements Place {
        private final ThreadPoolExecutor pool;

        Local(int threads) {
            AtomicInteger n = new AtomicInteger();
            pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "chronofabric-adp-local-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public String name() {
            return "local";
        }

        @Override
        public String kind() {
            return "local";
        }

        @Override
        public boolean accepts(WorkUnit<?> unit) {
            return !unit.isCompute();
        }

        @Override
        public String unavailableReason() {
            return pool.isShutdown() ? "stopped" : "";
        }

        @Override
        public int queueLength() {
            return pool.getQueue().size();
        }

        @Override
        public <T> CompletionStage<T> run(WorkUnit<T> unit) {
            CompletableFuture<T> cf = new CompletableFuture<>();
            Future<?> f = pool.submit(() -> {
                try {
                    cf.complete(unit.call());
                } catch (Throwable e) {
                    cf.completeExceptionally(e);
                }
            });
            cf.whenComplete((v, e) -> {
                if (cf.isCancelled()) {
                    f.cancel(true);
                }
            });
            return cf;
        }

        void shutdown() {
            pool.shutdownNow();
        }

        ExecutorService pool() {
            return pool;
        }
    }

    /** The DeadlineScheduler's workers ({@code scheduler}): a one-shot task per unit, deadline from the unit or the default. */
    static final class Scheduler implements Place {
        private final Supplier<DeadlineScheduler> scheduler;
        private final Supplier<TimeSource> time;
        private final Supplier<Duration> defaultDeadline;
        private volatile int queued;

        Scheduler(Supplier<DeadlineScheduler> scheduler, Supplier<TimeSource> time, Supplier<Duration> defaultDeadline) {
            this.scheduler = scheduler;
            this.time = time;
            this.defaultDeadline = defaultDeadline;
        }

        @Override
        public String name() {
            return "scheduler";
        }

        @Override
        public String kind() {
            return "scheduler";
        }

        @Override
        public boolean accepts(WorkUnit<?> unit) {
            return !unit.isCompute();
        }

        @Override
        public String unavailableReason() {
            if (scheduler.get() == null) {
                return "no DeadlineScheduler service";
            }
            return time.get() == null ? "no TimeSource service (the scheduler's deadlines are TimeSource nanoseconds)" : "";
        }

        @Override
        public int queueLength() {
            DeadlineScheduler s = scheduler.get();
            if (s == null) {
                return 0;
            }
            queued = s.stats().queued();
            return queued;
        }

        @Override
        public <T> CompletionStage<T> run(WorkUnit<T> unit) {
            DeadlineScheduler s = scheduler.get();
            TimeSource t = time.get();
            if (s == null || t == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("place 'scheduler': " + unavailableReason()));
            }
            CompletableFuture<T> cf = new CompletableFuture<>();
            Duration d = unit.deadline().orElseGet(defaultDeadline);
            Task task = Task.builder("adp:" + unit.name(), () -> {
                try {
                    cf.complete(unit.call());
                } catch (Throwable e) {
                    cf.completeExceptionally(e);
                }
            }).deadline(t.nowNanos() + d.toNanos()).estimate(Duration.ofNanos(1000)).build();
            ScheduledTask st = s.schedule(task);
            st.outcome().whenComplete((o, e) -> {
                if (o != null && o.status() != TaskOutcome.Status.MET && o.status() != TaskOutcome.Status.LATE && o.status() != TaskOutcome.Status.FAILED) {
                    cf.completeExceptionally(new CancellationException("scheduler: task " + o.name() + " " + o.status()));
                }
            });
            cf.whenComplete((v, e) -> {
                if (cf.isCancelled()) {
                    st.cancel();
                }
            });
            return cf;
        }
    }

    /** A compute backend ({@code compute:KIND}): compiles the unit's module there once (cached) and executes the call. */
    static final class Compute implements Place {
        /** Compiled modules kept per backend at most. */
        static final int MAX_MODULES = 64;
        private final ComputeBackend backend;
        private final String name;
        private final ConcurrentHashMap<ModuleSource, CompiledModule> modules = new ConcurrentHashMap<>();

        Compute(ComputeBackend backend) {
            this.backend = backend;
            this.name = "compute:" + backend.kind().name();
        }

        ComputeBackend backend() {
            return backend;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "compute";
        }

        @Override
        public boolean accepts(WorkUnit<?> unit) {
            return unit.isCompute();
        }

        @Override
        public String unavailableReason() {
            try {
                return backend.isAvailable() ? "" : backend.unavailableReason().orElse("unavailable");
            } catch (RuntimeException e) {
                return "failed to say: " + e;
            }
        }

        @Override
        public int queueLength() {
            return 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletionStage<T> run(WorkUnit<T> unit) {
            ComputeCall call = unit.compute().orElseThrow();
            try {
                CompiledModule m = modules.get(call.source());
                if (m == null) {
                    if (modules.size() >= MAX_MODULES) {
                        release(); // a simple bound: many distinct modules compile again rather than pile up
                    }
                    m = modules.computeIfAbsent(call.source(), backend::compile);
                }
                return (CompletionStage<T>) backend.execute(m, call.function(), call.arguments());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        synchronized void release() {
            modules.values().forEach(m -> {
                try {
                    m.release();
                } catch (RuntimeException ignored) {
                    // the backend went first
                }
            });
            modules.clear();
        }
    }

    /** A {@link WorkPlace} service. */
    static final class Service implements Place {
        private final WorkPlace place;
        private final String name;
        private final String kind;

        Service(WorkPlace place) {
            this.place = place;
            String n = place.name();
            if (n == null || n.isBlank() || n.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("WorkPlace name '" + n + "' is empty or has whitespace");
            }
            if (n.equals("local") || n.equals("scheduler") || n.startsWith("compute:")) {
                throw new IllegalArgumentException("WorkPlace name '" + n + "' is reserved for ADP's built-in places");
            }
            this.name = n;
            String k = place.kind();
            this.kind = k == null || k.isBlank() ? "service" : k;
        }

        WorkPlace delegate() {
            return place;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public boolean accepts(WorkUnit<?> unit) {
            try {
                return place.accepts(unit);
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public String unavailableReason() {
            try {
                if (place instanceof RemotePlace r) {
                    return r.unavailableReason();
                }
                return place.isAvailable() ? "" : "the place says it is unavailable";
            } catch (RuntimeException e) {
                return "failed to say: " + e;
            }
        }

        @Override
        public int queueLength() {
            return place.queueLength();
        }

        @Override
        public <T> CompletionStage<T> run(WorkUnit<T> unit) {
            CompletionStage<T> s = place.run(unit);
            if (s == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("WorkPlace '" + name + "' returned no stage"));
            }
            return s;
        }
    }
}
