package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.clogic.drpp.internal.algo.KsgTransferEntropy;
import io.chronofabric.clogic.drpp.internal.algo.Kuramoto;
import io.chronofabric.clogic.drpp.internal.algo.MatrixProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * DRPP's analyses without OSGi: streams by name, TE pairs, the Kuramoto network, sensitivity
 * (modulation) and switches and rates (governance), snapshot and restore. {@link #onSample} is the
 * per-sample path; windowed work (KSG, matrix profile) goes to the executor given; the Kuramoto
 * network steps in {@link #kuramotoTick}, called by one thread at a time.
 */
final class DrppEngine {

    static final int RESONANCE = 0;
    static final int COHERENCE = 1;
    static final int INFORMATION_FLOW = 2;
    static final int KSG = 3;
    static final int CHANGEPOINT = 4;
    static final int MOTIFS = 5;
    /** Kuramoto ticks without a new sample after which a stream leaves the network. */
    static final int STALE_TICKS = 10;
    static final String[] ANALYSES = {"resonance", "coherence", "information-flow", "ksg", "changepoint", "motifs"};

    private final DrppSettings s;
    private final Consumer<PatternEvent> sink;
    private final Executor worker;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    private final List<StreamState> order = new ArrayList<>(); // guarded by itself
    private final List<PairState> pairs = new ArrayList<>();
    private final boolean[] enabled = new boolean[ANALYSES.length];
    private final double[] rate = new double[ANALYSES.length];
    private volatile boolean[] enabledView = enabled.clone();
    private volatile double[] rateView;
    private volatile double factor = 1;
    private volatile double activation = 0.5;
    private volatile boolean quiet;
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong tooManyStreams = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong workerRejected = new AtomicLong();
    private final AtomicLong restoredProcessed = new AtomicLong();
    // Kuramoto state (kuramotoTick thread only)
    private Kuramoto network;
    private StreamState[] oscillators = new StreamState[0];
    private boolean coherent;
    private boolean[] lockedPairs = new boolean[0];
    volatile double orderParameter = Double.NaN;
    volatile int oscillatorCount;
    volatile long kuramotoTicks;

    DrppEngine(DrppSettings s, Consumer<PatternEvent> sink, Executor worker, LongSupplier clock) {
        this.s = s;
        this.sink = sink;
        this.worker = worker;
        this.clock = clock;
        Arrays.fill(enabled, true);
        Arrays.fill(rate, 1.0);
        enabledView = enabled.clone();
        rateView = rate.clone();
        for (String name : s.pairStreams()) {
            stream(name);
        }
        for (DrppSettings.Pair p : s.pairs) {
            StreamState src = streams.get(p.source()), dst = streams.get(p.target());
            if (src == null || dst == null) {
                continue; // more pair streams than max.streams: counted as skipped samples later
            }
            PairState ps = new PairState(p, src, this, s);
            pairs.add(ps);
            PairState[] grown = Arrays.copyOf(dst.asTarget, dst.asTarget.length + 1);
            grown[grown.length - 1] = ps;
            dst.asTarget = grown;
        }
    }

    DrppSettings settings() {
        return s;
    }

    /** The stream of that name, created on first sight; null beyond max.streams. */
    StreamState stream(String name) {
        StreamState st = streams.get(name);
        if (st != null) {
            return st;
        }
        synchronized (order) {
            st = streams.get(name);
            if (st == null) {
                if (order.size() >= s.maxStreams) {
                    return null;
                }
                st = new StreamState(name, order.size(), this, s);
                order.add(st);
                streams.put(name, st);
            }
            return st;
        }
    }

    /**
     * One sample. Returns false (counted) when it was skipped: not finite, or one stream too many.
     */
    boolean onSample(String stream, double value, long timeNanos) {
        if (!Double.isFinite(value)) {
            skipped.incrementAndGet();
            return false;
        }
        StreamState st = stream(stream);
        if (st == null) {
            tooManyStreams.incrementAndGet();
            skipped.incrementAndGet();
            return false;
        }
        st.add(value, timeNanos);
        return true;
    }

    // ---- sensitivity, switches, rates

    /** Threshold factor from EMS modulation: 1.5 - activation, in [0.5, 1.5] (arousal lowers thresholds). */
    void modulate(double activationValue) {
        double a = Double.isFinite(activationValue) ? Math.max(0, Math.min(1, activationValue)) : 0.5;
        activation = a;
        factor = 1.5 - a;
    }

    double factor() {
        return factor;
    }

    double activation() {
        return activation;
    }

    boolean on(int analysis) {
        return enabledView[analysis];
    }

    /** Period scaled by the governance rate (rate 2 = twice as often). */
    int scaled(int analysis, int period) {
        double r = rateView[analysis];
        if (r == 1.0) {
            return period;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(period / r)));
    }

    /** Applies a governance decision; returns a line saying what changed (or why nothing did). */
    synchronized String govern(GovernanceDecision d) {
        List<Integer> targets = new ArrayList<>();
        String a = d.analysis() == null ? GovernanceDecision.ALL : d.analysis().trim().toLowerCase(Locale.ROOT);
        for (int i = 0; i < ANALYSES.length; i++) {
            if (a.equals(GovernanceDecision.ALL) || a.equals(ANALYSES[i])) {
                targets.add(i);
            }
        }
        if (targets.isEmpty()) {
            return "ignored governance for unknown analysis '" + d.analysis() + "' (known: " + String.join(", ", ANALYSES) + ", *)";
        }
        for (int i : targets) {
            switch (d.action()) {
                case ENABLE -> enabled[i] = true;
                case DISABLE -> enabled[i] = false;
                case SET_RATE -> rate[i] = d.value();
                default -> { }
            }
        }
        enabledView = enabled.clone();
        rateView = rate.clone();
        return d.action() + " " + a + (d.action() == GovernanceAction.SET_RATE ? " x" + d.value() : "") + ": " + d.reason();
    }

    Map<String, Boolean> switches() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        boolean[] e = enabledView;
        for (int i = 0; i < ANALYSES.length; i++) {
            m.put(ANALYSES[i], e[i]);
        }
        return m;
    }

    Map<String, Double> rates() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] r = rateView;
        for (int i = 0; i < ANALYSES.length; i++) {
            m.put(ANALYSES[i], r[i]);
        }
        return m;
    }

    // ---- events and windowed work

    void emit(PatternEvent e) {
        if (quiet) {
            return;
        }
        events.incrementAndGet();
        sink.accept(e);
    }

    void submitKsg(PairState p, double[] x, double[] y, long timeNanos) {
        if (quiet) {
            p.ksgBusy.set(false);
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    KsgTransferEntropy ksg = new KsgTransferEntropy(s.teK, s.teL, s.ksgNeighbours);
                    KsgTransferEntropy.Result r = ksg.compute(x, y, s.ksgSurrogates, timeNanos);
                    p.ksgDone(r.value(), s.ksgSurrogates == 0 ? Double.NaN : r.pValue(), timeNanos);
                } catch (RuntimeException e) {
                    p.ksgBusy.set(false);
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            p.ksgBusy.set(false);
            workerRejected.incrementAndGet();
        }
    }

    void submitMatrixProfile(StreamState st, double[] window, long firstSample, long timeNanos) {
        if (quiet) {
            return;
        }
        try {
            worker.execute(() -> {
                MatrixProfile mp = new MatrixProfile(s.mpM, window.length);
                mp.stomp(window, window.length);
                double scale = Math.sqrt(2.0 * s.mpM);
                int motif = mp.motif();
                if (motif >= 0 && mp.profile(motif) / scale < s.mpMotifDistance / factor) {
                    emit(new PatternEvent(PatternKind.MOTIF, List.of(st.name),
                            Map.of(PatternEvent.INDEX, (double) (firstSample + motif), PatternEvent.DISTANCE, mp.profile(motif)),
                            timeNanos, "stomp m=" + s.mpM + " match at " + (firstSample + mp.profileIndex(motif))));
                }
                int discord = mp.discord();
                if (discord >= 0 && mp.profile(discord) / scale > s.mpDiscordDistance * factor) {
                    emit(new PatternEvent(PatternKind.DISCORD, List.of(st.name),
                            Map.of(PatternEvent.INDEX, (double) (firstSample + discord), PatternEvent.DISTANCE, mp.profile(discord)),
                            timeNanos, "stomp m=" + s.mpM + " nearest match at " + (firstSample + mp.profileIndex(discord))));
                }
            });
        } catch (RejectedExecutionException e) {
            workerRejected.incrementAndGet();
        }
    }

    // ---- Kuramoto

    /**
     * Steps the Kuramoto network by dt seconds: one oscillator per stream with a dominant frequency,
     * natural frequency 2π f, pulled toward the stream's observed phase; publishes COHERENCE when r
     * rises through coherence.threshold and when a pair locks.
     */
    void kuramotoTick(double dtSeconds) {
        kuramotoTicks++;
        List<StreamState> live = new ArrayList<>();
        synchronized (order) {
            for (StreamState st : order) {
                long seen = st.samples;
                if (seen != st.samplesAtTick) {
                    st.samplesAtTick = seen;
                    st.idleTicks = 0;
                } else if (st.idleTicks < Integer.MAX_VALUE) {
                    st.idleTicks++;
                }
                // a stream that stopped is no longer an observed oscillator
                if (Double.isFinite(st.dominantFrequency) && st.idleTicks < STALE_TICKS) {
                    live.add(st);
                }
            }
        }
        if (live.size() < 2 || !on(COHERENCE)) {
            oscillatorCount = live.size();
            orderParameter = live.size() == 1 ? 1 : Double.NaN;
            coherent = false;
            return;
        }
        if (network == null || !Arrays.asList(oscillators).equals(live)) {
            Kuramoto next = new Kuramoto(live.size(), s.coupling);
            for (int i = 0; i < live.size(); i++) {
                next.setPhase(i, observedPhase(live.get(i)));
            }
            network = next;
            oscillators = live.toArray(new StreamState[0]);
            lockedPairs = new boolean[live.size() * live.size()];
        }
        Kuramoto k = network;
        int n = oscillators.length;
        double meanOmega = 0;
        for (StreamState st : oscillators) {
            meanOmega += 2 * Math.PI * st.dominantFrequency;
        }
        meanOmega /= n;
        for (int i = 0; i < n; i++) {
            // rotating frame at the mean frequency: only differences matter for r and locking
            k.setNaturalFrequency(i, 2 * Math.PI * oscillators[i].dominantFrequency - meanOmega);
        }
        int steps = (int) Math.min(1000, Math.max(1, Math.ceil(dtSeconds / 0.01)));
        for (int j = 0; j < steps; j++) {
            k.step(dtSeconds / steps);
        }
        for (int i = 0; i < n; i++) {
            k.observe(i, observedPhase(oscillators[i]), s.kuramotoGain);
        }
        double r = k.orderParameter();
        orderParameter = r;
        oscillatorCount = n;
        long now = clock.getAsLong();
        if (r >= s.coherenceThreshold && !coherent) {
            List<String> names = new ArrayList<>();
            for (StreamState st : oscillators) {
                names.add(st.name);
            }
            emit(new PatternEvent(PatternKind.COHERENCE, names, Map.of(PatternEvent.R, r, PatternEvent.PHASE, k.meanPhase()), now,
                    "kuramoto K=" + s.coupling + " over " + n + " streams"));
        }
        coherent = r >= s.coherenceThreshold;
        double tolerance = 2 * Math.PI * 0.5 * s.sampleRate / Math.max(8, s.fftWindow == 0 ? s.goertzelBlock : s.fftWindow);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean locked = k.time() > 1 && k.locked(i, j, tolerance);
                int idx = i * n + j;
                if (locked && !lockedPairs[idx]) {
                    double phi = k.phaseDifference(i, j);
                    emit(new PatternEvent(PatternKind.COHERENCE, List.of(oscillators[i].name, oscillators[j].name),
                            Map.of(PatternEvent.R, Math.abs(Math.cos(phi / 2)), PatternEvent.PHASE, phi), now, "phase-locked pair"));
                }
                lockedPairs[idx] = locked;
            }
        }
    }

    /** The stream's phase now in its own frame: the analysed phase advanced by 2π f per sample since. */
    private double observedPhase(StreamState st) {
        double f = st.dominantFrequency;
        long since = st.samples - st.dominantAtSample;
        return st.dominantPhase + 2 * Math.PI * f * since / s.sampleRate;
    }

    // ---- views

    List<StreamState> streams() {
        synchronized (order) {
            return List.copyOf(order);
        }
    }

    List<PairState> pairs() {
        return List.copyOf(pairs);
    }

    long processed() {
        long sum = restoredProcessed.get();
        for (StreamState st : streams()) {
            sum += st.samples;
        }
        return sum - replayed;
    }

    private long replayed;

    // ---- snapshot

    /** The state worth keeping: per stream its held values and counts; counters. */
    Properties snapshot() {
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("processed", Long.toString(processed()));
        p.setProperty("skipped", Long.toString(skipped.get()));
        p.setProperty("events", Long.toString(events.get()));
        List<StreamState> all = streams();
        p.setProperty("streams", Integer.toString(all.size()));
        for (int i = 0; i < all.size(); i++) {
            StreamState st = all.get(i);
            p.setProperty("stream." + i + ".name", st.name);
            p.setProperty("stream." + i + ".samples", Long.toString(st.samples));
            p.setProperty("stream." + i + ".changepoints", Long.toString(st.changepoints));
            double[] held = st.held();
            StringBuilder b = new StringBuilder(held.length * 8);
            for (int j = 0; j < held.length; j++) {
                if (j > 0) {
                    b.append(',');
                }
                b.append(held[j]);
            }
            p.setProperty("stream." + i + ".values", b.toString());
        }
        return p;
    }

    /**
     * Replays a snapshot's values through the analyses without publishing anything, interleaving the
     * streams from their ends so TE pairs see them aligned; then puts the counts back.
     * Throws IllegalArgumentException naming the key that does not parse.
     */
    void restore(Properties p) {
        if (!"1".equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("snapshot format '" + p.getProperty("format") + "' is not 1");
        }
        int n = Integer.parseInt(p.getProperty("streams", "0"));
        String[] names = new String[n];
        double[][] values = new double[n][];
        long[] counts = new long[n];
        long[] changes = new long[n];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            names[i] = require(p, "stream." + i + ".name");
            counts[i] = parseLong(p, "stream." + i + ".samples");
            changes[i] = parseLong(p, "stream." + i + ".changepoints");
            String v = p.getProperty("stream." + i + ".values", "");
            String[] parts = v.isEmpty() ? new String[0] : v.split(",");
            values[i] = new double[parts.length];
            for (int j = 0; j < parts.length; j++) {
                try {
                    values[i][j] = Double.parseDouble(parts[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("snapshot stream." + i + ".values[" + j + "] '" + parts[j] + "' is not a number");
                }
            }
            longest = Math.max(longest, parts.length);
        }
        quiet = true;
        try {
            long before = 0;
            for (StreamState st : streams()) {
                before += st.samples;
            }
            for (int t = 0; t < longest; t++) {
                for (int i = 0; i < n; i++) {
                    int off = t - (longest - values[i].length);
                    if (off >= 0) {
                        onSample(names[i], values[i][off], 0);
                    }
                }
            }
            long after = 0;
            for (int i = 0; i < n; i++) {
                StreamState st = stream(names[i]);
                if (st != null) {
                    st.restoreCount(counts[i]);
                    st.changepoints = changes[i];
                }
            }
            for (StreamState st : streams()) {
                after += st.samples;
            }
            replayed += after - before;
        } finally {
            quiet = false;
        }
        restoredProcessed.addAndGet(parseLong(p, "processed"));
        skipped.addAndGet(parseLong(p, "skipped"));
        events.addAndGet(parseLong(p, "events"));
    }

    private static String require(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("snapshot has no " + key);
        }
        return v;
    }

    private static long parseLong(Properties p, String key) {
        String v = p.getProperty(key, "0");
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("snapshot " + key + " '" + v + "' is not a whole number");
        }
    }
}
