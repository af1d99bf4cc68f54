package io.chronofabric.compute.opencl.internal;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;

import io.chronofabric.compute.mlir.ScalarType;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * One OpenCL device with its context and in-order queue, and a count of the buffers alive on it
 * (every buffer this backend creates goes through {@link #buffer}/{@link #release(cl_mem)}).
 */
final class OpenClDevice implements AutoCloseable {

    final String description;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_device_id device;
    private final AtomicInteger live = new AtomicInteger();

    private OpenClDevice(String description, cl_context context, cl_command_queue queue, cl_device_id device) {
        this.description = description;
        this.context = context;
        this.queue = queue;
        this.device = device;
    }

    /**
     * Opens the first device matching the filters.
     *
     * @throws IllegalStateException naming what is missing (platform, device)
     */
    static OpenClDevice open(String platformFilter, String deviceType) {
        if (deviceType.equalsIgnoreCase("ALL")) {
            // a GPU on any platform first (PoCL's CPU device may be listed before the GPU driver's platform)
            try {
                return openType(platformFilter, "GPU");
            } catch (IllegalStateException noGpu) {
                // then any device
            }
        }
        return openType(platformFilter, deviceType);
    }

    private static OpenClDevice openType(String platformFilter, String deviceType) {
        CL.setExceptionsEnabled(true);
        int[] n = new int[1];
        try {
            CL.clGetPlatformIDs(0, null, n);
        } catch (CLException e) {
            throw new IllegalStateException("no OpenCL platform (" + e.getMessage()
                    + "; is an ICD such as pocl-opencl-icd installed in /etc/OpenCL/vendors?)");
        }
        if (n[0] == 0) {
            throw new IllegalStateException("no OpenCL platform (no ICD in /etc/OpenCL/vendors)");
        }
        cl_platform_id[] platforms = new cl_platform_id[n[0]];
        CL.clGetPlatformIDs(n[0], platforms, null);
        long type = switch (deviceType.toUpperCase()) {
            case "GPU" -> CL_DEVICE_TYPE_GPU;
            case "CPU" -> CL_DEVICE_TYPE_CPU;
            case "ACCELERATOR" -> CL_DEVICE_TYPE_ACCELERATOR;
            default -> CL_DEVICE_TYPE_ALL;
        };
        StringBuilder seen = new StringBuilder();
        for (cl_platform_id p : platforms) {
            String pname = platformString(p, CL_PLATFORM_NAME);
            seen.append(seen.length() == 0 ? "" : ", ").append(pname);
            if (!platformFilter.isBlank() && !pname.toLowerCase().contains(platformFilter.toLowerCase())) {
                continue;
            }
            int[] nd = new int[1];
            try {
                CL.clGetDeviceIDs(p, type, 0, null, nd);
            } catch (CLException noDevice) {
                continue;
            }
            if (nd[0] == 0) {
                continue;
            }
            cl_device_id[] devices = new cl_device_id[nd[0]];
            CL.clGetDeviceIDs(p, type, nd[0], devices, null);
            cl_device_id d = devices[0];
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, p);
            cl_context ctx = CL.clCreateContext(props, 1, new cl_device_id[] {d}, null, null, null);
            @SuppressWarnings("deprecation")
            cl_command_queue q = CL.clCreateCommandQueue(ctx, d, 0, null);
            String desc = deviceString(d, CL_DEVICE_NAME) + " (" + pname + ", " + deviceString(d, CL_DEVICE_VERSION) + ")";
            return new OpenClDevice(desc, ctx, q, d);
        }
        throw new IllegalStateException("no OpenCL device of type " + deviceType + (platformFilter.isBlank() ? "" : " on a platform matching '"
                + platformFilter + "'") + " (platforms: " + seen + ")");
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1)).trim();
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1)).trim();
    }

    int liveBuffers() {
        return live.get();
    }

    static int bytes(ScalarType t) {
        return switch (t) {
            case F32, I32 -> 4;
            case F64, I64, INDEX -> 8;
            case I1 -> 1;
        };
    }

    /** A zero-filled buffer of {@code elements} of {@code t} (at least one byte: OpenCL refuses size 0). */
    cl_mem buffer(ScalarType t, long elements) {
        long size = Math.max(1, elements * bytes(t));
        cl_mem m = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        live.incrementAndGet();
        try {
            CL.clEnqueueFillBuffer(queue, m, Pointer.to(new byte[] {0}), 1, 0, size, 0, null, null);
        } catch (RuntimeException e) {
            release(m);
            throw e;
        }
        return m;
    }

    /** A buffer holding a copy of a host array (float[], double[], int[], long[] or byte[]). */
    cl_mem upload(Object array, long bytes) {
        Pointer p = pointer(array);
        cl_mem m = CL.clCreateBuffer(context, CL_MEM_READ_WRITE | (bytes > 0 ? CL_MEM_COPY_HOST_PTR : 0), Math.max(1, bytes),
                bytes > 0 ? p : null, null);
        live.incrementAndGet();
        return m;
    }

    static Pointer pointer(Object array) {
        if (array instanceof float[] a) {
            return Pointer.to(a);
        }
        if (array instanceof double[] a) {
            return Pointer.to(a);
        }
        if (array instanceof int[] a) {
            return Pointer.to(a);
        }
        if (array instanceof long[] a) {
            return Pointer.to(a);
        }
        return Pointer.to((byte[]) array);
    }

    void copy(cl_mem from, cl_mem to, long bytes) {
        if (bytes > 0) {
            CL.clEnqueueCopyBuffer(queue, from, to, 0, 0, bytes, 0, null, null);
        }
    }

    /** Blocking read of {@code bytes} from {@code offset} into a host array. */
    void read(cl_mem m, long offset, long bytes, Object array) {
        if (bytes > 0) {
            CL.clEnqueueReadBuffer(queue, m, CL_TRUE, offset, bytes, pointer(array), 0, null, null);
        }
    }

    /** Blocking write of a host array at {@code offset}. */
    void write(cl_mem m, long offset, long bytes, Object array) {
        if (bytes > 0) {
            CL.clEnqueueWriteBuffer(queue, m, CL_TRUE, offset, bytes, pointer(array), 0, null, null);
        }
    }

    void release(cl_mem m) {
        if (m != null) {
            CL.clReleaseMemObject(m);
            live.decrementAndGet();
        }
    }

    /**
     * Builds a program.
     *
     * @throws IllegalArgumentException with the compiler's log
     */
    cl_program build(String source) {
        // Builds are serialised in this JVM, and a build that failed in the driver's own kernel cache
        // (PoCL: "unable to rename temporary ... No such file or directory" when two builds of the same
        // source race in ~/.cache/pocl/kcache, e.g. another process) is tried again once: the source
        // is fine, the cache entry was not.
        synchronized (BUILD_LOCK) {
            String first = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
                try {
                    CL.clBuildProgram(p, 0, null, "", null, null);
                    return p;
                } catch (CLException e) {
                    long[] size = new long[1];
                    CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
                    byte[] log = new byte[(int) size[0]];
                    CL.clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
                    CL.clReleaseProgram(p);
                    String text = new String(log).trim();
                    String message = "OpenCL build failed (" + e.getMessage() + "): " + text;
                    if (attempt == 0 && isCacheRace(text)) {
                        first = message;
                        continue;
                    }
                    throw new IllegalArgumentException(first == null ? message : message + " (after a first failure: " + first + ")");
                }
            }
            throw new IllegalStateException("unreachable");
        }
    }

    private static final Object BUILD_LOCK = new Object();

    /** A failure of the driver's kernel cache, not of the source. */
    static boolean isCacheRace(String buildLog) {
        return buildLog.contains("unable to rename temporary") || buildLog.contains("kcache");
    }

    void setMem(cl_kernel k, int index, cl_mem m) {
        CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(m));
    }

    void setScalar(cl_kernel k, int index, HostScalar s) {
        switch (s.type()) {
            case F32 -> CL.clSetKernelArg(k, index, Sizeof.cl_float, Pointer.to(new float[] {(float) s.f()}));
            case F64 -> CL.clSetKernelArg(k, index, Sizeof.cl_double, Pointer.to(new double[] {s.f()}));
            case I32 -> CL.clSetKernelArg(k, index, Sizeof.cl_int, Pointer.to(new int[] {(int) s.i()}));
            case I64, INDEX -> CL.clSetKernelArg(k, index, Sizeof.cl_long, Pointer.to(new long[] {s.i()}));
            case I1 -> CL.clSetKernelArg(k, index, Sizeof.cl_uchar, Pointer.to(new byte[] {(byte) s.i()}));
        }
    }

    void run(cl_kernel k, long globalSize) {
        if (globalSize > 0) {
            CL.clEnqueueNDRangeKernel(queue, k, 1, null, new long[] {globalSize}, null, 0, null, null);
        }
    }

    void finish() {
        CL.clFinish(queue);
    }

    @Override
    public void close() {
        try {
            CL.clFinish(queue);
        } finally {
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        }
    }
}
