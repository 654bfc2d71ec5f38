// Always-on assertion for programmer errors (STYLE.md: "programmer errors (assertions that are
// always on)"). <cassert> is compiled out under NDEBUG, which the RelWithDebInfo build sets, so
// all of bqsim uses this instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#define BQSIM_CHECK(cond, what)                                                                   \
  do {                                                                                            \
    if (!(cond)) {                                                                                \
      std::fprintf(stderr, "bqsim: internal error at %s:%d: %s (%s)\n", __FILE__, __LINE__, what, \
                   #cond);                                                                        \
      std::abort();                                                                               \
    }                                                                                             \
  } while (0)
