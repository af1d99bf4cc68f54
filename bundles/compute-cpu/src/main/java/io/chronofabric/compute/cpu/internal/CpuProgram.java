package io.chronofabric.compute.cpu.internal;

import io.chronofabric.compute.mlir.Attribute;
import io.chronofabric.compute.mlir.Function;
import io.chronofabric.compute.mlir.FunctionType;
import io.chronofabric.compute.mlir.MlirException;
import io.chronofabric.compute.mlir.MlirModule;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.TensorType;
import io.chronofabric.compute.mlir.Type;
import io.chronofabric.compute.mlir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * A module compiled for the CPU: each function becomes an array of steps over numbered value
 * slots, with constants materialised once, linalg.generic compiled to a {@link GenericKernel},
 * and buffers reused in place where a value dies at the op that overwrites it. Immutable and
 * thread-safe: every execution has its own slots.
 */
final class CpuProgram {

    /** Functions the runner utilities provide (mlir-cpu-runner's -shared-libs). */
    static final Set<String> BUILTINS = Set.of("printMemrefF32", "printMemrefF64", "printMemrefI32", "printMemrefI64");

    private static final int MAX_CALL_DEPTH = 64;

    private final MlirModule module;
    private final java.util.function.Supplier<CpuEngine> engine;
    private final Map<String, CompiledFunction> functions = new LinkedHashMap<>();

    CpuProgram(MlirModule module, java.util.function.Supplier<CpuEngine> engine) {
        this.module = module;
        this.engine = engine;
        for (Function f : module.functions().values()) {
            if (f.isDeclaration()) {
                if (!BUILTINS.contains(f.name()) && isCalled(f.name())) {
                    throw new MlirException(f.op().location(), "function @" + f.name() + " is only declared: the CPU"
                            + " backend can call defined functions and the runner utilities " + BUILTINS);
                }
                continue;
            }
            functions.put(f.name(), new CompiledFunction(f));
        }
    }

    private boolean isCalled(String name) {
        boolean[] found = {false};
        module.walk(o -> {
            if (o.name().equals("func.call") && o.attribute("callee", Attribute.SymbolRefAttr.class).name().equals(name)) {
                found[0] = true;
            }
        });
        return found[0];
    }

    MlirModule module() {
        return module;
    }

    /** The compiled function {@code name}; throws naming it and the defined ones. */
    CompiledFunction function(String name) {
        String n = name.startsWith("@") ? name.substring(1) : name;
        CompiledFunction f = functions.get(n);
        if (f == null) {
            throw new MlirException(null, "unknown function @" + n + ": the module defines "
                    + (functions.isEmpty() ? "none" : "@" + String.join(", @", functions.keySet())));
        }
        return f;
    }

    Map<String, CompiledFunction> functions() {
        return functions;
    }

    /** Per-execution state: output of the print built-ins, cancellation. */
    static final class Context {
        final StringBuilder printed;
        final java.util.concurrent.Future<?> owner;
        volatile boolean cancelled;
        int depth;
        long fakeBase = 0x55d0_0000_1000L;
        /**
         * Per result of the function run at depth 0: the array (float[], double[] or long[] of the
         * result's exact size) its tensor.empty writes in place, or null.
         */
        Object[] destinations;

        Context(StringBuilder printed) {
            this(printed, null);
        }

        /** @param owner the execution's future: once it is done (cancelled, timed out) the run stops at the next op */
        Context(StringBuilder printed, java.util.concurrent.Future<?> owner) {
            this.printed = printed;
            this.owner = owner;
        }

        void checkCancelled() {
            if (cancelled || owner != null && owner.isDone() || Thread.currentThread().isInterrupted()) {
                throw new CancellationException("execution cancelled");
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(CpuTensor[] slots, Context ctx);
    }

    final class CompiledFunction {
        final String name;
        final FunctionType type;
        private final int slotCount;
        private final Step[] steps;
        private final int[] resultSlots;
        private final boolean[] copyResult;

        private final Map<Value, Integer> slot = new IdentityHashMap<>();
        /** A value whose buffer is, by construction of its step, its operand's buffer (reused in place). */
        private final Map<Value, Value> sharesBufferOf = new IdentityHashMap<>();
        /** Per slot: the result index whose output buffer the tensor.empty defining it uses, else -1. */
        private final int[] destinationOf;
        /** Per result: whether an output buffer can be written in place (its tensor.empty is known). */
        private final boolean[] resultInPlace;
        private final Map<Value, Integer> lastUse = new IdentityHashMap<>();
        private final Set<Value> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

        CompiledFunction(Function f) {
            this.name = f.name();
            this.type = f.type();
            List<Operation> ops = f.body().operations();
            for (Value a : f.body().arguments()) {
                slot.put(a, slot.size());
            }
            for (int i = 0; i < ops.size(); i++) {
                Operation o = ops.get(i);
                int at = i;
                MlirModule.walk(o, inner -> inner.operands().forEach(v -> lastUse.put(v, at)));
                for (Value r : o.results()) {
                    slot.put(r, slot.size());
                }
            }
            destinationOf = new int[slot.size()];
            java.util.Arrays.fill(destinationOf, -1);
            List<Step> list = new ArrayList<>();
            Operation ret = null;
            for (int i = 0; i < ops.size(); i++) {
                Operation o = ops.get(i);
                if (o.name().equals("func.return")) {
                    ret = o;
                    continue;
                }
                list.add(compile(o, i));
                if (producesFreshBuffer(o)) {
                    owned.addAll(o.results());
                }
            }
            steps = list.toArray(new Step[0]);
            slotCount = slot.size();
            resultSlots = ret.operands().stream().mapToInt(slot::get).toArray();
            copyResult = new boolean[resultSlots.length];
            boolean escape = false;
            for (int i = 0; i < resultSlots.length; i++) {
                Operation def = ret.operand(i).definingOp();
                copyResult[i] = def != null && (def.name().equals("arith.constant") || def.name().equals("tensor.cast"));
                // a result that may be an argument's buffer: a parameter, a view, or what a call returned
                escape |= def == null || def.name().equals("tensor.cast") || def.name().equals("func.call");
            }
            argumentsMayEscape = escape;
            resultInPlace = new boolean[resultSlots.length];
            for (int i = 0; i < resultSlots.length; i++) {
                Value v = ret.operand(i);
                while (sharesBufferOf.containsKey(v)) {
                    v = sharesBufferOf.get(v);
                }
                Operation def = v.definingOp();
                if (def != null && (def.name().equals("tensor.empty") || writesWholeFreshResult(def))
                        && destinationOf[slot.get(v)] < 0 && def.result().type() instanceof TensorType tt && tt.isRanked()) {
                    destinationOf[slot.get(v)] = i;
                    resultInPlace[i] = true;
                }
            }
            List<Value> params = f.body().arguments();
            readInPlace = new boolean[params.size()];
            for (int i = 0; i < readInPlace.length; i++) {
                readInPlace[i] = onlyMatmulOperand(params.get(i), ops);
            }
        }

        /** Which f32 arguments are read in place (the API tensor's read-only view, no copy). */
        private final boolean[] readInPlace;

        /**
         * Whether argument {@code i} is read in place: an f32 tensor whose every use (nested
         * regions included) is as the A or B operand of a top-level linalg.matmul, which only
         * reads it by packing. Any other use (elementwise ops, casts, calls, printing, return)
         * gets a copy.
         */
        boolean readsArgumentInPlace(int i) {
            return readInPlace[i];
        }

        private boolean onlyMatmulOperand(Value v, List<Operation> ops) {
            if (!(v.type() instanceof TensorType t) || !t.isRanked() || t.element() != ScalarType.F32) {
                return false;
            }
            boolean[] other = {false};
            int uses = 0;
            for (Operation o : ops) {
                if (o.name().equals("linalg.matmul")) {
                    for (int k = 0; k < o.operands().size(); k++) {
                        if (o.operand(k) == v) {
                            if (k > 1) {
                                return false;
                            }
                            uses++;
                        }
                    }
                }
                boolean matmul = o.name().equals("linalg.matmul");
                MlirModule.walk(o, inner -> other[0] |= (inner != o || !matmul) && inner.operands().contains(v));
                if (other[0]) {
                    return false;
                }
            }
            return uses > 0;
        }

        private final boolean argumentsMayEscape;
        private final ThreadLocal<CpuTensor[]> argumentBuffers = new ThreadLocal<>();

        /**
         * Arrays to copy the arguments into, reused by this thread's next execution of this
         * function when no result can be an argument's buffer (large arrays are costly to
         * allocate: G1 puts arrays of half a region or more straight into the old generation).
         * Only for a thread that runs the execution to its end before it converts the next one.
         */
        CpuTensor[] argumentBuffers() {
            if (argumentsMayEscape) {
                return null;
            }
            CpuTensor[] b = argumentBuffers.get();
            if (b == null) {
                b = new CpuTensor[type.inputs().size()];
                argumentBuffers.set(b);
            }
            return b;
        }

        /**
         * Whether result {@code i} is computed in place in an output buffer given through {@link
         * Context#destinations}: it is (through ops that reuse their operand's buffer) a
         * tensor.empty of static shape. Other results are copied into their buffer afterwards.
         */
        boolean resultInPlace(int i) {
            return resultInPlace[i];
        }

        /** Runs with arguments in parameter order; results in result order. Arguments are not modified. */
        CpuTensor[] run(CpuTensor[] args, Context ctx) {
            if (args.length != type.inputs().size()) {
                throw new IllegalArgumentException("@" + name + " takes " + type.inputs().size() + " argument(s), "
                        + args.length + " given");
            }
            CpuTensor[] slots = new CpuTensor[slotCount];
            System.arraycopy(args, 0, slots, 0, args.length);
            for (Step s : steps) {
                ctx.checkCancelled();
                s.run(slots, ctx);
            }
            CpuTensor[] out = new CpuTensor[resultSlots.length];
            for (int i = 0; i < out.length; i++) {
                CpuTensor t = slots[resultSlots[i]];
                out[i] = copyResult[i] ? t.copy() : t;
            }
            return out;
        }

        private boolean producesFreshBuffer(Operation o) {
            // constants are shared, casts are views, a call may return its argument
            return !o.name().equals("arith.constant") && !o.name().equals("tensor.cast")
                    && !o.name().equals("func.call");
        }

        /** True when {@code v}'s buffer may be overwritten by op {@code at}: made here, dead after. */
        private boolean reusable(Value v, int at, Operation o) {
            if (!owned.contains(v) || lastUse.getOrDefault(v, -1) != at) {
                return false;
            }
            int uses = 0;
            for (Value x : o.operands()) {
                if (x == v) {
                    uses++;
                }
            }
            return uses == 1;
        }

        private Step compile(Operation o, int at) {
            String n = o.name();
            int[] in = o.operands().stream().mapToInt(slot::get).toArray();
            int out = o.results().isEmpty() ? -1 : slot.get(o.results().get(0));
            if (Ops.FLOAT_BINARY.contains(n) || Ops.INT_BINARY.contains(n)) {
                int code = Kernels.binaryCode(n);
                ScalarType t = element(o.operand(0).type());
                boolean reuse0 = reusable(o.operand(0), at, o);
                shares(o, reuse0, 0);
                Type rt = o.result().type();
                return (s, c) -> {
                    CpuTensor a = s[in[0]];
                    CpuTensor b = s[in[1]];
                    CpuTensor r = reuse0 ? a : result(rt, out, c);
                    CpuEngine e = engine.get();
                    if (!e.splits(a.size, 1)) { // no lambda for the common small case
                        switch (t) {
                            case F32 -> Kernels.binaryF32(code, a.f, b.f, r.f, a.size);
                            case F64 -> Kernels.binaryF64(code, a.d, b.d, r.d, a.size);
                            default -> Kernels.binaryInt(code, t, a.l, b.l, r.l, a.size, o);
                        }
                    } else {
                        switch (t) {
                            case F32 -> e.elementwise(a.size, 1, (lo, hi) -> Kernels.binaryF32(code, a.f, b.f, r.f, lo, hi));
                            case F64 -> e.elementwise(a.size, 1, (lo, hi) -> Kernels.binaryF64(code, a.d, b.d, r.d, lo, hi));
                            default -> e.elementwise(a.size, 1, (lo, hi) -> Kernels.binaryInt(code, t, a.l, b.l, r.l, lo, hi, o));
                        }
                    }
                    s[out] = r;
                };
            }
            if (Ops.FLOAT_UNARY.contains(n)) {
                int code = Kernels.unaryCode(n);
                int cost = Kernels.unaryCost(code);
                ScalarType t = element(o.operand(0).type());
                boolean reuse0 = reusable(o.operand(0), at, o);
                shares(o, reuse0, 0);
                Type rt = o.result().type();
                return (s, c) -> {
                    CpuTensor a = s[in[0]];
                    CpuTensor r = reuse0 ? a : result(rt, out, c);
                    CpuEngine e = engine.get();
                    if (!e.splits(a.size, cost)) {
                        if (t == ScalarType.F32) {
                            Kernels.unaryF32(code, a.f, r.f, a.size);
                        } else {
                            Kernels.unaryF64(code, a.d, r.d, a.size);
                        }
                    } else if (t == ScalarType.F32) {
                        e.elementwise(a.size, cost, (lo, hi) -> Kernels.unaryF32(code, a.f, r.f, lo, hi));
                    } else {
                        e.elementwise(a.size, cost, (lo, hi) -> Kernels.unaryF64(code, a.d, r.d, lo, hi));
                    }
                    s[out] = r;
                };
            }
            if (Ops.CASTS.contains(n)) {
                ScalarType from = element(o.operand(0).type());
                ScalarType to = element(o.result().type());
                Type rt = o.result().type();
                return (s, c) -> {
                    CpuTensor a = s[in[0]];
                    CpuTensor r = result(rt, out, c);
                    Object x = a.data();
                    Object y = r.data();
                    engine.get().elementwise(a.size, 1, (lo, hi) -> Kernels.cast(n, from, to, x, y, lo, hi));
                    s[out] = r;
                };
            }
            switch (n) {
                case "arith.constant": {
                    CpuTensor value = constant(o);
                    return (s, c) -> s[out] = value;
                }
                case "arith.cmpf":
                case "arith.cmpi": {
                    int p = (int) o.intAttribute("predicate");
                    ScalarType t = element(o.operand(0).type());
                    Type rt = o.result().type();
                    boolean f = n.equals("arith.cmpf");
                    return (s, c) -> {
                        CpuTensor a = s[in[0]];
                        CpuTensor b = s[in[1]];
                        CpuTensor r = result(rt, out, c);
                        if (f) {
                            Object x = a.data();
                            Object y = b.data();
                            engine.get().elementwise(a.size, 1, (lo, hi) -> Kernels.cmpF(p, x, y, r.l, lo, hi));
                        } else {
                            engine.get().elementwise(a.size, 1, (lo, hi) -> Kernels.cmpI(p, t, a.l, b.l, r.l, lo, hi));
                        }
                        s[out] = r;
                    };
                }
                case "arith.select": {
                    boolean scalarCond = o.operand(0).type() == ScalarType.I1;
                    Type rt = o.result().type();
                    return (s, c) -> {
                        CpuTensor r = result(rt, out, c);
                        long[] cond = s[in[0]].l;
                        Object x = s[in[1]].data();
                        Object y = s[in[2]].data();
                        Object z = r.data();
                        engine.get().elementwise(r.size, 1, (lo, hi) -> Kernels.select(cond, scalarCond, x, y, z, lo, hi));
                        s[out] = r;
                    };
                }
                case "tensor.empty": {
                    TensorType t = (TensorType) o.result().type();
                    return (s, c) -> {
                        int d = destinationOf[out];
                        Object dest = d >= 0 && c.depth == 0 && c.destinations != null ? c.destinations[d] : null;
                        // an output buffer in place: zeroed, as a fresh array is (a linalg.fill of 0 on it is elided)
                        s[out] = dest == null ? CpuTensor.allocate(t) : CpuTensor.zeroedOver(t, dest);
                    };
                }
                case "tensor.cast": {
                    owned.remove(o.operand(0)); // the view shares its buffer: never overwrite it in place
                    TensorType t = (TensorType) o.result().type();
                    return (s, c) -> s[out] = t.isRanked() ? s[in[0]].view(t.shape()) : s[in[0]];
                }
                case "tensor.extract": {
                    return (s, c) -> {
                        CpuTensor t = s[in[0]];
                        int i = linearIndex(o, t, s, in, 1);
                        s[out] = CpuTensor.scalar(t.element, t.getDouble(i), t.getLong(i));
                    };
                }
                case "tensor.insert": {
                    boolean reuse = reusable(o.operand(1), at, o);
                    shares(o, reuse, 1);
                    return (s, c) -> {
                        CpuTensor dest = s[in[1]];
                        CpuTensor r = reuse ? dest : dest.copy();
                        int i = linearIndex(o, dest, s, in, 2);
                        CpuTensor v = s[in[0]];
                        r.set(i, v.getDouble(0), v.getLong(0));
                        s[out] = r;
                    };
                }
                case "linalg.fill": {
                    boolean reuse = reusable(o.operand(1), at, o);
                    shares(o, reuse, 1);
                    Type rt = o.result().type();
                    Operation outDef = o.operand(1).definingOp();
                    if (reuse && outDef != null && outDef.name().equals("tensor.empty") && isZeroConstant(o.operand(0))) {
                        // a fresh tensor.empty is already zero (Java arrays are): filling it with 0 is a no-op
                        return (s, c) -> s[out] = s[in[1]];
                    }
                    return (s, c) -> {
                        CpuTensor r = reuse ? s[in[1]] : alloc(rt);
                        CpuTensor v = s[in[0]];
                        Kernels.fill(r.data(), 0, r.size, v.getDouble(0), v.getLong(0));
                        s[out] = r;
                    };
                }
                case "linalg.matmul": {
                    boolean reuse = reusable(o.operand(2), at, o);
                    shares(o, reuse, 2);
                    TensorType ta = (TensorType) o.operand(0).type();
                    TensorType tb = (TensorType) o.operand(1).type();
                    int m = ta.dim(0);
                    int k = ta.dim(1);
                    int nn = tb.dim(1);
                    return (s, c) -> {
                        CpuTensor r = reuse ? s[in[2]] : s[in[2]].copy();
                        engine.get().matmul(s[in[0]], s[in[1]], r, m, nn, k);
                        s[out] = r;
                    };
                }
                case "linalg.generic": {
                    GenericKernel kernel = new GenericKernel(o);
                    int inputs = o.inputCount();
                    boolean[] reuse = new boolean[o.operands().size()];
                    for (int k = inputs; k < reuse.length; k++) {
                        reuse[k] = reusable(o.operand(k), at, o);
                        if (reuse[k]) {
                            sharesBufferOf.put(o.results().get(k - inputs), o.operand(k));
                        }
                    }
                    int[] cap = kernel.captured().stream().mapToInt(slot::get).toArray();
                    int[] outs = o.results().stream().mapToInt(slot::get).toArray();
                    return (s, c) -> {
                        Object[] data = new Object[in.length];
                        CpuTensor[] results = new CpuTensor[outs.length];
                        for (int k = 0; k < in.length; k++) {
                            CpuTensor t = s[in[k]];
                            if (k >= inputs) {
                                t = reuse[k] ? t : t.copy();
                                results[k - inputs] = t;
                            }
                            data[k] = t.data();
                        }
                        CpuTensor[] captured = new CpuTensor[cap.length];
                        for (int i = 0; i < cap.length; i++) {
                            captured[i] = s[cap[i]];
                        }
                        CpuEngine e = engine.get();
                        kernel.run(data, captured, e.pool(), e.threads());
                        for (int i = 0; i < outs.length; i++) {
                            s[outs[i]] = results[i];
                        }
                    };
                }
                case "func.call":
                    return call(o, in);
                default:
                    throw new MlirException(o.location(), "the CPU backend cannot run '" + n + "' here");
            }
        }

        /**
         * Ops whose result, when not reusing an operand's buffer, is a fresh array they write in
         * full: an output buffer can be that array (no zeroing).
         */
        private boolean writesWholeFreshResult(Operation o) {
            String n = o.name();
            return Ops.FLOAT_BINARY.contains(n) || Ops.INT_BINARY.contains(n) || Ops.FLOAT_UNARY.contains(n)
                    || Ops.CASTS.contains(n) || n.equals("arith.select");
        }

        /**
         * A fresh result of type {@code rt} for slot {@code out}: the output buffer's array when
         * this value is a function result written in place (every element is then overwritten).
         */
        private CpuTensor result(Type rt, int out, Context c) {
            int d = destinationOf[out];
            Object dest = d >= 0 && c.depth == 0 && c.destinations != null ? c.destinations[d] : null;
            return dest == null ? alloc(rt) : CpuTensor.over((TensorType) rt, dest);
        }

        /** Records that {@code o}'s result is operand {@code k}'s buffer when {@code reuse}. */
        private void shares(Operation o, boolean reuse, int k) {
            if (reuse) {
                sharesBufferOf.put(o.result(), o.operand(k));
            }
        }

        private Step call(Operation o, int[] in) {
            String callee = o.attribute("callee", Attribute.SymbolRefAttr.class).name();
            int[] outs = o.results().stream().mapToInt(slot::get).toArray();
            if (BUILTINS.contains(callee)) {
                return (s, c) -> {
                    if (c.printed != null) {
                        c.printed.append(MemrefPrinter.print(s[in[0]], c.fakeBase));
                        c.fakeBase += 0x40;
                    }
                };
            }
            return (s, c) -> {
                CompiledFunction f = function(callee);
                if (++c.depth > MAX_CALL_DEPTH) {
                    throw new MlirException(o.location(), "call depth over " + MAX_CALL_DEPTH + " calling @" + callee);
                }
                try {
                    CpuTensor[] args = new CpuTensor[in.length];
                    for (int i = 0; i < in.length; i++) {
                        args[i] = s[in[i]];
                    }
                    CpuTensor[] r = f.run(args, c);
                    for (int i = 0; i < outs.length; i++) {
                        s[outs[i]] = r[i];
                    }
                } finally {
                    c.depth--;
                }
            };
        }
    }

    private static int linearIndex(Operation o, CpuTensor t, CpuTensor[] s, int[] in, int from) {
        int idx = 0;
        for (int d = 0; d < t.rank(); d++) {
            long i = s[in[from + d]].l[0];
            if (i < 0 || i >= t.shape[d]) {
                StringBuilder b = new StringBuilder();
                for (int e = 0; e < t.rank(); e++) {
                    b.append(e == 0 ? "" : ", ").append(s[in[from + e]].l[0]);
                }
                throw new MlirException(o.location(), "'" + o.name() + "' index [" + b + "] is out of bounds for "
                        + t.describe());
            }
            idx = idx * t.shape[d] + (int) i;
        }
        return idx;
    }

    /** An arith.constant +0.0 or 0 (not -0.0). */
    private static boolean isZeroConstant(Value v) {
        Operation d = v.definingOp();
        if (d == null || !d.name().equals("arith.constant")) {
            return false;
        }
        Attribute a = d.attribute("value");
        return a instanceof Attribute.FloatAttr f && Double.doubleToRawLongBits(f.value()) == 0L
                || a instanceof Attribute.IntegerAttr i && i.value() == 0;
    }

    private static ScalarType element(Type t) {
        return t instanceof ScalarType s ? s : ((TensorType) t).element();
    }

    static CpuTensor alloc(Type t) {
        return t instanceof ScalarType s ? CpuTensor.allocate(s) : CpuTensor.allocate((TensorType) t);
    }

    static CpuTensor constant(Operation o) {
        Attribute v = o.attribute("value");
        if (v instanceof Attribute.FloatAttr f) {
            return CpuTensor.scalar(f.type(), f.value(), 0);
        }
        if (v instanceof Attribute.IntegerAttr i) {
            long x = i.type() == ScalarType.I32 ? (int) i.value() : i.type() == ScalarType.I1 ? i.value() & 1 : i.value();
            return CpuTensor.scalar(i.type(), x, x);
        }
        Attribute.DenseElementsAttr d = (Attribute.DenseElementsAttr) v;
        CpuTensor t = CpuTensor.allocate(d.type());
        for (int i = 0; i < t.size; i++) {
            t.set(i, d.floatAt(i), d.intAt(i));
        }
        return t;
    }

    /** For tests and tools: a short name to kernel map. */
    static Map<String, String> describe(CpuEngine e) {
        Map<String, String> m = new HashMap<>();
        m.put("sgemm", e.sgemmKernel().describe());
        return m;
    }
}
