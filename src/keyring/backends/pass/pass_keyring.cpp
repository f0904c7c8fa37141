// pass_keyring.cpp: the pass / passage backends (see pass_keyring.h; backends.md §2.3, §2.4).
//
// Invariants: every name handed to the tool went through entry_name (cleaned, inside the
// prefix, no leading '-', no NUL); secrets only travel on the child's stdin and come back in
// locked memory; nothing here ever deletes an entry except remove().
#include "keyring/backends/pass/pass_keyring.h"

#include <algorithm>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "keyring/item_json.h"
#include "platform/paths.h"
#include "platform/process.h"
#include "platform/secure_file.h"

namespace av::keyring::pass {
namespace {

// ToolInfo: what differs between pass and passage (backends §2.4).
struct ToolInfo {
  std::string_view name;          // default command, and the word used in messages
  std::string_view extension;     // entry file suffix
  std::string_view dir_variable;  // store variable read at open and given to the child
  std::string_view default_dir;   // before '~' expansion
  std::string_view store_noun;    // "password store" / "passage store"
};

constexpr ToolInfo kPassInfo{"pass", ".gpg", "PASSWORD_STORE_DIR", "~/.password-store",
                             "password store"};
constexpr ToolInfo kPassageInfo{"passage", ".age", "PASSAGE_DIR", "~/.passage/store",
                                "passage store"};
// passage's identities file when $PASSAGE_IDENTITIES_FILE is unset (its documented default).
constexpr std::string_view kPassageDefaultIdentities = "~/.passage/identities";
// The longest piece of the tool's stderr quoted in an error message.
constexpr std::size_t kMaxQuotedStderrBytes = 300;

const ToolInfo& info_for(PassTool tool) noexcept {
  return tool == PassTool::Passage ? kPassageInfo : kPassInfo;
}

// clean_into appends the segments of `path` to `segments` the way Go's filepath.Clean resolves
// them ('/'-runs collapse, '.' vanishes, '..' drops the previous segment). Returns false when a
// '..' would drop a segment below index `floor`, i.e. leave the folder the path is relative to.
bool clean_into(std::string_view path, std::vector<std::string_view>& segments,
                std::size_t floor) {
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment != "..") {
      segments.push_back(segment);
      continue;
    }
    if (segments.size() <= floor) return false;
    segments.pop_back();
  }
  return true;
}

std::string join_segments(const std::vector<std::string_view>& segments) {
  std::string out;
  for (std::string_view segment : segments) {
    if (!out.empty()) out += '/';
    out += segment;
  }
  return out;
}

// last_stderr_line: the last non-blank line of the tool's stderr, quoted, for error messages.
std::string last_stderr_line(std::string_view text) {
  while (!text.empty() && ascii::is_space(text.back())) text.remove_suffix(1);
  std::size_t newline = text.rfind('\n');
  if (newline != std::string_view::npos) text.remove_prefix(newline + 1);
  if (text.size() > kMaxQuotedStderrBytes) text = text.substr(0, kMaxQuotedStderrBytes);
  return text.empty() ? std::string() : ": " + ascii::quote_for_terminal(text);
}

Result<std::string> resolve_store_dir(const PassOptions& options, const ToolInfo& tool) {
  std::string_view dir = options.dir;
  if (dir.empty()) dir = options.env.get_nonempty(tool.dir_variable).value_or(tool.default_dir);
  return platform::expand_home(dir, options.env);
}

Status check_directory(const std::string& dir, const ToolInfo& tool) {
  AV_TRY_ASSIGN(bool exists, platform::file_exists(dir));
  if (!exists) {
    return Error(Errc::NotFound, std::string(tool.store_noun) + " " +
                                     ascii::quote_for_terminal(dir) + " does not exist");
  }
  auto listed = platform::list_dir(dir);
  if (!listed) {
    return Error(Errc::Config, std::string(tool.store_noun) + " " + ascii::quote_for_terminal(dir) +
                                   ": " + std::string(listed.error().message()));
  }
  return ok();
}

// check_gpg_id: pass encrypts an entry for the .gpg-id nearest above it, so one must exist in
// the store root or in a folder on the way down to the prefix.
Status check_gpg_id(const std::string& dir, const std::string& prefix) {
  std::string folder = dir;
  std::vector<std::string_view> segments;
  (void)clean_into(prefix, segments, 0);
  for (std::size_t i = 0;; ++i) {
    AV_TRY_ASSIGN(bool found, platform::file_exists(platform::join_path(folder, ".gpg-id")));
    if (found) return ok();
    if (i == segments.size()) break;
    folder = platform::join_path(folder, segments[i]);
  }
  return Error(Errc::Config, "password store " + ascii::quote_for_terminal(dir) +
                                 " is not initialised (no .gpg-id; run pass init)");
}

// check_passage_identities: passage decrypts with $PASSAGE_IDENTITIES_FILE (default
// ~/.passage/identities); without it no entry can ever be read.
Status check_passage_identities(const platform::Environment& env) {
  std::string_view configured =
      env.get_nonempty("PASSAGE_IDENTITIES_FILE").value_or(kPassageDefaultIdentities);
  AV_TRY_ASSIGN(std::string path, platform::expand_home(configured, env));
  AV_TRY_ASSIGN(bool found, platform::file_exists(path));
  if (found) return ok();
  return Error(Errc::Config,
               "passage identities file " + ascii::quote_for_terminal(path) + " does not exist");
}

Result<std::string> clean_prefix(std::string_view prefix, const ToolInfo& tool) {
  std::vector<std::string_view> segments;
  if (prefix.find('\0') != std::string_view::npos || !clean_into(prefix, segments, 0)) {
    return Error(Errc::Config, std::string(tool.name) + " prefix " +
                                   ascii::quote_for_terminal(prefix) + " leaves the store");
  }
  return join_segments(segments);
}

// StoreWalk: the bounded depth-first listing behind keys(). Directories are recognised by
// listing them; symlinks (a resolved path that differs from the joined one) are skipped, as
// upstream's walk never follows them.
struct PendingDir {
  std::string path;  // absolute and symlink-free
  std::string rel;   // relative to the walk root, '/'-separated
  std::size_t depth = 0;
  std::vector<std::string> names;
};

class StoreWalk {
 public:
  explicit StoreWalk(std::string_view extension) : extension_(extension) {}

  Status visit_entry(const PendingDir& parent, const std::string& name) {
    if (++visited_ > limits::kMaxPassStoreEntries) {
      return Error(Errc::TooLarge, "store walk: more than " +
                                       std::to_string(limits::kMaxPassStoreEntries) + " entries");
    }
    std::string path = parent.path + "/" + name;
    std::string rel = parent.rel.empty() ? name : parent.rel + "/" + name;
    AV_TRY_ASSIGN(std::string resolved, platform::resolve_symlinks(path));
    if (resolved != path) return ok();  // a symlink
    auto listed = platform::list_dir(path);
    if (listed) {
      if (parent.depth + 1 > limits::kMaxPassStoreDepth) {
        return Error(Errc::TooLarge, "store walk: folders nested deeper than " +
                                         std::to_string(limits::kMaxPassStoreDepth));
      }
      pending_.push_back({std::move(path), std::move(rel), parent.depth + 1, std::move(*listed)});
      return ok();
    }
    if (listed.error().code() == Errc::NotFound) return ok();  // vanished meanwhile
    if (listed.error().code() == Errc::PermissionDenied) return std::move(listed).error();
    // Not a directory (ENOTDIR): an entry if it carries the extension and a name before it.
    if (name.size() > extension_.size() && name.ends_with(extension_)) {
      keys_.push_back(rel.substr(0, rel.size() - extension_.size()));
    }
    return ok();
  }

  Result<std::vector<std::string>> run(std::string root, std::vector<std::string> names) {
    pending_.push_back({std::move(root), std::string(), 0, std::move(names)});
    while (!pending_.empty()) {
      PendingDir dir = std::move(pending_.back());
      pending_.pop_back();
      for (const std::string& name : dir.names) AV_TRY(visit_entry(dir, name));
    }
    std::sort(keys_.begin(), keys_.end());
    return std::move(keys_);
  }

 private:
  std::string_view extension_;
  std::vector<PendingDir> pending_;
  std::vector<std::string> keys_;
  std::size_t visited_ = 0;
};

}  // namespace

Result<std::unique_ptr<PassKeyring>> PassKeyring::open(PassOptions options) {
  const ToolInfo& tool = info_for(options.tool);
  std::string command = options.command.empty() ? std::string(tool.name) : options.command;
  auto program = platform::look_path(command, options.env);
  if (!program) {
    return Error(Errc::NotFound, "the " + std::string(tool.name) + " program is not available: " +
                                     std::string(program.error().message()));
  }
  AV_TRY_ASSIGN(std::string dir, resolve_store_dir(options, tool));
  AV_TRY_ASSIGN(std::string prefix, clean_prefix(options.prefix, tool));
  AV_TRY(check_directory(dir, tool));
  if (options.tool == PassTool::Pass) {
    AV_TRY(check_gpg_id(dir, prefix));
  } else {
    AV_TRY(check_passage_identities(options.env));
  }
  std::unique_ptr<PassKeyring> keyring(new PassKeyring());
  keyring->tool_ = options.tool;
  keyring->program_ = std::move(*program);
  keyring->dir_ = dir;
  keyring->prefix_ = std::move(prefix);
  keyring->env_ = std::move(options.env);
  keyring->env_.set(tool.dir_variable, dir);
  keyring->timeout_ = options.timeout;
  return keyring;
}

Result<std::string> PassKeyring::entry_name(std::string_view key) const {
  const ToolInfo& tool = info_for(tool_);
  if (key.size() > limits::kMaxKeyringKeyBytes) {
    return Error(Errc::TooLarge, std::string(tool.name) + ": key too long");
  }
  std::string quoted = ascii::quote_for_terminal(key);
  if (key.find('\0') != std::string_view::npos) {
    return Error(Errc::Parse, std::string(tool.name) + ": key " + quoted + " contains NUL");
  }
  std::vector<std::string_view> segments;
  (void)clean_into(prefix_, segments, 0);
  std::size_t floor = segments.size();
  if (!clean_into(key, segments, floor)) {
    return Error(Errc::Parse, std::string(tool.name) + ": key " + quoted + " leaves the prefix");
  }
  if (segments.size() == floor) {
    return Error(Errc::Parse,
                 std::string(tool.name) + ": key " + quoted + " does not name an entry");
  }
  std::string name = join_segments(segments);
  if (name.starts_with('-')) {
    return Error(Errc::Parse, std::string(tool.name) + ": key " + quoted +
                                  " would be read as an option (leading '-')");
  }
  return name;
}

Result<std::string> PassKeyring::entry_path(std::string_view key, std::string* out_name) const {
  AV_TRY_ASSIGN(*out_name, entry_name(key));
  return platform::join_path(dir_, *out_name + std::string(info_for(tool_).extension));
}

Result<secure::SecretBytes> PassKeyring::run_tool(std::vector<std::string> args,
                                                  const secure::SecretString* input,
                                                  std::size_t max_stdout_len) {
  std::string what = std::string(info_for(tool_).name);
  for (const std::string& arg : args) what += " " + ascii::escape_for_terminal(arg);
  platform::RunRequest request;
  request.argv.push_back(program_);
  for (std::string& arg : args) request.argv.push_back(std::move(arg));
  request.env = &env_;
  if (input != nullptr) request.stdin_data = input->reveal_bytes();
  request.max_stdout_len = max_stdout_len;
  request.timeout = timeout_;
  auto result = platform::run_program(request);
  if (!result) return std::move(result).error().with_context(what);
  if (!result->status.success()) {
    return Error(Errc::Keyring,
                 what + ": " + result->status.describe() + last_stderr_line(result->stderr_text));
  }
  return std::move(result->stdout_data);
}

Result<Item> PassKeyring::get(std::string_view key) {
  std::string name;
  AV_TRY_ASSIGN(std::string path, entry_path(key, &name));
  AV_TRY_ASSIGN(bool exists, platform::file_exists(path));
  if (!exists) return not_found_error();
  AV_TRY_ASSIGN(secure::SecretBytes output,
                run_tool({"show", name}, nullptr, limits::kMaxItemJsonBytes));
  auto item = parse_item_json(as_chars(output.reveal()));
  if (!item) {
    return std::move(item).error().with_context(std::string(info_for(tool_).name) + " entry " +
                                                ascii::quote_for_terminal(name));
  }
  return item;
}

Result<Metadata> PassKeyring::get_metadata(std::string_view /*key*/) {
  // backends §1.5: upstream returns an empty value and no error, without looking.
  return Metadata{};
}

Status PassKeyring::set(const Item& item) {
  AV_TRY_ASSIGN(std::string name, entry_name(item.key));
  AV_TRY_ASSIGN(secure::SecretString json, serialize_item_json(item));
  // insert's stdout is not the secret (git commit chatter at most); it is read and dropped.
  AV_TRY(run_tool({"insert", "-m", "-f", name}, &json, limits::kMaxProcessOutputBytes));
  return ok();
}

Status PassKeyring::remove(std::string_view key) {
  std::string name;
  AV_TRY_ASSIGN(std::string path, entry_path(key, &name));
  AV_TRY_ASSIGN(bool exists, platform::file_exists(path));
  if (!exists) return not_found_error();
  AV_TRY(run_tool({"rm", "-f", name}, nullptr, limits::kMaxProcessOutputBytes));
  return ok();
}

Result<std::vector<std::string>> PassKeyring::keys() {
  std::string root = platform::join_path(dir_, prefix_);
  AV_TRY_ASSIGN(bool exists, platform::file_exists(root));
  if (!exists) return std::vector<std::string>();
  AV_TRY_ASSIGN(std::string resolved, platform::resolve_symlinks(root));
  AV_TRY_ASSIGN(std::vector<std::string> names, platform::list_dir(resolved));
  StoreWalk walk(info_for(tool_).extension);
  return walk.run(std::move(resolved), std::move(names));
}

}  // namespace av::keyring::pass
