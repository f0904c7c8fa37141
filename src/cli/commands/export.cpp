// export.cpp: the `export` command (spec §2.6). Its keyring/config layers have not landed yet: the
// arguments are fully parsed and validated by the caller, then the command reports
// "not implemented yet".
#include "cli/commands/commands.h"

namespace av::cli::commands {

Status run_export(const Invocation& /*in*/) { return not_implemented(); }

}  // namespace av::cli::commands
