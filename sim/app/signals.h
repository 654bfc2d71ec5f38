// SIGINT and SIGTERM during `bqsim run`: one line on stderr, exit 128 + the signal (130, 143),
// and nothing left that looks complete. SimGrid installs its own SIGINT handler when its
// engine starts (the first Ctrl-C lists the actors, the second exits 1, which bqsim reserves
// for "the checker found a violation"), so bqsim never lets the signals reach a handler: they
// are blocked in every thread and taken by one thread that waits for them.
#pragma once

#include <mutex>
#include <string>

namespace bqsim::app {

// Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts later
// (SimGrid's included, and a child it forks): a stop that arrives from now on waits, pending,
// for handle_stop_signals. REQUIRES: called before any other thread exists.
void block_stop_signals();

// Blocks them (if not yet) and starts the thread that handles them, pending ones first.
// REQUIRES: called once, before any other thread exists.
void handle_stop_signals();

// From now on a stop also removes `dir`/manifest.json: the outputs are being written, and a run
// stopped while or just after they are must not look complete.
void outputs_begin(const std::string& dir);

// Held by a stop until the process exits: write_run_outputs puts the manifest in place under
// it, so a run that exits 130/143 never leaves a manifest.
std::mutex& manifest_lock();

}  // namespace bqsim::app
