package io.chronofabric.clogic.adp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.adp.ComputeCall;
import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWireTest {

    private static final ModuleSource SRC = new ModuleSource("mod-\u00e9", "mlir", "func.func @main() {\n  return\n}\n");

    private static List<Tensor> everyType() {
        return List.of(
                Tensor.ofFloats(new int[] {2, 2}, 1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY),
                Tensor.ofDoubles(new int[] {3}, Math.PI, -1e300, Double.MIN_VALUE),
                Tensor.ofInts(new int[] {1, 3}, Integer.MIN_VALUE, 0, Integer.MAX_VALUE),
                Tensor.ofLongs(new int[] {2}, Long.MIN_VALUE, Long.MAX_VALUE),
                Tensor.ofIndices(new int[] {1}, 42),
                Tensor.ofBooleans(new int[] {3}, true, false, true),
                Tensor.scalar(ElementType.F32, 7),
                Tensor.zeros(ElementType.F64, 0, 4));
    }

    @Test
    void shouldRoundTripACallWithEveryElementType() {
        ComputeCall call = new ComputeCall(SRC, "main", everyType());
        ComputeCallCodec codec = new ComputeCallCodec();

        ComputeCall back = codec.decode(codec.encode(call));

        assertThat(back).isEqualTo(call);
        assertThat(back.arguments().get(6).rank()).isZero();
        assertThat(back.arguments().get(7).shape()).containsExactly(0, 4);
        assertThat(back.arguments().get(4).elementType()).isEqualTo(ElementType.INDEX);
        assertThat(codec.type()).isEqualTo(ComputeCall.class);
    }

    @Test
    void shouldRoundTripAResult() {
        ExecutionResult r = new ExecutionResult(everyType(), BackendKind.OPENCL, 123_456_789L);
        ExecutionResultCodec codec = new ExecutionResultCodec();

        ExecutionResult back = codec.decode(codec.encode(r));

        assertThat(back).isEqualTo(r);
        assertThat(back.backend()).isEqualTo(BackendKind.OPENCL);
        assertThat(back.elapsedNanos()).isEqualTo(123_456_789L);
        assertThat(codec.type()).isEqualTo(ExecutionResult.class);
        assertThat(codec.name()).isNotEqualTo(new ComputeCallCodec().name());
    }

    @Test
    void shouldRefuseTruncatedAndForeignBytesNamingWhy() {
        byte[] bytes = RemoteWire.encodeCall(new ComputeCall(SRC, "main", everyType()));

        assertThatThrownBy(() -> RemoteWire.decodeCall(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote compute call");
        byte[] v9 = bytes.clone();
        v9[0] = 9;
        assertThatThrownBy(() -> RemoteWire.decodeCall(v9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wire version 9");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
        assertThatThrownBy(() -> RemoteWire.decodeCall(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 bytes left over");
        byte[] result = RemoteWire.encodeResult(new ExecutionResult(List.of(Tensor.ofInts(new int[] {1000}, new int[1000])), BackendKind.CPU, 1));
        assertThatThrownBy(() -> RemoteWire.decodeResult(Arrays.copyOf(result, 100))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 4000 bytes");
    }
}
