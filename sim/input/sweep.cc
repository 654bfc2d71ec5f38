#include "sim/input/sweep.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "sim/input/json_reader.h"
#include "sim/input/scenario_reader.h"

namespace bqsim {
namespace {

using nlohmann::json;

constexpr size_t kMaxLabel = 200;    // well under NAME_MAX (255), as the Python labels were
constexpr size_t kLabelPrefix = 180;
constexpr uint64_t kMaxShards = 1000000;

// Python's json string escaping with ensure_ascii: short escapes for the usual five, \u00XX for
// other control characters, \uXXXX (a surrogate pair above U+FFFF) for anything not ASCII.
// REQUIRES: valid UTF-8 (nlohmann checks it when parsing).
void append_json_string(std::string& out, const std::string& s) {
  auto hex4 = [&out](uint32_t u) {
    char buf[16];  // room for any uint32, so no -Wformat-truncation at any optimisation level
    std::snprintf(buf, sizeof buf, "\\u%04x", u);
    out += buf;
  };
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xf0) cp = c & 0x07, len = 4;
    else if (c >= 0xe0) cp = c & 0x0f, len = 3;
    else if (c >= 0xc0) cp = c & 0x1f, len = 2;
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += len;
    switch (cp) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (cp < 0x20 || cp > 0x7f) {
      if (cp >= 0x10000) {
        cp -= 0x10000;
        hex4(0xd800 + (cp >> 10));
        hex4(0xdc00 + (cp & 0x3ff));
      } else {
        hex4(cp);
      }
    } else {
      out += static_cast<char>(cp);
    }
  }
  out += '"';
}

void append_dump(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, x] : v.items()) {  // std::map order: sorted as sort_keys sorts
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
        append_dump(out, x);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        append_dump(out, v[i]);
      }
      out += ']';
      return;
    }
    case json::value_t::string: append_json_string(out, v.get_ref<const std::string&>()); return;
    case json::value_t::number_float: out += python_float_repr(v.get<double>()); return;
    default: out += v.dump(); return;  // integers, booleans, null: the same text in both
  }
}

void label_parts(const std::string& path, const json& v, std::vector<std::string>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, x] : v.items()) label_parts(path + "." + k, x, out);
    return;
  }
  std::string part = path + "=";
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) part += '+';
      part += value_text(v[i]);
    }
  } else {
    part += value_text(v);
  }
  out.push_back(std::move(part));
}

// SHA-1 (FIPS 180-4), only to shorten long labels exactly as Python's hashlib.sha1 did.
struct Sha1 {
  std::array<uint32_t, 5> h{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};

  static uint32_t rol(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

  void block(const unsigned char* p) {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = uint32_t{p[4 * i]} << 24 | uint32_t{p[4 * i + 1]} << 16 |
             uint32_t{p[4 * i + 2]} << 8 | uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5a827999u;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ed9eba1u;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdcu;
      else f = b ^ c ^ d, k = 0xca62c1d6u;
      const uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
};

}  // namespace

std::string sha1_hex(std::string_view data) {
  Sha1 s;
  std::string msg(data);
  const uint64_t bits = uint64_t{data.size()} * 8;
  msg += static_cast<char>(0x80);
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 7; i >= 0; --i) msg += static_cast<char>((bits >> (8 * i)) & 0xff);
  for (size_t i = 0; i < msg.size(); i += 64) {
    s.block(reinterpret_cast<const unsigned char*>(msg.data() + i));
  }
  char out[41];
  for (int i = 0; i < 5; ++i) std::snprintf(out + 8 * i, 9, "%08x", s.h[i]);
  return std::string(out, 40);
}

std::string python_float_repr(double x) {
  if (x != x) return "NaN";
  if (x == std::numeric_limits<double>::infinity()) return "Infinity";
  if (x == -std::numeric_limits<double>::infinity()) return "-Infinity";
  // The shortest round-trip digits, from "d.ddde±XX".
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exp10 = std::stoi(sci.substr(e + 1));
  const int decpt = exp10 + 1;  // x = 0.DIGITS × 10^decpt
  const int n = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return sign + "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
    if (decpt < n) return sign + digits.substr(0, decpt) + "." + digits.substr(decpt);
    return sign + digits + std::string(static_cast<size_t>(decpt - n), '0') + ".0";
  }
  std::string mant = digits.substr(0, 1);
  if (n > 1) mant += "." + digits.substr(1);
  char ex[16];
  std::snprintf(ex, sizeof ex, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
  return sign + mant + ex;
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  std::string out;
  append_dump(out, value);
  return out;
}

std::string sanitise_name(std::string_view text) {
  std::string s;
  bool in_run = false;
  for (char c : text) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      std::string_view("._,=+@-").find(c) != std::string_view::npos;
    if (keep) {
      s += c;
    } else if (!in_run) {
      s += '_';
    }
    in_run = !keep;
  }
  const size_t start = s.find_first_not_of(".-");
  s = start == std::string::npos ? "_" : s.substr(start);
  if (s.size() > kMaxLabel) s = s.substr(0, kLabelPrefix) + "~" + sha1_hex(text).substr(0, 12);
  return s;
}

std::string point_name(const Overrides& overrides) {
  if (overrides.empty()) return "default";
  std::vector<std::string> parts;
  for (const auto& [path, v] : overrides) label_parts(path, v, parts);
  return sanitise_name(join(parts, ","));
}

std::vector<SweepPoint> expand_sweep(const json& sweep, const std::string& file) {
  if (sweep.is_null()) return {SweepPoint{0, "default", {}}};
  std::vector<std::pair<std::string, const json*>> axes;
  for (const auto& [path, values] : sweep.items()) axes.emplace_back(path, &values);
  std::vector<SweepPoint> points;
  std::map<std::string, size_t> seen;
  std::vector<size_t> at(axes.size(), 0);
  while (true) {
    SweepPoint p;
    p.index = points.size();
    for (size_t i = 0; i < axes.size(); ++i) {
      p.overrides.emplace_back(axes[i].first, (*axes[i].second)[at[i]]);
    }
    p.name = point_name(p.overrides);
    if (const auto [it, fresh] = seen.emplace(p.name, p.index); !fresh) {
      throw InputError(file, "/sweep", "points with distinct directory names",
                       "points " + std::to_string(it->second) + " and " +
                           std::to_string(p.index) + " both named " + quote(p.name));
    }
    points.push_back(std::move(p));
    // An odometer: the last path turns fastest, as Python's itertools.product did.
    bool advanced = false;
    for (size_t i = axes.size(); i-- > 0 && !advanced;) {
      advanced = ++at[i] < axes[i].second->size();
      if (!advanced) at[i] = 0;
    }
    if (!advanced) break;
  }
  return points;
}

std::optional<Shard> parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<uint64_t> {
    uint64_t x = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return x;
  };
  const auto i = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!i || !n || *n == 0 || *n > kMaxShards || *i >= *n) return std::nullopt;
  return Shard{*i, *n};
}

SweepFile read_sweep_file(const std::string& path, const std::vector<std::string>& sets,
                          const Catalog& catalog) {
  ReadOptions opts;
  opts.set_overrides = sets;
  opts.allow_sweep = true;
  // Checks the file, the overrides and every run of the cross product; reads the file again
  // below, a negligible cost next to any run.
  const Scenario first = read_scenario_file(path, opts, catalog);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  SweepFile out;
  out.file = path;
  out.name = first.name;
  out.dir_name = sanitise_name(first.name);
  out.seed = first.seed;
  out.base = parse_json(text.str(), path);
  json sweep;
  if (out.base.contains("sweep")) {
    sweep = std::move(out.base["sweep"]);
    out.base.erase("sweep");
  }
  for (const auto& [swept, values] : sweep.items()) {
    (void)values;
    out.swept_paths.push_back(swept);
    if (swept == "seed") {
      throw InputError(path, pointer_append("/sweep", swept),
                       "a path other than seed (give seeds with --seeds or --seed-list)",
                       quote(swept));
    }
    for (const std::string& set : sets) {
      const std::string p = set.substr(0, set.find('='));
      if (p == swept || p.starts_with(swept + ".") || swept.starts_with(p + ".")) {
        throw InputError("--set", dotted_to_pointer(p),
                         "a path the sweep of " + path + " does not cover (it sweeps " + swept +
                             ")",
                         quote(set));
      }
    }
  }
  out.points = expand_sweep(sweep, path);
  return out;
}

const SweepPoint* find_point(const SweepFile& sweep, std::string_view which) {
  for (const auto& p : sweep.points) {
    if (p.name == which) return &p;
  }
  size_t index = 0;
  const auto [ptr, ec] = std::from_chars(which.data(), which.data() + which.size(), index);
  if (!which.empty() && ec == std::errc() && ptr == which.data() + which.size() &&
      index < sweep.points.size()) {
    return &sweep.points[index];
  }
  return nullptr;
}

Scenario read_point(const SweepFile& sweep, const SweepPoint& point, std::optional<uint64_t> seed,
                    const std::vector<std::string>& sets, const Catalog& catalog) {
  json doc = sweep.base;
  for (const auto& [path, v] : point.overrides) set_dotted_path(doc, path, v, sweep.file);
  ReadOptions opts;
  opts.set_overrides = sets;
  opts.seed = seed;
  // The same text a batch's expanded copy held, read under the file's name so that relative
  // platform files still resolve against its directory.
  return read_scenario_text(doc.dump(), sweep.file, opts, catalog);
}

}  // namespace bqsim
