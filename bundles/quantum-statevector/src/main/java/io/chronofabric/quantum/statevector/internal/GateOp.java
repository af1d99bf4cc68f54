package io.chronofabric.quantum.statevector.internal;

/**
 * One compiled step of a plan: a kernel kind, its qubit bit positions and its matrix entries,
 * applied in place to the work items {@code [lo, hi)} of a state. Immutable; the kernels allocate
 * nothing and take no lock, so disjoint ranges run on several threads at once.
 *
 * <p>A work item is an index of the state with zero bits inserted at the gate's qubits: a
 * single-qubit gate has 2^(n-1) items (amplitude pairs), CNOT, CZ and SWAP 2^(n-2), Toffoli
 * 2^(n-3). Items that differ only below the lowest of those qubits are contiguous in the state, so
 * each kernel walks runs of them in plain loops.
 */
final class GateOp {

    /** General complex 2x2 matrix. */
    static final int MATRIX = 0;
    /** Real 2x2 matrix (H, RY). */
    static final int REAL = 1;
    /** diag(d0, d1). */
    static final int DIAGONAL = 2;
    /** diag(1, d1): only the amplitudes with the qubit set change (Z, S, T, u1). */
    static final int PHASE = 3;
    /** [[0, m01], [m10, 0]]. */
    static final int ANTI_DIAGONAL = 4;
    /** X: swap the pair. */
    static final int FLIP = 5;
    static final int CNOT = 6;
    static final int CZ = 7;
    static final int SWAP = 8;
    static final int TOFFOLI = 9;

    final int kind;
    /** Bit positions: target (single-qubit kinds); control, target (CNOT); a, b (CZ, SWAP); c1, c2, t (Toffoli). */
    final int q0;
    final int q1;
    final int q2;
    /** Bit positions where zero bits are inserted into a work item, ascending (-1 when unused). */
    final int p0;
    final int p1;
    final int p2;
    /** m00, m01, m10, m11 as (re, im); diagonal kinds keep d0 in m00 and d1 in m11. */
    final double m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i;
    /** Human-readable form for plans and messages. */
    final String text;

    private GateOp(int kind, int q0, int q1, int q2, double[] m, String text) {
        this.kind = kind;
        this.q0 = q0;
        this.q1 = q1;
        this.q2 = q2;
        int[] p = sorted(q0, q1, q2);
        this.p0 = p[0];
        this.p1 = p[1];
        this.p2 = p[2];
        this.m00r = m[0];
        this.m00i = m[1];
        this.m01r = m[2];
        this.m01i = m[3];
        this.m10r = m[4];
        this.m10i = m[5];
        this.m11r = m[6];
        this.m11i = m[7];
        this.text = text;
    }

    private static final double[] NONE = new double[8];

    /**
     * The kernel for a 2x2 matrix on one qubit, chosen by the matrix's shape; null for the exact
     * identity (nothing to do).
     */
    static GateOp single(int qubit, double[] m, String text) {
        boolean offZero = m[2] == 0 && m[3] == 0 && m[4] == 0 && m[5] == 0;
        boolean diagZero = m[0] == 0 && m[1] == 0 && m[6] == 0 && m[7] == 0;
        int kind;
        if (offZero) {
            if (m[0] == 1 && m[1] == 0) {
                if (m[6] == 1 && m[7] == 0) {
                    return null;
                }
                kind = PHASE;
            } else {
                kind = DIAGONAL;
            }
        } else if (diagZero) {
            kind = m[2] == 1 && m[3] == 0 && m[4] == 1 && m[5] == 0 ? FLIP : ANTI_DIAGONAL;
        } else if (m[1] == 0 && m[3] == 0 && m[5] == 0 && m[7] == 0) {
            kind = REAL;
        } else {
            kind = MATRIX;
        }
        return new GateOp(kind, qubit, -1, -1, m, text);
    }

    static GateOp cnot(int control, int target) {
        return new GateOp(CNOT, control, target, -1, NONE, "cnot q[" + control + "],q[" + target + "]");
    }

    static GateOp cz(int a, int b) {
        return new GateOp(CZ, a, b, -1, NONE, "cz q[" + a + "],q[" + b + "]");
    }

    static GateOp swap(int a, int b) {
        return new GateOp(SWAP, a, b, -1, NONE, "swap q[" + a + "],q[" + b + "]");
    }

    static GateOp toffoli(int c1, int c2, int t) {
        return new GateOp(TOFFOLI, c1, c2, t, NONE, "toffoli q[" + c1 + "],q[" + c2 + "],q[" + t + "]");
    }

    /** Number of work items in an n-qubit state. */
    int items(int n) {
        int inserted = p2 >= 0 ? 3 : p1 >= 0 ? 2 : 1;
        return 1 << (n - inserted);
    }

    /** Whether the kernel touches every amplitude (for the bytes-streamed figure); CNOT and friends touch part. */
    @Override
    public String toString() {
        return text;
    }

    private static int[] sorted(int a, int b, int c) {
        int[] v = {a, b, c};
        java.util.Arrays.sort(v);
        // unused positions are -1 and sort first: move them to the end
        int used = 0;
        int[] out = {-1, -1, -1};
        for (int x : v) {
            if (x >= 0) {
                out[used++] = x;
            }
        }
        return out;
    }

    /** Inserts a zero bit at position p. */
    static int insertZero(int k, int p) {
        int low = k & ((1 << p) - 1);
        return ((k >>> p) << (p + 1)) | low;
    }

    private int spread(int k) {
        int i = insertZero(k, p0);
        if (p1 >= 0) {
            i = insertZero(i, p1);
            if (p2 >= 0) {
                i = insertZero(i, p2);
            }
        }
        return i;
    }

    /** Applies this step to work items [lo, hi) of the state. */
    void apply(double[] re, double[] im, int lo, int hi) {
        if (p1 < 0 && kind <= FLIP) {
            if (p0 == 0) {
                lowestQubit(re, im, lo, hi);
                return;
            }
            if (p0 < SHORT_RUN_BITS && kind <= PHASE) {
                shortRuns(re, im, lo, hi);
                return;
            }
        } else if (p1 >= 0 && p0 < SHORT_RUN_BITS) {
            shortRunsMulti(re, im, lo, hi);
            return;
        }
        int run = 1 << p0; // items that differ only below p0 are contiguous
        int k = lo;
        while (k < hi) {
            int end = Math.min(hi, (k | (run - 1)) + 1);
            int base = spread(k);
            int len = end - k;
            switch (kind) {
                case MATRIX:
                    matrix(re, im, base, len);
                    break;
                case REAL:
                    real(re, im, base, len);
                    break;
                case DIAGONAL:
                    diagonal(re, im, base, len);
                    break;
                case PHASE:
                    phase(re, im, base | (1 << q0), len);
                    break;
                case ANTI_DIAGONAL:
                    antiDiagonal(re, im, base, len);
                    break;
                case FLIP:
                    flip(re, im, base, base | (1 << q0), len);
                    break;
                case CNOT:
                    flip(re, im, base | (1 << q0), base | (1 << q0) | (1 << q1), len);
                    break;
                case CZ:
                    negate(re, im, base | (1 << q0) | (1 << q1), len);
                    break;
                case SWAP:
                    flip(re, im, base | (1 << q0), base | (1 << q1), len);
                    break;
                case TOFFOLI:
                    int c = base | (1 << q0) | (1 << q1);
                    flip(re, im, c, c | (1 << q2), len);
                    break;
                default:
                    throw new IllegalStateException("kernel " + kind);
            }
            k = end;
        }
    }

    /** Below this lowest bit, runs are too short to pay for a dispatch each: index per item instead. */
    private static final int SHORT_RUN_BITS = 4;

    /** Qubits 1..3: one loop over the items, each index computed by inserting the zero bit (no call per run). */
    private void shortRuns(double[] re, double[] im, int lo, int hi) {
        final int q = q0, bit = 1 << q, mask = bit - 1;
        final double ar = m00r, ai = m00i, br = m01r, bi = m01i, cr = m10r, ci = m10i, dr = m11r, di = m11i;
        switch (kind) {
            case REAL:
                for (int k = lo; k < hi; k++) {
                    int i = ((k >>> q) << (q + 1)) | (k & mask), j = i | bit;
                    double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
                    re[i] = ar * xr + br * yr;
                    im[i] = ar * xi + br * yi;
                    re[j] = cr * xr + dr * yr;
                    im[j] = cr * xi + dr * yi;
                }
                return;
            case DIAGONAL:
                for (int k = lo; k < hi; k++) {
                    int i = ((k >>> q) << (q + 1)) | (k & mask), j = i | bit;
                    double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
                    re[i] = ar * xr - ai * xi;
                    im[i] = ar * xi + ai * xr;
                    re[j] = dr * yr - di * yi;
                    im[j] = dr * yi + di * yr;
                }
                return;
            case PHASE:
                for (int k = lo; k < hi; k++) {
                    int j = ((k >>> q) << (q + 1)) | (k & mask) | bit;
                    double yr = re[j], yi = im[j];
                    re[j] = dr * yr - di * yi;
                    im[j] = dr * yi + di * yr;
                }
                return;
            default: // MATRIX
                for (int k = lo; k < hi; k++) {
                    int i = ((k >>> q) << (q + 1)) | (k & mask), j = i | bit;
                    double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
                    re[i] = ar * xr - ai * xi + br * yr - bi * yi;
                    im[i] = ar * xi + ai * xr + br * yi + bi * yr;
                    re[j] = cr * xr - ci * xi + dr * yr - di * yi;
                    im[j] = cr * xi + ci * xr + dr * yi + di * yr;
                }
        }
    }

    /** CNOT, CZ, SWAP, Toffoli whose lowest qubit is below {@link #SHORT_RUN_BITS}: index per item. */
    private void shortRunsMulti(double[] re, double[] im, int lo, int hi) {
        final int b0 = 1 << q0, b1 = 1 << q1;
        switch (kind) {
            case CNOT:
                for (int k = lo; k < hi; k++) {
                    int i = spread(k) | b0, j = i | b1;
                    double t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
                return;
            case CZ:
                for (int k = lo; k < hi; k++) {
                    int i = spread(k) | b0 | b1;
                    re[i] = -re[i];
                    im[i] = -im[i];
                }
                return;
            case SWAP:
                for (int k = lo; k < hi; k++) {
                    int base = spread(k), i = base | b0, j = base | b1;
                    double t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
                return;
            default: { // TOFFOLI
                final int b2 = 1 << q2;
                for (int k = lo; k < hi; k++) {
                    int i = spread(k) | b0 | b1, j = i | b2;
                    double t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
            }
        }
    }

    /** Qubit 0: the pairs are neighbours (2k, 2k+1), one plain loop instead of runs of length 1. */
    private void lowestQubit(double[] re, double[] im, int lo, int hi) {
        final double ar = m00r, ai = m00i, br = m01r, bi = m01i, cr = m10r, ci = m10i, dr = m11r, di = m11i;
        switch (kind) {
            case REAL:
                for (int i = 2 * lo, e = 2 * hi; i < e; i += 2) {
                    double xr = re[i], xi = im[i], yr = re[i + 1], yi = im[i + 1];
                    re[i] = ar * xr + br * yr;
                    im[i] = ar * xi + br * yi;
                    re[i + 1] = cr * xr + dr * yr;
                    im[i + 1] = cr * xi + dr * yi;
                }
                return;
            case DIAGONAL:
                for (int i = 2 * lo, e = 2 * hi; i < e; i += 2) {
                    double xr = re[i], xi = im[i], yr = re[i + 1], yi = im[i + 1];
                    re[i] = ar * xr - ai * xi;
                    im[i] = ar * xi + ai * xr;
                    re[i + 1] = dr * yr - di * yi;
                    im[i + 1] = dr * yi + di * yr;
                }
                return;
            case PHASE:
                for (int j = 2 * lo + 1, e = 2 * hi; j < e; j += 2) {
                    double yr = re[j], yi = im[j];
                    re[j] = dr * yr - di * yi;
                    im[j] = dr * yi + di * yr;
                }
                return;
            case FLIP:
                for (int i = 2 * lo, e = 2 * hi; i < e; i += 2) {
                    double t = re[i];
                    re[i] = re[i + 1];
                    re[i + 1] = t;
                    t = im[i];
                    im[i] = im[i + 1];
                    im[i + 1] = t;
                }
                return;
            case ANTI_DIAGONAL:
                for (int i = 2 * lo, e = 2 * hi; i < e; i += 2) {
                    double xr = re[i], xi = im[i], yr = re[i + 1], yi = im[i + 1];
                    re[i] = br * yr - bi * yi;
                    im[i] = br * yi + bi * yr;
                    re[i + 1] = cr * xr - ci * xi;
                    im[i + 1] = cr * xi + ci * xr;
                }
                return;
            default: // MATRIX
                for (int i = 2 * lo, e = 2 * hi; i < e; i += 2) {
                    double xr = re[i], xi = im[i], yr = re[i + 1], yi = im[i + 1];
                    re[i] = ar * xr - ai * xi + br * yr - bi * yi;
                    im[i] = ar * xi + ai * xr + br * yi + bi * yr;
                    re[i + 1] = cr * xr - ci * xi + dr * yr - di * yi;
                    im[i + 1] = cr * xi + ci * xr + dr * yi + di * yr;
                }
        }
    }

    private void matrix(double[] re, double[] im, int base, int len) {
        final int stride = 1 << q0;
        final double ar = m00r, ai = m00i, br = m01r, bi = m01i, cr = m10r, ci = m10i, dr = m11r, di = m11i;
        for (int i = base, e = base + len; i < e; i++) {
            int j = i + stride;
            double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
            re[i] = ar * xr - ai * xi + br * yr - bi * yi;
            im[i] = ar * xi + ai * xr + br * yi + bi * yr;
            re[j] = cr * xr - ci * xi + dr * yr - di * yi;
            im[j] = cr * xi + ci * xr + dr * yi + di * yr;
        }
    }

    private void real(double[] re, double[] im, int base, int len) {
        final int stride = 1 << q0;
        final double a = m00r, b = m01r, c = m10r, d = m11r;
        for (int i = base, e = base + len; i < e; i++) {
            int j = i + stride;
            double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
            re[i] = a * xr + b * yr;
            im[i] = a * xi + b * yi;
            re[j] = c * xr + d * yr;
            im[j] = c * xi + d * yi;
        }
    }

    private void diagonal(double[] re, double[] im, int base, int len) {
        final int stride = 1 << q0;
        final double ar = m00r, ai = m00i, dr = m11r, di = m11i;
        for (int i = base, e = base + len; i < e; i++) {
            int j = i + stride;
            double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
            re[i] = ar * xr - ai * xi;
            im[i] = ar * xi + ai * xr;
            re[j] = dr * yr - di * yi;
            im[j] = dr * yi + di * yr;
        }
    }

    private void phase(double[] re, double[] im, int start, int len) {
        final double dr = m11r, di = m11i;
        for (int j = start, e = start + len; j < e; j++) {
            double yr = re[j], yi = im[j];
            re[j] = dr * yr - di * yi;
            im[j] = dr * yi + di * yr;
        }
    }

    private void antiDiagonal(double[] re, double[] im, int base, int len) {
        final int stride = 1 << q0;
        final double br = m01r, bi = m01i, cr = m10r, ci = m10i;
        for (int i = base, e = base + len; i < e; i++) {
            int j = i + stride;
            double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
            re[i] = br * yr - bi * yi;
            im[i] = br * yi + bi * yr;
            re[j] = cr * xr - ci * xi;
            im[j] = cr * xi + ci * xr;
        }
    }

    private static void flip(double[] re, double[] im, int a, int b, int len) {
        for (int k = 0; k < len; k++) {
            int i = a + k, j = b + k;
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }

    private static void negate(double[] re, double[] im, int start, int len) {
        for (int i = start, e = start + len; i < e; i++) {
            re[i] = -re[i];
            im[i] = -im[i];
        }
    }
}
