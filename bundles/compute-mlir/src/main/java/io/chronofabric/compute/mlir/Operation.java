package io.chronofabric.compute.mlir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One op: its name ({@code arith.addf}), operands, results, attributes (properties of the
 * generic form {@code <{...}>} and the attribute dictionary together, under their MLIR names),
 * regions and where it was written. Built by {@link MlirParser}; not modified afterwards.
 */
public final class Operation {

    private final String name;
    private final Location location;
    private final List<Value> operands = new ArrayList<>();
    private final List<Value> results = new ArrayList<>();
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private final List<Region> regions = new ArrayList<>();

    Operation(String name, Location location) {
        this.name = name;
        this.location = location;
    }

    public String name() {
        return name;
    }

    public Location location() {
        return location;
    }

    public List<Value> operands() {
        return Collections.unmodifiableList(operands);
    }

    public Value operand(int i) {
        return operands.get(i);
    }

    public List<Value> results() {
        return Collections.unmodifiableList(results);
    }

    /** The single result; throws naming the op when it has none or several. */
    public Value result() {
        if (results.size() != 1) {
            throw new MlirException(location, "'" + name + "' has " + results.size() + " results, expected one");
        }
        return results.get(0);
    }

    public Map<String, Attribute> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    public List<Region> regions() {
        return Collections.unmodifiableList(regions);
    }

    /** Region {@code i}'s entry block. */
    public Block body(int i) {
        return regions.get(i).entry();
    }

    public Attribute attribute(String key) {
        return attributes.get(key);
    }

    public boolean hasAttribute(String key) {
        return attributes.containsKey(key);
    }

    /** Attribute {@code key} as the given kind; throws naming the op, the key and what was found. */
    public <A extends Attribute> A attribute(String key, Class<A> kind) {
        Attribute a = attributes.get(key);
        if (a == null) {
            throw new MlirException(location, "'" + name + "' needs attribute '" + key + "'");
        }
        if (!kind.isInstance(a)) {
            throw new MlirException(location, "'" + name + "' attribute '" + key + "' is " + a + ", expected a "
                    + kind.getSimpleName());
        }
        return kind.cast(a);
    }

    /** An integer attribute's value (e.g. the generic form's {@code predicate = 4 : i64}). */
    public long intAttribute(String key) {
        return attribute(key, Attribute.IntegerAttr.class).value();
    }

    public String stringAttribute(String key) {
        return attribute(key, Attribute.StringAttr.class).value();
    }

    /**
     * linalg's {@code indexing_maps}, in operand order. Accepts {@code [#map, affine_map<...>]}.
     */
    public List<AffineMap> indexingMaps() {
        List<AffineMap> maps = new ArrayList<>();
        for (Attribute a : attribute("indexing_maps", Attribute.ArrayAttr.class).values()) {
            if (!(a instanceof Attribute.AffineMapAttr m)) {
                throw new MlirException(location, "'" + name + "' indexing_maps holds " + a + ", expected affine maps");
            }
            maps.add(m.map());
        }
        return maps;
    }

    /**
     * linalg's {@code iterator_types} as {@code "parallel"}/{@code "reduction"}, from either
     * the pretty form's strings or the generic form's {@code #linalg.iterator_type<parallel>}.
     */
    public List<String> iteratorTypes() {
        List<String> out = new ArrayList<>();
        for (Attribute a : attribute("iterator_types", Attribute.ArrayAttr.class).values()) {
            if (a instanceof Attribute.StringAttr s) {
                out.add(s.value());
            } else if (a instanceof Attribute.DialectAttr d && d.name().equals("iterator_type")) {
                out.add(d.body().trim());
            } else {
                throw new MlirException(location, "'" + name + "' iterator_types holds " + a
                        + ", expected \"parallel\" or \"reduction\"");
            }
        }
        return out;
    }

    /**
     * How many operands are inputs, for ops with {@code ins(...) outs(...)}: from
     * {@code operandSegmentSizes} (generic form) or recorded by the pretty parser.
     */
    public int inputCount() {
        Attribute a = attributes.get("operandSegmentSizes");
        if (a instanceof Attribute.DenseArrayAttr d && d.values().length >= 1) {
            return (int) d.values()[0];
        }
        throw new MlirException(location, "'" + name + "' needs attribute 'operandSegmentSizes'");
    }

    public List<Value> inputs() {
        return operands().subList(0, inputCount());
    }

    public List<Value> outputs() {
        return operands().subList(inputCount(), operands.size());
    }

    void addOperand(Value v) {
        operands.add(v);
    }

    Value addResult(String resultName, Type type) {
        Value v = new Value(resultName, type, this, null, results.size());
        results.add(v);
        return v;
    }

    void putAttribute(String key, Attribute value) {
        attributes.put(key, value);
    }

    void addRegion(Region r) {
        regions.add(r);
    }

    @Override
    public String toString() {
        return "'" + name + "' at " + location;
    }
}
