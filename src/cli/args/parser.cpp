// parser.cpp: the kingpin v2 token model (spec §1.1).
//
// Tokens are produced lazily because whether `-xyz` is a bundle of booleans or `-x` with the
// value `yz` depends on the flags in scope at that moment (the command word widens the scope).
// Invariants: the lexer never reads past `args`; every error is produced once and stops the walk.
#include "cli/args/parser.h"

#include <algorithm>

#include "base/ascii.h"
#include "base/limits.h"
#include "cli/args/parse_bool.h"

namespace av::cli::args {
namespace {

enum class TokenKind : std::uint8_t { Long, Short, Arg, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string value;
  bool inline_value = false;  // Long token written as --name=value

  // display is the token as kingpin prints it in messages, escaped for the terminal.
  std::string display() const {
    const std::string escaped = ascii::escape_for_terminal(value);
    if (kind == TokenKind::Long) return "--" + escaped;
    if (kind == TokenKind::Short) return "-" + escaped;
    return escaped;
  }
};

const FlagSpec* find_long(const std::vector<const FlagSpec*>& flags, std::string_view name) {
  for (const FlagSpec* f : flags) {
    if (f->name == name) return f;
  }
  return nullptr;
}

const FlagSpec* find_short(const std::vector<const FlagSpec*>& flags, std::string_view name) {
  if (name.size() != 1) return nullptr;
  for (const FlagSpec* f : flags) {
    if (f->short_name != '\0' && f->short_name == name[0]) return f;
  }
  return nullptr;
}

// utf8_char_len is the length of the UTF-8 sequence starting at text[0], clamped to the text, so
// an unknown non-ASCII short flag is reported whole.
std::size_t utf8_char_len(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t len = 1;
  if (lead >= 0xF0) {
    len = 4;
  } else if (lead >= 0xE0) {
    len = 3;
  } else if (lead >= 0xC0) {
    len = 2;
  }
  return std::min(len, text.size());
}

class Lexer {
 public:
  Lexer(std::span<const std::string> args, const ScanState& state) : args_(args), state_(state) {}

  const Token& peek() {
    if (pending_.empty()) {
      Token t = lex();
      pending_.push_back(std::move(t));
    }
    return pending_.back();
  }
  void next() {
    if (!pending_.empty()) pending_.pop_back();
  }
  bool args_only() const noexcept { return args_only_; }

 private:
  Token lex() {
    std::string arg;
    if (!bundle_.empty()) {
      arg = "-" + bundle_;
      bundle_.clear();
    } else {
      if (pos_ >= args_.size()) return Token{};
      arg = args_[pos_++];
      if (args_only_) return Token{TokenKind::Arg, arg};
      if (arg == "--") {
        args_only_ = true;
        return lex();
      }
    }
    if (arg.starts_with("--")) return lex_long(arg);
    if (arg.starts_with("-")) return lex_short(arg);
    return Token{TokenKind::Arg, arg};
  }

  Token lex_long(std::string_view arg) {
    std::string_view body = arg.substr(2);
    const std::size_t eq = body.find('=');
    if (eq == std::string_view::npos) return Token{TokenKind::Long, std::string(body)};
    // The value is queued below the flag token (pending_ is a stack).
    pending_.push_back(Token{TokenKind::Arg, std::string(body.substr(eq + 1))});
    return Token{TokenKind::Long, std::string(body.substr(0, eq)), true};
  }

  Token lex_short(std::string_view arg) {
    std::string_view body = arg.substr(1);
    if (body.empty()) return Token{TokenKind::Short, ""};
    const std::size_t len = utf8_char_len(body);
    const std::string name(body.substr(0, len));
    std::string_view rest = body.substr(len);
    const FlagSpec* flag = find_short(state_.flags, name);
    if (flag != nullptr && flag->kind != FlagKind::Bool) {
      if (!rest.empty()) pending_.push_back(Token{TokenKind::Arg, std::string(rest)});
      return Token{TokenKind::Short, name};
    }
    bundle_ = std::string(rest);  // unknown or boolean: the rest is more short flags
    return Token{TokenKind::Short, name};
  }

  std::span<const std::string> args_;
  const ScanState& state_;
  std::size_t pos_ = 0;
  bool args_only_ = false;
  std::string bundle_;
  std::vector<Token> pending_;
};

Error usage_error(std::string message) { return Error(Errc::Usage, std::move(message)); }

// parse_flag consumes one flag token (and its value) into state.elements.
Status parse_flag(Lexer& lx, ScanState& state) {
  const Token token = lx.peek();
  const FlagSpec* flag = nullptr;
  bool invert = false;
  if (token.kind == TokenKind::Long) {
    flag = find_long(state.flags, token.value);
    if (flag == nullptr && token.value.starts_with("no-")) {
      flag = find_long(state.flags, std::string_view(token.value).substr(3));
      invert = true;
    }
    if (flag == nullptr) return usage_error("unknown long flag '" + token.display() + "'");
  } else {
    flag = find_short(state.flags, token.value);
    if (flag == nullptr) return usage_error("unknown short flag '" + token.display() + "'");
  }
  lx.next();
  std::string value;
  if (flag->kind == FlagKind::Bool) {
    if (token.inline_value) {
      return usage_error("flag '" + token.display() + "' does not take a value");
    }
    value = invert ? "false" : "true";
  } else {
    if (invert) return usage_error("unknown long flag '" + token.display() + "'");
    const Token& next = lx.peek();
    if (next.kind != TokenKind::Arg) {
      return usage_error("expected argument for flag '" + token.display() + "'");
    }
    value = next.value;
    lx.next();
  }
  state.elements.push_back(Element{flag, nullptr, std::move(value)});
  return ok();
}

void select_command(ScanState& state, const CommandSpec& command) {
  state.command = &command;
  for (const FlagSpec& f : command.flags) state.flags.push_back(&f);
}

// next_arg returns the positional that the next value fills, or nullptr when all are filled.
const ArgSpec* next_arg(const ScanState& state) {
  if (state.command == nullptr) return nullptr;
  const auto& specs = state.command->args;
  std::size_t filled = 0;
  for (const Element& e : state.elements) {
    if (e.arg != nullptr) {
      if (e.arg->rest) return e.arg;
      ++filled;
    }
  }
  return filled < specs.size() ? &specs[filled] : nullptr;
}

// scan_positional handles one Arg token; false when the walk must stop.
bool scan_positional(Lexer& lx, ScanState& state, const AppSpec& app, const Token& token) {
  if (state.command == nullptr && !app.commands.empty()) {
    const CommandSpec* command = find_command(app, token.value);
    if (command == nullptr) {
      state.error = usage_error("expected command but got " + ascii::quote_for_terminal(token.value));
      return false;
    }
    select_command(state, *command);
    lx.next();
    return true;
  }
  const ArgSpec* arg = next_arg(state);
  if (arg == nullptr) return false;
  state.elements.push_back(Element{nullptr, arg, token.value});
  lx.next();
  return true;
}

}  // namespace

const CommandSpec* find_command(const AppSpec& app, std::string_view word) noexcept {
  for (const CommandSpec& c : app.commands) {
    if (c.name == word) return &c;
    for (const std::string& alias : c.aliases) {
      if (alias == word) return &c;
    }
  }
  return nullptr;
}

ScanState scan(const AppSpec& app, std::span<const std::string> args) {
  ScanState state;
  for (const FlagSpec& f : app.flags) state.flags.push_back(&f);
  Lexer lx(args, state);
  for (;;) {
    const Token token = lx.peek();
    if (token.kind == TokenKind::End) break;
    if (token.kind == TokenKind::Arg) {
      if (!scan_positional(lx, state, app, token)) break;
      continue;
    }
    if (Status s = parse_flag(lx, state); !s) {
      state.error = std::move(s).error();
      break;
    }
  }
  state.args_only = lx.args_only();
  if (!state.error && lx.peek().kind != TokenKind::End) {
    state.error = usage_error("unexpected " + lx.peek().display());
  }
  return state;
}

}  // namespace av::cli::args
