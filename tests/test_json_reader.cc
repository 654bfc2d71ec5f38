// The JSON layer under the scenario reader (sim/input/json_reader.h): every key of an object
// must be read, and values render briefly and on one line in error messages.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "sim/input/json_reader.h"

namespace bqsim::test {

using nlohmann::json;

TEST_CASE("an object's keys must all be read", "[json_reader]") {
  // Shows FoundationDB's rule: a permitted key that nothing read is still an error.
  const json doc = json::parse(R"({"a": 1, "b": 2})");
  const std::string file = "f.json";
  JsonObject o(JsonValue(doc, "/x", file));
  o.allow({"a", "b"});
  CHECK(o.get("a")->integer(Range::closed(0, 5)) == 1);
  CHECK_THROWS_WITH(o.finish(), "error: f.json: /x/b: expected no b in this configuration "
                                "(nothing would read it), got 2");
}

TEST_CASE("messages render values briefly and on one line", "[json_reader]") {
  // Shows number formatting, quoting of control characters and suggestions' thresholds.
  CHECK(format_number(0.001) == "0.001");
  CHECK(format_number(1e-9) == "1e-09");
  CHECK(format_number(1.25e8) == "125000000");
  CHECK(format_number(-3) == "-3");
  CHECK(quote("a\nb") == "'a\\u000ab'");
  CHECK(quote(std::string(100, 'x')).size() == 80 + 5);
  CHECK(describe(json::parse("[]")) == "an empty list");
  CHECK(describe(json::parse("{}")) == "an object");
  CHECK(suggestion("worklaod", {"name", "workload"}) == " (did you mean 'workload'?)");
  CHECK(suggestion("t", {"f", "n"}).empty());
  CHECK(suggestion("sbq-mask", {"mr-masking", "sbq-masking"}) ==
        " (did you mean 'sbq-masking'?)");
  CHECK(pointer_append("/a", "b/c~d") == "/a/b~1c~0d");
  CHECK(pointer_append("", "") == "/");
  CHECK(pointer_append("/a", size_t{3}) == "/a/3");
  // The shortest form %g would print, not to_chars' own shortest (1.0852841864360573e+07).
  CHECK(format_number(10852841.864360573) == "10852841.864360573");
  CHECK(format_number(0.0001) == "0.0001");
  CHECK(format_number(5e-324) == "5e-324");
}

TEST_CASE("an error stays one line whatever the input's keys and paths hold", "[json_reader]") {
  // Found by fuzzing: a newline in a JSON key (valid JSON) or in a --set path reached the error
  // line through its pointer. Every control character is written as quote() writes it.
  const json doc = json::parse("{\"a\\nb\": 1}");
  const std::string file = "f.json";
  JsonObject o(JsonValue(doc, "", file));
  CHECK_THROWS_WITH(o.allow({"name"}),
                    "error: f.json: /a\\u000ab: expected name, got 'a\\u000ab'");
  const InputError e("x\ty", "/p\r", "one\ntwo", "three");
  CHECK(e.line == "error: x\\u0009y: /p\\u000d: expected one\\u000atwo, got three");
  CHECK(e.line.find_first_of("\n\r\t") == std::string::npos);
}

}  // namespace bqsim::test
