// A Byzantine server for exhaustive exploration (sim/explore): the correct server, wrapped,
// whose every reply is chosen from a finite menu of what a Byzantine server can say
// (PROTOCOLS.md §6), so that an explorer that tries every choice covers every combination of
// lies, not one script. Before each message the explorer asks for the choices and picks one:
//   correct        the correct server's reply;
//   silent         no reply (also: a write it never acknowledges);
//   stale:K        the pair it held K replacements before its current one (adversaries/stale),
//                  one choice per distinct older pair, replayed with its signature;
//   forge          the coalition's agreed pair (adversaries/forge, generic data only): reads get
//                  the pair, timestamp queries its timestamp;
//   inflate        a timestamp query answered with the largest counter (adversaries/ts_inflate,
//                  generic data: on signed data it is a bad signature, below);
//   bad-signature  self-verifying data: a made-up pair whose signature does not verify
//                  (adversaries/bad_signature), in reads and timestamp queries.
// Choices that would send the very message the correct server sends are left out. The server
// underneath applies every write, so its history holds every pair a liar could replay.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adversaries/pair_history.h"
#include "sim/model/node.h"
#include "sim/model/protocol.h"

namespace bqsim {

struct MenuChoice {
  enum class Lie : uint8_t { correct, silent, stale, forge, inflate, bad_signature };
  Lie lie = Lie::correct;
  uint32_t k = 0;  // stale only: replacements back (>= 1)
  bool operator==(const MenuChoice&) const = default;
};
std::string to_string(MenuChoice c);                        // "correct", "stale:2", ...
std::optional<MenuChoice> parse_menu_choice(const std::string& text);

class MenuServer : public Node {
 public:
  // Older pairs kept per register for stale:K (K <= kDepth).
  static constexpr size_t kDepth = 16;

  // `coalition_pair`: what forge reports, agreed by every Byzantine server of the run.
  MenuServer(const NodeContext& ctx, std::unique_ptr<Node> correct, const Pair& coalition_pair);

  // The distinct answers it may give to `msg` from `from`; the first is always `correct`.
  std::vector<MenuChoice> choices(NodeId from, const Message& msg) const;
  // The choice for the next on_message (then back to correct). REQUIRES: among choices(msg).
  void choose(MenuChoice c) { choice_ = c; }

  void on_message(NodeId from, const Message& msg, double now_s, Outbox& out) override;
  std::unique_ptr<Node> clone() const override;
  bool hash_state(StateHasher& h) const override;

 private:
  MenuServer(const MenuServer& other);
  // Rewrites `send` by `c`; false if `c` drops it.
  bool apply(MenuChoice c, Send& send) const;

  NodeId id_;
  DataKind data_;
  uint32_t timestamp_bits_;
  std::unique_ptr<Node> inner_;
  PairHistory history_;
  Pair coalition_pair_;
  MenuChoice choice_{};
  Outbox scratch_;
};

}  // namespace bqsim
