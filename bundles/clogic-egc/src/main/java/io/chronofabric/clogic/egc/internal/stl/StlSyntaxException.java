package io.chronofabric.clogic.egc.internal.stl;

/** A specification that does not parse or does not make sense: names line, column and what was expected. */
public final class StlSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    public StlSyntaxException(int line, int column, String message) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() { return line; }

    public int column() { return column; }
}
