package io.chronofabric.compute.opencl.internal;

import io.chronofabric.api.compute.Tensor;
import io.chronofabric.compute.mlir.Attribute;
import io.chronofabric.compute.mlir.Function;
import io.chronofabric.compute.mlir.Operation;
import io.chronofabric.compute.mlir.ScalarType;
import io.chronofabric.compute.mlir.TensorType;
import io.chronofabric.compute.mlir.Type;
import io.chronofabric.compute.mlir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One execution of a function: walks the body op by op, runs kernels on the device and scalar
 * ops on the host, and releases every buffer it created on every path ({@link #close()}).
 * Stops with {@link CancellationException} at the next op once its future is done.
 */
final class Execution implements AutoCloseable {

    /** A tensor on the device: its buffer and its static shape. */
    record DeviceTensor(cl_mem mem, ScalarType element, int[] shape) {
        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        long bytes() {
            return elements() * OpenClDevice.bytes(element);
        }
    }

    private final OpenClModule module;
    private final OpenClDevice device;
    private final Future<?> future;
    private final List<cl_mem> owned = new ArrayList<>();

    Execution(OpenClModule module, Future<?> future) {
        this.module = module;
        this.device = module.device;
        this.future = future;
    }

    /** Runs {@code function} with API tensors; returns the results read back to the host. */
    List<Tensor> run(String function, List<Tensor> arguments) {
        return run(function, arguments, null);
    }

    /**
     * The same; result {@code i} goes device to device into {@code outputs[i]} when that is an
     * OpenCL buffer of this device (its entry in the returned list is then null); every other
     * result is read back to the host.
     */
    List<Tensor> run(String function, List<Tensor> arguments, io.chronofabric.api.compute.DeviceBuffer[] outputs) {
        Function f = module.mlir.function(function);
        List<Type> inputs = f.type().inputs();
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = arguments.get(i);
            Type type = inputs.get(i);
            if (type instanceof ScalarType s) {
                args.add(Convert.scalarOf(t, s));
            } else {
                ScalarType e = ((TensorType) type).element();
                cl_mem m = device.upload(Convert.hostArray(t), (long) t.size() * OpenClDevice.bytes(e));
                owned.add(m);
                args.add(new DeviceTensor(m, e, t.shape()));
            }
        }
        List<Object> results = call(f, args);
        boolean[] copied = new boolean[results.size()];
        for (int i = 0; outputs != null && i < results.size(); i++) {
            if (outputs[i] instanceof OpenClBuffer b && b.isOn(device) && results.get(i) instanceof DeviceTensor d) {
                b.copyFrom(d.mem(), d.elements());
                copied[i] = true;
            }
        }
        device.finish();
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Object r = results.get(i);
            if (copied[i]) {
                out.add(null);
            } else if (r instanceof HostScalar s) {
                out.add(Convert.tensorOf(s));
            } else {
                DeviceTensor d = (DeviceTensor) r;
                Object array = Convert.newArray(d.element(), (int) d.elements());
                device.read(d.mem(), 0, d.bytes(), array);
                out.add(Convert.tensor(d.element(), d.shape(), array));
            }
        }
        return out;
    }

    private void checkCancelled() {
        if (future.isDone()) {
            throw new CancellationException("execution stopped: its stage was completed or cancelled");
        }
    }

    private DeviceTensor newTensor(TensorType t) {
        cl_mem m = device.buffer(t.element(), t.elements());
        owned.add(m);
        return new DeviceTensor(m, t.element(), t.shape());
    }

    private List<Object> call(Function f, List<Object> args) {
        Map<Value, Object> values = new IdentityHashMap<>();
        List<Value> params = f.body().arguments();
        for (int i = 0; i < params.size(); i++) {
            values.put(params.get(i), args.get(i));
        }
        for (Operation op : f.body().operations()) {
            checkCancelled();
            String n = op.name();
            switch (n) {
                case "func.return" -> {
                    List<Object> r = new ArrayList<>();
                    for (Value v : op.operands()) {
                        r.add(values.get(v));
                    }
                    return r;
                }
                case "func.call" -> {
                    Function callee = module.mlir.function(op.attribute("callee", Attribute.SymbolRefAttr.class).name());
                    if (callee.isDeclaration() && callee.name().startsWith("printMemref")) {
                        // mlir-cpu-runner's printMemrefF32/F64/I32/I64: the text goes to the backend's print sink
                        DeviceTensor d = (DeviceTensor) values.get(op.operand(0));
                        device.finish();
                        Object array = Convert.newArray(d.element(), (int) d.elements());
                        device.read(d.mem(), 0, d.bytes(), array);
                        module.backend.print(MemrefPrinter.print(Convert.tensor(d.element(), d.shape(), array)));
                        continue;
                    }
                    List<Object> in = new ArrayList<>();
                    for (Value v : op.operands()) {
                        in.add(values.get(v));
                    }
                    List<Object> r = call(callee, in);
                    for (int i = 0; i < op.results().size(); i++) {
                        values.put(op.results().get(i), r.get(i));
                    }
                }
                case "arith.constant" -> {
                    if (op.result().type() instanceof TensorType t) {
                        values.put(op.result(), new DeviceTensor(module.constant(op), t.element(), t.shape()));
                    } else {
                        values.put(op.result(), HostScalar.constant(op));
                    }
                }
                case "tensor.empty" -> values.put(op.result(), newTensor(op.result().tensorType()));
                case "tensor.cast" -> values.put(op.result(), values.get(op.operand(0)));
                case "tensor.extract" -> {
                    DeviceTensor t = (DeviceTensor) values.get(op.operand(0));
                    long flat = flat(t, op.operands().subList(1, op.operands().size()), values, op);
                    Object one = Convert.newArray(t.element(), 1);
                    int b = OpenClDevice.bytes(t.element());
                    device.read(t.mem(), flat * b, b, one);
                    values.put(op.result(), Convert.scalarOf(Convert.tensor(t.element(), new int[0], one), t.element()));
                }
                case "tensor.insert" -> {
                    HostScalar s = (HostScalar) values.get(op.operand(0));
                    DeviceTensor dest = (DeviceTensor) values.get(op.operand(1));
                    long flat = flat(dest, op.operands().subList(2, op.operands().size()), values, op);
                    DeviceTensor copy = newTensor(TensorType.ranked(dest.element(), dest.shape()));
                    device.copy(dest.mem(), copy.mem(), dest.bytes());
                    Object one = Convert.hostArray(Convert.tensorOf(s).as(Convert.element(dest.element())));
                    int b = OpenClDevice.bytes(dest.element());
                    device.write(copy.mem(), flat * b, b, one);
                    values.put(op.result(), copy);
                }
                default -> {
                    Lowering.Kernel k = module.lowering.kernels.get(op);
                    if (k != null) {
                        launch(op, k, values);
                    } else {
                        List<HostScalar> in = new ArrayList<>();
                        for (Value v : op.operands()) {
                            in.add((HostScalar) values.get(v));
                        }
                        values.put(op.result(), HostScalar.eval(op, in));
                    }
                }
            }
        }
        throw new IllegalStateException("function @" + f.name() + " ended without func.return");
    }

    private static long flat(DeviceTensor t, List<Value> indices, Map<Value, Object> values, Operation op) {
        long flat = 0;
        int[] shape = t.shape();
        for (int a = 0; a < indices.size(); a++) {
            long i = ((HostScalar) values.get(indices.get(a))).i();
            if (i < 0 || i >= shape[a]) {
                throw new IllegalArgumentException("'" + op.name() + "' at " + op.location() + ": index " + i + " on axis " + a
                        + " of size " + shape[a]);
            }
            flat = flat * shape[a] + i;
        }
        return flat;
    }

    private void launch(Operation op, Lowering.Kernel k, Map<Value, Object> values) {
        cl_kernel kernel = module.kernel(k.name());
        List<DeviceTensor> outs = new ArrayList<>();
        for (int j = 0; j < op.results().size(); j++) {
            DeviceTensor o = newTensor(op.results().get(j).tensorType());
            Value init = k.initFrom().get(j);
            if (init != null) {
                DeviceTensor src = (DeviceTensor) values.get(init);
                device.copy(src.mem(), o.mem(), o.bytes());
            }
            outs.add(o);
        }
        int index = 0;
        for (Lowering.Arg a : k.args()) {
            switch (a.kind()) {
                case IN -> device.setMem(kernel, index, ((DeviceTensor) values.get(a.value())).mem());
                case OUT -> device.setMem(kernel, index, outs.get(a.out()).mem());
                case SCALAR -> device.setScalar(kernel, index, (HostScalar) values.get(a.value()));
            }
            index++;
        }
        device.run(kernel, k.globalSize());
        for (int j = 0; j < outs.size(); j++) {
            values.put(op.results().get(j), outs.get(j));
        }
    }

    @Override
    public void close() {
        try {
            device.finish();
        } catch (RuntimeException ignored) {
            // release what we can even when the queue failed
        }
        for (cl_mem m : owned) {
            device.release(m);
        }
        owned.clear();
    }
}
