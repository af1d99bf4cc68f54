package io.chronofabric.clogic.drpp.internal.algo;

/**
 * Two-sided CUSUM change detector (Page, "Continuous inspection schemes", Biometrika 41, 1954) on
 * standardised values: g⁺ = max(0, g⁺ + z − ν), g⁻ = max(0, g⁻ − z − ν), alarm when either exceeds h.
 * z = (x − μ)/σ with μ, σ estimated from the first {@code warmup} samples after each alarm (Welford),
 * so the detector reacts to a shift away from the level it learned. Allocation-free; not thread-safe.
 */
public final class Cusum {

    /** Result of {@link #add}: nothing, an upward or a downward change. */
    public static final int NONE = 0;
    public static final int UP = 1;
    public static final int DOWN = -1;

    private final int warmup;
    private double drift;
    private double threshold;
    private long learned;
    private double mean;
    private double m2;
    private double sd;
    private double gPos;
    private double gNeg;
    private long samples;
    private long lastChange = -1;
    private double lastShift;

    /**
     * @param drift ν, allowance in standard deviations (typically 0.5: half the shift to detect)
     * @param threshold h, decision interval in standard deviations (typically 4–5)
     * @param warmup samples used to learn μ and σ, >= 2
     */
    public Cusum(double drift, double threshold, int warmup) {
        if (warmup < 2) {
            throw new IllegalArgumentException("CUSUM warm-up must be at least 2 samples, was " + warmup);
        }
        this.warmup = warmup;
        setDrift(drift);
        setThreshold(threshold);
    }

    public void setThreshold(double h) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new IllegalArgumentException("CUSUM threshold h must be positive and finite, was " + h);
        }
        threshold = h;
    }

    public void setDrift(double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("CUSUM drift must be finite and >= 0, was " + v);
        }
        drift = v;
    }

    public double threshold() {
        return threshold;
    }

    /** Feeds x; returns UP, DOWN or NONE. */
    public int add(double x) {
        samples++;
        if (learned < warmup) {
            learned++;
            double delta = x - mean;
            mean += delta / learned;
            m2 += delta * (x - mean);
            if (learned == warmup) {
                sd = Math.sqrt(m2 / (learned - 1));
                if (sd < 1e-12) {
                    sd = 1e-12 + Math.abs(mean) * 1e-9;
                }
            }
            return NONE;
        }
        double z = (x - mean) / sd;
        gPos = Math.max(0, gPos + z - drift);
        gNeg = Math.max(0, gNeg - z - drift);
        int result = NONE;
        if (gPos > threshold) {
            result = UP;
        } else if (gNeg > threshold) {
            result = DOWN;
        }
        if (result != NONE) {
            lastChange = samples;
            lastShift = z;
            restart();
        }
        return result;
    }

    private void restart() {
        gPos = 0;
        gNeg = 0;
        learned = 0;
        mean = 0;
        m2 = 0;
    }

    public double positiveSum() {
        return gPos;
    }

    public double negativeSum() {
        return gNeg;
    }

    public double mean() {
        return mean;
    }

    /** Sample number (1-based) of the last alarm, -1 if none. */
    public long lastChange() {
        return lastChange;
    }

    /** The standardised value at the last alarm. */
    public double lastShift() {
        return lastShift;
    }

    public long samples() {
        return samples;
    }

    public void reset() {
        restart();
        samples = 0;
        lastChange = -1;
    }
}
