package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.Operation;

/**
 * A deliberately naive simulator for tests, independent of the kernels: each gate becomes its
 * full 2^k x 2^k matrix (k = 1..3, written out from the gate's definition) and is applied by
 * looping over every basis state and every matrix column, into a fresh vector.
 */
final class DenseReference {

    private DenseReference() {
    }

    /** The final state as {re, im}. */
    static double[][] run(Circuit c) {
        int n = c.qubits();
        int size = 1 << n;
        double[] re = new double[size];
        double[] im = new double[size];
        re[0] = 1;
        for (Operation op : c.operations()) {
            if (op.kind() != Operation.Kind.GATE) {
                continue;
            }
            double[][] m = matrix(op.gate(), op.parameters()); // [row][2*col] = re, [row][2*col+1] = im
            int k = op.gate().qubits();
            int[] qs = op.qubits();
            double[] nr = new double[size];
            double[] ni = new double[size];
            for (int i = 0; i < size; i++) {
                // row index of this basis state in the gate's matrix: first qubit named = most significant
                int row = 0;
                for (int a = 0; a < k; a++) {
                    row = (row << 1) | ((i >> qs[a]) & 1);
                }
                for (int col = 0; col < (1 << k); col++) {
                    int j = i;
                    for (int a = 0; a < k; a++) {
                        int bit = (col >> (k - 1 - a)) & 1;
                        j = (j & ~(1 << qs[a])) | (bit << qs[a]);
                    }
                    double mr = m[row][2 * col], mi = m[row][2 * col + 1];
                    nr[i] += mr * re[j] - mi * im[j];
                    ni[i] += mr * im[j] + mi * re[j];
                }
            }
            re = nr;
            im = ni;
        }
        return new double[][] {re, im};
    }

    static double[][] matrix(Gate g, double[] p) {
        double r = 1 / Math.sqrt(2);
        switch (g) {
            case H: return new double[][] {{r, 0, r, 0}, {r, 0, -r, 0}};
            case X: return new double[][] {{0, 0, 1, 0}, {1, 0, 0, 0}};
            case Y: return new double[][] {{0, 0, 0, -1}, {0, 1, 0, 0}};
            case Z: return new double[][] {{1, 0, 0, 0}, {0, 0, -1, 0}};
            case S: return new double[][] {{1, 0, 0, 0}, {0, 0, 0, 1}};
            case SDG: return new double[][] {{1, 0, 0, 0}, {0, 0, 0, -1}};
            case T: return new double[][] {{1, 0, 0, 0}, {0, 0, Math.cos(Math.PI / 4), Math.sin(Math.PI / 4)}};
            case TDG: return new double[][] {{1, 0, 0, 0}, {0, 0, Math.cos(Math.PI / 4), -Math.sin(Math.PI / 4)}};
            case RX: {
                double c = Math.cos(p[0] / 2), s = Math.sin(p[0] / 2);
                return new double[][] {{c, 0, 0, -s}, {0, -s, c, 0}};
            }
            case RY: {
                double c = Math.cos(p[0] / 2), s = Math.sin(p[0] / 2);
                return new double[][] {{c, 0, -s, 0}, {s, 0, c, 0}};
            }
            case RZ: return new double[][] {{Math.cos(-p[0] / 2), Math.sin(-p[0] / 2), 0, 0}, {0, 0, Math.cos(p[0] / 2), Math.sin(p[0] / 2)}};
            case U: {
                double c = Math.cos(p[0] / 2), s = Math.sin(p[0] / 2);
                return new double[][] {{c, 0, -Math.cos(p[2]) * s, -Math.sin(p[2]) * s},
                    {Math.cos(p[1]) * s, Math.sin(p[1]) * s, Math.cos(p[1] + p[2]) * c, Math.sin(p[1] + p[2]) * c}};
            }
            case CNOT: return permutation(4, new int[] {0, 1, 3, 2}, -1);
            case CZ: return permutation(4, new int[] {0, 1, 2, 3}, 3);
            case SWAP: return permutation(4, new int[] {0, 2, 1, 3}, -1);
            case TOFFOLI: return permutation(8, new int[] {0, 1, 2, 3, 4, 5, 7, 6}, -1);
            default: throw new IllegalArgumentException(g.name());
        }
    }

    /** Row i has a 1 in column perm[i] (-1 on the row {@code negated}). */
    private static double[][] permutation(int size, int[] perm, int negated) {
        double[][] m = new double[size][2 * size];
        for (int i = 0; i < size; i++) {
            m[i][2 * perm[i]] = i == negated ? -1 : 1;
        }
        return m;
    }
}
