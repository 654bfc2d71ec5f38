// Quorum arithmetic (PROTOCOLS.md §3): exact sizes for every family, the properties holding
// from n_min up, and a concrete property failing one server below it.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/model/protocol.h"
#include "sim/model/quorum.h"

using namespace bqsim;

namespace {

int ceil_half(int x) { return (x + 1) / 2; }

struct Family {
  QuorumFamily family;
  const char* name;
  bool sync;
};

const std::vector<Family>& families() {
  static const std::vector<Family> kAll = {
      {QuorumFamily::mr_masking, "mr-masking", false},
      {QuorumFamily::mr_dissemination, "mr-dissemination", false},
      {QuorumFamily::sbq_masking, "sbq-masking", false},
      {QuorumFamily::sbq_dissemination, "sbq-dissemination", false},
      {QuorumFamily::sync_generic, "sync-generic", true},
      {QuorumFamily::sync_self_verifying, "sync-self-verifying", true},
      {QuorumFamily::u_masking, "u-masking", false},
      {QuorumFamily::u_dissemination, "u-dissemination", false},
  };
  return kAll;
}

// The §3 table, written out independently of quorum.cc.
QuorumSizes expected(QuorumFamily family, int n, int f, int t) {
  QuorumSizes q;
  switch (family) {
    case QuorumFamily::mr_masking:
    case QuorumFamily::u_masking: {
      const int quorum = ceil_half(n + 2 * f + 1);
      q = QuorumSizes{n, f, t, 4 * f + 1, quorum, quorum, quorum, quorum, f + 1};
      break;
    }
    case QuorumFamily::mr_dissemination:
    case QuorumFamily::u_dissemination: {
      const int quorum = ceil_half(n + f + 1);
      q = QuorumSizes{n, f, t, 3 * f + 1, quorum, quorum, quorum, quorum, 1};
      break;
    }
    case QuorumFamily::sbq_masking:
      q = QuorumSizes{n, f, t, 3 * f + 1, 2 * f + 1, n - f, n, 0, f + 1};
      break;
    case QuorumFamily::sbq_dissemination:
      q = QuorumSizes{n, f, t, 2 * f + 1, f + 1, n - f, n, 0, 1};
      break;
    case QuorumFamily::sync_generic:
      q = QuorumSizes{n, f, t, 2 * f + 1 + t, n - t, n - t, n, n - t, f + 1};
      break;
    case QuorumFamily::sync_self_verifying:
      q = QuorumSizes{n, f, t, f + 1 + t, n - t, n - t, n, n - t, 1};
      break;
  }
  return q;
}

void check_equal(const QuorumSizes& got, const QuorumSizes& want) {
  CHECK(got.n == want.n);
  CHECK(got.f == want.f);
  CHECK(got.t == want.t);
  CHECK(got.n_min == want.n_min);
  CHECK(got.read_replies == want.read_replies);
  CHECK(got.ts_replies == want.ts_replies);
  CHECK(got.write_reach == want.write_reach);
  CHECK(got.write_acks == want.write_acks);
  CHECK(got.vouch == want.vouch);
}

}  // namespace

TEST_CASE("quorum: sizes match the table for f = 0..5 at n_min, n_min+1 and n_min+3") {
  // Every family, every threshold t <= f for the sync families, three server counts each;
  // the properties hold at all of them.
  for (const Family& fam : families()) {
    for (int f = 0; f <= 5; ++f) {
      for (int t = 0; t <= (fam.sync ? f : 0); ++t) {
        const int n_min = min_servers(fam.family, f, t);
        for (int extra : {0, 1, 3}) {
          const int n = n_min + extra;
          INFO(fam.name << " f=" << f << " t=" << t << " n=" << n);
          const QuorumSizes q = quorum_sizes(fam.family, n, f, t);
          check_equal(q, expected(fam.family, n, f, t));
          CHECK(check_properties(fam.family, q).empty());
        }
      }
    }
  }
}

TEST_CASE("quorum: minimum server counts and fault rules") {
  // n_min per §3 and the rule strings users see.
  CHECK(min_servers(QuorumFamily::mr_masking, 2) == 9);
  CHECK(min_servers(QuorumFamily::mr_dissemination, 2) == 7);
  CHECK(min_servers(QuorumFamily::sbq_masking, 2) == 7);
  CHECK(min_servers(QuorumFamily::sbq_dissemination, 2) == 5);
  CHECK(min_servers(QuorumFamily::sync_generic, 2, 1) == 6);
  CHECK(min_servers(QuorumFamily::sync_self_verifying, 2, 1) == 4);
  CHECK(fault_rule(QuorumFamily::mr_masking) == "n >= 4f+1");
  CHECK(fault_rule(QuorumFamily::mr_dissemination) == "n >= 3f+1");
  CHECK(fault_rule(QuorumFamily::sbq_masking) == "n >= 3f+1");
  CHECK(fault_rule(QuorumFamily::sbq_dissemination) == "n >= 2f+1");
  CHECK(fault_rule(QuorumFamily::sync_generic) == "n >= 2f+1+t");
  CHECK(fault_rule(QuorumFamily::sync_self_verifying) == "n >= f+1+t");
}

TEST_CASE("quorum: properties hold for every n from n_min to n_min+20") {
  // Not just the three sampled counts: the whole range, odd and even n alike.
  for (const Family& fam : families()) {
    for (int f = 0; f <= 5; ++f) {
      const int t = fam.sync ? f / 2 : 0;
      const int n_min = min_servers(fam.family, f, t);
      for (int n = n_min; n <= n_min + 20; ++n) {
        INFO(fam.name << " f=" << f << " n=" << n);
        CHECK(check_properties(fam.family, quorum_sizes(fam.family, n, f, t)).empty());
      }
    }
  }
}

TEST_CASE("quorum: one server below the minimum breaks a named property") {
  // At n_min - 1 (allow_unsafe runs) the sizes are still defined, capped at n, and
  // check_properties names what fails: the MR and SBQ families can no longer be live with f
  // silent servers, the sync families lose the 2f+1 (or f+1) intersection.
  for (const Family& fam : families()) {
    for (int f = 1; f <= 5; ++f) {
      for (int t = 0; t <= (fam.sync ? f : 0); ++t) {
        const int n = min_servers(fam.family, f, t) - 1;
        INFO(fam.name << " f=" << f << " t=" << t << " n=" << n);
        const QuorumSizes q = quorum_sizes(fam.family, n, f, t);
        CHECK(q.read_replies <= n);
        CHECK(q.write_reach <= n);
        const std::string broken = check_properties(fam.family, q);
        CHECK_FALSE(broken.empty());
        if (fam.sync) {
          CHECK(broken.find("are needed") != std::string::npos);
        } else {
          CHECK(broken.find("n - f") != std::string::npos);
        }
      }
    }
  }
}

TEST_CASE("quorum: concrete failures below the minimum") {
  // sbq-masking on 3f servers needs r = 2f+1 > n - f; mr-masking on 4f servers needs a
  // quorum of 3f+1 > n - f, and shrinking that quorum to n - f loses the 2f+1 intersection.
  const QuorumSizes sbq = quorum_sizes(QuorumFamily::sbq_masking, 3, 1);
  CHECK(sbq.read_replies == 3);
  CHECK(check_properties(QuorumFamily::sbq_masking, sbq) ==
        "r is larger than n - f: not live with f silent");

  QuorumSizes mr = quorum_sizes(QuorumFamily::mr_masking, 8, 2);
  CHECK(mr.read_replies == 7);
  CHECK(check_properties(QuorumFamily::mr_masking, mr) ==
        "a quorum is larger than n - f: not live with f silent");
  mr.read_replies = mr.ts_replies = mr.write_reach = mr.write_acks = 6;  // n - f
  CHECK(check_properties(QuorumFamily::mr_masking, mr) ==
        "a read meets the latest completed write in 4 servers; 5 are needed");

  // A masking vouch threshold of f instead of f+1 is caught too.
  QuorumSizes weak = quorum_sizes(QuorumFamily::sbq_masking, 7, 2);
  weak.vouch = 2;
  CHECK(check_properties(QuorumFamily::sbq_masking, weak) == "wrong vouching threshold");
}

TEST_CASE("quorum: extra servers keep SBQ reads at the same size") {
  // §3: with more servers than the minimum, r stays 2f+1 / f+1, so reads wait for the fastest
  // r of n; the MR quorums grow with n instead.
  for (int n = 7; n <= 20; ++n) {
    CHECK(quorum_sizes(QuorumFamily::sbq_masking, n, 2).read_replies == 5);
    CHECK(quorum_sizes(QuorumFamily::sbq_dissemination, n, 2).read_replies == 3);
  }
  CHECK(quorum_sizes(QuorumFamily::mr_masking, 9, 2).read_replies == 7);
  CHECK(quorum_sizes(QuorumFamily::mr_masking, 20, 2).read_replies == 13);
}

TEST_CASE("quorum: the timestamp phase of a masking family holds f+1 correct holders") {
  // ts_choice f+1-th takes the (f+1)-th largest counter, which is at least the latest write's
  // only if >= 2f+1 of the repliers hold that write (>= f+1 of them correct): too small a
  // timestamp phase is named, on every masking family, while dissemination families (where the
  // reader refuses f+1-th) are not held to it.
  for (const Family& fam : families()) {
    const int f = 2;
    const int n = min_servers(fam.family, f);
    QuorumSizes q = quorum_sizes(fam.family, n, f);
    INFO(fam.name);
    const int holders = q.write_acks == 0 || fam.sync ? q.ts_replies
                                                      : q.ts_replies + q.write_acks - n;
    if (!family_traits(fam.family).masking) {
      // Where the reader refuses f+1-th the property is not asked for, and need not hold:
      // a-dissemination's n - f = f+1 repliers hold the latest write in f+1 servers only.
      CHECK(check_properties(fam.family, q).empty());
      if (fam.family == QuorumFamily::sbq_dissemination) CHECK(holders == f + 1);
      continue;
    }
    CHECK(holders >= 2 * f + 1);
    q.ts_replies -= holders - 2 * f;  // now exactly 2f holders
    CHECK(check_properties(fam.family, q) ==
          "the timestamp phase meets the latest completed write in 4 servers; f+1-th needs 5");
  }
}

TEST_CASE("quorum: every family has traits, and the families list names them all") {
  // The traits table (protocol.h) is what every family-dependent rule derives from: generic
  // data needs masking quorums and promises safe, signed data regular; only the u-families are
  // for fair-loss channels, only the sync families need a synchronous network.
  CHECK(std::size(kQuorumFamilies) == families().size());
  for (const Family& fam : families()) {
    INFO(fam.name);
    const FamilyTraits t = family_traits(fam.family);
    CHECK(t.masking == (t.data == DataKind::generic));
    CHECK(t.promises == (t.data == DataKind::generic ? Semantics::safe : Semantics::regular));
    CHECK((t.synchrony == SynchronyNeed::sync) == fam.sync);
    const bool u = fam.family == QuorumFamily::u_masking ||
                   fam.family == QuorumFamily::u_dissemination;
    CHECK((t.channels == Channels::fair_loss) == u);
    CHECK(data_kind(fam.family) == t.data);
    CHECK(promised_semantics(fam.family) == t.promises);
  }
}
