# Sourced by the scripts run on the GPU machine: the packed Java runtime and jars (pack.sh), and DJL
# pointed at the libtorch of the machine's PyTorch wheel (PYTORCH_LIBRARY_PATH; version and flavour
# named, since no DJL natives jar says them) with the JNI that build-djl-jni.sh put beside it.
WARPSPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PACK="$WARPSPARK_HOME/.gpucheck"
TORCH="$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')"
export PYTORCH_LIBRARY_PATH="$TORCH/lib"
export PYTORCH_VERSION="$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')"
export PYTORCH_FLAVOR="cu$(python3 -c 'import torch; print(torch.version.cuda.replace(".", ""))')"
export JAVA_HOME="$PACK/jre" PATH="$PACK/jre/bin:$PATH" OMP_WAIT_POLICY=PASSIVE
# DJL finds the CUDA runtime through JNA; the wheel's copy has only a versioned name.
CUDART_DIR="$(dirname "$(find "$(dirname "$TORCH")/nvidia" -name 'libcudart.so*' | head -1)")"
source "$WARPSPARK_HOME/scripts/env.sh"
