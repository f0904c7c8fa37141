// backends.h: which keyring backends `--backend` accepts on this platform (spec §1.6).
//
// This is the ONE place the list lives; the keyring layer will replace the body with its own
// registry once it exists (the CLI only needs the names, in priority order).
#pragma once

#include <string>
#include <vector>

#include "platform/env.h"

namespace av::cli {

// available_backends returns the Linux list of spec §1.6 without proton-pass (not shipped):
// secret-service and kwallet only when DBUS_SESSION_BUS_ADDRESS is non-empty (kwallet not when
// DISABLE_KWALLET=1), then keyctl, pass, passage, file, op-connect, op, op-desktop. Never empty.
std::vector<std::string> available_backends(const platform::Environment& env);

}  // namespace av::cli
