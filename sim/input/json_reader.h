// Reading JSON input the way STYLE.md asks: every value knows its JSON pointer, every type and
// range is checked, unknown keys are rejected with a suggestion, and every key of an object must
// be read by someone (FoundationDB's rule), so a typo never becomes a silent default. Errors are
// InputError, rendered as one line; nlohmann's own exception text never reaches the user.
#pragma once

#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace bqsim {

// Bad input. `line` is what the user sees:
//   "error: FILE: /json/pointer: expected WHAT, got WHAT"
// When the pointer is "" (the whole document, or the file itself) that segment is left out:
//   "error: FILE: expected valid JSON, got syntax error at line 3, column 5"
struct InputError : std::exception {
  std::string file, pointer, expected, got;
  std::string line;

  InputError(std::string file, std::string pointer, std::string expected, std::string got);
  // Re-renders `line` after a field was changed (e.g. an error relabelled as coming from --set).
  void render();
  const char* what() const noexcept override { return line.c_str(); }
};

// A closed or open interval, for range checks and for the "expected ..." text.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;
  bool max_open = false;

  static Range at_least(double m) { return {m, std::numeric_limits<double>::infinity()}; }
  static Range above(double m) { return {m, std::numeric_limits<double>::infinity(), true}; }
  static Range closed(double lo, double hi) { return {lo, hi}; }
  static Range half_open(double lo, double hi) { return {lo, hi, false, true}; }
  bool contains(double x) const;
  std::string text() const;  // ">= 0", "from 0 to 1", ">= 0 and < 1", "" when unbounded
};

// Shortest decimal form that reads back as the same double: 0.001, 1e-09, 125000000.
std::string format_number(double x);
// 'text', with control characters escaped so an error stays on one line.
std::string quote(std::string_view text);
// How a value reads in "got ...": 3, -0.001, 'gauss', true, null, an object, an empty list.
std::string describe(const nlohmann::json& value);
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
// " (did you mean 'workload'?)" when one candidate is close to `got`, else "".
std::string suggestion(std::string_view got, const std::vector<std::string>& candidates);
// "expected one of a, b, c; got 'x' (did you mean ...)" pieces, for choices and unknown keys.
std::string one_of(const std::vector<std::string>& choices);

// RFC 6901: "/" + key with '~' and '/' escaped.
std::string pointer_append(const std::string& pointer, std::string_view key);
std::string pointer_append(const std::string& pointer, size_t index);
// "protocol.f" -> "/protocol/f". REQUIRES: a valid dotted path (split_dotted_path succeeds).
std::string dotted_to_pointer(std::string_view dotted);
// Splits "byzantine.0.servers" into its parts; nullopt if empty or with an empty part.
std::optional<std::vector<std::string>> split_dotted_path(std::string_view dotted);
// Sets the value at a dotted path, creating objects for missing keys and stepping into lists by
// index (an index must already exist). Errors name `file` and the pointer of the path (or of
// the part that cannot be entered).
void set_dotted_path(nlohmann::json& doc, std::string_view dotted, nlohmann::json value,
                     const std::string& file);

// Parses a whole document. Syntax errors and duplicate keys (which nlohmann would silently
// resolve to one of the two) are InputErrors naming `file`.
nlohmann::json parse_json(const std::string& text, const std::string& file);

class JsonObject;

// One value of the document and where it is. Holds references: the document and the file label
// must outlive it.
class JsonValue {
 public:
  JsonValue(const nlohmann::json& value, std::string pointer, const std::string& file)
      : value_(&value), pointer_(std::move(pointer)), file_(&file) {}

  const nlohmann::json& json() const { return *value_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return *file_; }

  [[noreturn]] void fail(const std::string& expected) const;  // got: describe(value)
  [[noreturn]] void fail(const std::string& expected, const std::string& got) const;

  double number(const Range& range = {}) const;
  // Integral numbers, also when written as 1e18. REQUIRES: range within int64.
  int64_t integer(const Range& range) const;
  // The full uint64 range (seeds, counters): exact for integers written as such.
  uint64_t unsigned64() const;
  bool boolean() const;
  std::string string() const;
  // A string among `choices`; returns its index.
  size_t choice(const std::vector<std::string>& choices) const;
  JsonObject object() const;
  // The elements with their pointers; fails with "expected <what>" unless a list.
  std::vector<JsonValue> list(const std::string& what = "a list") const;

 private:
  const nlohmann::json* value_;
  std::string pointer_;
  const std::string* file_;
};

// An object whose keys are all accounted for. Call allow() once with every key this object may
// hold, read the keys through get()/require(), and finish() at the end.
class JsonObject {
 public:
  explicit JsonObject(const JsonValue& value);  // fails unless value is an object

  const std::string& pointer() const { return self_.pointer(); }
  const JsonValue& self() const { return self_; }

  // Rejects the first key (in key order) not in `allowed`, at the key's own pointer:
  //   "expected one of name, seed, ...; got 'worklaod' (did you mean 'workload'?)"
  // `expected` replaces "one of name, seed, ..." when given.
  void allow(const std::vector<std::string>& allowed, const std::string& expected = "");
  bool has(const std::string& key) const { return self_.json().contains(key); }
  // Marks the key read.
  std::optional<JsonValue> get(const std::string& key);
  // A key that must be present: "/x/key: expected <expected>, got nothing".
  JsonValue require(const std::string& key, const std::string& expected);
  // A key that is absent here reads as nothing; a present one fails with `expected`.
  void forbid(const std::string& key, const std::string& expected);
  // Every key must have been read: a key nobody read would silently do nothing.
  void finish() const;

 private:
  JsonValue self_;
  std::set<std::string> read_;
};

}  // namespace bqsim
