#pragma once
// Whole-file checksum of result files and checkpoints: a 24-byte trailer after HDF5's end of
// file, "WEDGESUM", the number of bytes covered and their CRC-32 (little endian). HDF5 and
// h5py ignore bytes past the end of the file they describe. wedge verifies the trailer before
// HDF5 parses anything, so a damaged file is refused (exit 2) instead of reaching HDF5's own
// parser, which can crash on malformed metadata. Opening the file for writing with HDF5 drops
// the trailer (HDF5 truncates to its end of file): such a file is refused until sealed again.
#include <string>

namespace wedge::io {

//! Appends the trailer to a closed file.
void seal(const std::string& path);
//! Checks the trailer; throws InputError naming the file when it is missing or does not match.
//! WEDGE_UNCHECKED_FILES=1 lets files without a trailer (older wedge) through, unverified.
void verify_seal(const std::string& path);

}  // namespace wedge::io
