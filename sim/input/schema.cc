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

namespace bqsim {
namespace {

using namespace schema_detail;
using namespace scenario_limits;

Json number(const std::string& description, const char* bound = nullptr, double at = 0) {
  Json j = {{"description", description}, {"type", "number"}};
  if (bound != nullptr) j[bound] = at;
  return j;
}

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
         integer("operations a client keeps in flight at once", 1, kMaxConcurrency)}}}};
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

Json selector_schema() {
  return {{"description",
           "*: every node; server:* or client:*: every server or client; server:I (I < n) or "
           "client:I (I < workload.clients): one node"},
          {"type", "string"},
          {"pattern", "^(\\*|(server|client):(\\*|[0-9]{1,9}))$"}};
}

Json loss_schema() {
  return {{"description", "probability that a message is lost (Bernoulli, per message)"},
          {"type", "number"},
          {"minimum", 0},
          {"exclusiveMaximum", 1}};
}

Json network_schema() {
  const Json bounded = {{"properties", {{"dist", {{"enum", bounded_distributions()}}}}}};
  const auto when = [](const char* key, const Json& value) {
    return Json{{"properties", {{key, value}}}, {"required", {key}}};
  };
  return {
      {"description",
       "Delays, loss and timing assumptions of the links between every pair of nodes."},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"model",
         {{"description",
           "latency: each message takes its drawn delay; bandwidth: the bytes first cross "
           "SimGrid's flow model (a star of bandwidth_Bps / link_latency_s links, or "
           "platform_file), then the drawn delay is added"},
          {"enum", {"latency", "bandwidth"}},
          {"default", "latency"}}},
        {"delay",
         {{"description",
           "one-way delay of every message; on a sync network bounded by bound_s; default: "
           "constant 0.001"},
          {"$ref", "#/$defs/distribution"}}},
        {"loss_probability", loss_schema()},
        {"links",
         {{"description", "per-link overrides of delay and loss; later entries win"},
          {"type", "array"},
          {"items", {{"$ref", "#/$defs/link"}}}}},
        {"synchrony",
         {{"description",
           "async: no bound on delays; sync: every message arrives within bound_s; partial: "
           "within bound_s after gst_s"},
          {"enum", {"async", "sync", "partial"}},
          {"default", "async"}}},
        {"bound_s", number("sync and partial only, and required there: the delay bound "
                           "(seconds)",
                           "exclusiveMinimum")},
        {"gst_s", number("partial only: global stabilisation time (seconds)", "minimum")},
        {"bandwidth_Bps", number("model bandwidth only: each node's link to the star's centre "
                                 "(bytes per second)",
                                 "exclusiveMinimum")},
        {"link_latency_s",
         number("model bandwidth only: latency of that link (seconds)", "minimum")},
        {"platform_file",
         {{"description",
           "model bandwidth only: an existing SimGrid platform file, relative to the "
           "scenario's directory; its hosts are used in name order"},
          {"type", "string"}}}}},
      {"allOf",
       {{{"if", when("synchrony", {{"enum", {"sync", "partial"}}})},
         {"then", {{"required", {"bound_s"}}}},
         {"else", {{"properties", {{"bound_s", false}}}}}},
        {{"if", when("synchrony", {{"const", "partial"}})},
         {"else", {{"properties", {{"gst_s", false}}}}}},
        {{"description", "sync: delivery within bound_s, so no loss and bounded delays"},
         {"if", when("synchrony", {{"const", "sync"}})},
         {"then",
          {{"properties",
            {{"loss_probability", {{"const", 0}}},
             {"delay", bounded},
             {"links",
              {{"items",
                {{"properties",
                  {{"loss_probability", {{"const", 0}}}, {"delay", bounded}}}}}}}}}}}},
        {{"description", "a bound holds for drawn delays only: bandwidth adds transfer time"},
         {"if", when("model", {{"const", "bandwidth"}})},
         {"then", {{"properties", {{"synchrony", {{"const", "async"}}}}}}},
         {"else",
          {{"properties",
            {{"bandwidth_Bps", false}, {"link_latency_s", false}, {"platform_file", false}}}}}}}}};
}

Json link_schema() {
  return {{"description", "overrides the delay and/or loss of the messages from `from` to `to`"},
          {"type", "object"},
          {"additionalProperties", false},
          {"required", {"from", "to"}},
          {"anyOf", {{{"required", {"delay"}}}, {{"required", {"loss_probability"}}}}},
          {"properties",
           {{"from", {{"$ref", "#/$defs/selector"}}},
            {"to", {{"$ref", "#/$defs/selector"}}},
            {"delay", {{"$ref", "#/$defs/distribution"}}},
            {"loss_probability", loss_schema()}}}};
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

// Rules between sections that JSON Schema can say: a protocol that needs a synchronous network
// gets one, and behaviours for generic data only are refused on signed data.
Json cross_section_rules(const Catalog& catalog) {
  std::vector<std::string> sync, signed_only, data_choice;
  for (const ProtocolDescription& p : *catalog.protocols) {
    bool any_sync = false, any_generic = false, any_signed = false;
    for (QuorumFamily f : p.families) {
      const FamilyTraits t = family_traits(f);
      any_sync = any_sync || t.synchrony == SynchronyNeed::sync;
      (t.data == DataKind::generic ? any_generic : any_signed) = true;
    }
    if (any_sync) sync.push_back(p.name);
    if (any_signed && !any_generic) signed_only.push_back(p.name);
    if (any_signed && any_generic) data_choice.push_back(p.name);
  }
  std::vector<std::string> generic_only;
  for (const BehaviourInfo& b : *catalog.behaviours) {
    if (b.generic_data_only) generic_only.push_back(b.name);
  }
  Json rules = Json::array();
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
                     {"distribution", distribution_schema()},
                     {"byzantine_entry", byzantine_entry_schema()},
                     {"behaviour", behaviour_schema(catalog)},
                     {"limits", limits_schema()}};
  return schema;
}

}  // namespace bqsim
