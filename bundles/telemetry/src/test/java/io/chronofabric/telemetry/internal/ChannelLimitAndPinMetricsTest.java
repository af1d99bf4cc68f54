package io.chronofabric.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.TimeOracle;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The bus's per-channel rate limits (bus API 1.3) and the time oracle's pin (scheduler API 1.1) on /metrics. */
class ChannelLimitAndPinMetricsTest {

    private final MetricsCollector all = new MetricsCollector(EnumSet.allOf(Family.class), 50, 50);

    @Test
    void shouldWriteEachChannelLimitUnderItsChannel() throws IOException {
        ChannelThrottle throttle = throttle(List.of(
                new ChannelLimit("egc.lat", 250.0, 10, "egc spec=lat rule=r1", 1_200, 30, 2, 7),
                new ChannelLimit("sensors", 0.5, 1, "operator", 3, 0, 0, 0)));

        String text = scrape(all, throttleOnly(throttle));

        assertThat(text).contains(
                "# TYPE chronofabric_bus_channel_limit_rate_per_second gauge",
                "chronofabric_bus_channel_limit_rate_per_second{channel=\"egc.lat\"} 250.0",
                "chronofabric_bus_channel_limit_rate_per_second{channel=\"sensors\"} 0.5",
                "# TYPE chronofabric_bus_channel_limit_burst gauge",
                "chronofabric_bus_channel_limit_burst{channel=\"egc.lat\"} 10.0",
                "chronofabric_bus_channel_limit_burst{channel=\"sensors\"} 1.0",
                "# TYPE chronofabric_bus_channel_limit_admitted_total counter",
                "chronofabric_bus_channel_limit_admitted_total{channel=\"egc.lat\"} 1200.0",
                "chronofabric_bus_channel_limit_admitted_total{channel=\"sensors\"} 3.0",
                "# TYPE chronofabric_bus_channel_limit_delayed_total counter",
                "chronofabric_bus_channel_limit_delayed_total{channel=\"egc.lat\"} 30.0",
                "# TYPE chronofabric_bus_channel_limit_refused_total counter",
                "chronofabric_bus_channel_limit_refused_total{channel=\"egc.lat\"} 7.0",
                "chronofabric_bus_channel_limit_refused_total{channel=\"sensors\"} 0.0",
                "# TYPE chronofabric_bus_channel_limit_waiting gauge",
                "chronofabric_bus_channel_limit_waiting{channel=\"egc.lat\"} 2.0",
                "chronofabric_bus_channel_limit_waiting{channel=\"sensors\"} 0.0");
        // the reason is free text (a rule, an operator's note): shown by the console, never a label
        assertThat(text).doesNotContain("egc spec=lat", "reason=");
    }

    @Test
    void shouldEscapeChannelNamesInLimitLabels() throws IOException {
        ChannelThrottle throttle = throttle(List.of(new ChannelLimit("a\"b\\c\nd", 100, 5, "", 9, 0, 0, 1)));

        String text = scrape(all, throttleOnly(throttle));

        assertThat(text).contains("chronofabric_bus_channel_limit_admitted_total{channel=\"a\\\"b\\\\c\\nd\"} 9.0");
        // every sample line stays one line
        assertThat(text.lines().filter(l -> l.startsWith("chronofabric_bus_channel_limit_")))
                .hasSize(6).allMatch(l -> l.startsWith("chronofabric_bus_channel_limit_") && l.contains("{channel=\"a\\\"b"));
    }

    @Test
    void shouldWriteNoLimitSeriesWithoutALimitWithoutTheThrottleOrWithTheBusFamilyOff() throws IOException {
        ChannelThrottle one = throttle(List.of(new ChannelLimit("x", 1, 1, "", 0, 0, 0, 0)));

        String none = scrape(all, throttleOnly(throttle(List.of())));
        String absent = scrape(all, throttleOnly(null));
        String off = scrape(new MetricsCollector(EnumSet.complementOf(EnumSet.of(Family.BUS)), 50, 50), throttleOnly(one));

        assertThat(none).doesNotContain("chronofabric_bus_channel_limit");
        assertThat(absent).doesNotContain("chronofabric_bus_channel_limit");
        assertThat(off).doesNotContain("chronofabric_bus_channel_limit");
        // the same collector writes them once a limit is in force
        assertThat(scrape(all, throttleOnly(one))).contains("chronofabric_bus_channel_limit_burst{channel=\"x\"} 1.0");
    }

    @Test
    void shouldDropOnlyTheLimitsWhenTheThrottleThrows() throws IOException {
        ChannelThrottle failing = Fakes.port(ChannelThrottle.class, Map.of("limits", () -> {
            throw new IllegalStateException("bus stopping");
        }));
        Sources s = new Sources(null, null, null, null, null, null, null, List.of(), List.of(), null, null, null, null, failing);

        String text = scrape(all, s);

        assertThat(text).doesNotContain("chronofabric_bus_channel_limit").contains("jvm_threads_current");
    }

    @Test
    void shouldMarkThePinnedHintAndItsRemainingTime() throws IOException {
        TimeOracle oracle = oracle(OptimizationHint.MAXIMIZE_THROUGHPUT,
                () -> Optional.of(new HintPin(OptimizationHint.MAXIMIZE_THROUGHPUT, "operator: load test", 1_500_000_000L)));

        String text = scrape(all, oracleOnly(oracle));

        assertThat(text).contains("# TYPE chronofabric_oracle_pinned gauge",
                "chronofabric_oracle_pinned{hint=\"MAXIMIZE_THROUGHPUT\"} 1.0",
                "chronofabric_oracle_pinned{hint=\"MINIMIZE_LATENCY\"} 0.0",
                "chronofabric_oracle_pinned{hint=\"BALANCED\"} 0.0",
                "chronofabric_oracle_pin_remaining_seconds 1.5",
                "chronofabric_oracle_hint{chronofabric_oracle_hint=\"MAXIMIZE_THROUGHPUT\"} 1");
        assertThat(text.lines().filter(l -> l.startsWith("chronofabric_oracle_pinned{"))).hasSize(3);
    }

    @Test
    void shouldWriteAllHintsUnpinnedWhenNoPinHolds() throws IOException {
        String text = scrape(all, oracleOnly(oracle(OptimizationHint.BALANCED, Optional::empty)));

        assertThat(text.lines().filter(l -> l.startsWith("chronofabric_oracle_pinned{")))
                .hasSize(3).allMatch(l -> l.endsWith("} 0.0"));
        assertThat(text).doesNotContain("chronofabric_oracle_pin_remaining_seconds");
    }

    @Test
    void shouldWriteNoRemainingTimeForAPinUntilUnpinned() throws IOException {
        TimeOracle oracle = oracle(OptimizationHint.MINIMIZE_LATENCY,
                () -> Optional.of(new HintPin(OptimizationHint.MINIMIZE_LATENCY, "", HintPin.UNTIL_UNPINNED)));

        String text = scrape(all, oracleOnly(oracle));

        assertThat(text).contains("chronofabric_oracle_pinned{hint=\"MINIMIZE_LATENCY\"} 1.0")
                .doesNotContain("chronofabric_oracle_pin_remaining_seconds");
    }

    @Test
    void shouldKeepTheHintWhenThePinCannotBeReadAndWriteNothingWithoutAnOracle() throws IOException {
        TimeOracle failing = oracle(OptimizationHint.BALANCED, () -> {
            throw new IllegalStateException("oracle stopping");
        });

        String text = scrape(all, oracleOnly(failing));
        String absent = scrape(all, oracleOnly(null));
        String off = scrape(new MetricsCollector(EnumSet.of(Family.BUS), 50, 50),
                oracleOnly(oracle(OptimizationHint.BALANCED, () -> Optional.of(new HintPin(OptimizationHint.BALANCED, "", 1)))));

        assertThat(text).contains("chronofabric_oracle_hint{chronofabric_oracle_hint=\"BALANCED\"} 1")
                .doesNotContain("chronofabric_oracle_pin");
        assertThat(absent).doesNotContain("chronofabric_oracle_");
        assertThat(off).doesNotContain("chronofabric_oracle_");
    }

    private static String scrape(MetricsCollector c, Sources s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, c.collect(s), EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Sources throttleOnly(ChannelThrottle throttle) {
        return new Sources(null, null, null, null, null, null, null, List.of(), List.of(), null, null, null, null, throttle);
    }

    private static Sources oracleOnly(TimeOracle oracle) {
        return new Sources(null, null, null, oracle, null, null, null, List.of());
    }

    private static ChannelThrottle throttle(List<ChannelLimit> limits) {
        return Fakes.port(ChannelThrottle.class, Map.of("limits", () -> limits));
    }

    private static TimeOracle oracle(OptimizationHint current, Supplier<Optional<HintPin>> pinned) {
        return Fakes.port(TimeOracle.class, Map.of("currentHint", () -> current, "pinned", pinned));
    }
}
