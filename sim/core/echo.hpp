// Bounding what error messages echo back: a found value, a CSV field, a name or a key path is shown at most
// a few dozen characters long (cut with "..."), with control characters escaped, so that a 300-digit
// number or a 50 MB name in an input file gives a message a person can read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dcsim {

// How many characters of a found value a message shows.
inline constexpr std::size_t kEchoChars = 60;
// How many characters of a key path a message shows (paths are longer than values but still bounded).
inline constexpr std::size_t kEchoPathChars = 120;
// How many characters of a file name a message's location shows.
inline constexpr std::size_t kEchoFileChars = 400;
// The longest name a scenario may give a site, cluster, class, tier, loop or other named thing.
inline constexpr std::size_t kMaxNameChars = 64;

// `text` as a message shows it: control characters and bytes that are not UTF-8 escaped (\n, \t, \r,
// \xNN) and, when longer than `max`
// characters, cut to max - 3 (never inside a UTF-8 sequence) followed by "...".
std::string echo(std::string_view text, std::size_t max = kEchoChars);

// The length (1-4) of the well-formed UTF-8 sequence that begins at byte i of `text`, or 0 if none does.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;
// The byte offset of the first byte of `text` that does not begin a well-formed UTF-8 sequence (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or std::string_view::npos when all is well.
std::size_t invalid_utf8_at(std::string_view text) noexcept;

// A number as a message shows it: %.10g (never a 300-digit expansion).
std::string echo_number(double v);

}  // namespace dcsim
