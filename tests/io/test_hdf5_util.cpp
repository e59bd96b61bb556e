// The HDF5 helper layer: attributes and variables read back as written, dimension scales as
// netCDF-4 readers expect them, and a clear Error for what is missing or of the wrong type.
#include <gtest/gtest.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "wedge/core/error.hpp"
#include "wedge/io/hdf5_util.hpp"

namespace wedge {
namespace {

// A fresh HDF5 file in the temporary directory, removed with the fixture.
class Hdf5Util : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("wedge_test_h5util_" + std::to_string(getpid()) + ".h5"))
                .string();
    file_ = h5::file(H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create");
  }
  void TearDown() override {
    file_.reset();
    std::filesystem::remove(path_);
  }
  //! Closes the file and opens it again read-only: what is read comes from disk.
  hid_t reopen() {
    file_.reset();
    file_ = h5::file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "reopen");
    return file_;
  }
  std::string path_;
  h5::Id file_;
};

TEST_F(Hdf5Util, ScalarAttributesRoundTrip) {
  const std::string text = "line one\nline two: \xc3\xa9t\xc3\xa9 " + std::string(5000, 'x');
  h5::attr_string(file_, "text", text);
  h5::attr_string(file_, "empty", "");
  h5::attr_int(file_, "int_min", std::numeric_limits<std::int64_t>::min());
  h5::attr_int(file_, "int_neg", -42);
  h5::attr_uint(file_, "uint_max", std::numeric_limits<std::uint64_t>::max());
  h5::attr_double(file_, "third", 1.0 / 3.0);
  h5::attr_double(file_, "neg_zero", -0.0);
  const hid_t f = reopen();
  EXPECT_EQ(h5::read_attr_string(f, "text"), text);
  EXPECT_EQ(h5::read_attr_string(f, "empty"), "");
  EXPECT_EQ(h5::read_attr_int(f, "int_min"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(h5::read_attr_int(f, "int_neg"), -42);
  EXPECT_EQ(h5::read_attr_uint(f, "uint_max"), std::numeric_limits<std::uint64_t>::max());
  // Doubles are stored as IEEE binary64: the same bits come back. No reader for doubles
  // exists in the layer, so read with the C API.
  double third = 0, neg_zero = 1;
  {
    h5::Id a = h5::attr(H5Aopen(f, "third", H5P_DEFAULT), "open");
    h5::check(H5Aread(a, H5T_NATIVE_DOUBLE, &third), "read");
    h5::Id z = h5::attr(H5Aopen(f, "neg_zero", H5P_DEFAULT), "open");
    h5::check(H5Aread(z, H5T_NATIVE_DOUBLE, &neg_zero), "read");
  }
  EXPECT_EQ(std::bit_cast<std::uint64_t>(third), std::bit_cast<std::uint64_t>(1.0 / 3.0));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(neg_zero), std::bit_cast<std::uint64_t>(-0.0));
  EXPECT_TRUE(h5::has_attr(f, "text"));
  EXPECT_FALSE(h5::has_attr(f, "txet"));
}

TEST_F(Hdf5Util, ArrayAttributesRoundTrip) {
  const std::vector<std::uint64_t> nums = {0, 1, 1ULL << 63, 7};
  const std::vector<std::string> names = {"runs", "", "outcome sum", "\xc3\xa9"};
  h5::attr_uint_array(file_, "nums", nums);
  h5::attr_string_array(file_, "names", names);
  const hid_t f = reopen();
  EXPECT_EQ(h5::read_attr_uint_array(f, "nums"), nums);
  EXPECT_EQ(h5::read_attr_string_array(f, "names"), names);
}

TEST_F(Hdf5Util, FixedLengthStringAttributesAreReadToo) {
  // Files written by other tools (h5py's np.bytes_, netCDF's NC_CHAR) store fixed-length
  // strings, NUL-padded.
  {
    h5::Id t = h5::type(H5Tcopy(H5T_C_S1), "copy");
    h5::check(H5Tset_size(t, 16), "size");
    h5::check(H5Tset_strpad(t, H5T_STR_NULLPAD), "pad");
    h5::Id sp = h5::space(H5Screate(H5S_SCALAR), "space");
    h5::Id a = h5::attr(H5Acreate2(file_, "fixed", t, sp, H5P_DEFAULT, H5P_DEFAULT), "create");
    char buf[16] = "wedge_results";
    h5::check(H5Awrite(a, t, buf), "write");
  }
  EXPECT_EQ(h5::read_attr_string(reopen(), "fixed"), "wedge_results");
}

TEST_F(Hdf5Util, MissingOrMistypedAttributesAreErrorsNamingThem) {
  h5::attr_int(file_, "number", 5);
  h5::attr_string(file_, "word", "five");
  const hid_t f = reopen();
  auto message = [](const std::function<void()>& read) -> std::string {
    try {
      read();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string absent =
      "HDF5: cannot open attribute absent (can't locate attribute: 'absent')";
  EXPECT_EQ(message([&] { h5::read_attr_string(f, "absent"); }), absent);
  EXPECT_EQ(message([&] { h5::read_attr_int(f, "absent"); }), absent);
  EXPECT_EQ(message([&] { h5::read_attr_uint_array(f, "absent"); }), absent);
  EXPECT_EQ(message([&] { h5::read_attr_string(f, "number"); }),
            "HDF5: attribute number is not a string");
  EXPECT_EQ(message([&] { h5::read_attr_int(f, "word"); }),
            "HDF5: attribute word is not a single number");
  EXPECT_EQ(message([&] { h5::read_attr_uint(f, "word"); }),
            "HDF5: attribute word is not a single number");
  EXPECT_EQ(message([&] { h5::read_attr_string_array(f, "number"); }),
            "HDF5: attribute number has the wrong type");
}

TEST_F(Hdf5Util, VariablesRoundTripOverTheirDimensions) {
  h5::dim_strings(file_, "strategy", {"a", "b", "c"});
  h5::dim_ints(file_, "quarter", {0, 1}, "quarter index", "quarter");
  h5::dim_doubles(file_, "level", {0.05, 0.5, 0.95, 1.0}, "", "");
  std::vector<double> d;
  for (int i = 0; i < 3 * 2 * 4; ++i) d.push_back(i * 0.1 - 1.0);
  const std::vector<std::uint64_t> u = {1, 2, std::numeric_limits<std::uint64_t>::max(), 4, 5, 6};
  h5::var_doubles(file_, "mean", {"strategy", "quarter", "level"}, d, "mean level", "1");
  h5::var_uints(file_, "count", {"strategy", "quarter"}, u, "runs", "count");
  h5::var_strings(file_, "label", {"strategy"}, {"first", "", "third"}, "what it is");
  const hid_t f = reopen();
  std::vector<hsize_t> shape;
  EXPECT_EQ(h5::read_doubles(f, "mean", &shape), d);
  EXPECT_EQ(shape, (std::vector<hsize_t>{3, 2, 4}));
  EXPECT_EQ(h5::read_uints(f, "count"), u);
  EXPECT_EQ(h5::read_strings(f, "label"), (std::vector<std::string>{"first", "", "third"}));
  EXPECT_EQ(h5::read_strings(f, "strategy"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(h5::read_doubles(f, "level"), (std::vector<double>{0.05, 0.5, 0.95, 1.0}));
  // Descriptions: given ones written, empty ones left out.
  h5::Id mean = h5::dataset(H5Dopen2(f, "mean", H5P_DEFAULT), "open mean");
  EXPECT_EQ(h5::read_attr_string(mean, "long_name"), "mean level");
  EXPECT_EQ(h5::read_attr_string(mean, "units"), "1");
  h5::Id level = h5::dataset(H5Dopen2(f, "level", H5P_DEFAULT), "open level");
  EXPECT_FALSE(h5::has_attr(level, "long_name"));
  EXPECT_FALSE(h5::has_attr(level, "units"));
  // Each axis of the variable is attached to the dimension scale of the same name.
  for (const auto& [name, axis] :
       {std::pair<const char*, unsigned>{"strategy", 0}, {"quarter", 1}, {"level", 2}}) {
    h5::Id dim = h5::dataset(H5Dopen2(f, name, H5P_DEFAULT), name);
    EXPECT_GT(H5DSis_scale(dim), 0) << name;
    EXPECT_GT(H5DSis_attached(mean, dim, axis), 0) << name;
  }
}

TEST_F(Hdf5Util, APlainDimensionCarriesTheNetcdfMarker) {
  h5::dim_plain(file_, "word", 12);
  const hid_t f = reopen();
  h5::Id ds = h5::dataset(H5Dopen2(f, "word", H5P_DEFAULT), "open");
  char name[128] = {};
  ASSERT_GT(H5DSget_scale_name(ds, name, sizeof name), 0);
  EXPECT_EQ(std::string(name), "This is a netCDF dimension but not a netCDF variable.        12");
  EXPECT_EQ(h5::read_doubles(f, "word").size(), 12u);
}

TEST_F(Hdf5Util, LargeVariablesAreChunkedAndCompressedLosslessly) {
  std::vector<std::uint64_t> big(20000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = i * i;
  h5::dim_plain(file_, "n", big.size());
  h5::var_uints(file_, "big", {"n"}, big, "", "");
  const hid_t f = reopen();
  EXPECT_EQ(h5::read_uints(f, "big"), big);
  h5::Id ds = h5::dataset(H5Dopen2(f, "big", H5P_DEFAULT), "open");
  h5::Id dcpl = h5::plist(H5Dget_create_plist(ds), "dcpl");
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  EXPECT_GT(H5Pget_nfilters(dcpl), 0);
}

TEST_F(Hdf5Util, GroupsAndMissingObjects) {
  { h5::Id g = h5::create_group(file_, "state"); }
  const hid_t f = reopen();
  EXPECT_TRUE(h5::exists(f, "state"));
  EXPECT_FALSE(h5::exists(f, "records"));
  EXPECT_NO_THROW(h5::open_group(f, "state"));
  EXPECT_THROW(h5::open_group(f, "records"), Error);
  EXPECT_THROW(h5::read_doubles(f, "absent"), Error);
  EXPECT_THROW(h5::read_uints(f, "absent"), Error);
}

TEST_F(Hdf5Util, IdsCloseExactlyOnceAndRefuseInvalidHandles) {
  try {
    h5::Id bad = h5::group(H5Gopen2(file_, "nothing", H5P_DEFAULT), "open group nothing");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "HDF5: cannot open group nothing (object 'nothing' doesn't exist)");
  }
  EXPECT_THROW(h5::check(-1, "do it"), Error);
  h5::Id g = h5::create_group(file_, "g");
  const hid_t raw = g.get();
  h5::Id moved = std::move(g);
  EXPECT_EQ(g.get(), -1);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_GT(H5Iis_valid(raw), 0);
  moved.reset();
  EXPECT_LE(H5Iis_valid(raw), 0);
  moved.reset();  // a second reset does nothing
}

}  // namespace
}  // namespace wedge
