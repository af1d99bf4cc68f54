package io.chronofabric.compute.opencl.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.DeviceBuffer;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.compute.mlir.ScalarType;
import org.jocl.cl_mem;

/** A buffer on the OpenCL device handed to a caller. */
final class OpenClBuffer implements DeviceBuffer {

    private final OpenClDevice device;
    private final ElementType type;
    private final int elements;
    private cl_mem mem;

    OpenClBuffer(OpenClDevice device, ElementType type, int elements) {
        this.device = device;
        this.type = type;
        this.elements = elements;
        this.mem = device.buffer(Convert.scalar(type), elements);
    }

    @Override
    public BackendKind backend() {
        return BackendKind.OPENCL;
    }

    @Override
    public ElementType elementType() {
        return type;
    }

    @Override
    public int elements() {
        return elements;
    }

    private cl_mem live() {
        if (mem == null) {
            throw new IllegalStateException("OpenCL buffer of " + elements + " " + type + " was released");
        }
        return mem;
    }

    @Override
    public synchronized void write(Tensor values) {
        if (values.elementType() != type) {
            throw new IllegalArgumentException("buffer holds " + type + ", tensor is " + values.elementType());
        }
        if (values.size() > elements) {
            throw new IllegalArgumentException("tensor of " + values.size() + " elements does not fit a buffer of " + elements);
        }
        device.write(live(), 0, (long) values.size() * type.byteSize(), Convert.hostArray(values));
    }

    @Override
    public synchronized Tensor read(int... shape) {
        Tensor probe = Tensor.zeros(type, shape);
        if (probe.size() > elements) {
            throw new IllegalArgumentException("shape holds " + probe.size() + " elements, the buffer " + elements);
        }
        ScalarType s = Convert.scalar(type);
        Object array = Convert.newArray(s, probe.size());
        device.read(live(), 0, (long) probe.size() * type.byteSize(), array);
        return Convert.tensor(s, shape, array);
    }

    boolean isOn(OpenClDevice d) {
        return device == d;
    }

    /** Enqueues a device-side copy of {@code count} elements of {@code src} to element 0 (the caller finishes the queue). */
    synchronized void copyFrom(cl_mem src, long count) {
        if (count > elements) {
            throw new IllegalArgumentException("result of " + count + " elements does not fit an OpenCL buffer of " + elements);
        }
        device.copy(src, live(), count * type.byteSize());
    }

    @Override
    public synchronized void release() {
        if (mem != null) {
            device.release(mem);
            mem = null;
        }
    }

    @Override
    public synchronized boolean isReleased() {
        return mem == null;
    }
}
