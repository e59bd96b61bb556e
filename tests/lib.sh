# Shared by the end-to-end and Slurm tests: Open MPI as root, pass/fail counting, and the bitwise
# comparison of two result files. Source it; it defines functions and exports only.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export HDF5_USE_FILE_LOCKING=FALSE
PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok: $*"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
finish() {
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}
# Every dataset of file A equals file B's bit for bit (provenance attributes may differ).
same_datasets() {
  local a=$1 b=$2 n=0 ds
  [[ -f $a && -f $b ]] || { echo "  missing file: $a or $b"; return 1; }
  while read -r ds; do
    n=$((n + 1))
    # A time limit only against a hung h5diff: a loaded machine can take minutes over the
    # records of a large study, and a timeout must not read as a difference.
    local rc=0
    timeout 600 h5diff -q "$a" "$b" "$ds" "$ds" > /dev/null 2>&1 || rc=$?
    if ((rc == 124)); then
      echo "  h5diff of $ds timed out (600 s) between $a and $b"
      return 1
    elif ((rc != 0)); then
      echo "  dataset $ds differs between $a and $b"
      return 1
    fi
  done < <(h5ls -r "$a" | awk '$2 == "Dataset" {print $1}')
  [[ $n -gt 10 ]] || { echo "  only $n datasets found in $a"; return 1; }
  echo "  $n datasets identical"
}
