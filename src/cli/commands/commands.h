// commands.h: one entry function per command (STYLE.md rule 2); each lives in its own file
// (add.cpp, remove.cpp, ...). Handlers run after parsing and the global checks succeeded.
#pragma once

#include "base/result.h"
#include "cli/command_table.h"

namespace av::cli::commands {

Status run_help(const Invocation& in);             // help [<command>...]: usage on stderr
Status run_add(const Invocation& in);              // spec §2.1
Status run_remove(const Invocation& in);           // spec §2.2
Status run_migrate_backend(const Invocation& in);  // spec §2.9
Status run_list(const Invocation& in);             // spec §2.3
Status run_rotate(const Invocation& in);           // spec §2.4
Status run_exec(const Invocation& in);             // spec §2.5
Status run_export(const Invocation& in);           // spec §2.6
Status run_clear(const Invocation& in);            // spec §2.7
Status run_login(const Invocation& in);            // spec §2.8
Status run_proxy(const Invocation& in);            // spec §2.10
Status run_version(const Invocation& in);          // spec §2.11: version on stdout

}  // namespace av::cli::commands
