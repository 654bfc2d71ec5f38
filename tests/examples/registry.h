// The test registry: the real protocols and behaviours plus the test-only examples, each added
// by one line in registry.cc, exactly as a real protocol or behaviour is added to
// protocols/registry.cc or adversaries/registry.cc. Tests read scenarios, list, generate the
// schema and build nodes through it to show that nothing else needs touching.
#pragma once

#include <vector>

#include "adversaries/registry.h"
#include "sim/model/behaviour_info.h"
#include "sim/model/protocol.h"

namespace bqsim::test {

ProtocolDescription example_protocol();  // example_protocol.cc
BehaviourEntry drop_first_behaviour();   // example_behaviour.cc

const std::vector<ProtocolDescription>& test_protocols();
const std::vector<BehaviourEntry>& test_behaviour_entries();
// The catalog the reader validates against, over the two lists above.
const Catalog& test_catalog();

}  // namespace bqsim::test
