#!/usr/bin/env bash
# Installs the Debian 12 packages wedge needs. Idempotent: when everything is there it only
# asks dpkg and returns in well under a second.
set -euo pipefail

packages=(
  build-essential cmake git pkg-config
  openmpi-bin libopenmpi-dev libpmix-dev          # MPI (Open MPI) with PMIx for srun --mpi=pmix
  libhdf5-openmpi-dev hdf5-tools                  # parallel HDF5, h5dump/h5diff
  libboost-dev libboost-math-dev libboost-random-dev
  librandom123-dev libtomlplusplus-dev libcli11-dev
  libgtest-dev libgmock-dev
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib
  python3-xarray python3-h5netcdf python3-pytest python3-scipy   # scipy: the PRIM test's prior quantiles
  slurm-wlm munge                                 # the one-node Slurm used by the tests
  lmod                                            # module load wedge in the Slurm test
  dpkg-dev file                                   # CPack's .deb: dpkg-shlibdeps, file
  man-db                                          # man wedge (the man page test)
  python3-setuptools python3-pip python3-venv     # pip install analysis/ (offline, no isolation)
  r-base-core r-cran-hdf5r                        # the R reader, analysis/R/wedge.R
  time                                            # /usr/bin/time for bench/run.sh
  zlib1g-dev                                      # CRC-32 of the result files' checksum
  clang libclang-rt-14-dev libomp-14-dev          # the libFuzzer harnesses (preset fuzz)
  strace                                          # write-error injection (tests/fault)
  python3-openturns                               # the Sobol' indices cross-check (tests/sensitivity)
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them with sudo apt-get install)." >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
