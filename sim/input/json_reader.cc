#include "sim/input/json_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace bqsim {
namespace {

using nlohmann::json;

// Deeper nesting is never a scenario; the limit keeps a hostile file from exhausting the stack.
constexpr size_t kMaxDepth = 64;
// Long strings are cut in messages so that an error stays one readable line.
constexpr size_t kMaxQuoted = 80;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, so that
// 'worklaod' is one edit from 'workload'.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Position of the character nlohmann stopped at (`byte` counts characters read, 1-based),
// as an editor numbers it: line and column both from 1.
std::pair<size_t, size_t> line_column(const std::string& text, size_t byte) {
  const size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, end - line_start + 1};
}

// Where the parser is, for errors that nlohmann reports without a position (duplicate keys,
// numbers out of range). One frame per open object or list.
struct Frame {
  bool list = false;
  std::set<std::string> keys;
  std::string key;   // objects: the member being read
  size_t index = 0;  // lists: the element being read
};

std::string frames_pointer(const std::vector<Frame>& stack) {
  std::string p;
  for (const Frame& f : stack) p = f.list ? pointer_append(p, f.index) : pointer_append(p, f.key);
  return p;
}

// Thrown from the parser callback; carries an error that the callback cannot render itself.
struct ParseAbort {
  std::string pointer, expected, got;
};

}  // namespace

InputError::InputError(std::string file_, std::string pointer_, std::string expected_,
                       std::string got_)
    : file(std::move(file_)),
      pointer(std::move(pointer_)),
      expected(std::move(expected_)),
      got(std::move(got_)) {
  render();
}

void InputError::render() {
  // A list in `expected` ("one of a, b, c") is closed with a semicolon so that the comma
  // before "got" cannot be read as one more item.
  const bool has_list = expected.find(',') != std::string::npos;
  const std::string text = "error: " + file + ": " + (pointer.empty() ? "" : pointer + ": ") +
                           "expected " + expected + (has_list ? "; got " : ", got ") + got;
  // One line whatever the input: a key, a file name or a --set path may hold control
  // characters (a newline in a JSON key is valid JSON), written as quote() writes them.
  line.clear();
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      line += buf;
    } else {
      line += c;
    }
  }
}

bool Range::contains(double x) const {
  if (min_open ? !(x > min) : !(x >= min)) return false;
  if (max_open ? !(x < max) : !(x <= max)) return false;
  return true;
}

// Worded without commas, so that a comma in a message always separates list items.
std::string Range::text() const {
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  const std::string lo = (min_open ? "> " : ">= ") + format_number(min);
  const std::string hi = (max_open ? "< " : "<= ") + format_number(max);
  if (has_min && has_max) {
    if (!min_open && !max_open) return "from " + format_number(min) + " to " + format_number(max);
    return lo + " and " + hi;
  }
  if (has_min) return lo;
  if (has_max) return hi;
  return "";
}

std::string format_number(double x) {
  if (!std::isfinite(x)) return x > 0 ? "infinity" : (x < 0 ? "-infinity" : "nan");
  char buf[64];
  char* const end = buf + sizeof buf;
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    return std::string(buf, std::to_chars(buf, end, x, std::chars_format::fixed, 0).ptr);
  }
  // The fewest significant digits that read back as x, written as %g writes them (the
  // shortest round-trip form of to_chars picks exponents differently: 1.08e+07, not 10800000).
  for (int precision = 1;; ++precision) {
    char* const written = std::to_chars(buf, end, x, std::chars_format::general, precision).ptr;
    double back = 0;
    std::from_chars(buf, written, back);
    if (back == x || precision == 17) return std::string(buf, written);
  }
}

std::string quote(std::string_view text) {
  std::string out = "'";
  size_t used = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Cut only at the start of a UTF-8 sequence, never inside one.
    if (used >= kMaxQuoted && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
    ++used;
  }
  return out + "'";
}

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: return std::to_string(value.get<int64_t>());
    case json::value_t::number_unsigned: return std::to_string(value.get<uint64_t>());
    case json::value_t::number_float: return format_number(value.get<double>());
    case json::value_t::string: return quote(value.get_ref<const std::string&>());
    case json::value_t::array: return value.empty() ? "an empty list" : "a list";
    case json::value_t::object: return "an object";
    default: return "an unreadable value";
  }
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string suggestion(std::string_view got, const std::vector<std::string>& candidates) {
  // The distance table is |got| x |candidate|: a pathological key gets no suggestion.
  constexpr size_t kMaxCompared = 64;
  if (got.size() > kMaxCompared) return "";
  const std::string g = lower(got);
  // Short names are all close to each other ('t' is one edit from 'f' and 'n'): allow fewer
  // edits the shorter the name, so suggestions stay helpful rather than random.
  const size_t allowed = g.size() <= 2 ? 0 : g.size() <= 5 ? 1 : 2;
  const std::string* best = nullptr;
  size_t best_distance = allowed + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(g, lower(c));
    if (d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  if (best == nullptr && g.size() >= 3) {
    for (const auto& c : candidates) {
      const std::string lc = lower(c);
      if (lc.starts_with(g) || g.starts_with(lc)) {
        best = &c;
        break;
      }
    }
  }
  return best == nullptr ? "" : " (did you mean " + quote(*best) + "?)";
}

std::string one_of(const std::vector<std::string>& choices) {
  if (choices.size() == 1) return choices[0];
  return "one of " + join(choices);
}

std::string pointer_append(const std::string& pointer, std::string_view key) {
  return (json::json_pointer(pointer) / std::string(key)).to_string();
}

std::string pointer_append(const std::string& pointer, size_t index) {
  return (json::json_pointer(pointer) / index).to_string();
}

std::optional<std::vector<std::string>> split_dotted_path(std::string_view dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted.find('.', start);
    const std::string_view part = dotted.substr(start, dot == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : dot - start);
    if (part.empty()) return std::nullopt;
    parts.emplace_back(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string dotted_to_pointer(std::string_view dotted) {
  const auto parts = split_dotted_path(dotted);  // a named copy: a range-for over
  std::string p;                                  // a temporary's value() would dangle
  for (const auto& part : parts.value()) p = pointer_append(p, part);
  return p;
}

void set_dotted_path(json& doc, std::string_view dotted, json value, const std::string& file) {
  const auto parts = split_dotted_path(dotted);
  if (!parts) {
    throw InputError(file, "", "a dotted path such as protocol.f", quote(dotted));
  }
  json* at = &doc;
  std::string pointer;
  for (const std::string& part : *parts) {
    if (at->is_null()) *at = json::object();
    if (at->is_object()) {
      at = &(*at)[part];
      pointer = pointer_append(pointer, part);
    } else if (at->is_array()) {
      // Digits only: from_chars would stop at the first other character and still succeed.
      const bool digits = std::all_of(part.begin(), part.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
      const size_t size = at->size();
      size_t index = 0;
      if (digits && part.size() <= 9) {
        std::from_chars(part.data(), part.data() + part.size(), index);
      }
      if (!digits || part.size() > 9 || index >= size) {
        throw InputError(file, pointer_append(pointer, part),
                         "an index below " + std::to_string(size) + " into the list at " +
                             (pointer.empty() ? "the top" : pointer),
                         quote(part));
      }
      at = &(*at)[index];
      pointer = pointer_append(pointer, part);
    } else {
      throw InputError(file, pointer, "an object or a list to set " + std::string(dotted) + " in",
                       describe(*at));
    }
  }
  *at = std::move(value);
}

json parse_json(const std::string& text, const std::string& file) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(file, "", "a JSON object", "an empty file");
  }
  std::vector<Frame> stack;
  const json::parser_callback_t track = [&stack](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (stack.size() >= kMaxDepth) {
          throw ParseAbort{frames_pointer(stack),
                           "at most " + std::to_string(kMaxDepth) + " levels of nesting",
                           "more"};
        }
        stack.push_back(Frame{event == json::parse_event_t::array_start, {}, {}, 0});
        break;
      case json::parse_event_t::key: {
        Frame& top = stack.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second) {
          throw ParseAbort{frames_pointer(stack), "each key once in an object",
                           quote(top.key) + " twice"};
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        stack.pop_back();
        if (!stack.empty() && stack.back().list) ++stack.back().index;
        break;
      case json::parse_event_t::value:
        if (!stack.empty() && stack.back().list) ++stack.back().index;
        break;
    }
    return true;
  };
  try {
    return json::parse(text, track, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const ParseAbort& a) {
    throw InputError(file, a.pointer, a.expected, a.got);
  } catch (const json::parse_error& e) {
    const auto [line, column] = line_column(text, e.byte);
    throw InputError(file, "", "valid JSON",
                     "syntax error at line " + std::to_string(line) + ", column " +
                         std::to_string(column));
  } catch (const json::out_of_range&) {
    // nlohmann rejects numbers beyond a double (1e999) this way, without a position; the
    // frame stack still says which value it was reading.
    throw InputError(file, frames_pointer(stack), "a number within the range of a double",
                     "a larger one");
  } catch (const json::exception&) {
    throw InputError(file, "", "valid JSON", "input the JSON parser could not read");
  }
}

void JsonValue::fail(const std::string& expected) const { fail(expected, describe(*value_)); }

void JsonValue::fail(const std::string& expected, const std::string& got) const {
  throw InputError(*file_, pointer_, expected, got);
}

namespace {
std::string with_range(const std::string& what, const Range& range) {
  const std::string r = range.text();
  return r.empty() ? what : what + " " + r;
}
}  // namespace

double JsonValue::number(const Range& range) const {
  if (!value_->is_number()) fail(with_range("a number", range));
  const double x = value_->get<double>();
  if (!range.contains(x)) fail(with_range("a number", range));
  return x;
}

int64_t JsonValue::integer(const Range& range) const {
  const std::string expected = with_range("an integer", range);
  if (!value_->is_number()) fail(expected);
  const double x = value_->get<double>();
  if (x != std::floor(x) || !range.contains(x)) fail(expected);
  if (value_->is_number_unsigned()) return static_cast<int64_t>(value_->get<uint64_t>());
  if (value_->is_number_integer()) return value_->get<int64_t>();
  return static_cast<int64_t>(x);
}

uint64_t JsonValue::unsigned64() const {
  const std::string expected = "an integer from 0 to 2^64-1";
  if (value_->is_number_unsigned()) return value_->get<uint64_t>();
  if (value_->is_number_integer()) {
    const int64_t v = value_->get<int64_t>();
    if (v < 0) fail(expected);
    return static_cast<uint64_t>(v);
  }
  if (!value_->is_number()) fail(expected);
  const double x = value_->get<double>();
  // 2^64 itself is a double, but not a uint64.
  if (x != std::floor(x) || x < 0 || x >= 18446744073709551616.0) fail(expected);
  return static_cast<uint64_t>(x);
}

bool JsonValue::boolean() const {
  if (!value_->is_boolean()) fail("true or false");
  return value_->get<bool>();
}

std::string JsonValue::string() const {
  if (!value_->is_string()) fail("a string");
  return value_->get<std::string>();
}

size_t JsonValue::choice(const std::vector<std::string>& choices) const {
  if (!value_->is_string()) fail(one_of(choices));
  const auto& s = value_->get_ref<const std::string&>();
  const auto it = std::find(choices.begin(), choices.end(), s);
  if (it == choices.end()) fail(one_of(choices), quote(s) + suggestion(s, choices));
  return static_cast<size_t>(it - choices.begin());
}

JsonObject JsonValue::object() const { return JsonObject(*this); }

std::vector<JsonValue> JsonValue::list(const std::string& what) const {
  if (!value_->is_array()) fail(what);
  std::vector<JsonValue> items;
  items.reserve(value_->size());
  for (size_t i = 0; i < value_->size(); ++i) {
    items.emplace_back((*value_)[i], pointer_append(pointer_, i), *file_);
  }
  return items;
}

JsonObject::JsonObject(const JsonValue& value) : self_(value) {
  if (!value.json().is_object()) value.fail("an object");
}

void JsonObject::allow(const std::vector<std::string>& allowed, const std::string& expected) {
  for (const auto& [key, value] : self_.json().items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    throw InputError(self_.file(), pointer_append(pointer(), key),
                     expected.empty() ? one_of(allowed) : expected,
                     quote(key) + suggestion(key, allowed));
  }
}

std::optional<JsonValue> JsonObject::get(const std::string& key) {
  const auto it = self_.json().find(key);
  if (it == self_.json().end()) return std::nullopt;
  read_.insert(key);
  return JsonValue(*it, pointer_append(pointer(), key), self_.file());
}

JsonValue JsonObject::require(const std::string& key, const std::string& expected) {
  auto v = get(key);
  if (!v) throw InputError(self_.file(), pointer_append(pointer(), key), expected, "nothing");
  return *v;
}

void JsonObject::forbid(const std::string& key, const std::string& expected) {
  if (auto v = get(key)) v->fail(expected);
}

void JsonObject::finish() const {
  for (const auto& [key, value] : self_.json().items()) {
    if (read_.count(key) != 0) continue;
    throw InputError(self_.file(), pointer_append(pointer(), key),
                     "no " + key + " in this configuration (nothing would read it)",
                     describe(value));
  }
}

}  // namespace bqsim
