package io.chronofabric.compute.cpu.internal;

/** The fallback without the Vector API: the same blocking with a 4x8 scalar register tile. */
final class ScalarSgemm implements Sgemm {

    private static final int MR = 4;
    private static final int NR = 8;

    @Override
    public String describe() {
        return "scalar (4x8 register tile, packed " + KC + "x" + NC + " panels)";
    }

    @Override
    public void multiply(int r0, int r1, int n, int k, java.nio.FloatBuffer a, java.nio.FloatBuffer b, float[] c,
            Workspace ws) {
        int m = r1 - r0;
        if (m <= 0 || n <= 0 || k <= 0) {
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] pb = ws.b(((nc + NR - 1) / NR) * NR * kc);
                Sgemm.packB(b, n, pc, kc, jc, nc, NR, pb);
                for (int ic = r0; ic < r1; ic += MC) {
                    int mc = Math.min(MC, r1 - ic);
                    float[] pa = ws.a(((mc + MR - 1) / MR) * MR * kc);
                    Sgemm.packA(a, k, ic, mc, pc, kc, MR, pa, ws);
                    for (int jr = 0; jr < nc; jr += NR) {
                        for (int ir = 0; ir < mc; ir += MR) {
                            tile(kc, pa, (ir / MR) * MR * kc, pb, (jr / NR) * NR * kc, c, (ic + ir) * n + jc + jr, n,
                                    Math.min(MR, mc - ir), Math.min(NR, nc - jr));
                        }
                    }
                }
            }
        }
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiplyPacked(int r0, int r1, int n, int k, int pc, java.nio.FloatBuffer a, float[] pb, float[] c,
            Workspace ws) {
        int mc = r1 - r0;
        if (mc <= 0 || n <= 0 || k <= 0 || pc >= k) {
            return;
        }
        {
            int kc = Math.min(KC, k - pc);
            float[] pa = ws.a(((mc + MR - 1) / MR) * MR * kc);
            Sgemm.packA(a, k, r0, mc, pc, kc, MR, pa, ws);
            for (int jr = 0; jr < n; jr += NR) {
                for (int ir = 0; ir < mc; ir += MR) {
                    tile(kc, pa, (ir / MR) * MR * kc, pb, pc * ((n + NR - 1) / NR) * NR + jr * kc, c, (r0 + ir) * n + jr, n,
                            Math.min(MR, mc - ir), Math.min(NR, n - jr));
                }
            }
        }
    }

    private static void tile(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc, int rows,
            int cols) {
        float[] acc = new float[MR * NR];
        for (int p = 0; p < kc; p++) {
            int bp = bo + p * NR;
            int ap = ao + p * MR;
            for (int r = 0; r < MR; r++) {
                float av = pa[ap + r];
                int rr = r * NR;
                for (int x = 0; x < NR; x++) {
                    acc[rr + x] += av * pb[bp + x];
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int x = 0; x < cols; x++) {
                c[co + r * ldc + x] += acc[r * NR + x];
            }
        }
    }
}
