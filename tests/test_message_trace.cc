// The per-message trace (`bqsim run --trace-messages`, messages_trace.csv): the class on its own,
// then whole runs in a subprocess, where the trace must hold exactly the messages sent, each
// delivered one constant delay after it left, lost ones marked dropped, and nothing changes
// when the flag is off.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/judge/message_trace.h"
#include "tests/sim_fixture.h"

using bqsim::test::base_scenario;
using bqsim::test::read_text;
using bqsim::test::run_bqsim;
using bqsim::test::split;
using bqsim::test::temp_dir;
using nlohmann::json;

namespace {

struct TraceRow {
  double send_s = 0, deliver_s = -1;
  std::string outcome, from, to, type, ts;
  uint64_t op = 0;
  bool retransmission = false;
};

struct TracedRun {
  int exit_code = -1;
  std::string err, trace_text, ops_csv, messages_csv, summary;
  std::vector<TraceRow> trace;
  std::map<std::string, std::vector<uint64_t>> counts;  // messages.csv: sent, delivered, dropped
  std::set<uint64_t> op_ids;                              // ops.csv
  json manifest;
  bool has_trace = false;
};

TracedRun run(const json& scenario, bool trace, const std::string& tag) {
  const auto dir = temp_dir("mtrace-" + tag);
  const auto file = dir / "scenario.json";
  std::ofstream(file) << scenario.dump(2);
  std::vector<std::string> args = {"run", file.string(), "--out", (dir / "out").string(), "-q"};
  if (trace) args.push_back("--trace-messages");
  const auto p = run_bqsim(args);
  TracedRun r;
  r.exit_code = p.exit_code;
  r.err = p.err;
  const auto out = dir / "out";
  r.ops_csv = read_text(out / "ops.csv");
  r.messages_csv = read_text(out / "messages.csv");
  r.summary = read_text(out / "summary.json");
  r.manifest = json::parse(read_text(out / "manifest.json"));
  r.has_trace = std::filesystem::exists(out / "messages_trace.csv");
  std::string line;
  std::istringstream ops(r.ops_csv);
  std::getline(ops, line);
  while (std::getline(ops, line)) r.op_ids.insert(std::stoull(split(line, ',')[0]));
  std::istringstream msgs(r.messages_csv);
  std::getline(msgs, line);
  while (std::getline(msgs, line)) {
    const auto c = split(line, ',');
    r.counts[c[0]] = {std::stoull(c[1]), std::stoull(c[2]), std::stoull(c[3])};
  }
  if (r.has_trace) {
    r.trace_text = read_text(out / "messages_trace.csv");
    std::istringstream t(r.trace_text);
    std::getline(t, line);
    REQUIRE(line == "send_s,deliver_s,outcome,from,to,type,op_id,ts,retransmission");
    while (std::getline(t, line)) {
      const auto c = split(line, ',');
      REQUIRE(c.size() == 9);
      TraceRow row;
      row.send_s = std::stod(c[0]);
      row.deliver_s = c[1].empty() ? -1 : std::stod(c[1]);
      row.outcome = c[2];
      row.from = c[3];
      row.to = c[4];
      row.type = c[5];
      row.op = std::stoull(c[6]);
      row.ts = c[7];
      row.retransmission = c[8] == "1";
      r.trace.push_back(row);
    }
  }
  std::filesystem::remove_all(dir);
  return r;
}

bool is_request(const std::string& type) {
  return type == "ts_query" || type == "read" || type == "write";
}

}  // namespace

TEST_CASE("the message trace records sends, deliveries, losses and messages in flight",
          "[trace]") {
  // Two servers (ids 0, 1), clients from id 2. One read request delivered, one reply lost,
  // one write still in flight when the run ends.
  bqsim::MessageTrace t(2);
  t.on_send(0.5, 2, 0, bqsim::ReadRequest{7, 0}, 0, false, false);
  t.on_send(0.75, 0, 2, bqsim::ReadReply{7, 0, {0, {3, 1}, 0}}, 0, true, true);
  t.on_send(1.0, 3, 1, bqsim::WriteRequest{9, 0, {0, {4, 2}, 0}}, 5, false, false);
  t.on_deliver(2, 0, 0.625);
  t.on_deliver(1, 99, 2.0);  // not a traced send: ignored
  CHECK(t.csv() ==
        "send_s,deliver_s,outcome,from,to,type,op_id,ts,retransmission\n"
        "0.5,0.625,delivered,client:0,server:0,read,7,,0\n"
        "0.75,,dropped,server:0,client:0,read_reply,7,3.1,1\n"
        "1,,in-flight,client:1,server:1,write,9,4.2,0\n");
}

TEST_CASE("the trace holds exactly the sent messages, each delivered one constant delay later",
          "[sim][trace]") {
  // Constant delay d, no loss: every message is delivered exactly d after it was sent, and
  // the trace has as many rows of each type as messages.csv counts sends.
  const double d = 0.0125;
  for (const std::string protocol : {"sbq-masking", "mr-masking"}) {
    CAPTURE(protocol);
    json sc = base_scenario(protocol, 1);
    sc["workload"]["clients"] = 2;
    sc["workload"]["ops_per_client"] = 12;
    sc["network"]["delay"]["value_s"] = d;
    const TracedRun r = run(sc, true, protocol);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.has_trace);
    std::map<std::string, uint64_t> rows;
    for (const auto& m : r.trace) {
      ++rows[m.type];
      CHECK(m.outcome == "delivered");
      CHECK(std::abs(m.deliver_s - m.send_s - d) < 1e-9);
      CHECK(r.op_ids.count(m.op) == 1);
      CHECK((is_request(m.type) ? m.from : m.to).rfind("client:", 0) == 0);
      CHECK((is_request(m.type) ? m.to : m.from).rfind("server:", 0) == 0);
      // Replies and writes carry a timestamp; requests for one do not.
      CHECK(m.ts.empty() == (m.type == "ts_query" || m.type == "read"));
    }
    uint64_t total = 0;
    for (const auto& [type, c] : r.counts) {
      CAPTURE(type);
      CHECK(rows[type] == c[0]);
      total += c[0];
    }
    CHECK(r.trace.size() == total);
    CHECK(total > 0);
    const auto files = r.manifest["files"];
    CHECK(std::find(files.begin(), files.end(), "messages_trace.csv") != files.end());
  }
}

TEST_CASE("lost messages are traced as dropped and never delivered", "[sim][trace]") {
  json sc = base_scenario("u-masking", 1);
  sc["workload"]["ops_per_client"] = 30;
  sc["network"]["loss_probability"] = 0.2;
  const TracedRun r = run(sc, true, "lossy");
  REQUIRE(r.exit_code == 0);
  uint64_t sent = 0, delivered = 0, dropped = 0, traced_dropped = 0, traced_delivered = 0;
  for (const auto& [type, c] : r.counts) {
    sent += c[0];
    delivered += c[1];
    dropped += c[2];
  }
  bool resent = false;
  for (const auto& m : r.trace) {
    if (m.outcome == "dropped") {
      ++traced_dropped;
      CHECK(m.deliver_s < 0);
    } else {
      REQUIRE(m.outcome == "delivered");
      ++traced_delivered;
      CHECK(std::abs(m.deliver_s - m.send_s - 0.001) < 1e-9);
    }
    resent |= m.retransmission;
  }
  CHECK(dropped > 0);
  CHECK(resent);
  CHECK(r.trace.size() == sent);
  CHECK(traced_dropped == dropped);
  CHECK(traced_delivered == delivered);
}

TEST_CASE("without --trace-messages nothing is traced and the other outputs are unchanged",
          "[sim][trace]") {
  json sc = base_scenario("sbq-masking", 1);
  sc["network"]["delay"] = {{"dist", "exponential"}, {"mean_s", 0.001}};
  const TracedRun off = run(sc, false, "off");
  const TracedRun on = run(sc, true, "on");
  const TracedRun again = run(sc, true, "again");
  REQUIRE(off.exit_code == 0);
  CHECK_FALSE(off.has_trace);
  const auto files = off.manifest["files"];
  CHECK(std::find(files.begin(), files.end(), "messages_trace.csv") == files.end());
  CHECK(on.ops_csv == off.ops_csv);
  CHECK(on.messages_csv == off.messages_csv);
  CHECK(on.summary == off.summary);
  CHECK(on.trace_text == again.trace_text);  // same scenario and seed: the same bytes
}
