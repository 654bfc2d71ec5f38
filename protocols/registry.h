// The one explicit list of protocols. Adding a protocol: a folder in protocols/ defining its
// description function (declared below) and one line in registry.cc.
#pragma once

#include <vector>

#include "sim/model/protocol.h"

namespace bqsim {

const std::vector<ProtocolDescription>& protocol_registry();

// One per protocol folder.
ProtocolDescription mr_masking_protocol();         // protocols/mr_masking
ProtocolDescription mr_dissemination_protocol();   // protocols/mr_dissemination
ProtocolDescription sbq_masking_protocol();        // protocols/sbq_masking
ProtocolDescription sbq_dissemination_protocol();  // protocols/sbq_dissemination
ProtocolDescription sync_threshold_protocol();     // protocols/sync_threshold
ProtocolDescription u_masking_protocol();          // protocols/u_masking
ProtocolDescription u_dissemination_protocol();    // protocols/u_dissemination

}  // namespace bqsim
