package io.chronofabric.clogic.drpp.internal;

import io.chronofabric.api.clogic.PatternEvent;
import io.chronofabric.api.clogic.PatternKind;
import io.chronofabric.clogic.drpp.internal.algo.DiscreteTransferEntropy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Transfer entropy from one stream to another, updated on the target's thread: each target sample
 * is paired with the source's latest value (sample and hold), so both streams are seen on the
 * target's clock. The discrete estimate (sliding over te.window observations) is O(1) per sample;
 * the KSG estimate runs on the worker every ksg.period samples over a copy of the last ksg.window pairs.
 */
final class PairState {

    final DrppSettings.Pair pair;
    final StreamState source;
    private final DrppEngine engine;
    private final DrppSettings s;
    final DiscreteTransferEntropy discrete;
    private final double[] xs;
    private final double[] ys;
    private int head;
    private long pairs;
    private int sinceReport;
    private int sinceKsg;
    final AtomicBoolean ksgBusy = new AtomicBoolean();

    volatile double lastBits = Double.NaN;
    volatile double lastNats = Double.NaN;
    volatile double lastP = Double.NaN;
    volatile long ksgRuns;
    volatile long ksgSkipped;
    volatile long observations;

    PairState(DrppSettings.Pair pair, StreamState source, DrppEngine engine, DrppSettings s) {
        this.pair = pair;
        this.source = source;
        this.engine = engine;
        this.s = s;
        discrete = new DiscreteTransferEntropy(s.teBins, s.teK, s.teL, s.teWindow);
        xs = new double[s.ksgWindow];
        ys = new double[s.ksgWindow];
    }

    void onTarget(double y, int ySymbol, long timeNanos) {
        int x = source.lastSymbol;
        if (x < 0) {
            return; // nothing from the source yet
        }
        DrppEngine e = engine;
        if (!e.on(DrppEngine.INFORMATION_FLOW)) {
            return;
        }
        discrete.add(x, ySymbol);
        xs[head] = source.lastValue;
        ys[head] = y;
        head = head + 1 == xs.length ? 0 : head + 1;
        long n = ++pairs;
        observations = discrete.observations();
        if (++sinceReport >= s.teWindow && discrete.observations() >= s.teWindow) {
            sinceReport = 0;
            double bits = discrete.value();
            lastBits = bits;
            if (bits >= s.teMinBits * e.factor() && bits > 0) {
                e.emit(new PatternEvent(PatternKind.INFORMATION_FLOW, List.of(pair.source(), pair.target()),
                        Map.of(PatternEvent.TE, bits), timeNanos,
                        "discrete k=" + s.teK + " l=" + s.teL + " bins=" + s.teBins + " bits over " + s.teWindow));
            }
        }
        if (s.ksgPeriod > 0 && ++sinceKsg >= e.scaled(DrppEngine.KSG, s.ksgPeriod) && n >= xs.length) {
            sinceKsg = 0;
            if (e.on(DrppEngine.KSG)) {
                if (ksgBusy.compareAndSet(false, true)) {
                    e.submitKsg(this, copy(xs), copy(ys), timeNanos);
                } else {
                    ksgSkipped++;
                }
            }
        }
    }

    private double[] copy(double[] ring) {
        double[] out = new double[ring.length];
        int tail = ring.length - head;
        System.arraycopy(ring, head, out, 0, tail);
        System.arraycopy(ring, 0, out, tail, head);
        return out;
    }

    void ksgDone(double nats, double p, long timeNanos) {
        lastNats = nats;
        lastP = p;
        ksgRuns++;
        ksgBusy.set(false);
        boolean significant = s.ksgSurrogates == 0 ? nats > 0 : p <= s.ksgMaxP / engine.factor();
        if (significant) {
            engine.emit(new PatternEvent(PatternKind.INFORMATION_FLOW, List.of(pair.source(), pair.target()),
                    s.ksgSurrogates == 0 ? Map.of(PatternEvent.TE, nats) : Map.of(PatternEvent.TE, nats, PatternEvent.P, p),
                    timeNanos, "ksg K=" + s.ksgNeighbours + " k=" + s.teK + " l=" + s.teL + " nats over " + s.ksgWindow));
        }
    }
}
