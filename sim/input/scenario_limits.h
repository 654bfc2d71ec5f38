// Limits on everything (STYLE.md), each far above any run a workstation completes, so that a
// typo such as an extra zero is reported instead of exhausting memory. Shared by the scenario
// walk, which enforces them, and the schema generator, which states them.
#pragma once

#include <cstddef>

namespace bqsim::scenario_limits {

inline constexpr int kMaxF = 10000;
inline constexpr int kMaxServers = 100000;
inline constexpr int kMaxClients = 1000000;
inline constexpr double kMaxOpsPerClient = 1e9;
inline constexpr double kMaxRegisters = 1e6;
inline constexpr double kMaxConcurrency = 1e4;
inline constexpr double kMaxValueBytes = 1 << 30;
inline constexpr size_t kMaxNameLength = 100;
// workload.script: per-client lists of operation kinds (for exploration-sized workloads).
inline constexpr size_t kMaxScriptClients = 64;
inline constexpr size_t kMaxScriptOps = 1000;
inline constexpr int kMinTimestampBits = 2;
inline constexpr int kMaxTimestampBits = 64;

}  // namespace bqsim::scenario_limits
