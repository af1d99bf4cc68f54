package io.chronofabric.compute.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.SupportReport;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.api.compute.TensorType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for runtime tests: a "module" is one op name per line; it has one function
 * {@code @main(%arg0: tensor<?xf32>) -> tensor<?xf32>} that scales its argument by the factor
 * the backend was made with. A line "bad" does not parse.
 */
final class FakeBackend implements ComputeBackend {

    final BackendKind kind;
    final float factor;
    volatile boolean available = true;
    volatile boolean hold;
    final Set<String> ops;
    final AtomicInteger compiles = new AtomicInteger();
    final AtomicInteger supports = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    final List<CompletableFuture<ExecutionResult>> held = new CopyOnWriteArrayList<>();

    static final FunctionSignature MAIN = new FunctionSignature("main",
            List.of(new FunctionSignature.Parameter("arg0", TensorType.ranked(ElementType.F32, TensorType.DYNAMIC))),
            List.of(TensorType.ranked(ElementType.F32, TensorType.DYNAMIC)));

    FakeBackend(BackendKind kind, float factor, String... ops) {
        this.kind = kind;
        this.factor = factor;
        this.ops = Set.of(ops);
    }

    @Override
    public BackendKind kind() {
        return kind;
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    @Override
    public Optional<String> unavailableReason() {
        return available ? Optional.empty() : Optional.of("no fake device");
    }

    @Override
    public Set<String> supportedOps() {
        return ops;
    }

    @Override
    public SupportReport support(ModuleSource source) {
        supports.incrementAndGet();
        Set<String> used = new LinkedHashSet<>();
        List<SupportReport.UnsupportedOp> bad = new ArrayList<>();
        String[] lines = source.text().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String op = lines[i].trim();
            if (op.equals("bad")) {
                throw new IllegalArgumentException("expected an op name at " + (i + 1) + ":1");
            }
            used.add(op);
            if (!ops.contains(op)) {
                bad.add(new SupportReport.UnsupportedOp(op, i + 1, 1, "not in fake " + kind));
            }
        }
        return new SupportReport(kind, used, bad);
    }

    @Override
    public CompiledModule compile(ModuleSource source) {
        compiles.incrementAndGet();
        return new Module(source);
    }

    @Override
    public CompletionStage<ExecutionResult> execute(CompiledModule module, String function, List<Tensor> arguments) {
        if (!(module instanceof Module m) || m.owner() != this) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a module of " + kind));
        }
        CompletableFuture<ExecutionResult> f = new CompletableFuture<>();
        if (hold) {
            held.add(f);
            return f;
        }
        float[] v = arguments.get(0).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        f.complete(new ExecutionResult(List.of(Tensor.wrapFloats(new int[] {v.length}, v)), kind, 1));
        return f;
    }

    final class Module implements CompiledModule {
        private final ModuleSource source;
        private volatile boolean released;

        Module(ModuleSource source) {
            this.source = source;
        }

        FakeBackend owner() {
            return FakeBackend.this;
        }

        @Override
        public String name() {
            return source.name();
        }

        @Override
        public BackendKind backend() {
            return kind;
        }

        @Override
        public String contentHash() {
            return Hashes.sha256(source.text());
        }

        @Override
        public ModuleSource source() {
            return source;
        }

        @Override
        public List<FunctionSignature> functions() {
            return List.of(MAIN);
        }

        @Override
        public void release() {
            if (!released) {
                released = true;
                releases.incrementAndGet();
            }
        }

        @Override
        public boolean isReleased() {
            return released;
        }
    }
}
