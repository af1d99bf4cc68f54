package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.compute.mlir.MlirParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated programs (elementwise chains, fused generics, matmuls, generic reductions over
 * random small shapes, seeded) run through mlir-opt-19 + mlir-cpu-runner-19 and through the CPU
 * backend; every printed value agrees within float tolerance. Skipped, with a message, where
 * MLIR's tools are not installed (Debian mlir-19-tools and libmlir-19).
 */
class MlirOracleTest {

    private static final String LIB = "/usr/lib/llvm-19/lib";
    private static final String PIPELINE = "-convert-elementwise-to-linalg -one-shot-bufferize=bufferize-function-boundaries"
            + " -finalizing-bufferize -buffer-deallocation-pipeline -convert-bufferization-to-memref -convert-linalg-to-loops"
            + " -convert-scf-to-cf -expand-strided-metadata -lower-affine -convert-math-to-libm -convert-math-to-llvm"
            + " -convert-arith-to-llvm -convert-scf-to-cf --finalize-memref-to-llvm -convert-func-to-llvm"
            + " -reconcile-unrealized-casts";
    private static final Pattern NUMBER = Pattern.compile("-?(?:nan|inf|[0-9.]+(?:e[-+][0-9]+)?)");
    private static CpuEngine engine;

    @TempDir
    Path tmp;

    @BeforeAll
    static void tools() {
        boolean have = Files.isExecutable(Path.of("/usr/bin/mlir-opt-19")) && Files.isExecutable(Path.of("/usr/bin/mlir-cpu-runner-19"))
                && Files.exists(Path.of(LIB, "libmlir_runner_utils.so.19.1"));
        Assumptions.assumeTrue(have, "MLIR oracle skipped: mlir-opt-19, mlir-cpu-runner-19 or " + LIB
                + "/libmlir_runner_utils.so.19.1 not installed (apt-get install mlir-19-tools libmlir-19)");
        engine = new CpuEngine(2, true);
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private String mlirTools(String program) throws IOException, InterruptedException {
        Path f = tmp.resolve("p.mlir");
        Files.writeString(f, program, StandardCharsets.UTF_8);
        String cmd = "mlir-opt-19 " + f + " " + PIPELINE + " | mlir-cpu-runner-19 -e main -entry-point-result=void"
                + " -shared-libs=" + LIB + "/libmlir_c_runner_utils.so.19.1," + LIB + "/libmlir_runner_utils.so.19.1";
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("mlir tools finished").isTrue();
        assertThat(p.exitValue()).as("mlir tools on%n%s%nsaid%n%s", program, out).isZero();
        return out;
    }

    private static List<List<Double>> values(String printed) {
        List<List<Double>> all = new ArrayList<>();
        for (String block : printed.split("Unranked Memref")) {
            int at = block.indexOf("data =");
            if (at < 0) {
                continue;
            }
            List<Double> v = new ArrayList<>();
            Matcher m = NUMBER.matcher(block.substring(at + 6));
            while (m.find()) {
                String s = m.group();
                v.add(s.endsWith("nan") ? Double.NaN : s.endsWith("inf") ? (s.startsWith("-") ? Double.NEGATIVE_INFINITY
                        : Double.POSITIVE_INFINITY) : Double.parseDouble(s));
            }
            all.add(v);
        }
        return all;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void shouldAgreeWithMlirCpuRunnerOnGeneratedPrograms(long seed) throws Exception {
        String program = new Generator(new Random(seed)).program();
        List<List<Double>> theirs = values(mlirTools(program));
        StringBuilder ours = new StringBuilder();
        new CpuProgram(MlirParser.parse(program), () -> engine).function("main").run(new CpuTensor[0],
                new CpuProgram.Context(ours));
        List<List<Double>> mine = values(ours.toString());

        assertThat(mine).as("printed tensors").hasSameSizeAs(theirs).isNotEmpty();
        for (int t = 0; t < theirs.size(); t++) {
            assertThat(mine.get(t)).as("tensor %d of%n%s", t, program).hasSameSizeAs(theirs.get(t));
            for (int i = 0; i < theirs.get(t).size(); i++) {
                double want = theirs.get(t).get(i);
                double got = mine.get(t).get(i);
                if (Double.isNaN(want) || Double.isInfinite(want)) {
                    assertThat(got).as("tensor %d element %d of%n%s", t, i, program).isEqualTo(want);
                } else {
                    assertThat(Math.abs(got - want)).as("tensor %d element %d: ours %s, mlir %s, in%n%s", t, i, got, want, program)
                            .isLessThanOrEqualTo(2e-4 * Math.max(1, Math.abs(want)));
                }
            }
        }
    }

    /** Random small programs of the subset, printing every result. */
    static final class Generator {
        private final Random r;
        private final StringBuilder body = new StringBuilder();
        private final StringBuilder maps = new StringBuilder();
        private final StringBuilder prints = new StringBuilder(); // at the end: one-shot-bufferize refuses casts of live values
        private int next;
        private int mapCount;

        Generator(Random r) {
            this.r = r;
        }

        private String fresh() {
            return "%v" + next++;
        }

        private static String type(int... shape) {
            StringBuilder b = new StringBuilder("tensor<");
            for (int s : shape) {
                b.append(s).append('x');
            }
            return b.append("f32>").toString();
        }

        private String constant(int... shape) {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            StringBuilder v = new StringBuilder();
            nested(v, shape, 0);
            String name = fresh();
            body.append("  ").append(name).append(" = arith.constant dense<").append(v).append("> : ").append(type(shape)).append('\n');
            return name;
        }

        private void nested(StringBuilder b, int[] shape, int d) {
            b.append('[');
            for (int i = 0; i < shape[d]; i++) {
                if (i > 0) {
                    b.append(", ");
                }
                if (d == shape.length - 1) {
                    b.append(String.format(Locale.ROOT, "%.4f", r.nextDouble() * 4 - 2));
                } else {
                    nested(b, shape, d + 1);
                }
            }
            b.append(']');
        }

        private String map(String text) {
            String name = "#m" + mapCount++;
            maps.append(name).append(" = affine_map<").append(text).append(">\n");
            return name;
        }

        private void print(String v, int... shape) {
            String u = fresh();
            prints.append("  ").append(u).append(" = tensor.cast ").append(v).append(" : ").append(type(shape))
                    .append(" to tensor<*xf32>\n");
            prints.append("  call @printMemrefF32(").append(u).append(") : (tensor<*xf32>) -> ()\n");
        }

        String program() {
            int[] shape = r.nextBoolean() ? new int[] {1 + r.nextInt(9)} : new int[] {1 + r.nextInt(6), 1 + r.nextInt(7)};
            String t = type(shape);
            // elementwise chain on tensors
            String a = constant(shape);
            String b = constant(shape);
            String[] bin = {"arith.addf", "arith.subf", "arith.mulf", "arith.maximumf", "arith.minimumf"};
            String x = a;
            for (int i = 0; i < 3; i++) {
                String y = fresh();
                body.append("  ").append(y).append(" = ").append(bin[r.nextInt(bin.length)]).append(' ').append(x).append(", ")
                        .append(r.nextBoolean() ? b : a).append(" : ").append(t).append('\n');
                x = y;
            }
            String neg = fresh();
            body.append("  ").append(neg).append(" = arith.negf ").append(x).append(" : ").append(t).append('\n');
            print(neg, shape);
            // fused generic: tanh(max(x*y, 0)) + exp(-|x|) style body with a cmpf/select
            String id = map(shape.length == 1 ? "(d0) -> (d0)" : "(d0, d1) -> (d0, d1)");
            String iters = shape.length == 1 ? "[\"parallel\"]" : "[\"parallel\", \"parallel\"]";
            String e = fresh();
            body.append("  ").append(e).append(" = tensor.empty() : ").append(t).append('\n');
            String zero = fresh();
            body.append("  ").append(zero).append(" = arith.constant 0.0 : f32\n");
            String g = fresh();
            body.append("  ").append(g).append(" = linalg.generic {indexing_maps = [").append(id).append(", ").append(id)
                    .append(", ").append(id).append("], iterator_types = ").append(iters).append("} ins(").append(neg).append(", ")
                    .append(b).append(" : ").append(t).append(", ").append(t).append(") outs(").append(e).append(" : ").append(t)
                    .append(") {\n  ^bb0(%x: f32, %y: f32, %o: f32):\n")
                    .append("    %p = arith.mulf %x, %y : f32\n")
                    .append("    %c = arith.cmpf ").append(r.nextBoolean() ? "olt" : "ogt").append(", %p, ").append(zero).append(" : f32\n")
                    .append("    %s = arith.select %c, %p, %y : f32\n")
                    .append("    %h = math.tanh %s : f32\n")
                    .append("    %q = math.exp %x : f32\n")
                    .append("    %z = arith.divf %h, %q : f32\n")
                    .append("    linalg.yield %z : f32\n  } -> ").append(t).append('\n');
            print(g, shape);
            // matmul with a non-zero C
            int m = 1 + r.nextInt(17);
            int k = 1 + r.nextInt(17);
            int n = 1 + r.nextInt(17);
            String ma = constant(m, k);
            String mb = constant(k, n);
            String mc = constant(m, n);
            String mm = fresh();
            body.append("  ").append(mm).append(" = linalg.matmul ins(").append(ma).append(", ").append(mb).append(" : ")
                    .append(type(m, k)).append(", ").append(type(k, n)).append(") outs(").append(mc).append(" : ").append(type(m, n))
                    .append(") -> ").append(type(m, n)).append('\n');
            print(mm, m, n);
            // generic reduction over one dim of a 3-d tensor, the output transposed
            int[] s3 = {1 + r.nextInt(5), 1 + r.nextInt(6), 1 + r.nextInt(7)};
            int red = r.nextInt(3);
            String in3 = constant(s3);
            int[] keep = new int[2];
            for (int d = 0, j = 0; d < 3; d++) {
                if (d != red) {
                    keep[j++] = d;
                }
            }
            boolean transpose = r.nextBoolean();
            int[] outShape = transpose ? new int[] {s3[keep[1]], s3[keep[0]]} : new int[] {s3[keep[0]], s3[keep[1]]};
            String outMap = map("(d0, d1, d2) -> (d" + (transpose ? keep[1] : keep[0]) + ", d" + (transpose ? keep[0] : keep[1]) + ")");
            String inMap = map("(d0, d1, d2) -> (d0, d1, d2)");
            String e2 = fresh();
            body.append("  ").append(e2).append(" = tensor.empty() : ").append(type(outShape)).append('\n');
            boolean max = r.nextBoolean();
            String init = fresh();
            body.append("  ").append(init).append(" = arith.constant ").append(max ? "-1.0e30" : "0.0").append(" : f32\n");
            String acc = fresh();
            body.append("  ").append(acc).append(" = linalg.fill ins(").append(init).append(" : f32) outs(").append(e2).append(" : ")
                    .append(type(outShape)).append(") -> ").append(type(outShape)).append('\n');
            String[] it = {"\"parallel\"", "\"parallel\"", "\"parallel\""};
            it[red] = "\"reduction\"";
            String rr = fresh();
            body.append("  ").append(rr).append(" = linalg.generic {indexing_maps = [").append(inMap).append(", ").append(outMap)
                    .append("], iterator_types = [").append(String.join(", ", it)).append("]} ins(").append(in3).append(" : ")
                    .append(type(s3)).append(") outs(").append(acc).append(" : ").append(type(outShape))
                    .append(") {\n  ^bb0(%x: f32, %o: f32):\n    %r = ").append(max ? "arith.maximumf" : "arith.addf")
                    .append(" %x, %o : f32\n    linalg.yield %r : f32\n  } -> ").append(type(outShape)).append('\n');
            print(rr, outShape);
            return maps + "func.func @main() {\n" + body + prints + "  return\n}\nfunc.func private @printMemrefF32(%ptr : tensor<*xf32>)\n";
        }
    }
}
