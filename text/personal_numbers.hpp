#pragma once
// ID-card and mobile numbers in free text, as people write them: digits full-width or split by
// spaces, dashes or parentheses. The rules are stated with dialogs::find_personal_data
// (dialogs/privacy.hpp), which adds plates; the employer validator (dialogs/validators.cpp) asks
// here whether an answer holds a number. Pure: no I/O.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::text {

// Whether the first two digits of an ID number name a province-level division: the GB/T 2260
// codes (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71 Taiwan, 81 Hong Kong, 82 Macau) plus 83,
// which residence permits for Taiwan residents use. 91 ("abroad" in some old lists) is not one.
bool is_id_province_code(int code);

// The last character of an ID number as drivers type it after its 17 digits: X or x, "×" from the
// symbol keyboard, "叉" from voice input. Only after 17 digits: "13800138000叉车" is a phone and a
// forklift.
constexpr bool is_id_x(char32_t cp, std::size_t digits_before) {
    constexpr std::size_t kIdDigits = 17;
    if (cp == U'X' || cp == U'x') return true;
    return (cp == U'\u00D7' || cp == U'叉') && digits_before == kIdDigits;
}

// One code point of a text, folded to half width (fold_width), with the bytes it came from.
struct FoldedUnit {
    char32_t cp;
    std::size_t begin, end;
};

// The code points of `bytes`; a malformed byte is one unit of its own, U+FFFD.
std::vector<FoldedUnit> folded_units(std::string_view bytes);

struct PersonalNumber {
    enum class Kind { id_card, mobile };
    Kind kind;
    std::size_t first, last;  // unit indexes, inclusive
    std::string value;        // normalized: digits (+X)
};

// The ID-card and mobile numbers among `units`, in order, never two over the same units. A
// number only counts when it is a whole run of digits. ID card: 17 digits + digit/X, or an old
// 15-digit number whose province code and yymmdd date are plausible. Mobile: 11 digits 1[3-9]…,
// optionally after +86 / 86 / 0086 (a "+" in front belongs to it).
std::vector<PersonalNumber> find_personal_numbers(const std::vector<FoldedUnit>& units);

// The text with each ID number find_personal_numbers finds masked (mask_id_card: "3204**********
// 3517"), every other byte as typed: what a ticket for a person keeps of the driver's words (the
// desk never needs his ID number; a phone number he types is how he asks to be called).
std::string mask_id_numbers(std::string_view text);

}  // namespace kayou::text
