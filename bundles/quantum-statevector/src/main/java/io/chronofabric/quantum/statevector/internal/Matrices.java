package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.quantum.Gate;

/**
 * 2x2 complex matrices of the single-qubit gates, row-major as {m00r, m00i, m01r, m01i, m10r,
 * m10i, m11r, m11i}, and their product (fusion).
 */
final class Matrices {

    private static final double R = Math.sqrt(0.5);

    private Matrices() {
    }

    static double[] of(Gate gate, double[] p) {
        switch (gate) {
            case H:
                return new double[] {R, 0, R, 0, R, 0, -R, 0};
            case X:
                return new double[] {0, 0, 1, 0, 1, 0, 0, 0};
            case Y:
                return new double[] {0, 0, 0, -1, 0, 1, 0, 0};
            case Z:
                return new double[] {1, 0, 0, 0, 0, 0, -1, 0};
            case S:
                return new double[] {1, 0, 0, 0, 0, 0, 0, 1};
            case SDG:
                return new double[] {1, 0, 0, 0, 0, 0, 0, -1};
            case T:
                return new double[] {1, 0, 0, 0, 0, 0, R, R};
            case TDG:
                return new double[] {1, 0, 0, 0, 0, 0, R, -R};
            case RX: {
                double c = Math.cos(p[0] / 2), s = Math.sin(p[0] / 2);
                return new double[] {c, 0, 0, -s, 0, -s, c, 0};
            }
            case RY: {
                double c = Math.cos(p[0] / 2), s = Math.sin(p[0] / 2);
                return new double[] {c, 0, -s, 0, s, 0, c, 0};
            }
            case RZ: {
                double c = Math.cos(p[0] / 2), s = Math.sin(p[0] / 2);
                return new double[] {c, -s, 0, 0, 0, 0, c, s};
            }
            case U: {
                double theta = p[0], phi = p[1], lambda = p[2];
                double c = Math.cos(theta / 2), s = Math.sin(theta / 2);
                // exact zeros where an angle is 0, so u1 stays a phase kernel
                double m01r = s == 0 ? 0 : -Math.cos(lambda) * s, m01i = s == 0 ? 0 : -Math.sin(lambda) * s;
                double m10r = s == 0 ? 0 : Math.cos(phi) * s, m10i = s == 0 ? 0 : Math.sin(phi) * s;
                double m11r = Math.cos(phi + lambda) * c, m11i = Math.sin(phi + lambda) * c;
                return new double[] {c, 0, m01r, m01i, m10r, m10i, m11r, m11i};
            }
            default:
                throw new IllegalArgumentException(gate + " is not a single-qubit gate");
        }
    }

    /** a · b (apply b first, then a). */
    static double[] multiply(double[] a, double[] b) {
        double[] r = new double[8];
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 2; col++) {
                double sr = 0, si = 0;
                for (int k = 0; k < 2; k++) {
                    int ai = (row * 2 + k) * 2, bi = (k * 2 + col) * 2;
                    sr += a[ai] * b[bi] - a[ai + 1] * b[bi + 1];
                    si += a[ai] * b[bi + 1] + a[ai + 1] * b[bi];
                }
                r[(row * 2 + col) * 2] = sr;
                r[(row * 2 + col) * 2 + 1] = si;
            }
        }
        return r;
    }
}
