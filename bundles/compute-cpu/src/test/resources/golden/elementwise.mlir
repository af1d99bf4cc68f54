// Elementwise ops on tensors and a fused linalg.generic (golden output from mlir-cpu-runner-19, see regenerate.sh)
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @main() {
  %a = arith.constant dense<[[1.0, -2.0, 3.5], [0.25, 4.0, -0.5]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[0.5, 2.0, -1.0], [3.0, 0.125, 2.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %s = arith.addf %a, %b : tensor<2x3xf32>
  %d = arith.divf %s, %b : tensor<2x3xf32>
  %m = arith.maximumf %d, %a : tensor<2x3xf32>
  %n = arith.negf %m : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %g = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%n, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %c = arith.cmpf olt, %p, %zero : f32
    %r = arith.select %c, %zero, %p : f32
    %q = math.sqrt %r : f32
    %t = math.tanh %q : f32
    %x2 = math.exp %t : f32
    %z = arith.subf %x2, %y : f32
    linalg.yield %z : f32
  } -> tensor<2x3xf32>
  %u1 = tensor.cast %s : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  %u2 = tensor.cast %n : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  %u3 = tensor.cast %g : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(%ptr : tensor<*xf32>)
