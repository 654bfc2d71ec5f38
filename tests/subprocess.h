// Runs the bqsim binary as a subprocess from tests: SimGrid allows one engine per process, so
// every simulation a test needs is its own `bqsim run`.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bqsim::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

// A fresh, empty directory under the system temp dir, unique to this process and tag.
inline std::filesystem::path temp_dir(const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() /
             ("bqsim-test-" + std::to_string(::getpid()) + "-" + tag);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs `program` (already shell-quoted, may hold several words) with args (each quoted),
// capturing stdout, stderr and the exit code.
inline ProcessResult run_command(const std::string& program,
                                 const std::vector<std::string>& args) {
  static int counter = 0;
  const auto dir = temp_dir("proc" + std::to_string(counter++));
  std::string cmd = program;
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `" " + std::string`.
  for (const auto& a : args) {
    cmd += ' ';
    cmd += shell_quote(a);
  }
  cmd += " >";
  cmd += shell_quote((dir / "out").string());
  cmd += " 2>";
  cmd += shell_quote((dir / "err").string());
  const int status = std::system(cmd.c_str());
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(dir / "out");
  r.err = read_text(dir / "err");
  std::filesystem::remove_all(dir);
  return r;
}

// Runs BQSIM_BINARY with args.
inline ProcessResult run_bqsim(const std::vector<std::string>& args) {
  return run_command(shell_quote(BQSIM_BINARY), args);
}

inline std::string source_path(const std::string& relative) {
  return std::string(BQSIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace bqsim::test
