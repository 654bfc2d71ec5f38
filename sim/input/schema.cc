// The scenario schema: the sections the reader walks (scenario_walk.cc and the
// scenario_<section>.cc files), stated with the same limits, and the rules between sections
// that JSON Schema can say. What comes from declarations is in schema_declared.cc. A key the
// reader accepts must appear here too: tests/schema/check_schema.py compares every section's
// keys with the reader's own list of them.
#include "sim/input/schema.h"

#include "sim/input/scenario.h"
#include "sim/input/scenario_limits.h"
#include "sim/input/scenario_reader.h"
#include "sim/input/schema_internal.h"
#include "sim/model/check.h"
#include "sim/model/fault_info.h"

namespace bqsim {
namespace {

using namespace schema_detail;
using namespace scenario_limits;

Json integer(const std::string& description, double min, double max) {
  return {{"description", description},
          {"type", "integer"},
          {"minimum", static_cast<int64_t>(min)},
          {"maximum", static_cast<int64_t>(max)}};
}

Json unsigned64(const std::string& description, uint64_t min) {
  return {
      {"description", description}, {"type", "integer"}, {"minimum", min}, {"maximum", kMaxUint64}};
}

Json workload_schema() {
  const WorkloadSpec d;
  Json think = {{"description",
                 "pause of a client between the end of an operation and the start of its next "
                 "one; default: constant 0"},
                {"$ref", "#/$defs/distribution"}};
  Json out = {
      {"description",
       "What the clients do: closed-loop clients, each keeping `concurrency` operations in "
       "flight. Give ops_per_client or duration_s, not both."},
      {"type", "object"},
      {"additionalProperties", false},
      {"not", {{"required", {"ops_per_client", "duration_s"}}}},
      {"properties",
       {{"clients", integer("clients", 1, kMaxClients)},
        {"ops_per_client", integer("operations each client performs", 1, kMaxOpsPerClient)},
        {"duration_s", number("instead of ops_per_client: no operation starts after this "
                              "simulated time (seconds)",
                              "exclusiveMinimum")},
        {"read_fraction", number("probability that an operation is a read", "minimum")},
        {"think_time", think},
        {"value_bytes", integer("declared size of a written value (bytes)", 0, kMaxValueBytes)},
        {"registers", integer("independent registers; reads pick one uniformly", 1, kMaxRegisters)},
        {"concurrency",
         integer("operations a client keeps in flight at once", 1, kMaxConcurrency)},
        {"script",
         {{"description",
           "Instead of ops_per_client, duration_s and read_fraction: one list per client of the "
           "kinds of its operations, performed in order, e.g. [[\"write\"], [\"read\", "
           "\"read\"]] (a writer and a reader). clients, if given, must equal the number of "
           "lists."},
          {"type", "array"},
          {"minItems", 1},
          {"maxItems", kMaxScriptClients},
          {"items",
           {{"type", "array"},
            {"minItems", 1},
            {"maxItems", kMaxScriptOps},
            {"items", {{"enum", {"read", "write"}}}}}}}}}}};
  // A script lists every operation: nothing that would draw them.
  Json drawn = Json::array();
  for (const char* key : {"ops_per_client", "duration_s", "read_fraction"}) {
    drawn.push_back({{"required", {key}}});
  }
  out["if"] = {{"required", {"script"}}};
  out["then"] = {{"not", {{"anyOf", drawn}}}};
  Json& props = out["properties"];
  props["read_fraction"]["maximum"] = 1;
  props["clients"]["default"] = d.clients;
  props["ops_per_client"]["default"] = d.ops_per_client;
  props["read_fraction"]["default"] = d.read_fraction;
  props["value_bytes"]["default"] = d.value_bytes;
  props["registers"]["default"] = d.registers;
  props["concurrency"]["default"] = d.concurrency;
  return out;
}

Json byzantine_entry_schema() {
  return {{"description",
           "Servers that run the same script of behaviours: servers or count, not both. Each "
           "server appears in one entry at most; at most f in all unless allow_unsafe."},
          {"type", "object"},
          {"additionalProperties", false},
          {"required", {"behaviours"}},
          {"oneOf", {{{"required", {"servers"}}}, {{"required", {"count"}}}}},
          {"properties",
           {{"servers",
             {{"description", "server ids, each below n"},
              {"type", "array"},
              {"minItems", 1},
              {"uniqueItems", true},
              {"items", {{"type", "integer"}, {"minimum", 0}}}}},
            {"count",
             {{"description", "instead of servers: servers 0 .. count-1 (count <= n)"},
              {"type", "integer"},
              {"minimum", 1}}},
            {"behaviours",
             {{"description", "applied in script order"},
              {"type", "array"},
              {"minItems", 1},
              {"items", {{"$ref", "#/$defs/behaviour"}}}}}}}};
}

Json limits_schema() {
  const LimitsSpec d;
  Json time = number(
      "simulated time at which pending operations are given up (a liveness "
      "failure) and the run ends (seconds)",
      "exclusiveMinimum");
  time["default"] = d.max_sim_time_s;
  Json messages = unsigned64("the run stops, and says so, past this many sends", 1);
  messages["default"] = d.max_messages;
  return {{"description", "bounds on a run, so that it always ends"},
          {"type", "object"},
          {"additionalProperties", false},
          {"properties", {{"max_sim_time_s", time}, {"max_messages", messages}}}};
}

// Rules between sections that JSON Schema can say: a protocol that needs reliable channels gets
// no lossy network (allow_unsafe aside), a protocol that needs a synchronous network gets one,
// and behaviours for generic data only are refused on signed data.
Json cross_section_rules(const Catalog& catalog) {
  std::vector<std::string> sync, signed_only, data_choice, reliable;
  for (const ProtocolDescription& p : *catalog.protocols) {
    bool any_sync = false, any_generic = false, any_signed = false;
    for (QuorumFamily f : p.families) {
      const FamilyTraits t = family_traits(f);
      any_sync = any_sync || t.synchrony == SynchronyNeed::sync;
      (t.data == DataKind::generic ? any_generic : any_signed) = true;
    }
    if (any_sync) sync.push_back(p.name);
    if (!tolerates_loss(p)) reliable.push_back(p.name);
    if (any_signed && !any_generic) signed_only.push_back(p.name);
    if (any_signed && any_generic) data_choice.push_back(p.name);
  }
  Json rules = Json::array();
  if (!reliable.empty()) {
    const Json not_unsafe = {{"not", {{"required", {"allow_unsafe"}},
                                      {"properties", {{"allow_unsafe", {{"const", true}}}}}}}};
    const Json no_loss = {{"properties", {{"loss_probability", {{"const", 0}}}}}};
    Json network = {{"properties", Json::object()}};
    network["properties"]["loss_probability"] = {{"const", 0}};
    network["properties"]["links"] = {{"items", no_loss}};
    network["properties"]["faults"] = {{"items", {{"not", lossy_fault()}}}};
    Json rule = {{"description",
                  "protocols that need reliable channels refuse a lossy network unless "
                  "allow_unsafe"},
                 {"if", {{"allOf", {protocol_is(catalog, reliable), not_unsafe}}}}};
    rule["then"] = {{"properties", {{"network", network}}}};
    rules.push_back(rule);
  }
  std::vector<std::string> generic_only;
  for (const BehaviourInfo& b : *catalog.behaviours) {
    if (b.generic_data_only) generic_only.push_back(b.name);
  }
  if (!sync.empty()) {
    rules.push_back(
        {{"description", "protocols whose waits end at a time-out run on sync networks only"},
         {"if", protocol_is(catalog, sync)},
         {"then",
          {{"required", {"network"}},
           {"properties",
            {{"network",
              {{"required", {"synchrony"}},
               {"properties", {{"synchrony", {{"const", "sync"}}}}}}}}}}}});
  }
  if (!generic_only.empty()) {
    Json signed_data = Json::array();
    if (!signed_only.empty()) signed_data.push_back(protocol_is(catalog, signed_only));
    if (!data_choice.empty()) {
      Json chosen = protocol_is(catalog, data_choice);
      const std::string sv(to_string(DataKind::self_verifying));
      chosen = {{"allOf",
                 {chosen,
                  {{"properties",
                    {{"protocol",
                      {{"required", {"data"}}, {"properties", {{"data", {{"const", sv}}}}}}}}}}}}};
      signed_data.push_back(chosen);
    }
    const Json refused = {{"not", {{"enum", generic_only}}}};
    if (!signed_data.empty()) {
      rules.push_back(
          {{"description", "signed values cannot be forged: generic-data-only behaviours"},
           {"if", {{"anyOf", signed_data}}},
           {"then",
            {{"properties",
              {{"byzantine",
                {{"items",
                  {{"properties",
                    {{"behaviours", {{"items", {{"properties", {{"kind", refused}}}}}}}}}}}}}}}}}});
    }
  }
  return rules;
}

}  // namespace

nlohmann::ordered_json scenario_schema(const Catalog& catalog) {
  BQSIM_CHECK(catalog.protocols != nullptr && catalog.behaviours != nullptr,
              "a catalog without registries");
  const Scenario d;
  Json top = {
      {"name",
       {{"description",
         "names the run and its default output directory results/NAME/seed-SEED; default: the "
         "file's name without .json"},
        {"type", "string"},
        {"pattern", "^[A-Za-z0-9_-][A-Za-z0-9._-]*$"},
        {"maxLength", kMaxNameLength}}},
      {"description",
       {{"description", "free text for the reader of the file"}, {"type", "string"}}},
      {"seed",
       unsigned64("seed of every random stream of the run (`bqsim run --seed` replaces it)", 0)},
      {"protocol", {{"$ref", "#/$defs/protocol"}}},
      {"workload", {{"$ref", "#/$defs/workload"}}},
      {"network", {{"$ref", "#/$defs/network"}}},
      {"byzantine",
       {{"description", "Byzantine servers and their scripted behaviours; default: none"},
        {"type", "array"},
        {"items", {{"$ref", "#/$defs/byzantine_entry"}}}}},
      {"allow_unsafe",
       {{"description",
         "allow n below the protocol's minimum for f, or more than f Byzantine servers; the run "
         "is marked unsafe"},
        {"type", "boolean"},
        {"default", d.allow_unsafe}}},
      {"timestamp_bits", integer("width of timestamp counters, which wrap modulo 2^timestamp_bits",
                                 kMinTimestampBits, kMaxTimestampBits)},
      {"limits", {{"$ref", "#/$defs/limits"}}},
      {"engine",
       {{"description",
         "Which engine runs the scenario: simgrid (the reference) or native (bqsim's own event "
         "loop, latency model only, no platform file). Both handle events in bqsim's order and "
         "write byte-identical ops.csv, messages.csv and summary.json; the engine is left out "
         "of the scenario hash and named in manifest.json. bqsim run --engine overrides it."},
        {"enum", {"simgrid", "native"}},
        {"default", "simgrid"}}},
      {"sweep",
       {{"description",
         "batch runner only: dotted paths (protocol.f, byzantine.0.servers) to non-empty lists "
         "of values; the runs are the cross product (at most " +
             std::to_string(kMaxSweepRuns) +
             "), each checked by `bqsim validate`; `bqsim run` refuses a sweep block"},
        {"type", "object"},
        {"minProperties", 1},
        {"propertyNames",
         {{"pattern", "^[^.]+(\\.[^.]+)*$"}, {"not", {{"pattern", "^sweep(\\.|$)"}}}}},
        {"additionalProperties", {{"type", "array"}, {"minItems", 1}}}}}};
  top["seed"]["default"] = d.seed;
  top["timestamp_bits"]["default"] = d.timestamp_bits;
  Json schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", "https://bqsim.invalid/scenarios/schema.json"},
      {"title", "bqsim scenario"},
      {"description",
       "One simulation of a Byzantine quorum protocol (INTERFACE.md, PROTOCOLS.md). GENERATED "
       "by `bqsim schema` from the declarations the reader checks against: do not edit. Every "
       "key is optional. Units are the last part of every key: _s seconds, _Bps bytes per "
       "second, _bytes bytes. The reader also checks what a schema cannot say: n against the "
       "protocol's minimum for f, at most f Byzantine servers, ids below n and "
       "workload.clients, delays against bound_s, timeout_s >= 2 * bound_s, t <= f, until_s > "
       "from_s, uniform max_s >= min_s, buffers >= n, retransmit_cap_s >= "
       "retransmit_initial_s, each behaviour's own rules, and no duplicate keys. `bqsim "
       "validate FILE` checks a file; `bqsim list` prints the protocols, behaviours and "
       "distributions."},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties", top},
  };
  const Json rules = cross_section_rules(catalog);
  if (!rules.empty()) schema["allOf"] = rules;
  schema["$defs"] = {{"protocol", protocol_schema(catalog)},
                     {"workload", workload_schema()},
                     {"network", network_schema()},
                     {"link", link_schema()},
                     {"selector", selector_schema()},
                     {"placement_rule", placement_rule_schema()},
                     {"fault", fault_schema()},
                     {"distribution", distribution_schema()},
                     {"byzantine_entry", byzantine_entry_schema()},
                     {"behaviour", behaviour_schema(catalog)},
                     {"limits", limits_schema()}};
  return schema;
}

}  // namespace bqsim
