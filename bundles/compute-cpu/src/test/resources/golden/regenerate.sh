#!/bin/bash
# Regenerates the golden outputs (*.out) of the *.mlir programs here with MLIR's own tools
# (Debian mlir-19-tools + libmlir-19). Run from this folder: ./regenerate.sh
# test-tensor-matmul.mlir (upstream LLVM test, see its .LICENSE) runs with its own RUN pipeline;
# the others with elementwise-to-linalg and the same bufferize + lower-to-LLVM pipeline plus math-to-libm (tanh, exp).
set -euo pipefail
L=/usr/lib/llvm-19/lib
RUNNER="mlir-cpu-runner-19 -e main -entry-point-result=void -shared-libs=$L/libmlir_c_runner_utils.so.19.1,$L/libmlir_runner_utils.so.19.1"
mlir-opt-19 test-tensor-matmul.mlir -test-transform-dialect-erase-schedule \
  -one-shot-bufferize="bufferize-function-boundaries" -finalizing-bufferize -buffer-deallocation-pipeline \
  -convert-bufferization-to-memref -convert-linalg-to-loops -convert-scf-to-cf -expand-strided-metadata -lower-affine \
  -convert-arith-to-llvm -convert-scf-to-cf --finalize-memref-to-llvm -convert-func-to-llvm -reconcile-unrealized-casts \
  | $RUNNER > test-tensor-matmul.out
for f in elementwise reductions integers; do
  mlir-opt-19 $f.mlir -convert-elementwise-to-linalg -one-shot-bufferize="bufferize-function-boundaries" -finalizing-bufferize -buffer-deallocation-pipeline \
    -convert-bufferization-to-memref -convert-linalg-to-loops -convert-scf-to-cf -expand-strided-metadata -lower-affine \
    -convert-math-to-libm -convert-math-to-llvm -convert-arith-to-llvm -convert-scf-to-cf --finalize-memref-to-llvm \
    -convert-func-to-llvm -reconcile-unrealized-casts | $RUNNER > $f.out
done
