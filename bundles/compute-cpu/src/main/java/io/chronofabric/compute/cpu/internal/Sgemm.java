package io.chronofabric.compute.cpu.internal;

import java.nio.FloatBuffer;

/**
 * Single-precision C += A * B on row-major arrays (rows {@code [r0, r1)} of C only, so callers
 * can split the rows among threads). Implementations are stateless and thread-safe; packing
 * buffers come from the caller's {@link Workspace}. A and B are read only by the packing, with
 * absolute bulk reads, so they may be read-only views of the API tensors (zero copy) shared by
 * every thread.
 */
interface Sgemm {

    /** Blocking: KC rows of B per panel, MC rows of A per block, NC columns of B per panel. */
    int KC = 256;
    int MC = 96;
    int NC = 2048;

    void multiply(int r0, int r1, int n, int k, FloatBuffer a, FloatBuffer b, float[] c, Workspace ws);

    default void multiply(int r0, int r1, int n, int k, float[] a, float[] b, float[] c, Workspace ws) {
        multiply(r0, r1, n, k, FloatBuffer.wrap(a), FloatBuffer.wrap(b), c, ws);
    }

    /** Register tile height (rows of A per packed strip). */
    int mr();

    /** Register tile width (columns of B per packed strip). */
    int nr();

    /**
     * C rows {@code [r0, r1)} ({@code r1 - r0 <= MC}) += A[:, pc..pc+kc) * B[pc..pc+kc, :] for
     * the one KC panel starting at {@code pc} ({@code kc = min(KC, k - pc)}), with B already
     * packed by {@link #packBPanelStrip} (panel-major, see there): several threads share one packed B.
     * Panels of one row block must run in pc order for results bit-identical to {@link #multiply}.
     */
    void multiplyPacked(int r0, int r1, int n, int k, int pc, FloatBuffer a, float[] packedB, float[] c, Workspace ws);

    /** Name for reports: "vector (512-bit, 6x32 register tile)" or "scalar". */
    String describe();

    /** Packing buffers of one thread, reused across calls. */
    final class Workspace {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        float[] row = new float[0];

        float[] row(int n) {
            if (row.length < n) {
                row = new float[n];
            }
            return row;
        }

        float[] a(int n) {
            if (packedA.length < n) {
                packedA = new float[n];
            }
            return packedA;
        }

        float[] b(int n) {
            if (packedB.length < n) {
                packedB = new float[n];
            }
            return packedB;
        }
    }

    /** Packs B[p0..p0+kc) x [j0..j0+nc) into strips of {@code nr} columns, zero padded. */
    static void packB(FloatBuffer b, int ldb, int p0, int kc, int j0, int nc, int nr, float[] dst) {
        int strips = (nc + nr - 1) / nr;
        for (int s = 0; s < strips; s++) {
            int j = j0 + s * nr;
            int w = Math.min(nr, j0 + nc - j);
            int base = s * nr * kc;
            for (int p = 0; p < kc; p++) {
                int src = (p0 + p) * ldb + j;
                int at = base + p * nr;
                b.get(src, dst, at, w);
                for (int x = w; x < nr; x++) {
                    dst[at + x] = 0f;
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) of strip {@code s} of B (k x n; columns [s*nr, s*nr+nr), zero
     * padded). Layout panel-major, as {@link #packB} packs one panel: the panel of rows from
     * {@code pc} starts at {@code pc * ceil(n / nr) * nr}, its strip {@code s} at {@code s * nr * kc}
     * within it (k-major). Each panel is contiguous: strips of a whole-k layout would lie {@code nr
     * * k} floats apart, 128 KiB at k = 1024, and map onto the same L2 sets.
     */
    static void packBPanelStrip(FloatBuffer b, int n, int k, int pc, int kc, int s, int nr, float[] dst) {
        int j = s * nr;
        int w = Math.min(nr, n - j);
        int strips = (n + nr - 1) / nr;
        int at = pc * strips * nr + s * nr * kc;
        for (int p = pc; p < pc + kc; p++, at += nr) {
            b.get(p * n + j, dst, at, w);
            for (int x = w; x < nr; x++) {
                dst[at + x] = 0f;
            }
        }
    }

    /** Packs A[i0..i0+mc) x [p0..p0+kc) into strips of {@code mr} rows (k-major), zero padded. */
    static void packA(FloatBuffer a, int lda, int i0, int mc, int p0, int kc, int mr, float[] dst, Workspace ws) {
        float[] row = ws.row(kc);
        int strips = (mc + mr - 1) / mr;
        for (int s = 0; s < strips; s++) {
            int i = i0 + s * mr;
            int h = Math.min(mr, i0 + mc - i);
            int base = s * mr * kc;
            for (int r = 0; r < mr; r++) {
                if (r < h) {
                    a.get((i + r) * lda + p0, row, 0, kc);
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + r] = row[p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + r] = 0f;
                    }
                }
            }
        }
    }
}
