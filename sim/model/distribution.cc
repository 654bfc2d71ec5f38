#include "sim/model/distribution.h"
#include "sim/model/check.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace bqsim {

double Distribution::sample(Rng& rng) const {
  switch (kind) {
    case DistKind::constant:
      return a;
    case DistKind::uniform:
      return a + (b - a) * rng.uniform01();
    case DistKind::normal: {
      if (b == 0) return std::max(a, 0.0);
      // Truncated at 0 by redrawing. Bounded: after 64 failed draws (mean many sd below 0)
      // fall back to 0 rather than loop forever; the reader rejects such parameters anyway.
      for (int i = 0; i < 64; ++i) {
        const double x = a + b * rng.standard_normal();
        if (x >= 0) return x;
      }
      return 0;
    }
    case DistKind::exponential:
      return -a * std::log(rng.uniform_open0());
    case DistKind::lognormal:
      return a * std::exp(b * rng.standard_normal());
    case DistKind::pareto:
      return a / std::pow(rng.uniform_open0(), 1.0 / b);
  }
  BQSIM_CHECK(false, "unknown distribution kind");
  return 0;
}

double Distribution::lower_bound() const {
  switch (kind) {
    case DistKind::constant: return a;
    case DistKind::uniform: return a;
    case DistKind::pareto: return a;
    default: return 0;
  }
}

double Distribution::upper_bound() const {
  switch (kind) {
    case DistKind::constant: return a;
    case DistKind::uniform: return b;
    default: return std::numeric_limits<double>::infinity();
  }
}

double Distribution::mean() const {
  switch (kind) {
    case DistKind::constant: return a;
    case DistKind::uniform: return (a + b) / 2;
    case DistKind::normal: {
      // Mean of a normal truncated at 0: mu + sd * phi(alpha) / (1 - Phi(alpha)), alpha = -mu/sd.
      if (b == 0) return std::max(a, 0.0);
      const double alpha = -a / b;
      const double phi = std::exp(-alpha * alpha / 2) / std::sqrt(2 * std::numbers::pi);
      const double tail = 0.5 * std::erfc(alpha / std::sqrt(2.0));
      return a + b * phi / tail;
    }
    case DistKind::exponential: return a;
    case DistKind::lognormal: return a * std::exp(b * b / 2);
    case DistKind::pareto:
      return b > 1 ? a * b / (b - 1) : std::numeric_limits<double>::infinity();
  }
  return 0;
}

std::string Distribution::describe() const {
  std::ostringstream o;
  o.precision(6);
  switch (kind) {
    case DistKind::constant: o << "constant(value_s=" << a << ")"; break;
    case DistKind::uniform: o << "uniform(min_s=" << a << ", max_s=" << b << ")"; break;
    case DistKind::normal: o << "normal(mean_s=" << a << ", sd_s=" << b << ")"; break;
    case DistKind::exponential: o << "exponential(mean_s=" << a << ")"; break;
    case DistKind::lognormal: o << "lognormal(median_s=" << a << ", sigma=" << b << ")"; break;
    case DistKind::pareto: o << "pareto(scale_s=" << a << ", shape=" << b << ")"; break;
  }
  return o.str();
}

const std::vector<DistDeclaration>& distribution_declarations() {
  // normal requires mean_s >= 0 so that its truncation at 0 stays a small correction.
  static const std::vector<DistDeclaration> kDeclarations = {
      {DistKind::constant, "constant", {{"value_s", 0}}, "always value_s"},
      {DistKind::uniform, "uniform", {{"min_s", 0}, {"max_s", 0}}, "uniform on [min_s, max_s]"},
      {DistKind::normal, "normal", {{"mean_s", 0}, {"sd_s", 0}},
       "normal, truncated at 0 (redrawn)"},
      {DistKind::exponential, "exponential", {{"mean_s", 0, true}}, "exponential with that mean"},
      {DistKind::lognormal, "lognormal", {{"median_s", 0, true}, {"sigma", 0}},
       "exp(N(ln median_s, sigma^2))"},
      {DistKind::pareto, "pareto", {{"scale_s", 0, true}, {"shape", 0, true}},
       "heavy tail: scale_s / U^(1/shape)"},
  };
  return kDeclarations;
}

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const DistDeclaration& d : distribution_declarations()) {
      BQSIM_CHECK(static_cast<size_t>(d.kind) == names.size(),
                  "declarations out of DistKind order");
      names.push_back(d.name);
    }
    return names;
  }();
  return kNames;
}

std::string distribution_help(DistKind k) {
  const DistDeclaration& d = distribution_declarations().at(static_cast<size_t>(k));
  std::string keys;
  for (const DistParam& p : d.params) keys += (keys.empty() ? "" : ", ") + p.key;
  const auto pad = [](std::string s, size_t width) {
    s.resize(std::max(s.size(), width), ' ');
    return s;
  };
  return pad(d.name, 13) + pad(keys, 24) + d.summary;
}

}  // namespace bqsim
