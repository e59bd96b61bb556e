#pragma once
// Whole-file checksum of result files and checkpoints: a 24-byte trailer after HDF5's end of
// file, "WEDGESUM", the number of bytes covered and their CRC-32 (little endian). HDF5 and
// h5py ignore bytes past the end of the file they describe. wedge verifies the trailer before
// HDF5 parses anything, so a damaged file is refused (exit 2) instead of reaching HDF5's own
// parser, which can crash on malformed metadata. Opening the file for writing with HDF5 drops
// the trailer (HDF5 truncates to its end of file): such a file is refused until sealed again.
#include <hdf5.h>

#include <functional>
#include <string>

namespace wedge::io {

//! Appends the trailer to a closed file.
void seal(const std::string& path);
//! Writes a whole HDF5 file from one process: `fill` writes into `path`.partial, which is then
//! closed, sealed and renamed to `path`; on any error the partial file is removed and the error
//! passed on, so a killed or failed write never leaves a file that looks finished.
void write_sealed_file(const std::string& path, const std::function<void(hid_t)>& fill);
//! Checks the trailer; throws InputError naming the file when it is missing or does not match.
//! WEDGE_UNCHECKED_FILES=1 lets files without a trailer (older wedge) through, unverified.
void verify_seal(const std::string& path);
//! The rule for an output path (-o, merge OUT): it may be new, or an existing regular file that
//! ends with wedge's seal (a result or checkpoint wedge wrote). Anything else (a device node,
//! FIFO, socket, directory, configuration, empty file, another HDF5 file) is refused with an
//! InputError, before anything is opened or written. `option` names it in the message.
void check_output_path(const std::string& path, const std::string& option);

}  // namespace wedge::io
