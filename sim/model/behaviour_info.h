// What the scenario reader, `bqsim list` and `bqsim schema` know of an adversary behaviour. The
// behaviours live in adversaries/, each declaring its BehaviourInfo beside its code; the reader
// knows no behaviour by name: each is checked through its declaration and its own rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/model/options.h"
#include "sim/model/protocol.h"
#include "sim/model/types.h"

namespace bqsim {

// What the rest of the scenario resolved, as a behaviour's own rules may need it.
struct ScenarioFacts {
  std::string protocol;  // its name
  DataKind data = DataKind::generic;
  int n = 0;
  int f = 0;
  uint32_t clients = 0;  // workload.clients
  uint32_t timestamp_bits = 64;
};

// One behaviour object of a scenario as its own rules see it, once every declared parameter
// has passed its type, range, choice and only_if checks. Implemented by the scenario reader;
// fail() throws the one-line input error at the parameter's JSON pointer (got: its value).
class BehaviourCheck {
 public:
  virtual ~BehaviourCheck() = default;
  virtual const ScenarioFacts& scenario() const = 0;
  virtual bool has(std::string_view key) const = 0;
  // A declared string parameter, or `fallback` when absent.
  virtual std::string text(std::string_view key, std::string_view fallback) const = 0;
  // A declared integer parameter (>= 0), or `fallback` when absent.
  virtual uint64_t count(std::string_view key, uint64_t fallback) const = 0;
  // A declared integer-list parameter; empty when absent.
  virtual std::vector<uint64_t> counts(std::string_view key) const = 0;
  [[noreturn]] virtual void fail(std::string_view key, const std::string& expected) const = 0;
  [[noreturn]] virtual void fail_item(std::string_view key, size_t index,
                                      const std::string& expected) const = 0;
};

struct BehaviourInfo {
  BehaviourInfo(std::string name_, std::string summary_, std::vector<OptionSpec> params_ = {})
      : name(std::move(name_)), summary(std::move(summary_)), params(std::move(params_)) {}

  std::string name;                // as scenarios spell it: "silent", "forge", ...
  std::string summary;             // one line
  std::vector<OptionSpec> params;  // besides the window keys from_s / until_s
  bool generic_data_only = false;  // forge: self-verifying data cannot be forged
  // "": scripted in a window [from_s, until_s). Else the parameter naming the one instant it
  // happens at, for good (crash: at_s); from_s and until_s are then refused.
  std::string at_key;
  // Rules between its parameters and the rest of the scenario that the declarations cannot
  // state (omit's clients below workload.clients); absent when there are none. The schema
  // cannot say them either: they are reader-only.
  std::function<void(const BehaviourCheck&)> check;
};

// Everything the reader validates names against.
struct Catalog {
  const std::vector<ProtocolDescription>* protocols = nullptr;
  const std::vector<BehaviourInfo>* behaviours = nullptr;
  const ProtocolDescription* find_protocol(const std::string& name) const;
  const BehaviourInfo* find_behaviour(const std::string& name) const;
};

}  // namespace bqsim
