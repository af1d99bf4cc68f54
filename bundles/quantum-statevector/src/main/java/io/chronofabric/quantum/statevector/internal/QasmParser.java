package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.Gate;
import io.chronofabric.api.quantum.QasmSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenQASM 2.0 (Cross, Bishop, Smolin, Gambetta, "Open Quantum Assembly Language",
 * arXiv:1707.03429) into a {@link Circuit}: the header, {@code include "qelib1.inc"},
 * {@code qreg}/{@code creg}, the built-ins {@code U} and {@code CX}, the gates of qelib1.inc
 * (expanded as that file defines them where the API has no such gate), user {@code gate}
 * definitions, {@code measure} and {@code barrier} with register broadcasting, and parameter
 * expressions ({@code pi}, + - * / ^, sin cos tan exp ln sqrt). {@code reset}, {@code if} and
 * {@code opaque} are refused. Every error names the line and column.
 *
 * <p>Single-qubit rotations: {@code rz}, {@code rx}, {@code ry} are the API's RZ/RX/RY
 * (Nielsen and Chuang); qelib1.inc defines {@code rz(φ)} as {@code u1(φ)}, which differs by the
 * global phase e^{iφ/2} only.
 */
final class QasmParser {

    private enum T { IDENT, NUMBER, STRING, SYMBOL, EOF }

    private record Token(T type, String text, int line, int col) {
        @Override
        public String toString() {
            return type == T.EOF ? "the end of the source" : "'" + text + "'";
        }
    }

    private record Register(String name, int offset, int size, boolean quantum) {
    }

    /** A gate call waiting for the circuit's width: applied to the builder at the end. */
    private record Pending(Gate gate, double[] params, int[] qubits, boolean barrier, int clbit, Token at) {
    }

    private record GateDef(String name, List<String> params, List<String> args, List<Token> body) {
    }

    private final String sourceName;
    private final List<Token> tokens;
    private int pos;
    private final Map<String, Register> registers = new LinkedHashMap<>();
    private final Map<String, GateDef> gateDefs = new HashMap<>();
    private int qubits;
    private int clbits;
    private final List<Pending> pending = new ArrayList<>();

    private QasmParser(String sourceName, List<Token> tokens) {
        this.sourceName = sourceName;
        this.tokens = tokens;
    }

    static Circuit parse(String sourceName, String source) {
        if (source == null) {
            throw new QasmSyntaxException(sourceName, 1, 1, "the source is null");
        }
        QasmParser p = new QasmParser(sourceName, tokenize(sourceName, source));
        return p.program();
    }

    // ---------------------------------------------------------------- lexer

    private static List<Token> tokenize(String name, String s) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int col = i - lineStart + 1;
            if (c == '\n') {
                line++;
                i++;
                lineStart = i;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new QasmSyntaxException(name, line, col, "comment /* is never closed");
                }
                for (int k = i; k < end; k++) {
                    if (s.charAt(k) == '\n') {
                        line++;
                        lineStart = k + 1;
                    }
                }
                i = end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(T.IDENT, s.substring(start, i), line, col));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int save = i;
                    i++;
                    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                        i++;
                    }
                    if (i < s.length() && Character.isDigit(s.charAt(i))) {
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                    } else {
                        i = save;
                    }
                }
                out.add(new Token(T.NUMBER, s.substring(start, i), line, col));
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0 || s.substring(i, end).indexOf('\n') >= 0) {
                    throw new QasmSyntaxException(name, line, col, "string is never closed");
                }
                out.add(new Token(T.STRING, s.substring(i + 1, end), line, col));
                i = end + 1;
            } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '>') {
                out.add(new Token(T.SYMBOL, "->", line, col));
                i += 2;
            } else if (c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '=') {
                out.add(new Token(T.SYMBOL, "==", line, col));
                i += 2;
            } else if ("();,[]{}+-*/^".indexOf(c) >= 0) {
                out.add(new Token(T.SYMBOL, String.valueOf(c), line, col));
                i++;
            } else {
                throw new QasmSyntaxException(name, line, col, "unexpected character '" + c + "'");
            }
        }
        int col = s.length() - lineStart + 1;
        out.add(new Token(T.EOF, "", line, col));
        return out;
    }

    // ---------------------------------------------------------------- parser

    private QasmSyntaxException error(Token at, String problem) {
        return new QasmSyntaxException(sourceName, at.line(), at.col(), problem);
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.type() != T.EOF) {
            pos++;
        }
        return t;
    }

    private boolean at(String symbolOrWord) {
        Token t = peek();
        return (t.type() == T.SYMBOL || t.type() == T.IDENT) && t.text().equals(symbolOrWord);
    }

    private Token expect(String symbol) {
        Token t = next();
        if (!((t.type() == T.SYMBOL || t.type() == T.IDENT) && t.text().equals(symbol))) {
            throw error(t, "expected '" + symbol + "' but found " + t);
        }
        return t;
    }

    private Token ident(String what) {
        Token t = next();
        if (t.type() != T.IDENT) {
            throw error(t, "expected " + what + " but found " + t);
        }
        return t;
    }

    private int integer(String what) {
        Token t = next();
        if (t.type() != T.NUMBER || !t.text().chars().allMatch(Character::isDigit)) {
            throw error(t, "expected " + what + " (a non-negative integer) but found " + t);
        }
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw error(t, what + " " + t.text() + " is too large");
        }
    }

    private Circuit program() {
        Token t = peek();
        if (!at("OPENQASM")) {
            throw error(t, "expected the header 'OPENQASM 2.0;' but found " + t);
        }
        next();
        Token version = next();
        if (version.type() != T.NUMBER) {
            throw error(version, "expected a version number after OPENQASM but found " + version);
        }
        if (!version.text().equals("2.0") && !version.text().equals("2")) {
            throw error(version, "OpenQASM " + version.text() + " is not supported; this reader takes OpenQASM 2.0");
        }
        expect(";");
        while (peek().type() != T.EOF) {
            statement();
        }
        if (qubits == 0) {
            throw error(peek(), "the program declares no qreg");
        }
        Circuit.Builder b = Circuit.builder(qubits, clbits).name(sourceName);
        for (Pending p : pending) {
            try {
                if (p.barrier()) {
                    b.barrier(p.qubits());
                } else if (p.gate() == null) {
                    b.measure(p.qubits()[0], p.clbit());
                } else {
                    b.gate(p.gate(), p.params(), p.qubits());
                }
            } catch (IllegalArgumentException e) {
                throw error(p.at(), e.getMessage());
            }
        }
        return b.build();
    }

    private void statement() {
        Token t = peek();
        if (t.type() != T.IDENT) {
            throw error(t, "expected a statement but found " + t);
        }
        switch (t.text()) {
            case "include": {
                next();
                Token file = next();
                if (file.type() != T.STRING) {
                    throw error(file, "expected a file name in double quotes after include but found " + file);
                }
                if (!file.text().equals("qelib1.inc")) {
                    throw error(file, "cannot include \"" + file.text() + "\": only qelib1.inc is built in");
                }
                expect(";");
                return;
            }
            case "qreg":
            case "creg": {
                next();
                Token name = ident("a register name");
                if (registers.containsKey(name.text())) {
                    throw error(name, "register '" + name.text() + "' is already declared");
                }
                expect("[");
                Token sizeAt = peek();
                int size = integer("a register size");
                if (size < 1) {
                    throw error(sizeAt, "register '" + name.text() + "' needs at least one bit");
                }
                expect("]");
                expect(";");
                boolean quantum = t.text().equals("qreg");
                if (quantum) {
                    if ((long) qubits + size > Circuit.MAX_QUBITS) {
                        throw error(sizeAt, "qreg " + name.text() + "[" + size + "] takes the program past " + Circuit.MAX_QUBITS + " qubits");
                    }
                    registers.put(name.text(), new Register(name.text(), qubits, size, true));
                    qubits += size;
                } else {
                    if ((long) clbits + size > Circuit.MAX_QUBITS) {
                        throw error(sizeAt, "creg " + name.text() + "[" + size + "] takes the program past " + Circuit.MAX_QUBITS + " classical bits");
                    }
                    registers.put(name.text(), new Register(name.text(), clbits, size, false));
                    clbits += size;
                }
                return;
            }
            case "measure": {
                next();
                Token qAt = peek();
                int[] qs = argument(true);
                expect("->");
                Token cAt = peek();
                int[] cs = argument(false);
                expect(";");
                if (qs.length != cs.length) {
                    throw error(cAt, "measure: " + qs.length + " qubit(s) into " + cs.length + " classical bit(s); the sizes must match");
                }
                for (int i = 0; i < qs.length; i++) {
                    pending.add(new Pending(null, null, new int[] {qs[i]}, false, cs[i], qAt));
                }
                return;
            }
            case "barrier": {
                Token at = next();
                List<Integer> all = new ArrayList<>();
                do {
                    for (int q : argument(true)) {
                        if (!all.contains(q)) {
                            all.add(q);
                        }
                    }
                } while (at(",") && next() != null);
                expect(";");
                pending.add(new Pending(null, null, all.stream().mapToInt(Integer::intValue).toArray(), true, -1, at));
                return;
            }
            case "gate":
                gateDefinition();
                return;
            case "opaque":
                throw error(t, "opaque gates are not supported (they have no definition to simulate)");
            case "reset":
                throw error(t, "reset is not supported: this simulator runs unitary circuits with terminal measurements");
            case "if":
                throw error(t, "classically controlled gates (if) are not supported: measurements are terminal here");
            default:
                gateCall(Map.of(), Map.of(), null);
        }
    }

    /** A register or one of its bits; the bits as absolute indices. */
    private int[] argument(boolean quantum) {
        Token name = ident(quantum ? "a qreg" : "a creg");
        Register r = registers.get(name.text());
        if (r == null) {
            throw error(name, "unknown register '" + name.text() + "'");
        }
        if (r.quantum() != quantum) {
            throw error(name, "'" + name.text() + "' is a " + (r.quantum() ? "qreg" : "creg") + ", expected a " + (quantum ? "qreg" : "creg"));
        }
        if (at("[")) {
            next();
            Token indexAt = peek();
            int index = integer("an index");
            expect("]");
            if (index >= r.size()) {
                throw error(indexAt, (quantum ? "qubit " : "bit ") + name.text() + "[" + index + "] is out of range: " + (quantum ? "qreg " : "creg ")
                        + name.text() + " has " + r.size() + (quantum ? " qubit(s)" : " bit(s)") + " (0.." + (r.size() - 1) + ")");
            }
            return new int[] {r.offset() + index};
        }
        int[] all = new int[r.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = r.offset() + i;
        }
        return all;
    }

    private void gateDefinition() {
        next(); // gate
        Token name = ident("a gate name");
        if (gateDefs.containsKey(name.text()) || BUILT_IN.containsKey(name.text())) {
            throw error(name, "gate '" + name.text() + "' is already defined");
        }
        List<String> params = new ArrayList<>();
        if (at("(")) {
            next();
            if (!at(")")) {
                do {
                    params.add(ident("a parameter name").text());
                } while (at(",") && next() != null);
            }
            expect(")");
        }
        List<String> args = new ArrayList<>();
        do {
            Token a = ident("a qubit argument name");
            if (args.contains(a.text())) {
                throw error(a, "argument '" + a.text() + "' is named twice");
            }
            args.add(a.text());
        } while (at(",") && next() != null);
        expect("{");
        List<Token> body = new ArrayList<>();
        while (!at("}")) {
            Token t = next();
            if (t.type() == T.EOF) {
                throw error(name, "the body of gate '" + name.text() + "' is never closed with '}'");
            }
            body.add(t);
        }
        next();
        GateDef def = new GateDef(name.text(), params, args, body);
        // check the body now: calls of known gates on the arguments, with the parameters in scope
        Map<String, Double> dummyParams = new HashMap<>();
        params.forEach(p -> dummyParams.put(p, 1.2345)); // any value: only the shape is checked here
        Map<String, Integer> dummyArgs = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            dummyArgs.put(args.get(i), i);
        }
        int saved = pending.size();
        expandBody(def, dummyParams, dummyArgs, name);
        while (pending.size() > saved) {
            pending.remove(pending.size() - 1);
        }
        gateDefs.put(def.name(), def);
    }

    private void expandBody(GateDef def, Map<String, Double> params, Map<String, Integer> args, Token callSite) {
        List<Token> body = new ArrayList<>(def.body());
        Token last = body.isEmpty() ? callSite : body.get(body.size() - 1);
        body.add(new Token(T.EOF, "", last.line(), last.col()));
        QasmParser sub = new QasmParser(sourceName, body);
        sub.gateDefs.putAll(gateDefs);
        while (sub.peek().type() != T.EOF) {
            if (sub.at("barrier")) {
                // a barrier inside a gate orders nothing the simulator cares about: skip it
                while (!sub.at(";") && sub.peek().type() != T.EOF) {
                    sub.next();
                }
                sub.expect(";");
                continue;
            }
            sub.gateCall(params, args, callSite);
        }
        pending.addAll(sub.pending);
    }

    /**
     * A gate call: {@code name[(exprs)] args;}. Inside a gate body, {@code params} and {@code args}
     * bind the definition's names; at top level they are empty and arguments are registers.
     */
    private void gateCall(Map<String, Double> params, Map<String, Integer> args, Token callSite) {
        Token name = ident("a gate name");
        List<Double> values = new ArrayList<>();
        if (at("(")) {
            next();
            if (!at(")")) {
                do {
                    values.add(expression(params));
                } while (at(",") && next() != null);
            }
            expect(")");
        }
        List<int[]> operands = new ArrayList<>();
        List<Token> operandAt = new ArrayList<>();
        do {
            operandAt.add(peek());
            if (args.isEmpty()) {
                operands.add(argument(true));
            } else {
                Token a = ident("a qubit argument");
                Integer q = args.get(a.text());
                if (q == null) {
                    throw error(a, "unknown qubit argument '" + a.text() + "' in a gate body (arguments: " + String.join(", ", args.keySet()) + ")");
                }
                if (at("[")) {
                    throw error(peek(), "arguments inside a gate body are single qubits and take no index");
                }
                operands.add(new int[] {q});
            }
        } while (at(",") && next() != null);
        expect(";");
        Token reportAt = callSite != null ? callSite : name;
        // broadcasting: registers of one size, single qubits repeated
        int width = 1;
        for (int i = 0; i < operands.size(); i++) {
            int len = operands.get(i).length;
            if (len > 1) {
                if (width > 1 && len != width) {
                    throw error(operandAt.get(i), "gate '" + name.text() + "': registers of different sizes (" + width + " and " + len + ")");
                }
                width = len;
            }
        }
        double[] p = values.stream().mapToDouble(Double::doubleValue).toArray();
        for (int w = 0; w < width; w++) {
            int[] qs = new int[operands.size()];
            for (int i = 0; i < qs.length; i++) {
                int[] o = operands.get(i);
                qs[i] = o.length == 1 ? o[0] : o[w];
            }
            emit(name, p, qs, reportAt);
        }
    }

    private static final double PI = Math.PI;

    /** Built-in and qelib1.inc gates: name -> {parameters, qubits}. */
    private static final Map<String, int[]> BUILT_IN = new HashMap<>();

    static {
        String[][] table = {
            {"U", "3", "1"}, {"u3", "3", "1"}, {"u", "3", "1"}, {"u2", "2", "1"}, {"u1", "1", "1"}, {"p", "1", "1"}, {"u0", "1", "1"},
            {"id", "0", "1"}, {"CX", "0", "2"}, {"cx", "0", "2"}, {"x", "0", "1"}, {"y", "0", "1"}, {"z", "0", "1"}, {"h", "0", "1"},
            {"s", "0", "1"}, {"sdg", "0", "1"}, {"t", "0", "1"}, {"tdg", "0", "1"}, {"rx", "1", "1"}, {"ry", "1", "1"}, {"rz", "1", "1"},
            {"sx", "0", "1"}, {"sxdg", "0", "1"}, {"cz", "0", "2"}, {"cy", "0", "2"}, {"ch", "0", "2"}, {"swap", "0", "2"},
            {"ccx", "0", "3"}, {"cswap", "0", "3"}, {"crx", "1", "2"}, {"cry", "1", "2"}, {"crz", "1", "2"}, {"cu1", "1", "2"},
            {"cp", "1", "2"}, {"cu3", "3", "2"}, {"rzz", "1", "2"},
        };
        for (String[] row : table) {
            BUILT_IN.put(row[0], new int[] {Integer.parseInt(row[1]), Integer.parseInt(row[2])});
        }
    }

    private void emit(Token name, double[] p, int[] q, Token at) {
        String n = name.text();
        GateDef def = gateDefs.get(n);
        int[] shape = BUILT_IN.get(n);
        if (def == null && shape == null) {
            throw error(name, "unknown gate '" + n + "' (not in qelib1.inc and not defined by a gate statement)");
        }
        int wantParams = def != null ? def.params().size() : shape[0];
        int wantQubits = def != null ? def.args().size() : shape[1];
        if (p.length != wantParams) {
            throw error(name, "gate '" + n + "' takes " + wantParams + " parameter(s), got " + p.length);
        }
        if (q.length != wantQubits) {
            throw error(name, "gate '" + n + "' acts on " + wantQubits + " qubit(s), got " + q.length);
        }
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < i; j++) {
                if (q[i] == q[j]) {
                    throw error(name, "gate '" + n + "' names the same qubit twice");
                }
            }
        }
        if (def != null) {
            Map<String, Double> params = new HashMap<>();
            for (int i = 0; i < p.length; i++) {
                params.put(def.params().get(i), p[i]);
            }
            Map<String, Integer> args = new HashMap<>();
            for (int i = 0; i < q.length; i++) {
                args.put(def.args().get(i), q[i]);
            }
            expandBody(def, params, args, at);
            return;
        }
        switch (n) {
            case "U": case "u3": case "u":
                g(Gate.U, at, q[0], p[0], p[1], p[2]);
                break;
            case "u2":
                g(Gate.U, at, q[0], PI / 2, p[0], p[1]);
                break;
            case "u1": case "p":
                g(Gate.U, at, q[0], 0, 0, p[0]);
                break;
            case "u0": case "id":
                break;
            case "CX": case "cx":
                g2(Gate.CNOT, at, q[0], q[1]);
                break;
            case "x": g(Gate.X, at, q[0]); break;
            case "y": g(Gate.Y, at, q[0]); break;
            case "z": g(Gate.Z, at, q[0]); break;
            case "h": g(Gate.H, at, q[0]); break;
            case "s": g(Gate.S, at, q[0]); break;
            case "sdg": g(Gate.SDG, at, q[0]); break;
            case "t": g(Gate.T, at, q[0]); break;
            case "tdg": g(Gate.TDG, at, q[0]); break;
            case "rx": g(Gate.RX, at, q[0], p[0]); break;
            case "ry": g(Gate.RY, at, q[0], p[0]); break;
            case "rz": g(Gate.RZ, at, q[0], p[0]); break;
            case "sx":
                g(Gate.SDG, at, q[0]);
                g(Gate.H, at, q[0]);
                g(Gate.SDG, at, q[0]);
                break;
            case "sxdg":
                g(Gate.S, at, q[0]);
                g(Gate.H, at, q[0]);
                g(Gate.S, at, q[0]);
                break;
            case "cz": g2(Gate.CZ, at, q[0], q[1]); break;
            case "swap": g2(Gate.SWAP, at, q[0], q[1]); break;
            case "ccx":
                pending.add(new Pending(Gate.TOFFOLI, new double[0], new int[] {q[0], q[1], q[2]}, false, -1, at));
                break;
            case "cy": // qelib1: sdg b; cx a,b; s b;
                g(Gate.SDG, at, q[1]);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.S, at, q[1]);
                break;
            case "ch": // qelib1 (Qiskit's current one): s b; h b; t b; cx a,b; tdg b; h b; sdg b;
                g(Gate.S, at, q[1]);
                g(Gate.H, at, q[1]);
                g(Gate.T, at, q[1]);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.TDG, at, q[1]);
                g(Gate.H, at, q[1]);
                g(Gate.SDG, at, q[1]);
                break;
            case "cswap": // qelib1: cx c,b; ccx a,b,c; cx c,b;
                g2(Gate.CNOT, at, q[2], q[1]);
                pending.add(new Pending(Gate.TOFFOLI, new double[0], new int[] {q[0], q[1], q[2]}, false, -1, at));
                g2(Gate.CNOT, at, q[2], q[1]);
                break;
            case "crx": // qelib1: u1(pi/2) b; cx a,b; u3(-theta/2,0,0) b; cx a,b; u3(theta/2,-pi/2,0) b;
                g(Gate.U, at, q[1], 0, 0, PI / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], -p[0] / 2, 0, 0);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], p[0] / 2, -PI / 2, 0);
                break;
            case "cry": // qelib1: ry(theta/2) b; cx a,b; ry(-theta/2) b; cx a,b;
                g(Gate.RY, at, q[1], p[0] / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.RY, at, q[1], -p[0] / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                break;
            case "crz": // qelib1: u1(lambda/2) b; cx a,b; u1(-lambda/2) b; cx a,b;
                g(Gate.U, at, q[1], 0, 0, p[0] / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], 0, 0, -p[0] / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                break;
            case "cu1": case "cp": // qelib1: u1(lambda/2) a; cx a,b; u1(-lambda/2) b; cx a,b; u1(lambda/2) b;
                g(Gate.U, at, q[0], 0, 0, p[0] / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], 0, 0, -p[0] / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], 0, 0, p[0] / 2);
                break;
            case "cu3": { // qelib1: u1((l+p)/2) c; u1((l-p)/2) t; cx c,t; u3(-th/2,0,-(p+l)/2) t; cx c,t; u3(th/2,p,0) t;
                double th = p[0], ph = p[1], l = p[2];
                g(Gate.U, at, q[0], 0, 0, (l + ph) / 2);
                g(Gate.U, at, q[1], 0, 0, (l - ph) / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], -th / 2, 0, -(ph + l) / 2);
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], th / 2, ph, 0);
                break;
            }
            case "rzz": // qelib1: cx a,b; u1(theta) b; cx a,b;
                g2(Gate.CNOT, at, q[0], q[1]);
                g(Gate.U, at, q[1], 0, 0, p[0]);
                g2(Gate.CNOT, at, q[0], q[1]);
                break;
            default:
                throw error(name, "gate '" + n + "' has no expansion");
        }
    }

    private void g(Gate gate, Token at, int q, double... params) {
        pending.add(new Pending(gate, params, new int[] {q}, false, -1, at));
    }

    private void g2(Gate gate, Token at, int a, int b) {
        pending.add(new Pending(gate, new double[0], new int[] {a, b}, false, -1, at));
    }

    // ---------------------------------------------------------------- expressions

    private double expression(Map<String, Double> params) {
        double v = term(params);
        while (at("+") || at("-")) {
            boolean plus = next().text().equals("+");
            double r = term(params);
            v = plus ? v + r : v - r;
        }
        return v;
    }

    private double term(Map<String, Double> params) {
        double v = power(params);
        while (at("*") || at("/")) {
            Token op = next();
            double r = power(params);
            if (op.text().equals("/") && r == 0) {
                throw error(op, "division by zero");
            }
            v = op.text().equals("*") ? v * r : v / r;
        }
        return v;
    }

    private double power(Map<String, Double> params) {
        double base = unary(params);
        if (at("^")) {
            next();
            return Math.pow(base, power(params)); // right associative
        }
        return base;
    }

    private double unary(Map<String, Double> params) {
        if (at("-")) {
            next();
            return -unary(params);
        }
        if (at("+")) {
            next();
            return unary(params);
        }
        return primary(params);
    }

    private double primary(Map<String, Double> params) {
        Token t = next();
        if (t.type() == T.NUMBER) {
            try {
                return Double.parseDouble(t.text());
            } catch (NumberFormatException e) {
                throw error(t, "'" + t.text() + "' is not a number");
            }
        }
        if (t.type() == T.SYMBOL && t.text().equals("(")) {
            double v = expression(params);
            expect(")");
            return v;
        }
        if (t.type() == T.IDENT) {
            if (t.text().equals("pi")) {
                return Math.PI;
            }
            Double bound = params.get(t.text());
            if (bound != null) {
                return bound;
            }
            switch (t.text()) {
                case "sin": case "cos": case "tan": case "exp": case "ln": case "sqrt": {
                    expect("(");
                    double a = expression(params);
                    expect(")");
                    double v;
                    switch (t.text()) {
                        case "sin": v = Math.sin(a); break;
                        case "cos": v = Math.cos(a); break;
                        case "tan": v = Math.tan(a); break;
                        case "exp": v = Math.exp(a); break;
                        case "ln": v = Math.log(a); break;
                        default: v = Math.sqrt(a); break;
                    }
                    if (!Double.isFinite(v)) {
                        throw error(t, t.text() + "(" + a + ") is not a finite number");
                    }
                    return v;
                }
                default:
                    throw error(t, "unknown identifier '" + t.text() + "' in an expression" + (params.isEmpty() ? "" : " (parameters: "
                            + String.join(", ", params.keySet()) + ")"));
            }
        }
        throw error(t, "expected a number, pi, a parameter or '(' but found " + t);
    }
}
