package io.chronofabric.api.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void shouldCopyOnOfAndKeepShapeAndStrides() {
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        Tensor t = Tensor.ofFloats(new int[] {2, 4}, v);
        v[0] = 99;
        assertThat(t.getFloat(0)).isEqualTo(1f);
        assertThat(t.strides()).containsExactly(4, 1);
        assertThat(t.getDouble(1, 2)).isEqualTo(7.0);
        assertThat(t.type().toString()).isEqualTo("tensor<2x4xf32>");
        int[] shape = t.shape();
        shape[0] = 5;
        assertThat(t.dim(0)).isEqualTo(2);
    }

    @Test
    void shouldNameSizeMismatch() {
        assertThatThrownBy(() -> Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor of shape [2, 3] needs 6 f32 values, got 3");
        assertThatThrownBy(() -> Tensor.zeros(ElementType.F32, 2, -1))
                .hasMessageContaining("dimension 1 of shape [2, -1] is negative");
    }

    @Test
    void shouldConvertBetweenTypes() {
        Tensor t = Tensor.of(ElementType.I32, new int[] {3}, 1.9, -2.5, 0);
        assertThat(t.toIntArray()).containsExactly(1, -2, 0);
        assertThat(t.as(ElementType.I1).toBooleanArray()).containsExactly(true, true, false);
        assertThat(Tensor.scalar(ElementType.F64, 2.5).rank()).isZero();
        assertThat(Tensor.scalar(ElementType.F64, 2.5).size()).isEqualTo(1);
    }

    @Test
    void shouldCompareByContentAndTolerance() {
        Tensor a = Tensor.ofFloats(new int[] {2}, 1f, 2f);
        assertThat(a).isEqualTo(Tensor.ofFloats(new int[] {2}, 1f, 2f));
        assertThat(a).isNotEqualTo(Tensor.ofFloats(new int[] {1, 2}, 1f, 2f));
        assertThat(a.isCloseTo(Tensor.ofDoubles(new int[] {2}, 1.0000001, 2.0), 1e-5, 0)).isTrue();
        assertThat(a.isCloseTo(Tensor.ofDoubles(new int[] {2}, 1.1, 2.0), 1e-5, 0)).isFalse();
    }

    @Test
    void shouldRefuseWrongStorageReads() {
        Tensor t = Tensor.ofInts(new int[] {1}, 3);
        assertThatThrownBy(() -> t.copyTo(new float[1], 0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("tensor of i32 has no f32 storage");
        assertThatThrownBy(() -> t.getDouble(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldNameArgumentMismatchInSignature() {
        FunctionSignature f = new FunctionSignature("main",
                List.of(new FunctionSignature.Parameter("arg0", TensorType.ranked(ElementType.F32, 2, TensorType.DYNAMIC))),
                List.of(TensorType.unranked(ElementType.F32)));
        f.checkArguments(List.of(Tensor.zeros(ElementType.F32, 2, 7)));
        assertThatThrownBy(() -> f.checkArguments(List.of(Tensor.zeros(ElementType.F32, 3, 7))))
                .hasMessage("argument %arg0 of @main: expected tensor<2x?xf32>, got tensor<3x7xf32> (dimension 0 is 3, expected 2)");
        assertThatThrownBy(() -> f.checkArguments(List.of(Tensor.zeros(ElementType.F64, 2, 7))))
                .hasMessageContaining("element type f64, expected f32");
        assertThatThrownBy(() -> f.checkArguments(List.of()))
                .hasMessage("function @main takes 1 argument(s), got 0");
        assertThat(f.toString()).isEqualTo("@main(%arg0: tensor<2x?xf32>) -> (tensor<*xf32>)");
    }

    @Test
    void shouldParseKindsAndNameUnknownOnes() {
        assertThat(BackendKind.parse("opencl")).isEqualTo(BackendKind.OPENCL);
        assertThatThrownBy(() -> BackendKind.parse("quantum"))
                .hasMessageStartingWith("unknown backend kind 'quantum': known kinds are CPU, CUDA");
        assertThatThrownBy(() -> ElementType.fromMlir("bf16")).hasMessageContaining("'bf16'");
    }
}
