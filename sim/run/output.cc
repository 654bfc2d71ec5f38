#include "sim/run/output.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "sim/judge/message_trace.h"

namespace bqsim {
namespace {

// 12 significant digits: enough for nanoseconds over hours of simulated time, and the same
// bytes for the same run on every machine with IEEE doubles.
// std::to_chars rather than printf: the same text as "%.12g", several times faster, and
// independent of the C locale.
std::string num(double x) {
  if (std::isnan(x)) return "";
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
  return std::string(buf, r.ptr);
}

void append_num(std::string& s, double x) {
  if (std::isnan(x)) return;
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
  s.append(buf, r.ptr);
}

void append_uint(std::string& s, uint64_t x) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  s.append(buf, r.ptr);
}

// value_label()'s text ("init", "c3.17", "forged:1a2b"), appended.
void append_value_label(std::string& s, ValueId v) {
  if (v == kInitialValue || (v & kForgedBit) != 0) {
    s += value_label(v);
    return;
  }
  s += 'c';
  append_uint(s, (v >> 32) - 1);
  s += '.';
  append_uint(s, v & 0xffffffffULL);
}

nlohmann::json json_num(double x) {
  if (std::isnan(x) || std::isinf(x)) return nullptr;
  return x;
}

// Nearest-rank percentile of sorted values. REQUIRES: !sorted.empty(), 0 < p <= 100.
double percentile(const std::vector<double>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

nlohmann::json latency_stats(std::vector<double> xs) {
  if (xs.empty()) return nullptr;
  std::sort(xs.begin(), xs.end());
  double sum = 0;
  for (double x : xs) sum += x;
  return {{"mean", sum / static_cast<double>(xs.size())},
          {"p50", percentile(xs, 50)},
          {"p90", percentile(xs, 90)},
          {"p99", percentile(xs, 99)},
          {"max", xs.back()}};
}

nlohmann::json op_summary(const std::vector<OpRecord>& ops, OpKind kind) {
  uint64_t count = 0, ok = 0, bottom = 0, timeout = 0, slow = 0, retrans = 0;
  std::vector<double> latency, effective, lag;
  for (const auto& op : ops) {
    if (op.kind != kind) continue;
    ++count;
    retrans += op.retransmissions;
    if (op.slow) ++slow;
    switch (op.returned() ? op.outcome : Outcome::timeout) {
      case Outcome::ok: ++ok; break;
      case Outcome::bottom: ++bottom; break;
      case Outcome::timeout: ++timeout; break;
    }
    if (op.returned() && op.outcome != Outcome::timeout) latency.push_back(op.return_s - op.invoke_s);
    if (kind == OpKind::write && op.effective()) {
      effective.push_back(op.effective_s - op.invoke_s);
      if (op.returned()) lag.push_back(op.effective_s - op.return_s);
    }
  }
  nlohmann::json j = {{"count", count},     {"ok", ok},     {"bottom", bottom},
                      {"timeout", timeout}, {"slow", slow}, {"retransmissions", retrans},
                      {"latency_s", latency_stats(latency)}};
  if (kind == OpKind::write) {
    j["effective_latency_s"] = latency_stats(effective);
    // How far apart return and effective completion were (PROTOCOLS.md §2): positive for SBQ.
    j["effective_minus_return_s"] = latency_stats(lag);
  }
  return j;
}

}  // namespace

std::string ops_csv(const std::vector<OpRecord>& ops) {
  // Appended in place: large runs list millions of operations, and building each cell as its
  // own string cost more than the simulation of a small run.
  std::string s =
      "op_id,client,key,kind,invoke_s,return_s,effective_s,latency_s,value,ts,outcome,slow,"
      "retransmissions\n";
  s.reserve(s.size() + ops.size() * 96);
  for (const auto& op : ops) {
    // A write that never returned has no timestamp yet: its value is known, its ts is not.
    const bool has_value = op.kind == OpKind::write || (op.returned() && op.outcome == Outcome::ok);
    const bool has_ts = op.returned() && op.outcome == Outcome::ok;
    append_uint(s, op.op);
    s += ',';
    append_uint(s, op.client);
    s += ',';
    append_uint(s, op.key);
    s += ',';
    s += to_string(op.kind);
    s += ',';
    append_num(s, op.invoke_s);
    s += ',';
    append_num(s, op.return_s);
    s += ',';
    append_num(s, op.effective_s);
    s += ',';
    if (op.returned()) append_num(s, op.return_s - op.invoke_s);
    s += ',';
    if (has_value) append_value_label(s, op.value);
    s += ',';
    if (has_ts) {
      append_uint(s, op.ts.counter);
      s += '.';
      append_uint(s, op.ts.writer);
    }
    s += ',';
    s += to_string(op.returned() ? op.outcome : Outcome::timeout);
    s += op.slow ? ",1," : ",0,";
    append_uint(s, op.retransmissions);
    s += '\n';
  }
  return s;
}

std::string messages_csv(const std::array<MessageCounters, kMessageTypes>& counters,
                         const NetworkStats* network) {
  // INTERFACE.md's columns first, in its order; bqsim's additions after them.
  std::string s =
      "type,sent,delivered,dropped,bytes,direction,retransmissions,fault_dropped,held,"
      "held_forever,duplicated,delayed\n";
  for (size_t i = 0; i < kMessageTypes; ++i) {
    const auto t = static_cast<MessageType>(i);
    const auto& c = counters[i];
    s += std::string(type_name(t)) + ',' + std::to_string(c.sent) + ',' +
         std::to_string(c.delivered) + ',' + std::to_string(c.dropped) + ',' +
         std::to_string(c.bytes) + ',' + (is_request(t) ? "client->server" : "server->client") +
         ',' + std::to_string(c.retransmissions);
    for (size_t e = 0; e < kFaultEffects; ++e) {
      s += ',' + std::to_string(network ? network->of_type(t, static_cast<FaultEffect>(e)) : 0);
    }
    s += '\n';
  }
  return s;
}

bool run_passed(const CheckReport& report, const RunStats& stats, const Recorder& recorder,
                Semantics promised) {
  return report.passed(promised) && !stats.time_limit_hit && !stats.message_limit_hit &&
         !recorder.buffer_overflow();
}

std::string buffers_csv(const std::vector<BufferSample>& samples) {
  std::string s = "t_s,client,in_use,capacity\n";
  for (const auto& b : samples) {
    s += num(b.t_s) + ',' + std::to_string(b.client) + ',' + std::to_string(b.in_use) + ',' +
         std::to_string(b.capacity) + '\n';
  }
  return s;
}

nlohmann::json summary_json(const Scenario& sc, QuorumFamily family, const Recorder& rec,
                            const CheckReport& report, const RunStats& stats) {
  const Semantics promised = promised_semantics(family);
  const auto& ops = rec.ops();
  MessageCounters total;
  nlohmann::json by_type = nlohmann::json::object();
  for (size_t i = 0; i < kMessageTypes; ++i) {
    const auto& c = rec.messages()[i];
    total.sent += c.sent;
    total.delivered += c.delivered;
    total.dropped += c.dropped;
    total.bytes += c.bytes;
    total.retransmissions += c.retransmissions;
    by_type[std::string(type_name(static_cast<MessageType>(i)))] = {
        {"sent", c.sent}, {"delivered", c.delivered}, {"dropped", c.dropped},
        {"bytes", c.bytes}, {"retransmissions", c.retransmissions}};
    for (size_t e = 0; e < kFaultEffects; ++e) {
      const auto effect = static_cast<FaultEffect>(e);
      const std::string key = e == 0 ? "fault_dropped" : effect_name(effect);
      by_type[std::string(type_name(static_cast<MessageType>(i)))][key] =
          rec.network().of_type(static_cast<MessageType>(i), effect);
    }
  }
  const double n_ops = static_cast<double>(std::max<size_t>(ops.size(), 1));
  // Messages and bytes sent by the phases of each kind of operation, per operation of that kind
  // (retransmissions included; null when the run has no operation of that kind).
  std::array<MessageCounters, 2> by_kind{};
  for (size_t i = 0; i < kMessageTypes; ++i) {
    const auto& c = rec.messages()[i];
    auto& k = by_kind[static_cast<size_t>(operation_of(static_cast<MessageType>(i)))];
    k.sent += c.sent;
    k.bytes += c.bytes;
  }
  const auto per_kind = [&](OpKind kind) -> nlohmann::json {
    const auto count = std::count_if(ops.begin(), ops.end(),
                                     [kind](const OpRecord& op) { return op.kind == kind; });
    if (count == 0) return nullptr;
    const auto& k = by_kind[static_cast<size_t>(kind)];
    return {{"messages", static_cast<double>(k.sent) / static_cast<double>(count)},
            {"bytes", static_cast<double>(k.bytes) / static_cast<double>(count)}};
  };

  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : report.violations) {
    violations.push_back({{"semantics", std::string(to_string(v.semantics))},
                          {"kind", v.kind},
                          {"op", v.read},
                          {"involved", v.involved},
                          {"detail", v.detail}});
  }
  const QuorumSizes q = quorum_sizes(family, sc.protocol.n, sc.protocol.f, sc.protocol.options.t);

  nlohmann::json byz_servers = nlohmann::json::array();
  // A behaviour that never touched traffic on a server tested nothing there: say so, per server
  // ("forge on server 2"), so one idle colluder is not hidden by another that fired.
  nlohmann::json unfired = nlohmann::json::array();
  for (const auto& b : sc.byzantine) {
    for (NodeId s : b.servers) {
      byz_servers.push_back(s);
      for (const auto& beh : b.behaviours) {
        if (rec.fired_at(s, beh.kind) == 0) {
          unfired.push_back(beh.kind + " on server " + std::to_string(s));
        }
      }
    }
  }

  std::string verdict = run_passed(report, stats, rec, promised) ? "pass" : "violation";
  return {
      // No file path: it differs between copies of one scenario, and summary.json must be
      // byte-identical for the same scenario and seed. The manifest names the file.
      {"scenario", {{"name", sc.name}, {"hash", sc.hash}}},
      {"protocol", sc.protocol.name},
      {"n", sc.protocol.n},
      {"f", sc.protocol.f},
      {"seed", sc.seed},
      {"unsafe", sc.unsafe},
      {"data", std::string(to_string(data_kind(family)))},
      {"promised", std::string(to_string(promised))},
      {"quorum",
       {{"n_min", q.n_min},
        {"read_replies", q.read_replies},
        {"ts_replies", q.ts_replies},
        {"write_reach", q.write_reach},
        {"write_acks", q.write_acks},
        {"vouch", q.vouch}}},
      {"operations", {{"read", op_summary(ops, OpKind::read)},
                      {"write", op_summary(ops, OpKind::write)}}},
      {"messages",
       {{"total",
         {{"sent", total.sent},
          {"delivered", total.delivered},
          {"dropped", total.dropped},
          {"bytes", total.bytes},
          {"retransmissions", total.retransmissions}}},
        {"per_operation",
         {{"messages", static_cast<double>(total.sent) / n_ops},
          {"bytes", static_cast<double>(total.bytes) / n_ops}}},
        {"per_read", per_kind(OpKind::read)},
        {"per_write", per_kind(OpKind::write)},
        {"by_type", by_type}}},
      {"checker",
       {{"verdict", verdict},
        {"promised", std::string(to_string(promised))},
        {"safe", report.safe},
        {"regular", report.regular},
        {"atomic", report.atomic},
        {"stuck", report.stuck},
        {"never_effective", report.never_effective},
        {"time_limit_hit", stats.time_limit_hit},
        {"message_limit_hit", stats.message_limit_hit},
        {"violations", violations}}},
      {"byzantine",
       {{"servers", byz_servers}, {"fired", rec.fired()}, {"configured_but_never_fired", unfired}}},
      {"buffers",
       {{"samples", rec.buffer_samples().size()},
        {"max_in_use", rec.max_buffers_in_use()},
        {"overflow", rec.buffer_overflow()}}},
      {"network", network_summary_json(sc, rec)},
      {"sim_end_s", json_num(stats.sim_end_s)},
      {"events", stats.events},
      // No wall-clock time here: summary.json stays byte-identical for a given scenario and
      // seed; the manifest carries the duration.
  };
}

void write_atomically(const std::filesystem::path& dir, const std::string& name,
                      const std::string& text) {
  write_atomically(dir, name, [&](std::ostream& out) { out << text; });
}

void write_atomically(const std::filesystem::path& dir, const std::string& name,
                      const std::function<void(std::ostream&)>& write) {
  const auto tmp = dir / ("." + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    write(out);
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, dir / name, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp.string() + ": " + ec.message());
}

void write_run_outputs(const std::filesystem::path& dir, const Scenario& sc, QuorumFamily family,
                       const Recorder& rec, const CheckReport& report, const RunStats& stats,
                       const BuildInfo& build, std::mutex* manifest_lock) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  std::filesystem::remove(dir / "manifest.json", ec);
  std::filesystem::remove(dir / "buffers.csv", ec);  // optional: a rerun may not write it
  std::filesystem::remove(dir / "placement.csv", ec);
  std::filesystem::remove(dir / "latencies.csv", ec);
  std::filesystem::remove(dir / "messages_trace.csv", ec);
  write_atomically(dir, "ops.csv", ops_csv(rec.ops()));
  write_atomically(dir, "messages.csv", messages_csv(rec.messages(), &rec.network()));
  write_atomically(dir, "summary.json", summary_json(sc, family, rec, report, stats).dump(2) + "\n");
  write_atomically(dir, "scenario.resolved.json", sc.resolved.dump(2) + "\n");
  nlohmann::json files = {"ops.csv", "messages.csv", "summary.json", "scenario.resolved.json"};
  write_atomically(dir, "events.csv", events_csv(sc));
  files.push_back("events.csv");
  if (sc.network.topology) {
    write_atomically(dir, "placement.csv", placement_csv(sc));
    write_atomically(dir, "latencies.csv", latencies_csv(sc));
    files.push_back("placement.csv");
    files.push_back("latencies.csv");
  }
  if (!rec.buffer_samples().empty()) {
    write_atomically(dir, "buffers.csv", buffers_csv(rec.buffer_samples()));
    files.push_back("buffers.csv");
  }
  if (const MessageTrace* mt = rec.message_trace()) {
    write_atomically(dir, "messages_trace.csv", [&](std::ostream& out) { mt->write_csv(out); });
    files.push_back("messages_trace.csv");
  }
  const nlohmann::json manifest = {
      {"bqsim_version", build.bqsim_version},
      {"simgrid_version", build.simgrid_version},
      {"engine", build.engine},
      {"scenario_file", sc.source_file},
      {"scenario_hash", sc.hash},
      {"seed", sc.seed},
      {"wall_clock_s", stats.wall_clock_s},
      {"engine_stats",
       {{"peak_pending_events", stats.peak_pending_events}, {"queue_bytes", stats.queue_bytes}}},
      {"files", files},
  };
  std::unique_lock<std::mutex> placing;
  if (manifest_lock != nullptr) placing = std::unique_lock<std::mutex>(*manifest_lock);
  write_atomically(dir, "manifest.json", manifest.dump(2) + "\n");
}

}  // namespace bqsim
