#include "sim/model/distribution.h"
#include "sim/model/check.h"

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

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> kNames = {"constant",    "uniform",   "normal",
                                                  "exponential", "lognormal", "pareto"};
  return kNames;
}

std::string distribution_help(DistKind k) {
  switch (k) {
    case DistKind::constant: return "constant     value_s                 always value_s";
    case DistKind::uniform: return "uniform      min_s, max_s            uniform on [min_s, max_s]";
    case DistKind::normal: return "normal       mean_s, sd_s            normal, truncated at 0 (redrawn)";
    case DistKind::exponential: return "exponential  mean_s                  exponential with that mean";
    case DistKind::lognormal: return "lognormal    median_s, sigma         exp(N(ln median_s, sigma^2))";
    case DistKind::pareto: return "pareto       scale_s, shape          heavy tail: scale_s / U^(1/shape)";
  }
  return "";
}

}  // namespace bqsim
