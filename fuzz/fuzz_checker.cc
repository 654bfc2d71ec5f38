// libFuzzer target: the semantics checker against its brute-force reference
// (tests/checker_reference.h) on histories built from the input bytes, 4 bytes per operation:
//   byte 0: bit 0 read/write, bits 1-2 what a read returns (a write's pair, bottom, the initial
//           value, a forged value), bit 3 never returned, bit 4 effective never, bit 5 a
//           timestamp out of invocation order, bits 6-7 register;
//   byte 1: invocation time (0..15);  byte 2: duration and effective delay (4 bits each);
//   byte 3: which write a read returns.
// The verdicts must equal the reference's, every failed level must be backed by a listed
// violation, listing must stay sorted and capped, and every sentence must be written.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "sim/judge/checker.h"
#include "tests/checker_fixture.h"
#include "tests/checker_reference.h"

namespace {

using namespace bqsim;
using namespace bqsim::test;

constexpr size_t kMaxOps = 14;  // the exhaustive search stays well under a millisecond

std::vector<OpRecord> history(const uint8_t* data, size_t size) {
  std::vector<OpRecord> h;
  std::vector<size_t> writes;
  for (size_t i = 0; i + 4 <= size && h.size() < kMaxOps; i += 4) {
    const uint8_t flags = data[i];
    const double invoke = data[i + 1] & 0xf;
    const double duration = data[i + 2] & 0xf;
    const double eff_delay = data[i + 2] >> 4;
    const Key key = flags >> 6;
    const OpId id = h.size() + 1;
    if ((flags & 1) == 0) {
      const auto k = static_cast<uint32_t>(writes.size() + 1);
      const Timestamp ts{(flags & 0x20) != 0 ? 1 + (data[i + 3] & 7) : uint64_t{k}, k};
      if ((flags & 0x08) != 0) {
        h.push_back(write_op(id, invoke, kNever, kNever, val(0, k), Timestamp{}, key));
      } else {
        const double eff = (flags & 0x10) != 0 ? kNever : invoke + eff_delay;
        h.push_back(write_op(id, invoke, invoke + duration, eff, val(0, k), ts, key));
      }
      writes.push_back(h.size() - 1);
      continue;
    }
    const double ret = (flags & 0x08) != 0 ? kNever : invoke + duration;
    switch ((flags >> 1) & 3) {
      case 0:
        if (!writes.empty()) {
          const OpRecord& w = h[writes[data[i + 3] % writes.size()]];
          h.push_back(
              read_op(id, invoke, ret, w.value, w.returned() ? w.ts : Timestamp{7, 7}, w.key));
          break;
        }
        [[fallthrough]];
      case 1: h.push_back(read_op(id, invoke, ret, kInitialValue, {}, key)); break;
      case 2:
        h.push_back(bottom_read(id, invoke, ret));
        h.back().key = key;
        break;
      case 3:
        h.push_back(read_op(id, invoke, ret, kForgedBit | data[i + 3], Timestamp{50, 1}, key));
        break;
    }
    if (std::isnan(ret)) h.back().outcome = Outcome::timeout;
  }
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<OpRecord> h = history(data, size);
  const CheckReport rep = check_history(h);
  // The reference judges one register at a time.
  bool safe = true, regular = true, atomic = true;
  for (Key key = 0; key < 4; ++key) {
    std::vector<OpRecord> one;
    for (const OpRecord& op : h) {
      if (op.key == key) one.push_back(op);
    }
    const auto [s, r] = naive_safe_regular(one);
    safe = safe && s;
    regular = regular && r;
    atomic = atomic && r && brute_linearizable(one);
  }
  if (rep.safe != safe || rep.regular != regular || rep.atomic != atomic) std::abort();
  bool listed = false;
  for (size_t i = 0; i < rep.violations.size(); ++i) {
    const Violation& v = rep.violations[i];
    if (v.detail.empty()) std::abort();
    if (i > 0 && rep.violations[i - 1].read > v.read) std::abort();
    // Stuck operations and writes that never took effect are findings of their own: they
    // change no semantic flag.
    listed = listed || (v.kind != "stuck" && v.kind != "never-effective");
  }
  if (listed != !rep.atomic) std::abort();
  const CheckReport capped = check_history(h, 1);
  if (capped.violations.size() > 1 || capped.safe != rep.safe || capped.regular != rep.regular ||
      capped.atomic != rep.atomic || capped.stuck != rep.stuck ||
      capped.never_effective != rep.never_effective) {
    std::abort();
  }
  return 0;
}
