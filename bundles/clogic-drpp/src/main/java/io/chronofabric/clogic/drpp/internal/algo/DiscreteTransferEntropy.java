package io.chronofabric.clogic.drpp.internal.algo;

/**
 * Transfer entropy T(X→Y) between discrete series (Schreiber, "Measuring information transfer",
 * PRL 85, 2000), plug-in estimate in bits:
 * T = Σ p(y_t, y^(k)_{t-1}, x^(l)_{t-1}) log2 [p(y_t | y^(k)_{t-1}, x^(l)_{t-1}) / p(y_t | y^(k)_{t-1})],
 * where y^(k)_{t-1} = (y_{t-k}, …, y_{t-1}) is the target's history and x^(l)_{t-1} = (x_{t-l}, …, x_{t-1})
 * the source's, both ending one step before the predicted value (source-target delay 1).
 *
 * <p>Counting follows the Inform library (ELIFE-ASU/Inform, MIT): one observation for each
 * t = max(k,l) … n−1, so a series of n values gives n − max(k,l) observations. With k=2, l=1,
 * source [1,1,0,0,1] and target [1,1,1,0,0] the three observations give 2/3 bit.
 *
 * <p>The estimate is kept as four sums Σ c·log c over the joint, (history, source), (history, next) and
 * history counts, so adding or removing one observation costs O(1): T = (S_hsf − S_hs − S_hf + S_h) / (N ln 2).
 * That makes {@link #add} usable per sample on a stream, optionally over a sliding window of
 * observations ({@code window} > 0). Allocation-free after construction; not thread-safe.
 */
public final class DiscreteTransferEntropy {

    /** Upper bound on bins^(k+l+1) states, to keep the count tables in memory. */
    public static final int MAX_STATES = 1 << 22;

    private final int bins;
    private final int k;
    private final int l;
    private final int historyStates;
    private final int sourceStates;
    private final int[] joint;   // (h, s, f)
    private final int[] hs;      // (h, s)
    private final int[] hf;      // (h, f)
    private final int[] h;       // (h)
    private int histCode;        // y_{t-k} .. y_{t-1}
    private int srcCode;         // x_{t-l} .. x_{t-1}
    private final int window;
    private final int[] obsRing; // encoded (h, s, f) of the observations in the window
    private int obsHead;
    private int seen;
    private int observations;
    private double sHsf;
    private double sHs;
    private double sHf;
    private double sH;

    /**
     * @param bins alphabet size, >= 2
     * @param k target history length, >= 1
     * @param l source history length, >= 1
     * @param window observations kept (0 = all since the last reset)
     */
    public DiscreteTransferEntropy(int bins, int k, int l, int window) {
        checkParameters(bins, k, l);
        if (window < 0) {
            throw new IllegalArgumentException("transfer entropy window must be >= 0 (0 = unbounded), was " + window);
        }
        this.bins = bins;
        this.k = k;
        this.l = l;
        this.window = window;
        historyStates = pow(bins, k);
        sourceStates = pow(bins, l);
        joint = new int[historyStates * sourceStates * bins];
        hs = new int[historyStates * sourceStates];
        hf = new int[historyStates * bins];
        h = new int[historyStates];
        obsRing = new int[Math.max(window, 1)];
    }

    /** Throws IllegalArgumentException naming the parameter when bins, k or l is out of range. */
    public static void checkParameters(int bins, int k, int l) {
        if (bins < 2) {
            throw new IllegalArgumentException("transfer entropy needs at least 2 bins, was " + bins);
        }
        if (k < 1 || k > 16) {
            throw new IllegalArgumentException("target history k must be in [1, 16], was " + k);
        }
        if (l < 1 || l > 16) {
            throw new IllegalArgumentException("source history l must be in [1, 16], was " + l);
        }
        double states = Math.pow(bins, k + l + 1);
        if (states > MAX_STATES) {
            throw new IllegalArgumentException("bins^(k+l+1) = " + bins + "^" + (k + l + 1) + " = " + (long) states
                    + " states is more than " + MAX_STATES + ": lower bins, k or l");
        }
    }

    private static int pow(int b, int e) {
        int r = 1;
        for (int i = 0; i < e; i++) {
            r *= b;
        }
        return r;
    }

    /** One-shot estimate on whole series (symbols in [0, bins)), bits. */
    public static double compute(int[] source, int[] target, int bins, int k, int l) {
        if (source.length != target.length) {
            throw new IllegalArgumentException("source and target must have the same length, were "
                    + source.length + " and " + target.length);
        }
        DiscreteTransferEntropy te = new DiscreteTransferEntropy(bins, k, l, 0);
        for (int t = 0; t < source.length; t++) {
            te.add(source[t], target[t]);
        }
        return te.value();
    }

    /**
     * Adds the pair (x_t, y_t). Symbols outside [0, bins) throw IllegalArgumentException naming them;
     * an observation is counted once max(k,l) earlier values are known.
     */
    public void add(int x, int y) {
        if (x < 0 || x >= bins || y < 0 || y >= bins) {
            throw new IllegalArgumentException("symbols must be in [0, " + bins + "), got source " + x + ", target " + y);
        }
        if (seen >= Math.max(k, l)) {
            int code = (histCode * sourceStates + srcCode) * bins + y;
            if (window > 0 && observations == window) {
                remove(obsRing[obsHead]);
            }
            insert(code);
            if (window > 0) {
                obsRing[obsHead] = code;
                obsHead = obsHead + 1 == window ? 0 : obsHead + 1;
            }
        } else {
            seen++;
        }
        // rolling codes: the most recent value is the least significant digit
        histCode = (histCode * bins + y) % historyStates;
        srcCode = (srcCode * bins + x) % sourceStates;
    }

    private void insert(int code) {
        int f = code % bins;
        int hsIdx = code / bins;
        int hist = hsIdx / sourceStates;
        int hfIdx = hist * bins + f;
        sHsf += delta(joint[code]++);
        sHs += delta(hs[hsIdx]++);
        sHf += delta(hf[hfIdx]++);
        sH += delta(h[hist]++);
        observations++;
    }

    private void remove(int code) {
        int f = code % bins;
        int hsIdx = code / bins;
        int hist = hsIdx / sourceStates;
        int hfIdx = hist * bins + f;
        sHsf -= delta(--joint[code]);
        sHs -= delta(--hs[hsIdx]);
        sHf -= delta(--hf[hfIdx]);
        sH -= delta(--h[hist]);
        observations--;
    }

    private static final int TABLE = 1 << 15;
    /** c ln c for small counts: a constant table, so the per-sample update needs no logarithm. */
    private static final double[] NLOGN = new double[TABLE + 1];

    static {
        for (int c = 1; c <= TABLE; c++) {
            NLOGN[c] = c * Math.log(c);
        }
    }

    private static double nlogn(int c) {
        return c <= TABLE ? NLOGN[c] : c * Math.log(c);
    }

    /** (c+1) ln(c+1) − c ln c. */
    private static double delta(int c) {
        return nlogn(c + 1) - nlogn(c);
    }

    /** Current estimate in bits (0 with no observations). Never negative beyond rounding. */
    public double value() {
        if (observations == 0) {
            return 0;
        }
        double v = (sHsf - sHs - sHf + sH) / (observations * Math.log(2));
        return v < 0 && v > -1e-9 ? 0 : v;
    }

    public int observations() {
        return observations;
    }

    public int bins() {
        return bins;
    }

    public int k() {
        return k;
    }

    public int l() {
        return l;
    }

    public void reset() {
        java.util.Arrays.fill(joint, 0);
        java.util.Arrays.fill(hs, 0);
        java.util.Arrays.fill(hf, 0);
        java.util.Arrays.fill(h, 0);
        seen = 0;
        histCode = 0;
        srcCode = 0;
        observations = 0;
        obsHead = 0;
        sHsf = sHs = sHf = sH = 0;
    }

    /**
     * Maps real values to symbols in [0, bins) by equal-width bins over [min, max] of the series
     * (values that are already integers in [0, bins) are kept as they are).
     */
    public static int[] discretise(double[] values, int bins) {
        boolean symbolic = true;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("series contains a non-finite value: " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v != Math.rint(v) || v < 0 || v >= bins) {
                symbolic = false;
            }
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = symbolic ? (int) values[i] : bin(values[i], min, max, bins);
        }
        return out;
    }

    /** Equal-width bin of v over [min, max]; values outside are clamped. */
    public static int bin(double v, double min, double max, int bins) {
        if (!(max > min)) {
            return 0;
        }
        int b = (int) ((v - min) / (max - min) * bins);
        return b < 0 ? 0 : (b >= bins ? bins - 1 : b);
    }
}
