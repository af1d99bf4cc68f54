package io.chronofabric.compute.cpu.internal;

import io.chronofabric.compute.mlir.AffineMap;
import io.chronofabric.compute.mlir.Attribute;
import io.chronofabric.compute.mlir.Block;
import io.chronofabric.compute.mlir.MlirException;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A compiled linalg.generic. The loop nest runs with one parallel loop ("chunk" dimension)
 * innermost in chunks of up to {@link #CHUNK} iterations: operands are gathered into register
 * arrays, the region's ops run as tight loops over the chunk (every intermediate stays in a
 * register array: the region is fused, no temporary tensors), and the yields are scattered to
 * the outputs. Reductions keep their order: for each output element the reduction loops still
 * run in increasing order. Large nests are split over threads along a parallel loop.
 */
final class GenericKernel {

    static final int CHUNK = 512;
    static final long PARALLEL_MIN_WORK = 1L << 16;

    private final Operation op;
    private final int loops;
    private final int[] bounds;
    private final int[][] strides; // [operand][loop]
    private final int operandCount;
    private final int inputCount;
    private final int chunkDim; // -1: no loops at all
    private final int chunkMax;
    private final int splitDim; // loop split over threads, -1 none
    private final long work;
    // region
    private final ScalarType[] regTypes;
    private final int[] argReg; // block argument -> register
    private final boolean[] argUsed;
    private final int[] yieldReg;
    private final List<Value> captured = new ArrayList<>(); // outer values used inside
    private final int[] capturedReg;
    private final List<RegionOp> body = new ArrayList<>();
    private final ThreadLocal<Instance> instances = ThreadLocal.withInitial(this::instantiate);

    private record RegionOp(Operation op, int[] in, int out) {
    }

    GenericKernel(Operation op) {
        this.op = op;
        List<AffineMap> maps = op.indexingMaps();
        List<String> iters = op.iteratorTypes();
        List<Value> operands = op.operands();
        operandCount = operands.size();
        inputCount = op.inputCount();
        loops = iters.size();
        bounds = new int[loops];
        strides = new int[operandCount][loops];
        for (int k = 0; k < operandCount; k++) {
            int[] shape = operands.get(k).tensorType().shape();
            int[] dims = maps.get(k).resultDims();
            int s = 1;
            for (int r = shape.length - 1; r >= 0; r--) {
                bounds[dims[r]] = shape[r];
                strides[k][dims[r]] += s;
                s *= shape[r];
            }
        }
        long w = 1;
        for (int b : bounds) {
            w *= b;
        }
        // chunk dim: the innermost parallel loop every output moves along, preferring unit stride in output 0
        int best = -1;
        for (int d = loops - 1; d >= 0; d--) {
            if (!iters.get(d).equals("parallel") || !allOutputsMove(d)) {
                continue;
            }
            if (best < 0 || strides[inputCount][d] == 1 && strides[inputCount][best] != 1) {
                best = d;
            }
        }
        if (best < 0 && loops > 0) {
            chunkDim = loops - 1;
            chunkMax = 1; // no safe parallel loop: one iteration at a time
        } else {
            chunkDim = best;
            chunkMax = best < 0 ? 1 : Math.min(CHUNK, Math.max(1, bounds[best]));
        }
        int split = -1;
        for (int d = 0; d < loops; d++) {
            if (iters.get(d).equals("parallel") && allOutputsMove(d) && bounds[d] > 1) {
                split = d;
                break;
            }
        }
        splitDim = split;
        // region registers
        Block block = op.body(0);
        Map<Value, Integer> reg = new IdentityHashMap<>();
        List<ScalarType> types = new ArrayList<>();
        argReg = new int[block.arguments().size()];
        argUsed = new boolean[argReg.length];
        for (Value a : block.arguments()) {
            argReg[a.index()] = types.size();
            reg.put(a, types.size());
            types.add((ScalarType) a.type());
        }
        for (Operation inner : block.operations()) {
            for (Value v : inner.operands()) {
                if (!reg.containsKey(v)) {
                    reg.put(v, types.size());
                    captured.add(v);
                    types.add((ScalarType) v.type());
                }
                if (v.isBlockArgument() && v.ownerBlock() == block) {
                    argUsed[v.index()] = true;
                }
            }
            if (inner.name().equals("linalg.yield")) {
                continue;
            }
            int[] in = inner.operands().stream().mapToInt(reg::get).toArray();
            int out = types.size();
            reg.put(inner.result(), out);
            types.add((ScalarType) inner.result().type());
            body.add(new RegionOp(inner, in, out));
        }
        Operation yield = block.terminator();
        yieldReg = yield.operands().stream().mapToInt(reg::get).toArray();
        capturedReg = captured.stream().mapToInt(reg::get).toArray();
        regTypes = types.toArray(new ScalarType[0]);
        work = w * Math.max(1, body.size());
    }

    private boolean allOutputsMove(int d) {
        for (int k = inputCount; k < operandCount; k++) {
            if (strides[k][d] == 0) {
                return false;
            }
        }
        return true;
    }

    /** Outer values the region reads (their current values are passed to {@link #run}). */
    List<Value> captured() {
        return captured;
    }

    /**
     * Runs the nest. {@code data[k]} is operand k's array (outputs already hold their initial
     * values and are written in place); {@code capturedValues[i]} the rank-0 value of
     * {@code captured().get(i)}.
     */
    void run(Object[] data, CpuTensor[] capturedValues, ExecutorService pool, int threads) {
        for (int b : bounds) {
            if (b == 0) {
                return;
            }
        }
        if (pool != null && threads > 1 && splitDim >= 0 && work >= PARALLEL_MIN_WORK) {
            int parts = Math.min(threads, bounds[splitDim]);
            int per = (bounds[splitDim] + parts - 1) / parts;
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 1; p < parts; p++) {
                int lo = p * per;
                int hi = Math.min(bounds[splitDim], lo + per);
                if (lo < hi) {
                    futures.add(pool.submit(() -> instances.get().run(data, capturedValues, lo, hi)));
                }
            }
            instances.get().run(data, capturedValues, 0, Math.min(per, bounds[splitDim]));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted in linalg.generic at " + op.location(), e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } else {
            instances.get().run(data, capturedValues, 0, splitDim >= 0 ? bounds[splitDim] : 1);
        }
    }

    private Instance instantiate() {
        return new Instance();
    }

    /** One thread's registers and the region's ops bound to them. */
    private final class Instance {
        final Object[] regs = new Object[regTypes.length];
        final ChunkOp[] ops = new ChunkOp[body.size()];
        final int[] idx = new int[loops];
        final int[] base = new int[operandCount];

        Instance() {
            for (int r = 0; r < regs.length; r++) {
                regs[r] = Kernels.newArray(regTypes[r], chunkMax);
            }
            for (int i = 0; i < ops.length; i++) {
                ops[i] = bind(body.get(i));
            }
        }

        private ChunkOp bind(RegionOp ro) {
            Operation o = ro.op();
            String n = o.name();
            Object out = regs[ro.out()];
            Object a = regs[ro.in()[0]];
            Object b = ro.in().length > 1 ? regs[ro.in()[1]] : null;
            ScalarType t = (ScalarType) o.operand(0).type();
            if (Ops.FLOAT_BINARY.contains(n)) {
                int code = Kernels.binaryCode(n);
                return t == ScalarType.F32 ? c -> Kernels.binaryF32(code, (float[]) a, (float[]) b, (float[]) out, c)
                        : c -> Kernels.binaryF64(code, (double[]) a, (double[]) b, (double[]) out, c);
            }
            if (Ops.INT_BINARY.contains(n)) {
                int code = Kernels.binaryCode(n);
                return c -> Kernels.binaryInt(code, t, (long[]) a, (long[]) b, (long[]) out, c, o);
            }
            if (Ops.FLOAT_UNARY.contains(n)) {
                int code = Kernels.unaryCode(n);
                return t == ScalarType.F32 ? c -> Kernels.unaryF32(code, (float[]) a, (float[]) out, c)
                        : c -> Kernels.unaryF64(code, (double[]) a, (double[]) out, c);
            }
            if (Ops.CASTS.contains(n)) {
                ScalarType to = (ScalarType) o.result().type();
                return c -> Kernels.cast(n, t, to, a, out, c);
            }
            switch (n) {
                case "arith.cmpf": {
                    int p = (int) o.intAttribute("predicate");
                    return c -> Kernels.cmpF(p, a, b, (long[]) out, c);
                }
                case "arith.cmpi": {
                    int p = (int) o.intAttribute("predicate");
                    return c -> Kernels.cmpI(p, t, (long[]) a, (long[]) b, (long[]) out, c);
                }
                case "arith.select": {
                    Object f = regs[ro.in()[2]];
                    return c -> Kernels.select((long[]) a, false, b, f, out, c);
                }
                case "arith.constant": {
                    Attribute v = o.attribute("value");
                    double fv = v instanceof Attribute.FloatAttr fa ? fa.value() : 0;
                    long lv = v instanceof Attribute.IntegerAttr ia ? ia.value() : 0;
                    Kernels.fill(out, 0, chunkMax, fv, lv);
                    return c -> { };
                }
                default:
                    throw new MlirException(o.location(), "'" + n + "' is not supported inside linalg.generic");
            }
        }

        void run(Object[] data, CpuTensor[] capturedValues, int splitLo, int splitHi) {
            for (int i = 0; i < capturedReg.length; i++) {
                CpuTensor v = capturedValues[i];
                Kernels.fill(regs[capturedReg[i]], 0, chunkMax, v.getDouble(0), v.getLong(0));
            }
            if (loops == 0) {
                Arrays.fill(base, 0);
                step(data, 1, 0);
                return;
            }
            Arrays.fill(idx, 0);
            if (splitDim >= 0) {
                idx[splitDim] = splitLo;
            }
            int cb = bounds[chunkDim];
            while (true) {
                for (int k = 0; k < operandCount; k++) {
                    int s = 0;
                    int[] st = strides[k];
                    for (int d = 0; d < loops; d++) {
                        if (d != chunkDim) {
                            s += idx[d] * st[d];
                        }
                    }
                    base[k] = s;
                }
                for (int c0 = (chunkDim == splitDim ? splitLo : 0); c0 < (chunkDim == splitDim ? splitHi : cb);
                        c0 += chunkMax) {
                    int hi = chunkDim == splitDim ? splitHi : cb;
                    step(data, Math.min(chunkMax, hi - c0), c0);
                }
                // odometer over the other loops, last fastest
                int d = loops - 1;
                while (d >= 0) {
                    if (d == chunkDim) {
                        d--;
                        continue;
                    }
                    int limit = d == splitDim ? splitHi : bounds[d];
                    if (++idx[d] < limit) {
                        break;
                    }
                    idx[d] = d == splitDim ? splitLo : 0;
                    d--;
                }
                if (d < 0) {
                    return;
                }
            }
        }

        /** One chunk of {@code n} iterations starting at {@code c0} along the chunk loop. */
        private void step(Object[] data, int n, int c0) {
            for (int k = 0; k < operandCount; k++) {
                if (!argUsed[k]) {
                    continue;
                }
                int stride = chunkDim < 0 ? 0 : strides[k][chunkDim];
                gather(data[k], base[k] + c0 * stride, stride, regs[argReg[k]], n);
            }
            for (ChunkOp o : ops) {
                o.run(n);
            }
            for (int y = 0; y < yieldReg.length; y++) {
                int k = inputCount + y;
                int stride = chunkDim < 0 ? 0 : strides[k][chunkDim];
                scatter(regs[yieldReg[y]], data[k], base[k] + c0 * stride, stride, n);
            }
        }
    }

    @FunctionalInterface
    private interface ChunkOp {
        void run(int n);
    }

    private static void gather(Object src, int at, int stride, Object reg, int n) {
        if (src instanceof float[] s) {
            float[] r = (float[]) reg;
            if (stride == 1) {
                System.arraycopy(s, at, r, 0, n);
            } else if (stride == 0) {
                Arrays.fill(r, 0, n, s[at]);
            } else {
                for (int i = 0; i < n; i++) {
                    r[i] = s[at + i * stride];
                }
            }
        } else if (src instanceof double[] s) {
            double[] r = (double[]) reg;
            if (stride == 1) {
                System.arraycopy(s, at, r, 0, n);
            } else if (stride == 0) {
                Arrays.fill(r, 0, n, s[at]);
            } else {
                for (int i = 0; i < n; i++) {
                    r[i] = s[at + i * stride];
                }
            }
        } else {
            long[] s = (long[]) src;
            long[] r = (long[]) reg;
            if (stride == 1) {
                System.arraycopy(s, at, r, 0, n);
            } else if (stride == 0) {
                Arrays.fill(r, 0, n, s[at]);
            } else {
                for (int i = 0; i < n; i++) {
                    r[i] = s[at + i * stride];
                }
            }
        }
    }

    private static void scatter(Object reg, Object dst, int at, int stride, int n) {
        if (stride == 1) {
            System.arraycopy(reg, 0, dst, at, n);
            return;
        }
        if (dst instanceof float[] d) {
            float[] r = (float[]) reg;
            for (int i = 0; i < n; i++) {
                d[at + i * stride] = r[i];
            }
        } else if (dst instanceof double[] d) {
            double[] r = (double[]) reg;
            for (int i = 0; i < n; i++) {
                d[at + i * stride] = r[i];
            }
        } else {
            long[] d = (long[]) dst;
            long[] r = (long[]) reg;
            for (int i = 0; i < n; i++) {
                d[at + i * stride] = r[i];
            }
        }
    }
}
