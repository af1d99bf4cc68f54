package io.chronofabric.clogic.drpp.internal.algo;

/**
 * The Kuramoto model (Kuramoto 1975; Strogatz, "From Kuramoto to Crawford", Physica D 143, 2000):
 * dθ_i/dt = ω_i + (K/N) Σ_j sin(θ_j − θ_i), integrated with classical Runge-Kutta (RK4).
 *
 * <p>The order parameter r e^{iψ} = (1/N) Σ_j e^{iθ_j}; r in [0,1] measures coherence. Each
 * oscillator's effective frequency dθ_i/dt is tracked as an exponential average over time; two
 * oscillators are phase-locked when their effective frequencies agree within a tolerance. For two
 * oscillators with |Δω| ≤ K the phase difference settles at φ* = arcsin(Δω/K), and r = cos(φ<sup>*</sup>/2).
 *
 * <p>Oscillators can also be nudged toward an observed phase ({@link #observe}), which is how DRPP
 * keeps them following the streams. Buffers are preallocated; stepping allocates nothing.
 * Not thread-safe.
 */
public final class Kuramoto {

    private final int n;
    private final double[] theta;
    private final double[] omega;
    private final double[] k1;
    private final double[] k2;
    private final double[] k3;
    private final double[] k4;
    private final double[] tmp;
    private final double[] effective;
    private double coupling;
    private double time;

    public Kuramoto(int n, double coupling) {
        if (n < 1) {
            throw new IllegalArgumentException("a Kuramoto network needs at least one oscillator, was " + n);
        }
        this.n = n;
        theta = new double[n];
        omega = new double[n];
        k1 = new double[n];
        k2 = new double[n];
        k3 = new double[n];
        k4 = new double[n];
        tmp = new double[n];
        effective = new double[n];
        setCoupling(coupling);
    }

    public void setCoupling(double k) {
        if (!(k >= 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("Kuramoto coupling K must be finite and >= 0, was " + k);
        }
        this.coupling = k;
    }

    public double coupling() {
        return coupling;
    }

    public int size() {
        return n;
    }

    /** Natural frequency ω_i in radians per unit time. */
    public void setNaturalFrequency(int i, double w) {
        omega[i] = w;
    }

    public double naturalFrequency(int i) {
        return omega[i];
    }

    public void setPhase(int i, double phase) {
        theta[i] = phase;
    }

    public double phase(int i) {
        return theta[i];
    }

    /**
     * Pulls oscillator i toward an observed phase by a fraction {@code gain} in [0,1] of the wrapped
     * phase error.
     */
    public void observe(int i, double observedPhase, double gain) {
        theta[i] += gain * wrap(observedPhase - theta[i]);
    }

    private void derivative(double[] th, double[] out) {
        final double kn = coupling / n;
        for (int i = 0; i < n; i++) {
            double s = 0;
            double ti = th[i];
            for (int j = 0; j < n; j++) {
                s += Math.sin(th[j] - ti);
            }
            out[i] = omega[i] + kn * s;
        }
    }

    /** Advances the network by dt with one RK4 step. */
    public void step(double dt) {
        derivative(theta, k1);
        for (int i = 0; i < n; i++) {
            tmp[i] = theta[i] + 0.5 * dt * k1[i];
        }
        derivative(tmp, k2);
        for (int i = 0; i < n; i++) {
            tmp[i] = theta[i] + 0.5 * dt * k2[i];
        }
        derivative(tmp, k3);
        for (int i = 0; i < n; i++) {
            tmp[i] = theta[i] + dt * k3[i];
        }
        derivative(tmp, k4);
        double alpha = time == 0 ? 1 : Math.min(1, dt / 1.0); // ~1 time unit averaging
        for (int i = 0; i < n; i++) {
            double d = (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
            theta[i] += dt * d;
            effective[i] += alpha * (d - effective[i]);
        }
        time += dt;
    }

    /** Order parameter r in [0,1]. */
    public double orderParameter() {
        double c = 0, s = 0;
        for (int i = 0; i < n; i++) {
            c += Math.cos(theta[i]);
            s += Math.sin(theta[i]);
        }
        return Math.min(1, Math.sqrt(c * c + s * s) / n);
    }

    /** Mean phase ψ of the order parameter. */
    public double meanPhase() {
        double c = 0, s = 0;
        for (int i = 0; i < n; i++) {
            c += Math.cos(theta[i]);
            s += Math.sin(theta[i]);
        }
        return Math.atan2(s, c);
    }

    /** Phase difference θ_i − θ_j wrapped to (−π, π]. */
    public double phaseDifference(int i, int j) {
        return wrap(theta[i] - theta[j]);
    }

    /** Effective (time-averaged) frequency dθ_i/dt. */
    public double effectiveFrequency(int i) {
        return effective[i];
    }

    /** True when oscillators i and j turn at the same effective frequency within tolerance. */
    public boolean locked(int i, int j, double tolerance) {
        return Math.abs(effective[i] - effective[j]) <= tolerance;
    }

    public double time() {
        return time;
    }

    static double wrap(double a) {
        double r = a % (2 * Math.PI);
        if (r > Math.PI) {
            r -= 2 * Math.PI;
        } else if (r <= -Math.PI) {
            r += 2 * Math.PI;
        }
        return r;
    }
}
