#include "sim/judge/message_trace.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace bqsim {
namespace {

// The timestamp a message carries, if any: replies and writes carry one, requests do not.
bool ts_of(const Message& m, Timestamp& ts) {
  if (const auto* r = std::get_if<TsReply>(&m)) ts = r->ts;
  else if (const auto* r = std::get_if<ReadReply>(&m)) ts = r->pair.ts;
  else if (const auto* r = std::get_if<WriteRequest>(&m)) ts = r->pair.ts;
  else if (const auto* r = std::get_if<WriteAck>(&m)) ts = r->ts;
  else return false;
  return true;
}

// The same text as ops.csv's times: 12 significant digits, locale-independent.
std::string num(double x) {
  if (std::isnan(x)) return "";
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
  return std::string(buf, r.ptr);
}

}  // namespace

void MessageTrace::on_send(double send_s, NodeId from, NodeId to, const Message& m,
                           uint64_t counter, bool retransmission, bool lost) {
  Row row{send_s, std::numeric_limits<double>::quiet_NaN(), from, to, type_of(m), op_of(m),
          false, Timestamp{}, retransmission, lost};
  row.has_ts = ts_of(m, row.ts);
  if (!lost) row_of_[{from, counter}] = rows_.size();
  rows_.push_back(row);
}

void MessageTrace::on_deliver(NodeId from, uint64_t counter, double deliver_s) {
  const auto it = row_of_.find({from, counter});
  if (it == row_of_.end()) return;  // sent before the trace was attached
  if (!std::isnan(rows_[it->second].deliver_s)) {
    Row copy = rows_[it->second];
    copy.deliver_s = deliver_s;
    rows_.push_back(copy);
    return;
  }
  rows_[it->second].deliver_s = deliver_s;
}

std::string MessageTrace::node_name(NodeId id) const {
  const auto i = static_cast<int>(id);
  return i < n_ ? "server:" + std::to_string(i) : "client:" + std::to_string(i - n_);
}

std::string MessageTrace::csv() const {
  std::string s = "send_s,deliver_s,outcome,from,to,type,op_id,ts,retransmission\n";
  for (const auto& r : rows_) {
    const char* outcome = r.lost ? "dropped" : std::isnan(r.deliver_s) ? "in-flight" : "delivered";
    s += num(r.send_s) + ',' + num(r.deliver_s) + ',' + outcome + ',' + node_name(r.from) + ',' +
         node_name(r.to) + ',' + std::string(type_name(r.type)) + ',' + std::to_string(r.op) + ',' +
         (r.has_ts ? to_string(r.ts) : std::string()) + ',' + (r.retransmission ? "1" : "0") +
         '\n';
  }
  return s;
}

}  // namespace bqsim
