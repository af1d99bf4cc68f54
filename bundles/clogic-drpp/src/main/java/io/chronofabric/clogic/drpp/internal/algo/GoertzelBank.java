package io.chronofabric.clogic.drpp.internal.algo;

/**
 * A bank of Goertzel filters (Goertzel 1958; Lyons, "Understanding DSP", 13.17) evaluating the DFT
 * power at a few chosen frequencies over consecutive blocks of {@code blockSize} samples.
 *
 * <p>Per sample each filter costs one multiply-add pair; nothing is allocated after construction.
 * At the end of a block, {@link #power(int)} holds |X(f)|² for the block (for a unit cosine exactly
 * on a bin, (N/2)²), {@link #phase(int)} its phase in radians and {@link #snr(int)} the power over
 * the mean power of the other DFT bins, computed from the block's energy by Parseval's theorem.
 * Not thread-safe: one thread feeds it.
 */
public final class GoertzelBank {

    private final int blockSize;
    private final double[] coeff;
    private final double[] cosw;
    private final double[] sinw;
    private final double[] s1;
    private final double[] s2;
    private final double[] power;
    private final double[] phase;
    private final double[] snr;
    private final double[] frequencies;
    private final double[] normalised;
    private int filled;
    private double energy;
    private long blocks;

    /**
     * @param frequencies frequencies in the same unit as {@code sampleRate} (e.g. Hz)
     * @param sampleRate samples per unit of time, > 0
     * @param blockSize samples per block, >= 2
     */
    public GoertzelBank(double[] frequencies, double sampleRate, int blockSize) {
        if (!(sampleRate > 0) || Double.isInfinite(sampleRate)) {
            throw new IllegalArgumentException("sample rate must be a positive finite number, was " + sampleRate);
        }
        if (blockSize < 2) {
            throw new IllegalArgumentException("Goertzel block size must be at least 2, was " + blockSize);
        }
        int n = frequencies.length;
        this.blockSize = blockSize;
        this.frequencies = frequencies.clone();
        normalised = new double[n];
        coeff = new double[n];
        cosw = new double[n];
        sinw = new double[n];
        s1 = new double[n];
        s2 = new double[n];
        power = new double[n];
        phase = new double[n];
        snr = new double[n];
        for (int i = 0; i < n; i++) {
            double f = frequencies[i];
            if (!(f >= 0) || f > sampleRate / 2) {
                throw new IllegalArgumentException("Goertzel frequency " + f + " is outside [0, sampleRate/2 = "
                        + sampleRate / 2 + "]");
            }
            normalised[i] = f / sampleRate;
            double w = 2 * Math.PI * normalised[i];
            cosw[i] = Math.cos(w);
            sinw[i] = Math.sin(w);
            coeff[i] = 2 * cosw[i];
        }
    }

    /** Convenience: the frequency of DFT bin {@code k} of an {@code n}-point block at unit sample rate. */
    public static double binFrequency(int k, int n) {
        return (double) k / n;
    }

    /**
     * Feeds one sample. Returns true when it completed a block (the results were updated).
     */
    public boolean add(double x) {
        final int n = coeff.length;
        for (int i = 0; i < n; i++) {
            double s = x + coeff[i] * s1[i] - s2[i];
            s2[i] = s1[i];
            s1[i] = s;
        }
        energy += x * x;
        if (++filled < blockSize) {
            return false;
        }
        double binEnergy = blockSize * energy; // Parseval: sum over all N bins of |X_k|^2
        for (int i = 0; i < n; i++) {
            double a = s1[i], b = s2[i];
            // e^{jw} s1 - s2 = X(w) e^{jwN}: power is |.|^2, the phase needs the rotation undone
            double re = a * cosw[i] - b;
            double im = a * sinw[i];
            double p = re * re + im * im;
            power[i] = p;
            phase[i] = wrap(Math.atan2(im, re) - 2 * Math.PI * normalised[i] * blockSize);
            double mirror = (normalised[i] == 0 || normalised[i] == 0.5) ? 1 : 2;
            double rest = (binEnergy - mirror * p) / Math.max(1, blockSize - mirror);
            snr[i] = rest > 1e-300 ? p / rest : (p > 0 ? Double.POSITIVE_INFINITY : 0);
            s1[i] = 0;
            s2[i] = 0;
        }
        filled = 0;
        energy = 0;
        blocks++;
        return true;
    }

    private static double wrap(double a) {
        return Math.atan2(Math.sin(a), Math.cos(a));
    }

    public int size() {
        return coeff.length;
    }

    public int blockSize() {
        return blockSize;
    }

    public double frequency(int i) {
        return frequencies[i];
    }

    public double power(int i) {
        return power[i];
    }

    public double phase(int i) {
        return phase[i];
    }

    public double snr(int i) {
        return snr[i];
    }

    public long blocks() {
        return blocks;
    }

    /** Index of the filter with the highest power in the last block, -1 when there is none. */
    public int strongest() {
        int best = -1;
        double bp = -1;
        for (int i = 0; i < power.length; i++) {
            if (power[i] > bp) {
                bp = power[i];
                best = i;
            }
        }
        return best;
    }

    public void reset() {
        java.util.Arrays.fill(s1, 0);
        java.util.Arrays.fill(s2, 0);
        filled = 0;
        energy = 0;
    }
}
