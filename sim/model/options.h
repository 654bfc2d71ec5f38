// Declared values and the one table of protocol options. A declared value says what one key of
// a scenario may hold (type, range, choices, default, help); protocol options and adversary
// behaviours' parameters (behaviour_info.h) are both declared this way. The scenario reader
// checks values against the declarations, `bqsim list` prints them and `bqsim schema` turns
// them into scenarios/schema.json, so each is written once (ns-3 style).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/model/types.h"

namespace bqsim {

enum class ValueType : uint8_t {
  number,
  integer,
  string,        // one of choices, if any
  boolean,
  distribution,  // an object as network.delay ({"dist": ...})
  integer_list,  // each item in [min, max] as an integer would be
  string_list,   // each item one of choices, if any
  // The network's own (network.faults): a node pattern as network.links takes ("*",
  // "server:*", "client:2", "server:0-2"), and a non-empty list of non-empty lists of them.
  node_pattern,
  node_pattern_groups
};
// As scenarios and `bqsim list --json` spell it: "number", ..., "integer-list", "string-list".
std::string_view to_string(ValueType type);

// A value that means something only while another key of the same object holds one value
// (stale's k only with which = k-th-newest). The other key's default counts when it is absent.
struct Condition {
  std::string key;
  std::string value;
};

struct OptionSpec {
  OptionSpec() = default;
  OptionSpec(std::string key, ValueType type, std::string default_text, std::string help);
  // The rest, chained onto the constructor so that a declaration reads as one expression:
  //   OptionSpec("k", ValueType::integer, "1", "...").range(1, 1000).only_when("which", "k-th")
  OptionSpec among(std::vector<std::string> values) &&;
  OptionSpec range(double lowest, double highest = std::numeric_limits<double>::infinity()) &&;
  OptionSpec only_when(std::string other_key, std::string value) &&;

  std::string key;  // as spelled in the scenario
  ValueType type = ValueType::number;
  std::string default_text;  // as printed; "required": the key must be given
  std::string help;
  std::vector<std::string> choices;  // string and string-list values
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::optional<Condition> only_if;  // refused unless the condition holds
};

enum class Contact { all, quorum };
enum class TsChoice { max, f1th };  // "max" | "f+1-th"

// Every protocol option, with its default (the table below reads the defaults from here). A
// protocol accepts the options its quorum families' traits call for; the scenario reader
// rejects the others, so an option never silently does nothing.
struct ProtocolOptions {
  // Send each request to all n servers (fast, more messages) or to one random quorum,
  // widened to all after contact_widen_s (Malkhi-Reiter's load-saving variant).
  Contact contact = Contact::all;
  double contact_widen_s = 0.1;
  // Timestamp choice: the largest counter seen, or the (f+1)-th largest, which a correct
  // server vouches for and so defeats timestamp inflation (PROTOCOLS.md §4, §6).
  TsChoice ts_choice = TsChoice::max;
  // sync-threshold: servers that may actually fail without slowing reads (0 <= t <= f),
  // and the time-out T that ends a wait on a synchronous network (T >= 2 * bound).
  int t = 0;
  double timeout_s = 0;  // 0: derived as 2 * network.bound_s
  // sync-threshold: "generic" or "self-verifying".
  DataKind data = DataKind::generic;
  // u-protocols: resend to silent servers after retransmit_initial_s, multiplied by
  // retransmit_backoff after each resend, capped at retransmit_cap_s.
  double retransmit_initial_s = 0.05;
  double retransmit_backoff = 2.0;
  double retransmit_cap_s = 1.0;
  // u-protocols: message buffers per client (0 = unlimited).
  int buffers = 0;
  // Self-verifying data: signature size and CPU cost at signer and verifier.
  uint32_t signature_bytes = 0;
  double sign_cpu_s = 0;
  double verify_cpu_s = 0;
};

// Which protocols accept an option, as a trait of the quorum families a protocol runs
// (FamilyTraits, protocol.h): a protocol gets its options from what it is, not from a list.
enum class AcceptedBy : uint8_t {
  every_protocol,
  untimed_waits,   // no family whose phases end at a time-out (those must ask every server)
  synchronous,     // a family that needs a synchronous network
  data_choice,     // families of both data kinds, picked by the `data` option
  fair_loss,       // a family for fair-loss channels (it retransmits)
  self_verifying   // a family on self-verifying data (signatures)
};

// Where a checked value lands in ProtocolOptions.
using OptionField =
    std::variant<double ProtocolOptions::*, int ProtocolOptions::*, uint32_t ProtocolOptions::*,
                 Contact ProtocolOptions::*, TsChoice ProtocolOptions::*,
                 DataKind ProtocolOptions::*>;

struct ProtocolOption {
  OptionSpec spec;  // default_text is read from ProtocolOptions{} unless the table gives one
  AcceptedBy accepted_by = AcceptedBy::every_protocol;
  OptionField field;

  // REQUIRES: a number or integer option, value checked against spec.
  void store_number(ProtocolOptions& options, double value) const;
  // REQUIRES: a string option; index into spec.choices, whose order is the enum's.
  void store_choice(ProtocolOptions& options, size_t index) const;
};

// Integer options land in int or uint32 fields.
inline constexpr double kMaxOptionInteger = 2147483647.0;

// The table, in the order `bqsim list` prints options.
const std::vector<ProtocolOption>& protocol_options();
const ProtocolOption* find_protocol_option(std::string_view key);

}  // namespace bqsim
