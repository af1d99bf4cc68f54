#map = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xf32>) {
  %e = tensor.empty() : tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2xf32>
  %acc = linalg.fill ins(%z : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y fastmath<fast> : f32
    %c = arith.cmpf olt, %s, %z : f32
    %m = arith.select %c, %z, %s : f32
    %t = math.tanh %m : f32
    linalg.yield %t : f32
  } -> tensor<2x3xf32>
  %s = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction"]}
      ins(%r : tensor<2x3xf32>) outs(%acc : tensor<2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %q = arith.addf %x, %o : f32
    linalg.yield %q : f32
  } -> tensor<2xf32>
  %c0 = arith.constant 0 : index
  %v = tensor.extract %s[%c0] : tensor<2xf32>
  %s2 = tensor.insert %v into %s[%c0] : tensor<2xf32>
  %i = arith.index_cast %c0 : index to i32
  return %r, %s2 : tensor<2x3xf32>, tensor<2xf32>
}
