package io.chronofabric.compute.mlir;

/** Tokens of MLIR's textual format, read on demand (the parser reads type bodies raw). */
final class Lexer {

    enum Kind {
        EOF, PERCENT_ID, CARET_ID, AT_ID, HASH_ID, BANG_ID, BARE_ID, INTEGER, FLOAT, STRING,
        LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, LESS, GREATER, COMMA, COLON, EQUAL, ARROW,
        STAR, QUESTION, PLUS, MINUS, ELLIPSIS
    }

    record Token(Kind kind, String text, int start, Location location) {
        boolean is(Kind k) {
            return kind == k;
        }

        boolean isBare(String word) {
            return kind == Kind.BARE_ID && text.equals(word);
        }

        /** How the token reads in a message. */
        String describe() {
            return kind == Kind.EOF ? "end of input" : "'" + text + "'";
        }
    }

    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;
    private Token peeked;

    Lexer(String src) {
        this.src = src;
    }

    Token peek() {
        if (peeked == null) {
            peeked = lex();
        }
        return peeked;
    }

    Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    /** The location of the next token. */
    Location location() {
        return peek().location();
    }

    /** Undo a peek so raw reading starts where that token started. */
    private void unpeek() {
        if (peeked != null) {
            setPos(peeked.start());
            peeked = null;
        }
    }

    private void setPos(int p) {
        // recompute line bookkeeping only when moving back (rare)
        if (p < pos) {
            line = 1;
            lineStart = 0;
            for (int i = 0; i < p; i++) {
                if (src.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
        }
        pos = p;
    }

    private Location here() {
        return new Location(line, pos - lineStart + 1);
    }

    /**
     * Reads raw text up to the {@code >} that closes an already consumed {@code <}, nested
     * {@code <>} included, and consumes that {@code >}. Returns the text between.
     */
    String rawAngleBody(Location openedAt) {
        unpeek();
        int depth = 1;
        int begin = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (c == '<') {
                depth++;
            } else if (c == '>' && (pos == 0 || src.charAt(pos - 1) != '-')) {
                if (--depth == 0) {
                    String body = src.substring(begin, pos);
                    pos++;
                    return body;
                }
            } else if (c == '"') {
                int end = src.indexOf('"', pos + 1);
                if (end < 0) {
                    break;
                }
                pos = end;
            }
            pos++;
        }
        throw new MlirException(openedAt, "expected '>' to close '<'");
    }

    /** Skips to the '}' that closes an already consumed '{' (strings and comments respected). */
    void skipBraceBody(Location openedAt) {
        unpeek();
        int depth = 1;
        while (true) {
            Token t = lex();
            if (t.is(Kind.EOF)) {
                throw new MlirException(openedAt, "expected '}' to close '{'");
            } else if (t.is(Kind.LBRACE)) {
                depth++;
            } else if (t.is(Kind.RBRACE) && --depth == 0) {
                return;
            } else if (t.is(Kind.LESS) || t.is(Kind.GREATER)) {
                continue;
            }
        }
    }

    private Token lex() {
        skipSpaceAndComments();
        Location loc = here();
        int start = pos;
        if (pos >= src.length()) {
            return new Token(Kind.EOF, "", start, loc);
        }
        char c = src.charAt(pos);
        switch (c) {
            case '(': pos++; return new Token(Kind.LPAREN, "(", start, loc);
            case ')': pos++; return new Token(Kind.RPAREN, ")", start, loc);
            case '{': pos++; return new Token(Kind.LBRACE, "{", start, loc);
            case '}': pos++; return new Token(Kind.RBRACE, "}", start, loc);
            case '[': pos++; return new Token(Kind.LBRACKET, "[", start, loc);
            case ']': pos++; return new Token(Kind.RBRACKET, "]", start, loc);
            case '<': pos++; return new Token(Kind.LESS, "<", start, loc);
            case '>': pos++; return new Token(Kind.GREATER, ">", start, loc);
            case ',': pos++; return new Token(Kind.COMMA, ",", start, loc);
            case ':': pos++; return new Token(Kind.COLON, ":", start, loc);
            case '=': pos++; return new Token(Kind.EQUAL, "=", start, loc);
            case '*': pos++; return new Token(Kind.STAR, "*", start, loc);
            case '?': pos++; return new Token(Kind.QUESTION, "?", start, loc);
            case '+': pos++; return new Token(Kind.PLUS, "+", start, loc);
            case '-':
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '>') {
                    pos += 2;
                    return new Token(Kind.ARROW, "->", start, loc);
                }
                pos++;
                return new Token(Kind.MINUS, "-", start, loc);
            case '.':
                if (src.startsWith("...", pos)) {
                    pos += 3;
                    return new Token(Kind.ELLIPSIS, "...", start, loc);
                }
                break;
            case '"':
                return string(start, loc);
            case '%': case '^': case '#': case '!': case '@':
                return prefixed(c, start, loc);
            default:
                break;
        }
        if (Character.isDigit(c)) {
            return number(start, loc);
        }
        if (isIdStart(c)) {
            while (pos < src.length() && isIdChar(src.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.BARE_ID, src.substring(start, pos), start, loc);
        }
        throw new MlirException(loc, "unexpected character '" + c + "'");
    }

    private Token prefixed(char c, int start, Location loc) {
        pos++;
        if (c == '@' && pos < src.length() && src.charAt(pos) == '"') {
            Token s = string(pos, loc);
            return new Token(Kind.AT_ID, s.text(), start, loc);
        }
        int begin = pos;
        while (pos < src.length() && (isIdChar(src.charAt(pos)) || src.charAt(pos) == '-')) {
            pos++;
        }
        if (c == '%' && pos < src.length() && src.charAt(pos) == '#') {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos == begin) {
            throw new MlirException(loc, "expected a name after '" + c + "'");
        }
        Kind k = switch (c) {
            case '%' -> Kind.PERCENT_ID;
            case '^' -> Kind.CARET_ID;
            case '#' -> Kind.HASH_ID;
            case '!' -> Kind.BANG_ID;
            default -> Kind.AT_ID;
        };
        String text = c == '@' ? src.substring(begin, pos) : src.substring(start, pos);
        return new Token(k, text, start, loc);
    }

    private Token number(int start, Location loc) {
        if (src.startsWith("0x", pos)) {
            pos += 2;
            while (pos < src.length() && Character.digit(src.charAt(pos), 16) >= 0) {
                pos++;
            }
            return new Token(Kind.INTEGER, src.substring(start, pos), start, loc);
        }
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        boolean floating = false;
        if (pos < src.length() && src.charAt(pos) == '.') {
            floating = true;
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                floating = true;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return new Token(floating ? Kind.FLOAT : Kind.INTEGER, src.substring(start, pos), start, loc);
    }

    private Token string(int start, Location loc) {
        StringBuilder b = new StringBuilder();
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '"') {
                return new Token(Kind.STRING, b.toString(), start, loc);
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '\\' -> b.append('\\');
                    case '"' -> b.append('"');
                    default -> {
                        if (pos < src.length() && Character.digit(e, 16) >= 0
                                && Character.digit(src.charAt(pos), 16) >= 0) {
                            b.append((char) Integer.parseInt(src.substring(pos - 1, pos + 1), 16));
                            pos++;
                        } else {
                            b.append(e);
                        }
                    }
                }
            } else {
                b.append(c);
            }
        }
        throw new MlirException(loc, "expected '\"' to end the string");
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = ++pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isIdStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
    }
}
