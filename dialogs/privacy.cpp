#include "dialogs/privacy.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <vector>

#include "dialogs/validators.hpp"
#include "text/masks.hpp"
#include "text/personal_numbers.hpp"
#include "text/utf8.hpp"

namespace kayou::dialogs {
namespace {

bool is_plate_gap(char32_t cp) {
    return cp == U' ' || cp == U'-' || cp == U'.' || cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB ||
           cp == 0xFF65 || cp == 0x2027;
}

constexpr std::u32string_view kPlateProvinces =
    U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

using Unit = text::FoldedUnit;

enum class Kind { id_card, mobile, plate };

struct Item {
    Kind kind;
    std::size_t first, last;  // unit indexes, inclusive
    std::string value;        // normalized: digits (+X), or the plate
};

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
        while (k < units.size() && text::is_ascii_alnum(units[k].cp)) ++k;
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

// The numbers text/personal_numbers.hpp finds, as items.
std::vector<Item> find_numbers(const std::vector<Unit>& units) {
    std::vector<Item> items;
    for (auto& number : text::find_personal_numbers(units)) {
        const Kind kind =
            number.kind == text::PersonalNumber::Kind::id_card ? Kind::id_card : Kind::mobile;
        items.push_back({kind, number.first, number.last, std::move(number.value)});
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
    for (const auto& item : find_items(text::folded_units(text))) {
        found.id_card = found.id_card || item.kind == Kind::id_card;
        found.mobile = found.mobile || item.kind == Kind::mobile;
        found.plate = found.plate || item.kind == Kind::plate;
    }
    return found;
}

namespace {

// The text with each item find_items finds replaced by what `replace` makes of it, and the text
// before each item by what `before` makes of it (kept as it is by default).
template <typename Replace, typename Before = std::identity>
std::string rewrite_items(std::string_view text, Replace replace, Before before = {}) {
    const auto units = text::folded_units(text);
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (const auto& item : find_items(units)) {
        out.append(before(text.substr(copied, units[item.first].begin - copied)));
        out += replace(item);
        copied = units[item.last].end;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace

std::string redact_personal_data(std::string_view text) {
    return rewrite_items(text, [](const auto& item) {
        switch (item.kind) {
            case Kind::id_card:
                return text::mask_id_card(item.value);
            case Kind::mobile:
                return text::mask_mobile(item.value);
            case Kind::plate:
                break;
        }
        return text::mask_plate(item.value);
    });
}

namespace {

// The names drivers give the numbers they type, longest first ("身份证号码" before "身份证").
constexpr std::string_view kFieldLabels[] = {"身份证号码", "身份证号", "手机号码", "电话号码",
                                             "联系电话",   "身份证",   "手机号",   "车牌号",
                                             "电话",       "手机",     "车牌",     "号码"};

// "…身份证号是：" before a number: the name of the field it fills, with the words joining them.
std::string_view without_trailing_label(std::string_view text) {
    static const std::string_view kJoins[] = {" ", "：", ":", "是", "为", "\t"};
    for (bool again = true; again;) {
        again = false;
        for (std::string_view join : kJoins)
            if (text.ends_with(join)) {
                text.remove_suffix(join.size());
                again = true;
            }
    }
    for (std::string_view label : kFieldLabels)
        if (text.ends_with(label)) {
            text.remove_suffix(label.size());
            for (std::string_view owner : {std::string_view("我的"), std::string_view("我")})
                if (text.ends_with(owner)) {
                    text.remove_suffix(owner.size());
                    break;
                }
            break;
        }
    return text;
}

}  // namespace

std::string without_personal_data_or_labels(std::string_view text) {
    return rewrite_items(
        text, [](const auto&) { return std::string(" "); }, without_trailing_label);
}

bool only_field_labels(std::string_view rest) {
    std::string left(rest);
    // The field names first (longest first), then the words around them.
    static const std::string_view kAround[] = {"我的", "给你", "发你", "这是", "是", "的",
                                               "号",   "我",   "：",   "，",   "。", ":",
                                               ",",    " ",    "\t",   "\n"};
    const auto erase_all = [&](std::string_view word) {
        for (auto at = left.find(word); at != std::string::npos; at = left.find(word, at))
            left.erase(at, word.size());
    };
    for (std::string_view label : kFieldLabels) erase_all(label);
    for (std::string_view word : kAround) erase_all(word);
    return left.empty();
}

std::string without_personal_data(std::string_view text) {
    return rewrite_items(text, [](const auto&) { return std::string(" "); });
}

}  // namespace kayou::dialogs
