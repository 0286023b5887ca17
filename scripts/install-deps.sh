#!/usr/bin/env bash
# Installs the Debian 12 packages Tweedie needs to build, test and benchmark; with --sanitizers
# also clang and its runtimes for scripts/sanitize.sh (AddressSanitizer, libFuzzer).
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libeigen3-dev libfftw3-dev libtbb-dev
  libinsighttoolkit5-dev
  libboost-test-dev libbenchmark-dev libcli11-dev
  nlohmann-json3-dev zlib1g-dev libdnnl-dev  # oneDNN: the benchmarks' GEMM-peak yardstick
  ocl-icd-opencl-dev  # oneDNN's CMake package looks for OpenCL (a Recommends of libdnnl-dev)
  libopenmpi-dev openmpi-bin  # studies spread over MPI ranks (mpirun)
)
if [[ ${1:-} == --sanitizers ]]; then
  packages+=(clang libclang-rt-14-dev curl)  # curl: the oneTBB source for ThreadSanitizer
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
