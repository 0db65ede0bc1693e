#!/usr/bin/env bash
# On the GPU machine: builds DJL's PyTorch JNI (sources and header from pack.sh) against the libtorch of
# the machine's PyTorch wheel, and puts it beside libtorch.so, where DJL looks first.
set -euo pipefail
source "$(dirname "$0")/machine-env.sh"
abi="$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')"
src="$PACK/djl" obj="$(mktemp -d)"
export src obj abi TORCH
ls "$src"/native/*.cc | xargs -P "$(nproc)" -I{} sh -c 'g++ -c -O2 -fPIC -std=c++17 -w \
  -D_GLIBCXX_USE_CXX11_ABI=$abi -I"$src/include" -I"$src/jdk-include" -I"$src/jdk-include/linux" \
  -I"$TORCH/include" -I"$TORCH/include/torch/csrc/api/include" "$1" -o "$obj/$(basename "$1" .cc).o"' _ {}
g++ -shared -o "$TORCH/lib/libdjl_torch.so" "$obj"/*.o -L"$TORCH/lib" -ltorch -ltorch_cpu -lc10 -Wl,-rpath,'$ORIGIN'
echo "built $TORCH/lib/libdjl_torch.so for libtorch $PYTORCH_VERSION ($PYTORCH_FLAVOR)"
