package io.chronofabric.compute.mlir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlirParserTest {

    static String resource(String name) throws IOException {
        try (InputStream in = MlirParserTest.class.getResourceAsStream("/mlir/" + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> opNames(MlirModule m) {
        List<String> names = new ArrayList<>();
        m.walk(op -> names.add(op.name()));
        return names;
    }

    @Test
    void shouldReadThePrettyAndTheGenericFormOfTheSameModuleAlike() throws IOException {
        MlirModule pretty = MlirParser.parse(resource("sample-pretty.mlir"));
        MlirModule generic = MlirParser.parse(resource("sample-generic.mlir"));
        MlirModule printed = MlirParser.parse(resource("sample-printed.mlir"));

        // mlir-opt prints linalg.fill with its region in the generic form; the pretty form has none
        List<String> genericNames = opNames(generic);
        assertThat(genericNames).contains("linalg.fill", "linalg.generic", "math.tanh", "tensor.insert");
        assertThat(opNames(pretty)).isEqualTo(opNames(printed));
        assertThat(pretty.function("f").type().text())
                .isEqualTo("(tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xf32>)");
        assertThat(generic.function("@f").type()).isEqualTo(pretty.function("f").type());

        for (MlirModule m : List.of(pretty, generic)) {
            List<Operation> generics = new ArrayList<>();
            m.walk(op -> {
                if (op.name().equals("linalg.generic")) {
                    generics.add(op);
                }
            });
            assertThat(generics).hasSize(2);
            Operation reduce = generics.get(1);
            assertThat(reduce.iteratorTypes()).containsExactly("parallel", "reduction");
            assertThat(reduce.indexingMaps().get(1).resultDims()).containsExactly(0);
            assertThat(reduce.inputCount()).isEqualTo(1);
            assertThat(reduce.body(0).arguments()).extracting(Value::type).containsExactly(ScalarType.F32, ScalarType.F32);
            assertThat(reduce.body(0).terminator().name()).isEqualTo("linalg.yield");
            Operation cmp = generics.get(0).body(0).operations().get(1);
            assertThat(cmp.name()).isEqualTo("arith.cmpf");
            assertThat(Ops.CMPF_PREDICATES.get((int) cmp.intAttribute("predicate"))).isEqualTo("olt");
            // the region uses %z / %cst from the function body: regions of linalg.generic see outer values
            assertThat(cmp.operand(1).definingOp().name()).isEqualTo("arith.constant");
        }
    }

    @Test
    void shouldReadTheUpstreamMatmulTestAndSkipItsTransformSchedule() throws IOException {
        MlirModule m = MlirParser.parse(resource("test-tensor-matmul.mlir"));

        assertThat(m.functions()).containsOnlyKeys("main", "printMemrefF32");
        assertThat(m.function("printMemrefF32").isDeclaration()).isTrue();
        assertThat(m.notes()).anySatisfy(n -> assertThat(n).contains("transform schedule"));
        Operation b = m.function("main").body().operations().get(1);
        Attribute.DenseElementsAttr dense = b.attribute("value", Attribute.DenseElementsAttr.class);
        assertThat(dense.type().text()).isEqualTo("tensor<3x4xf32>");
        assertThat(dense.floatAt(4)).isEqualTo(5.0);
        Attribute.DenseElementsAttr splat = m.function("main").body().operations().get(2)
                .attribute("value", Attribute.DenseElementsAttr.class);
        assertThat(splat.splat()).isTrue();
        assertThat(splat.floatAt(7)).isEqualTo(1000.0);
        Operation cast = m.function("main").body().operations().get(4);
        assertThat(cast.result().type()).isEqualTo(TensorType.unranked(ScalarType.F32));
    }

    @Test
    void shouldSkipATransformScheduleThatComesFirst() {
        MlirModule m = MlirParser.parse("""
                module attributes {transform.with_named_sequence} {
                  transform.named_sequence @__transform_main(%arg1: !transform.any_op {transform.readonly}) {
                    transform.yield
                  }
                }
                func.func @f() {
                  return
                }
                """);
        assertThat(m.functions()).containsOnlyKeys("f");
        assertThat(m.notes()).singleElement().asString().contains("transform schedule at 1:1");
    }

    @Test
    void shouldAcceptLegacyFuncAndSayItDidSo() {
        MlirModule m = MlirParser.parse("""
                func @double(%x: f32) -> f32 {
                  %y = arith.addf %x, %x : f32
                  return %y : f32
                }
                """);
        assertThat(m.function("double").type().text()).isEqualTo("(f32) -> f32");
        assertThat(m.notes()).singleElement().asString().contains("legacy 'func' at 1:1").contains("func.func");
    }

    @Test
    void shouldReadConstantsOfEveryKind() {
        MlirModule m = MlirParser.parse("""
                module {
                  func.func @c() -> (tensor<2x2xi32>, f64, i1, index, tensor<3xf32>, tensor<2xf32>, i64) {
                    %a = arith.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi32>
                    %b = arith.constant -2.5e-1 : f64
                    %t = arith.constant true
                    %i = "arith.constant"() <{value = 7 : index}> : () -> index
                    %s = arith.constant dense<0x7F800000> : tensor<3xf32>
                    %h = arith.constant dense<"0x0000803F00000040"> : tensor<2xf32>
                    %n = arith.constant 0x10 : i64
                    return %a, %b, %t, %i, %s, %h, %n : tensor<2x2xi32>, f64, i1, index, tensor<3xf32>, tensor<2xf32>, i64
                  }
                }
                """);
        List<Operation> ops = m.function("c").body().operations();
        assertThat(ops.get(0).attribute("value", Attribute.DenseElementsAttr.class).ints()).containsExactly(1, -2, 3, 4);
        assertThat(ops.get(1).attribute("value", Attribute.FloatAttr.class).value()).isEqualTo(-0.25);
        assertThat(ops.get(2).attribute("value", Attribute.IntegerAttr.class)).isEqualTo(new Attribute.IntegerAttr(1, ScalarType.I1));
        assertThat(ops.get(3).result().type()).isEqualTo(ScalarType.INDEX);
        assertThat(ops.get(4).attribute("value", Attribute.DenseElementsAttr.class).floatAt(2)).isInfinite();
        assertThat(ops.get(5).attribute("value", Attribute.DenseElementsAttr.class).floats()).containsExactly(1.0, 2.0);
        assertThat(ops.get(6).intAttribute("value")).isEqualTo(16);
    }

    @Test
    void shouldRefuseAnOpOutsideTheSubsetByNameAndPlace() {
        String text = """
                func.func @conv(%i: tensor<1x4x4x1xf32>, %k: tensor<3x3x1x1xf32>, %o: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
                  %r = linalg.conv_2d_nhwc_hwcf ins(%i, %k : tensor<1x4x4x1xf32>, tensor<3x3x1x1xf32>) outs(%o : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
                  return %r : tensor<1x2x2x1xf32>
                }
                """;
        assertThatThrownBy(() -> MlirParser.parse(text)).isInstanceOf(MlirException.class)
                .hasMessage("unsupported op 'linalg.conv_2d_nhwc_hwcf' at 2:8")
                .satisfies(e -> assertThat(((MlirException) e).location()).isEqualTo(new Location(2, 8)));
        assertThatThrownBy(() -> MlirParser.parse("\"scf.for\"() : () -> ()"))
                .hasMessage("unsupported op 'scf.for' at 1:1");
    }

    @Test
    void shouldKeepEveryUnknownGenericOpWhenParsingLeniently() {
        String text = """
                func.func @f(%a: f32) -> f32 {
                  %b = "foo.bar"(%a) {k = 1 : i64} : (f32) -> f32
                  %c = arith.addf %b, %a : f32
                  "foo.baz"(%c) ({
                  ^bb0(%x: f32):
                    "foo.yield"(%x) : (f32) -> ()
                  }) : (f32) -> ()
                  return %c : f32
                }
                """;
        assertThatThrownBy(() -> MlirParser.parse(text)).hasMessage("unsupported op 'foo.bar' at 2:8");
        MlirModule m = MlirParser.parseLenient(text);
        assertThat(m.unsupportedOps()).extracting(o -> o.name() + "@" + o.location())
                .containsExactly("foo.bar@2:8", "foo.yield@6:5", "foo.baz@4:3");
        assertThat(m.unsupportedOps().get(0).intAttribute("k")).isEqualTo(1);
    }

    @Test
    void shouldNameLineColumnAndWhatWasExpected() {
        assertThatThrownBy(() -> MlirParser.parse("func.func @f(%a: f32) -> f32 {\n  %b = arith.addf %a %a : f32\n"))
                .hasMessage("expected ',' between the operands of 'arith.addf', found '%a' at 2:22");
        assertThatThrownBy(() -> MlirParser.parse("func.func @f(%a: memref<4xf32>) {\n return\n}"))
                .hasMessageStartingWith("unsupported type 'memref'").hasMessageEndingWith("at 1:18");
        assertThatThrownBy(() -> MlirParser.parse("func.func @f() -> f32 {\n  return %x : f32\n}"))
                .hasMessage("use of undefined value %x at 2:10");
        assertThatThrownBy(() -> MlirParser.parse("func.func @f(%a: tensor<?xf32>) {\n return\n}"))
                .hasMessageContaining("dynamic dimension '?'").hasMessageEndingWith("at 1:18");
        assertThatThrownBy(() -> MlirParser.parse("func.func @f() {\n  %c = arith.constant dense<[1.0, 2.0]> : tensor<3xf32>\n  return\n}"))
                .hasMessage("dense literal has 2 element(s) in dimension 0, tensor<3xf32> expects 3 at 2:23");
        assertThatThrownBy(() -> MlirParser.parse("func.func @f(%a: f32, %b: f64) -> f32 {\n  %c = arith.addf %a, %b : f32\n"
                + "  return %c : f32\n}"))
                .hasMessage("operand #1 of 'arith.addf' (%b) has type f64, expected f32 at 2:8");
        assertThatThrownBy(() -> MlirParser.parse("func.func @f() {\n  return\n"))
                .hasMessageContaining("expected '}' to close the region, found end of input");
    }

    @Test
    void shouldNameTheOperandsOfAShapeOrTypeMismatch() {
        assertThatThrownBy(() -> MlirParser.parse("""
                func.func @mm(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>, %c: tensor<2x5xf32>) -> tensor<2x5xf32> {
                  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<4x5xf32>) outs(%c : tensor<2x5xf32>) -> tensor<2x5xf32>
                  return %r : tensor<2x5xf32>
                }
                """)).hasMessage("linalg.matmul shape mismatch: B (%b, tensor<4x5xf32>) has 4 rows, expected 3 (the columns"
                + " of A, tensor<2x3xf32>) at 2:8");
        assertThatThrownBy(() -> MlirParser.parse("""
                func.func @add(%a: tensor<3xf32>, %b: tensor<4xf32>) -> tensor<3xf32> {
                  %r = "arith.addf"(%a, %b) : (tensor<3xf32>, tensor<4xf32>) -> tensor<3xf32>
                  return %r : tensor<3xf32>
                }
                """)).hasMessage("'arith.addf' type mismatch: operand #1 (%b) has type tensor<4xf32>, operand #0 (%a) has"
                + " tensor<3xf32> at 2:8");
        assertThatThrownBy(() -> MlirParser.parse("""
                #id = affine_map<(d0) -> (d0)>
                func.func @g(%a: tensor<3xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
                  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
                      ins(%a : tensor<3xf32>) outs(%o : tensor<4xf32>) {
                  ^bb0(%x: f32, %y: f32):
                    linalg.yield %x : f32
                  } -> tensor<4xf32>
                  return %r : tensor<4xf32>
                }
                """)).hasMessage("linalg.generic shape mismatch: loop d0 is 3 in operand #0 (tensor<3xf32>) but 4 in"
                + " operand #1 (%o, tensor<4xf32>) at 3:8");
        assertThatThrownBy(() -> MlirParser.parse("""
                func.func @r(%a: f32) -> f64 {
                  return %a : f32
                }
                """)).hasMessageContaining("func.return operand #0 (%a) has type f32, @r declares f64");
        assertThatThrownBy(() -> MlirParser.parse("""
                func.func @m() {
                  call @nowhere() : () -> ()
                  return
                }
                """)).hasMessage("call to unknown function @nowhere at 2:3");
    }

    @Test
    void shouldNameAnUnknownFunctionAndTheOnesThereAre() {
        MlirModule m = MlirParser.parse("func.func @a() {\n return\n}\nfunc.func @b() {\n return\n}");
        assertThatThrownBy(() -> m.function("c")).hasMessage("unknown function @c: the module defines @a, @b");
    }

    @Test
    void shouldReadAffineMapsBeyondPermutationsAndTellThemApart() {
        MlirModule m = MlirParser.parse("""
                #t = affine_map<(d0, d1, d2) -> (d2, d0)>
                #odd = affine_map<(d0, d1)[s0] -> (d0 + d1 * 2, s0 mod 3)>
                func.func @f() attributes {maps = [#t, #odd]} {
                  return
                }
                """);
        List<Attribute> maps = m.function("f").op().attribute("maps", Attribute.ArrayAttr.class).values();
        AffineMap t = ((Attribute.AffineMapAttr) maps.get(0)).map();
        AffineMap odd = ((Attribute.AffineMapAttr) maps.get(1)).map();
        assertThat(t.isProjectedPermutation()).isTrue();
        assertThat(t.resultDims()).containsExactly(2, 0);
        assertThat(odd.isProjectedPermutation()).isFalse();
        assertThat(odd.numSymbols()).isEqualTo(1);
        assertThat(odd.toString()).isEqualTo("affine_map<(d0, d1)[s0] -> ((d0 + (d1 * 2)), (s0 mod 3))>");
    }
}
