package io.chronofabric.compute.cpu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.compute.mlir.MlirParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend reproduces the outputs MLIR's own tools printed for the same programs
 * (src/test/resources/golden/*.out, made by regenerate.sh with mlir-opt-19 + mlir-cpu-runner-19),
 * the upstream test-tensor-matmul.mlir included; only the printed base address differs.
 */
class GoldenOutputTest {

    private static final Path DIR = Path.of(System.getProperty("chronofabric.golden.dir", "src/test/resources/golden"));
    private static final Pattern BASE = Pattern.compile("base@ = 0x[0-9a-f]+");
    private static CpuEngine engine;

    @BeforeAll
    static void start() {
        engine = new CpuEngine(2, true);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static String run(CpuEngine engine, String text) {
        CpuProgram p = new CpuProgram(MlirParser.parse(text), () -> engine);
        StringBuilder out = new StringBuilder();
        p.function("main").run(new CpuTensor[0], new CpuProgram.Context(out));
        return out.toString();
    }

    private static String masked(String s) {
        return BASE.matcher(s).replaceAll("base@ = 0x?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"test-tensor-matmul", "elementwise", "reductions", "integers"})
    void shouldPrintWhatMlirCpuRunnerPrinted(String name) throws IOException {
        String program = Files.readString(DIR.resolve(name + ".mlir"), StandardCharsets.UTF_8);
        String golden = Files.readString(DIR.resolve(name + ".out"), StandardCharsets.UTF_8);

        assertThat(masked(run(engine, program))).isEqualTo(masked(golden));
    }

    @Test
    void shouldAgreeWithTheCheckLinesOfTheUpstreamTestBothInTheGoldenOutputAndOurs() throws IOException {
        String program = Files.readString(DIR.resolve("test-tensor-matmul.mlir"), StandardCharsets.UTF_8);
        String golden = Files.readString(DIR.resolve("test-tensor-matmul.out"), StandardCharsets.UTF_8);
        List<String> checks = program.lines().map(String::trim).filter(l -> l.startsWith("// CHECK") || l.startsWith("//      CHECK"))
                .toList();
        assertThat(checks).hasSize(4);

        assertThat(fileCheck(checks, golden)).as("mlir-cpu-runner-19's output against the CHECK lines").isEmpty();
        assertThat(fileCheck(checks, run(engine, program))).as("the CPU backend's output against the CHECK lines").isEmpty();
        assertThat(fileCheck(checks, golden.replace("1128", "1129"))).as("a wrong value is caught").isNotEmpty();
    }

    /** A small FileCheck: CHECK (a later line), CHECK-SAME (same line, further on), CHECK-NEXT (the next line); {{regex}}. */
    static List<String> fileCheck(List<String> checks, String output) {
        List<String> problems = new ArrayList<>();
        List<String> lines = output.lines().toList();
        int line = -1;
        int col = 0;
        for (String c : checks) {
            String body = c.replaceFirst("^//\\s*", "");
            String kind = body.substring(0, body.indexOf(':'));
            Pattern p = Pattern.compile(toRegex(body.substring(body.indexOf(':') + 1).trim()));
            boolean found = false;
            switch (kind) {
                case "CHECK" -> {
                    for (int i = line + 1; i < lines.size() && !found; i++) {
                        var m = p.matcher(lines.get(i));
                        if (m.find()) {
                            line = i;
                            col = m.end();
                            found = true;
                        }
                    }
                }
                case "CHECK-SAME" -> {
                    var m = p.matcher(lines.get(line));
                    if (m.find(col)) {
                        col = m.end();
                        found = true;
                    }
                }
                case "CHECK-NEXT" -> {
                    if (line + 1 < lines.size()) {
                        var m = p.matcher(lines.get(line + 1));
                        if (m.find()) {
                            line++;
                            col = m.end();
                            found = true;
                        }
                    }
                }
                default -> problems.add("unknown check " + kind);
            }
            if (!found) {
                problems.add(c + " not matched after line " + (line + 1));
                return problems;
            }
        }
        return problems;
    }

    private static String toRegex(String pattern) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf("{{", i);
            if (open < 0) {
                b.append(Pattern.quote(pattern.substring(i)));
                break;
            }
            b.append(Pattern.quote(pattern.substring(i, open)));
            int close = pattern.indexOf("}}", open);
            b.append(pattern, open + 2, close);
            i = close + 2;
        }
        return b.toString();
    }
}
