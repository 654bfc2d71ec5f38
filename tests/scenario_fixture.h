// Helpers shared by the scenario reader's tests: a small fake catalog, so that these tests
// depend on neither the real protocols nor the binary (test_bad_inputs.cc covers the binary),
// and reading a scenario text against it, or getting the one-line error it produces.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/input/json_reader.h"
#include "sim/input/scenario_reader.h"

namespace bqsim::test {

inline ProtocolDescription fake_protocol(std::string name, QuorumFamily family,
                                         std::vector<std::string> keys,
                                         bool requires_sync = false) {
  ProtocolDescription d;
  d.name = std::move(name);
  d.option_keys = std::move(keys);
  d.requires_sync = requires_sync;
  d.family = [family](const ProtocolOptions&) { return family; };
  return d;
}

inline const Catalog& fake_catalog() {
  static const std::vector<ProtocolDescription> kProtocols = [] {
    std::vector<ProtocolDescription> p = {
        fake_protocol("mr-masking", QuorumFamily::mr_masking, {"contact", "ts_choice"}),
        fake_protocol("sbq-masking", QuorumFamily::sbq_masking, {"contact", "ts_choice"}),
        fake_protocol("sbq-dissemination", QuorumFamily::sbq_dissemination,
                      {"signature_bytes"}),
        fake_protocol("sync-threshold", QuorumFamily::sync_generic,
                      {"t", "timeout_s", "data"}, true),
        fake_protocol("u-masking", QuorumFamily::mr_masking,
                      {"retransmit_initial_s", "retransmit_cap_s", "buffers"}),
    };
    p[4].needs_acks_to_stop = true;  // fair-loss channels suffice (sim/model/fault_info.h)
    p[3].family = [](const ProtocolOptions& o) {
      return o.data == DataKind::generic ? QuorumFamily::sync_generic
                                         : QuorumFamily::sync_self_verifying;
    };
    return p;
  }();
  static const std::vector<BehaviourInfo> kBehaviours = {
      {"silent", "never answers", {}, false},
      {"forge",
       "made-up pairs",
       {{"coalition", "string", "default", "", {}},
        {"ts_counter", "integer", "4611686018427387904", "", {}, 0.0},
        {"value", "integer", "", "", {}, 0.0},
        {"answer_ts_queries", "boolean", "false", "", {}}},
       true},
  };
  static const Catalog kCatalog{&kProtocols, &kBehaviours};
  return kCatalog;
}

inline Scenario read(const std::string& text, const ReadOptions& options = {}) {
  return read_scenario_text(text, "dir/test.json", options, fake_catalog());
}

// The one-line error a text produces, or "no error".
inline std::string error_of(const std::string& text, const ReadOptions& options = {}) {
  try {
    read(text, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace bqsim::test
