package io.chronofabric.compute.opencl.internal;

import io.chronofabric.compute.mlir.AffineMap;
import io.chronofabric.compute.mlir.Block;
import io.chronofabric.compute.mlir.Function;
import io.chronofabric.compute.mlir.MlirModule;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.Ops;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.TensorType;
import io.chronofabric.compute.mlir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers a verified module to one OpenCL C program: a kernel per tensor-valued op at function
 * level (elementwise arith/math on tensors, linalg.fill, linalg.matmul, linalg.generic with
 * parallel and reduction iterators); scalar ops, tensor.empty/cast/extract/insert and func.call
 * stay on the host. Shapes are static in the subset, so sizes and strides are baked into the
 * kernels. Problems are collected (not thrown) so a support report can name all of them.
 */
final class Lowering {

    /** Ops this backend runs (all of the subset but nothing else). */
    static final Set<String> SUPPORTED = Ops.supported();

    private static final Set<String> HOST_OPS = Set.of("builtin.module", "func.func", "func.return", "func.call",
            "tensor.empty", "tensor.cast", "tensor.extract", "tensor.insert");

    enum ArgKind { IN, SCALAR, OUT }

    /** One kernel argument: a tensor operand's buffer, a host scalar, or output buffer {@code out}. */
    record Arg(ArgKind kind, Value value, int out) {
    }

    /**
     * A kernel for one op.
     *
     * @param name       kernel name in the program
     * @param globalSize work items (0: nothing to run)
     * @param args       arguments in order
     * @param initFrom   per output: the operand whose contents it starts from, or null (fully overwritten)
     */
    record Kernel(String name, long globalSize, List<Arg> args, List<Value> initFrom) {
    }

    final MlirModule module;
    final Map<Operation, Kernel> kernels = new IdentityHashMap<>();
    final List<Unsupported> problems = new ArrayList<>();
    final Set<String> opsUsed = new LinkedHashSet<>();
    private final StringBuilder src = new StringBuilder();
    private boolean f64;
    private int next;

    private Lowering(MlirModule module) {
        this.module = module;
    }

    static Lowering of(MlirModule module) {
        Lowering l = new Lowering(module);
        module.walk(op -> l.opsUsed.add(op.name()));
        for (Function f : module.functions().values()) {
            if (!f.isDeclaration()) {
                for (Operation op : f.body().operations()) {
                    try {
                        l.lower(op);
                    } catch (Unsupported u) {
                        l.problems.add(u);
                    }
                }
            }
        }
        return l;
    }

    /** The program text (prelude included). */
    String source() {
        return (f64 ? ClC.PRELUDE_F64 : "") + ClC.PRELUDE + src;
    }

    private static boolean isTensor(Value v) {
        return v.type() instanceof TensorType;
    }

    private void lower(Operation op) {
        String n = op.name();
        if (!SUPPORTED.contains(n)) {
            throw new Unsupported(op, "outside the subset");
        }
        if (HOST_OPS.contains(n)) {
            return;
        }
        for (Value v : op.operands()) {
            note(ClC.scalar(v.type()));
        }
        for (Value v : op.results()) {
            note(ClC.scalar(v.type()));
        }
        switch (n) {
            case "arith.constant" -> {
                // scalars on the host; dense tensors uploaded once at compile time
            }
            case "linalg.fill" -> fill(op);
            case "linalg.matmul" -> matmul(op);
            case "linalg.generic" -> generic(op);
            case "linalg.yield" -> throw new Unsupported(op, "linalg.yield outside linalg.generic");
            default -> {
                if (op.results().size() == 1 && isTensor(op.result())) {
                    elementwise(op);
                }
                // scalar ops run on the host
            }
        }
    }

    private void note(ScalarType t) {
        if (t == ScalarType.F64) {
            f64 = true;
        }
    }

    private String newName() {
        return "k" + next++;
    }

    private static String ptr(ScalarType t, boolean constant) {
        return "__global " + (constant ? "const " : "") + ClC.type(t) + "* ";
    }

    private void elementwise(Operation op) {
        TensorType rt = op.result().tensorType();
        String name = newName();
        List<Arg> args = new ArrayList<>();
        StringBuilder params = new StringBuilder();
        StringBuilder loads = new StringBuilder();
        Map<Value, String> refs = new HashMap<>();
        int i = 0;
        for (Value v : op.operands()) {
            if (refs.containsKey(v)) {
                continue;
            }
            ScalarType t = ClC.scalar(v.type());
            if (isTensor(v)) {
                params.append(ptr(t, true)).append("in").append(i).append(", ");
                loads.append("    ").append(ClC.type(t)).append(" x").append(i).append(" = in").append(i).append("[i];\n");
                args.add(new Arg(ArgKind.IN, v, -1));
            } else {
                params.append(ClC.type(t)).append(" x").append(i).append(", ");
                args.add(new Arg(ArgKind.SCALAR, v, -1));
            }
            refs.put(v, "x" + i);
            i++;
        }
        params.append(ptr(rt.element(), false)).append("out0");
        args.add(new Arg(ArgKind.OUT, op.result(), 0));
        String e = ClC.expr(op, refs::get);
        src.append("__kernel void ").append(name).append("(").append(params).append(") {\n")
                .append("    long i = get_global_id(0);\n").append(loads)
                .append("    out0[i] = ").append(e).append(";\n}\n");
        kernels.put(op, new Kernel(name, rt.elements(), args, java.util.Collections.singletonList(null)));
    }

    private void fill(Operation op) {
        Value v = op.inputs().get(0);
        Value out = op.outputs().get(0);
        TensorType t = out.tensorType();
        String name = newName();
        src.append("__kernel void ").append(name).append("(").append(ClC.type(ClC.scalar(v.type()))).append(" v, ")
                .append(ptr(t.element(), false)).append("out0) {\n    out0[get_global_id(0)] = (")
                .append(ClC.type(t.element())).append(") v;\n}\n");
        kernels.put(op, new Kernel(name, t.elements(), List.of(new Arg(ArgKind.SCALAR, v, -1),
                new Arg(ArgKind.OUT, op.result(), 0)), java.util.Collections.singletonList(null)));
    }

    private void matmul(Operation op) {
        Value a = op.inputs().get(0);
        Value b = op.inputs().get(1);
        Value c = op.outputs().get(0);
        int m = a.tensorType().dim(0);
        int k = a.tensorType().dim(1);
        int nn = b.tensorType().dim(1);
        ScalarType ct = c.tensorType().element();
        String tc = ClC.type(ct);
        String name = newName();
        boolean sameType = a.tensorType().element() == ct && b.tensorType().element() == ct && ct != ScalarType.I1;
        if (sameType && m % 4 == 0 && nn % 4 == 0) {
            // 4x4 block of C per work item: 4 rows of A against a 4-wide vector of B (vload4), 16 accumulators
            String v = tc + "4";
            src.append("__kernel void ").append(name).append("(").append(ptr(ct, true)).append("A, ").append(ptr(ct, true))
                    .append("B, ").append(ptr(ct, false)).append("C) {\n")
                    .append("    long g = get_global_id(0);\n")
                    .append("    long i0 = (g / ").append(nn / 4).append("L) * 4, j0 = (g % ").append(nn / 4).append("L) * 4;\n");
            for (int r = 0; r < 4; r++) {
                src.append("    ").append(v).append(" c").append(r).append(" = vload4(0, C + (i0 + ").append(r).append(") * ")
                        .append(nn).append("L + j0);\n");
            }
            src.append("    for (long p = 0; p < ").append(k).append("L; p++) {\n")
                    .append("        ").append(v).append(" bv = vload4(0, B + p * ").append(nn).append("L + j0);\n");
            for (int r = 0; r < 4; r++) {
                src.append("        c").append(r).append(" += A[(i0 + ").append(r).append(") * ").append(k).append("L + p] * bv;\n");
            }
            src.append("    }\n");
            for (int r = 0; r < 4; r++) {
                src.append("    vstore4(c").append(r).append(", 0, C + (i0 + ").append(r).append(") * ").append(nn).append("L + j0);\n");
            }
            src.append("}\n");
            kernels.put(op, new Kernel(name, (long) m * nn / 16, List.of(new Arg(ArgKind.IN, a, -1), new Arg(ArgKind.IN, b, -1),
                    new Arg(ArgKind.OUT, op.result(), 0)), List.of(c)));
            return;
        }
        src.append("__kernel void ").append(name).append("(").append(ptr(a.tensorType().element(), true)).append("A, ")
                .append(ptr(b.tensorType().element(), true)).append("B, ").append(ptr(ct, false)).append("C) {\n")
                .append("    long g = get_global_id(0);\n    long i = g / ").append(nn).append("L, j = g % ").append(nn).append("L;\n")
                .append("    ").append(tc).append(" acc = C[g];\n")
                .append("    for (long p = 0; p < ").append(k).append("L; p++) {\n")
                .append("        acc += (").append(tc).append(") A[i * ").append(k).append("L + p] * (").append(tc).append(") B[p * ")
                .append(nn).append("L + j];\n    }\n    C[g] = acc;\n}\n");
        kernels.put(op, new Kernel(name, (long) m * nn, List.of(new Arg(ArgKind.IN, a, -1), new Arg(ArgKind.IN, b, -1),
                new Arg(ArgKind.OUT, op.result(), 0)), List.of(c)));
    }

    private void generic(Operation op) {
        List<AffineMap> maps = op.indexingMaps();
        List<String> iters = op.iteratorTypes();
        List<Value> ins = op.inputs();
        List<Value> outs = op.outputs();
        List<Value> operands = op.operands();
        int dims = iters.size();
        long[] size = new long[dims];
        for (int k = 0; k < operands.size(); k++) {
            if (isTensor(operands.get(k))) {
                int[] rd = maps.get(k).resultDims();
                int[] shape = operands.get(k).tensorType().shape();
                for (int p = 0; p < rd.length; p++) {
                    size[rd[p]] = shape[p];
                }
            }
        }
        List<Integer> par = new ArrayList<>();
        List<Integer> red = new ArrayList<>();
        for (int d = 0; d < dims; d++) {
            (iters.get(d).equals("parallel") ? par : red).add(d);
        }
        for (int j = 0; j < outs.size(); j++) {
            int[] rd = maps.get(ins.size() + j).resultDims();
            Set<Integer> covered = new java.util.HashSet<>();
            for (int d : rd) {
                if (!iters.get(d).equals("parallel")) {
                    throw new Unsupported(op, "output " + j + " is indexed by reduction dimension d" + d);
                }
                covered.add(d);
            }
            if (!covered.containsAll(par)) {
                throw new Unsupported(op, "output " + j + " does not use every parallel dimension: work items would race");
            }
        }
        Block body = op.body(0);
        List<Value> bargs = body.arguments();
        String name = newName();
        List<Arg> args = new ArrayList<>();
        StringBuilder params = new StringBuilder();
        Map<Value, String> refs = new HashMap<>();
        StringBuilder loads = new StringBuilder();
        for (int k = 0; k < ins.size(); k++) {
            Value v = ins.get(k);
            ScalarType t = ClC.scalar(v.type());
            if (isTensor(v)) {
                params.append(ptr(t, true)).append("in").append(k).append(", ");
                args.add(new Arg(ArgKind.IN, v, -1));
                loads.append(ClC.type(t)).append(" a").append(k).append(" = in").append(k).append('[')
                        .append(index(maps.get(k), v.tensorType())).append("];\n");
            } else {
                params.append(ClC.type(t)).append(" in").append(k).append(", ");
                args.add(new Arg(ArgKind.SCALAR, v, -1));
                loads.append(ClC.type(t)).append(" a").append(k).append(" = in").append(k).append(";\n");
            }
            refs.put(bargs.get(k), "a" + k);
        }
        List<Value> initFrom = new ArrayList<>();
        StringBuilder init = new StringBuilder();
        StringBuilder store = new StringBuilder();
        for (int j = 0; j < outs.size(); j++) {
            Value o = outs.get(j);
            TensorType t = o.tensorType();
            String ty = ClC.type(t.element());
            params.append(ptr(t.element(), false)).append("out").append(j).append(", ");
            args.add(new Arg(ArgKind.OUT, op.results().get(j), j));
            String idx = index(maps.get(ins.size() + j), t);
            Value outArg = bargs.get(ins.size() + j);
            boolean needsInit = !red.isEmpty() || used(body, outArg);
            initFrom.add(needsInit ? o : null);
            init.append("    ").append(ty).append(" acc").append(j).append(needsInit ? " = out" + j + "[" + idx + "]" : "").append(";\n");
            store.append("    out").append(j).append('[').append(idx).append("] = acc").append(j).append(";\n");
            refs.put(outArg, "acc" + j);
        }
        // the body; values from outside the region become scalar arguments
        StringBuilder code = new StringBuilder();
        int captured = 0;
        int v = 0;
        Operation yield = null;
        for (Operation inner : body.operations()) {
            if (inner.name().equals("linalg.yield")) {
                yield = inner;
                break;
            }
            for (Value operand : inner.operands()) {
                if (!refs.containsKey(operand)) {
                    if (isTensor(operand)) {
                        throw new Unsupported(inner, "a tensor from outside the linalg.generic body");
                    }
                    String cn = "c" + captured++;
                    params.append(ClC.type(ClC.scalar(operand.type()))).append(' ').append(cn).append(", ");
                    args.add(new Arg(ArgKind.SCALAR, operand, -1));
                    refs.put(operand, cn);
                }
            }
            if (inner.results().size() != 1) {
                throw new Unsupported(inner, "expected one result inside linalg.generic");
            }
            note(ClC.scalar(inner.result().type()));
            String vn = "v" + v++;
            code.append(ClC.type(ClC.scalar(inner.result().type()))).append(' ').append(vn).append(" = ")
                    .append(ClC.expr(inner, refs::get)).append(";\n");
            refs.put(inner.result(), vn);
        }
        if (yield == null) {
            throw new Unsupported(op, "body without linalg.yield");
        }
        StringBuilder assign = new StringBuilder();
        for (int j = 0; j < yield.operands().size(); j++) {
            Value y = yield.operand(j);
            String ref = refs.get(y);
            if (ref == null) {
                if (isTensor(y)) {
                    throw new Unsupported(yield, "yields a tensor");
                }
                ref = "c" + captured++;
                params.append(ClC.type(ClC.scalar(y.type()))).append(' ').append(ref).append(", ");
                args.add(new Arg(ArgKind.SCALAR, y, -1));
                refs.put(y, ref);
            }
            code.append(ClC.type(ClC.scalar(y.type()))).append(" y").append(j).append(" = ").append(ref).append(";\n");
            assign.append("acc").append(j).append(" = y").append(j).append(";\n");
        }
        code.append(assign);
        // kernel text
        String paramText = params.substring(0, params.length() - 2);
        StringBuilder k = new StringBuilder("__kernel void ").append(name).append('(').append(paramText).append(") {\n");
        long global = 1;
        for (int d : par) {
            global *= size[d];
        }
        k.append("    long g = get_global_id(0);\n");
        for (int i = par.size() - 1; i >= 0; i--) {
            int d = par.get(i);
            k.append("    long d").append(d).append(" = g % ").append(size[d]).append("L; g /= ").append(size[d]).append("L;\n");
        }
        k.append(init);
        String indent = "    ";
        for (int d : red) {
            k.append(indent).append("for (long d").append(d).append(" = 0; d").append(d).append(" < ").append(size[d])
                    .append("L; d").append(d).append("++) {\n");
            indent += "    ";
        }
        String in = indent;
        k.append(in).append("{\n");
        for (String line : (loads.toString() + code).split("\n")) {
            if (!line.isEmpty()) {
                k.append(in).append("    ").append(line).append('\n');
            }
        }
        k.append(in).append("}\n");
        for (int i = 0; i < red.size(); i++) {
            indent = indent.substring(4);
            k.append(indent).append("}\n");
        }
        k.append(store).append("}\n");
        src.append(k);
        kernels.put(op, new Kernel(name, global, args, initFrom));
    }

    private static boolean used(Block body, Value v) {
        for (Operation o : body.operations()) {
            if (o.operands().contains(v)) {
                return true;
            }
        }
        return false;
    }

    /** Row-major flat index of an operand under its map, e.g. {@code d0 * 4L + d1}. */
    private static String index(AffineMap map, TensorType t) {
        int[] rd = map.resultDims();
        int[] shape = t.shape();
        if (rd.length == 0) {
            return "0";
        }
        StringBuilder s = new StringBuilder();
        long stride = 1;
        for (int p = rd.length - 1; p >= 0; p--) {
            String term = stride == 1 ? "d" + rd[p] : "d" + rd[p] + " * " + stride + "L";
            s.insert(0, s.length() == 0 ? term : term + " + ");
            stride *= shape[p];
        }
        return s.toString();
    }
}
