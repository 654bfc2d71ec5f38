#include "adversaries/menu_server.h"

#include <algorithm>
#include <utility>

#include "adversaries/bad_signature.h"
#include "adversaries/replies.h"
#include "adversaries/ts_inflate.h"
#include "sim/model/check.h"

namespace bqsim {
namespace {

const char* lie_name(MenuChoice::Lie l) {
  switch (l) {
    case MenuChoice::Lie::correct: return "correct";
    case MenuChoice::Lie::silent: return "silent";
    case MenuChoice::Lie::stale: return "stale";
    case MenuChoice::Lie::forge: return "forge";
    case MenuChoice::Lie::inflate: return "inflate";
    case MenuChoice::Lie::bad_signature: return "bad-signature";
  }
  return "?";
}

}  // namespace

std::string to_string(MenuChoice c) {
  std::string s = lie_name(c.lie);
  if (c.lie == MenuChoice::Lie::stale) {
    s.push_back(':');
    s.append(std::to_string(c.k));  // not ":" + ...: GCC 12's -Wrestrict false positive
  }
  return s;
}

std::optional<MenuChoice> parse_menu_choice(const std::string& text) {
  using Lie = MenuChoice::Lie;
  for (Lie l : {Lie::correct, Lie::silent, Lie::forge, Lie::inflate, Lie::bad_signature}) {
    if (text == lie_name(l)) return MenuChoice{l, 0};
  }
  if (text.rfind("stale:", 0) == 0 && text.size() > 6 && text.size() < 9) {
    const std::string digits = text.substr(6);
    if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const uint32_t k = static_cast<uint32_t>(std::stoul(digits));
      if (k >= 1 && k <= MenuServer::kDepth) return MenuChoice{Lie::stale, k};
    }
  }
  return std::nullopt;
}

MenuServer::MenuServer(const NodeContext& ctx, std::unique_ptr<Node> correct,
                       const Pair& coalition_pair)
    : id_(ctx.id),
      data_(ctx.data),
      timestamp_bits_(ctx.timestamp_bits),
      inner_(std::move(correct)),
      history_(kDepth),
      coalition_pair_(coalition_pair) {
  BQSIM_CHECK(inner_ != nullptr, "a menu server wraps a correct server");
}

MenuServer::MenuServer(const MenuServer& other)
    : Node(other),
      id_(other.id_),
      data_(other.data_),
      timestamp_bits_(other.timestamp_bits_),
      inner_(other.inner_->clone()),
      history_(other.history_),
      coalition_pair_(other.coalition_pair_) {}

std::unique_ptr<Node> MenuServer::clone() const {
  std::unique_ptr<MenuServer> copy(new MenuServer(*this));
  if (copy->inner_ == nullptr) return nullptr;
  return copy;
}

bool MenuServer::hash_state(StateHasher& h) const {
  // The pairs it may replay, newest first, then the correct server's own state.
  for (Key key = 0; key < history_.keys(); ++key) {
    const size_t held = history_.held(key);
    h.add(key);
    h.add(held);
    for (size_t k = 0; k < held; ++k) h.add(history_.back(key, k));
  }
  return inner_->hash_state(h);
}

bool MenuServer::apply(MenuChoice c, Send& send) const {
  using Lie = MenuChoice::Lie;
  switch (c.lie) {
    case Lie::correct: return true;
    case Lie::silent: return false;
    case Lie::stale:
      if (auto* r = std::get_if<ReadReply>(&send.msg)) {
        report_in_read_reply(*r, history_.back(r->key, c.k));
      } else if (auto* t = std::get_if<TsReply>(&send.msg)) {
        report_in_ts_reply(*t, history_.back(t->key, c.k), data_);
      }
      return true;
    case Lie::forge:
      if (auto* r = std::get_if<ReadReply>(&send.msg)) {
        report_in_read_reply(*r, coalition_pair_);
      } else if (auto* t = std::get_if<TsReply>(&send.msg)) {
        t->ts = coalition_pair_.ts;
      }
      return true;
    case Lie::inflate:
      if (auto* t = std::get_if<TsReply>(&send.msg)) {
        t->ts.counter = TsInflate::reported_counter(0, timestamp_bits_);
        t->sig = 0;
      }
      return true;
    case Lie::bad_signature: {
      const Pair bad = BadSignature::pair(timestamp_bits_);
      if (auto* r = std::get_if<ReadReply>(&send.msg)) {
        report_in_read_reply(*r, bad);
      } else if (auto* t = std::get_if<TsReply>(&send.msg)) {
        report_in_ts_reply(*t, bad, DataKind::self_verifying);
      }
      return true;
    }
  }
  return true;
}

std::vector<MenuChoice> MenuServer::choices(NodeId from, const Message& msg) const {
  using Lie = MenuChoice::Lie;
  // What the correct server would answer, and each lie's version of it: a lie that sends the
  // same message as the truth, or as another lie, is not a different choice.
  Outbox out;
  std::unique_ptr<Node> probe = inner_->clone();
  probe->on_message(from, msg, 0, out);
  std::vector<MenuChoice> menu = {MenuChoice{Lie::correct, 0}};
  if (out.sends.empty()) return menu;  // nothing to lie with (an unacknowledged write)
  BQSIM_CHECK(out.sends.size() == 1, "a server answers one request with one message");
  const auto digest = [](const Message& m) {
    StateHasher h;
    h.add(m);
    return h.digest();
  };
  std::vector<Hash128> seen = {digest(out.sends[0].msg)};
  const auto offer = [&](MenuChoice c) {
    Send s = out.sends[0];
    if (!apply(c, s)) return;
    const Hash128 d = digest(s.msg);
    if (std::find(seen.begin(), seen.end(), d) != seen.end()) return;
    seen.push_back(d);
    menu.push_back(c);
  };
  menu.push_back(MenuChoice{Lie::silent, 0});
  if (std::holds_alternative<WriteRequest>(msg)) return menu;  // an ack, or none
  // Requests other than writes leave the history as it is: back(key, k) for k >= 1 are the
  // older pairs, back(key, held - 1) the oldest kept.
  const size_t held = history_.held(key_of(msg));
  for (uint32_t k = 1; k < held && k <= kDepth; ++k) offer(MenuChoice{Lie::stale, k});
  if (data_ == DataKind::generic) {
    offer(MenuChoice{Lie::forge, 0});
    offer(MenuChoice{Lie::inflate, 0});
  } else {
    offer(MenuChoice{Lie::bad_signature, 0});
  }
  return menu;
}

void MenuServer::on_message(NodeId from, const Message& msg, double now_s, Outbox& out) {
  const MenuChoice c = choice_;
  choice_ = MenuChoice{};
  history_.observe(msg);
  scratch_.clear();
  inner_->on_message(from, msg, now_s, scratch_);
  for (auto& e : scratch_.events) out.emit(std::move(e));
  for (auto& t : scratch_.timers) out.timers.push_back(t);
  out.cpu_s += scratch_.cpu_s;
  for (auto& send : scratch_.sends) {
    if (apply(c, send)) out.sends.push_back(std::move(send));
  }
  scratch_.clear();
}

}  // namespace bqsim
