// backends.cpp: spec §1.6 availability filter (Linux). The D-Bus check is approximated by the
// presence of a session bus address; the real connection attempt belongs to the keyring layer.
#include "cli/backends.h"

namespace av::cli {

std::vector<std::string> available_backends(const platform::Environment& env) {
  std::vector<std::string> out;
  if (env.get_nonempty("DBUS_SESSION_BUS_ADDRESS")) {
    out.emplace_back("secret-service");
    if (env.get("DISABLE_KWALLET").value_or("") != "1") out.emplace_back("kwallet");
  }
  for (const char* name : {"keyctl", "pass", "passage", "file", "op-connect", "op", "op-desktop"}) {
    out.emplace_back(name);
  }
  return out;
}

}  // namespace av::cli
