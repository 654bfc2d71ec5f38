#include "tests/examples/registry.h"

#include "protocols/registry.h"

namespace bqsim::test {

const std::vector<ProtocolDescription>& test_protocols() {
  static const std::vector<ProtocolDescription> kProtocols = [] {
    std::vector<ProtocolDescription> all = protocol_registry();
    all.push_back(example_protocol());  // the one line a protocol adds
    return all;
  }();
  return kProtocols;
}

const std::vector<BehaviourEntry>& test_behaviour_entries() {
  static const std::vector<BehaviourEntry> kEntries = [] {
    std::vector<BehaviourEntry> all = behaviour_entries();
    all.push_back(drop_first_behaviour());  // the one line a behaviour adds
    return all;
  }();
  return kEntries;
}

const Catalog& test_catalog() {
  static const std::vector<BehaviourInfo> kInfos = infos_of(test_behaviour_entries());
  static const Catalog kCatalog{&test_protocols(), &kInfos};
  return kCatalog;
}

}  // namespace bqsim::test
