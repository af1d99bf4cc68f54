package io.chronofabric.compute.cpu.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * sgemm with the Java Vector API: packed panels (KC x NC of B in strips of two vectors, MC x KC
 * of A in strips of 6 rows) and a 6 x (2 vectors) register tile of FMAs: 12 accumulators,
 * 2 loads of B and 6 broadcasts of A per k step. Only loaded when jdk.incubator.vector is there
 * (see {@link Kernels}' caller, {@code SgemmSupport}).
 */
final class VectorSgemm implements Sgemm {

    // a concrete species constant (SPECIES_512/256): C2 intrinsifies the tile with it
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;

    @Override
    public String describe() {
        return "vector (" + S.vectorBitSize() + "-bit, " + MR + "x" + NR + " register tile, packed " + KC + "x" + NC
                + " panels)";
    }

    @Override
    public void multiply(int r0, int r1, int n, int k, java.nio.FloatBuffer a, java.nio.FloatBuffer b, float[] c,
            Workspace ws) {
        int m = r1 - r0;
        if (m <= 0 || n <= 0 || k <= 0) {
            return;
        }
        float[] edge = new float[MR * NR];
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
                        int bo = (jr / NR) * NR * kc;
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int ao = (ir / MR) * MR * kc;
                            int co = (ic + ir) * n + jc + jr;
                            if (rows == MR && cols == NR) {
                                tile(kc, pa, ao, pb, bo, c, co, n);
                            } else {
                                java.util.Arrays.fill(edge, 0f);
                                tile(kc, pa, ao, pb, bo, edge, 0, NR);
                                for (int r = 0; r < rows; r++) {
                                    for (int x = 0; x < cols; x++) {
                                        c[co + r * n + x] += edge[r * NR + x];
                                    }
                                }
                            }
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
        float[] edge = null;
        {
            int kc = Math.min(KC, k - pc);
            float[] pa = ws.a(((mc + MR - 1) / MR) * MR * kc);
            Sgemm.packA(a, k, r0, mc, pc, kc, MR, pa, ws);
            for (int jr = 0; jr < n; jr += NR) {
                int bo = pc * ((n + NR - 1) / NR) * NR + jr * kc; // panel pc, strip jr / NR (see packBPanelStrip)
                int cols = Math.min(NR, n - jr);
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = Math.min(MR, mc - ir);
                    int ao = (ir / MR) * MR * kc;
                    int co = (r0 + ir) * n + jr;
                    if (rows == MR && cols == NR) {
                        tile(kc, pa, ao, pb, bo, c, co, n);
                    } else {
                        if (edge == null) {
                            edge = new float[MR * NR];
                        } else {
                            java.util.Arrays.fill(edge, 0f);
                        }
                        tile(kc, pa, ao, pb, bo, edge, 0, NR);
                        for (int r = 0; r < rows; r++) {
                            for (int x = 0; x < cols; x++) {
                                c[co + r * n + x] += edge[r * NR + x];
                            }
                        }
                    }
                }
            }
        }
    }

    /** C[co.., 6 rows x NR] += the packed strips' product over kc. */
    private static void tile(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int bp = bo;
        int ap = ao;
        for (int p = 0; p < kc; p++, bp += NR, ap += MR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ap + 4]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ap + 5]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
        }
        // the C update inline: a vector passed to a method that is not inlined would be boxed
        int r1 = co + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        int r4 = r3 + ldc;
        int r5 = r4 + ldc;
        FloatVector.fromArray(S, c, co).add(c00).intoArray(c, co);
        FloatVector.fromArray(S, c, co + L).add(c01).intoArray(c, co + L);
        FloatVector.fromArray(S, c, r1).add(c10).intoArray(c, r1);
        FloatVector.fromArray(S, c, r1 + L).add(c11).intoArray(c, r1 + L);
        FloatVector.fromArray(S, c, r2).add(c20).intoArray(c, r2);
        FloatVector.fromArray(S, c, r2 + L).add(c21).intoArray(c, r2 + L);
        FloatVector.fromArray(S, c, r3).add(c30).intoArray(c, r3);
        FloatVector.fromArray(S, c, r3 + L).add(c31).intoArray(c, r3 + L);
        FloatVector.fromArray(S, c, r4).add(c40).intoArray(c, r4);
        FloatVector.fromArray(S, c, r4 + L).add(c41).intoArray(c, r4 + L);
        FloatVector.fromArray(S, c, r5).add(c50).intoArray(c, r5);
        FloatVector.fromArray(S, c, r5 + L).add(c51).intoArray(c, r5 + L);
    }
}
