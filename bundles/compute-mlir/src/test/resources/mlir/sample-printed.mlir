#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0)>
module {
  func.func @f(%arg0: tensor<2x3xf32>, %arg1: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xf32>) {
    %0 = tensor.empty() : tensor<2x3xf32>
    %cst = arith.constant 0.000000e+00 : f32
    %1 = tensor.empty() : tensor<2xf32>
    %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<2xf32>) -> tensor<2xf32>
    %3 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<2x3xf32>) outs(%0 : tensor<2x3xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %6 = arith.addf %in, %in_0 fastmath<fast> : f32
      %7 = arith.cmpf olt, %6, %cst : f32
      %8 = arith.select %7, %cst, %6 : f32
      %9 = math.tanh %8 : f32
      linalg.yield %9 : f32
    } -> tensor<2x3xf32>
    %4 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "reduction"]} ins(%3 : tensor<2x3xf32>) outs(%2 : tensor<2xf32>) {
    ^bb0(%in: f32, %out: f32):
      %6 = arith.addf %in, %out : f32
      linalg.yield %6 : f32
    } -> tensor<2xf32>
    %c0 = arith.constant 0 : index
    %extracted = tensor.extract %4[%c0] : tensor<2xf32>
    %inserted = tensor.insert %extracted into %4[%c0] : tensor<2xf32>
    %5 = arith.index_cast %c0 : index to i32
    return %3, %inserted : tensor<2x3xf32>, tensor<2xf32>
  }
}

