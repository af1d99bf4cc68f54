// Integer basics, i32 wrap-around, casts (golden output from mlir-cpu-runner-19; mlir-opt 19 crashed
// in one-shot-bufferize when the multiply-add was a func.call, so it is inline here)
func.func @main() {
  %a = arith.constant dense<[7, -9, 2147483647, 12]> : tensor<4xi32>
  %b = arith.constant dense<[1, 2, 3, -4]> : tensor<4xi32>
  %k = arith.constant dense<3> : tensor<4xi32>
  %m = arith.muli %a, %k : tensor<4xi32>
  %s = arith.addi %m, %b : tensor<4xi32>
  %q = arith.divsi %s, %b : tensor<4xi32>
  %r = arith.remsi %a, %k : tensor<4xi32>
  %c = arith.cmpi slt, %q, %r : tensor<4xi32>
  %mx = arith.select %c, %q, %r : tensor<4xi1>, tensor<4xi32>
  %f = arith.sitofp %mx : tensor<4xi32> to tensor<4xf32>
  %u1 = tensor.cast %s : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%u1) : (tensor<*xi32>) -> ()
  %u2 = tensor.cast %q : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%u2) : (tensor<*xi32>) -> ()
  %u3 = tensor.cast %mx : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%u3) : (tensor<*xi32>) -> ()
  %u4 = tensor.cast %f : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(%ptr : tensor<*xf32>)
func.func private @printMemrefI32(%ptr : tensor<*xi32>)
