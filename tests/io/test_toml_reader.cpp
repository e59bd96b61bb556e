// The strict TOML reader: every value type- and range-checked, every error naming file, line and
// dotted key, unknown keys refused with a did-you-mean hint.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "io/toml_reader.hpp"
#include "wedge/core/error.hpp"

namespace wedge {
namespace {

using detail::Bounds;
using detail::Section;

const std::string kFile = "study.toml";

// Line numbers below count from the first line of this text.
const char* const kText = R"(runs = 1000
ratio = 0.25
count = 3
name = "baseline"
flag = true
design = "sobol"
list = [1, 2]
bad = nan
[prior]
dist = "beta"
alpha = 2.0
)";

toml::table parse(const std::string& text) { return toml::parse(text, kFile); }

//! The InputError `f` throws (fails the test if it throws none).
InputError error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError thrown";
  return InputError("", 0, "", "");
}

TEST(TomlReader, ReadsValuesOfTheRightType) {
  const auto t = parse(kText);
  Section s(t, "", kFile);
  EXPECT_EQ(s.number("runs", Bounds::positive()), 1000.0);  // an integer is a number too
  EXPECT_EQ(s.number("ratio", Bounds::unit()), 0.25);
  EXPECT_EQ(s.integer("count", 1, 10), 3);
  EXPECT_EQ(s.string("name"), "baseline");
  EXPECT_EQ(s.choice("design", {"random", "sobol"}), "sobol");
  EXPECT_EQ(s.array("list").size(), 2u);
  Section prior = s.table("prior");
  EXPECT_EQ(prior.string("dist"), "beta");
  EXPECT_EQ(prior.number("alpha", Bounds::positive()), 2.0);
  EXPECT_EQ(prior.full_key("alpha"), "prior.alpha");
  EXPECT_EQ(prior.line(), 9);
}

TEST(TomlReader, WrongTypesNameFileLineAndKey) {
  const auto t = parse(kText);
  Section s(t, "", kFile);
  struct Case {
    std::function<void()> read;
    int line;
    std::string key, message;
  };
  const Case cases[] = {
      {[&] { s.number("name", Bounds::any()); }, 4, "name", "expected a number"},
      {[&] { s.integer("ratio", 0, 10); }, 2, "ratio", "expected an integer"},
      {[&] { s.string("count"); }, 3, "count", "expected a string"},
      {[&] { s.table("runs"); }, 1, "runs", "expected a table"},
      {[&] { s.array("flag"); }, 5, "flag", "expected an array"},
      {[&] { s.number("flag", Bounds::any()); }, 5, "flag", "expected a number"},
      {[&] { s.number("bad", Bounds::any()); }, 8, "bad", "must be finite, got nan"},
  };
  for (const auto& c : cases) {
    const InputError e = error_of(c.read);
    EXPECT_EQ(e.file(), kFile);
    EXPECT_EQ(e.line(), c.line) << c.key;
    EXPECT_EQ(e.key(), c.key);
    EXPECT_EQ(e.message(), c.message);
    EXPECT_EQ(std::string(e.what()),
              kFile + ":" + std::to_string(c.line) + ": key '" + c.key + "': " + c.message);
  }
}

TEST(TomlReader, RangesAreCheckedWithTheirEndsOpenOrClosed) {
  const auto t = parse("zero = 0\none = 1\nneg = -0.5\nbig = 11\n");
  Section s(t, "", kFile);
  EXPECT_EQ(s.number("zero", Bounds::non_negative()), 0.0);  // closed at 0
  EXPECT_EQ(s.number("one", Bounds::unit()), 1.0);           // closed at 1
  EXPECT_EQ(s.number("one", Bounds{0.0, 2.0, true, true}), 1.0);
  EXPECT_EQ(error_of([&] { s.number("zero", Bounds::positive()); }).message(),
            "value 0 out of range: must be > 0");
  EXPECT_EQ(error_of([&] { s.number("neg", Bounds::unit()); }).message(),
            "value -0.5 out of range: must be in [0, 1]");
  EXPECT_EQ(error_of([&] {
              s.number("one", Bounds{0.0, 1.0, false, true});
            }).message(),
            "value 1 out of range: must be in [0, 1)");
  EXPECT_EQ(error_of([&] {
              s.number("one", Bounds{-1e300, 1.0, false, true});
            }).message(),
            "value 1 out of range: must be < 1");
  const InputError e = error_of([&] { s.integer("big", 1, 10); });
  EXPECT_EQ(e.message(), "value 11 out of range: must be in [1, 10]");
  EXPECT_EQ(e.line(), 4);
}

TEST(TomlReader, AChoiceOutsideItsOptionsListsThem) {
  const auto t = parse("\ndesign = \"lhs\"\n");
  Section s(t, "", kFile);
  const InputError e = error_of([&] { s.choice("design", {"random", "sobol"}); });
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.key(), "design");
  EXPECT_EQ(e.message(), "\"lhs\" is not one of \"random\", \"sobol\"");
}

TEST(TomlReader, NestedTablesGiveDottedKeysAndTheirOwnLines) {
  const auto t = parse("a = 1\n[outer]\nx = 1\n[outer.inner]\ny = \"text\"\n");
  Section s(t, "", kFile);
  Section inner = s.table("outer").table("inner");
  const InputError e = error_of([&] { inner.number("y", Bounds::any()); });
  EXPECT_EQ(e.key(), "outer.inner.y");
  EXPECT_EQ(e.line(), 5);
  const InputError missing = error_of([&] { inner.number("z", Bounds::any()); });
  EXPECT_EQ(missing.key(), "outer.inner.z");
  EXPECT_EQ(missing.line(), 4);  // the table's line: the key has none
  EXPECT_EQ(missing.message(), "missing (required; no default is assumed)");
}

TEST(TomlReader, AMisspeltRequiredKeyIsNamedWithTheKeyItMeant) {
  const auto t = parse("quartrs = 40\nseed = 1\n");
  Section s(t, "", kFile);
  const InputError e = error_of([&] { s.integer("quarters", 1, 400); });
  EXPECT_EQ(e.key(), "quartrs");
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.message(), "unknown key (did you mean 'quarters'?)");
  // Nothing close: the key is just missing.
  EXPECT_EQ(error_of([&] { s.integer("histogram_bins", 1, 9); }).message(),
            "missing (required; no default is assumed)");
}

TEST(TomlReader, FinishRefusesKeysNeverAskedFor) {
  const auto t = parse("seed = 1\nbatch = 8\n\nthreds = 2\nzzzzzzzz = 1\n");
  {
    Section s(t, "", kFile);
    s.integer("seed", 0, 9);
    s.integer("batch", 0, 9);
    EXPECT_FALSE(s.has("threads"));  // asked for, so a candidate for the hint
    const InputError e = error_of([&] { s.finish(); });
    EXPECT_EQ(e.key(), "threds");
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.message(), "unknown key (did you mean 'threads'?)");
  }
  {
    Section s(t, "", kFile);
    for (const char* k : {"seed", "batch", "threds"}) s.integer(k, 0, 9);
    const InputError e = error_of([&] { s.finish(); });
    EXPECT_EQ(e.key(), "zzzzzzzz");
    EXPECT_EQ(e.message(), "unknown key");  // no known key within two edits
  }
  Section s(t, "", kFile);
  for (const char* k : {"seed", "batch", "threds", "zzzzzzzz"}) s.integer(k, 0, 9);
  EXPECT_NO_THROW(s.finish());
}

TEST(TomlReader, OptionalNumbersFallBackAndCountAsKnown) {
  const auto t = parse("given = 2.5\n");
  Section s(t, "", kFile);
  EXPECT_EQ(s.number_or("given", Bounds::any(), 7.0), 2.5);
  EXPECT_EQ(s.number_or("absent", Bounds::any(), 7.0), 7.0);
  EXPECT_NO_THROW(s.finish());
  EXPECT_EQ(error_of([&] { s.number_or("given", Bounds::closed(3.0, 4.0), 7.0); }).line(), 1);
}

}  // namespace
}  // namespace wedge
