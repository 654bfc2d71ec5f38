#include "adversaries/behaviour_params.h"

#include "sim/model/check.h"
#include "sim/input/json_reader.h"
#include "sim/input/scenario_reader.h"

namespace bqsim {

const nlohmann::json* BehaviourParams::find(const std::string& key) const {
  if (!params_.is_object()) return nullptr;  // a spec built by hand without parameters
  const auto it = params_.find(key);
  return it == params_.end() ? nullptr : &*it;
}

bool BehaviourParams::has(const std::string& key) const { return find(key) != nullptr; }

double BehaviourParams::number(const std::string& key, double fallback) const {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return fallback;
  BQSIM_CHECK(v->is_number(), "a behaviour parameter declared as a number is not one");
  return v->get<double>();
}

bool BehaviourParams::boolean(const std::string& key, bool fallback) const {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return fallback;
  BQSIM_CHECK(v->is_boolean(), "a behaviour parameter declared as a boolean is not one");
  return v->get<bool>();
}

uint64_t BehaviourParams::unsigned64(const std::string& key, uint64_t fallback) const {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return fallback;
  BQSIM_CHECK(v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() >= 0),
              "a behaviour parameter declared as an integer >= 0 is not one");
  return v->get<uint64_t>();
}

std::string BehaviourParams::string(const std::string& key, const std::string& fallback) const {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return fallback;
  BQSIM_CHECK(v->is_string(), "a behaviour parameter declared as a string is not one");
  return v->get<std::string>();
}

size_t BehaviourParams::choice(const std::string& key, const std::string& fallback,
                              const std::vector<std::string>& choices) const {
  const std::string v = string(key, fallback);
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == v) return i;
  }
  BQSIM_CHECK(false, "a choice the reader should have refused");
  return 0;
}

std::vector<uint64_t> BehaviourParams::unsigned_list(const std::string& key) const {
  std::vector<uint64_t> out;
  const nlohmann::json* v = find(key);
  if (v == nullptr) return out;
  BQSIM_CHECK(v->is_array(), "a behaviour parameter declared as a list is not one");
  for (const auto& x : *v) {
    BQSIM_CHECK(x.is_number_unsigned() || (x.is_number_integer() && x.get<int64_t>() >= 0),
                "an item of an integer-list parameter is not an integer >= 0");
    out.push_back(x.get<uint64_t>());
  }
  return out;
}

std::vector<std::string> BehaviourParams::string_list(const std::string& key) const {
  std::vector<std::string> out;
  const nlohmann::json* v = find(key);
  if (v == nullptr) return out;
  BQSIM_CHECK(v->is_array(), "a behaviour parameter declared as a list is not one");
  for (const auto& x : *v) {
    BQSIM_CHECK(x.is_string(), "an item of a string-list parameter is not a string");
    out.push_back(x.get<std::string>());
  }
  return out;
}

Distribution BehaviourParams::distribution(const std::string& key) const {
  const nlohmann::json* v = find(key);
  BQSIM_CHECK(v != nullptr, "a required distribution parameter is missing");
  static const std::string kLabel = "behaviour parameters";
  try {
    return read_distribution(JsonValue(*v, pointer_append("", key), kLabel));
  } catch (const InputError&) {
    BQSIM_CHECK(false, "a distribution parameter the scenario reader should have refused");
  }
  return {};
}

}  // namespace bqsim
