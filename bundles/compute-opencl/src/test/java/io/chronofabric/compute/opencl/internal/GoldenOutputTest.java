package io.chronofabric.compute.opencl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ModuleSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden programs whose outputs mlir-opt-19 | mlir-cpu-runner-19 produced (committed by the CPU backend,
 * bundles/compute-cpu/src/test/resources/golden, including upstream's test-tensor-matmul.mlir) run on OpenCL:
 * the printed text must match, base addresses aside, with every number within 2e-5 relative (6 printed digits).
 */
class GoldenOutputTest {

    private static final Path GOLDEN = Path.of("../compute-cpu/src/test/resources/golden");
    private static final Pattern NUMBER = Pattern.compile("-?(?:nan|inf|\\d+(?:\\.\\d+)?(?:e[-+]\\d+)?)");
    private static OpenClBackend backend;
    private static final List<String> printed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void open() {
        backend = new OpenClBackend();
        backend.open("", "ALL");
        backend.printSink(printed::add);
        if (!backend.isAvailable()) {
            System.err.println("SKIPPED GoldenOutputTest: " + backend.unavailableReason().orElse("?"));
        }
    }

    @AfterAll
    static void close() {
        backend.deactivate();
    }

    static Stream<String> programs() throws Exception {
        if (!Files.isDirectory(GOLDEN)) {
            System.err.println("SKIPPED GoldenOutputTest: no " + GOLDEN.toAbsolutePath());
            return Stream.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(GOLDEN)) {
            s.filter(p -> p.toString().endsWith(".mlir") && Files.exists(Path.of(p + "").resolveSibling(
                    p.getFileName().toString().replace(".mlir", ".out")))).forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names.stream();
    }

    private static String skeleton(String text) {
        return NUMBER.matcher(text.replaceAll("base@ = 0x[0-9a-f]+", "base@")).replaceAll("#");
    }

    private static List<String> numbers(String text) {
        Matcher m = NUMBER.matcher(text.replaceAll("base@ = 0x[0-9a-f]+", "base@"));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("programs")
    void shouldPrintWhatMlirCpuRunnerPrinted(String name) throws Exception {
        assumeTrue(backend.isAvailable(), () -> "no OpenCL device: " + backend.unavailableReason().orElse(""));
        String text = Files.readString(GOLDEN.resolve(name), StandardCharsets.UTF_8);
        String golden = Files.readString(GOLDEN.resolve(name.replace(".mlir", ".out")), StandardCharsets.UTF_8);
        printed.clear();
        CompiledModule m = backend.compile(new ModuleSource(name, "mlir", text));
        try {
            backend.execute(m, "main", List.of()).toCompletableFuture().get(120, TimeUnit.SECONDS);
        } finally {
            m.release();
        }
        String got = String.join("", printed);
        assertThat(skeleton(got).trim()).isEqualTo(skeleton(golden).trim());
        List<String> a = numbers(got);
        List<String> b = numbers(golden);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals(b.get(i))) {
                continue;
            }
            double x = Double.parseDouble(a.get(i));
            double y = Double.parseDouble(b.get(i));
            assertThat(Math.abs(x - y)).as("number %d: OpenCL %s, mlir-cpu-runner %s", i, a.get(i), b.get(i))
                    .isLessThanOrEqualTo(2e-5 * Math.abs(y) + 1e-6);
        }
        assertThat(backend.liveAllocations()).isZero();
    }
}
