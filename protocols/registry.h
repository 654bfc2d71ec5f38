// The one explicit list of protocols. Adding a protocol: a folder in protocols/ and one line
// in registry.cc.
#pragma once

#include <vector>

#include "sim/core/protocol.h"

namespace bqsim {

const std::vector<ProtocolDescription>& protocol_registry();

}  // namespace bqsim
