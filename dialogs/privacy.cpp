#include "dialogs/privacy.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "dialogs/validators.hpp"
#include "text/masks.hpp"
#include "text/utf8.hpp"

namespace kayou::dialogs {
namespace {

bool is_digit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }
bool is_ascii_alnum(char32_t cp) {
    return is_digit(cp) || (cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z');
}

// Characters that may sit between the groups of one number as people write it.
bool is_number_separator(char32_t cp) {
    return cp == U' ' || cp == U'\t' || cp == 0xA0 || cp == U'-' || cp == 0x2010 || cp == 0x2013 ||
           cp == 0x2014 || cp == 0x2212 || cp == U'(' || cp == U')';
}

bool is_plate_gap(char32_t cp) {
    return cp == U' ' || cp == U'-' || cp == U'.' || cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB ||
           cp == 0xFF65 || cp == 0x2027;
}

constexpr std::u32string_view kPlateProvinces =
    U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

// One code point of the input, folded to half width, with the bytes it came from.
struct Unit {
    char32_t cp;
    std::size_t begin, end;
};

std::vector<Unit> units_of(std::string_view bytes) {
    std::vector<Unit> units;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[pos]);
        std::size_t length = lead < 0x80    ? 1
                             : lead >= 0xF0 ? 4
                             : lead >= 0xE0 ? 3
                             : lead >= 0xC0 ? 2
                                            : 1;
        char32_t cp = text::kReplacementChar;
        if (pos + length <= bytes.size()) {
            const std::u32string decoded = text::decode_utf8(bytes.substr(pos, length));
            if (decoded.size() == 1) cp = decoded[0];
        }
        if (cp == text::kReplacementChar) length = 1;  // malformed: step one byte, keep it as is
        units.push_back({text::fold_width(cp), pos, pos + length});
        pos += length;
    }
    return units;
}

enum class Kind { id_card, mobile, plate };

struct Item {
    Kind kind;
    std::size_t first, last;  // unit indexes, inclusive
    std::string value;        // normalized: digits (+X), or the plate
};

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

std::vector<Item> find_numbers(const std::vector<Unit>& units) {
    std::vector<Group> groups;
    for (std::size_t i = 0; i < units.size();) {
        if (!is_digit(units[i].cp)) {
            ++i;
            continue;
        }
        Group group{i, i, {}, false};
        while (i < units.size() && is_digit(units[i].cp))
            group.digits.push_back(static_cast<char>(units[i++].cp));
        group.last = i - 1;
        if (i < units.size() && (units[i].cp == U'X' || units[i].cp == U'x') &&
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

    std::vector<Item> items;
    for (std::size_t i = 0; i < groups.size();) {
        std::size_t end = i;  // last group of the chain starting at i
        while (end + 1 < groups.size() && joined(end)) ++end;

        // The longest run of whole groups from i that forms a number we know wins.
        std::optional<Item> best;
        std::size_t best_last_group = i;
        std::string digits;
        for (std::size_t j = i; j <= end && digits.size() <= 18; ++j) {
            digits += groups[j].digits;
            const std::size_t first = groups[i].first, last = groups[j].last;
            if (groups[j].trailing_x) {
                if (digits.size() == 17)
                    best = Item{Kind::id_card, first, last, digits + "X"}, best_last_group = j;
                break;
            }
            if (digits.size() == 18 || (digits.size() == 15 && looks_like_old_id(digits))) {
                best = Item{Kind::id_card, first, last, digits}, best_last_group = j;
            } else if (looks_like_mobile(digits)) {
                best = Item{Kind::mobile, first, last, digits}, best_last_group = j;
            } else if (digits.size() == 13 && digits.starts_with("86") &&
                       looks_like_mobile(digits.substr(2))) {
                best = Item{Kind::mobile, first, last, digits.substr(2)}, best_last_group = j;
            } else if (digits.size() == 15 && digits.starts_with("0086") &&
                       looks_like_mobile(digits.substr(4))) {
                best = Item{Kind::mobile, first, last, digits.substr(4)}, best_last_group = j;
            }
        }
        if (!best) {
            ++i;
            continue;
        }
        // "+86 138..." : the plus belongs to the number.
        if (best->kind == Kind::mobile && best->first > 0 && units[best->first - 1].cp == U'+' &&
            units[best->first].cp == U'8') {
            --best->first;
        }
        items.push_back(std::move(*best));
        i = best_last_group + 1;
    }
    return items;
}

std::vector<Item> find_plates(const std::vector<Unit>& units) {
    std::vector<Item> items;
    for (std::size_t i = 0; i + 1 < units.size(); ++i) {
        if (kPlateProvinces.find(units[i].cp) == std::u32string_view::npos) continue;
        std::size_t k = i + 1;
        const char32_t letter = units[k].cp;
        if (!((letter >= U'A' && letter <= U'Z') || (letter >= U'a' && letter <= U'z'))) continue;
        ++k;
        if (k < units.size() && is_plate_gap(units[k].cp)) ++k;
        // The serial is a whole run: "苏D123456789" is not a plate.
        const std::size_t serial_start = k;
        while (k < units.size() && is_ascii_alnum(units[k].cp)) ++k;
        const std::size_t serial_length = k - serial_start;
        std::u32string candidate{units[i].cp, letter};
        for (std::size_t s = serial_start; s < k; ++s) candidate.push_back(units[s].cp);
        std::size_t last = k - 1;
        if (serial_length == 4 && k < units.size() &&
            (units[k].cp == U'挂' || units[k].cp == U'港' || units[k].cp == U'澳')) {
            candidate.push_back(units[k].cp);
            last = k;
        } else if (serial_length != 5 && serial_length != 6) {
            continue;
        }
        const Validated plate = validate_plate(text::encode_utf8(candidate));
        if (!plate.ok) continue;
        items.push_back({Kind::plate, i, last, plate.value});
        i = last;
    }
    return items;
}

std::vector<Item> find_items(const std::vector<Unit>& units) {
    std::vector<Item> items = find_numbers(units);
    for (auto& plate : find_plates(units)) items.push_back(std::move(plate));
    std::sort(items.begin(), items.end(),
              [](const Item& a, const Item& b) { return a.first < b.first; });
    // Never two replacements over the same bytes.
    std::vector<Item> kept;
    for (auto& item : items) {
        if (kept.empty() || item.first > kept.back().last) kept.push_back(std::move(item));
    }
    return kept;
}

}  // namespace

PersonalDataFound find_personal_data(std::string_view text) {
    PersonalDataFound found;
    for (const auto& item : find_items(units_of(text))) {
        found.id_card = found.id_card || item.kind == Kind::id_card;
        found.mobile = found.mobile || item.kind == Kind::mobile;
        found.plate = found.plate || item.kind == Kind::plate;
    }
    return found;
}

std::string redact_personal_data(std::string_view text) {
    const auto units = units_of(text);
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (const auto& item : find_items(units)) {
        out.append(text.substr(copied, units[item.first].begin - copied));
        switch (item.kind) {
            case Kind::id_card:
                out += text::mask_id_card(item.value);
                break;
            case Kind::mobile:
                out += text::mask_mobile(item.value);
                break;
            case Kind::plate:
                out += text::mask_plate(item.value);
                break;
        }
        copied = units[item.last].end;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace kayou::dialogs
