package io.chronofabric.clogic.drpp.internal.algo;

/**
 * A static k-d tree (Bentley 1975; Friedman, Bentley, Finkel 1977) over n points in d dimensions
 * under the maximum norm, as the KSG estimator needs: the distance to the K-th nearest neighbour of
 * a point (excluding the point itself) and the number of points strictly closer than a radius.
 *
 * <p>The tree is implicit: the points are reordered so that each node is a range [lo, hi) split at
 * its median on dimension depth mod d; leaves hold up to {@value #LEAF} points. Build is O(n log n),
 * queries O(log n + m) on average for low d. Query scratch space is preallocated, so one instance
 * is not thread-safe; build one per thread.
 */
public final class KdTree {

    static final int LEAF = 8;

    private final int n;
    private final int d;
    private final double[] data;  // reordered coordinates, n * d
    private final int[] orig;     // original index of each reordered point
    private final int[] posOf;    // reordered position of each original index
    private final double[] boxMin; // per node (heap numbering from 1), d values
    private final double[] boxMax;
    private final double[] best;  // K nearest distances, ascending
    private int bestCount;
    private int bestK;

    /**
     * @param points row-major coordinates, at least n * d values (copied)
     */
    public KdTree(double[] points, int n, int d) {
        if (n < 1 || d < 1 || points.length < (long) n * d) {
            throw new IllegalArgumentException("k-d tree needs n >= 1 points of d >= 1 dimensions in an array of n*d values; n="
                    + n + ", d=" + d + ", length=" + points.length);
        }
        this.n = n;
        this.d = d;
        this.data = new double[n * d];
        this.orig = new int[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        build(points, idx, 0, n, 0);
        posOf = new int[n];
        for (int pos = 0; pos < n; pos++) {
            System.arraycopy(points, idx[pos] * d, data, pos * d, d);
            orig[pos] = idx[pos];
            posOf[idx[pos]] = pos;
        }
        int depth = 0;
        for (int size = n; size > LEAF; size = (size + 1) / 2) {
            depth++;
        }
        int nodes = 2 << depth; // heap numbering, root 1
        boxMin = new double[nodes * d];
        boxMax = new double[nodes * d];
        boxes(1, 0, n);
        best = new double[64];
    }

    private void build(double[] pts, int[] idx, int lo, int hi, int depth) {
        while (hi - lo > LEAF) {
            int dim = depth % d;
            int mid = (lo + hi) >>> 1;
            select(pts, idx, lo, hi - 1, mid, dim);
            build(pts, idx, lo, mid, depth + 1);
            lo = mid + 1;
            depth++;
        }
    }

    /** Bounding box of every node, bottom up (a node's points: [lo, hi), its median included). */
    private void boxes(int node, int lo, int hi) {
        int b = node * d;
        if (hi - lo <= LEAF) {
            for (int j = 0; j < d; j++) {
                double mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY;
                for (int p = lo; p < hi; p++) {
                    double v = data[p * d + j];
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
                boxMin[b + j] = mn;
                boxMax[b + j] = mx;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        boxes(2 * node, lo, mid);
        boxes(2 * node + 1, mid + 1, hi);
        int l = 2 * node * d, r = (2 * node + 1) * d;
        boolean rightEmpty = mid + 1 >= hi;
        for (int j = 0; j < d; j++) {
            double v = data[mid * d + j];
            double mn = Math.min(boxMin[l + j], v), mx = Math.max(boxMax[l + j], v);
            if (!rightEmpty) {
                mn = Math.min(mn, boxMin[r + j]);
                mx = Math.max(mx, boxMax[r + j]);
            }
            boxMin[b + j] = mn;
            boxMax[b + j] = mx;
        }
    }

    /** Quickselect: places the element of rank k (by coordinate dim) at k, smaller left, larger right. */
    private void select(double[] pts, int[] idx, int left, int right, int k, int dim) {
        while (right > left) {
            int m = (left + right) >>> 1;
            // median of three pivot
            double a = pts[idx[left] * d + dim], b = pts[idx[m] * d + dim], c = pts[idx[right] * d + dim];
            double pivot = a < b ? (b < c ? b : Math.max(a, c)) : (a < c ? a : Math.max(b, c));
            int i = left, j = right;
            while (i <= j) {
                while (pts[idx[i] * d + dim] < pivot) {
                    i++;
                }
                while (pts[idx[j] * d + dim] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return;
            }
        }
    }

    public int size() {
        return n;
    }

    public int dimensions() {
        return d;
    }

    /**
     * Max-norm distance from q (q[qOff .. qOff+d)) to its K-th nearest point, ignoring the point whose
     * original index is {@code exclude} (-1 for none).
     */
    public double kthNearest(double[] q, int qOff, int kth, int exclude) {
        if (kth < 1 || kth > best.length || kth > n - (exclude >= 0 ? 1 : 0)) {
            throw new IllegalArgumentException("K = " + kth + " neighbours is out of range for " + n + " points");
        }
        bestK = kth;
        bestCount = 0;
        knn(q, qOff, 0, n, 0, exclude);
        return best[kth - 1];
    }

    private double bound() {
        return bestCount < bestK ? Double.POSITIVE_INFINITY : best[bestK - 1];
    }

    private void knn(double[] q, int qOff, int lo, int hi, int depth, int exclude) {
        if (hi - lo <= LEAF) {
            for (int p = lo; p < hi; p++) {
                offer(q, qOff, p, exclude);
            }
            return;
        }
        int dim = depth % d;
        int mid = (lo + hi) >>> 1;
        double diff = q[qOff + dim] - data[mid * d + dim];
        offer(q, qOff, mid, exclude);
        if (diff < 0) {
            knn(q, qOff, lo, mid, depth + 1, exclude);
            if (-diff <= bound()) {
                knn(q, qOff, mid + 1, hi, depth + 1, exclude);
            }
        } else {
            knn(q, qOff, mid + 1, hi, depth + 1, exclude);
            if (diff <= bound()) {
                knn(q, qOff, lo, mid, depth + 1, exclude);
            }
        }
    }

    private void offer(double[] q, int qOff, int p, int exclude) {
        if (orig[p] == exclude) {
            return;
        }
        double dist = 0;
        int base = p * d;
        for (int j = 0; j < d; j++) {
            double v = Math.abs(q[qOff + j] - data[base + j]);
            if (v > dist) {
                dist = v;
            }
        }
        if (bestCount == bestK && dist >= best[bestK - 1]) {
            return;
        }
        int pos = bestCount < bestK ? bestCount++ : bestK - 1;
        while (pos > 0 && best[pos - 1] > dist) {
            best[pos] = best[pos - 1];
            pos--;
        }
        best[pos] = dist;
    }

    /**
     * Number of points at max-norm distance strictly less than r from q, not counting the point
     * whose original index is {@code exclude}.
     */
    public int countWithin(double[] q, int qOff, double r, int exclude) {
        int c = count(q, qOff, r, 1, 0, n, 0);
        if (exclude >= 0 && exclude < n && within(q, qOff, posOf[exclude], r)) {
            c--;
        }
        return c;
    }

    /**
     * Points of node [lo, hi) strictly within r of q: the whole node when its box lies inside the
     * open ball, none when the box is outside it, else the children and the median.
     */
    private int count(double[] q, int qOff, double r, int node, int lo, int hi, int depth) {
        if (lo >= hi) {
            return 0;
        }
        int b = node * d;
        boolean inside = true;
        for (int j = 0; j < d; j++) {
            double v = q[qOff + j];
            double mn = boxMin[b + j], mx = boxMax[b + j];
            if (mn >= v + r || mx <= v - r) {
                return 0;
            }
            if (mn <= v - r || mx >= v + r) {
                inside = false;
            }
        }
        if (inside) {
            return hi - lo;
        }
        if (hi - lo <= LEAF) {
            int c = 0;
            for (int p = lo; p < hi; p++) {
                if (within(q, qOff, p, r)) {
                    c++;
                }
            }
            return c;
        }
        int mid = (lo + hi) >>> 1;
        int c = within(q, qOff, mid, r) ? 1 : 0;
        return c + count(q, qOff, r, 2 * node, lo, mid, depth + 1) + count(q, qOff, r, 2 * node + 1, mid + 1, hi, depth + 1);
    }

    private boolean within(double[] q, int qOff, int p, double r) {
        int base = p * d;
        for (int j = 0; j < d; j++) {
            if (Math.abs(q[qOff + j] - data[base + j]) >= r) {
                return false;
            }
        }
        return true;
    }
}
