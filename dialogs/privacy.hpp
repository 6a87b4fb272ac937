#pragma once
// Masking for logs, admin lists and chat echoes (DESIGN.md "Data in Redis": masked values only),
// and spotting personal data in free text so a group chat never repeats it. Pure: no I/O.
#include <string>
#include <string_view>

namespace kayou::dialogs {

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

struct PersonalDataFound {
    bool id_card = false;
    bool mobile = false;
    bool plate = false;

    bool any() const { return id_card || mobile || plate; }
};

// What personal data a free text holds. Digits may be full-width and split by spaces, dashes or
// parentheses ("3201 0219 9001 0112 34", "+86 138-0013-8000"); a number only counts when it is a
// whole run of digits, so a longer number (an order or bank number) does not hide a phone inside.
// ID card: 17 digits + digit/X (no check-digit test: a mistyped ID is still personal), or an old
// 15-digit number whose province code and yymmdd date are plausible. Mobile: 11 digits 1[3-9]…,
// optionally after +86 / 86 / 0086. Plate: anything validate_plate accepts.
PersonalDataFound find_personal_data(std::string_view text);

// The text with each item find_personal_data finds replaced by its masked form
// ("电话13800138000" -> "电话138****8000"); everything else is kept byte for byte.
std::string redact_personal_data(std::string_view text);

}  // namespace kayou::dialogs
