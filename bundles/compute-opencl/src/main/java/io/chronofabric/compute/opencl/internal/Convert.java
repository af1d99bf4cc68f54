package io.chronofabric.compute.opencl.internal;

import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.compute.mlir.Function;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.TensorType;
import io.chronofabric.compute.mlir.Type;
import io.chronofabric.compute.mlir.Value;
import java.util.ArrayList;
import java.util.List;

/** Between the MLIR library's types and the API's. */
final class Convert {

    private Convert() {
    }

    static ElementType element(ScalarType t) {
        return ElementType.fromMlir(t.text());
    }

    static ScalarType scalar(ElementType t) {
        return ScalarType.of(t.mlirName());
    }

    static io.chronofabric.api.compute.TensorType type(Type t) {
        if (t instanceof ScalarType s) {
            return io.chronofabric.api.compute.TensorType.scalar(element(s));
        }
        TensorType tt = (TensorType) t;
        return tt.isRanked() ? io.chronofabric.api.compute.TensorType.ranked(element(tt.element()), tt.shape())
                : io.chronofabric.api.compute.TensorType.unranked(element(tt.element()));
    }

    static FunctionSignature signature(Function f) {
        List<FunctionSignature.Parameter> ps = new ArrayList<>();
        List<Type> inputs = f.type().inputs();
        List<Value> args = f.isDeclaration() ? List.of() : f.body().arguments();
        for (int i = 0; i < inputs.size(); i++) {
            String n = i < args.size() ? args.get(i).name() : "arg" + i;
            ps.add(new FunctionSignature.Parameter(n.startsWith("%") ? n.substring(1) : n, type(inputs.get(i))));
        }
        List<io.chronofabric.api.compute.TensorType> rs = new ArrayList<>();
        for (Type t : f.type().results()) {
            rs.add(type(t));
        }
        return new FunctionSignature(f.name(), ps, rs);
    }

    /** The host array of a tensor in device layout (i1 as bytes). */
    static Object hostArray(Tensor t) {
        return switch (t.elementType()) {
            case F32 -> t.toFloatArray();
            case F64 -> t.toDoubleArray();
            case I32 -> t.toIntArray();
            case I64, INDEX -> t.toLongArray();
            case I1 -> {
                boolean[] b = t.toBooleanArray();
                byte[] o = new byte[b.length];
                for (int i = 0; i < b.length; i++) {
                    o[i] = (byte) (b[i] ? 1 : 0);
                }
                yield o;
            }
        };
    }

    static Object newArray(ScalarType t, int n) {
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64, INDEX -> new long[n];
            case I1 -> new byte[n];
        };
    }

    static Tensor tensor(ScalarType t, int[] shape, Object array) {
        return switch (t) {
            case F32 -> Tensor.wrapFloats(shape, (float[]) array);
            case F64 -> Tensor.wrapDoubles(shape, (double[]) array);
            case I32 -> Tensor.wrapInts(shape, (int[]) array);
            case I64, INDEX -> Tensor.wrapLongs(element(t), shape, (long[]) array);
            case I1 -> {
                byte[] b = (byte[]) array;
                boolean[] o = new boolean[b.length];
                for (int i = 0; i < b.length; i++) {
                    o[i] = b[i] != 0;
                }
                yield Tensor.wrapBooleans(shape, o);
            }
        };
    }

    static HostScalar scalarOf(Tensor t, ScalarType type) {
        return type.isFloat() ? HostScalar.ofFloat(type, t.getDouble(0)) : HostScalar.ofInt(type, t.getLong(0));
    }

    static Tensor tensorOf(HostScalar s) {
        ElementType e = element(s.type());
        return s.type().isFloat() ? Tensor.scalar(e, s.f()) : switch (s.type()) {
            case I32 -> Tensor.ofInts(new int[0], (int) s.i());
            case I1 -> Tensor.ofBooleans(new int[0], s.i() != 0);
            default -> Tensor.wrapLongs(e, new int[0], new long[] {s.i()});
        };
    }
}
