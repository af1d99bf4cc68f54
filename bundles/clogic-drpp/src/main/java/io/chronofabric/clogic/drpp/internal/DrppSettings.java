package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.bus.Channels;
import io.chronofabric.api.clogic.InputBinding;
import io.chronofabric.clogic.drpp.internal.algo.DiscreteTransferEntropy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A checked copy of {@link DrppConfig}: every key in range, windows within {@code memory}. The
 * constructor throws IllegalArgumentException naming the key and the value that was wrong.
 */
final class DrppSettings {

    /** One transfer entropy pair. */
    record Pair(String source, String target) {
        @Override
        public String toString() {
            return source + "->" + target;
        }
    }

    final boolean enabled;
    final List<InputBinding> inputs;
    final String modulationChannel;
    final String governanceChannel;
    final String outputChannel;
    final double sampleRate;
    final int memory;
    final int maxStreams;
    final double[] goertzelFrequencies;
    final int goertzelBlock;
    final double goertzelMinSnr;
    final int fftWindow;
    final int fftHop;
    final double fftMinSnr;
    final int fftPeaks;
    final List<Pair> pairs;
    final int teK;
    final int teL;
    final int teBins;
    final int teWindow;
    final double teMinBits;
    final int ksgPeriod;
    final int ksgWindow;
    final int ksgNeighbours;
    final int ksgSurrogates;
    final double ksgMaxP;
    final double coupling;
    final int kuramotoIntervalMs;
    final double kuramotoGain;
    final double coherenceThreshold;
    final double cusumDrift;
    final double cusumThreshold;
    final int cusumWarmup;
    final boolean cusum;
    final boolean bocpd;
    final double bocpdLambda;
    final int bocpdMaxRun;
    final int bocpdLag;
    final double bocpdThreshold;
    final int mpM;
    final int mpWindow;
    final int mpPeriod;
    final double mpMotifDistance;
    final double mpDiscordDistance;
    final int eventsKept;
    final int snapshotIntervalSeconds;

    DrppSettings(DrppConfig c) {
        enabled = c.enabled();
        try {
            inputs = InputBinding.parseAll(c.inputs() == null ? new String[0] : c.inputs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inputs: " + e.getMessage(), e);
        }
        modulationChannel = channel("modulation.channel", c.modulation_channel(), true);
        governanceChannel = channel("governance.channel", c.governance_channel(), true);
        outputChannel = channel("output.channel", c.output_channel(), false);
        sampleRate = positive("sample.rate", c.sample_rate());
        memory = range("memory", c.memory(), 64, 1 << 20);
        maxStreams = range("max.streams", c.max_streams(), 1, 256);
        goertzelFrequencies = doubles("goertzel.frequencies", c.goertzel_frequencies());
        for (double f : goertzelFrequencies) {
            if (!(f >= 0) || f > sampleRate / 2) {
                throw new IllegalArgumentException("goertzel.frequencies: " + f + " Hz is outside [0, sample.rate/2 = "
                        + sampleRate / 2 + "]");
            }
        }
        goertzelBlock = range("goertzel.block", c.goertzel_block(), 2, memory);
        goertzelMinSnr = nonNegative("goertzel.min.snr", c.goertzel_min_snr());
        fftWindow = c.fft_window();
        if (fftWindow != 0) {
            range("fft.window", fftWindow, 8, memory);
            if (Integer.bitCount(fftWindow) != 1) {
                throw new IllegalArgumentException("fft.window must be a power of two (or 0 = off), was " + fftWindow);
            }
        }
        fftHop = fftWindow == 0 ? 1 : range("fft.hop", c.fft_hop(), 1, fftWindow);
        fftMinSnr = nonNegative("fft.min.snr", c.fft_min_snr());
        fftPeaks = range("fft.peaks", c.fft_peaks(), 1, 16);
        pairs = pairs(c.te_pairs());
        teK = range("te.k", c.te_k(), 1, 16);
        teL = range("te.l", c.te_l(), 1, 16);
        teBins = range("te.bins", c.te_bins(), 2, 64);
        try {
            DiscreteTransferEntropy.checkParameters(teBins, teK, teL);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("te.bins/te.k/te.l: " + e.getMessage(), e);
        }
        teWindow = range("te.window", c.te_window(), 16, memory);
        teMinBits = nonNegative("te.min.bits", c.te_min_bits());
        ksgPeriod = range("ksg.period", c.ksg_period(), 0, Integer.MAX_VALUE);
        ksgWindow = range("ksg.window", c.ksg_window(), 32, memory);
        ksgNeighbours = range("ksg.neighbours", c.ksg_neighbours(), 1, 64);
        if (ksgWindow - Math.max(teK, teL) <= ksgNeighbours + 1) {
            throw new IllegalArgumentException("ksg.window " + ksgWindow + " is too small for ksg.neighbours " + ksgNeighbours);
        }
        ksgSurrogates = range("ksg.surrogates", c.ksg_surrogates(), 0, 1000);
        ksgMaxP = unit("ksg.max.p", c.ksg_max_p());
        coupling = nonNegative("kuramoto.coupling", c.kuramoto_coupling());
        kuramotoIntervalMs = range("kuramoto.interval.ms", c.kuramoto_interval_ms(), 10, 60_000);
        kuramotoGain = unit("kuramoto.gain", c.kuramoto_gain());
        coherenceThreshold = unit("coherence.threshold", c.coherence_threshold());
        cusumDrift = nonNegative("cusum.drift", c.cusum_drift());
        cusumThreshold = positive("cusum.threshold", c.cusum_threshold());
        cusumWarmup = range("cusum.warmup", c.cusum_warmup(), 2, memory);
        String method = c.changepoint_method() == null ? "" : c.changepoint_method().trim().toLowerCase(java.util.Locale.ROOT);
        switch (method) {
            case "cusum" -> { cusum = true; bocpd = false; }
            case "bocpd" -> { cusum = false; bocpd = true; }
            case "both" -> { cusum = true; bocpd = true; }
            default -> throw new IllegalArgumentException("changepoint.method must be cusum, bocpd or both, was '" + c.changepoint_method() + "'");
        }
        bocpdLambda = range("bocpd.lambda", c.bocpd_lambda(), 1.000001, 1e12);
        bocpdMaxRun = range("bocpd.max.run", c.bocpd_max_run(), 8, 65536);
        bocpdLag = range("bocpd.lag", c.bocpd_lag(), 1, bocpdMaxRun / 4);
        bocpdThreshold = range("bocpd.threshold", c.bocpd_threshold(), 1e-6, 1 - 1e-6);
        mpWindow = range("mp.window", c.mp_window(), 16, memory);
        mpM = range("mp.m", c.mp_m(), 4, mpWindow / 2 - 1);
        mpPeriod = range("mp.period", c.mp_period(), 0, Integer.MAX_VALUE);
        mpMotifDistance = range("mp.motif.distance", c.mp_motif_distance(), 0, Math.sqrt(2));
        mpDiscordDistance = range("mp.discord.distance", c.mp_discord_distance(), 0, 2);
        eventsKept = range("events.kept", c.events_kept(), 1, 10_000);
        snapshotIntervalSeconds = range("snapshot.interval.seconds", c.snapshot_interval_seconds(), 0, 86_400);
    }

    /** Stream names the TE pairs need. */
    Set<String> pairStreams() {
        Set<String> s = new LinkedHashSet<>();
        for (Pair p : pairs) {
            s.add(p.source());
            s.add(p.target());
        }
        return s;
    }

    private static String channel(String key, String value, boolean emptyAllowed) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            if (emptyAllowed) {
                return "";
            }
            throw new IllegalArgumentException(key + " must name a channel");
        }
        try {
            return Channels.requireValid(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static int range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], was " + v);
        }
        return v;
    }

    private static double range(String key, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], was " + v);
        }
        return v;
    }

    private static double positive(String key, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(key + " must be a positive finite number, was " + v);
        }
        return v;
    }

    private static double nonNegative(String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(key + " must be a finite number >= 0, was " + v);
        }
        return v;
    }

    private static double unit(String key, double v) {
        return range(key, v, 0, 1);
    }

    private static List<String> entries(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                for (String part : v.split(",")) {
                    String t = part.trim();
                    if (!t.isEmpty()) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    private static double[] doubles(String key, String[] values) {
        List<String> e = entries(values);
        double[] out = new double[e.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(e.get(i));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(key + ": '" + e.get(i) + "' is not a number");
            }
        }
        return out;
    }

    private static List<Pair> pairs(String[] values) {
        List<Pair> out = new ArrayList<>();
        for (String e : entries(values)) {
            int arrow = e.indexOf("->");
            if (arrow <= 0 || arrow + 2 >= e.length()) {
                throw new IllegalArgumentException("te.pairs: '" + e + "' is not SOURCE->TARGET");
            }
            String s = e.substring(0, arrow).trim(), t = e.substring(arrow + 2).trim();
            if (s.isEmpty() || t.isEmpty() || s.equals(t)) {
                throw new IllegalArgumentException("te.pairs: '" + e + "' needs two different stream names");
            }
            out.add(new Pair(s, t));
        }
        return List.copyOf(out);
    }
}
