#include "wedge/io/hdf5_util.hpp"

#include <hdf5_hl.h>

#include <cstring>

#include "wedge/core/error.hpp"

namespace wedge::h5 {
namespace {

bool g_unusable = false;

// The innermost message of HDF5's error stack, which carries the system error (errno).
herr_t innermost(unsigned n, const H5E_error2_t* e, void* out) {
  if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
  return 0;
}

std::string failure(const std::string& what) {
  std::string cause;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &cause);
  H5Eclear2(H5E_DEFAULT);
  // The system's words when the driver gives them ("..., error message = 'No space left ...'").
  const std::string tag = "error message = '";
  if (const auto at = cause.find(tag); at != std::string::npos)
    cause = cause.substr(at + tag.size(), cause.find('\'', at + tag.size()) - at - tag.size());
  if (cause.size() > 200) cause.resize(200);
  if (cause.empty()) return "HDF5: cannot " + what;
  return "HDF5: cannot " + what + " (" + cause + ")";
}

// More elements than any wedge file holds: a damaged size, refused before allocating for it.
constexpr hssize_t kMaxElements = hssize_t{1} << 28;

std::size_t elements(hid_t space_id, const std::string& what) {
  const hssize_t n = H5Sget_simple_extent_npoints(space_id);
  if (n < 0 || n > kMaxElements)
    throw Error("HDF5: " + what + " has an impossible size (" + std::to_string(n) + ")");
  return static_cast<std::size_t>(n);
}

}  // namespace

bool library_unusable() { return g_unusable; }

void abandon(Id& file) {
  file.release();
  g_unusable = true;
}

Id::Id(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), closer_(closer) {
  if (id < 0) throw Error(failure(what));
}

Id& Id::operator=(Id&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    closer_ = o.closer_;
    o.id_ = -1;
  }
  return *this;
}

void Id::reset() {
  if (id_ >= 0 && closer_ != nullptr && closer_(id_) < 0 && closer_ == H5Fclose)
    g_unusable = true;  // HDF5 keeps a half-closed file that its shutdown would touch
  id_ = -1;
}

Id file(hid_t id, const std::string& what) { return Id(id, H5Fclose, what); }
Id group(hid_t id, const std::string& what) { return Id(id, H5Gclose, what); }
Id dataset(hid_t id, const std::string& what) { return Id(id, H5Dclose, what); }
Id space(hid_t id, const std::string& what) { return Id(id, H5Sclose, what); }
Id type(hid_t id, const std::string& what) { return Id(id, H5Tclose, what); }
Id plist(hid_t id, const std::string& what) { return Id(id, H5Pclose, what); }
Id attr(hid_t id, const std::string& what) { return Id(id, H5Aclose, what); }

void check(herr_t status, const std::string& what) {
  if (status < 0) throw Error(failure(what));
}

Id create_group(hid_t parent, const std::string& name) {
  // Tracked creation order keeps netCDF-4 readers happy.
  Id gcpl = plist(H5Pcreate(H5P_GROUP_CREATE), "create group plist");
  check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "set order");
  return group(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT),
               "create group " + name);
}

Id open_group(hid_t parent, const std::string& name) {
  return group(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "open group " + name);
}

bool exists(hid_t parent, const std::string& name) {
  return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0;
}

namespace {

Id vlen_string_type() {
  Id t = type(H5Tcopy(H5T_C_S1), "copy string type");
  check(H5Tset_size(t, H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "set utf8");
  return t;
}

template <typename T>
void attr_scalar(hid_t obj, const std::string& name, hid_t mem_type, hid_t file_type, T value) {
  Id sp = space(H5Screate(H5S_SCALAR), "create scalar space");
  Id a = attr(H5Acreate2(obj, name.c_str(), file_type, sp, H5P_DEFAULT, H5P_DEFAULT),
              "create attribute " + name);
  check(H5Awrite(a, mem_type, &value), "write attribute " + name);
}

Id create_var(hid_t group, const std::string& name, hid_t file_type,
              const std::vector<hsize_t>& shape, std::size_t elem_size, bool checksum = false) {
  Id sp = space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                "create space for " + name);
  std::size_t total = 1;
  for (auto d : shape) total *= d;
  Id dcpl = plist(H5Pcreate(H5P_DATASET_CREATE), "create dcpl");
  if ((checksum || total * elem_size > (64u << 10)) && !shape.empty() && total > 0) {
    // Chunks of about 1 MiB along the first dimension, shuffled and deflated.
    std::vector<hsize_t> chunk = shape;
    std::size_t row = elem_size;
    for (std::size_t i = 1; i < shape.size(); ++i) row *= shape[i];
    chunk[0] = std::max<hsize_t>(
        1, std::min<hsize_t>(shape[0], (1u << 20) / std::max<std::size_t>(row, 1)));
    check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "set chunk");
    check(H5Pset_shuffle(dcpl), "set shuffle");
    check(H5Pset_deflate(dcpl, 4), "set deflate");
    // Last in the pipeline: the checksum covers the stored (compressed) bytes, so damage is
    // caught before decompression; HDF5 verifies it on every read.
    if (checksum) check(H5Pset_fletcher32(dcpl), "set fletcher32");
  }
  return dataset(H5Dcreate2(group, name.c_str(), file_type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                 "create dataset " + name);
}

std::vector<hsize_t> dim_sizes(hid_t group, const std::vector<std::string>& dims) {
  std::vector<hsize_t> shape;
  for (const auto& d : dims) {
    Id ds = dataset(H5Dopen2(group, d.c_str(), H5P_DEFAULT), "open dimension " + d);
    Id sp = space(H5Dget_space(ds), "get space of " + d);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(sp, &n, nullptr);
    shape.push_back(n);
  }
  return shape;
}

void describe(hid_t ds, const std::string& long_name, const std::string& units) {
  if (!long_name.empty()) attr_string(ds, "long_name", long_name);
  if (!units.empty()) attr_string(ds, "units", units);
}

}  // namespace

void attr_string(hid_t obj, const std::string& name, const std::string& value) {
  Id t = vlen_string_type();
  const char* p = value.c_str();
  attr_scalar(obj, name, t, t, p);
}
void attr_int(hid_t obj, const std::string& name, std::int64_t v) {
  attr_scalar(obj, name, H5T_NATIVE_INT64, H5T_STD_I64LE, v);
}
void attr_uint(hid_t obj, const std::string& name, std::uint64_t v) {
  attr_scalar(obj, name, H5T_NATIVE_UINT64, H5T_STD_U64LE, v);
}
void attr_double(hid_t obj, const std::string& name, double v) {
  attr_scalar(obj, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, v);
}
void attr_uint_array(hid_t obj, const std::string& name, const std::vector<std::uint64_t>& v) {
  const hsize_t n = v.size();
  Id sp = space(H5Screate_simple(1, &n, nullptr), "create space");
  Id a = attr(H5Acreate2(obj, name.c_str(), H5T_STD_U64LE, sp, H5P_DEFAULT, H5P_DEFAULT),
              "create attribute " + name);
  check(H5Awrite(a, H5T_NATIVE_UINT64, v.data()), "write attribute " + name);
}
void attr_string_array(hid_t obj, const std::string& name, const std::vector<std::string>& v) {
  const hsize_t n = v.size();
  Id sp = space(H5Screate_simple(1, &n, nullptr), "create space");
  Id t = vlen_string_type();
  Id a = attr(H5Acreate2(obj, name.c_str(), t, sp, H5P_DEFAULT, H5P_DEFAULT),
              "create attribute " + name);
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  check(H5Awrite(a, t, ptrs.data()), "write attribute " + name);
}

bool has_attr(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

std::string read_attr_string(hid_t obj, const std::string& name) {
  Id a = attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name);
  Id ft = type(H5Aget_type(a), "get attribute type");
  if (H5Tget_class(ft) != H5T_STRING) throw Error("HDF5: attribute " + name + " is not a string");
  if (H5Tis_variable_str(ft) > 0) {
    Id mt = vlen_string_type();
    char* p = nullptr;
    check(H5Aread(a, mt, &p), "read attribute " + name);
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  const std::size_t n = H5Tget_size(ft);
  if (n == 0 || n > (std::size_t{1} << 28))
    throw Error("HDF5: attribute " + name + " has an impossible size");
  std::string s(n, '\0');
  check(H5Aread(a, ft, s.data()), "read attribute " + name);
  s.resize(std::strlen(s.c_str()));
  return s;
}

namespace {

//! Opens a numeric attribute of one value (a string or an array where a number belongs is damage).
Id open_number(hid_t obj, const std::string& name) {
  Id a = attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name);
  Id t = type(H5Aget_type(a), "get the type of attribute " + name);
  Id sp = space(H5Aget_space(a), "get the space of attribute " + name);
  const H5T_class_t c = H5Tget_class(t);
  if ((c != H5T_INTEGER && c != H5T_FLOAT) || H5Sget_simple_extent_npoints(sp) != 1)
    throw Error("HDF5: attribute " + name + " is not a single number");
  return a;
}
//! Opens an attribute that must be an array of the given class.
Id open_array(hid_t obj, const std::string& name, H5T_class_t want) {
  Id a = attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name);
  Id t = type(H5Aget_type(a), "get the type of attribute " + name);
  if (H5Tget_class(t) != want) throw Error("HDF5: attribute " + name + " has the wrong type");
  return a;
}

}  // namespace

std::int64_t read_attr_int(hid_t obj, const std::string& name) {
  Id a = open_number(obj, name);
  std::int64_t v = 0;
  check(H5Aread(a, H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}
std::uint64_t read_attr_uint(hid_t obj, const std::string& name) {
  Id a = open_number(obj, name);
  std::uint64_t v = 0;
  check(H5Aread(a, H5T_NATIVE_UINT64, &v), "read attribute " + name);
  return v;
}
std::vector<std::uint64_t> read_attr_uint_array(hid_t obj, const std::string& name) {
  Id a = open_array(obj, name, H5T_INTEGER);
  Id sp = space(H5Aget_space(a), "get attribute space");
  const auto n = elements(sp, name);
  std::vector<std::uint64_t> v(n);
  check(H5Aread(a, H5T_NATIVE_UINT64, v.data()), "read attribute " + name);
  return v;
}
std::vector<std::string> read_attr_string_array(hid_t obj, const std::string& name) {
  Id a = open_array(obj, name, H5T_STRING);
  Id sp = space(H5Aget_space(a), "get attribute space");
  const auto n = elements(sp, name);
  Id t = vlen_string_type();
  std::vector<char*> ptrs(n, nullptr);
  check(H5Aread(a, t, ptrs.data()), "read attribute " + name);
  std::vector<std::string> out;
  for (char* p : ptrs) out.emplace_back(p ? p : ""), H5free_memory(p);
  return out;
}

void dim_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
  var_strings(group, name, {}, values, "");
  Id ds = dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open " + name);
  check(H5DSset_scale(ds, name.c_str()), "make dimension " + name);
}

void dim_doubles(hid_t group, const std::string& name, const std::vector<double>& values,
                 const std::string& long_name, const std::string& units) {
  const hsize_t n = values.size();
  Id ds = create_var(group, name, H5T_IEEE_F64LE, {n}, 8);
  check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        "write " + name);
  check(H5DSset_scale(ds, name.c_str()), "make dimension " + name);
  describe(ds, long_name, units);
}

void dim_ints(hid_t group, const std::string& name, const std::vector<std::int64_t>& values,
              const std::string& long_name, const std::string& units) {
  const hsize_t n = values.size();
  Id ds = create_var(group, name, H5T_STD_I64LE, {n}, 8);
  check(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        "write " + name);
  check(H5DSset_scale(ds, name.c_str()), "make dimension " + name);
  describe(ds, long_name, units);
}

void dim_plain(hid_t group, const std::string& name, std::uint64_t size) {
  const hsize_t n = size;
  Id sp = space(H5Screate_simple(1, &n, nullptr), "create space");
  Id ds = dataset(
      H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      "create dimension " + name);
  // The marker netCDF-4 uses for a dimension that has no coordinate values.
  const std::string marker = "This is a netCDF dimension but not a netCDF variable.";
  char label[80];
  std::snprintf(label, sizeof label, "%s%10llu", marker.c_str(),
                static_cast<unsigned long long>(size));
  check(H5DSset_scale(ds, label), "make dimension " + name);
}

void attach_dims(hid_t group, hid_t ds, const std::vector<std::string>& dims) {
  for (std::size_t i = 0; i < dims.size(); ++i) {
    Id d = dataset(H5Dopen2(group, dims[i].c_str(), H5P_DEFAULT), "open dimension " + dims[i]);
    check(H5DSattach_scale(ds, d, static_cast<unsigned>(i)), "attach dimension " + dims[i]);
  }
}

void var_doubles(hid_t group, const std::string& name, const std::vector<std::string>& dims,
                 const std::vector<double>& data, const std::string& long_name,
                 const std::string& units) {
  const auto shape = dim_sizes(group, dims);
  Id ds = create_var(group, name, H5T_IEEE_F64LE, shape, 8);
  check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
        "write " + name);
  attach_dims(group, ds, dims);
  describe(ds, long_name, units);
}

void var_uints(hid_t group, const std::string& name, const std::vector<std::string>& dims,
               const std::vector<std::uint64_t>& data, const std::string& long_name,
               const std::string& units, bool checksum) {
  const auto shape = dim_sizes(group, dims);
  Id ds = create_var(group, name, H5T_STD_U64LE, shape, 8, checksum);
  check(H5Dwrite(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
        "write " + name);
  attach_dims(group, ds, dims);
  describe(ds, long_name, units);
}

void var_strings(hid_t group, const std::string& name, const std::vector<std::string>& dims,
                 const std::vector<std::string>& data, const std::string& long_name) {
  std::vector<hsize_t> shape =
      dims.empty() ? std::vector<hsize_t>{data.size()} : dim_sizes(group, dims);
  Id t = vlen_string_type();
  Id sp = space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                "create space");
  Id ds = dataset(H5Dcreate2(group, name.c_str(), t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + name);
  std::vector<const char*> ptrs;
  for (const auto& s : data) ptrs.push_back(s.c_str());
  check(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write " + name);
  if (!dims.empty()) attach_dims(group, ds, dims);
  describe(ds, long_name, "");
}

std::vector<double> read_doubles(hid_t group, const std::string& name,
                                 std::vector<hsize_t>* shape) {
  Id ds = dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open dataset " + name);
  Id sp = space(H5Dget_space(ds), "get space of " + name);
  const int rank = H5Sget_simple_extent_ndims(sp);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(sp, dims.data(), nullptr);
  if (shape) *shape = dims;
  std::vector<double> v(elements(sp, name));
  check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
  return v;
}

std::vector<std::uint64_t> read_uints(hid_t group, const std::string& name) {
  Id ds = dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open dataset " + name);
  Id sp = space(H5Dget_space(ds), "get space of " + name);
  std::vector<std::uint64_t> v(elements(sp, name));
  check(H5Dread(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
  return v;
}

std::vector<std::string> read_strings(hid_t group, const std::string& name) {
  Id ds = dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open dataset " + name);
  Id sp = space(H5Dget_space(ds), "get space of " + name);
  const auto n = elements(sp, name);
  Id t = vlen_string_type();
  std::vector<char*> ptrs(n, nullptr);
  check(H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "read " + name);
  std::vector<std::string> out;
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  H5Dvlen_reclaim(t, sp, H5P_DEFAULT, ptrs.data());
  return out;
}

}  // namespace wedge::h5
