package io.chronofabric.compute.mlir;

import io.chronofabric.compute.mlir.Attribute.AffineMapAttr;
import io.chronofabric.compute.mlir.Attribute.ArrayAttr;
import io.chronofabric.compute.mlir.Attribute.DenseArrayAttr;
import io.chronofabric.compute.mlir.Attribute.DenseElementsAttr;
import io.chronofabric.compute.mlir.Attribute.DialectAttr;
import io.chronofabric.compute.mlir.Attribute.DictionaryAttr;
import io.chronofabric.compute.mlir.Attribute.FloatAttr;
import io.chronofabric.compute.mlir.Attribute.IntegerAttr;
import io.chronofabric.compute.mlir.Attribute.StringAttr;
import io.chronofabric.compute.mlir.Attribute.SymbolRefAttr;
import io.chronofabric.compute.mlir.Attribute.TypeAttr;
import io.chronofabric.compute.mlir.Attribute.UnitAttr;
import io.chronofabric.compute.mlir.Lexer.Kind;
import io.chronofabric.compute.mlir.Lexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses MLIR's textual format (the subset of {@link Ops}) into a verified {@link MlirModule}.
 * Accepts the generic form of every op of the subset and the pretty forms mlir-opt 19 prints,
 * attribute and type aliases ({@code #map = affine_map<...>}, {@code !t = tensor<...>}), an
 * implicit top-level module, the legacy {@code func @f} spelling (read as {@code func.func};
 * mlir-opt 19 itself refuses it) and transform schedules (a nested
 * {@code module attributes {transform.with_named_sequence}}), which are skipped like
 * {@code -test-transform-dialect-erase-schedule} does. Errors are {@link MlirException}s naming
 * line:column and what was expected. Not thread-safe; use one parser per text.
 */
public final class MlirParser {

    private final Lexer lex;
    private final Map<String, Attribute> attributeAliases = new HashMap<>();
    private final Map<String, Type> typeAliases = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Scope scope = new Scope(null, true);
    private final boolean allowUnknown;
    private final List<Operation> unknownOps = new ArrayList<>();
    private Location opLocation = Location.UNKNOWN; // of the pretty op being read, for its type errors

    private MlirParser(String text, boolean allowUnknown) {
        this.lex = new Lexer(text);
        this.allowUnknown = allowUnknown;
    }

    /** Parses and verifies {@code text}. */
    public static MlirModule parse(String text) {
        MlirParser p = new MlirParser(text, false);
        MlirModule m = p.parseTop();
        Verifier.verify(m);
        return m;
    }

    /** Parses without verifying (for tools that want to report verifier errors themselves). */
    public static MlirModule parseUnverified(String text) {
        return new MlirParser(text, false).parseTop();
    }

    /**
     * Parses without verifying and keeps ops outside the subset that are written in the generic
     * form ({@code "scf.for"(...) ({...}) : (...) -> ...}) in the IR instead of refusing them; they
     * are listed by {@link MlirModule#unsupportedOps()}. An unknown op in a pretty form still
     * fails (its syntax is unknown). For reports such as "which ops of this module can a backend
     * not run"; never execute such a module.
     */
    public static MlirModule parseLenient(String text) {
        return new MlirParser(text, true).parseTop();
    }

    // ---------------------------------------------------------------------------------- scopes

    private static final class Scope {
        final Scope parent;
        final boolean isolated;
        final Map<String, Value> values = new HashMap<>();

        Scope(Scope parent, boolean isolated) {
            this.parent = parent;
            this.isolated = isolated;
        }

        Value lookup(String name) {
            for (Scope s = this; s != null; s = s.isolated ? null : s.parent) {
                Value v = s.values.get(name);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }

    private void define(String name, Value v, Location loc) {
        if (scope.values.containsKey(name)) {
            throw new MlirException(loc, "redefinition of SSA value " + name);
        }
        scope.values.put(name, v);
    }

    private Value use(Token t) {
        Value v = scope.lookup(t.text());
        if (v == null) {
            throw new MlirException(t.location(), "use of undefined value " + t.text());
        }
        return v;
    }

    // ---------------------------------------------------------------------------------- module

    private MlirModule parseTop() {
        Operation module;
        parseAliases();
        Token first = lex.peek();
        boolean explicit = (first.isBare("module") || first.isBare("builtin.module")
                || first.is(Kind.STRING) && first.text().equals("builtin.module"));
        if (explicit) {
            module = parseOperationInBlock(null);
            parseAliases();
            if (module == null || !lex.peek().is(Kind.EOF)) {
                // more top-level ops after an explicit module: MLIR wraps them all in an implicit one
                Operation outer = new Operation("builtin.module", first.location());
                Region r = new Region();
                Block b = new Block(null);
                r.add(b);
                outer.addRegion(r);
                if (module != null) { // null: the first module was a skipped transform schedule
                    b.add(module);
                }
                parseBlockBody(b, Kind.EOF);
                module = outer;
            }
        } else {
            module = new Operation("builtin.module", first.location());
            Region r = new Region();
            Block b = new Block(null);
            r.add(b);
            module.addRegion(r);
            parseBlockBody(b, Kind.EOF);
        }
        Map<String, Function> functions = new LinkedHashMap<>();
        collectFunctions(module, functions);
        return new MlirModule(module, functions, notes, unknownOps);
    }

    private void collectFunctions(Operation module, Map<String, Function> out) {
        for (Region r : module.regions()) {
            for (Block b : r.blocks()) {
                for (Operation op : b.operations()) {
                    if (op.name().equals("func.func")) {
                        String name = op.stringAttribute("sym_name");
                        Attribute t = op.attribute("function_type");
                        if (!(t instanceof TypeAttr ta) || !(ta.type() instanceof FunctionType ft)) {
                            throw new MlirException(op.location(), "func.func @" + name
                                    + " needs a function_type attribute");
                        }
                        if (out.containsKey(name)) {
                            throw new MlirException(op.location(), "redefinition of symbol @" + name);
                        }
                        Attribute vis = op.attribute("sym_visibility");
                        out.put(name, new Function(name, ft, vis instanceof StringAttr s ? s.value() : "public", op));
                    } else if (op.name().equals("builtin.module")) {
                        collectFunctions(op, out);
                    }
                }
            }
        }
    }

    /** {@code #name = attr} and {@code !name = type} definitions. */
    private void parseAliases() {
        while (true) {
            Token t = lex.peek();
            if (t.is(Kind.HASH_ID)) {
                lex.next();
                expect(Kind.EQUAL, "'=' after the attribute alias " + t.text());
                attributeAliases.put(t.text(), parseAttributeValue());
            } else if (t.is(Kind.BANG_ID)) {
                lex.next();
                expect(Kind.EQUAL, "'=' after the type alias " + t.text());
                typeAliases.put(t.text(), parseType());
            } else {
                return;
            }
        }
    }

    /** Parses ops into {@code block} until {@code end} (not consumed). */
    private void parseBlockBody(Block block, Kind end) {
        while (true) {
            parseAliases();
            Token t = lex.peek();
            if (t.is(end)) {
                return;
            }
            if (t.is(Kind.EOF)) {
                throw new MlirException(t.location(), "expected '}' to close the region, found end of input");
            }
            if (t.is(Kind.CARET_ID)) {
                throw new MlirException(t.location(), "block " + t.text()
                        + ": only single-block regions are supported (the subset has no branches)");
            }
            Operation op = parseOperationInBlock(block);
            if (op != null) {
                block.add(op);
            }
        }
    }

    private record ResultGroup(String name, int count, Location location) {
    }

    /** One op; null when it was a skipped transform schedule. */
    private Operation parseOperationInBlock(Block block) {
        List<ResultGroup> groups = new ArrayList<>();
        if (lex.peek().is(Kind.PERCENT_ID)) {
            do {
                Token r = lex.next();
                if (!r.is(Kind.PERCENT_ID)) {
                    throw new MlirException(r.location(), "expected a result name like %0, found " + r.describe());
                }
                int count = 1;
                if (lex.peek().is(Kind.COLON)) {
                    lex.next();
                    count = (int) parseIntegerLiteral("a result count after " + r.text() + ":");
                }
                groups.add(new ResultGroup(r.text(), count, r.location()));
            } while (accept(Kind.COMMA));
            expect(Kind.EQUAL, "'=' after the result names");
        }
        Token nameTok = lex.peek();
        Operation op;
        if (nameTok.is(Kind.STRING)) {
            lex.next();
            boolean known = Ops.isSupported(nameTok.text());
            if (!known && !allowUnknown) {
                requireSupported(nameTok.text(), nameTok.location());
            }
            op = parseGeneric(nameTok.text(), nameTok.location());
            if (!known) {
                unknownOps.add(op);
            }
        } else if (nameTok.is(Kind.BARE_ID)) {
            lex.next();
            String name = canonicalName(nameTok);
            requireSupported(name, nameTok.location());
            Location outer = opLocation;
            opLocation = nameTok.location();
            try {
                op = parsePretty(name, nameTok.location());
            } finally {
                opLocation = outer;
            }
            if (op == null) {
                if (!groups.isEmpty()) {
                    throw new MlirException(nameTok.location(), "a transform schedule has no results");
                }
                return null;
            }
        } else {
            throw new MlirException(nameTok.location(), "expected an operation name, found " + nameTok.describe());
        }
        skipLocation();
        bindResults(op, groups, nameTok.location());
        return op;
    }

    private String canonicalName(Token t) {
        switch (t.text()) {
            case "module":
                return "builtin.module";
            case "return":
                return "func.return";
            case "call":
                return "func.call";
            case "func":
                notes.add("legacy 'func' at " + t.location() + " read as func.func (mlir-opt 19 refuses 'func @f'"
                        + " and wants func.func)");
                return "func.func";
            default:
                return t.text();
        }
    }

    private static void requireSupported(String name, Location loc) {
        if (!Ops.isSupported(name)) {
            throw new MlirException(loc, "unsupported op '" + name + "'");
        }
    }

    private void bindResults(Operation op, List<ResultGroup> groups, Location loc) {
        int total = groups.stream().mapToInt(ResultGroup::count).sum();
        if (total != op.results().size()) {
            throw new MlirException(loc, "'" + op.name() + "' has " + op.results().size() + " result(s) but "
                    + total + " name(s) are given");
        }
        int i = 0;
        for (ResultGroup g : groups) {
            if (g.count() == 1) {
                define(g.name(), op.results().get(i), g.location());
            }
            for (int k = 0; k < g.count(); k++) {
                define(g.name() + "#" + k, op.results().get(i + k), g.location());
            }
            i += g.count();
        }
    }

    private Operation newOp(String name, Location loc, List<Type> resultTypes, String resultName) {
        Operation op = new Operation(name, loc);
        for (int i = 0; i < resultTypes.size(); i++) {
            op.addResult(resultName, resultTypes.get(i));
        }
        return op;
    }

    private void skipLocation() {
        if (lex.peek().isBare("loc")) {
            lex.next();
            Location at = expect(Kind.LPAREN, "'(' after loc").location();
            int depth = 1;
            while (depth > 0) {
                Token t = lex.next();
                if (t.is(Kind.EOF)) {
                    throw new MlirException(at, "expected ')' to close loc(");
                }
                depth += t.is(Kind.LPAREN) ? 1 : t.is(Kind.RPAREN) ? -1 : 0;
            }
        }
    }

    // ---------------------------------------------------------------------------------- generic form

    private Operation parseGeneric(String name, Location loc) {
        expect(Kind.LPAREN, "'(' after the op name \"" + name + "\"");
        List<Token> operandToks = new ArrayList<>();
        if (!accept(Kind.RPAREN)) {
            do {
                Token t = lex.next();
                if (!t.is(Kind.PERCENT_ID)) {
                    throw new MlirException(t.location(), "expected an operand like %0, found " + t.describe());
                }
                operandToks.add(t);
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "')' after the operands");
        }
        if (lex.peek().is(Kind.LBRACKET)) {
            throw new MlirException(lex.location(), "successor blocks: the subset has no branches");
        }
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        if (lex.peek().is(Kind.LESS)) {
            lex.next();
            expect(Kind.LBRACE, "'{' to open the properties '<{'");
            parseDictionaryBody(attrs);
            expect(Kind.GREATER, "'>' to close the properties '<{...}>'");
        }
        List<Region> regions = new ArrayList<>();
        boolean isolated = name.equals("func.func") || name.equals("builtin.module");
        if (lex.peek().is(Kind.LPAREN)) {
            lex.next();
            do {
                regions.add(parseRegion(isolated, null));
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "')' after the regions");
        }
        if (lex.peek().is(Kind.LBRACE)) {
            lex.next();
            parseDictionaryBody(attrs);
        }
        expect(Kind.COLON, "':' and the op's function type");
        Location typeLoc = lex.location();
        Type t = parseType();
        if (!(t instanceof FunctionType ft)) {
            throw new MlirException(typeLoc, "expected a function type like (f32, f32) -> f32, found " + t.text());
        }
        if (ft.inputs().size() != operandToks.size()) {
            throw new MlirException(typeLoc, "'" + name + "' has " + operandToks.size() + " operand(s) but its type "
                    + ft.text() + " lists " + ft.inputs().size());
        }
        Operation op = newOp(name, loc, ft.results(), null);
        for (int i = 0; i < operandToks.size(); i++) {
            Value v = use(operandToks.get(i));
            if (!v.type().equals(ft.inputs().get(i))) {
                throw new MlirException(operandToks.get(i).location(), "operand #" + i + " of '" + name + "' ("
                        + v.name() + ") has type " + v.type().text() + " but the op's type says "
                        + ft.inputs().get(i).text());
            }
            op.addOperand(v);
        }
        attrs.forEach(op::putAttribute);
        regions.forEach(op::addRegion);
        return op;
    }

    /**
     * {@code { [^bb(args):] ops }} with {@code predefined} arguments (a pretty func's) or none.
     * The opening '{' is consumed here.
     */
    private Region parseRegion(boolean isolated, List<Map.Entry<Token, Type>> predefined) {
        expect(Kind.LBRACE, "'{' to open a region");
        Region region = new Region();
        Scope saved = scope;
        scope = new Scope(saved, isolated);
        try {
            if (lex.peek().is(Kind.RBRACE)) {
                lex.next();
                return region;
            }
            Block block;
            if (lex.peek().is(Kind.CARET_ID)) {
                Token label = lex.next();
                block = new Block(label.text());
                if (accept(Kind.LPAREN)) {
                    if (!accept(Kind.RPAREN)) {
                        do {
                            Token a = lex.next();
                            if (!a.is(Kind.PERCENT_ID)) {
                                throw new MlirException(a.location(), "expected a block argument like %arg0, found "
                                        + a.describe());
                            }
                            expect(Kind.COLON, "':' and the type of block argument " + a.text());
                            Type t = parseType();
                            skipLocation();
                            define(a.text(), block.addArgument(a.text(), t), a.location());
                        } while (accept(Kind.COMMA));
                        expect(Kind.RPAREN, "')' after the block arguments");
                    }
                }
                expect(Kind.COLON, "':' after the block label " + label.text());
            } else {
                block = new Block(null);
            }
            if (predefined != null) {
                for (Map.Entry<Token, Type> e : predefined) {
                    define(e.getKey().text(), block.addArgument(e.getKey().text(), e.getValue()),
                            e.getKey().location());
                }
            }
            region.add(block);
            parseBlockBody(block, Kind.RBRACE);
            lex.next();
            return region;
        } finally {
            scope = saved;
        }
    }

    // ---------------------------------------------------------------------------------- pretty forms

    private Operation parsePretty(String name, Location loc) {
        if (Ops.FLOAT_BINARY.contains(name) || Ops.INT_BINARY.contains(name)) {
            return binary(name, loc);
        }
        if (Ops.FLOAT_UNARY.contains(name)) {
            Operation op = newOpWithOperands(name, loc, List.of(operand()));
            skipOpFlags(op);
            expect(Kind.COLON, "':' and the type of '" + name + "'");
            Type t = parseType();
            checkOperandTypes(op, t);
            op.addResult(null, t);
            return op;
        }
        if (Ops.CASTS.contains(name)) {
            Value v = operand();
            Operation op = newOpWithOperands(name, loc, List.of(v));
            expect(Kind.COLON, "':' and 'from-type to to-type'");
            Type from = parseType();
            checkOperandTypes(op, from);
            expectBare("to", "'to' between the two types of '" + name + "'");
            op.addResult(null, parseType());
            return op;
        }
        switch (name) {
            case "builtin.module":
                return module(loc);
            case "func.func":
                return func(loc);
            case "func.return":
            case "linalg.yield": {
                Operation op = new Operation(name, loc);
                List<Value> vs = new ArrayList<>();
                if (lex.peek().is(Kind.PERCENT_ID)) {
                    vs = operandList();
                    expect(Kind.COLON, "':' and the types of the returned values");
                    List<Type> types = typeList();
                    if (types.size() != vs.size()) {
                        throw new MlirException(loc, "'" + name + "' lists " + vs.size() + " value(s) but "
                                + types.size() + " type(s)");
                    }
                    for (int i = 0; i < vs.size(); i++) {
                        checkType(vs.get(i), types.get(i), name, i);
                    }
                }
                vs.forEach(op::addOperand);
                return op;
            }
            case "func.call": {
                Token callee = lex.next();
                if (!callee.is(Kind.AT_ID)) {
                    throw new MlirException(callee.location(), "expected a callee like @f, found " + callee.describe());
                }
                expect(Kind.LPAREN, "'(' after the callee @" + callee.text());
                List<Value> args = lex.peek().is(Kind.RPAREN) ? List.of() : operandList();
                expect(Kind.RPAREN, "')' after the call's arguments");
                expect(Kind.COLON, "':' and the callee's function type");
                Location tl = lex.location();
                Type t = parseType();
                if (!(t instanceof FunctionType ft)) {
                    throw new MlirException(tl, "expected a function type after ':', found " + t.text());
                }
                if (ft.inputs().size() != args.size()) {
                    throw new MlirException(tl, "call @" + callee.text() + " passes " + args.size()
                            + " argument(s) but its type " + ft.text() + " lists " + ft.inputs().size());
                }
                Operation op = newOp(name, loc, ft.results(), null);
                for (int i = 0; i < args.size(); i++) {
                    checkType(args.get(i), ft.inputs().get(i), name, i);
                    op.addOperand(args.get(i));
                }
                op.putAttribute("callee", new SymbolRefAttr(callee.text()));
                return op;
            }
            case "arith.constant": {
                Location vl = lex.location();
                Attribute value = parseAttributeValue();
                Type t = typeOfConstant(value, vl);
                Operation op = newOp(name, loc, List.of(t), null);
                op.putAttribute("value", value);
                return op;
            }
            case "arith.cmpf":
            case "arith.cmpi": {
                Token pred = lex.next();
                List<String> preds = name.equals("arith.cmpf") ? Ops.CMPF_PREDICATES : Ops.CMPI_PREDICATES;
                int p = pred.is(Kind.BARE_ID) ? preds.indexOf(pred.text()) : -1;
                if (p < 0) {
                    throw new MlirException(pred.location(), "expected a " + name + " predicate (one of "
                            + String.join(", ", preds) + "), found " + pred.describe());
                }
                expect(Kind.COMMA, "',' after the predicate");
                Value a = operand();
                expect(Kind.COMMA, "',' between the operands");
                Value b = operand();
                Operation op = newOpWithOperands(name, loc, List.of(a, b));
                op.putAttribute("predicate", new IntegerAttr(p, ScalarType.I64));
                skipOpFlags(op);
                expect(Kind.COLON, "':' and the operand type");
                Type t = parseType();
                checkOperandTypes(op, t);
                op.addResult(null, t instanceof TensorType tt ? tt.withElement(ScalarType.I1) : ScalarType.I1);
                return op;
            }
            case "arith.select": {
                Value c = operand();
                expect(Kind.COMMA, "',' after the condition");
                Value a = operand();
                expect(Kind.COMMA, "',' between the operands");
                Value b = operand();
                Operation op = newOpWithOperands(name, loc, List.of(c, a, b));
                expect(Kind.COLON, "':' and the type");
                Type first = parseType();
                Type t = first;
                if (accept(Kind.COMMA)) {
                    checkType(c, first, name, 0);
                    t = parseType();
                } else {
                    checkType(c, ScalarType.I1, name, 0);
                }
                checkType(a, t, name, 1);
                checkType(b, t, name, 2);
                op.addResult(null, t);
                return op;
            }
            case "tensor.empty": {
                expect(Kind.LPAREN, "'(' after tensor.empty");
                if (!lex.peek().is(Kind.RPAREN)) {
                    throw new MlirException(lex.location(), "tensor.empty with dynamic sizes: only static shapes"
                            + " are supported");
                }
                lex.next();
                expect(Kind.COLON, "':' and the tensor type");
                Type t = parseType();
                return newOp(name, loc, List.of(t), null);
            }
            case "tensor.cast": {
                Value v = operand();
                Operation op = newOpWithOperands(name, loc, List.of(v));
                expect(Kind.COLON, "':' and 'from-type to to-type'");
                checkOperandTypes(op, parseType());
                expectBare("to", "'to' between the two types of tensor.cast");
                op.addResult(null, parseType());
                return op;
            }
            case "tensor.extract": {
                Value t = operand();
                List<Value> idx = indices();
                List<Value> all = new ArrayList<>();
                all.add(t);
                all.addAll(idx);
                Operation op = newOpWithOperands(name, loc, all);
                expect(Kind.COLON, "':' and the tensor type");
                Type tt = parseType();
                checkType(t, tt, name, 0);
                op.addResult(null, tt instanceof TensorType x ? x.element() : tt);
                return op;
            }
            case "tensor.insert": {
                Value scalar = operand();
                expectBare("into", "'into' after the inserted value");
                Value dest = operand();
                List<Value> idx = indices();
                List<Value> all = new ArrayList<>(List.of(scalar, dest));
                all.addAll(idx);
                Operation op = newOpWithOperands(name, loc, all);
                expect(Kind.COLON, "':' and the tensor type");
                Type tt = parseType();
                checkType(dest, tt, name, 1);
                op.addResult(null, tt);
                return op;
            }
            case "linalg.fill":
            case "linalg.matmul":
            case "linalg.generic":
                return structured(name, loc);
            default:
                throw new MlirException(loc, "'" + name + "' has no pretty form here: write it in the generic form");
        }
    }

    private Operation binary(String name, Location loc) {
        Value a = operand();
        expect(Kind.COMMA, "',' between the operands of '" + name + "'");
        Value b = operand();
        Operation op = newOpWithOperands(name, loc, List.of(a, b));
        skipOpFlags(op);
        expect(Kind.COLON, "':' and the type of '" + name + "'");
        Type t = parseType();
        checkOperandTypes(op, t);
        op.addResult(null, t);
        return op;
    }

    /** {@code fastmath<...>} and {@code overflow<...>} of arith ops: kept as attributes, no effect here. */
    private void skipOpFlags(Operation op) {
        while (lex.peek().isBare("fastmath") || lex.peek().isBare("overflow")) {
            Token k = lex.next();
            Location at = expect(Kind.LESS, "'<' after " + k.text()).location();
            op.putAttribute(k.text(), new DialectAttr("arith", k.text(), lex.rawAngleBody(at)));
        }
    }

    private Operation newOpWithOperands(String name, Location loc, List<Value> operands) {
        Operation op = new Operation(name, loc);
        operands.forEach(op::addOperand);
        return op;
    }

    private void checkOperandTypes(Operation op, Type t) {
        for (int i = 0; i < op.operands().size(); i++) {
            checkType(op.operand(i), t, op.name(), i);
        }
    }

    private void checkType(Value v, Type expected, String opName, int index) {
        if (!v.type().equals(expected)) {
            throw new MlirException(opLocation, "operand #" + index + " of '" + opName + "' (" + v.name()
                    + ") has type " + v.type().text() + ", expected " + expected.text());
        }
    }

    private Value operand() {
        Token t = lex.next();
        if (!t.is(Kind.PERCENT_ID)) {
            throw new MlirException(t.location(), "expected an SSA value like %0, found " + t.describe());
        }
        return use(t);
    }

    private List<Value> operandList() {
        List<Value> vs = new ArrayList<>();
        do {
            vs.add(operand());
        } while (accept(Kind.COMMA));
        return vs;
    }

    private List<Value> indices() {
        expect(Kind.LBRACKET, "'[' and the indices");
        List<Value> idx = lex.peek().is(Kind.RBRACKET) ? List.of() : operandList();
        expect(Kind.RBRACKET, "']' after the indices");
        return idx;
    }

    private Type typeOfConstant(Attribute value, Location loc) {
        if (value instanceof IntegerAttr i) {
            return i.type();
        } else if (value instanceof FloatAttr f) {
            return f.type();
        } else if (value instanceof DenseElementsAttr d) {
            return d.type();
        }
        throw new MlirException(loc, "arith.constant needs a number, true/false or dense<...> : tensor<...>, found "
                + value);
    }

    private Operation module(Location loc) {
        Operation op = new Operation("builtin.module", loc);
        if (lex.peek().is(Kind.AT_ID)) {
            op.putAttribute("sym_name", new StringAttr(lex.next().text()));
        }
        if (lex.peek().isBare("attributes")) {
            lex.next();
            expect(Kind.LBRACE, "'{' after 'attributes'");
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            parseDictionaryBody(attrs);
            attrs.forEach(op::putAttribute);
        }
        if (op.hasAttribute("transform.with_named_sequence")) {
            Location at = expect(Kind.LBRACE, "'{' to open the module body").location();
            lex.skipBraceBody(at);
            notes.add("transform schedule at " + loc + " skipped (as -test-transform-dialect-erase-schedule does)");
            return null;
        }
        op.addRegion(parseRegion(true, null));
        return op;
    }

    private Operation func(Location loc) {
        Operation op = new Operation("func.func", loc);
        if (lex.peek().isBare("private") || lex.peek().isBare("public") || lex.peek().isBare("nested")) {
            op.putAttribute("sym_visibility", new StringAttr(lex.next().text()));
        }
        Token name = lex.next();
        if (!name.is(Kind.AT_ID)) {
            throw new MlirException(name.location(), "expected a function name like @main, found " + name.describe());
        }
        op.putAttribute("sym_name", new StringAttr(name.text()));
        expect(Kind.LPAREN, "'(' and the parameters of @" + name.text());
        List<Map.Entry<Token, Type>> args = new ArrayList<>();
        List<Type> inputs = new ArrayList<>();
        boolean named = false;
        if (!accept(Kind.RPAREN)) {
            do {
                Token a = lex.peek();
                Type t;
                if (a.is(Kind.PERCENT_ID)) {
                    lex.next();
                    named = true;
                    expect(Kind.COLON, "':' and the type of parameter " + a.text());
                    t = parseType();
                    args.add(Map.entry(a, t));
                } else {
                    t = parseType();
                }
                if (lex.peek().is(Kind.LBRACE)) {
                    lex.next();
                    parseDictionaryBody(new LinkedHashMap<>()); // argument attributes: no effect here
                }
                skipLocation();
                inputs.add(t);
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "')' after the parameters of @" + name.text());
        }
        List<Type> results = new ArrayList<>();
        if (accept(Kind.ARROW)) {
            if (accept(Kind.LPAREN)) {
                if (!accept(Kind.RPAREN)) {
                    do {
                        results.add(parseType());
                        if (lex.peek().is(Kind.LBRACE)) {
                            lex.next();
                            parseDictionaryBody(new LinkedHashMap<>());
                        }
                    } while (accept(Kind.COMMA));
                    expect(Kind.RPAREN, "')' after the result types of @" + name.text());
                }
            } else {
                results.add(parseType());
            }
        }
        op.putAttribute("function_type", new TypeAttr(new FunctionType(inputs, results)));
        if (lex.peek().isBare("attributes")) {
            lex.next();
            expect(Kind.LBRACE, "'{' after 'attributes'");
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            parseDictionaryBody(attrs);
            attrs.forEach(op::putAttribute);
        }
        if (lex.peek().is(Kind.LBRACE)) {
            if (!named && !inputs.isEmpty()) {
                throw new MlirException(name.location(), "function @" + name.text()
                        + " has a body, so its parameters need names like %arg0: f32");
            }
            op.addRegion(parseRegion(true, args));
        }
        return op;
    }

    /** linalg.fill / matmul / generic: {@code [{attrs}] ins(...) outs(...) [attrs = {...}] [{region}] [-> types]}. */
    private Operation structured(String name, Location loc) {
        Operation op = new Operation(name, loc);
        if (lex.peek().is(Kind.LBRACE)) {
            lex.next();
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            parseDictionaryBody(attrs);
            attrs.forEach(op::putAttribute);
        }
        List<Value> ins = lex.peek().isBare("ins") ? insOuts("ins") : List.of();
        if (!lex.peek().isBare("outs")) {
            throw new MlirException(lex.location(), "expected 'outs(' of '" + name + "', found " + lex.peek().describe());
        }
        List<Value> outs = insOuts("outs");
        ins.forEach(op::addOperand);
        outs.forEach(op::addOperand);
        op.putAttribute("operandSegmentSizes", new DenseArrayAttr(ScalarType.I32, new long[] {ins.size(), outs.size()}));
        if (lex.peek().isBare("attrs")) {
            lex.next();
            expect(Kind.EQUAL, "'=' after attrs");
            expect(Kind.LBRACE, "'{' after 'attrs ='");
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            parseDictionaryBody(attrs);
            attrs.forEach(op::putAttribute);
        }
        if (lex.peek().is(Kind.LBRACE)) {
            op.addRegion(parseRegion(false, null));
        } else if (name.equals("linalg.generic")) {
            throw new MlirException(lex.location(), "expected the region '{ ^bb0(...): ... linalg.yield ... }' of"
                    + " linalg.generic, found " + lex.peek().describe());
        }
        List<Type> results = new ArrayList<>();
        if (accept(Kind.ARROW)) {
            results = typeList();
        }
        results.forEach(t -> op.addResult(null, t));
        return op;
    }

    private List<Value> insOuts(String word) {
        lex.next();
        expect(Kind.LPAREN, "'(' after '" + word + "'");
        if (accept(Kind.RPAREN)) {
            return List.of();
        }
        List<Value> vs = operandList();
        expect(Kind.COLON, "':' and the types in " + word + "(...)");
        List<Type> types = new ArrayList<>();
        do {
            types.add(parseType());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "')' to close " + word + "(");
        if (types.size() != vs.size()) {
            throw new MlirException(lex.location(), word + "(...) lists " + vs.size() + " value(s) but " + types.size()
                    + " type(s)");
        }
        for (int i = 0; i < vs.size(); i++) {
            if (!vs.get(i).type().equals(types.get(i))) {
                throw new MlirException(lex.location(), word + "(...) value " + vs.get(i).name() + " has type "
                        + vs.get(i).type().text() + ", but " + types.get(i).text() + " is written");
            }
        }
        return vs;
    }

    // ---------------------------------------------------------------------------------- attributes

    /** After '{': {@code key [= value], ...}, then '}'. */
    private void parseDictionaryBody(Map<String, Attribute> into) {
        if (accept(Kind.RBRACE)) {
            return;
        }
        do {
            Token key = lex.next();
            if (!key.is(Kind.BARE_ID) && !key.is(Kind.STRING)) {
                throw new MlirException(key.location(), "expected an attribute name, found " + key.describe());
            }
            if (accept(Kind.EQUAL)) {
                into.put(key.text(), parseAttributeValue());
            } else {
                into.put(key.text(), new UnitAttr());
            }
        } while (accept(Kind.COMMA));
        expect(Kind.RBRACE, "'}' to close the attribute dictionary");
    }

    private Attribute parseAttributeValue() {
        Token t = lex.peek();
        switch (t.kind()) {
            case STRING:
                lex.next();
                return new StringAttr(t.text());
            case AT_ID:
                lex.next();
                return new SymbolRefAttr(t.text());
            case LBRACKET: {
                lex.next();
                List<Attribute> items = new ArrayList<>();
                if (!accept(Kind.RBRACKET)) {
                    do {
                        items.add(parseAttributeValue());
                    } while (accept(Kind.COMMA));
                    expect(Kind.RBRACKET, "']' to close the array attribute");
                }
                return new ArrayAttr(items);
            }
            case LBRACE: {
                lex.next();
                Map<String, Attribute> m = new LinkedHashMap<>();
                parseDictionaryBody(m);
                return new DictionaryAttr(m);
            }
            case HASH_ID: {
                lex.next();
                if (lex.peek().is(Kind.LESS)) {
                    Location at = lex.next().location();
                    String full = t.text().substring(1);
                    int dot = full.indexOf('.');
                    return new DialectAttr(dot < 0 ? full : full.substring(0, dot), dot < 0 ? "" : full.substring(dot + 1),
                            lex.rawAngleBody(at));
                }
                Attribute a = attributeAliases.get(t.text());
                if (a == null) {
                    throw new MlirException(t.location(), "undefined attribute alias " + t.text());
                }
                return a;
            }
            case INTEGER:
            case FLOAT:
            case MINUS:
                return numberAttribute();
            case BARE_ID:
                switch (t.text()) {
                    case "true":
                    case "false":
                        lex.next();
                        if (accept(Kind.COLON)) {
                            parseType();
                        }
                        return new IntegerAttr(t.text().equals("true") ? 1 : 0, ScalarType.I1);
                    case "unit":
                        lex.next();
                        return new UnitAttr();
                    case "dense":
                        return dense();
                    case "affine_map":
                        return new AffineMapAttr(affineMap());
                    case "array":
                        return denseArray();
                    default:
                        return new TypeAttr(parseType());
                }
            case LPAREN:
            case BANG_ID:
                return new TypeAttr(parseType());
            default:
                throw new MlirException(t.location(), "expected an attribute value, found " + t.describe());
        }
    }

    private Attribute numberAttribute() {
        Location loc = lex.location();
        boolean neg = accept(Kind.MINUS);
        Token n = lex.next();
        if (!n.is(Kind.INTEGER) && !n.is(Kind.FLOAT)) {
            throw new MlirException(n.location(), "expected a number, found " + n.describe());
        }
        Type type = ScalarType.I64;
        if (accept(Kind.COLON)) {
            Location tl = lex.location();
            type = parseType();
            if (!(type instanceof ScalarType)) {
                throw new MlirException(tl, "expected a scalar type after the number, found " + type.text());
            }
        } else if (n.is(Kind.FLOAT)) {
            type = ScalarType.F64;
        }
        ScalarType st = (ScalarType) type;
        if (st.isFloat()) {
            double v;
            if (n.text().startsWith("0x")) {
                long bits = Long.parseUnsignedLong(n.text().substring(2), 16);
                v = st == ScalarType.F32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
            } else {
                v = Double.parseDouble(n.text());
            }
            return new FloatAttr(neg ? -v : v, st);
        }
        if (n.is(Kind.FLOAT)) {
            throw new MlirException(loc, "float literal " + n.text() + " given the integer type " + st.text());
        }
        long v = n.text().startsWith("0x") ? Long.parseUnsignedLong(n.text().substring(2), 16) : Long.parseLong(n.text());
        return new IntegerAttr(neg ? -v : v, st);
    }

    private long parseIntegerLiteral(String what) {
        boolean neg = accept(Kind.MINUS);
        Token n = lex.next();
        if (!n.is(Kind.INTEGER)) {
            throw new MlirException(n.location(), "expected " + what + ", found " + n.describe());
        }
        long v = n.text().startsWith("0x") ? Long.parseUnsignedLong(n.text().substring(2), 16) : Long.parseLong(n.text());
        return neg ? -v : v;
    }

    /** {@code array<i32: 1, 2>}. */
    private Attribute denseArray() {
        lex.next();
        expect(Kind.LESS, "'<' after array");
        Location tl = lex.location();
        Type t = parseType();
        if (!(t instanceof ScalarType st)) {
            throw new MlirException(tl, "expected an element type in array<...>, found " + t.text());
        }
        List<Long> vs = new ArrayList<>();
        if (accept(Kind.COLON)) {
            do {
                if (st.isFloat()) {
                    boolean neg = accept(Kind.MINUS);
                    double d = Double.parseDouble(lex.next().text());
                    vs.add(Double.doubleToLongBits(neg ? -d : d));
                } else {
                    vs.add(parseIntegerLiteral("an integer in array<" + st.text() + ": ...>"));
                }
            } while (accept(Kind.COMMA));
        }
        expect(Kind.GREATER, "'>' to close array<...>");
        return new DenseArrayAttr(st, vs.stream().mapToLong(Long::longValue).toArray());
    }

    /** {@code dense<literal> : tensor<...>}: splat, nested lists, or a hexadecimal blob string. */
    private Attribute dense() {
        Location loc = lex.next().location();
        expect(Kind.LESS, "'<' after dense");
        List<Token> leaves = new ArrayList<>();
        List<int[]> shapeAt = new ArrayList<>(); // unused beyond the top-level shape check
        Token first = lex.peek();
        String hex = null;
        List<Integer> shape = new ArrayList<>();
        boolean splat;
        if (first.is(Kind.STRING)) {
            lex.next();
            hex = first.text();
            splat = false;
        } else if (first.is(Kind.LBRACKET)) {
            splat = false;
            denseList(leaves, shape, 0);
        } else {
            splat = true;
            leaves.add(denseLeaf());
        }
        expect(Kind.GREATER, "'>' to close dense<...>");
        expect(Kind.COLON, "':' and the tensor type of dense<...>");
        Location tl = lex.location();
        Type t = parseType();
        if (!(t instanceof TensorType tt) || !tt.isRanked()) {
            throw new MlirException(tl, "dense<...> needs a ranked tensor type, found " + t.text());
        }
        ScalarType e = tt.element();
        int n = tt.elements();
        if (hex != null) {
            return denseHex(hex, tt, loc);
        }
        if (!splat) {
            int[] want = tt.shape();
            if (shape.size() != want.length) {
                throw new MlirException(loc, "dense literal has " + shape.size() + " nesting level(s), " + tt.text()
                        + " expects " + want.length);
            }
            for (int i = 0; i < want.length; i++) {
                if (shape.get(i) != want[i]) {
                    throw new MlirException(loc, "dense literal has " + shape.get(i) + " element(s) in dimension " + i
                            + ", " + tt.text() + " expects " + want[i]);
                }
            }
        }
        double[] floats = e.isFloat() ? new double[leaves.size()] : null;
        long[] ints = e.isFloat() ? null : new long[leaves.size()];
        for (int i = 0; i < leaves.size(); i++) {
            Token leaf = leaves.get(i);
            String s = leaf.text();
            if (e.isFloat()) {
                if (s.equals("true") || s.equals("false")) {
                    throw new MlirException(leaf.location(), "boolean " + s + " in a dense literal of " + tt.text());
                }
                floats[i] = s.startsWith("0x") || s.startsWith("-0x") ? hexFloat(s, e) : Double.parseDouble(s);
            } else {
                if (leaf.is(Kind.FLOAT)) {
                    throw new MlirException(leaf.location(), "float " + s + " in a dense literal of " + tt.text());
                }
                ints[i] = s.equals("true") ? 1 : s.equals("false") ? 0 : Long.decode(s);
            }
        }
        if (!splat && leaves.size() != n) {
            throw new MlirException(loc, "dense literal has " + leaves.size() + " elements, " + tt.text() + " holds " + n);
        }
        return new DenseElementsAttr(tt, splat, floats, ints);
    }

    private static double hexFloat(String s, ScalarType e) {
        boolean neg = s.startsWith("-");
        long bits = Long.parseUnsignedLong(s.substring(neg ? 3 : 2), 16);
        double v = e == ScalarType.F32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        return neg ? -v : v;
    }

    private DenseElementsAttr denseHex(String hex, TensorType tt, Location loc) {
        if (!hex.startsWith("0x")) {
            throw new MlirException(loc, "expected a hexadecimal blob \"0x...\" in dense<\"...\">");
        }
        String h = hex.substring(2);
        int bytes = h.length() / 2;
        ScalarType e = tt.element();
        int width = e == ScalarType.I1 ? 1 : e.bits() / 8;
        int n = tt.elements();
        boolean splat = bytes == width && n != 1;
        if (!splat && bytes != (long) width * n) {
            throw new MlirException(loc, "dense hex blob has " + bytes + " bytes, " + tt.text() + " needs "
                    + (long) width * n);
        }
        int count = splat ? 1 : n;
        double[] floats = e.isFloat() ? new double[count] : null;
        long[] ints = e.isFloat() ? null : new long[count];
        for (int i = 0; i < count; i++) {
            long bits = 0;
            for (int b = width - 1; b >= 0; b--) { // little endian
                int at = (i * width + b) * 2;
                bits = (bits << 8) | Integer.parseInt(h.substring(at, at + 2), 16);
            }
            if (e == ScalarType.F32) {
                floats[i] = Float.intBitsToFloat((int) bits);
            } else if (e == ScalarType.F64) {
                floats[i] = Double.longBitsToDouble(bits);
            } else if (e == ScalarType.I32) {
                ints[i] = (int) bits;
            } else {
                ints[i] = bits;
            }
        }
        return new DenseElementsAttr(tt, splat, floats, ints);
    }

    private void denseList(List<Token> leaves, List<Integer> shape, int depth) {
        expect(Kind.LBRACKET, "'['");
        int count = 0;
        if (!lex.peek().is(Kind.RBRACKET)) {
            do {
                if (lex.peek().is(Kind.LBRACKET)) {
                    denseList(leaves, shape, depth + 1);
                } else {
                    if (shape.size() > depth + 1 && shape.get(depth + 1) >= 0) {
                        throw new MlirException(lex.location(), "expected '[' (nested list) in the dense literal");
                    }
                    leaves.add(denseLeaf());
                }
                count++;
            } while (accept(Kind.COMMA));
        }
        Location end = expect(Kind.RBRACKET, "']' or ',' in the dense literal").location();
        while (shape.size() <= depth) {
            shape.add(-1);
        }
        if (shape.get(depth) < 0) {
            shape.set(depth, count);
        } else if (shape.get(depth) != count) {
            throw new MlirException(end, "dense literal: a list of " + count + " element(s) where the first list at"
                    + " this depth has " + shape.get(depth));
        }
    }

    private Token denseLeaf() {
        Location loc = lex.location();
        boolean neg = accept(Kind.MINUS);
        Token t = lex.next();
        if (t.is(Kind.INTEGER) || t.is(Kind.FLOAT) || t.isBare("true") || t.isBare("false")) {
            if (neg) {
                if (!t.is(Kind.INTEGER) && !t.is(Kind.FLOAT)) {
                    throw new MlirException(loc, "'-' before " + t.text() + " in a dense literal");
                }
                return new Token(t.kind(), "-" + t.text(), t.start(), loc);
            }
            if (t.isBare("inf") || t.isBare("nan")) {
                return t;
            }
            return t;
        }
        throw new MlirException(t.location(), "expected a number in the dense literal, found " + t.describe());
    }

    // ---------------------------------------------------------------------------------- affine maps

    private AffineMap affineMap() {
        lex.next();
        expect(Kind.LESS, "'<' after affine_map");
        Map<String, AffineMap.Expr> ids = new HashMap<>();
        expect(Kind.LPAREN, "'(' and the dimension list of the affine map");
        int dims = 0;
        if (!accept(Kind.RPAREN)) {
            do {
                ids.put(expectId("a dimension name like d0"), new AffineMap.Dim(dims++));
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "')' after the dimensions");
        }
        int syms = 0;
        if (accept(Kind.LBRACKET)) {
            if (!accept(Kind.RBRACKET)) {
                do {
                    ids.put(expectId("a symbol name like s0"), new AffineMap.Symbol(syms++));
                } while (accept(Kind.COMMA));
                expect(Kind.RBRACKET, "']' after the symbols");
            }
        }
        expect(Kind.ARROW, "'->' in the affine map");
        expect(Kind.LPAREN, "'(' and the result list of the affine map");
        List<AffineMap.Expr> results = new ArrayList<>();
        if (!accept(Kind.RPAREN)) {
            do {
                results.add(affineSum(ids));
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN, "')' after the affine map's results");
        }
        expect(Kind.GREATER, "'>' to close affine_map<...>");
        return new AffineMap(dims, syms, results);
    }

    private String expectId(String what) {
        Token t = lex.next();
        if (!t.is(Kind.BARE_ID)) {
            throw new MlirException(t.location(), "expected " + what + ", found " + t.describe());
        }
        return t.text();
    }

    private AffineMap.Expr affineSum(Map<String, AffineMap.Expr> ids) {
        AffineMap.Expr e = affineTerm(ids);
        while (lex.peek().is(Kind.PLUS) || lex.peek().is(Kind.MINUS)) {
            boolean minus = lex.next().is(Kind.MINUS);
            AffineMap.Expr r = affineTerm(ids);
            e = new AffineMap.Binary("+", e, minus ? new AffineMap.Binary("*", r, new AffineMap.Constant(-1)) : r);
        }
        return e;
    }

    private AffineMap.Expr affineTerm(Map<String, AffineMap.Expr> ids) {
        AffineMap.Expr e = affineFactor(ids);
        while (lex.peek().is(Kind.STAR) || lex.peek().isBare("mod") || lex.peek().isBare("floordiv")
                || lex.peek().isBare("ceildiv")) {
            String op = lex.next().text();
            e = new AffineMap.Binary(op, e, affineFactor(ids));
        }
        return e;
    }

    private AffineMap.Expr affineFactor(Map<String, AffineMap.Expr> ids) {
        Token t = lex.next();
        switch (t.kind()) {
            case MINUS:
                return new AffineMap.Binary("*", affineFactor(ids), new AffineMap.Constant(-1));
            case INTEGER:
                return new AffineMap.Constant(Long.parseLong(t.text()));
            case LPAREN: {
                AffineMap.Expr e = affineSum(ids);
                expect(Kind.RPAREN, "')' in the affine expression");
                return e;
            }
            case BARE_ID: {
                AffineMap.Expr e = ids.get(t.text());
                if (e == null) {
                    throw new MlirException(t.location(), "unknown identifier '" + t.text() + "' in the affine map");
                }
                return e;
            }
            default:
                throw new MlirException(t.location(), "expected an affine expression, found " + t.describe());
        }
    }

    // ---------------------------------------------------------------------------------- types

    private List<Type> typeList() {
        List<Type> ts = new ArrayList<>();
        if (accept(Kind.LPAREN)) {
            if (!accept(Kind.RPAREN)) {
                do {
                    ts.add(parseType());
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN, "')' after the types");
            }
            return ts;
        }
        do {
            ts.add(parseType());
        } while (accept(Kind.COMMA));
        return ts;
    }

    private Type parseType() {
        Token t = lex.next();
        if (t.is(Kind.LPAREN)) {
            List<Type> in = new ArrayList<>();
            if (!accept(Kind.RPAREN)) {
                do {
                    in.add(parseType());
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN, "')' after the input types");
            }
            expect(Kind.ARROW, "'->' in the function type");
            List<Type> out = new ArrayList<>();
            if (accept(Kind.LPAREN)) {
                if (!accept(Kind.RPAREN)) {
                    do {
                        out.add(parseType());
                    } while (accept(Kind.COMMA));
                    expect(Kind.RPAREN, "')' after the result types");
                }
            } else {
                out.add(parseType());
            }
            return new FunctionType(in, out);
        }
        if (t.is(Kind.BANG_ID)) {
            Type a = typeAliases.get(t.text());
            if (a == null) {
                throw new MlirException(t.location(), "unsupported type '" + t.text() + "'");
            }
            return a;
        }
        if (t.is(Kind.BARE_ID)) {
            ScalarType s = ScalarType.of(t.text());
            if (s != null) {
                return s;
            }
            if (t.text().equals("tensor")) {
                Location at = expect(Kind.LESS, "'<' after tensor").location();
                return tensorBody(lex.rawAngleBody(at), t.location());
            }
            throw new MlirException(t.location(), "unsupported type '" + t.text()
                    + "': the subset has tensor<...>, f32, f64, i1, i32, i64 and index");
        }
        throw new MlirException(t.location(), "expected a type, found " + t.describe());
    }

    private static TensorType tensorBody(String body, Location loc) {
        String b = body.replaceAll("\\s+", "");
        if (b.contains(",")) {
            throw new MlirException(loc, "tensor<" + body + ">: tensor encodings are not supported");
        }
        String[] parts = b.split("x", -1);
        String elem = parts[parts.length - 1];
        ScalarType e = ScalarType.of(elem);
        if (e == null) {
            throw new MlirException(loc, "unsupported element type '" + elem + "' in tensor<" + body
                    + ">: expected f32, f64, i1, i32, i64 or index");
        }
        if (parts.length == 2 && parts[0].equals("*")) {
            return TensorType.unranked(e);
        }
        int[] shape = new int[parts.length - 1];
        for (int i = 0; i < shape.length; i++) {
            if (parts[i].equals("?")) {
                throw new MlirException(loc, "tensor<" + body + ">: dynamic dimension '?' — only static shapes are"
                        + " supported");
            }
            try {
                shape[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException ex) {
                throw new MlirException(loc, "tensor<" + body + ">: expected a dimension size, found '" + parts[i] + "'");
            }
        }
        return TensorType.ranked(e, shape);
    }

    // ---------------------------------------------------------------------------------- helpers

    private boolean accept(Kind k) {
        if (lex.peek().is(k)) {
            lex.next();
            return true;
        }
        return false;
    }

    private Token expect(Kind k, String what) {
        Token t = lex.next();
        if (!t.is(k)) {
            throw new MlirException(t.location(), "expected " + what + ", found " + t.describe());
        }
        return t;
    }

    private void expectBare(String word, String what) {
        Token t = lex.next();
        if (!t.isBare(word)) {
            throw new MlirException(t.location(), "expected " + what + ", found " + t.describe());
        }
    }
}
