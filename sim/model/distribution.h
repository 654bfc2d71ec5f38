// Delay and think-time distributions of INTERFACE.md, sampled from bqsim's own Rng with
// closed-form inverse transforms (no std:: distribution classes). All values are seconds.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "sim/model/random.h"

namespace bqsim {

enum class DistKind { constant, uniform, normal, exponential, lognormal, pareto };

struct Distribution {
  DistKind kind = DistKind::constant;
  // Parameters, named as in the scenario file (units last):
  //   constant: a = value_s          uniform: a = min_s, b = max_s
  //   normal: a = mean_s, b = sd_s (truncated at 0 by redrawing)
  //   exponential: a = mean_s        lognormal: a = median_s, b = sigma
  //   pareto: a = scale_s, b = shape
  double a = 0;
  double b = 0;

  static Distribution constant(double value_s) { return {DistKind::constant, value_s, 0}; }

  double sample(Rng& rng) const;
  // Smallest and largest values the distribution can produce (infinity if unbounded).
  double lower_bound() const;
  double upper_bound() const;
  double mean() const;  // infinity for pareto with shape <= 1
  std::string describe() const;  // "exponential(mean_s=0.001)"
};

// One declared parameter. Every value drawn is a delay or a think time, so every parameter has
// a lower bound and none an upper one.
struct DistParam {
  std::string key;        // as the scenario spells it; a for the first, b for the second
  double min = 0;
  bool min_open = false;  // > min rather than >= min
};
// What a scenario may write for one kind: {"dist": name, params...}, every param required.
struct DistDeclaration {
  DistKind kind;
  std::string name;
  std::vector<DistParam> params;
  std::string summary;  // one phrase, for `bqsim list` and the schema
};
// In DistKind order, which is the order `bqsim list` prints them.
const std::vector<DistDeclaration>& distribution_declarations();
// Names as the scenario spells them, in the same order.
const std::vector<std::string>& distribution_names();
// One line per distribution with its parameter keys, for `bqsim list`.
std::string distribution_help(DistKind k);

}  // namespace bqsim
