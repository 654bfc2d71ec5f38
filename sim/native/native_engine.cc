#include "sim/native/native_engine.h"

#include <algorithm>

#include "sim/model/check.h"
#include "sim/native/event_heap.h"

namespace bqsim {
namespace {

class NativeLoop : public EventSink {
 public:
  explicit NativeLoop(Runtime& runtime) : rt_(runtime) {}

  void schedule(Event&& e) override {
    queue_.push(e);
    peak_ = std::max(peak_, queue_.size());
  }

  RunStats run() {
    // Starts first, in id order, as every engine does (Runtime::start).
    for (NodeId id = 0; id < static_cast<NodeId>(rt_.nodes()) && !rt_.over(); ++id) {
      rt_.start(id, *this);
    }
    const double horizon = rt_.horizon_s();
    while (!rt_.over() && !queue_.empty() && queue_.next_time() <= horizon) {
      rt_.handle(queue_.pop(), *this);
    }
    RunStats stats = rt_.stats();
    stats.peak_pending_events = peak_;
    stats.queue_bytes = queue_.bytes_reserved();
    return stats;
  }

 private:
  Runtime& rt_;
  EventHeap queue_;
  uint64_t peak_ = 0;
};

}  // namespace

NativeRefusal native_engine_refusal(const Scenario& sc) {
  if (sc.network.model == NetModel::bandwidth) {
    return {"/network/model", "\"latency\" with engine \"native\" (the bandwidth model's flows are "
            "SimGrid's: use engine \"simgrid\")", "\"bandwidth\""};
  }
  if (!sc.network.platform_file.empty()) {
    return {"/network/platform_file", "no platform file with engine \"native\" (platform files are "
            "SimGrid's: use engine \"simgrid\")", "'" + sc.network.platform_file + "'"};
  }
  return {};
}

RunStats run_native(Runtime& runtime) {
  BQSIM_CHECK(native_engine_refusal(runtime.scenario()).pointer.empty(),
              "the native engine runs the latency model without a platform file");
  NativeLoop loop(runtime);
  return loop.run();
}

}  // namespace bqsim
