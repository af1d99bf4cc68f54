package io.chronofabric.clogic.drpp.internal.algo;

/**
 * Spectral peaks of a sliding window: the window's last {@code size} samples (a ring buffer),
 * mean removed, Hann-weighted, transformed by {@link Fft}; local maxima of the one-sided power
 * spectrum whose power over the median bin power (the noise floor) reaches a threshold are peaks.
 * The peak frequency is refined by parabolic interpolation of the log power over the three bins
 * around it (Smith, "Spectral Audio Signal Processing", quadratic interpolation of spectral peaks).
 *
 * <p>All buffers are allocated in the constructor; {@link #add} costs O(1), {@link #analyse} O(n log n).
 * Not thread-safe.
 */
public final class SpectralPeaks {

    private final int size;
    private final double sampleRate;
    private final Fft fft;
    private final double[] ring;
    private final double[] re;
    private final double[] im;
    private final double[] window;
    private final double[] power;
    private final double[] sorted;
    private final int maxPeaks;
    private final double[] peakFrequency;
    private final double[] peakPower;
    private final double[] peakSnr;
    private final double[] peakPhase;
    private int peakCount;
    private int head;
    private long count;
    private double noiseFloor;

    public SpectralPeaks(int size, double sampleRate, int maxPeaks) {
        this.fft = new Fft(size);
        if (!(sampleRate > 0) || Double.isInfinite(sampleRate)) {
            throw new IllegalArgumentException("sample rate must be a positive finite number, was " + sampleRate);
        }
        if (maxPeaks < 1) {
            throw new IllegalArgumentException("maxPeaks must be at least 1, was " + maxPeaks);
        }
        this.size = size;
        this.sampleRate = sampleRate;
        this.maxPeaks = maxPeaks;
        ring = new double[size];
        re = new double[size];
        im = new double[size];
        window = new double[size];
        power = new double[size / 2 + 1];
        sorted = new double[size / 2 + 1];
        peakFrequency = new double[maxPeaks];
        peakPower = new double[maxPeaks];
        peakSnr = new double[maxPeaks];
        peakPhase = new double[maxPeaks];
        for (int i = 0; i < size; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
        }
    }

    public void add(double x) {
        ring[head] = x;
        head = head + 1 == size ? 0 : head + 1;
        count++;
    }

    /** True once a whole window has been seen. */
    public boolean full() {
        return count >= size;
    }

    /**
     * Analyses the current window and returns the number of peaks found with SNR >= minSnr, strongest
     * first (at most maxPeaks).
     */
    public int analyse(double minSnr) {
        double mean = 0;
        for (int i = 0; i < size; i++) {
            mean += ring[i];
        }
        mean /= size;
        for (int i = 0; i < size; i++) {
            int src = (head + i) % size; // oldest first
            re[i] = (ring[src] - mean) * window[i];
            im[i] = 0;
        }
        fft.forward(re, im);
        int bins = size / 2 + 1;
        for (int k = 0; k < bins; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
            sorted[k] = power[k];
        }
        java.util.Arrays.sort(sorted, 0, bins);
        noiseFloor = Math.max(sorted[bins / 2], 1e-300);
        peakCount = 0;
        for (int k = 1; k < bins - 1; k++) {
            double p = power[k];
            if (p <= power[k - 1] || p < power[k + 1]) {
                continue;
            }
            double snr = p / noiseFloor;
            if (snr < minSnr) {
                continue;
            }
            double a = Math.log(power[k - 1] + 1e-300), b = Math.log(p + 1e-300), c = Math.log(power[k + 1] + 1e-300);
            double denom = a - 2 * b + c;
            double delta = denom == 0 ? 0 : 0.5 * (a - c) / denom;
            insert((k + delta) * sampleRate / size, p, snr, Math.atan2(im[k], re[k]));
        }
        return peakCount;
    }

    private void insert(double f, double p, double snr, double ph) {
        int pos = peakCount;
        while (pos > 0 && peakPower[pos - 1] < p) {
            pos--;
        }
        if (pos >= maxPeaks) {
            return;
        }
        int last = Math.min(peakCount, maxPeaks - 1);
        for (int i = last; i > pos; i--) {
            peakFrequency[i] = peakFrequency[i - 1];
            peakPower[i] = peakPower[i - 1];
            peakSnr[i] = peakSnr[i - 1];
            peakPhase[i] = peakPhase[i - 1];
        }
        peakFrequency[pos] = f;
        peakPower[pos] = p;
        peakSnr[pos] = snr;
        peakPhase[pos] = ph;
        if (peakCount < maxPeaks) {
            peakCount++;
        }
    }

    public int peakCount() {
        return peakCount;
    }

    public double peakFrequency(int i) {
        return peakFrequency[i];
    }

    public double peakPower(int i) {
        return peakPower[i];
    }

    public double peakSnr(int i) {
        return peakSnr[i];
    }

    /** Phase (radians) of the peak's bin relative to the start of the window. */
    public double peakPhase(int i) {
        return peakPhase[i];
    }

    public double noiseFloor() {
        return noiseFloor;
    }

    public int size() {
        return size;
    }

    public double binPower(int k) {
        return power[k];
    }

    /** Copies the window, oldest first, into dst (length >= size). */
    public void copyWindow(double[] dst) {
        for (int i = 0; i < size; i++) {
            dst[i] = ring[(head + i) % size];
        }
    }
}
