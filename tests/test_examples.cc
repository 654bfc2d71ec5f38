// The test-only example protocol and behaviour (tests/examples/): each added by its own file and
// one registry line, and from there read and checked by the scenario reader, listed, described
// by the generated schema and built into running nodes, with nothing in sim/ naming them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "protocols/registry.h"
#include "sim/input/listing.h"
#include "sim/input/scenario_reader.h"
#include "sim/input/schema.h"
#include "tests/examples/registry.h"
#include "tests/harness.h"

namespace bqsim::test {
namespace {

using nlohmann::json;

Scenario read_example(const json& doc) {
  return read_scenario_text(doc.dump(), "ex.json", {}, test_catalog());
}

std::string example_error(const json& doc) {
  try {
    read_example(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

json with_drop_first(const json& behaviour) {
  return {{"protocol", {{"name", "example-sbq"}}},
          {"workload", {{"clients", 2}}},
          {"byzantine", json::array({{{"servers", {0}}, {"behaviours", {behaviour}}}})}};
}

}  // namespace

TEST_CASE("examples: the reader takes the example protocol's options from its family's traits") {
  // Shows a protocol registered by one line gets its n, its options (common and signature, as a
  // reliable self-verifying family) and its refusals without any reader change.
  const Scenario s = read_example(
      {{"protocol",
        {{"name", "example-sbq"}, {"f", 2}, {"signature_bytes", 64}, {"contact", "quorum"}}}});
  CHECK(s.protocol.n == 5);  // 2f+1, a-dissemination's minimum
  CHECK(s.protocol.options.signature_bytes == 64);
  CHECK(s.protocol.options.contact == Contact::quorum);
  CHECK(example_error({{"protocol", {{"name", "example-sbq"}, {"buffers", 8}}}}) ==
        "error: ex.json: /protocol/buffers: expected one of name, f, n or an option of "
        "example-sbq (contact, contact_widen_s, ts_choice, signature_bytes, sign_cpu_s, "
        "verify_cpu_s); got 'buffers'");
  CHECK(example_error({{"protocol", {{"name", "example-sbq"}, {"ts_choice", "f+1-th"}}}}) ==
        "error: ex.json: /protocol/ts_choice: expected 'max' for self-verifying data (f+1-th "
        "needs masking quorums; signed timestamps already defeat inflation), got 'f+1-th'");
}

TEST_CASE("examples: the example behaviour is checked through its entry, rule included") {
  // Shows the reader checks a behaviour it has never heard of by its declaration (types,
  // ranges, defaults) and its own rule (client below workload.clients).
  const Scenario s =
      read_example(with_drop_first({{"kind", "drop-first"}, {"client", 1}, {"count", 2.0}}));
  const BehaviourSpec& b = s.byzantine.at(0).behaviours.at(0);
  CHECK(b.kind == "drop-first");
  CHECK(b.params["count"].is_number_integer());  // 2.0 read as the integer it declares
  CHECK(b.params["count"] == 2);
  const std::string at = "error: ex.json: /byzantine/0/behaviours/0/";
  CHECK(example_error(with_drop_first({{"kind", "drop-first"}, {"client", 2}})) ==
        at + "client: expected a client index below workload.clients = 2, got 2");
  CHECK(example_error(with_drop_first({{"kind", "drop-first"}, {"count", 0}})) ==
        at + "count: expected an integer from 1 to 1000, got 0");
  CHECK(example_error(with_drop_first({{"kind", "drop-first"}, {"counts", 1}})) ==
        at + "counts: expected one of kind, from_s, until_s or a parameter of drop-first "
             "(client, count); got 'counts' (did you mean 'count'?)");
  // The real catalog does not know it.
  CHECK_THROWS_AS(read_scenario_text(with_drop_first({{"kind", "drop-first"}}).dump(), "ex.json",
                                     {}, Catalog{&protocol_registry(), &behaviour_registry()}),
                  InputError);
}

TEST_CASE("examples: listing and schema describe the examples from their declarations") {
  // Shows `bqsim list --json` and the generated schema take both examples from the catalog.
  const json listing = catalog_listing(test_catalog(), 1);
  const json& last = listing["protocols"].back();
  CHECK(last["name"] == "example-sbq");
  CHECK(last["data"] == "self-verifying");
  CHECK(last["quorum"]["read_replies"] == 2);
  CHECK(last["options"].size() == 6);
  CHECK(listing["behaviours"].back()["name"] == "drop-first");
  CHECK(listing["behaviours"].back()["params"][1]["max"] == 1000.0);

  const json schema = json::parse(scenario_schema(test_catalog()).dump());
  const json& protocol = schema["$defs"]["protocol"];
  const json names = protocol["properties"]["name"]["enum"];
  CHECK(names.back() == "example-sbq");
  bool ruled = false;
  for (const json& rule : protocol["allOf"]) {
    if (rule.value(json::json_pointer("/if/properties/name/const"), "") != "example-sbq") continue;
    ruled = true;
    CHECK(rule["then"]["propertyNames"]["enum"] ==
          json({"name", "f", "n", "contact", "contact_widen_s", "ts_choice", "signature_bytes",
                "sign_cpu_s", "verify_cpu_s"}));
    CHECK(rule["then"]["properties"]["ts_choice"]["const"] == "max");
  }
  CHECK(ruled);
  const json& behaviour = schema["$defs"]["behaviour"];
  CHECK(behaviour["properties"]["kind"]["enum"].back() == "drop-first");
  const json& then = behaviour["allOf"].back()["then"];
  CHECK(then["properties"]["count"]["maximum"] == 1000);
  CHECK(then["additionalProperties"] == false);
}

TEST_CASE("examples: the example protocol runs, and the example behaviour drops what it says") {
  // Shows both examples build into nodes through the registries: reads on example-sbq wait for
  // f+1 = 2 of n = 3 replies; drop-first at server 0 swallows client 1's first two reads and
  // nothing of client 0's, and every read still returns the written pair.
  Harness h(example_protocol(), {.f = 1, .clients = 2});
  REQUIRE(h.n == 3);
  const Scenario s =
      read_example(with_drop_first({{"kind", "drop-first"}, {"client", 1}, {"count", 2}}));
  h.make_byzantine(0, s.byzantine.at(0).behaviours, test_behaviour_entries());
  const OpId w = h.write(0);
  h.deliver_all();
  REQUIRE(h.completion(w) != nullptr);
  const Pair written = h.completion(w)->pair;
  for (uint32_t c : {0u, 1u, 1u, 1u, 0u}) {
    const OpId r = h.read(c);
    h.deliver_all();
    REQUIRE(h.completion(r) != nullptr);
    CHECK(h.completion(r)->pair == written);
  }
  CHECK(h.fired_count("drop-first", "drop", 0) == 2);
  CHECK(h.fired_count("drop-first", "drop") == 2);
}

}  // namespace bqsim::test
