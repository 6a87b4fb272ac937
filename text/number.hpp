#pragma once
// Integers stored as text (Redis hash fields, stream fields).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kayou::text {

// The integer `text` starts with (std::stoll's reading: leading spaces and a sign allowed, the
// rest ignored); 0 when it starts with none or does not fit: a missing field reads as 0.
std::int64_t to_int64(std::string_view text);

// "第二个", "第2家", "第三站", "第一条": the place in a list a message names after 第 (1-based;
// 一 to 五 or 1 to 9), 0 when it names none. "第一次来" is no pick: the numeral must end the text
// or come before 个, 家, 站, 处, 号 or 条.
std::size_t list_ordinal(std::string_view text);

}  // namespace kayou::text
