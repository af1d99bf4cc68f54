package io.chronofabric.compute.opencl.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.compute.mlir.Attribute;
import io.chronofabric.compute.mlir.Function;
import io.chronofabric.compute.mlir.MlirModule;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.TensorType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * A module compiled for one OpenCL device: its program, a kernel per lowered op and the dense
 * tensor constants uploaded once. {@link #release()} frees all of them (idempotent).
 */
final class OpenClModule implements CompiledModule {

    final OpenClBackend backend;
    final OpenClDevice device;
    final MlirModule mlir;
    final Lowering lowering;
    private final ModuleSource source;
    private final String hash;
    private final List<FunctionSignature> functions = new ArrayList<>();
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<Operation, cl_mem> constants = new IdentityHashMap<>();
    private volatile boolean released;

    OpenClModule(OpenClBackend backend, OpenClDevice device, ModuleSource source, MlirModule mlir, Lowering lowering) {
        this.backend = backend;
        this.device = device;
        this.source = source;
        this.mlir = mlir;
        this.lowering = lowering;
        this.hash = sha256(source.text());
        for (Function f : mlir.functions().values()) {
            if (!f.isDeclaration()) {
                functions.add(Convert.signature(f));
            }
        }
        cl_program p = null;
        try {
            if (!lowering.kernels.isEmpty()) {
                p = device.build(lowering.source());
                for (Lowering.Kernel k : lowering.kernels.values()) {
                    kernels.put(k.name(), CL.clCreateKernel(p, k.name(), null));
                }
            }
            for (Function f : mlir.functions().values()) {
                if (!f.isDeclaration()) {
                    for (Operation op : f.body().operations()) {
                        if (op.name().equals("arith.constant") && op.result().type() instanceof TensorType t) {
                            constants.put(op, upload(op, t));
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            this.program = p;
            release();
            throw e;
        }
        this.program = p;
    }

    private cl_mem upload(Operation op, TensorType t) {
        Attribute.DenseElementsAttr d = op.attribute("value", Attribute.DenseElementsAttr.class);
        int n = t.elements();
        ScalarType e = t.element();
        Object array = Convert.newArray(e, n);
        for (int i = 0; i < n; i++) {
            switch (e) {
                case F32 -> ((float[]) array)[i] = (float) d.floatAt(i);
                case F64 -> ((double[]) array)[i] = d.floatAt(i);
                case I32 -> ((int[]) array)[i] = (int) d.intAt(i);
                case I64, INDEX -> ((long[]) array)[i] = d.intAt(i);
                case I1 -> ((byte[]) array)[i] = (byte) (d.intAt(i) & 1);
            }
        }
        return device.upload(array, (long) n * OpenClDevice.bytes(e));
    }

    cl_kernel kernel(String name) {
        return kernels.get(name);
    }

    cl_mem constant(Operation op) {
        return constants.get(op);
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public BackendKind backend() {
        return BackendKind.OPENCL;
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
        return List.copyOf(functions);
    }

    @Override
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        for (cl_mem m : constants.values()) {
            device.release(m);
        }
        constants.clear();
        for (cl_kernel k : kernels.values()) {
            CL.clReleaseKernel(k);
        }
        kernels.clear();
        if (program != null) {
            CL.clReleaseProgram(program);
        }
    }

    @Override
    public boolean isReleased() {
        return released;
    }
}
