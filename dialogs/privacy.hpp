#pragma once
// Spotting personal data in free text so a group chat never repeats it (the masks themselves:
// text/masks.hpp). Pure: no I/O.
#include <string>
#include <string_view>

namespace kayou::dialogs {

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

// The text with each of those items replaced by a space: what is left says what the message is
// for ("你好 我想入个会 我叫张伟 身份证号… 电话… 车牌…" is a join, not a greeting).
std::string without_personal_data(std::string_view text);

// without_personal_data, and the name of the field before each item goes too ("我身份证3204…
// 帮我看看入会了没" -> "  帮我看看入会了没"): left in, "身份证" turned a progress question into
// one about ID cards.
std::string without_personal_data_or_labels(std::string_view text);

// What is left of a message once its personal data is gone (without_personal_data) says
// nothing beyond naming the fields: "身份证", "我的手机号是：", "电话 身份证号 给你". Such a
// message asked nothing, so a group hears only the privacy warning (a search on "身份证" alone drew
// two answers, one about employers holding ID cards).
bool only_field_labels(std::string_view rest);

}  // namespace kayou::dialogs
