#include "sim/model/options.h"

#include <charconv>
#include <type_traits>

#include "sim/model/check.h"

namespace bqsim {
namespace {

std::string shortest_number(double x) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  BQSIM_CHECK(ec == std::errc(), "a default that does not print");
  return std::string(buf, end);
}

// The default as `bqsim list` prints it, read from a default-constructed ProtocolOptions so
// that it is declared once, where the field is.
std::string default_text(const OptionSpec& spec, const OptionField& field) {
  static const ProtocolOptions kDefaults;
  return std::visit(
      [&](auto member) -> std::string {
        const auto value = kDefaults.*member;
        using T = std::remove_cv_t<decltype(value)>;
        if constexpr (std::is_enum_v<T>) {
          const auto index = static_cast<size_t>(value);
          BQSIM_CHECK(index < spec.choices.size(), "an enum option whose choices miss its default");
          return spec.choices[index];
        } else {
          return shortest_number(static_cast<double>(value));
        }
      },
      field);
}

ProtocolOption option(std::string key, ValueType type, std::string help, AcceptedBy accepted_by,
                      OptionField field, double min = -std::numeric_limits<double>::infinity(),
                      std::vector<std::string> choices = {}, std::string default_note = "") {
  ProtocolOption o;
  o.spec = OptionSpec(std::move(key), type, "", std::move(help))
               .among(std::move(choices))
               .range(min, type == ValueType::integer ? kMaxOptionInteger
                                                      : std::numeric_limits<double>::infinity());
  o.accepted_by = accepted_by;
  o.field = field;
  o.spec.default_text =
      default_note.empty() ? default_text(o.spec, field) : std::move(default_note);
  return o;
}

}  // namespace

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::number: return "number";
    case ValueType::integer: return "integer";
    case ValueType::string: return "string";
    case ValueType::boolean: return "boolean";
    case ValueType::distribution: return "distribution";
    case ValueType::integer_list: return "integer-list";
    case ValueType::string_list: return "string-list";
    case ValueType::node_pattern: return "node-pattern";
    case ValueType::node_pattern_groups: return "node-pattern-groups";
  }
  return "?";
}

OptionSpec::OptionSpec(std::string key_, ValueType type_, std::string default_text_,
                       std::string help_)
    : key(std::move(key_)),
      type(type_),
      default_text(std::move(default_text_)),
      help(std::move(help_)) {}

OptionSpec OptionSpec::among(std::vector<std::string> values) && {
  choices = std::move(values);
  return std::move(*this);
}

OptionSpec OptionSpec::range(double lowest, double highest) && {
  min = lowest;
  max = highest;
  return std::move(*this);
}

OptionSpec OptionSpec::only_when(std::string other_key, std::string value) && {
  only_if = Condition{std::move(other_key), std::move(value)};
  return std::move(*this);
}

void ProtocolOption::store_number(ProtocolOptions& options, double value) const {
  std::visit(
      [&](auto member) {
        using T = std::remove_reference_t<decltype(options.*member)>;
        if constexpr (std::is_enum_v<T>) {
          BQSIM_CHECK(false, "a number stored into a choice option");
        } else {
          options.*member = static_cast<T>(value);
        }
      },
      field);
}

void ProtocolOption::store_choice(ProtocolOptions& options, size_t index) const {
  std::visit(
      [&](auto member) {
        using T = std::remove_reference_t<decltype(options.*member)>;
        if constexpr (std::is_enum_v<T>) {
          BQSIM_CHECK(index < spec.choices.size(), "a choice beyond the declared ones");
          options.*member = static_cast<T>(index);
        } else {
          BQSIM_CHECK(false, "a choice stored into a number option");
        }
      },
      field);
}

const std::vector<ProtocolOption>& protocol_options() {
  using P = ProtocolOptions;
  using V = ValueType;
  using A = AcceptedBy;
  // Choices are listed in their enum's order: store_choice() keeps the index.
  static const std::vector<ProtocolOption> kOptions = {
      option("contact", V::string,
             "send each request to all n servers, or to one random quorum widened after "
             "contact_widen_s",
             A::untimed_waits, &P::contact, -std::numeric_limits<double>::infinity(),
             {"all", "quorum"}),
      option("contact_widen_s", V::number,
             "contact=quorum: widen to all servers if the quorum has not answered after this long",
             A::untimed_waits, &P::contact_widen_s, 0.0),
      option("ts_choice", V::string,
             "timestamp phase: largest counter seen, or the (f+1)-th largest (defeats inflation)",
             A::every_protocol, &P::ts_choice, -std::numeric_limits<double>::infinity(),
             {"max", "f+1-th"}),
      option("t", V::integer, "sync-threshold: failures tolerated without slow reads (0 <= t <= f)",
             A::synchronous, &P::t, 0.0),
      option("timeout_s", V::number,
             "sync-threshold: time-out T ending every wait; must be >= 2 * network.bound_s",
             A::synchronous, &P::timeout_s, 0.0, {}, "2 * network.bound_s"),
      option("data", V::string, "sync-threshold: data kind", A::data_choice, &P::data,
             -std::numeric_limits<double>::infinity(), {"generic", "self-verifying"}),
      option("retransmit_initial_s", V::number, "u-protocols: first retransmission time-out",
             A::fair_loss, &P::retransmit_initial_s, 1e-9),
      option("retransmit_backoff", V::number, "u-protocols: time-out multiplier after each resend",
             A::fair_loss, &P::retransmit_backoff, 1.0),
      option("retransmit_cap_s", V::number, "u-protocols: largest retransmission time-out",
             A::fair_loss, &P::retransmit_cap_s, 1e-9),
      option("buffers", V::integer, "u-protocols: message buffers per client (0 = unlimited)",
             A::fair_loss, &P::buffers, 0.0),
      option("signature_bytes", V::integer, "self-verifying data: bytes a signature adds",
             A::self_verifying, &P::signature_bytes, 0.0),
      option("sign_cpu_s", V::number, "self-verifying data: CPU time to sign, at the writer",
             A::self_verifying, &P::sign_cpu_s, 0.0),
      option("verify_cpu_s", V::number, "self-verifying data: CPU time to verify, at the reader",
             A::self_verifying, &P::verify_cpu_s, 0.0),
  };
  return kOptions;
}

const ProtocolOption* find_protocol_option(std::string_view key) {
  for (const ProtocolOption& o : protocol_options()) {
    if (o.spec.key == key) return &o;
  }
  return nullptr;
}

}  // namespace bqsim
