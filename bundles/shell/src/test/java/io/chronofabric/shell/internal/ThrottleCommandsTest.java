package io.chronofabric.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.bus.ChannelLimit;
import io.chronofabric.api.bus.ChannelThrottle;
import io.chronofabric.api.scheduler.HintPin;
import io.chronofabric.api.scheduler.OptimizationHint;
import io.chronofabric.api.scheduler.TimeOracle;
import io.chronofabric.api.time.QuantumOffset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** csf:throttle, csf:throttles and csf:oracle against services in memory. */
class ThrottleCommandsTest {

    static final class MemoryThrottle implements ChannelThrottle {
        final Map<String, ChannelLimit> limits = new TreeMap<>();

        @Override
        public ChannelLimit limit(String channel, double rate, int burst, String reason) {
            ChannelLimit l = new ChannelLimit(channel, rate, burst, reason, 0, 0, 0, 0);
            limits.put(channel, l);
            return l;
        }

        @Override
        public Optional<ChannelLimit> clear(String channel) {
            return Optional.ofNullable(limits.remove(channel));
        }

        @Override
        public Optional<ChannelLimit> limitOf(String channel) {
            return Optional.ofNullable(limits.get(channel));
        }

        @Override
        public List<ChannelLimit> limits() {
            return new ArrayList<>(limits.values());
        }
    }

    static final class MemoryOracle implements TimeOracle {
        HintPin pin;

        @Override
        public OptimizationHint currentHint() {
            return pin == null ? OptimizationHint.BALANCED : pin.hint();
        }

        @Override
        public String explanation() {
            return pin == null ? "load 0.10" : "pinned to " + pin.hint() + "; the controller says BALANCED: load 0.10";
        }

        @Override
        public QuantumOffset offsetFor(String taskName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HintPin pin(OptimizationHint hint, long nanos, String reason) {
            pin = new HintPin(hint, reason, nanos == 0 ? HintPin.UNTIL_UNPINNED : nanos);
            return pin;
        }

        @Override
        public Optional<HintPin> unpin() {
            Optional<HintPin> p = Optional.ofNullable(pin);
            pin = null;
            return p;
        }

        @Override
        public Optional<HintPin> pinned() {
            return Optional.ofNullable(pin);
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final MemoryThrottle throttle = new MemoryThrottle();
    private final MemoryOracle oracle = new MemoryOracle();

    private String text() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    private ThrottleCommand throttle(String channel, String rate) {
        ThrottleCommand c = new ThrottleCommand();
        c.throttle = throttle;
        c.channel = channel;
        c.rate = rate;
        return c;
    }

    @Test
    void shouldLimitWithTheDefaultBurstListAndClear() {
        throttle("sensor.raw", "100/s").run(out);
        assertThat(text()).isEqualTo("Channel sensor.raw limited to 100 packets/s, burst 100 (console)" + System.lineSeparator());
        ThrottleCommand c = throttle("egc.input", "0.5");
        c.burst = 3;
        c.reason = "maintenance";
        c.run(out);
        assertThat(text()).contains("limited to 0.5 packets/s, burst 3 (maintenance)");
        assertThat(throttle.limits.get("egc.input").burst()).isEqualTo(3);

        ThrottlesCommand list = new ThrottlesCommand();
        list.throttle = throttle;
        list.run(out);
        String[] lines = text().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("CHANNEL    ").contains("RATE/S").contains("REFUSED").endsWith("SET BY");
        assertThat(lines[1]).startsWith("egc.input ").contains(" 0.5 ").endsWith("maintenance");
        assertThat(lines[2]).startsWith("sensor.raw ").contains(" 100 ").endsWith("console");

        ThrottleCommand clear = throttle("sensor.raw", null);
        clear.clear = true;
        clear.run(out);
        assertThat(text()).startsWith("Lifted the limit of channel sensor.raw (100 packets/s, burst 100; 0 admitted");
        clear.run(out);
        assertThat(text()).startsWith("Channel sensor.raw had no limit");
    }

    @Test
    void shouldRefuseBadRatesNamingThem() {
        assertThatThrownBy(() -> throttle("x", "fast").run(out)).hasMessageContaining("rate 'fast' is not a number of packets per second");
        assertThatThrownBy(() -> throttle("x", "0").run(out)).hasMessageContaining("must be > 0 packets per second");
        assertThatThrownBy(() -> throttle("x", null).run(out)).hasMessageContaining("needs a rate in packets/s");
        ThrottleCommand c = throttle("x", "5");
        c.clear = true;
        assertThatThrownBy(() -> c.run(out)).hasMessageContaining("--clear takes only the channel");
        assertThat(ThrottleCommand.defaultBurst(0.2)).isEqualTo(1);
        assertThat(ThrottleCommand.defaultBurst(2e9)).isEqualTo(1_000_000);
    }

    @Test
    void shouldSayWhenNoThrottleServiceIsThere() {
        ThrottlesCommand list = new ThrottlesCommand();
        list.run(out);
        assertThat(text()).startsWith("No ChannelThrottle service is registered");
        ThrottlesCommand empty = new ThrottlesCommand();
        empty.throttle = throttle;
        empty.run(out);
        assertThat(text()).startsWith("No channel has a rate limit");
    }

    @Test
    void shouldPinForADurationAndUnpin() {
        OracleCommand c = new OracleCommand();
        c.oracle = oracle;
        c.pin = "minimize_latency";
        c.duration = "30s";
        c.reason = "load test";
        c.run(out);
        String s = text();
        assertThat(s).startsWith("Oracle hint pinned to MINIMIZE_LATENCY for 30.000 s");
        assertThat(s).contains("Hint        : MINIMIZE_LATENCY").contains("Pin         : MINIMIZE_LATENCY, 30.000 s left (load test)");
        assertThat(oracle.pin.remainingNanos()).isEqualTo(30_000_000_000L);
        OracleCommand u = new OracleCommand();
        u.oracle = oracle;
        u.unpin = true;
        u.run(out);
        assertThat(text()).startsWith("Unpinned the oracle (was MINIMIZE_LATENCY, load test)").contains("Pin         : none (the controller decides)")
                .contains("Explanation : load 0.10");
        u.run(out);
        assertThat(text()).startsWith("The oracle had no pin");
    }

    @Test
    void shouldPinUntilUnpinnedAndRefuseBadOptions() {
        OracleCommand c = new OracleCommand();
        c.oracle = oracle;
        c.pin = "MAXIMIZE_THROUGHPUT";
        c.run(out);
        assertThat(text()).startsWith("Oracle hint pinned to MAXIMIZE_THROUGHPUT until unpinned");
        c.pin = "FAST";
        assertThatThrownBy(() -> c.run(out)).hasMessageContaining("'FAST' is not a hint: use one of [MINIMIZE_LATENCY, MAXIMIZE_THROUGHPUT, BALANCED]");
        c.pin = "BALANCED";
        c.unpin = true;
        assertThatThrownBy(() -> c.run(out)).hasMessageContaining("exclude each other");
        OracleCommand d = new OracleCommand();
        d.oracle = oracle;
        d.duration = "5s";
        assertThatThrownBy(() -> d.run(out)).hasMessageContaining("--for goes with --pin");
        d.pin = "BALANCED";
        d.duration = "0s";
        assertThatThrownBy(() -> d.run(out)).hasMessageContaining("is no time");
        OracleCommand show = new OracleCommand();
        show.run(out);
        assertThat(text()).startsWith("No TimeOracle service is registered");
    }
}
