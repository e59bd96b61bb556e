#pragma once
// Thin RAII and helper layer over the HDF5 C API (the C++ API does not support parallel HDF5).
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wedge::h5 {

//! Owns one HDF5 identifier and closes it with the matching H5?close.
class Id {
 public:
  Id() = default;
  Id(hid_t id, herr_t (*closer)(hid_t), const std::string& what);
  Id(Id&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  Id& operator=(Id&& o) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }
  void reset();
  //! Forgets the identifier without closing it (a file left as it is on disk; see abandon).
  void release() { id_ = -1; }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }  // NOLINT: used with the C API everywhere

 private:
  hid_t id_ = -1;
  herr_t (*closer_)(hid_t) = nullptr;
};

Id file(hid_t id, const std::string& what);
Id group(hid_t id, const std::string& what);
Id dataset(hid_t id, const std::string& what);
Id space(hid_t id, const std::string& what);
Id type(hid_t id, const std::string& what);
Id plist(hid_t id, const std::string& what);
Id attr(hid_t id, const std::string& what);
void check(herr_t status, const std::string& what);

//! True once a file could not be closed (a write error) or was abandoned on purpose: HDF5's
//! state is then unusable, and its shutdown (at MPI_Finalize or exit) would flush into the
//! file or crash, so the process must end with std::_Exit (main does).
bool library_unusable();
//! Leaves an open file as it is on disk, unflushed (see library_unusable).
void abandon(Id& file);

Id create_group(hid_t parent, const std::string& name);
Id open_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& name);

// Attributes (scalars, strings and small arrays).
void attr_string(hid_t obj, const std::string& name, const std::string& value);
void attr_int(hid_t obj, const std::string& name, std::int64_t value);
void attr_uint(hid_t obj, const std::string& name, std::uint64_t value);
void attr_double(hid_t obj, const std::string& name, double value);
void attr_uint_array(hid_t obj, const std::string& name, const std::vector<std::uint64_t>& v);
void attr_string_array(hid_t obj, const std::string& name, const std::vector<std::string>& v);
bool has_attr(hid_t obj, const std::string& name);
std::string read_attr_string(hid_t obj, const std::string& name);
std::int64_t read_attr_int(hid_t obj, const std::string& name);
std::uint64_t read_attr_uint(hid_t obj, const std::string& name);
std::vector<std::uint64_t> read_attr_uint_array(hid_t obj, const std::string& name);
std::vector<std::string> read_attr_string_array(hid_t obj, const std::string& name);

// netCDF-4 style variables: each dimension is a dimension scale in the same group.
//! A coordinate variable (a dimension with values).
void dim_strings(hid_t group, const std::string& name, const std::vector<std::string>& values);
void dim_doubles(hid_t group, const std::string& name, const std::vector<double>& values,
                 const std::string& long_name, const std::string& units);
void dim_ints(hid_t group, const std::string& name, const std::vector<std::int64_t>& values,
              const std::string& long_name, const std::string& units);
//! A dimension without values (netCDF's "not a netCDF variable" scale).
void dim_plain(hid_t group, const std::string& name, std::uint64_t size);
//! A variable over named dimensions of this group; chunked and compressed when large (always,
//! with a Fletcher32 checksum HDF5 verifies on read, when `checksum`).
void var_doubles(hid_t group, const std::string& name, const std::vector<std::string>& dims,
                 const std::vector<double>& data, const std::string& long_name,
                 const std::string& units);
void var_uints(hid_t group, const std::string& name, const std::vector<std::string>& dims,
               const std::vector<std::uint64_t>& data, const std::string& long_name,
               const std::string& units, bool checksum = false);
void var_strings(hid_t group, const std::string& name, const std::vector<std::string>& dims,
                 const std::vector<std::string>& data, const std::string& long_name);
//! Attaches this group's dimension scales to an existing dataset.
void attach_dims(hid_t group, hid_t dataset, const std::vector<std::string>& dims);

std::vector<double> read_doubles(hid_t group, const std::string& name,
                                 std::vector<hsize_t>* shape = nullptr);
std::vector<std::uint64_t> read_uints(hid_t group, const std::string& name);
std::vector<std::string> read_strings(hid_t group, const std::string& name);

}  // namespace wedge::h5
