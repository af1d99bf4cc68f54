package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.clogic.drpp.internal.algo.Bocpd;
import io.chronofabric.clogic.drpp.internal.algo.Cusum;
import io.chronofabric.clogic.drpp.internal.algo.GoertzelBank;
import io.chronofabric.clogic.drpp.internal.algo.SpectralPeaks;
import java.util.List;
import java.util.Map;

/**
 * The per-sample analyses of one stream: a ring of the last {@code memory} values, the Goertzel
 * bank, the FFT peaks, CUSUM, the adaptive binning for the discrete TE, and the TE pairs whose target
 * it is. Written by one thread at a time (the bus calls a handler registration serially); the
 * {@code volatile} fields are what other threads read (pairs, Kuramoto, console).
 */
final class StreamState {

    final String name;
    final int index;
    private final DrppEngine engine;
    private final DrppSettings s;
    private final double[] ring;
    private int head;
    private long count;
    private final GoertzelBank goertzel;
    private final boolean[] resonating;
    private final SpectralPeaks peaks;
    private int sinceFft;
    private int lastPeakBin = -1;
    private final Cusum cusum;
    private double cusumFactor = 1;
    private final Bocpd bocpd;
    private double bocpdFactor = 1;
    private int sinceMp;
    PairState[] asTarget = new PairState[0];
    // running level for the TE bins: Welford for the first samples, then exponential
    private double mean;
    private double var;
    private final double alpha;

    volatile long samples;
    volatile double lastValue;
    volatile int lastSymbol = -1;
    volatile double dominantFrequency = Double.NaN;
    volatile double dominantPhase;
    volatile long dominantAtSample;
    volatile double dominantSnr;
    volatile long changepoints;
    volatile long lastSampleNanos;
    // Kuramoto thread only: samples seen at the last tick and ticks since they last changed
    long samplesAtTick = -1;
    int idleTicks;

    StreamState(String name, int index, DrppEngine engine, DrppSettings s) {
        this.name = name;
        this.index = index;
        this.engine = engine;
        this.s = s;
        ring = new double[s.memory];
        goertzel = s.goertzelFrequencies.length == 0 ? null : new GoertzelBank(s.goertzelFrequencies, s.sampleRate, s.goertzelBlock);
        resonating = new boolean[s.goertzelFrequencies.length];
        peaks = s.fftWindow == 0 ? null : new SpectralPeaks(s.fftWindow, s.sampleRate, s.fftPeaks);
        cusum = s.cusum ? new Cusum(s.cusumDrift, s.cusumThreshold, s.cusumWarmup) : null;
        bocpd = s.bocpd ? new Bocpd(s.bocpdLambda, s.bocpdMaxRun, s.bocpdLag, s.bocpdThreshold, s.cusumWarmup) : null;
        alpha = 1.0 / s.teWindow;
    }

    /** The hot path: one finite value. Allocation-free unless an event is published. */
    void add(double v, long timeNanos) {
        ring[head] = v;
        head = head + 1 == ring.length ? 0 : head + 1;
        long n = ++count;
        samples = n;
        lastSampleNanos = timeNanos;
        // level and bins
        if (n <= 64) {
            double d = v - mean;
            mean += d / n;
            var += (d * (v - mean) - var) / n;
        } else {
            double d = v - mean;
            mean += alpha * d;
            var += alpha * (d * d - var);
        }
        int symbol;
        double sd = Math.sqrt(var);
        if (sd > 0) {
            symbol = (int) Math.floor(((v - mean) / sd + 2) / 4 * s.teBins);
            symbol = symbol < 0 ? 0 : (symbol >= s.teBins ? s.teBins - 1 : symbol);
        } else {
            symbol = 0;
        }
        lastValue = v;
        lastSymbol = symbol;
        DrppEngine e = engine;
        if (goertzel != null && goertzel.add(v) && e.on(DrppEngine.RESONANCE)) {
            goertzelDone(timeNanos);
        }
        if (peaks != null) {
            peaks.add(v);
            if (++sinceFft >= e.scaled(DrppEngine.RESONANCE, s.fftHop) && peaks.full()) {
                sinceFft = 0;
                if (e.on(DrppEngine.RESONANCE) || e.on(DrppEngine.COHERENCE)) {
                    fft(timeNanos);
                }
            }
        }
        if (bocpd != null && e.on(DrppEngine.CHANGEPOINT)) {
            double f = e.factor();
            if (f != bocpdFactor) {
                bocpdFactor = f;
                bocpd.setThreshold(Math.max(1e-6, Math.min(1 - 1e-6, s.bocpdThreshold * f)));
            }
            if (bocpd.add(v)) {
                changepoints++;
                e.emit(new PatternEvent(PatternKind.CHANGEPOINT, List.of(name),
                        Map.of(PatternEvent.INDEX, (double) n, PatternEvent.PROBABILITY, bocpd.shortRunProbability()), timeNanos,
                        "bocpd run <= " + s.bocpdLag));
            }
        }
        if (cusum != null && e.on(DrppEngine.CHANGEPOINT)) {
            double f = e.factor();
            if (f != cusumFactor) {
                cusumFactor = f;
                cusum.setThreshold(s.cusumThreshold * f);
            }
            int change = cusum.add(v);
            if (change != Cusum.NONE) {
                changepoints++;
                e.emit(new PatternEvent(PatternKind.CHANGEPOINT, List.of(name),
                        Map.of(PatternEvent.INDEX, (double) n, PatternEvent.STATISTIC, finite(cusum.lastShift())), timeNanos,
                        change == Cusum.UP ? "cusum up" : "cusum down"));
            }
        }
        PairState[] pairs = asTarget;
        for (int i = 0; i < pairs.length; i++) {
            pairs[i].onTarget(v, symbol, timeNanos);
        }
        if (s.mpPeriod > 0 && ++sinceMp >= e.scaled(DrppEngine.MOTIFS, s.mpPeriod) && n >= s.mpWindow) {
            sinceMp = 0;
            if (e.on(DrppEngine.MOTIFS)) {
                e.submitMatrixProfile(this, window(s.mpWindow), n - s.mpWindow, timeNanos);
            }
        }
    }

    private void goertzelDone(long timeNanos) {
        double threshold = s.goertzelMinSnr * engine.factor();
        for (int i = 0; i < resonating.length; i++) {
            boolean now = goertzel.snr(i) >= threshold && goertzel.power(i) > 0;
            if (now && !resonating[i]) {
                engine.emit(new PatternEvent(PatternKind.RESONANCE, List.of(name),
                        Map.of(PatternEvent.FREQUENCY, goertzel.frequency(i), PatternEvent.POWER, finite(goertzel.power(i)),
                                PatternEvent.SNR, finite(goertzel.snr(i)), PatternEvent.PHASE, goertzel.phase(i)),
                        timeNanos, "goertzel"));
            }
            resonating[i] = now;
        }
        if (peaks == null) {
            int best = goertzel.strongest();
            if (best >= 0 && goertzel.snr(best) >= threshold) {
                dominantFrequency = goertzel.frequency(best);
                dominantPhase = goertzel.phase(best);
                dominantAtSample = count - goertzel.blockSize();
                dominantSnr = goertzel.snr(best);
            } else {
                dominantFrequency = Double.NaN;
            }
        }
    }

    private void fft(long timeNanos) {
        int found = peaks.analyse(s.fftMinSnr * engine.factor());
        if (found == 0) {
            dominantFrequency = Double.NaN;
            lastPeakBin = -1;
            return;
        }
        double f = peaks.peakFrequency(0);
        dominantFrequency = f;
        dominantPhase = peaks.peakPhase(0);
        dominantAtSample = count - peaks.size();
        dominantSnr = peaks.peakSnr(0);
        int bin = (int) Math.round(f / s.sampleRate * peaks.size());
        if (bin != lastPeakBin && engine.on(DrppEngine.RESONANCE)) {
            engine.emit(new PatternEvent(PatternKind.RESONANCE, List.of(name),
                    Map.of(PatternEvent.FREQUENCY, finite(f), PatternEvent.POWER, finite(peaks.peakPower(0)),
                            PatternEvent.SNR, finite(peaks.peakSnr(0)), PatternEvent.PHASE, finite(peaks.peakPhase(0))),
                    timeNanos, "fft peak 1 of " + found));
        }
        lastPeakBin = bin;
    }

    /** A copy of the last n values, oldest first (n <= memory, n <= count). */
    double[] window(int n) {
        double[] out = new double[n];
        int start = head - n;
        if (start < 0) {
            start += ring.length;
        }
        for (int i = 0; i < n; i++) {
            int idx = start + i;
            out[i] = ring[idx >= ring.length ? idx - ring.length : idx];
        }
        return out;
    }

    /** The values held, oldest first (for the snapshot). */
    double[] held() {
        return window((int) Math.min(count, ring.length));
    }

    /** Sets the sample count after a replay (the replay only saw the held values). */
    void restoreCount(long total) {
        count = Math.max(count, total);
        samples = count;
    }

    double level() {
        return mean;
    }

    double spread() {
        return Math.sqrt(var);
    }

    static double finite(double v) {
        return Double.isFinite(v) ? v : (Double.isNaN(v) ? 0 : Math.copySign(Double.MAX_VALUE, v));
    }
}
