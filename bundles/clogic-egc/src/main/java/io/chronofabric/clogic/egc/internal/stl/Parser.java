package io.chronofabric.clogic.egc.internal.stl;

import io.chronofabric.clogic.egc.internal.stl.Node.BOp;
import io.chronofabric.clogic.egc.internal.stl.Node.T2Op;
import io.chronofabric.clogic.egc.internal.stl.Node.TOp;
import io.chronofabric.clogic.egc.internal.stl.Node.UOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the discrete-time subset of RTAMT's STL specification language
 * (written from its documentation; not derived from its ANTLR grammar). Statements are separated by
 * new lines or ';'. Precedence, loosest first: implies (right associative), iff / xor, or, and,
 * until / unless / since, unary (not, always, eventually, once, historically, next, prev, rise, fall),
 * comparison, + -, * /, unary minus, primary.
 */
public final class Parser {

    private enum K { IDENT, NUMBER, SYM, NL, EOF }

    private record Tok(K kind, String text, double number, int line, int col) {
        String show() {
            return switch (kind) {
                case EOF -> "end of input";
                case NL -> "end of line";
                default -> "'" + text + "'";
            };
        }
    }

    private static final Set<String> KEYWORDS = Set.of("input", "output", "const", "specification", "not", "and", "or",
            "implies", "iff", "xor", "always", "eventually", "once", "historically", "next", "prev", "rise", "fall", "until",
            "unless", "since", "abs", "sqrt", "exp", "pow", "inf");
    private static final Set<String> TYPES = Set.of("float", "real", "double", "int", "long");
    private static final String[] SYMBOLS = {"<->", "!==", "->", "==", "!=", ">=", "<=", "&&", "||", "(", ")", "[", "]", ":",
        ",", "=", ">", "<", "+", "-", "*", "/", "!", "&", "|", ";"};

    private final List<Tok> toks;
    private final double periodSeconds;
    private int pos;

    private final List<String> inputs = new ArrayList<>();
    private final Set<String> declaredOutputs = new LinkedHashSet<>();
    private final Map<String, Double> consts = new LinkedHashMap<>();
    private final Map<String, Node> assigned = new LinkedHashMap<>();
    private final Set<String> free = new LinkedHashSet<>();

    private Parser(String text, double periodSeconds) {
        this.toks = lex(text);
        this.periodSeconds = periodSeconds;
    }

    /**
     * Parses a specification (declarations, assignments) or a bare formula.
     * @param periodSeconds the sampling period, used to turn interval bounds with units into samples
     */
    public static Spec parse(String text, double periodSeconds) {
        if (text == null || text.isBlank()) {
            throw new StlSyntaxException(1, 1, "empty specification: expected a formula");
        }
        if (!(periodSeconds > 0) || Double.isInfinite(periodSeconds)) {
            throw new IllegalArgumentException("sampling period must be a positive number of seconds, was " + periodSeconds);
        }
        return new Parser(text, periodSeconds).spec(text);
    }

    // ------------------------------------------------------------------ lexer

    private static List<Tok> lex(String s) {
        List<Tok> out = new ArrayList<>();
        int line = 1;
        int col = 1;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.add(new Tok(K.NL, "\n", 0, line, col));
                i++;
                line++;
                col = 1;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                col++;
                continue;
            }
            if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            int start = i;
            if (Character.isLetter(c) || c == '_') {
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Tok(K.IDENT, s.substring(start, i), 0, line, col));
                col += i - start;
                continue;
            }
            if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int j = i + 1;
                    if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                        j++;
                    }
                    if (j < s.length() && Character.isDigit(s.charAt(j))) {
                        i = j;
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                    }
                }
                String t = s.substring(start, i);
                double v;
                try {
                    v = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new StlSyntaxException(line, col, "'" + t + "' is not a number");
                }
                out.add(new Tok(K.NUMBER, t, v, line, col));
                col += i - start;
                continue;
            }
            String sym = null;
            for (String cand : SYMBOLS) {
                if (s.startsWith(cand, i)) {
                    sym = cand;
                    break;
                }
            }
            if (sym == null) {
                throw new StlSyntaxException(line, col, "unexpected character '" + c + "'");
            }
            out.add(new Tok(K.SYM, sym, 0, line, col));
            i += sym.length();
            col += sym.length();
        }
        out.add(new Tok(K.EOF, "", 0, line, col));
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private Tok peek() {
        return toks.get(pos);
    }

    private Tok peek(int ahead) {
        return toks.get(Math.min(pos + ahead, toks.size() - 1));
    }

    private Tok next() {
        Tok t = toks.get(pos);
        if (t.kind != K.EOF) {
            pos++;
        }
        return t;
    }

    private boolean isSym(String s) {
        Tok t = peek();
        return t.kind == K.SYM && t.text.equals(s);
    }

    private boolean isWord(String w) {
        Tok t = peek();
        return t.kind == K.IDENT && t.text.equals(w);
    }

    private boolean acceptSym(String s) {
        if (isSym(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptWord(String w) {
        if (isWord(w)) {
            pos++;
            return true;
        }
        return false;
    }

    private StlSyntaxException error(String expected) {
        Tok t = peek();
        return new StlSyntaxException(t.line, t.col, "expected " + expected + ", found " + t.show());
    }

    private void expectSym(String s) {
        if (!acceptSym(s)) {
            throw error("'" + s + "'");
        }
    }

    private String expectIdent(String what) {
        Tok t = peek();
        if (t.kind != K.IDENT || KEYWORDS.contains(t.text)) {
            throw error(what);
        }
        pos++;
        return t.text;
    }

    // ------------------------------------------------------------------ statements

    private Spec spec(String text) {
        Node bare = null;
        String outName = null;
        Tok bareAt = null;
        while (true) {
            while (peek().kind == K.NL || isSym(";")) {
                next();
            }
            if (peek().kind == K.EOF) {
                break;
            }
            Tok start = peek();
            if (acceptWord("specification")) {
                expectIdent("a specification name");
            } else if (acceptWord("input")) {
                declare(true);
            } else if (acceptWord("output")) {
                declare(false);
            } else if (acceptWord("const")) {
                constant();
            } else if (start.kind == K.IDENT && !KEYWORDS.contains(start.text) && peek(1).kind == K.SYM && peek(1).text.equals("=")) {
                String name = next().text;
                next();
                if (inputs.contains(name) || consts.containsKey(name)) {
                    throw new StlSyntaxException(start.line, start.col, "'" + name + "' is an input or constant and cannot be assigned");
                }
                Node f = expression();
                assigned.put(name, f);
                outName = name;
            } else {
                if (bare != null) {
                    throw new StlSyntaxException(start.line, start.col, "a second bare formula: expected a declaration or an assignment 'out = formula'");
                }
                bare = expression();
                bareAt = start;
            }
            if (!(peek().kind == K.NL || peek().kind == K.EOF || isSym(";"))) {
                throw error("an operator, end of line or ';'");
            }
        }
        if (bare != null && !assigned.isEmpty()) {
            throw new StlSyntaxException(bareAt.line, bareAt.col, "a bare formula next to assignments: write 'out = formula'");
        }
        Node formula;
        if (bare != null) {
            formula = bare;
            outName = "out";
        } else if (assigned.isEmpty()) {
            throw new StlSyntaxException(peek().line, peek().col, "no formula: expected 'out = formula' or a formula");
        } else {
            if (declaredOutputs.size() == 1) {
                String o = declaredOutputs.iterator().next();
                if (!assigned.containsKey(o)) {
                    throw new StlSyntaxException(peek().line, peek().col, "output '" + o + "' is declared but never assigned");
                }
                outName = o;
            }
            formula = assigned.get(outName);
        }
        List<String> in = new ArrayList<>(inputs);
        if (in.isEmpty()) {
            in.addAll(free);
        } else {
            for (String f : free) {
                if (!in.contains(f)) {
                    throw new IllegalArgumentException("unknown signal '" + f + "': not declared as input, const or assigned");
                }
            }
        }
        return new Spec(text, outName, formula, List.copyOf(in), Map.copyOf(consts), periodSeconds);
    }

    private void declare(boolean input) {
        if (peek().kind == K.IDENT && TYPES.contains(peek().text) && peek(1).kind == K.IDENT) {
            next();
        }
        do {
            Tok at = peek();
            String name = expectIdent(input ? "an input name" : "an output name");
            if (inputs.contains(name) || declaredOutputs.contains(name) || consts.containsKey(name)) {
                throw new StlSyntaxException(at.line, at.col, "'" + name + "' is declared twice");
            }
            if (input) {
                inputs.add(name);
            } else {
                declaredOutputs.add(name);
            }
        } while (acceptSym(","));
    }

    private void constant() {
        if (peek().kind == K.IDENT && TYPES.contains(peek().text) && peek(1).kind == K.IDENT) {
            next();
        }
        Tok at = peek();
        String name = expectIdent("a constant name");
        if (inputs.contains(name) || consts.containsKey(name)) {
            throw new StlSyntaxException(at.line, at.col, "'" + name + "' is declared twice");
        }
        expectSym("=");
        boolean neg = acceptSym("-");
        Tok n = peek();
        if (n.kind != K.NUMBER) {
            throw error("a number");
        }
        next();
        consts.put(name, neg ? -n.number : n.number);
    }

    // ------------------------------------------------------------------ expressions

    Node expression() {
        Node l = iffXor();
        if (acceptWord("implies") || acceptSym("->")) {
            return new Node.Binary(BOp.IMPLIES, l, expression());
        }
        return l;
    }

    private Node iffXor() {
        Node l = or();
        while (true) {
            if (acceptWord("iff") || acceptSym("<->")) {
                l = new Node.Binary(BOp.IFF, l, or());
            } else if (acceptWord("xor")) {
                l = new Node.Binary(BOp.XOR, l, or());
            } else {
                return l;
            }
        }
    }

    private Node or() {
        Node l = and();
        while (acceptWord("or") || acceptSym("|") || acceptSym("||")) {
            l = new Node.Binary(BOp.OR, l, and());
        }
        return l;
    }

    private Node and() {
        Node l = binaryTemporal();
        while (acceptWord("and") || acceptSym("&") || acceptSym("&&")) {
            l = new Node.Binary(BOp.AND, l, binaryTemporal());
        }
        return l;
    }

    private Node binaryTemporal() {
        Node l = unary();
        while (true) {
            T2Op op;
            if (acceptWord("until")) {
                op = T2Op.UNTIL;
            } else if (acceptWord("unless")) {
                op = T2Op.UNLESS;
            } else if (acceptWord("since")) {
                op = T2Op.SINCE;
            } else {
                return l;
            }
            long[] iv = optionalInterval();
            l = new Node.Temporal2(op, iv[0], iv[1], l, unary());
        }
    }

    private Node unary() {
        if (acceptWord("not") || acceptSym("!")) {
            return new Node.Unary(UOp.NOT, unary());
        }
        Tok t = peek();
        if (t.kind == K.IDENT) {
            TOp top = switch (t.text) {
                case "always", "G" -> TOp.ALWAYS;
                case "eventually", "F" -> TOp.EVENTUALLY;
                case "once", "O" -> TOp.ONCE;
                case "historically", "H" -> TOp.HISTORICALLY;
                default -> null;
            };
            if (top != null && !(t.text.length() == 1 && startsAssignmentOrArith())) {
                next();
                long[] iv = optionalInterval();
                return new Node.Temporal(top, iv[0], iv[1], unary());
            }
            UOp uop = switch (t.text) {
                case "next" -> UOp.NEXT;
                case "prev" -> UOp.PREV;
                case "rise" -> UOp.RISE;
                case "fall" -> UOp.FALL;
                default -> null;
            };
            if (uop != null) {
                next();
                return new Node.Unary(uop, unary());
            }
        }
        return comparison();
    }

    /** G/F/H/O are operators only when followed by '(' or '[' or a term; "F + 1" keeps F a signal. */
    private boolean startsAssignmentOrArith() {
        Tok n = peek(1);
        return !(n.kind == K.IDENT || n.kind == K.NUMBER || (n.kind == K.SYM && (n.text.equals("(") || n.text.equals("[")
                || n.text.equals("!"))));
    }

    private Node comparison() {
        Node l = additive();
        Tok t = peek();
        if (t.kind == K.SYM) {
            BOp op = switch (t.text) {
                case ">=" -> BOp.GE;
                case ">" -> BOp.GT;
                case "<=" -> BOp.LE;
                case "<" -> BOp.LT;
                case "==" -> BOp.EQ;
                case "!==", "!=" -> BOp.NE;
                default -> null;
            };
            if (op != null) {
                next();
                return new Node.Binary(op, l, additive());
            }
        }
        return l;
    }

    private Node additive() {
        Node l = term();
        while (true) {
            if (acceptSym("+")) {
                l = new Node.Binary(BOp.ADD, l, term());
            } else if (acceptSym("-")) {
                l = new Node.Binary(BOp.SUB, l, term());
            } else {
                return l;
            }
        }
    }

    private Node term() {
        Node l = factor();
        while (true) {
            if (acceptSym("*")) {
                l = new Node.Binary(BOp.MUL, l, factor());
            } else if (acceptSym("/")) {
                l = new Node.Binary(BOp.DIV, l, factor());
            } else {
                return l;
            }
        }
    }

    private Node factor() {
        if (acceptSym("-")) {
            Node x = factor();
            return x instanceof Node.Num n ? new Node.Num(-n.value()) : new Node.Unary(UOp.NEG, x);
        }
        return primary();
    }

    private Node primary() {
        Tok t = peek();
        if (t.kind == K.NUMBER) {
            next();
            return new Node.Num(t.number);
        }
        if (acceptSym("(")) {
            Node e = expression();
            expectSym(")");
            return e;
        }
        if (t.kind == K.IDENT) {
            switch (t.text) {
                case "abs", "sqrt", "exp" -> {
                    next();
                    expectSym("(");
                    Node e = expression();
                    expectSym(")");
                    return new Node.Unary(t.text.equals("abs") ? UOp.ABS : t.text.equals("sqrt") ? UOp.SQRT : UOp.EXP, e);
                }
                case "pow" -> {
                    next();
                    expectSym("(");
                    Node a = expression();
                    expectSym(",");
                    Node b = expression();
                    expectSym(")");
                    return new Node.Binary(BOp.POW, a, b);
                }
                default -> { }
            }
            if (!KEYWORDS.contains(t.text)) {
                next();
                if (consts.containsKey(t.text)) {
                    return new Node.Num(consts.get(t.text));
                }
                if (assigned.containsKey(t.text)) {
                    return assigned.get(t.text);
                }
                if (!inputs.isEmpty() && !inputs.contains(t.text)) {
                    throw new StlSyntaxException(t.line, t.col, "unknown signal '" + t.text + "': not declared as input, const or assigned before");
                }
                free.add(t.text);
                return new Node.Var(t.text);
            }
        }
        throw error("a number, a signal name, '(' or an operator");
    }

    /** [a:b] or [a,b], bounds with optional unit s/ms/us/ns; b may be 'inf'. No interval = [0:inf]. */
    private long[] optionalInterval() {
        if (!acceptSym("[")) {
            return new long[] {0, Node.INF};
        }
        Tok loTok = peek();
        long lo = bound(false);
        if (!acceptSym(":") && !acceptSym(",")) {
            throw error("':' or ','");
        }
        long hi = bound(true);
        expectSym("]");
        if (hi < lo) {
            throw new StlSyntaxException(loTok.line, loTok.col, "interval [" + lo + ":" + hi + "] (in samples) has its lower bound above the upper");
        }
        return new long[] {lo, hi};
    }

    private long bound(boolean upper) {
        Tok t = peek();
        if (upper && acceptWord("inf")) {
            return Node.INF;
        }
        if (t.kind != K.NUMBER) {
            throw error(upper ? "a number or 'inf'" : "a number");
        }
        next();
        double v = t.number;
        Tok u = peek();
        double factor = 0;
        if (u.kind == K.IDENT) {
            factor = switch (u.text) {
                case "s" -> 1;
                case "ms" -> 1e-3;
                case "us" -> 1e-6;
                case "ns" -> 1e-9;
                default -> throw new StlSyntaxException(u.line, u.col, "expected a time unit s, ms, us or ns, found '" + u.text + "'");
            };
            next();
        }
        double samples = factor == 0 ? v : v * factor / periodSeconds;
        long r = Math.round(samples);
        if (Math.abs(samples - r) > 1e-6 * Math.max(1, Math.abs(samples)) || r < 0) {
            throw new StlSyntaxException(t.line, t.col, "interval bound " + t.text + (factor == 0 ? "" : " " + u.text)
                    + " is not a whole non-negative number of samples (period " + String.format(Locale.ROOT, "%g", periodSeconds) + " s)");
        }
        return r;
    }
}
