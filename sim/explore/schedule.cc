#include "sim/explore/schedule.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "sim/input/json_reader.h"
#include "sim/input/scenario_reader.h"
#include "sim/model/check.h"

namespace bqsim {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string hex128(const Hash128& h) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 "%016" PRIx64, h.hi, h.lo);
  return buf;
}

std::string fmt_tick(double t) {
  return std::isnan(t) ? std::string("-") : std::to_string(static_cast<uint64_t>(t));
}

// One member of a JSON object, checked, for the errors of a hand-edited schedule.
const json& member(const json& obj, const std::string& key, const std::string& file,
                   const std::string& at, const char* expected,
                   bool (json::*is)() const noexcept) {
  if (!obj.is_object() || !obj.contains(key)) throw InputError(file, at + "/" + key, expected, "nothing");
  const json& v = obj[key];
  if (!(v.*is)()) throw InputError(file, at + "/" + key, expected, describe(v));
  return v;
}

}  // namespace

json report_json(const CheckReport& report, bool passed) {
  json violations = json::array();
  for (const Violation& v : report.violations) {
    violations.push_back({{"kind", v.kind},
                          {"semantics", std::string(to_string(v.semantics))},
                          {"op", v.read},
                          {"detail", v.detail}});
  }
  return {{"passed", passed}, {"safe", report.safe},   {"regular", report.regular},
          {"atomic", report.atomic}, {"stuck", report.stuck}, {"violations", violations}};
}

json schedule_json(const ExploreSystem& system, const ExploreResult& result) {
  BQSIM_CHECK(result.outcome == ExploreResult::Outcome::counterexample && result.report,
              "a schedule needs a counterexample");
  json steps = json::array();
  State s = system.initial();
  for (const Move& m : result.path) {
    const Pending& p = s.pending[m.pending];
    json step = {{"event", system.describe(p)}, {"pending", hex128(p.hash)}};
    if (m.choice != MenuChoice{}) step["choice"] = to_string(m.choice);
    steps.push_back(std::move(step));
    s = system.apply(s, m, nullptr);
  }
  json doc = {{"format", kScheduleFormat},
              {"scenario", system.scenario().resolved},
              {"byzantine_option", nullptr},
              {"byzantine_servers", system.byzantine_servers()},
              {"steps", steps},
              {"verdict", report_json(*result.report, false)}};
  if (system.options().byzantine) doc["byzantine_option"] = *system.options().byzantine;
  if (system.options().mutation != Mutation::none) {
    doc["mutant"] = std::string(mutation_name(system.options().mutation));
  }
  return doc;
}

void write_json_file(const std::string& path, const json& doc) {
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const fs::path tmp = target.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << doc.dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, target);
}

ReplayOutcome replay_schedule(const std::string& path, const Catalog& catalog, std::FILE* out,
                              bool quiet) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "a readable schedule file", "no such file");
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded()) throw InputError(path, "", "a JSON schedule (bqsim explore)", "invalid JSON");
  const json& format = member(doc, "format", path, "", "\"bqsim-schedule/1\"", &json::is_string);
  if (format != kScheduleFormat) throw InputError(path, "/format", "\"bqsim-schedule/1\"", describe(format));
  const json& scenario = member(doc, "scenario", path, "", "the scenario object", &json::is_object);
  const json& steps = member(doc, "steps", path, "", "a list of steps", &json::is_array);

  ExploreOptions opt;
  if (doc.contains("byzantine_option") && !doc["byzantine_option"].is_null()) {
    const json& k = doc["byzantine_option"];
    if (!k.is_number_integer()) throw InputError(path, "/byzantine_option", "an integer or null", describe(k));
    opt.byzantine = k.get<int>();
  }
  if (doc.contains("mutant")) {
    const json& name = member(doc, "mutant", path, "", "a mutant name", &json::is_string);
    const MutationInfo* m = find_mutation(name.get<std::string>());
    if (m == nullptr) throw InputError(path, "/mutant", "a mutant bqsim knows", describe(name));
    opt.mutation = m->mutation;
  }
  const Scenario sc = read_scenario_text(scenario.dump(), path + "#/scenario", {}, catalog);
  const ExploreSystem system(sc, catalog, opt);

  const auto say = [&](const std::string& line) {
    if (!quiet) std::fprintf(out, "%s\n", line.c_str());
  };
  say("replay: " + sc.protocol.name + " n=" + std::to_string(system.n()) +
      " f=" + std::to_string(system.f()) + ", " + std::to_string(steps.size()) + " steps" +
      (opt.mutation != Mutation::none ? ", MUTANT " + std::string(mutation_name(opt.mutation))
                                      : std::string()));
  State s = system.initial();
  std::vector<Logged> log;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string at = "/steps/" + std::to_string(i);
    const json& step = steps[i];
    const std::string want = member(step, "pending", path, at, "a pending event's fingerprint",
                                    &json::is_string).get<std::string>();
    uint32_t index = 0;
    while (index < s.pending.size() && hex128(s.pending[index].hash) != want) ++index;
    if (index == s.pending.size()) {
      throw InputError(path, at + "/pending", "an event pending at this step", quote(want));
    }
    Move m{index, MenuChoice{}, false};
    if (step.contains("choice")) {
      const std::string text = member(step, "choice", path, at, "a menu choice",
                                      &json::is_string).get<std::string>();
      const auto c = parse_menu_choice(text);
      const auto offered = system.choices(s, s.pending[index]);
      if (!c || std::find(offered.begin(), offered.end(), *c) == offered.end()) {
        throw InputError(path, at + "/choice", "a choice the receiver offers here", quote(text));
      }
      m.choice = *c;
    }
    const size_t first = log.size();
    std::string line = "step " + std::to_string(i + 1) + ": " + system.describe(s.pending[index]);
    if (m.choice != MenuChoice{}) line += "  [Byzantine: " + to_string(m.choice) + "]";
    say(line);
    s = system.apply(s, m, &log);
    for (size_t e = first; e < log.size(); ++e) say("    " + system.describe(log[e]));
  }

  ReplayOutcome outcome;
  outcome.terminal = s.pending.empty();
  Recorder rec(system.n(), [&] {
    std::vector<bool> b(static_cast<size_t>(system.n()), false);
    for (NodeId id : system.byzantine_servers()) b[id] = true;
    return b;
  }());
  for (const Logged& e : log) rec.on_event(e.event, e.t);
  rec.finish(s.clock);
  const CheckReport report = check_history(rec.ops());
  outcome.passed = system.passed(report);
  say(std::string("history") + (outcome.terminal ? "" : " (INCOMPLETE: events still pending)") +
      ": op, client, kind, invoked, returned, effective, value, ts, outcome");
  for (const OpRecord& op : rec.ops()) {
    say("  c" + std::to_string(op.op >> 32) + "." + std::to_string(op.op & 0xffffffffULL) + ", c" +
        std::to_string(op.client) + ", " + std::string(to_string(op.kind)) + ", " +
        fmt_tick(op.invoke_s) + ", " + fmt_tick(op.return_s) + ", " +
        (op.kind == OpKind::write ? fmt_tick(op.effective_s) : std::string("-")) + ", " +
        value_label(op.value) + ", " + to_string(op.ts) + ", " +
        std::string(to_string(op.outcome)));
  }
  say(std::string("checker: ") + (outcome.passed ? "pass" : "FAIL") + " (promises " +
      std::string(to_string(system.promised())) + "; safe " + (report.safe ? "held" : "VIOLATED") +
      ", regular " + (report.regular ? "held" : "violated") + ", " +
      std::to_string(report.stuck) + " stuck)");
  for (const Violation& v : report.violations) {
    say("  " + v.kind + " [" + std::string(to_string(v.semantics)) + "]: " + v.detail);
  }
  return outcome;
}

}  // namespace bqsim
