package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of remote compute calls and their results (big-endian, {@link DataOutputStream}):
 * a version byte (1), then for a call the module name, language and text, the function and the
 * arguments; for a result the backend kind, the elapsed nanoseconds and the results. A string is
 * an int byte length and UTF-8; a tensor its element type (MLIR spelling), its rank, its dimensions
 * and its elements in row-major order (i1 as one byte each).
 */
final class RemoteWire {

    static final int VERSION = 1;
    /** Refuse absurd lengths from a damaged frame before allocating. */
    private static final int MAX_LENGTH = 1 << 30;

    private RemoteWire() {
    }

    static byte[] encodeCall(ComputeCall call) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, call.source().name());
            writeString(out, call.source().language());
            writeString(out, call.source().text());
            writeString(out, call.function());
            writeTensors(out, call.arguments());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ComputeCall decodeCall(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            version(in, "compute call");
            ModuleSource src = new ModuleSource(readString(in), readString(in), readString(in));
            String function = readString(in);
            return new ComputeCall(src, function, readTensors(in));
        } catch (EOFException e) {
            throw new IllegalArgumentException("remote compute call of " + data.length + " bytes is truncated");
        } catch (IOException e) {
            throw new IllegalArgumentException("remote compute call unreadable: " + e.getMessage(), e);
        }
    }

    static byte[] encodeResult(ExecutionResult result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, result.backend().name());
            out.writeLong(result.elapsedNanos());
            writeTensors(out, result.results());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ExecutionResult decodeResult(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            version(in, "compute result");
            BackendKind kind = BackendKind.parse(readString(in));
            long elapsed = in.readLong();
            return new ExecutionResult(readTensors(in), kind, elapsed);
        } catch (EOFException e) {
            throw new IllegalArgumentException("remote compute result of " + data.length + " bytes is truncated");
        } catch (IOException e) {
            throw new IllegalArgumentException("remote compute result unreadable: " + e.getMessage(), e);
        }
    }

    private static void version(DataInputStream in, String what) throws IOException {
        int v = in.readUnsignedByte();
        if (v != VERSION) {
            throw new IllegalArgumentException("remote " + what + " has wire version " + v + ", this node reads " + VERSION);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = length(in.readInt(), in, "string");
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int length(int n, DataInputStream in, String what) throws IOException {
        if (n < 0 || n > MAX_LENGTH || n > in.available()) {
            throw new IllegalArgumentException("bad " + what + " length " + n + " (" + in.available() + " bytes left)");
        }
        return n;
    }

    private static void writeTensors(DataOutputStream out, List<Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Tensor t : tensors) {
            writeString(out, t.elementType().mlirName());
            int[] shape = t.shape();
            out.writeInt(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            int n = t.size();
            switch (t.elementType()) {
                case F32 -> {
                    for (int i = 0; i < n; i++) {
                        out.writeFloat(t.getFloat(i));
                    }
                }
                case F64 -> {
                    for (int i = 0; i < n; i++) {
                        out.writeDouble(t.getDouble(i));
                    }
                }
                case I32 -> {
                    for (int i = 0; i < n; i++) {
                        out.writeInt((int) t.getLong(i));
                    }
                }
                case I64, INDEX -> {
                    for (int i = 0; i < n; i++) {
                        out.writeLong(t.getLong(i));
                    }
                }
                case I1 -> {
                    for (int i = 0; i < n; i++) {
                        out.writeByte(t.getBoolean(i) ? 1 : 0);
                    }
                }
            }
        }
    }

    private static List<Tensor> readTensors(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IllegalArgumentException("bad tensor count " + count);
        }
        List<Tensor> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            ElementType type = ElementType.fromMlir(readString(in));
            int rank = in.readInt();
            if (rank < 0 || rank > 64) {
                throw new IllegalArgumentException("tensor " + k + ": bad rank " + rank);
            }
            int[] shape = new int[rank];
            long size = 1;
            for (int a = 0; a < rank; a++) {
                shape[a] = in.readInt();
                if (shape[a] < 0) {
                    throw new IllegalArgumentException("tensor " + k + ": dimension " + a + " is " + shape[a]);
                }
                size *= shape[a];
            }
            if (size * Math.max(1, type.byteSize()) > in.available() && size > 0) {
                throw new IllegalArgumentException("tensor " + k + " of shape " + java.util.Arrays.toString(shape) + " " + type + " needs "
                        + size * type.byteSize() + " bytes, " + in.available() + " left");
            }
            int n = (int) size;
            out.add(switch (type) {
                case F32 -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = in.readFloat();
                    }
                    yield Tensor.wrapFloats(shape, v);
                }
                case F64 -> {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = in.readDouble();
                    }
                    yield Tensor.wrapDoubles(shape, v);
                }
                case I32 -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = in.readInt();
                    }
                    yield Tensor.wrapInts(shape, v);
                }
                case I64, INDEX -> {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = in.readLong();
                    }
                    yield Tensor.wrapLongs(type, shape, v);
                }
                case I1 -> {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = in.readByte() != 0;
                    }
                    yield Tensor.wrapBooleans(shape, v);
                }
            });
        }
        if (in.available() > 0) {
            throw new IllegalArgumentException(in.available() + " bytes left over after " + count + " tensors");
        }
        return out;
    }
}
