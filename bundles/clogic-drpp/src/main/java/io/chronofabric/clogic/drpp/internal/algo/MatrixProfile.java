package io.chronofabric.clogic.drpp.internal.algo;

/**
 * Matrix profile of a series under the z-normalised Euclidean distance (Yeh et al., "Matrix Profile
 * I", ICDM 2016, STAMP/STAMPI; Zhu et al., "Matrix Profile II", ICDM 2016, STOMP): for every
 * subsequence of length m, the distance to its nearest non-trivial match (exclusion zone m/4 either
 * side, rounded up) and that match's index. The lowest profile value marks the top motif pair, the
 * highest the top discord.
 *
 * <p>{@link #stomp} computes it in O(n²) with the sliding dot product QT_{i,j} = QT_{i−1,j−1} −
 * T_{i−1}T_{j−1} + T_{i+m−1}T_{j+m−1}. {@link #append} is STAMPI: a new value adds one subsequence,
 * whose distance profile against all earlier ones comes from the last one's in O(n), and updates
 * the earlier profile entries. Distances: d = √(2m(1 − (QT − m μ_i μ_j)/(m σ_i σ_j))); a constant
 * subsequence is at distance 0 from another constant one and √m from any other.
 * Not thread-safe.
 */
public final class MatrixProfile {

    private final int m;
    private final int capacity;
    private final int exclusion;
    private final double[] t;
    private final double[] mu;
    private final double[] sigma;
    private final double[] profile;
    private final int[] index;
    private final double[] qt;     // dot products of the newest subsequence with every other (STAMPI)
    private final double[] qtPrev;
    private int length;

    /**
     * @param m subsequence length, >= 4
     * @param capacity the most values held, > 2m
     */
    public MatrixProfile(int m, int capacity) {
        if (m < 4) {
            throw new IllegalArgumentException("matrix profile subsequence length m must be >= 4, was " + m);
        }
        if (capacity <= 2 * m) {
            throw new IllegalArgumentException("matrix profile capacity must exceed 2m = " + 2 * m + ", was " + capacity);
        }
        this.m = m;
        this.capacity = capacity;
        this.exclusion = (m + 3) / 4;
        int subs = capacity - m + 1;
        t = new double[capacity];
        mu = new double[subs];
        sigma = new double[subs];
        profile = new double[subs];
        index = new int[subs];
        qt = new double[subs];
        qtPrev = new double[subs];
    }

    public int subsequenceLength() {
        return m;
    }

    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Number of subsequences (profile entries). */
    public int count() {
        return Math.max(0, length - m + 1);
    }

    public double profile(int i) {
        return profile[i];
    }

    public int profileIndex(int i) {
        return index[i];
    }

    public double value(int i) {
        return t[i];
    }

    /** Loads a series (length <= capacity) and computes its whole profile with STOMP. */
    public void stomp(double[] series, int n) {
        if (n > capacity) {
            throw new IllegalArgumentException("series of " + n + " values exceeds the matrix profile capacity " + capacity);
        }
        System.arraycopy(series, 0, t, 0, n);
        length = n;
        int subs = count();
        for (int i = 0; i < subs; i++) {
            stats(i);
            profile[i] = Double.POSITIVE_INFINITY;
            index[i] = -1;
        }
        if (subs < 2) {
            return;
        }
        // first row: QT_{0,j}
        for (int j = 0; j < subs; j++) {
            qt[j] = dot(0, j);
        }
        double[] first = qtPrev;
        System.arraycopy(qt, 0, first, 0, subs);
        update(0, subs);
        for (int i = 1; i < subs; i++) {
            for (int j = subs - 1; j >= 1; j--) {
                qt[j] = qt[j - 1] - t[i - 1] * t[j - 1] + t[i + m - 1] * t[j + m - 1];
            }
            qt[0] = first[i];
            update(i, subs);
        }
        qtValidFor = subs - 1; // qt now holds the last subsequence's row, for STAMPI
    }

    private void update(int i, int subs) {
        for (int j = 0; j < subs; j++) {
            if (Math.abs(i - j) < exclusion) {
                continue;
            }
            double dist = distance(qt[j], i, j);
            if (dist < profile[i]) {
                profile[i] = dist;
                index[i] = j;
            }
        }
    }

    /**
     * STAMPI: appends one value and updates the profile. Returns false (and changes nothing) when
     * the capacity is reached; callers then {@link #stomp} a recent window instead.
     */
    public boolean append(double x) {
        if (length == capacity) {
            return false;
        }
        t[length++] = x;
        int subs = count();
        if (subs < 1) {
            return true;
        }
        int s = subs - 1; // the new subsequence
        stats(s);
        profile[s] = Double.POSITIVE_INFINITY;
        index[s] = -1;
        if (subs == 1) {
            return true;
        }
        if (subs == 2 || qtValidFor != s - 1) {
            for (int j = 0; j < subs; j++) {
                qt[j] = dot(s, j);
            }
        } else {
            // row s from row s-1: QT_{s,j} = QT_{s-1,j-1} - T_{s-1} T_{j-1} + T_{s+m-1} T_{j+m-1}
            for (int j = subs - 1; j >= 1; j--) {
                qt[j] = qt[j - 1] - t[s - 1] * t[j - 1] + t[s + m - 1] * t[j + m - 1];
            }
            qt[0] = dot(s, 0);
        }
        qtValidFor = s;
        for (int j = 0; j < subs; j++) {
            if (Math.abs(s - j) < exclusion) {
                continue;
            }
            double dist = distance(qt[j], s, j);
            if (dist < profile[s]) {
                profile[s] = dist;
                index[s] = j;
            }
            if (dist < profile[j]) {
                profile[j] = dist;
                index[j] = s;
            }
        }
        return true;
    }

    private int qtValidFor = -1;

    /** Index of the top motif (lowest finite profile value), -1 if none. */
    public int motif() {
        int best = -1;
        for (int i = 0; i < count(); i++) {
            if (Double.isFinite(profile[i]) && (best < 0 || profile[i] < profile[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Index of the top discord (highest finite profile value), -1 if none. */
    public int discord() {
        int best = -1;
        for (int i = 0; i < count(); i++) {
            if (Double.isFinite(profile[i]) && (best < 0 || profile[i] > profile[best])) {
                best = i;
            }
        }
        return best;
    }

    private double dot(int i, int j) {
        double s = 0;
        for (int a = 0; a < m; a++) {
            s += t[i + a] * t[j + a];
        }
        return s;
    }

    private void stats(int i) {
        double s = 0, ss = 0;
        for (int a = 0; a < m; a++) {
            double v = t[i + a];
            s += v;
        }
        double mean = s / m;
        for (int a = 0; a < m; a++) {
            double v = t[i + a] - mean;
            ss += v * v;
        }
        mu[i] = mean;
        sigma[i] = Math.sqrt(ss / m);
    }

    private static final double FLAT = 1e-10;

    private double distance(double dotProduct, int i, int j) {
        boolean fi = sigma[i] < FLAT * (1 + Math.abs(mu[i])), fj = sigma[j] < FLAT * (1 + Math.abs(mu[j]));
        if (fi || fj) {
            return fi && fj ? 0 : Math.sqrt(m);
        }
        double corr = (dotProduct - m * mu[i] * mu[j]) / (m * sigma[i] * sigma[j]);
        double d2 = 2 * m * (1 - corr);
        return d2 > 0 ? Math.sqrt(d2) : 0;
    }

    /** Brute-force z-normalised Euclidean distance between subsequences i and j (for checks). */
    public static double zNormDistance(double[] series, int i, int j, int m) {
        double[] a = znorm(series, i, m), b = znorm(series, j, m);
        if (a == null || b == null) {
            return a == null && b == null ? 0 : Math.sqrt(m);
        }
        double s = 0;
        for (int q = 0; q < m; q++) {
            s += (a[q] - b[q]) * (a[q] - b[q]);
        }
        return Math.sqrt(s);
    }

    private static double[] znorm(double[] x, int off, int m) {
        double mean = 0;
        for (int q = 0; q < m; q++) {
            mean += x[off + q];
        }
        mean /= m;
        double var = 0;
        for (int q = 0; q < m; q++) {
            var += (x[off + q] - mean) * (x[off + q] - mean);
        }
        double sd = Math.sqrt(var / m);
        if (sd < FLAT * (1 + Math.abs(mean))) {
            return null;
        }
        double[] out = new double[m];
        for (int q = 0; q < m; q++) {
            out[q] = (x[off + q] - mean) / sd;
        }
        return out;
    }

    public int exclusionZone() {
        return exclusion;
    }
}
