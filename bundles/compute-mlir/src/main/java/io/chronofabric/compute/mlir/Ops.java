package io.chronofabric.compute.mlir;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The op subset: every name the parser accepts. Anything else is refused by name. */
public final class Ops {

    public static final List<String> FLOAT_BINARY = List.of("arith.addf", "arith.subf", "arith.mulf", "arith.divf",
            "arith.maximumf", "arith.minimumf");
    public static final List<String> INT_BINARY = List.of("arith.addi", "arith.subi", "arith.muli", "arith.divsi",
            "arith.remsi", "arith.maxsi", "arith.minsi", "arith.andi", "arith.ori", "arith.xori");
    public static final List<String> FLOAT_UNARY = List.of("arith.negf", "math.exp", "math.tanh", "math.sqrt",
            "math.log", "math.absf");
    public static final List<String> CASTS = List.of("arith.index_cast", "arith.sitofp", "arith.fptosi",
            "arith.extf", "arith.truncf", "arith.extsi", "arith.trunci");

    /** cmpf predicates in the order of their integer values (generic form {@code predicate = 4 : i64} is olt). */
    public static final List<String> CMPF_PREDICATES = List.of("false", "oeq", "ogt", "oge", "olt", "ole", "one",
            "ord", "ueq", "ugt", "uge", "ult", "ule", "une", "uno", "true");
    /** cmpi predicates in the order of their integer values. */
    public static final List<String> CMPI_PREDICATES = List.of("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule",
            "ugt", "uge");

    private static final Set<String> ALL;

    static {
        Set<String> s = new LinkedHashSet<>(List.of("builtin.module", "func.func", "func.return", "func.call",
                "arith.constant", "arith.cmpf", "arith.cmpi", "arith.select", "tensor.empty", "tensor.cast",
                "tensor.extract", "tensor.insert", "linalg.fill", "linalg.matmul", "linalg.generic",
                "linalg.yield"));
        s.addAll(FLOAT_BINARY);
        s.addAll(INT_BINARY);
        s.addAll(FLOAT_UNARY);
        s.addAll(CASTS);
        ALL = Collections.unmodifiableSet(s);
    }

    private Ops() {
    }

    /** Every supported op name, in a stable order. */
    public static Set<String> supported() {
        return ALL;
    }

    public static boolean isSupported(String name) {
        return ALL.contains(name);
    }
}
