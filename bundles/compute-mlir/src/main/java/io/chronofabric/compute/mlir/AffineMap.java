package io.chronofabric.compute.mlir;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code affine_map<(d0, d1)[s0] -> (d1, d0 + 2)>}: dimension and symbol counts and result
 * expressions. The runtime needs projected permutations ({@link #isProjectedPermutation()}), but
 * the parser keeps any affine expression so the verifier can name what is not one.
 */
public record AffineMap(int numDims, int numSymbols, List<Expr> results) {

    public AffineMap {
        results = List.copyOf(results);
    }

    /** An affine expression. */
    public sealed interface Expr permits Dim, Symbol, Constant, Binary {
    }

    /** {@code d<i>}. */
    public record Dim(int position) implements Expr {
        @Override
        public String toString() {
            return "d" + position;
        }
    }

    /** {@code s<i>}. */
    public record Symbol(int position) implements Expr {
        @Override
        public String toString() {
            return "s" + position;
        }
    }

    public record Constant(long value) implements Expr {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** {@code lhs op rhs} with op one of + * mod floordiv ceildiv. */
    public record Binary(String op, Expr lhs, Expr rhs) implements Expr {
        @Override
        public String toString() {
            return "(" + lhs + " " + op + " " + rhs + ")";
        }
    }

    public static AffineMap identity(int n) {
        List<Expr> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(new Dim(i));
        }
        return new AffineMap(n, 0, r);
    }

    /** Every result is a distinct dimension and there are no symbols (linalg's projected permutation). */
    public boolean isProjectedPermutation() {
        if (numSymbols != 0) {
            return false;
        }
        boolean[] seen = new boolean[numDims];
        for (Expr e : results) {
            if (!(e instanceof Dim d) || d.position() >= numDims || seen[d.position()]) {
                return false;
            }
            seen[d.position()] = true;
        }
        return true;
    }

    /** For a projected permutation: the dimension position of each result. */
    public int[] resultDims() {
        if (!isProjectedPermutation()) {
            throw new IllegalStateException(this + " is not a projected permutation");
        }
        int[] p = new int[results.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = ((Dim) results.get(i)).position();
        }
        return p;
    }

    public boolean isIdentity() {
        return numSymbols == 0 && results.size() == numDims && isProjectedPermutation()
                && java.util.stream.IntStream.range(0, numDims).allMatch(i -> ((Dim) results.get(i)).position() == i);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("affine_map<(");
        for (int i = 0; i < numDims; i++) {
            b.append(i == 0 ? "" : ", ").append('d').append(i);
        }
        b.append(')');
        if (numSymbols > 0) {
            b.append('[');
            for (int i = 0; i < numSymbols; i++) {
                b.append(i == 0 ? "" : ", ").append('s').append(i);
            }
            b.append(']');
        }
        b.append(" -> (");
        for (int i = 0; i < results.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(results.get(i));
        }
        return b.append(")>").toString();
    }
}
