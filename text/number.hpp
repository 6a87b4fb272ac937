#pragma once
// Integers stored as text (Redis hash fields, stream fields).
#include <cstdint>
#include <string_view>

namespace kayou::text {

// The integer `text` starts with (std::stoll's reading: leading spaces and a sign allowed, the
// rest ignored); 0 when it starts with none or does not fit: a missing field reads as 0.
std::int64_t to_int64(std::string_view text);

}  // namespace kayou::text
