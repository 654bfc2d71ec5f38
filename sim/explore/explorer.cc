#include "sim/explore/explorer.h"

#include <chrono>
#include <utility>

#include "sim/explore/visited_set.h"

namespace bqsim {
namespace {

struct Frame {
  State state;
  std::vector<Move> moves;
  size_t next = 0;
  size_t log_size = 0;  // the path's history log up to this state
  bool expanded = false;
};

}  // namespace

ExploreResult explore(const ExploreSystem& system) {
  const auto start = std::chrono::steady_clock::now();
  const ExploreOptions& opt = system.options();
  ExploreResult result;
  VisitedSet visited;
  std::vector<Logged> log;  // the history of the path on the stack, in order
  std::vector<Frame> stack;
  stack.push_back(Frame{system.initial(), {}, 0, 0, false});
  visited.insert(stack.back().state.fingerprint());

  while (!stack.empty()) {
    Frame& top = stack.back();
    if (!top.expanded) {
      top.expanded = true;
      top.moves = system.moves(top.state);
      if (top.moves.empty()) {
        // Terminal: nothing pending, the history is complete.
        ++result.terminal;
        CheckReport report = system.judge(log, top.state.clock);
        if (!system.passed(report)) {
          result.outcome = ExploreResult::Outcome::counterexample;
          for (size_t i = 0; i + 1 < stack.size(); ++i) {
            result.path.push_back(stack[i].moves[stack[i].next - 1]);
          }
          result.report = std::move(report);
          break;
        }
      } else if (stack.size() - 1 >= opt.max_depth) {
        result.depth_cut = true;
        top.moves.clear();
      }
    }
    if (top.next >= top.moves.size()) {
      log.resize(top.log_size);
      stack.pop_back();
      continue;
    }
    const Move m = top.moves[top.next++];
    log.resize(top.log_size);
    State succ = system.apply(top.state, m, &log);
    ++result.explored;
    if (!visited.insert(succ.fingerprint())) continue;
    if (visited.size() > opt.max_states) {
      result.states_cut = true;
      break;
    }
    const size_t log_size = log.size();
    stack.push_back(Frame{std::move(succ), {}, 0, log_size, false});  // `top` is dangling now
    result.max_depth = std::max(result.max_depth, static_cast<uint32_t>(stack.size() - 1));
  }

  result.distinct = visited.size();
  result.visited_bytes = visited.bytes();
  if (result.outcome != ExploreResult::Outcome::counterexample &&
      (result.depth_cut || result.states_cut)) {
    result.outcome = ExploreResult::Outcome::limit;
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace bqsim
