// The network section of the scenario schema, as scenario_network.cc and scenario_faults.cc
// read it: the network object with its conditions between keys, link overrides, node
// patterns, placement rules, and the scheduled faults from their declarations (fault_info.h).
#include "sim/input/schema_internal.h"

#include "sim/model/fault_info.h"

namespace bqsim::schema_detail {
namespace {

Json loss_schema() {
  return {{"description", "probability that a message is lost (Bernoulli, per message)"},
          {"type", "number"},
          {"minimum", 0},
          {"exclusiveMaximum", 1}};
}

Json when(const char* key, const Json& value) {
  return {{"properties", {{key, value}}}, {"required", {key}}};
}

Json kind_is(const char* kind) { return {{"properties", {{"kind", {{"const", kind}}}}}}; }

}  // namespace

// FaultSpec::can_lose (scenario_faults.cc) said in JSON Schema, defaults included: a partition
// that drops or never heals, link-down, loss above 0, bursty-loss that can lose in either state.
// tests/schema/check_schema.py holds scenarios of each, so the two cannot drift apart.
Json lossy_fault() {
  const Json positive = {{"exclusiveMinimum", 0}};
  Json partition = kind_is("partition");
  const Json no_mode = {{"not", {{"required", {"mode"}}}}};
  const Json drop = {{"properties", {{"mode", {{"const", "drop"}}}}}};
  const Json no_heal = {{"not", {{"required", {"until_s"}}}}};
  partition["anyOf"] = Json::array({no_mode, drop, no_heal});
  Json loss = kind_is("loss");
  loss["properties"]["probability"] = positive;
  Json bursty = kind_is("bursty-loss");
  const Json good = {{"required", {"loss_good"}}, {"properties", {{"loss_good", positive}}}};
  Json bad = {{"required", {"p_good_bad"}}, {"properties", {{"p_good_bad", positive}}}};
  bad["not"] = {{"required", {"loss_bad"}}, {"properties", {{"loss_bad", {{"const", 0}}}}}};
  bursty["anyOf"] = Json::array({good, bad});
  return {{"anyOf", Json::array({partition, kind_is("link-down"), loss, bursty})}};
}

Json selector_schema() {
  return {{"description",
           "a node pattern: *: every node; server:* or client:*: every server or client; "
           "server:I (I < n) or client:I (I < workload.clients): one node; server:I-J or "
           "client:I-J (I <= J): a range"},
          {"type", "string"},
          {"pattern", "^(\\*|(server|client):(\\*|[0-9]{1,9}(-[0-9]{1,9})?))$"}};
}

Json link_schema() {
  return {{"description", "overrides the delay, loss and/or order of the messages from `from` to "
                          "`to`"},
          {"type", "object"},
          {"additionalProperties", false},
          {"required", {"from", "to"}},
          {"anyOf",
           {{{"required", {"delay"}}}, {{"required", {"loss_probability"}}},
            {{"required", {"fifo"}}}}},
          {"properties",
           {{"from", {{"$ref", "#/$defs/selector"}}},
            {"to", {{"$ref", "#/$defs/selector"}}},
            {"delay", {{"$ref", "#/$defs/distribution"}}},
            {"loss_probability", loss_schema()},
            {"fifo",
             {{"description",
               "deliver in send order, as a TCP-like channel (latency model only); without it, "
               "random delays reorder"},
              {"type", "boolean"},
              {"default", false}}}}}};
}

Json placement_rule_schema() {
  const Json hosts = {
      {"description", "host names of the platform file, or \"*\" for all of them in name order"},
      {"oneOf",
       {{{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}},
        {{"const", "*"}}}}};
  return {{"description", "puts the nodes a pattern selects on hosts of the platform, round robin"},
          {"type", "object"},
          {"additionalProperties", false},
          {"required", {"nodes", "hosts"}},
          {"properties", {{"nodes", {{"$ref", "#/$defs/selector"}}}, {"hosts", hosts}}}};
}

Json fault_schema() {
  Json kinds = Json::array();
  std::vector<std::string> names;
  for (const FaultInfo& f : fault_kinds()) {
    names.push_back(f.name);
    Json props = {{"kind", true},
                  {"from_s", number("start of the window (seconds)", "minimum")},
                  {"until_s", number("end of the window (seconds), > from_s; default: never")}};
    props["from_s"]["default"] = 0;
    std::vector<std::string> required;
    for (const OptionSpec& p : f.params) {
      props[p.key] = declared_value(p);
      if (p.default_text == "required") required.push_back(p.key);
    }
    Json then = {{"description", f.name + ": " + f.summary},
                 {"properties", props},
                 {"additionalProperties", false}};
    if (!required.empty()) then["required"] = required;
    kinds.push_back({{"if", {{"properties", {{"kind", {{"const", f.name}}}}}}}, {"then", then}});
  }
  return {{"description",
           "a scheduled network fault (`bqsim list` describes each kind); it acts on the messages "
           "sent in [from_s, until_s) and never counts against f"},
          {"type", "object"},
          {"required", {"kind"}},
          {"properties", {{"kind", {{"enum", names}}}}},
          {"allOf", kinds}};
}

Json network_schema() {
  const Json bounded = {{"properties", {{"dist", {{"enum", bounded_distributions()}}}}}};
  const Json partial_only = {{"properties",
                              {{"gst_s", false}, {"pre_gst_delay", false}, {"pre_gst_hold", false}}}};
  const Json hold_link = {{"type", "object"},
                          {"additionalProperties", false},
                          {"required", {"from", "to"}},
                          {"properties",
                           {{"from", {{"$ref", "#/$defs/selector"}}},
                            {"to", {{"$ref", "#/$defs/selector"}}}}}};
  return {
      {"description",
       "Delays, loss, faults and timing assumptions of the links between every pair of nodes."},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"model",
         {{"description",
           "latency: each message takes its drawn delay (plus its route's latency on a "
           "platform_file); bandwidth: the bytes first cross SimGrid's flow model (a star of "
           "bandwidth_Bps / link_latency_s links, or platform_file), then the drawn delay is "
           "added"},
          {"enum", {"latency", "bandwidth"}},
          {"default", "latency"}}},
        {"delay",
         {{"description",
           "one-way delay of every message; on a sync network bounded by bound_s; default: "
           "constant 0.001 (0 with a platform_file, whose routes carry the latency)"},
          {"$ref", "#/$defs/distribution"}}},
        {"loss_probability", loss_schema()},
        {"links",
         {{"description", "per-link overrides of delay, loss and fifo; later entries win"},
          {"type", "array"},
          {"items", {{"$ref", "#/$defs/link"}}}}},
        {"synchrony",
         {{"description",
           "async: no bound on delays; sync: every message arrives within bound_s; partial: a "
           "message sent at s arrives by max(s, gst_s) + bound_s"},
          {"enum", {"async", "sync", "partial"}},
          {"default", "async"}}},
        {"bound_s", number("sync and partial only, and required there: the delay bound "
                           "(seconds)",
                           "exclusiveMinimum")},
        {"gst_s", number("partial only: global stabilisation time (seconds)", "minimum")},
        {"bandwidth_Bps", number("model bandwidth only: each node's link to the star's centre "
                                 "(bytes per second)",
                                 "exclusiveMinimum")},
        {"link_latency_s", number("model bandwidth only: latency of that link (seconds)",
                                  "minimum")},
        {"platform_file",
         {{"description",
           "an existing SimGrid platform file routing every pair of hosts, relative to the "
           "scenario's directory; nodes get one host each unless placement says otherwise"},
          {"type", "string"}}},
        {"placement",
         {{"description",
           "platform_file only: which hosts nodes run on; each node follows the last rule that "
           "selects it"},
          {"type", "array"},
          {"items", {{"$ref", "#/$defs/placement_rule"}}}}},
        {"faults",
         {{"description", "scheduled network faults"},
          {"type", "array"},
          {"items", {{"$ref", "#/$defs/fault"}}}}},
        {"pre_gst_delay",
         {{"description",
           "partial only: the delay of messages sent before gst_s (a message still arrives by "
           "gst_s + bound_s)"},
          {"$ref", "#/$defs/distribution"}}},
        {"pre_gst_hold",
         {{"description",
           "partial only: links whose messages sent before gst_s are held until gst_s"},
          {"type", "array"},
          {"items", hold_link}}}}},
      {"allOf",
       {{{"if", when("synchrony", {{"enum", {"sync", "partial"}}})},
         {"then", {{"required", {"bound_s"}}}},
         {"else", {{"properties", {{"bound_s", false}}}}}},
        {{"if", when("synchrony", {{"const", "partial"}})}, {"else", partial_only}},
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
        {{"description",
          "a bound holds for drawn delays only (bandwidth adds transfer time), and fifo needs the "
          "latency model"},
         {"if", when("model", {{"const", "bandwidth"}})},
         {"then",
          {{"properties",
            {{"synchrony", {{"const", "async"}}},
             {"links", {{"items", {{"properties", {{"fifo", {{"const", false}}}}}}}}}}}}},
         {"else", {{"properties", {{"bandwidth_Bps", false}, {"link_latency_s", false}}}}}},
        {{"if", {{"not", {{"required", {"platform_file"}}}}}},
         {"then", {{"properties", {{"placement", false}}}}}}}}};
}

}  // namespace bqsim::schema_detail
