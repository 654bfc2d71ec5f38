#include "sim/judge/message_trace.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

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
  Row row{send_s, std::numeric_limits<double>::quiet_NaN(), op_of(m), Timestamp{}, from, to,
          type_of(m), false, retransmission, lost};
  row.has_ts = ts_of(m, row.ts);
  if (!lost) {
    if (row_of_.size() <= from) row_of_.resize(from + 1);
    auto& rows = row_of_[from];
    if (rows.size() <= counter) rows.resize(counter + 1, kNoRow);
    rows[counter] = rows_.size();
  }
  rows_.push_back(row);
}

void MessageTrace::on_deliver(NodeId from, uint64_t counter, double deliver_s) {
  if (from >= row_of_.size() || counter >= row_of_[from].size()) return;  // not traced
  const uint64_t row = row_of_[from][counter];
  if (row == kNoRow) return;
  if (!std::isnan(rows_[row].deliver_s)) {
    Row copy = rows_[row];
    copy.deliver_s = deliver_s;
    rows_.push_back(copy);
    return;
  }
  rows_[row].deliver_s = deliver_s;
}

std::string MessageTrace::node_name(NodeId id) const {
  const auto i = static_cast<int>(id);
  return i < n_ ? "server:" + std::to_string(i) : "client:" + std::to_string(i - n_);
}

void MessageTrace::write_csv(std::ostream& out) const {
  out << "send_s,deliver_s,outcome,from,to,type,op_id,ts,retransmission\n";
  std::string s;
  for (const auto& r : rows_) {
    const char* outcome = r.lost ? "dropped" : std::isnan(r.deliver_s) ? "in-flight" : "delivered";
    s.clear();
    s += num(r.send_s) + ',' + num(r.deliver_s) + ',' + outcome + ',' + node_name(r.from) + ',' +
         node_name(r.to) + ',' + std::string(type_name(r.type)) + ',' + std::to_string(r.op) + ',' +
         (r.has_ts ? to_string(r.ts) : std::string()) + ',' + (r.retransmission ? "1" : "0") +
         '\n';
    out << s;
  }
}

std::string MessageTrace::csv() const {
  std::ostringstream out;
  write_csv(out);
  return out.str();
}

}  // namespace bqsim
