package io.chronofabric.clogic.egc.internal.stl;

/**
 * Sliding-window maximum (or minimum) over the last {@code width} pushed values, O(1) amortised per
 * push (Lemire 2006, "Streaming maximum-minimum filter using no more than three comparisons per
 * element"): a deque of candidates with decreasing (increasing) values, in circular arrays sized once.
 * Allocates nothing after construction.
 */
final class StreamingExtremum {
    private final boolean max;
    private final long width;
    private final long[] times;
    private final double[] values;
    private final int cap;
    private int head;
    private int size;
    private long now = -1;

    StreamingExtremum(long width, boolean max) {
        if (width < 1 || width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("window width must be in 1.." + (Integer.MAX_VALUE - 8) + ", was " + width);
        }
        this.max = max;
        this.width = width;
        this.cap = (int) width + 1;
        this.times = new long[cap];
        this.values = new double[cap];
    }

    /** Pushes the value of the next time step and returns the extremum of the window ending there. */
    double push(double v) {
        now++;
        // drop candidates the new value dominates
        while (size > 0) {
            int last = (head + size - 1) % cap;
            if (max ? values[last] <= v : values[last] >= v) {
                size--;
            } else {
                break;
            }
        }
        int slot = (head + size) % cap;
        times[slot] = now;
        values[slot] = v;
        size++;
        // drop the front when it left the window
        if (times[head] <= now - width) {
            head = (head + 1) % cap;
            size--;
        }
        return values[head];
    }

    /** Advances time without a value (for samples that do not exist yet); returns the current extremum or the identity. */
    double skip() {
        now++;
        if (size > 0 && times[head] <= now - width) {
            head = (head + 1) % cap;
            size--;
        }
        return size == 0 ? (max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : values[head];
    }
}
