package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.compute.mlir.MlirParser;
import io.chronofabric.compute.mlir.ScalarType;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CpuProgramTest {

    private static CpuEngine engine;

    @BeforeAll
    static void start() {
        engine = new CpuEngine(2, true);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static CpuTensor[] run(String text, String fn, CpuTensor... args) {
        return new CpuProgram(MlirParser.parse(text), () -> engine).function(fn).run(args, new CpuProgram.Context(null));
    }

    private static CpuTensor random(Random r, int... shape) {
        CpuTensor t = CpuTensor.allocate(ScalarType.F32, shape);
        for (int i = 0; i < t.size; i++) {
            t.f[i] = r.nextFloat() * 2 - 1;
        }
        return t;
    }

    @Test
    void shouldReduceLargeTensorsAcrossChunksAndThreadsLikeAPlainLoop() {
        int m = 300;
        int n = 1100; // more than one chunk of 512 along the parallel loop
        String text = """
                #in = affine_map<(d0, d1) -> (d0, d1)>
                #out = affine_map<(d0, d1) -> (d1)>
                func.func @colsum(%a: tensor<MxNxf32>, %b: tensor<MxNxf32>) -> tensor<Nxf32> {
                  %z = arith.constant 0.0 : f32
                  %e = tensor.empty() : tensor<Nxf32>
                  %acc = linalg.fill ins(%z : f32) outs(%e : tensor<Nxf32>) -> tensor<Nxf32>
                  %r = linalg.generic {indexing_maps = [#in, #in, #out], iterator_types = ["reduction", "parallel"]}
                      ins(%a, %b : tensor<MxNxf32>, tensor<MxNxf32>) outs(%acc : tensor<Nxf32>) {
                  ^bb0(%x: f32, %y: f32, %o: f32):
                    %p = arith.mulf %x, %y : f32
                    %s = arith.addf %o, %p : f32
                    linalg.yield %s : f32
                  } -> tensor<Nxf32>
                  return %r : tensor<Nxf32>
                }
                """.replace("M", "" + m).replace("N", "" + n);
        Random r = new Random(5);
        CpuTensor a = random(r, m, n);
        CpuTensor b = random(r, m, n);
        CpuTensor out = run(text, "colsum", a, b)[0];
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int i = 0; i < m; i++) {
                s = s + a.f[i * n + j] * b.f[i * n + j]; // same order as the reduction loop: bit-identical
            }
            assertThat(out.f[j]).as("column %d", j).isEqualTo(s);
        }
        assertThat(a.f[0]).as("arguments are not modified").isEqualTo(new Random(5).nextFloat() * 2 - 1);
    }

    @Test
    void shouldTransposeAndReduceRowsOfA3dTensorSplitOverThreads() {
        String text = """
                #in = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
                #out = affine_map<(d0, d1, d2) -> (d2, d0)>
                func.func @f(%a: tensor<64x33x70xf32>, %init: tensor<70x64xf32>) -> tensor<70x64xf32> {
                  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction", "parallel"]}
                      ins(%a : tensor<64x33x70xf32>) outs(%init : tensor<70x64xf32>) {
                  ^bb0(%x: f32, %o: f32):
                    %m = arith.maximumf %x, %o : f32
                    linalg.yield %m : f32
                  } -> tensor<70x64xf32>
                  return %r : tensor<70x64xf32>
                }
                """;
        Random r = new Random(6);
        CpuTensor a = random(r, 64, 33, 70);
        CpuTensor init = CpuTensor.allocate(ScalarType.F32, 70, 64);
        java.util.Arrays.fill(init.f, -0.5f);
        CpuTensor out = run(text, "f", a, init)[0];
        for (int i = 0; i < 64; i++) {
            for (int k = 0; k < 70; k++) {
                float mx = -0.5f;
                for (int j = 0; j < 33; j++) {
                    mx = Math.max(mx, a.f[(i * 33 + j) * 70 + k]);
                }
                assertThat(out.f[k * 64 + i]).as("out[%d][%d]", k, i).isEqualTo(mx);
            }
        }
        assertThat(init.f[0]).as("the caller's init tensor is not written").isEqualTo(-0.5f);
    }

    @Test
    void shouldNotOverwriteABufferAViewOfItStillNeeds() {
        // %c views %x's buffer; the fill of %x (its last use) must not write into what %c shows
        String text = """
                func.func @f() -> (tensor<*xf32>, tensor<3xf32>) {
                  %one = arith.constant 1.0 : f32
                  %two = arith.constant 2.0 : f32
                  %e = tensor.empty() : tensor<3xf32>
                  %x = linalg.fill ins(%one : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
                  %c = tensor.cast %x : tensor<3xf32> to tensor<*xf32>
                  %y = linalg.fill ins(%two : f32) outs(%x : tensor<3xf32>) -> tensor<3xf32>
                  return %c, %y : tensor<*xf32>, tensor<3xf32>
                }
                """;
        CpuTensor[] r = run(text, "f");
        assertThat(r[0].f).containsExactly(1f, 1f, 1f);
        assertThat(r[1].f).containsExactly(2f, 2f, 2f);
    }

    @Test
    void shouldCallFunctionsAndReturnScalarsAndTensorsOfEveryElementType() {
        String text = """
                func.func @sq(%x: f64) -> f64 {
                  %y = arith.mulf %x, %x : f64
                  return %y : f64
                }
                func.func @main(%x: f64, %i: i64, %t: tensor<2xi1>) -> (f64, i64, tensor<2xi1>, index) {
                  %y = call @sq(%x) : (f64) -> f64
                  %c7 = arith.constant 7 : i64
                  %j = arith.addi %i, %c7 : i64
                  %n = arith.constant dense<true> : tensor<2xi1>
                  %u = arith.xori %t, %n : tensor<2xi1>
                  %k = arith.index_cast %j : i64 to index
                  return %y, %j, %u, %k : f64, i64, tensor<2xi1>, index
                }
                """;
        CpuTensor[] r = run(text, "main", CpuTensor.scalar(ScalarType.F64, 1.5, 0), CpuTensor.scalar(ScalarType.I64, 0, 35),
                CpuTensor.ofLongs(ScalarType.I1, new int[] {2}, new long[] {1, 0}));
        assertThat(r[0].d[0]).isEqualTo(2.25);
        assertThat(r[1].l[0]).isEqualTo(42);
        assertThat(r[2].l).containsExactly(0, 1);
        assertThat(r[3].element).isEqualTo(ScalarType.INDEX);
        assertThat(r[3].l[0]).isEqualTo(42);
    }

    @Test
    void shouldRunTheIntegerAndConversionOpsTheGoldenProgramsDoNotCover() {
        String text = """
                func.func @ints(%a: i32, %b: i32) -> (i32, i32, i32, i32, i32, i64, i32, i1) {
                  %s = arith.subi %a, %b : i32
                  %mx = arith.maxsi %a, %b : i32
                  %mn = arith.minsi %a, %b : i32
                  %an = arith.andi %a, %b : i32
                  %o = arith.ori %a, %b : i32
                  %w = arith.extsi %a : i32 to i64
                  %big = arith.constant 4294967301 : i64
                  %t = arith.trunci %big : i64 to i32
                  %c = arith.cmpi ult, %a, %b : i32
                  return %s, %mx, %mn, %an, %o, %w, %t, %c : i32, i32, i32, i32, i32, i64, i32, i1
                }
                func.func @floats(%x: f32, %d: f64) -> (f32, f32, f64, f32, i32, f32) {
                  %l = math.log %x : f32
                  %ab = math.absf %x : f32
                  %e = arith.extf %x : f32 to f64
                  %t = arith.truncf %d : f64 to f32
                  %i = arith.fptosi %t : f32 to i32
                  %mn = arith.minimumf %x, %t : f32
                  return %l, %ab, %e, %t, %i, %mn : f32, f32, f64, f32, i32, f32
                }
                """;
        CpuTensor[] r = run(text, "ints", CpuTensor.scalar(ScalarType.I32, 0, -6), CpuTensor.scalar(ScalarType.I32, 0, 10));
        assertThat(r).extracting(t -> t.l[0]).containsExactly(-16L, 10L, -6L, (long) (-6 & 10), (long) (-6 | 10), -6L, 5L,
                0L); // -6 as unsigned is above 10
        r = run(text, "floats", CpuTensor.scalar(ScalarType.F32, -2.5, 0), CpuTensor.scalar(ScalarType.F64, 7.9, 0));
        assertThat(r[0].f[0]).isNaN();
        assertThat(r[1].f[0]).isEqualTo(2.5f);
        assertThat(r[2].d[0]).isEqualTo(-2.5);
        assertThat(r[3].f[0]).isEqualTo(7.9f);
        assertThat(r[4].l[0]).isEqualTo(7);
        assertThat(r[5].f[0]).isEqualTo(-2.5f);
    }

    @Test
    void shouldPrintLikeTheRunnerUtilitiesForEveryRank() {
        assertThat(MemrefPrinter.formatG(1.0 / 3)).isEqualTo("0.333333");
        assertThat(MemrefPrinter.formatG(123456789.0)).isEqualTo("1.23457e+08");
        assertThat(MemrefPrinter.formatG(1e-7)).isEqualTo("1e-07");
        assertThat(MemrefPrinter.formatG(-0.0)).isEqualTo("-0");
        assertThat(MemrefPrinter.formatG(100000)).isEqualTo("100000");
        assertThat(MemrefPrinter.formatG(1000000)).isEqualTo("1e+06");
        CpuTensor t = CpuTensor.ofFloats(new int[] {2, 2, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        // the layout mlir-cpu-runner-19 printed for this tensor
        assertThat(MemrefPrinter.print(t, 0x10)).isEqualTo("Unranked Memref base@ = 0x10 rank = 3 offset = 0 sizes = [2, 2, 2]"
                + " strides = [4, 2, 1] data = \n[[[1,    2], \n  [3,    4]], \n [[5,    6], \n  [7,    8]]]\n");
        assertThat(MemrefPrinter.print(CpuTensor.scalar(ScalarType.F32, 42, 0), 0x10)).endsWith("data = \n[42]\n");
    }
}
