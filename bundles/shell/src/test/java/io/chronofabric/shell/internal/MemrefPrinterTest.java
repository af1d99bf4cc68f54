package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.compute.ElementType;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.Tensor;
import io.chronofabric.api.compute.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected texts are mlir-cpu-runner-19's printMemrefF32 output for the same constants (base@ addresses aside). */
class MemrefPrinterTest {

    private static String body(Tensor t) {
        String s = MemrefPrinter.print(t);
        return s.substring(s.indexOf(" rank = "));
    }

    @Test
    void shouldPrintRank2LikeMlirCpuRunner() {
        Tensor t = Tensor.ofFloats(new int[] {2, 4}, 1, 2.5f, 3, 4, 5, 6, 7, 8);
        assertThat(MemrefPrinter.print(t)).startsWith("Unranked Memref base@ = 0x");
        assertThat(body(t)).isEqualTo(" rank = 2 offset = 0 sizes = [2, 4] strides = [4, 1] data = \n"
                + "[[1,   2.5,   3,   4], \n [5,   6,   7,   8]]\n");
        assertThat(body(Tensor.ofFloats(new int[] {3, 2}, 1, 2.5f, 3, 4, 5, 6)))
                .isEqualTo(" rank = 2 offset = 0 sizes = [3, 2] strides = [2, 1] data = \n[[1,   2.5], \n [3,   4], \n [5,   6]]\n");
    }

    @Test
    void shouldPrintRank1Rank3AndRank0LikeMlirCpuRunner() {
        assertThat(body(Tensor.ofFloats(new int[] {3}, 1, 2, 3)))
                .isEqualTo(" rank = 1 offset = 0 sizes = [3] strides = [1] data = \n[1,  2,  3]\n");
        assertThat(body(Tensor.ofFloats(new int[] {2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8)))
                .isEqualTo(" rank = 3 offset = 0 sizes = [2, 2, 2] strides = [4, 2, 1] data = \n"
                        + "[[[1,    2], \n  [3,    4]], \n [[5,    6], \n  [7,    8]]]\n");
        assertThat(body(Tensor.scalar(ElementType.F32, 3.5)))
                .isEqualTo(" rank = 0 offset = 0 sizes = [] strides = [] data = \n[3.5]\n");
    }

    @Test
    void shouldFormatNumbersLikeCppOstream() {
        assertThat(MemrefPrinter.cpp(1.0)).isEqualTo("1");
        assertThat(MemrefPrinter.cpp(0.1f)).isEqualTo("0.1");
        assertThat(MemrefPrinter.cpp(123456789.0)).isEqualTo("1.23457e+08");
        assertThat(MemrefPrinter.cpp(1e-7)).isEqualTo("1e-07");
        assertThat(MemrefPrinter.cpp(Double.NaN)).isEqualTo("nan");
        assertThat(MemrefPrinter.cpp(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void shouldBuildArgumentsAndNameBadInputs() {
        FunctionSignature f = new FunctionSignature("main", List.of(
                new FunctionSignature.Parameter("arg0", TensorType.ranked(ElementType.F32, 2, 2)),
                new FunctionSignature.Parameter("k", TensorType.scalar(ElementType.I32))), List.of());
        List<Tensor> args = ComputeRunCommand.arguments(f, List.of("arg0=1,2,3,4", "%k=7"));
        assertThat(args.get(0).toFloatArray()).containsExactly(1, 2, 3, 4);
        assertThat(args.get(1).rank()).isZero();
        assertThat(args.get(1).getLong(0)).isEqualTo(7);
        assertThatThrownBy(() -> ComputeRunCommand.arguments(f, List.of("arg0=1,2,3")))
                .hasMessage("--input arg0: tensor<2x2xf32> takes 4 values, got 3");
        assertThatThrownBy(() -> ComputeRunCommand.arguments(f, List.of("x=1")))
                .hasMessage("--input x: @main has no parameter %x (it has [%arg0, %k])");
        assertThatThrownBy(() -> ComputeRunCommand.arguments(f, List.of("arg0=1,a,3,4")))
                .hasMessage("--input arg0: value 2 'a' is not a number");
    }
}
