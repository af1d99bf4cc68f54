package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.compute.mlir.MlirParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs in a JVM without jdk.incubator.vector (surefire execution "without-vector-module"): the
 * backend falls back to the scalar sgemm, says why, and still computes.
 */
class VectorAbsentTest {

    @Test
    void shouldFallBackToTheScalarKernelAndSayWhyWhenTheModuleIsMissing() {
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                "this JVM has jdk.incubator.vector: the fallback is checked by the execution without it");
        try (CpuEngine e = new CpuEngine(2, true)) {
            assertThat(e.sgemmKernel()).isInstanceOf(ScalarSgemm.class);
            assertThat(e.vectorStatus()).contains("jdk.incubator.vector is not available").contains("--add-modules");
            String text = "func.func @mm(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
                    + "  %r = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>\n"
                    + "  return %r : tensor<2x2xf32>\n}";
            CpuTensor a = CpuTensor.ofFloats(new int[] {2, 2}, new float[] {1, 2, 3, 4});
            CpuTensor c = CpuTensor.ofFloats(new int[] {2, 2}, new float[] {1, 1, 1, 1});
            CpuTensor[] r = new CpuProgram(MlirParser.parse(text), () -> e).function("mm")
                    .run(new CpuTensor[] {a, a, c}, new CpuProgram.Context(null));
            assertThat(r[0].f).containsExactly(8, 11, 16, 23);
        }
    }
}
