#include "text/personal_numbers.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

#include "text/masks.hpp"
#include "text/utf8.hpp"

namespace kayou::text {
namespace {

// Characters that may sit between the groups of one number as people write it.
bool is_number_separator(char32_t cp) {
    return cp == U' ' || cp == U'\t' || cp == 0xA0 || cp == U'-' || cp == 0x2010 || cp == 0x2013 ||
           cp == 0x2014 || cp == 0x2212 || cp == U'(' || cp == U')';
}

int number(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

// Old 15-digit numbers (area + yymmdd + sequence) are still on some documents; require a real
// province and a plausible date so that an arbitrary 15-digit number is not taken for one.
bool looks_like_old_id(std::string_view digits) {
    if (!is_id_province_code(number(digits.substr(0, 2)))) return false;
    const int month = number(digits.substr(8, 2)), day = number(digits.substr(10, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool looks_like_mobile(std::string_view digits) {
    return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3';
}

struct Group {
    std::size_t first, last;  // unit indexes of the digits
    std::string digits;
    bool trailing_x = false;  // an X right after the digits; the group then ends there
};

}  // namespace

bool is_id_province_code(int code) {
    static constexpr int kCodes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                     35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                     53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
    return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

std::vector<FoldedUnit> folded_units(std::string_view bytes) {
    std::vector<FoldedUnit> units;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[pos]);
        std::size_t length = lead < 0x80    ? 1
                             : lead >= 0xF0 ? 4
                             : lead >= 0xE0 ? 3
                             : lead >= 0xC0 ? 2
                                            : 1;
        char32_t cp = kReplacementChar;
        if (pos + length <= bytes.size()) {
            const std::u32string decoded = decode_utf8(bytes.substr(pos, length));
            if (decoded.size() == 1) cp = decoded[0];
        }
        if (cp == kReplacementChar) length = 1;  // malformed: step one byte, keep it as is
        units.push_back({fold_width(cp), pos, pos + length});
        pos += length;
    }
    return units;
}

std::vector<PersonalNumber> find_personal_numbers(const std::vector<FoldedUnit>& units) {
    std::vector<Group> groups;
    for (std::size_t i = 0; i < units.size();) {
        if (!is_ascii_digit(units[i].cp)) {
            ++i;
            continue;
        }
        Group group{i, i, {}, false};
        while (i < units.size() && is_ascii_digit(units[i].cp))
            group.digits.push_back(static_cast<char>(units[i++].cp));
        group.last = i - 1;
        if (i < units.size() && is_id_x(units[i].cp, group.digits.size()) &&
            (i + 1 == units.size() || !is_ascii_alnum(units[i + 1].cp))) {
            group.trailing_x = true;
            group.last = i++;
        }
        groups.push_back(std::move(group));
    }

    // Groups of one written number are 1–2 separators apart ("138 0013 8000", "0086-138...").
    auto joined = [&](std::size_t a) {
        const Group& left = groups[a];
        const Group& right = groups[a + 1];
        if (left.trailing_x) return false;
        const std::size_t gap = right.first - left.last - 1;
        if (gap < 1 || gap > 2) return false;
        for (std::size_t k = left.last + 1; k < right.first; ++k) {
            if (!is_number_separator(units[k].cp)) return false;
        }
        return true;
    };

    std::vector<PersonalNumber> items;
    for (std::size_t i = 0; i < groups.size();) {
        std::size_t end = i;  // last group of the chain starting at i
        while (end + 1 < groups.size() && joined(end)) ++end;

        // The longest run of whole groups from i that forms a number we know wins.
        std::optional<PersonalNumber> best;
        std::size_t best_last_group = i;
        std::string digits;
        for (std::size_t j = i; j <= end && digits.size() <= 18; ++j) {
            digits += groups[j].digits;
            const std::size_t first = groups[i].first, last = groups[j].last;
            if (groups[j].trailing_x) {
                if (digits.size() == 17)
                    best = PersonalNumber{PersonalNumber::Kind::id_card, first, last, digits + "X"},
                    best_last_group = j;
                break;
            }
            if (digits.size() == 18 || (digits.size() == 15 && looks_like_old_id(digits))) {
                best = PersonalNumber{PersonalNumber::Kind::id_card, first, last, digits},
                best_last_group = j;
            } else if (looks_like_mobile(digits)) {
                best = PersonalNumber{PersonalNumber::Kind::mobile, first, last, digits},
                best_last_group = j;
            } else if (digits.size() == 13 && digits.starts_with("86") &&
                       looks_like_mobile(digits.substr(2))) {
                best = PersonalNumber{PersonalNumber::Kind::mobile, first, last, digits.substr(2)},
                best_last_group = j;
            } else if (digits.size() == 15 && digits.starts_with("0086") &&
                       looks_like_mobile(digits.substr(4))) {
                best = PersonalNumber{PersonalNumber::Kind::mobile, first, last, digits.substr(4)},
                best_last_group = j;
            }
        }
        if (!best) {
            ++i;
            continue;
        }
        // "+86 138..." : the plus belongs to the number.
        if (best->kind == PersonalNumber::Kind::mobile && best->first > 0 &&
            units[best->first - 1].cp == U'+' && units[best->first].cp == U'8') {
            --best->first;
        }
        items.push_back(std::move(*best));
        i = best_last_group + 1;
    }
    return items;
}

std::string mask_id_numbers(std::string_view text) {
    const auto units = folded_units(text);
    std::string out;
    std::size_t copied = 0;
    for (const auto& number : find_personal_numbers(units)) {
        if (number.kind != PersonalNumber::Kind::id_card) continue;
        out.append(text.substr(copied, units[number.first].begin - copied));
        out += mask_id_card(number.value);
        copied = units[number.last].end;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace kayou::text
