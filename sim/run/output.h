// Writes the files of one run (INTERFACE.md "Outputs of one run"): ops.csv, messages.csv and
// summary.json, each to a temporary name renamed into place, then manifest.json last. A
// directory without a manifest is an incomplete run.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/judge/checker.h"
#include "sim/model/protocol.h"
#include "sim/input/scenario.h"
#include "sim/judge/trace.h"

namespace bqsim {

struct RunStats {
  double sim_end_s = 0;            // simulated time when the run ended
  bool time_limit_hit = false;     // limits.max_sim_time_s reached with work pending
  bool message_limit_hit = false;  // limits.max_messages reached
  uint64_t events = 0;             // messages and timers handled
  double wall_clock_s = 0;
  // How the engine held the run's pending events (manifest.json only: they differ between
  // engines, the traces do not): the most pending at once, and the bytes its queues held.
  uint64_t peak_pending_events = 0;
  uint64_t queue_bytes = 0;
};

struct BuildInfo {
  std::string bqsim_version;
  std::string simgrid_version;
  std::string engine;  // "simgrid" or "native": in the manifest, never in the summary
};

// The run's verdict: the promised semantics held, nothing was stuck, no limit was hit and no
// client's buffer pool overflowed.
bool run_passed(const CheckReport& report, const RunStats& stats, const Recorder& recorder,
                Semantics promised);

// Removes a previous run's manifest from `dir` first, so a crash part-way never leaves new
// files beside an old manifest. The manifest is put in place while holding `manifest_lock`
// (if given), so that a stop holding it can tell whether the manifest is there. Throws
// std::runtime_error when a file cannot be written.
void write_run_outputs(const std::filesystem::path& dir, const Scenario& scenario,
                       QuorumFamily family, const Recorder& recorder, const CheckReport& report,
                       const RunStats& stats, const BuildInfo& build,
                       std::mutex* manifest_lock = nullptr);

// Pieces, exposed for tests.
std::string ops_csv(const std::vector<OpRecord>& ops);
// With `network`, bqsim's fault columns follow: fault_dropped, held, held_forever,
// duplicated, delayed (zeros without it).
std::string messages_csv(const std::array<MessageCounters, kMessageTypes>& counters,
                         const NetworkStats* network = nullptr);
std::string buffers_csv(const std::vector<BufferSample>& samples);
nlohmann::json summary_json(const Scenario& scenario, QuorumFamily family,
                            const Recorder& recorder, const CheckReport& report,
                            const RunStats& stats);
// The network's files and summary section (output_network.cc): events.csv
// (kind,from_s,until_s,detail: one row per fault window, and the pre-GST period of a partial
// network; until_s empty when open-ended), and, with a platform (REQUIRES topology set),
// placement.csv (node,host) and latencies.csv (from_host,to_host,latency_s between the hosts
// that hold nodes).
std::string events_csv(const Scenario& scenario);
std::string placement_csv(const Scenario& scenario);
std::string latencies_csv(const Scenario& scenario);
nlohmann::json network_summary_json(const Scenario& scenario, const Recorder& recorder);
// Writes `text` to dir/name through a temporary file and a rename.
void write_atomically(const std::filesystem::path& dir, const std::string& name,
                      const std::string& text);
// The same, streamed: for outputs too large to hold as one string (the message trace).
void write_atomically(const std::filesystem::path& dir, const std::string& name,
                      const std::function<void(std::ostream&)>& write);

}  // namespace bqsim
