// libFuzzer target: the scenario reader and the --set paths on arbitrary bytes.
//   input = scenario text [ '\0' --set override ]...
// Every input must end in a Scenario or an InputError (one line, "error: " first); anything
// else (a crash, an uncaught exception, a failed BQSIM_CHECK, a sanitizer report) is a finding.
// Small valid scenarios are also built into their nodes, so each behaviour's factory reads the
// parameters the reader let through. Odd-sized inputs allow a sweep block, as `validate` does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/input/scenario_reader.h"
#include "sim/run/node_set.h"

namespace {

const bqsim::Catalog& catalog() {
  static const bqsim::Catalog kCatalog{&bqsim::protocol_registry(), &bqsim::behaviour_registry()};
  return kCatalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t first = input.find('\0');
  bqsim::ReadOptions options;
  options.allow_sweep = size % 2 == 1;
  for (size_t at = first; at != std::string::npos;) {
    const size_t next = input.find('\0', at + 1);
    options.set_overrides.push_back(
        input.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
    at = next;
  }
  try {
    const bqsim::Scenario s =
        bqsim::read_scenario_text(input.substr(0, first), "fuzz.json", options, catalog());
    if (s.hash.size() != 16) std::abort();
    // Nodes for small runs only: 10^5 servers are valid, but not in a few milliseconds.
    if (s.protocol.n <= 64 && s.workload.clients <= 64) {
      const bqsim::NodeSet set = bqsim::build_node_set(s, catalog());
      if (set.size() != s.protocol.n + static_cast<int>(s.workload.clients)) std::abort();
    }
  } catch (const bqsim::InputError& e) {
    const std::string line = e.what();
    if (line.rfind("error: ", 0) != 0 || line.find('\n') != std::string::npos) std::abort();
  }
  return 0;
}
