package io.chronofabric.compute.mlir;

/**
 * A position in MLIR source text, 1-based like mlir-opt's diagnostics.
 *
 * @param line   line number, from 1
 * @param column column number, from 1
 */
public record Location(int line, int column) {

    public static final Location UNKNOWN = new Location(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
