package io.chronofabric.clogic.drpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DrppEngineTest {

    final List<PatternEvent> events = new CopyOnWriteArrayList<>();

    DrppEngine engine(Map<String, Object> overrides) {
        return new DrppEngine(TestConfigs.settings(overrides), events::add, Runnable::run, () -> 42L);
    }

    List<PatternEvent> of(PatternKind kind) {
        List<PatternEvent> out = new ArrayList<>();
        for (PatternEvent e : events) {
            if (e.kind() == kind) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void shouldReportAToneAtAGoertzelFrequencyAndAsAnFftPeak() {
        DrppEngine e = engine(Map.of("sample_rate", 64.0, "goertzel_frequencies", new String[] {"8, 9"}, "goertzel_block", 64,
                "fft_window", 256, "fft_hop", 64, "mp_period", 0));
        for (int n = 0; n < 1024; n++) {
            e.onSample("tone", Math.cos(2 * Math.PI * 8 * n / 64), n);
        }
        List<PatternEvent> res = of(PatternKind.RESONANCE);
        PatternEvent goertzel = res.stream().filter(x -> x.detail().equals("goertzel")).findFirst().orElseThrow();
        assertThat(goertzel.value(PatternEvent.FREQUENCY)).isEqualTo(8.0);
        assertThat(goertzel.value(PatternEvent.POWER)).isCloseTo(1024.0, within(1e-6));
        assertThat(res.stream().filter(x -> x.detail().equals("goertzel")).count()).as("rising edge only").isEqualTo(1);
        PatternEvent fft = res.stream().filter(x -> x.detail().startsWith("fft")).findFirst().orElseThrow();
        assertThat(fft.value(PatternEvent.FREQUENCY)).isCloseTo(8.0, within(0.05));
        assertThat(fft.streams()).containsExactly("tone");
        assertThat(e.stream("tone").dominantFrequency).isCloseTo(8.0, within(0.05));
    }

    @Test
    void shouldPublishInformationFlowForACopyingPairWithBothEstimatorsAndNoneForTheReverse() {
        DrppEngine e = engine(Map.of("te_pairs", new String[] {"x->y, y->x"}, "te_window", 512, "ksg_period", 1024, "ksg_window", 1024,
                "ksg_surrogates", 19, "fft_window", 0, "mp_period", 0));
        SplittableRandom r = new SplittableRandom(1);
        double prev = 0;
        for (int t = 0; t < 2048; t++) {
            double x = KsgGaussian.next(r);
            e.onSample("x", x, t);
            e.onSample("y", 0.8 * prev + 0.6 * KsgGaussian.next(r), t);
            prev = x;
        }
        List<PatternEvent> flow = of(PatternKind.INFORMATION_FLOW);
        assertThat(flow).isNotEmpty();
        assertThat(flow).allSatisfy(f -> assertThat(f.streams()).containsExactly("x", "y"));
        assertThat(flow.stream().filter(f -> f.detail().startsWith("discrete")).findFirst().orElseThrow().value(PatternEvent.TE)).isGreaterThan(0.1);
        PatternEvent ksg = flow.stream().filter(f -> f.detail().startsWith("ksg")).findFirst().orElseThrow();
        assertThat(ksg.value(PatternEvent.P)).isEqualTo(0.05);
        assertThat(ksg.value(PatternEvent.TE)).isGreaterThan(0.2);
        PairState reverse = e.pairs().stream().filter(p -> p.pair.source().equals("y")).findFirst().orElseThrow();
        assertThat(reverse.lastBits).isLessThan(0.05);
    }

    @Test
    void shouldReportALevelShiftAsAChangepoint() {
        DrppEngine e = engine(Map.of("fft_window", 0, "mp_period", 0));
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 1000; t++) {
            e.onSample("level", KsgGaussian.next(r) + (t >= 600 ? 3 : 0), t);
        }
        List<PatternEvent> cp = of(PatternKind.CHANGEPOINT);
        assertThat(cp).hasSize(1);
        assertThat(cp.get(0).value(PatternEvent.INDEX)).isBetween(601.0, 620.0);
        assertThat(cp.get(0).detail()).isEqualTo("cusum up");
    }

    @Test
    void shouldReportALevelShiftWithBayesianOnlineChangepointDetectionToo() {
        DrppEngine e = engine(Map.of("fft_window", 0, "mp_period", 0, "changepoint_method", "both"));
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 1000; t++) {
            e.onSample("level", KsgGaussian.next(r) + (t >= 600 ? 3 : 0), t);
        }
        List<PatternEvent> cp = of(PatternKind.CHANGEPOINT);
        assertThat(cp).extracting(PatternEvent::detail).containsExactlyInAnyOrder("cusum up", "bocpd run <= 5");
        PatternEvent bocpd = cp.stream().filter(c -> c.detail().startsWith("bocpd")).findFirst().orElseThrow();
        assertThat(bocpd.value(PatternEvent.INDEX)).isBetween(601.0, 620.0);
        assertThat(bocpd.value(PatternEvent.PROBABILITY)).isGreaterThan(0.8);
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("changepoint_method", "tarot"))).hasMessageContaining("changepoint.method");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("bocpd_lag", 100))).hasMessageContaining("bocpd.lag");
    }

    @Test
    void shouldCountNaNAndStreamsBeyondTheLimitAsSkippedAndGoOn() {
        DrppEngine e = engine(Map.of("max_streams", 2, "fft_window", 0, "mp_period", 0));
        assertThat(e.onSample("a", Double.NaN, 0)).isFalse();
        assertThat(e.onSample("a", Double.POSITIVE_INFINITY, 0)).isFalse();
        assertThat(e.onSample("a", 1, 0)).isTrue();
        assertThat(e.onSample("b", 1, 0)).isTrue();
        assertThat(e.onSample("c", 1, 0)).isFalse();
        assertThat(e.skipped.get()).isEqualTo(3);
        assertThat(e.tooManyStreams.get()).isEqualTo(1);
        assertThat(e.onSample("a", 2, 0)).isTrue();
        assertThat(e.processed()).isEqualTo(3);
    }

    @Test
    void shouldLowerThresholdsWithArousal() {
        // a weak tone: SNR between 0.5x and 1x the threshold
        Map<String, Object> cfg = Map.of("sample_rate", 64.0, "goertzel_frequencies", new String[] {"8"}, "goertzel_block", 64,
                "goertzel_min_snr", 10.0, "fft_window", 0, "mp_period", 0);
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[64 * 20];
        for (int n = 0; n < x.length; n++) {
            x[n] = 0.45 * Math.cos(2 * Math.PI * 8 * n / 64) + KsgGaussian.next(r);
        }
        DrppEngine calm = engine(cfg);
        calm.modulate(0.5);
        for (double v : x) {
            calm.onSample("s", v, 0);
        }
        int atNeutral = of(PatternKind.RESONANCE).size();
        events.clear();
        DrppEngine aroused = engine(cfg);
        aroused.modulate(1.0);
        assertThat(aroused.factor()).isEqualTo(0.5);
        for (double v : x) {
            aroused.onSample("s", v, 0);
        }
        assertThat(of(PatternKind.RESONANCE).size()).isGreaterThan(atNeutral);
    }

    @Test
    void shouldSwitchAnalysesOffAndChangeRatesOnGovernance() {
        DrppEngine e = engine(Map.of("sample_rate", 64.0, "fft_window", 64, "fft_hop", 64, "mp_period", 0));
        String line = e.govern(new GovernanceDecision("drpp", "resonance", GovernanceAction.DISABLE, 0, "too chatty", 1));
        assertThat(line).contains("DISABLE resonance");
        for (int n = 0; n < 512; n++) {
            e.onSample("tone", Math.cos(2 * Math.PI * 8 * n / 64), n);
        }
        assertThat(of(PatternKind.RESONANCE)).isEmpty();
        e.govern(new GovernanceDecision("drpp", "*", GovernanceAction.ENABLE, 0, "back", 2));
        e.govern(new GovernanceDecision("drpp", "ksg", GovernanceAction.SET_RATE, 4, "more often", 3));
        assertThat(e.scaled(DrppEngine.KSG, 4096)).isEqualTo(1024);
        assertThat(e.switches()).containsEntry("resonance", true);
        assertThat(e.govern(new GovernanceDecision("drpp", "astrology", GovernanceAction.DISABLE, 0, "?", 4))).contains("unknown analysis");
    }

    @Test
    void shouldRestoreItsStateFromASnapshotWithoutRepublishing() {
        Map<String, Object> cfg = Map.of("te_pairs", new String[] {"x->y"}, "te_window", 256, "ksg_period", 0, "fft_window", 0, "mp_period", 0);
        DrppEngine first = engine(cfg);
        SplittableRandom r = new SplittableRandom(4);
        int prev = 0;
        for (int t = 0; t < 6000; t++) {
            int x = r.nextInt(2);
            first.onSample("x", x, t);
            first.onSample("y", prev, t);
            prev = x;
        }
        first.onSample("x", Double.NaN, 0);
        Properties snap = first.snapshot();
        double bitsBefore = first.pairs().get(0).discrete.value();
        events.clear();
        DrppEngine second = engine(cfg);
        second.restore(snap);
        assertThat(events).isEmpty();
        assertThat(second.processed()).isEqualTo(first.processed()).isEqualTo(12000);
        assertThat(second.skipped.get()).isEqualTo(1);
        assertThat(second.stream("x").samples).isEqualTo(6000);
        assertThat(second.pairs().get(0).discrete.value()).isCloseTo(bitsBefore, within(0.02));
        second.onSample("x", 1, 0);
        assertThat(second.processed()).isEqualTo(12001);
        Properties broken = new Properties();
        broken.setProperty("format", "7");
        assertThatThrownBy(() -> engine(cfg).restore(broken)).hasMessageContaining("format '7'");
    }

    @Test
    void shouldSeeTwoInPhaseStreamsAsCoherentAndLocked() {
        DrppEngine e = engine(Map.of("sample_rate", 100.0, "fft_window", 128, "fft_hop", 32, "mp_period", 0, "coherence_threshold", 0.9));
        int n = 0;
        for (int tick = 0; tick < 20; tick++) {
            for (int j = 0; j < 20; j++, n++) { // 0.2 s of samples at 100 Hz per tick
                e.onSample("a", Math.sin(2 * Math.PI * 5 * n / 100.0), n);
                e.onSample("b", Math.sin(2 * Math.PI * 5 * n / 100.0 + 0.2), n);
            }
            e.kuramotoTick(0.2);
        }
        assertThat(e.oscillatorCount).isEqualTo(2);
        assertThat(e.orderParameter).isBetween(0.9, 1.0);
        assertThat(e.orderParameter).isCloseTo(Math.cos(0.1), within(0.05));
        for (int tick = 0; tick < DrppEngine.STALE_TICKS + 1; tick++) {
            e.kuramotoTick(0.2);
        }
        assertThat(e.oscillatorCount).as("streams that stopped leave the network").isZero();
        List<PatternEvent> coh = of(PatternKind.COHERENCE);
        assertThat(coh).anySatisfy(c -> assertThat(c.streams()).containsExactlyInAnyOrder("a", "b"));
        assertThat(coh.get(0).value(PatternEvent.R)).isGreaterThan(0.9);
    }

    @Test
    void shouldFindAPlantedDiscordWithTheMatrixProfile() {
        DrppEngine e = engine(Map.of("fft_window", 0, "mp_m", 16, "mp_window", 512, "mp_period", 512, "mp_discord_distance", 0.4, "cusum_threshold", 50.0));
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n < 512; n++) {
            double v = Math.sin(2 * Math.PI * n / 32.0) + 0.05 * KsgGaussian.next(r);
            if (n >= 300 && n < 316) {
                v = (n % 2 == 0 ? 1.5 : -1.5);
            }
            e.onSample("s", v, n);
        }
        List<PatternEvent> d = of(PatternKind.DISCORD);
        assertThat(d).as("events %s", events).hasSize(1);
        assertThat(d.get(0).value(PatternEvent.INDEX)).isBetween(300.0 - 16, 316.0);
        assertThat(of(PatternKind.MOTIF)).hasSize(1);
    }

    @Test
    void shouldRefuseBadConfigurationNamingTheKey() {
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("memory", 1024, "fft_window", 2048))).hasMessageContaining("fft.window")
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("fft_window", 100))).hasMessageContaining("power of two");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("te_k", 0))).hasMessageContaining("te.k");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("te_l", 17))).hasMessageContaining("te.l");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("te_bins", 16, "te_k", 4, "te_l", 4))).hasMessageContaining("states");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("ksg_window", 8192))).hasMessageContaining("ksg.window");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("te_pairs", new String[] {"a-b"}))).hasMessageContaining("SOURCE->TARGET");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("sample_rate", 10.0, "goertzel_frequencies", new String[] {"6"})))
                .hasMessageContaining("goertzel.frequencies");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("goertzel_frequencies", new String[] {"abc"}))).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> TestConfigs.settings(Map.of("inputs", new String[] {"bad channel!=number"}))).hasMessageContaining("inputs");
    }

    /** Seeded standard normals. */
    static final class KsgGaussian {
        static double next(SplittableRandom r) {
            return io.chronofabric.clogic.drpp.internal.algo.KsgTransferEntropyAccess.gaussian(r);
        }
    }
}
