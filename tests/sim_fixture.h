// Helpers for simulation tests: write a scenario, run `bqsim run` on it in a subprocess, and
// read back ops.csv, messages.csv and summary.json.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/subprocess.h"

namespace bqsim::test {

struct OpRow {
  std::string kind, value, ts, outcome;
  double invoke_s = 0, return_s = -1, effective_s = -1, latency_s = -1;
  int retransmissions = 0;
  uint64_t op_id = 0;
  int client = -1;
  std::string key;
  bool slow = false;  // ended by a time-out (sync-threshold, PROTOCOLS.md §5)
};

// One row of buffers.csv (finite buffers, PROTOCOLS.md §5).
struct BufferRow {
  double t_s = 0;
  int client = -1;
  int in_use = 0;
  int capacity = 0;
};

struct SimRun {
  int exit_code = -1;
  std::string err;
  std::vector<OpRow> ops;
  std::map<std::string, nlohmann::json> messages;  // type -> {sent, delivered, ...}
  nlohmann::json summary;
  std::string ops_csv, messages_csv, summary_json, buffers_csv;
  // events.csv (always written), placement.csv and latencies.csv (platform runs, else empty).
  std::string events_csv, placement_csv, latencies_csv;
  bool has_manifest = false;
  std::vector<BufferRow> buffers;  // empty when the run wrote no buffers.csv

  // Members rather than free functions, so that argument-dependent lookup never makes them
  // collide with a test file's own helpers taking a SimRun.
  // messages.csv figures of one type (the retransmissions column: 0 if absent).
  uint64_t delivered_of(const std::string& type) const {
    return messages.at(type).at("delivered").get<uint64_t>();
  }
  uint64_t sent_of(const std::string& type) const {
    return messages.at(type).at("sent").get<uint64_t>();
  }
  uint64_t retransmissions_of(const std::string& type) const {
    return messages.at(type).value("retransmissions", uint64_t{0});
  }
  // Any numeric messages.csv column by its header name (fault_dropped, held, ...).
  uint64_t column_of(const std::string& type, const std::string& column) const {
    return messages.at(type).at(column).get<uint64_t>();
  }
  // Operations of one kind ("read" or "write") in ops.csv.
  uint64_t ops_of_kind(const std::string& kind) const {
    uint64_t k = 0;
    for (const auto& op : ops) k += op.kind == kind;
    return k;
  }
};

inline std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

inline double cell(const std::string& s) { return s.empty() ? -1 : std::stod(s); }

// A minimal valid scenario to start from: one client, constant 1 ms delay, no faults.
inline nlohmann::json base_scenario(const std::string& protocol, int f) {
  return {{"name", "test"},
          {"seed", 1},
          {"protocol", {{"name", protocol}, {"f", f}}},
          {"workload", {{"clients", 1}, {"ops_per_client", 20}, {"read_fraction", 0.5}}},
          {"network", {{"delay", {{"dist", "constant"}, {"value_s", 0.001}}}}}};
}

// The engine simulation tests run on: BQSIM_TEST_ENGINE ("simgrid" or "native") when set, so
// that ctest runs the simulation tests once per engine; else bqsim's default.
inline std::string test_engine() {
  const char* e = std::getenv("BQSIM_TEST_ENGINE");
  return e != nullptr ? e : "";
}

inline SimRun simulate(const nlohmann::json& scenario, const std::vector<std::string>& extra = {}) {
  static int counter = 0;
  const auto dir = temp_dir("sim" + std::to_string(counter++));
  const auto file = dir / "scenario.json";
  {
    std::ofstream out(file);
    out << scenario.dump(2);
  }
  std::vector<std::string> args = {"run", file.string(), "--out", (dir / "out").string(), "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  const bool engine_given = std::find(extra.begin(), extra.end(), "--engine") != extra.end();
  if (!engine_given && !test_engine().empty()) {
    args.push_back("--engine");
    args.push_back(test_engine());
  }
  const ProcessResult p = run_bqsim(args);
  SimRun r;
  r.exit_code = p.exit_code;
  r.err = p.err;
  r.has_manifest = std::filesystem::exists(dir / "out" / "manifest.json");
  if (r.has_manifest) {
    r.ops_csv = read_text(dir / "out" / "ops.csv");
    r.messages_csv = read_text(dir / "out" / "messages.csv");
    r.summary_json = read_text(dir / "out" / "summary.json");
    r.summary = nlohmann::json::parse(r.summary_json);
    std::istringstream ops(r.ops_csv);
    std::string line;
    std::getline(ops, line);  // header
    while (std::getline(ops, line)) {
      const auto c = split(line, ',');
      OpRow row;
      row.kind = c[3];
      row.invoke_s = cell(c[4]);
      row.return_s = cell(c[5]);
      row.effective_s = cell(c[6]);
      row.latency_s = cell(c[7]);
      row.value = c[8];
      row.ts = c[9];
      row.outcome = c[10];
      row.retransmissions = std::stoi(c[12]);
      row.op_id = std::stoull(c[0]);
      row.client = std::stoi(c[1]);
      row.key = c[2];
      row.slow = c[11] == "1";
      r.ops.push_back(row);
    }
    const auto optional_text = [&](const char* name) {
      const auto path = dir / "out" / name;
      return std::filesystem::exists(path) ? read_text(path) : std::string();
    };
    r.events_csv = optional_text("events.csv");
    r.placement_csv = optional_text("placement.csv");
    r.latencies_csv = optional_text("latencies.csv");
    std::istringstream msgs(r.messages_csv);
    std::getline(msgs, line);
    const auto header = split(line, ',');
    while (std::getline(msgs, line)) {
      const auto c = split(line, ',');
      // type,sent,delivered,dropped,bytes (INTERFACE.md), then direction,retransmissions.
      r.messages[c[0]] = {{"sent", std::stoull(c[1])},
                          {"delivered", std::stoull(c[2])},
                          {"dropped", std::stoull(c[3])},
                          {"bytes", std::stoull(c[4])}};
      r.messages[c[0]]["direction"] = c[5];
      if (c.size() > 6) r.messages[c[0]]["retransmissions"] = std::stoull(c[6]);
      for (size_t i = 7; i < c.size() && i < header.size(); ++i) {
        r.messages[c[0]][header[i]] = std::stoull(c[i]);
      }
    }
    if (std::filesystem::exists(dir / "out" / "buffers.csv")) {
      r.buffers_csv = read_text(dir / "out" / "buffers.csv");
      std::istringstream buf(r.buffers_csv);
      std::getline(buf, line);  // header t_s,client,in_use,capacity
      while (std::getline(buf, line)) {
        const auto c = split(line, ',');
        r.buffers.push_back({std::stod(c[0]), std::stoi(c[1]), std::stoi(c[2]), std::stoi(c[3])});
      }
    }
  }
  std::filesystem::remove_all(dir);
  return r;
}

inline uint64_t sent(const SimRun& r, const std::string& type) {
  return r.messages.at(type)["sent"].get<uint64_t>();
}

inline bool has_violation(const SimRun& r, const std::string& kind) {
  for (const auto& v : r.summary["checker"]["violations"]) {
    if (v["kind"] == kind) return true;
  }
  return false;
}

}  // namespace bqsim::test
