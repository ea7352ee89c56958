// The nesting guard for TOML text: see toml_depth.hpp.
#include "sim/io/toml_depth.hpp"

#include <cstdint>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/input_limits.hpp"

namespace dcsim::io {

namespace {

bool bare_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : t_(text) {}

  // The first place nested too deep, or {0, 0}.
  TextPos run() {
    try {
      scan();
    } catch (const TextPos& p) {
      return p;
    }
    return {};
  }

 private:
  void scan() {
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '\n') {
        newline();
      } else if (c == ' ' || c == '\t' || c == '\r') {
        advance(1);
      } else if (c == '#') {
        while (i_ < t_.size() && t_[i_] != '\n') advance(1);
      } else if (key_token(c)) {
        // a segment of a key, or a dot
      } else if (c == '=') {
        value_depth_ = level_ + run_;  // the key's own segments
        in_key_ = false;
        reset_run();
        advance(1);
      } else if (c == '[' && stack_.empty() && line_start_) {
        header();
      } else if (c == '[' || c == '{') {
        stack_.push_back(Frame{level_, c == '{'});
        level_ = value_depth_ + 1;
        check(level_);
        value_depth_ = level_;
        in_key_ = c == '{';
        reset_run();
        advance(1);
      } else if (c == ']' || c == '}') {
        if (!stack_.empty()) {
          level_ = stack_.back().level;
          stack_.pop_back();
        }
        in_key_ = false;
        reset_run();
        advance(1);
      } else if (c == ',') {
        value_depth_ = level_;
        in_key_ = !stack_.empty() && stack_.back().inline_table;
        reset_run();
        advance(1);
      } else {
        reset_run();
        advance(1);
      }
    }
  }

  struct Frame {
    std::size_t level;
    bool inline_table;
  };

  void advance(std::size_t n) {
    for (std::size_t k = 0; k < n && i_ < t_.size(); ++k) {
      if (t_[i_] != ' ' && t_[i_] != '\t' && t_[i_] != '\r') line_start_ = false;
      ++i_;
      ++col_;
    }
  }
  void newline() {
    ++i_;
    ++line_;
    col_ = 1;
    line_start_ = true;
    reset_run();
    if (stack_.empty()) {
      value_depth_ = level_;
      in_key_ = true;
    }
  }
  void reset_run() {
    run_ = 0;
    after_dot_ = false;
  }
  // A key segment (or a word of a value): extends the dotted chain it follows.
  // One token of a key: a quoted or bare segment, or a dot. False when `c` starts none.
  bool key_token(char c) {
    if (c == '"' || c == '\'') {
      skip_string();
      segment();
    } else if (bare_char(c)) {
      while (i_ < t_.size() && bare_char(t_[i_])) advance(1);
      segment();
    } else if (c == '.') {
      after_dot_ = run_ > 0;
      advance(1);
    } else {
      return false;
    }
    return true;
  }

  void segment() {
    run_ = after_dot_ ? run_ + 1 : 1;
    after_dot_ = false;
    if (in_key_) check(level_ + run_);
  }
  void check(std::size_t depth) const {
    if (depth > limits::kMaxDepth) throw TextPos{line_, col_};
  }
  // [a.b.c] or [[a.b.c]] at the start of a line: the tables that follow start at that depth.
  void header() {
    const bool array = i_ + 1 < t_.size() && t_[i_ + 1] == '[';
    advance(array ? 2 : 1);
    level_ = 0;
    in_key_ = true;
    reset_run();
    while (i_ < t_.size() && t_[i_] != ']' && t_[i_] != '\n') {
      if (!key_token(t_[i_])) advance(1);
    }
    level_ = run_ + (array ? 1 : 0);
    check(level_);
    reset_run();
    while (i_ < t_.size() && t_[i_] == ']') advance(1);
  }
  // Skips a basic, literal or multi-line string starting at i_.
  void skip_string() {
    const char q = t_[i_];
    const bool multi = i_ + 2 < t_.size() && t_[i_ + 1] == q && t_[i_ + 2] == q;
    advance(multi ? 3 : 1);
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '\\' && q == '"') {
        advance(1);
        if (i_ < t_.size() && t_[i_] == '\n') newline_in_string();
        else advance(1);
        continue;
      }
      if (c == '\n') {
        if (!multi) return;  // an unterminated string: the parser reports it
        newline_in_string();
        continue;
      }
      if (c == q) {
        if (!multi) {
          advance(1);
          return;
        }
        if (i_ + 2 < t_.size() && t_[i_ + 1] == q && t_[i_ + 2] == q) {
          advance(3);
          while (i_ < t_.size() && t_[i_] == q) advance(1);  // up to two quotes may end the content
          return;
        }
      }
      advance(1);
    }
  }
  void newline_in_string() {
    ++i_;
    ++line_;
    col_ = 1;
  }

  std::string_view t_;
  std::size_t i_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t col_ = 1;
  bool line_start_ = true;
  bool in_key_ = true;
  bool after_dot_ = false;
  std::size_t run_ = 0;
  std::size_t level_ = 0;        // depth of the container the current text is in
  std::size_t value_depth_ = 0;  // depth at which the next value sits
  std::vector<Frame> stack_;
};

}  // namespace

TextPos find_too_deep(std::string_view text) { return Scanner(text).run(); }

std::string too_deep_message() {
  return "nesting deeper than " + std::to_string(limits::kMaxDepth) +
         " levels (tables, arrays, inline tables and dotted keys together); no scenario needs that many";
}

void check_toml_nesting(std::string_view text, const std::string& source_name) {
  if (const TextPos p = find_too_deep(text); p.line != 0) {
    throw ConfigError(SourceLoc{source_name, p.line, p.column}, too_deep_message());
  }
}

}  // namespace dcsim::io
