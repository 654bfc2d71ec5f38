// Deliberately broken variants of the protocols, for the mutation suite (issue: a checker
// shown to catch broken protocols). TEST-ONLY: no scenario key reaches this switch. It is set
// by tests and by the hidden `--mutant NAME` flag of `bqsim explore`, and each variant is one
// small change in the code it names, guarded by a comparison with this field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/model/quorum.h"

namespace bqsim {

enum class Mutation {
  none,
  read_quorum_minus_one,  // quorum.h: a read waits for one reply fewer than r
  vouch_f,                // quorum.h: f identical replies vouch for a pair, not f+1
  writer_reuses_counter,  // quorum_client: the writer forgets the counters it chose (§4)
  accept_bad_signature,   // quorum_client: a read keeps pairs whose signature fails
  server_accepts_older,   // register_server: a write replaces the pair whatever its ts
  sbq_write_partial,      // quorum_client: an unacknowledged store goes to n-f-1 servers
};

struct MutationInfo {
  Mutation mutation;
  std::string name;     // as --mutant spells it
  std::string summary;  // what is broken
};
const std::vector<MutationInfo>& mutations();  // every mutant, `none` excluded
// The mutant named `name`, or nullptr.
const MutationInfo* find_mutation(std::string_view name);
std::string_view mutation_name(Mutation m);

// The quorum sizes a client of this mutant uses (the read-quorum and vouching mutants change
// numbers; every other mutant leaves them alone).
QuorumSizes mutate_quorum(Mutation m, QuorumSizes q);

}  // namespace bqsim
