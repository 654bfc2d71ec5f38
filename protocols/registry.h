// The one explicit list of protocols. Adding a protocol: a folder in protocols/ defining its
// description function (declared below) and one line in registry.cc.
#pragma once

#include <vector>

#include "sim/core/protocol.h"

namespace bqsim {

const std::vector<ProtocolDescription>& protocol_registry();

// One per protocol folder.
ProtocolDescription mr_masking_protocol();   // protocols/mr_masking
ProtocolDescription sbq_masking_protocol();  // protocols/sbq_masking

}  // namespace bqsim
