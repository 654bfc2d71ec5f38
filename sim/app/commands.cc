#include "sim/app/commands.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "adversaries/registry.h"
#include "protocols/registry.h"
#include "sim/app/signals.h"
#include "sim/input/scenario_reader.h"
#include "sim/input/sweep.h"
#include "sim/judge/checker.h"
#include "sim/judge/message_trace.h"
#include "sim/run/output.h"
#include "sim/engine/engine.h"
#include "sim/native/native_engine.h"
#include "sim/run/runtime.h"

namespace bqsim::app {
namespace {

Catalog catalog() { return Catalog{&protocol_registry(), &behaviour_registry()}; }

std::string ms(const nlohmann::json& stats, const char* key) {
  if (stats.is_null()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", stats[key].get<double>() * 1e3);
  return buf;
}

void print_summary(const Scenario& sc, const nlohmann::json& s, const RunStats& stats,
                   const std::string& out_dir) {
  const auto& r = s["operations"]["read"];
  const auto& w = s["operations"]["write"];
  const auto& bt = s["messages"]["by_type"];
  auto sent = [&](const char* t) { return bt[t]["sent"].get<double>(); };
  const double reads = r["count"].get<double>(), writes = w["count"].get<double>();
  std::printf("bqsim: %s n=%d f=%d (%s data, promises %s)%s, seed %llu\n", sc.protocol.name.c_str(),
              sc.protocol.n, sc.protocol.f, s["data"].get<std::string>().c_str(),
              s["promised"].get<std::string>().c_str(), sc.unsafe ? " UNSAFE" : "",
              static_cast<unsigned long long>(sc.seed));
  std::printf("  reads : %4.0f, %llu ok, %llu bottom, %llu stuck; latency p50 %s, p99 %s\n", reads,
              r["ok"].get<unsigned long long>(), r["bottom"].get<unsigned long long>(),
              r["timeout"].get<unsigned long long>(), ms(r["latency_s"], "p50").c_str(),
              ms(r["latency_s"], "p99").c_str());
  std::printf("  writes: %4.0f, %llu ok, %llu stuck; return p50 %s, effective completion p50 %s\n",
              writes, w["ok"].get<unsigned long long>(), w["timeout"].get<unsigned long long>(),
              ms(w["latency_s"], "p50").c_str(), ms(w["effective_latency_s"], "p50").c_str());
  std::printf("  messages: %.1f per read, %.1f per write, %llu sent, %llu dropped\n",
              reads > 0 ? (sent("read") + sent("read_reply")) / reads : 0.0,
              writes > 0 ? (sent("ts_query") + sent("ts_reply") + sent("write") + sent("write_ack")) / writes
                         : 0.0,
              s["messages"]["total"]["sent"].get<unsigned long long>(),
              s["messages"]["total"]["dropped"].get<unsigned long long>());
  const auto& c = s["checker"];
  if (c["never_effective"].get<uint64_t>() > 0) {
    std::printf("  writes that returned but never became effective: %llu\n",
                c["never_effective"].get<unsigned long long>());
  }
  uint64_t fault_effects[kFaultEffects] = {};
  for (const auto& f : s["network"]["faults"]) {
    for (size_t e = 0; e < kFaultEffects; ++e) {
      fault_effects[e] += f[effect_name(static_cast<FaultEffect>(e))].get<uint64_t>();
    }
  }
  if (!s["network"]["faults"].empty()) {
    std::printf("  faults: %llu dropped, %llu held (%llu forever), %llu duplicated, %llu delayed\n",
                static_cast<unsigned long long>(fault_effects[0]),
                static_cast<unsigned long long>(fault_effects[1]),
                static_cast<unsigned long long>(fault_effects[2]),
                static_cast<unsigned long long>(fault_effects[3]),
                static_cast<unsigned long long>(fault_effects[4]));
  }
  std::printf("  checker: %s (safe %s, regular %s, atomic %s; %zu violations listed)%s%s\n",
              c["verdict"].get<std::string>().c_str(), c["safe"].get<bool>() ? "held" : "VIOLATED",
              c["regular"].get<bool>() ? "held" : "violated",
              c["atomic"].get<bool>() ? "held" : "violated", c["violations"].size(),
              stats.time_limit_hit ? "; TIME LIMIT HIT" : "",
              stats.message_limit_hit ? "; MESSAGE LIMIT HIT" : "");
  for (const auto& kind : s["byzantine"]["configured_but_never_fired"]) {
    std::printf("  note: %s was configured but never fired\n",
                kind.get<std::string>().c_str());
  }
  std::printf("  %.3f s simulated in %.3f s wall; output in %s\n", stats.sim_end_s,
              stats.wall_clock_s, out_dir.c_str());
}

// Reads the platform file, if any, and places the nodes on its hosts (sim/run/placement.h).
// False after printing the one-line error.
bool load_platform(Scenario& sc, const std::string& file) {
  if (sc.network.platform_file.empty()) return true;
  std::string problem;
  PlatformRoutes routes = read_platform_routes(sc.network.platform_file, problem);
  if (!problem.empty()) {
    std::fprintf(stderr,
                 "error: %s: /network/platform_file: expected a SimGrid platform with hosts, "
                 "got %s\n",
                 file.c_str(), problem.c_str());
    return false;
  }
  try {
    resolve_topology(sc, std::move(routes), file);
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return false;
  }
  return true;
}

}  // namespace

int cmd_run(const RunArgs& args) {
  // At once: a stop from here on (a batch stopping a worker it just started) waits until the
  // handler below runs, then ends the run as every stop does (exit 130/143, no manifest).
  block_stop_signals();
  const Catalog cat = catalog();
  Scenario sc;
  std::string default_out;
  // --engine is the scenario's `engine` field, overridden like any other.
  std::vector<std::string> sets = args.sets;
  if (!args.engine.empty()) sets.push_back("engine=" + args.engine);
  try {
    if (args.point.empty()) {
      ReadOptions opts;
      opts.set_overrides = sets;
      opts.seed = args.seed;
      sc = read_scenario_file(args.scenario, opts, cat);
      default_out = "results/" + sc.name + "/seed-" + std::to_string(sc.seed);
    } else {
      const SweepFile sweep = read_sweep_file(args.scenario, sets, cat);
      const SweepPoint* point = find_point(sweep, args.point);
      if (point == nullptr) {
        throw InputError("--point", "",
                         "a point name or an index below " + std::to_string(sweep.points.size()) +
                             " (bqsim expand " + args.scenario + " lists them)",
                         quote(args.point));
      }
      sc = read_point(sweep, *point, args.seed, sets, cat);
      // The layout of a batch (results/README.md), so a point run by hand lands where the
      // batch runner would put it.
      default_out = "results/" + sweep.dir_name + "/" + point->name + "/seed-" +
                    std::to_string(sc.seed);
    }
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const std::string out = args.out.empty() ? default_out : args.out;
  if (std::filesystem::exists(out) && !std::filesystem::is_directory(out)) {
    std::fprintf(stderr, "error: --out: expected a directory, got the file '%s'\n", out.c_str());
    return 2;
  }
  // load_platform forks a child that runs SimGrid: it must fork while this process has one
  // thread (a fork beside the signal thread can copy a lock held mid-allocation, which
  // deadlocked the child under AddressSanitizer's allocator).
  if (!load_platform(sc, args.scenario)) return 2;
  // Then, before SimGrid starts any thread: Ctrl-C must not reach SimGrid's handler.
  handle_stop_signals();
  const ProtocolDescription* proto = cat.find_protocol(sc.protocol.name);
  const QuorumFamily family = proto->family(sc.protocol.options);

  std::vector<bool> byzantine(sc.protocol.n, false);
  for (const auto& b : sc.byzantine) {
    for (NodeId s : b.servers) byzantine[s] = true;
  }
  Recorder recorder(sc.protocol.n, byzantine);
  MessageTrace message_trace(sc.protocol.n);
  if (args.trace_messages) recorder.set_message_trace(&message_trace);
  const auto start = std::chrono::steady_clock::now();
  RunStats stats;
  {
    Runtime runtime(sc, cat, recorder);
    stats = sc.engine == EngineKind::native ? run_native(runtime) : run_simgrid(runtime);
  }
  recorder.finish(stats.sim_end_s);
  const CheckReport report = check_history(recorder.ops());
  stats.wall_clock_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outputs_begin(out);
  try {
    write_run_outputs(out, sc, family, recorder, report, stats,
                      BuildInfo{BQSIM_VERSION, simgrid_version(),
                                sc.engine == EngineKind::native ? "native" : "simgrid"},
                      &manifest_lock());
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "error: --out: expected a writable directory, got %s\n", e.what());
    return 2;
  }
  if (!args.quiet) {
    print_summary(sc, summary_json(sc, family, recorder, report, stats), stats, out);
  }
  return run_passed(report, stats, recorder, promised_semantics(family)) ? 0 : 1;
}

int cmd_validate(const std::string& scenario, const std::vector<std::string>& sets) {
  try {
    ReadOptions opts;
    opts.set_overrides = sets;
    opts.allow_sweep = true;
    Scenario sc = read_scenario_file(scenario, opts, catalog());
    // The placement needs the platform's hosts: checked as `run` would (the first sweep run).
    if (!load_platform(sc, scenario)) return 2;
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  std::printf("ok\n");
  return 0;
}

}  // namespace bqsim::app
