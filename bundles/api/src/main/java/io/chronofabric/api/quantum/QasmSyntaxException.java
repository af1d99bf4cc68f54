package io.chronofabric.api.quantum;

/**
 * OpenQASM source that does not parse or names something invalid (an unknown gate, a qubit out
 * of its register, an unsupported statement). The message starts with the source name, line and
 * column, e.g. {@code bell.qasm:3:1: unknown gate 'hh'}.
 */
public class QasmSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public QasmSyntaxException(String sourceName, int line, int column, String problem) {
        super((sourceName == null || sourceName.isEmpty() ? "qasm" : sourceName) + ":" + line + ":" + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem. */
    public int column() {
        return column;
    }
}
