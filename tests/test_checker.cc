// Semantics checker on hand-built histories (PROTOCOLS.md §2): each test states a history and
// the verdicts and violations it must get. The randomized comparison against a brute-force
// reference is in test_checker_random.cc.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/judge/checker.h"
#include "tests/checker_fixture.h"

namespace bqsim::test {
namespace {

const Violation* find_violation(const CheckReport& rep, OpId op, const std::string& kind) {
  for (const Violation& v : rep.violations) {
    if (v.read == op && v.kind == kind) return &v;
  }
  return nullptr;
}

bool involves(const Violation& v, OpId w) {
  return std::find(v.involved.begin(), v.involved.end(), w) != v.involved.end();
}

}  // namespace

TEST_CASE("checker: a sequential history is safe, regular and atomic") {
  // Writes and reads that never overlap, each read returning the last write, pass everything.
  const std::vector<OpRecord> h = {
      read_op(1, 0, 1, kInitialValue, {}),
      write_op(2, 2, 3, 3, val(0, 1), tsv(0, 1)),
      read_op(3, 4, 5, val(0, 1), tsv(0, 1)),
      write_op(4, 6, 7, 6.5, val(1, 1), tsv(1, 2)),
      read_op(5, 8, 9, val(1, 1), tsv(1, 2)),
      read_op(6, 10, 11, val(1, 1), tsv(1, 2)),
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.safe);
  CHECK(rep.regular);
  CHECK(rep.atomic);
  CHECK(rep.stuck == 0);
  CHECK(rep.violations.empty());
  CHECK(rep.passed(Semantics::atomic));
}

TEST_CASE("checker: a stale read after a completed write is a safe violation") {
  // The read overlaps no write and returns the first value after a second write completed.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      write_op(2, 2, 3, 3, val(0, 2), tsv(0, 2)),
      read_op(3, 4, 5, val(0, 1), tsv(0, 1)),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  CHECK_FALSE(rep.regular);
  CHECK_FALSE(rep.atomic);
  CHECK_FALSE(rep.passed(Semantics::safe));
  REQUIRE(rep.violations.size() == 1);
  const Violation& v = rep.violations[0];
  CHECK(v.kind == "stale-read");
  CHECK(v.read == 3);
  CHECK(v.semantics == Semantics::safe);
  CHECK(involves(v, 2));  // the latest write
  CHECK(v.detail.find("write 2") != std::string::npos);
}

TEST_CASE("checker: a read of the initial value after a write is a stale read naming it") {
  // The stale value's write is the initial one, which has no row in the history: the sentence
  // must name it as such (it once indexed the history with the initial write's marker).
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      read_op(2, 2, 3, kInitialValue, {}),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  REQUIRE(rep.violations.size() == 1);
  const Violation& v = rep.violations[0];
  CHECK(v.kind == "stale-read");
  CHECK(v.read == 2);
  CHECK(v.involved == std::vector<OpId>{1});
  CHECK(v.detail ==
        "read returned value init (ts 0.0), written by the initial write; it overlaps no write, "
        "so it must return write 1 of value c0.1 (ts 1.1), the latest completed before it");
}

TEST_CASE("checker: a write that returned but never took effect is a finding, not a violation") {
  // Found by fuzz_checker: a lone write, returned at 17, effective never. No read saw
  // anything wrong, so every level holds; the write is listed as never-effective and the run
  // does not pass.
  const std::vector<OpRecord> h = {write_op(1, 10, 17, kNever, val(0, 1), tsv(3, 1))};
  const CheckReport rep = check_history(h);
  CHECK(rep.safe);
  CHECK(rep.regular);
  CHECK(rep.atomic);
  CHECK(rep.never_effective == 1);
  REQUIRE(rep.violations.size() == 1);
  CHECK(rep.violations[0].kind == "never-effective");
  CHECK_FALSE(rep.passed(Semantics::safe));
}

TEST_CASE("checker: a forged value with no overlapping write is a safe violation") {
  // A value no write produced, read while nothing was being written.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      read_op(2, 2, 3, kForgedBit | 77, Timestamp{1000, 9}),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  const Violation* v = find_violation(rep, 2, "forged-value");
  REQUIRE(v != nullptr);
  CHECK(v->semantics == Semantics::safe);
  CHECK(involves(*v, 1));
}

TEST_CASE("checker: a forged value during a write is safe but not regular") {
  // Safe allows anything while a write overlaps the read; regular does not.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 5, 5, val(0, 1), tsv(0, 1)),
      read_op(2, 1, 2, kForgedBit | 77, Timestamp{1000, 9}),
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.safe);
  CHECK_FALSE(rep.regular);
  CHECK_FALSE(rep.atomic);
  CHECK(rep.passed(Semantics::safe));
  CHECK_FALSE(rep.passed(Semantics::regular));
  const Violation* v = find_violation(rep, 2, "forged-value");
  REQUIRE(v != nullptr);
  CHECK(v->semantics == Semantics::regular);
}

TEST_CASE("checker: a known value under a timestamp nobody wrote is forged") {
  // The pair (value, ts) must match the write: a replayed value with an inflated ts is forged.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      read_op(2, 2, 3, val(0, 1), tsv(0, 99)),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  CHECK(find_violation(rep, 2, "forged-value") != nullptr);
}

TEST_CASE("checker: reading an overlapping write's value is regular") {
  // The write is still in progress; both its value and the old one are allowed.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      write_op(2, 2, 8, 8, val(1, 1), tsv(1, 2)),
      read_op(3, 3, 4, val(1, 1), tsv(1, 2)),
      read_op(4, 5, 6, val(1, 1), tsv(1, 2)),
      read_op(5, 3, 7, val(0, 1), tsv(0, 1)),
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.safe);
  CHECK(rep.regular);
  CHECK(rep.atomic);
  CHECK(rep.violations.empty());
}

TEST_CASE("checker: new-old inversion is regular but not atomic") {
  // Two sequential reads during one long write: the first sees the new value, the second the
  // old one. Regular allows both; no linearization does.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      write_op(2, 2, 10, 10, val(1, 1), tsv(1, 2)),
      read_op(3, 3, 4, val(1, 1), tsv(1, 2)),
      read_op(4, 5, 6, val(0, 1), tsv(0, 1)),
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.safe);
  CHECK(rep.regular);
  CHECK_FALSE(rep.atomic);
  CHECK(rep.passed(Semantics::regular));
  CHECK_FALSE(rep.passed(Semantics::atomic));
  REQUIRE(rep.violations.size() == 1);
  const Violation& v = rep.violations[0];
  CHECK(v.kind == "not-linearizable");
  CHECK(v.semantics == Semantics::atomic);
  CHECK(v.read == 4);  // the later read, which went back to the old value
  CHECK(involves(v, 1));
  CHECK(involves(v, 2));
}

TEST_CASE("checker: bottom during a write is safe but not regular") {
  // bottom is allowed only where the read overlaps a write, and only under safe.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 5, 5, val(0, 1), tsv(0, 1)),
      bottom_read(2, 1, 2),
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.safe);
  CHECK_FALSE(rep.regular);
  const Violation* v = find_violation(rep, 2, "bottom-read");
  REQUIRE(v != nullptr);
  CHECK(v->semantics == Semantics::regular);
}

TEST_CASE("checker: bottom with no overlapping write is a safe violation") {
  // Nothing was being written, so the read had to return the latest value.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1)),
      bottom_read(2, 2, 3),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  const Violation* v = find_violation(rep, 2, "bottom-read");
  REQUIRE(v != nullptr);
  CHECK(v->semantics == Semantics::safe);
  CHECK(involves(*v, 1));
}

TEST_CASE("checker: reading a write invoked after the read returned is a future-read") {
  // The read returns at 2 a value whose write starts at 3.
  const std::vector<OpRecord> h = {
      read_op(1, 1, 2, val(0, 1), tsv(0, 1)),
      write_op(2, 3, 4, 4, val(0, 1), tsv(0, 1)),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  const Violation* v = find_violation(rep, 1, "future-read");
  REQUIRE(v != nullptr);
  CHECK(involves(*v, 2));
}

TEST_CASE("checker: operations that never returned are stuck") {
  // A pending read and a pending write are liveness failures; the values stay unjudged and
  // the safety flags untouched, but passed() fails for every promise.
  const std::vector<OpRecord> h = {
      write_op(1, 0, kNever, kNever, val(0, 1), Timestamp{}),
      read_op(2, 1, kNever, kInitialValue, {}, 0, Outcome::timeout),
      read_op(3, 2, 3, kInitialValue, {}),  // overlaps the pending write: fine
      read_op(4, 4, 5, val(0, 1), tsv(0, 1)),  // the pending write's value: fine too
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.stuck == 2);
  CHECK(rep.safe);
  CHECK(rep.regular);
  CHECK(rep.atomic);
  CHECK_FALSE(rep.passed(Semantics::safe));
  CHECK(find_violation(rep, 1, "stuck") != nullptr);
  CHECK(find_violation(rep, 2, "stuck") != nullptr);
  CHECK(rep.violations.size() == 2);
}

TEST_CASE("checker: an SBQ write overlaps reads until its effective completion") {
  // The write returns at 2 but completes at 3: a read started at 2.5 may still return the old
  // value, one started after 3 may not.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 2, 3, val(0, 1), tsv(0, 1)),
      read_op(2, 2.5, 4, kInitialValue, {}),
      read_op(3, 3.5, 5, kInitialValue, {}),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  CHECK(find_violation(rep, 2, "stale-read") == nullptr);
  const Violation* v = find_violation(rep, 3, "stale-read");
  REQUIRE(v != nullptr);
  CHECK(v->semantics == Semantics::safe);
  CHECK(involves(*v, 1));
  CHECK(rep.violations.size() == 1);
}

TEST_CASE("checker: a read starting exactly at a write's completion may return either value") {
  // Events at one instant have no recorded order, so the checker does not rest a verdict on it.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 2, 3, val(0, 1), tsv(0, 1)),
      read_op(2, 3, 5, kInitialValue, {}),
      read_op(3, 3, 5, val(0, 1), tsv(0, 1)),
  };
  const CheckReport rep = check_history(h);
  CHECK(rep.regular);
  CHECK(rep.violations.empty());
}

TEST_CASE("checker: registers are checked independently") {
  // A value written on key 1 is forged when read on key 0, and key 1's writes do not make
  // key 0's initial value stale.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), tsv(0, 1), 1),
      read_op(2, 2, 3, kInitialValue, {}, 0),
      read_op(3, 2, 3, val(0, 1), tsv(0, 1), 1),
      read_op(4, 4, 5, val(0, 1), tsv(0, 1), 0),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  REQUIRE(rep.violations.size() == 1);
  CHECK(rep.violations[0].read == 4);
  CHECK(rep.violations[0].kind == "forged-value");
}

TEST_CASE("checker: real-time order beats timestamps when they wrap") {
  // The second write follows the first in real time but got a smaller (wrapped) ts; reading
  // the first one's larger ts afterwards is stale, and reading the second one is correct.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 1, 1, val(0, 1), Timestamp{7, 1}),
      write_op(2, 2, 3, 3, val(1, 1), Timestamp{0, 2}),
      read_op(3, 4, 5, val(0, 1), Timestamp{7, 1}),
      read_op(4, 4, 5, val(1, 1), Timestamp{0, 2}),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  REQUIRE(rep.violations.size() == 1);
  CHECK(rep.violations[0].read == 3);
  CHECK(rep.violations[0].kind == "stale-read");
  CHECK(involves(rep.violations[0], 2));
}

TEST_CASE("checker: among concurrent completed writes the largest timestamp is the latest") {
  // Two overlapping writes both completed before the read: only the larger ts is allowed.
  const std::vector<OpRecord> h = {
      write_op(1, 0, 2, 2, val(0, 1), tsv(0, 1)),
      write_op(2, 1, 3, 3, val(1, 1), tsv(1, 1)),
      read_op(3, 4, 5, val(1, 1), tsv(1, 1)),
      read_op(4, 6, 7, val(0, 1), tsv(0, 1)),
  };
  const CheckReport rep = check_history(h);
  CHECK_FALSE(rep.safe);
  REQUIRE(rep.violations.size() == 1);
  CHECK(rep.violations[0].read == 4);
  CHECK(rep.violations[0].kind == "stale-read");
}

TEST_CASE("checker: violations are sorted by op and capped, flags stay exact") {
  // Ten stale reads listed in op order; with max_violations = 3 only three are listed.
  std::vector<OpRecord> h = {write_op(100, 0, 1, 1, val(0, 1), tsv(0, 1))};
  for (OpId id = 10; id > 0; --id) h.push_back(read_op(id, 2.0 + id, 2.5 + id, kInitialValue, {}));
  const CheckReport all = check_history(h);
  REQUIRE(all.violations.size() == 10);
  for (size_t i = 0; i < all.violations.size(); ++i) CHECK(all.violations[i].read == i + 1);
  const CheckReport capped = check_history(h, 3);
  CHECK(capped.violations.size() == 3);
  CHECK_FALSE(capped.safe);
  CHECK(capped.violations[2].read == 3);
}

TEST_CASE("checker: a long concurrent history is checked quickly and exactly") {
  // 200k operations of 4 clients in lock-step rounds on 2 keys: all atomic; then one stale
  // read planted in the middle is the only violation. Catches any O(R*W) pass by its runtime.
  std::vector<OpRecord> h;
  const int rounds = 25000;
  OpId id = 1;
  for (Key key = 0; key < 2; ++key) {
    for (int r = 0; r < rounds; ++r) {
      const double t0 = 10.0 * r;
      const auto k = static_cast<uint32_t>(r + 1);
      h.push_back(write_op(id++, t0, t0 + 3, t0 + 4, val(key, k), tsv(key, k), key));
      // Overlapping the write: old or new are both fine (old first, new after, as atomic needs).
      const ValueId old_v = r == 0 ? kInitialValue : val(key, k - 1);
      const Timestamp old_ts = r == 0 ? Timestamp{} : tsv(key, k - 1);
      h.push_back(read_op(id++, t0 + 1, t0 + 2, old_v, old_ts, key));
      h.push_back(read_op(id++, t0 + 3.5, t0 + 5, val(key, k), tsv(key, k), key));
      h.push_back(read_op(id++, t0 + 6, t0 + 7, val(key, k), tsv(key, k), key));
    }
  }
  CheckReport rep = check_history(h);
  CHECK(rep.atomic);
  CHECK(rep.violations.empty());
  h[4 * 1000 + 3].value = val(0, 5);
  h[4 * 1000 + 3].ts = tsv(0, 5);
  rep = check_history(h);
  CHECK_FALSE(rep.safe);
  REQUIRE(rep.violations.size() == 1);
  CHECK(rep.violations[0].read == h[4 * 1000 + 3].op);
  CHECK(rep.violations[0].kind == "stale-read");
}

}  // namespace bqsim::test
