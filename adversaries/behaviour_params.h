// A behaviour's parameters, read from BehaviourSpec::params (the behaviour's object as the
// scenario wrote it). The scenario reader has already checked every value against the
// behaviour's declaration in registry.cc, so a value of the wrong type here is a programmer
// error (a test that built a spec by hand), caught by an always-on check, never bad input.
// Defaults live with each behaviour (its kDefault... constants), which its declaration prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model/distribution.h"
#include "sim/input/scenario.h"

namespace bqsim {

class BehaviourParams {
 public:
  explicit BehaviourParams(const BehaviourSpec& spec) : params_(spec.params) {}

  bool has(const std::string& key) const;
  double number(const std::string& key, double fallback) const;
  bool boolean(const std::string& key, bool fallback) const;
  uint64_t unsigned64(const std::string& key, uint64_t fallback) const;
  std::string string(const std::string& key, const std::string& fallback) const;
  // The string parameter's index among `choices` (declared with them, so validated).
  size_t choice(const std::string& key, const std::string& fallback,
                const std::vector<std::string>& choices) const;
  // Lists: an absent key reads as an empty list.
  std::vector<uint64_t> unsigned_list(const std::string& key) const;
  std::vector<std::string> string_list(const std::string& key) const;
  // REQUIRES: has(key), holding a distribution object the reader accepted.
  Distribution distribution(const std::string& key) const;

 private:
  const nlohmann::json* find(const std::string& key) const;

  const nlohmann::json& params_;
};

}  // namespace bqsim
