package io.chronofabric.compute.mlir;

import io.chronofabric.compute.mlir.Attribute.DenseElementsAttr;
import io.chronofabric.compute.mlir.Attribute.FloatAttr;
import io.chronofabric.compute.mlir.Attribute.IntegerAttr;
import io.chronofabric.compute.mlir.Attribute.SymbolRefAttr;
import java.util.Arrays;
import java.util.List;

/**
 * Type and shape rules of the subset. Each failure is an {@link MlirException} naming the op,
 * its place, the operand and both types or sizes.
 */
public final class Verifier {

    private final MlirModule module;

    private Verifier(MlirModule module) {
        this.module = module;
    }

    public static void verify(MlirModule module) {
        Verifier v = new Verifier(module);
        for (Function f : module.functions().values()) {
            v.function(f);
        }
    }

    private void function(Function f) {
        if (f.isDeclaration()) {
            return;
        }
        Operation op = f.op();
        if (op.regions().get(0).blocks().size() != 1) {
            throw fail(op, "function @" + f.name() + " has " + op.regions().get(0).blocks().size()
                    + " blocks; the subset has single-block functions");
        }
        Block body = f.body();
        List<Type> inputs = f.type().inputs();
        if (body.arguments().size() != inputs.size()) {
            throw fail(op, "function @" + f.name() + " has " + inputs.size() + " parameter(s) but its entry block "
                    + body.arguments().size() + " argument(s)");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!body.arguments().get(i).type().equals(inputs.get(i))) {
                throw fail(op, "parameter #" + i + " of @" + f.name() + " is " + inputs.get(i).text()
                        + " but its block argument is " + body.arguments().get(i).type().text());
            }
        }
        Operation term = body.terminator();
        if (term == null || !term.name().equals("func.return")) {
            throw fail(term == null ? op : term, "function @" + f.name() + " must end with func.return");
        }
        for (Operation o : body.operations()) {
            if (o.name().equals("func.return") && o != term) {
                throw fail(o, "func.return before the end of @" + f.name());
            }
            if (o.name().equals("linalg.yield") || o.name().equals("func.func") || o.name().equals("builtin.module")) {
                throw fail(o, "'" + o.name() + "' cannot appear in a function body");
            }
            op(o);
        }
        List<Type> results = f.type().results();
        if (term.operands().size() != results.size()) {
            throw fail(term, "func.return returns " + term.operands().size() + " value(s) but @" + f.name()
                    + " declares " + results.size());
        }
        for (int i = 0; i < results.size(); i++) {
            if (!term.operand(i).type().equals(results.get(i))) {
                throw fail(term, "func.return operand #" + i + " (" + term.operand(i).name() + ") has type "
                        + term.operand(i).type().text() + ", @" + f.name() + " declares " + results.get(i).text());
            }
        }
    }

    private void op(Operation o) {
        String n = o.name();
        if (Ops.FLOAT_BINARY.contains(n) || Ops.INT_BINARY.contains(n)) {
            count(o, 2, 1);
            sameType(o, 0, 1);
            resultIs(o, o.operand(0).type());
            elementKind(o, Ops.FLOAT_BINARY.contains(n));
        } else if (Ops.FLOAT_UNARY.contains(n)) {
            count(o, 1, 1);
            resultIs(o, o.operand(0).type());
            elementKind(o, true);
        } else if (Ops.CASTS.contains(n)) {
            count(o, 1, 1);
            cast(o);
        } else {
            switch (n) {
                case "func.return":
                    break;
                case "func.call":
                    call(o);
                    break;
                case "arith.constant":
                    constant(o);
                    break;
                case "arith.cmpf":
                case "arith.cmpi": {
                    count(o, 2, 1);
                    sameType(o, 0, 1);
                    elementKind(o, n.equals("arith.cmpf"));
                    Type t = o.operand(0).type();
                    resultIs(o, t instanceof TensorType tt ? tt.withElement(ScalarType.I1) : ScalarType.I1);
                    long p = o.intAttribute("predicate");
                    int max = (n.equals("arith.cmpf") ? Ops.CMPF_PREDICATES : Ops.CMPI_PREDICATES).size();
                    if (p < 0 || p >= max) {
                        throw fail(o, "'" + n + "' predicate " + p + " is out of range 0.." + (max - 1));
                    }
                    break;
                }
                case "arith.select": {
                    count(o, 3, 1);
                    sameType(o, 1, 2);
                    Type c = o.operand(0).type();
                    Type v = o.operand(1).type();
                    boolean ok = c == ScalarType.I1
                            || c instanceof TensorType ct && v instanceof TensorType vt && ct.equals(vt.withElement(ScalarType.I1));
                    if (!ok) {
                        throw fail(o, "arith.select condition " + o.operand(0).name() + " has type " + c.text()
                                + ", expected i1 or a tensor of i1 shaped like " + v.text());
                    }
                    resultIs(o, v);
                    break;
                }
                case "tensor.empty": {
                    count(o, 0, 1);
                    ranked(o, o.result().type(), "result");
                    break;
                }
                case "tensor.cast": {
                    count(o, 1, 1);
                    TensorType from = tensor(o, 0);
                    if (!(o.result().type() instanceof TensorType to) || !from.isCastCompatible(to)) {
                        throw fail(o, "tensor.cast from " + from.text() + " to " + o.result().type().text()
                                + ": the shapes or element types are incompatible");
                    }
                    break;
                }
                case "tensor.extract": {
                    TensorType t = ranked(o, o.operand(0).type(), "operand #0");
                    indices(o, 1, t);
                    resultIs(o, t.element());
                    break;
                }
                case "tensor.insert": {
                    TensorType t = ranked(o, o.operand(1).type(), "operand #1 (dest)");
                    if (o.operand(0).type() != t.element()) {
                        throw fail(o, "tensor.insert value " + o.operand(0).name() + " has type " + o.operand(0).type().text()
                                + ", the element type of " + t.text() + " is " + t.element().text());
                    }
                    indices(o, 2, t);
                    resultIs(o, t);
                    break;
                }
                case "linalg.fill":
                    fill(o);
                    break;
                case "linalg.matmul":
                    matmul(o);
                    break;
                case "linalg.generic":
                    generic(o);
                    break;
                default:
                    throw fail(o, "'" + n + "' cannot appear here");
            }
        }
    }

    private void call(Operation o) {
        String callee = o.attribute("callee", SymbolRefAttr.class).name();
        Function f = module.functions().get(callee);
        if (f == null) {
            throw fail(o, "call to unknown function @" + callee);
        }
        List<Type> in = f.type().inputs();
        if (in.size() != o.operands().size()) {
            throw fail(o, "call @" + callee + " passes " + o.operands().size() + " argument(s), @" + callee + " takes "
                    + in.size());
        }
        for (int i = 0; i < in.size(); i++) {
            if (!o.operand(i).type().equals(in.get(i))) {
                throw fail(o, "call @" + callee + " argument #" + i + " (" + o.operand(i).name() + ") has type "
                        + o.operand(i).type().text() + ", @" + callee + " takes " + in.get(i).text());
            }
        }
        List<Type> out = f.type().results();
        if (out.size() != o.results().size()) {
            throw fail(o, "call @" + callee + " expects " + o.results().size() + " result(s), @" + callee + " returns "
                    + out.size());
        }
        for (int i = 0; i < out.size(); i++) {
            if (!o.results().get(i).type().equals(out.get(i))) {
                throw fail(o, "call @" + callee + " result #" + i + " is typed " + o.results().get(i).type().text()
                        + ", @" + callee + " returns " + out.get(i).text());
            }
        }
    }

    private void constant(Operation o) {
        count(o, 0, 1);
        Attribute v = o.attribute("value");
        Type t = o.result().type();
        Type vt = v instanceof IntegerAttr i ? i.type() : v instanceof FloatAttr f ? f.type()
                : v instanceof DenseElementsAttr d ? d.type() : null;
        if (vt == null) {
            throw fail(o, "arith.constant value " + v + " is not a number or dense<...>");
        }
        if (!vt.equals(t)) {
            throw fail(o, "arith.constant value has type " + vt.text() + " but the result is " + t.text());
        }
    }

    private void cast(Operation o) {
        Type from = o.operand(0).type();
        Type to = o.result().type();
        ScalarType a = element(from);
        ScalarType b = element(to);
        if (a == null || b == null || (from instanceof TensorType) != (to instanceof TensorType)
                || from instanceof TensorType ft && !ft.withElement(b).equals(to)) {
            throw fail(o, "'" + o.name() + "' from " + from.text() + " to " + to.text() + ": shapes differ");
        }
        boolean ok = switch (o.name()) {
            case "arith.index_cast" -> (a == ScalarType.INDEX) != (b == ScalarType.INDEX) && !a.isFloat() && !b.isFloat();
            case "arith.sitofp" -> !a.isFloat() && b.isFloat();
            case "arith.fptosi" -> a.isFloat() && !b.isFloat();
            case "arith.extf" -> a == ScalarType.F32 && b == ScalarType.F64;
            case "arith.truncf" -> a == ScalarType.F64 && b == ScalarType.F32;
            case "arith.extsi" -> !a.isFloat() && !b.isFloat() && a != ScalarType.INDEX && b != ScalarType.INDEX
                    && a.bits() < b.bits();
            case "arith.trunci" -> !a.isFloat() && !b.isFloat() && a != ScalarType.INDEX && b != ScalarType.INDEX
                    && a.bits() > b.bits();
            default -> false;
        };
        if (!ok) {
            throw fail(o, "'" + o.name() + "' cannot convert " + a.text() + " to " + b.text());
        }
    }

    private void fill(Operation o) {
        if (o.inputCount() != 1 || o.outputs().size() != 1) {
            throw fail(o, "linalg.fill takes ins(one scalar) outs(one tensor), found " + o.inputCount() + " input(s) and "
                    + o.outputs().size() + " output(s)");
        }
        TensorType out = ranked(o, o.outputs().get(0).type(), "outs #0");
        if (o.inputs().get(0).type() != out.element()) {
            throw fail(o, "linalg.fill value " + o.inputs().get(0).name() + " has type " + o.inputs().get(0).type().text()
                    + ", " + out.text() + " holds " + out.element().text());
        }
        resultsAreOuts(o);
    }

    private void matmul(Operation o) {
        if (o.inputCount() != 2 || o.outputs().size() != 1) {
            throw fail(o, "linalg.matmul takes ins(A, B) outs(C), found " + o.inputCount() + " input(s) and "
                    + o.outputs().size() + " output(s)");
        }
        TensorType a = ranked(o, o.operand(0).type(), "ins #0 (A)");
        TensorType b = ranked(o, o.operand(1).type(), "ins #1 (B)");
        TensorType c = ranked(o, o.operand(2).type(), "outs #0 (C)");
        for (TensorType t : List.of(a, b, c)) {
            if (t.rank() != 2) {
                throw fail(o, "linalg.matmul needs rank-2 tensors, found " + t.text());
            }
        }
        if (a.element() != b.element() || a.element() != c.element()) {
            throw fail(o, "linalg.matmul element types differ: A " + a.text() + ", B " + b.text() + ", C " + c.text());
        }
        if (b.dim(0) != a.dim(1)) {
            throw fail(o, "linalg.matmul shape mismatch: B (" + o.operand(1).name() + ", " + b.text() + ") has "
                    + b.dim(0) + " rows, expected " + a.dim(1) + " (the columns of A, " + a.text() + ")");
        }
        if (c.dim(0) != a.dim(0) || c.dim(1) != b.dim(1)) {
            throw fail(o, "linalg.matmul shape mismatch: C (" + o.operand(2).name() + ", " + c.text() + ") must be "
                    + a.dim(0) + "x" + b.dim(1) + " for A " + a.text() + " times B " + b.text());
        }
        resultsAreOuts(o);
    }

    private void generic(Operation o) {
        List<AffineMap> maps = o.indexingMaps();
        List<String> iters = o.iteratorTypes();
        List<Value> operands = o.operands();
        if (maps.size() != operands.size()) {
            throw fail(o, "linalg.generic has " + operands.size() + " operands but " + maps.size() + " indexing maps");
        }
        for (String it : iters) {
            if (!it.equals("parallel") && !it.equals("reduction")) {
                throw fail(o, "linalg.generic iterator type '" + it + "': expected parallel or reduction");
            }
        }
        int loops = iters.size();
        long[] bounds = new long[loops];
        Arrays.fill(bounds, -1);
        int[] boundFrom = new int[loops];
        for (int i = 0; i < operands.size(); i++) {
            AffineMap m = maps.get(i);
            TensorType t = ranked(o, operands.get(i).type(), "operand #" + i);
            if (m.numDims() != loops) {
                throw fail(o, "linalg.generic indexing map #" + i + " " + m + " has " + m.numDims()
                        + " dimensions, expected " + loops + " (the iterator count)");
            }
            if (!m.isProjectedPermutation()) {
                throw fail(o, "linalg.generic indexing map #" + i + " " + m
                        + " is not a projected permutation (only those are supported)");
            }
            if (m.results().size() != t.rank()) {
                throw fail(o, "linalg.generic indexing map #" + i + " " + m + " has " + m.results().size()
                        + " results but operand #" + i + " (" + operands.get(i).name() + ", " + t.text() + ") has rank "
                        + t.rank());
            }
            int[] dims = m.resultDims();
            for (int r = 0; r < dims.length; r++) {
                int d = dims[r];
                if (bounds[d] < 0) {
                    bounds[d] = t.dim(r);
                    boundFrom[d] = i;
                } else if (bounds[d] != t.dim(r)) {
                    throw fail(o, "linalg.generic shape mismatch: loop d" + d + " is " + bounds[d] + " in operand #"
                            + boundFrom[d] + " (" + operands.get(boundFrom[d]).type().text() + ") but " + t.dim(r)
                            + " in operand #" + i + " (" + operands.get(i).name() + ", " + t.text() + ")");
                }
            }
        }
        for (int d = 0; d < loops; d++) {
            if (bounds[d] < 0) {
                throw fail(o, "linalg.generic loop d" + d + " is used by no indexing map: its size is unknown");
            }
        }
        if (o.regions().size() != 1 || o.regions().get(0).blocks().size() != 1) {
            throw fail(o, "linalg.generic needs one region with one block");
        }
        Block body = o.body(0);
        if (body.arguments().size() != operands.size()) {
            throw fail(o, "linalg.generic region has " + body.arguments().size() + " argument(s), expected "
                    + operands.size() + " (one per operand)");
        }
        for (int i = 0; i < operands.size(); i++) {
            ScalarType e = operands.get(i).tensorType().element();
            if (body.arguments().get(i).type() != e) {
                throw fail(o, "linalg.generic region argument #" + i + " (" + body.arguments().get(i).name() + ") has type "
                        + body.arguments().get(i).type().text() + ", expected " + e.text() + " (the element type of "
                        + operands.get(i).name() + ")");
            }
        }
        Operation y = body.terminator();
        if (y == null || !y.name().equals("linalg.yield")) {
            throw fail(o, "linalg.generic region must end with linalg.yield");
        }
        List<Value> outs = o.outputs();
        if (y.operands().size() != outs.size()) {
            throw fail(y, "linalg.yield yields " + y.operands().size() + " value(s), linalg.generic has " + outs.size()
                    + " output(s)");
        }
        for (int i = 0; i < outs.size(); i++) {
            if (y.operand(i).type() != outs.get(i).tensorType().element()) {
                throw fail(y, "linalg.yield value #" + i + " (" + y.operand(i).name() + ") has type "
                        + y.operand(i).type().text() + ", output #" + i + " holds " + outs.get(i).tensorType().element().text());
            }
        }
        for (Operation inner : body.operations()) {
            if (inner == y) {
                continue;
            }
            if (inner.name().startsWith("linalg.") || inner.name().startsWith("tensor.") || inner.name().startsWith("func.")) {
                throw fail(inner, "'" + inner.name() + "' inside a linalg.generic region: only scalar arith/math ops");
            }
            op(inner);
            for (Value r : inner.results()) {
                if (!(r.type() instanceof ScalarType)) {
                    throw fail(inner, "'" + inner.name() + "' inside a linalg.generic region has a " + r.type().text()
                            + " result: only scalars");
                }
            }
        }
        resultsAreOuts(o);
    }

    private void resultsAreOuts(Operation o) {
        List<Value> outs = o.outputs();
        if (o.results().size() != outs.size()) {
            throw fail(o, "'" + o.name() + "' on tensors has " + o.results().size() + " result(s), expected "
                    + outs.size() + " (one per output)");
        }
        for (int i = 0; i < outs.size(); i++) {
            if (!o.results().get(i).type().equals(outs.get(i).type())) {
                throw fail(o, "'" + o.name() + "' result #" + i + " has type " + o.results().get(i).type().text()
                        + ", output " + outs.get(i).name() + " is " + outs.get(i).type().text());
            }
        }
    }

    private void indices(Operation o, int from, TensorType t) {
        int n = o.operands().size() - from;
        if (n != t.rank()) {
            throw fail(o, "'" + o.name() + "' gives " + n + " index(es) for " + t.text() + " of rank " + t.rank());
        }
        for (int i = from; i < o.operands().size(); i++) {
            if (o.operand(i).type() != ScalarType.INDEX) {
                throw fail(o, "'" + o.name() + "' index " + o.operand(i).name() + " has type " + o.operand(i).type().text()
                        + ", expected index");
            }
        }
    }

    private TensorType tensor(Operation o, int i) {
        if (o.operand(i).type() instanceof TensorType t) {
            return t;
        }
        throw fail(o, "'" + o.name() + "' operand #" + i + " (" + o.operand(i).name() + ") has type "
                + o.operand(i).type().text() + ", expected a tensor");
    }

    private TensorType ranked(Operation o, Type t, String what) {
        if (t instanceof TensorType tt && tt.isRanked()) {
            return tt;
        }
        throw fail(o, "'" + o.name() + "' " + what + " has type " + t.text() + ", expected a ranked tensor");
    }

    private static ScalarType element(Type t) {
        return t instanceof ScalarType s ? s : t instanceof TensorType tt ? tt.element() : null;
    }

    private void count(Operation o, int operands, int results) {
        if (o.operands().size() != operands || o.results().size() != results) {
            throw fail(o, "'" + o.name() + "' takes " + operands + " operand(s) and gives " + results + " result(s), found "
                    + o.operands().size() + " and " + o.results().size());
        }
    }

    private void sameType(Operation o, int i, int j) {
        if (!o.operand(i).type().equals(o.operand(j).type())) {
            throw fail(o, "'" + o.name() + "' type mismatch: operand #" + j + " (" + o.operand(j).name() + ") has type "
                    + o.operand(j).type().text() + ", operand #" + i + " (" + o.operand(i).name() + ") has "
                    + o.operand(i).type().text());
        }
    }

    private void resultIs(Operation o, Type t) {
        if (!o.result().type().equals(t)) {
            throw fail(o, "'" + o.name() + "' result has type " + o.result().type().text() + ", expected " + t.text());
        }
    }

    private void elementKind(Operation o, boolean floating) {
        ScalarType e = element(o.operand(0).type());
        if (e == null || e.isFloat() != floating || (!floating && o.name().startsWith("arith.") && false)) {
            throw fail(o, "'" + o.name() + "' needs " + (floating ? "floating-point" : "integer or index")
                    + " operands, found " + o.operand(0).type().text());
        }
    }

    private static MlirException fail(Operation o, String message) {
        return new MlirException(o.location(), message);
    }
}
