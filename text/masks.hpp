#pragma once
// Masking for logs, admin lists and chat echoes (DESIGN.md "Data in Redis": masked values only).
// Pure: no I/O.
#include <string>
#include <string_view>

namespace kayou::text {

// "320102199001011234" -> "3201**********1234": first 4 and last 4 kept when the value has at
// least 15 characters (the old 15-digit numbers too); anything shorter becomes all stars, because
// keeping 8 characters of a short value would show most of it.
std::string mask_id_card(std::string_view id);

// "13800138000" -> "138****8000": first 3 and last 4 kept when at least 11 characters, else all
// stars.
std::string mask_mobile(std::string_view mobile);

// "张三" -> "张*", "欧阳娜娜" -> "欧阳**" (a compound surname stays whole), "Alex" -> "A***".
// The first code point is kept, every other one becomes a star; a one-character value becomes "*".
std::string mask_name(std::string_view name);

// "苏D12345" -> "苏D***45", "粤BD12345" -> "粤B****45", "苏D1234挂" -> "苏D***4挂": first 2 and
// last 2 code points kept when at least 5, else all stars.
std::string mask_plate(std::string_view plate);

}  // namespace kayou::text
