// not_implemented.cpp: the shared placeholder error of commands whose layers have not landed.
#include "cli/commands/commands.h"

namespace av::cli::commands {

Error not_implemented() { return Error(Errc::Unsupported, "not implemented yet"); }

}  // namespace av::cli::commands
