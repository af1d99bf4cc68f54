package io.chronofabric.clogic.drpp.internal.algo;

/**
 * In-place iterative radix-2 Cooley-Tukey FFT on separate real and imaginary arrays, with the
 * twiddle factors and bit-reversal table computed once. Allocates nothing per transform. Not
 * thread-safe (shares nothing mutable, but callers own the arrays they pass).
 */
public final class Fft {

    private final int n;
    private final int[] reversed;
    private final double[] cos;
    private final double[] sin;

    public Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 2, was " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        reversed = new int[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = Math.cos(-2 * Math.PI * i / n);
            sin[i] = Math.sin(-2 * Math.PI * i / n);
        }
    }

    public int size() {
        return n;
    }

    /** Forward transform X_k = sum_n x_n e^{-2 pi i k n / N}, in place. */
    public void forward(double[] re, double[] im) {
        if (re.length < n || im.length < n) {
            throw new IllegalArgumentException("FFT of size " + n + " needs arrays of that length, got "
                    + re.length + " and " + im.length);
        }
        for (int i = 0; i < n; i++) {
            int j = reversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >>> 1;
            int step = n / len;
            for (int i = 0; i < n; i += len) {
                for (int j = 0; j < half; j++) {
                    double wr = cos[j * step], wi = sin[j * step];
                    int a = i + j, b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
