#include "faq/scrub.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "text/names.hpp"
#include "text/utf8.hpp"

namespace kayou::faq {
namespace {

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool is_han(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
// Space, hyphen, middle dot, full stop (code points: a brace scan in scripts/ misreads U'-').
bool is_separator(char32_t c) { return c == 0x20 || c == 0x2D || c == 0x00B7 || c == 0x2E; }

bool is_plate_province(char32_t c) {
    static const std::u32string provinces =
        U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    return provinces.find(c) != std::u32string::npos;
}

// What follows a number and makes it an amount, a date, a count or an article, not an identifier.
bool is_quantity_unit(char32_t c) {
    static const std::u32string units = U"元块万千百个年月日号天次条吨公里米斤分岁小时%％";
    return units.find(c) != std::u32string::npos;
}

struct Out {
    std::u32string text;
    void put(std::string_view placeholder) { text += text::decode_utf8(placeholder); }
};

// A run of digits (spaces and dashes inside, an X at the end of an ID) starting at i: its digits
// and where it ends.
std::size_t digit_run(const std::u32string& s, std::size_t i, std::u32string& digits) {
    std::size_t j = i;
    std::size_t end = i;
    while (j < s.size()) {
        if (is_digit(s[j])) {
            digits += s[j];
            end = ++j;
        } else if ((s[j] == U'x' || s[j] == U'X') && digits.size() == 17) {
            digits += U'X';
            end = ++j;
            break;
        } else if (is_separator(s[j]) && j + 1 < s.size() && is_digit(s[j + 1]) &&
                   !digits.empty()) {
            ++j;
        } else {
            break;
        }
    }
    return end;
}

std::string_view classify_number(const std::u32string& digits, bool plus_before, char32_t next) {
    const std::size_t n = digits.size();
    if (n == 18 || n == 15) return kScrubbedId;
    if (digits.back() == U'X') return kScrubbedId;
    std::u32string mobile = digits;
    if (n == 13 && mobile.rfind(U"86", 0) == 0) mobile.erase(0, 2);
    if (n == 15 && mobile.rfind(U"0086", 0) == 0) mobile.erase(0, 4);
    if (mobile.size() == 11 && mobile[0] == U'1' && mobile[1] >= U'3') return kScrubbedMobile;
    (void)plus_before;
    if (n >= 16 && n <= 19) return kScrubbedCard;
    if (n >= 10 && n <= 12 && digits[0] == U'0') return kScrubbedPhone;
    // Seven or more digits not followed by a unit: some identifier (a landline without its area
    // code, an order number, an ID cut short).
    if (n >= 7 && !is_quantity_unit(next)) return kScrubbedNumber;
    return {};
}

// The name after these words is the driver's (or someone's) name.
constexpr std::u32string_view kNameMarkers[] = {
    U"我的名字叫", U"我的名字是", U"我的姓名是", U"名字叫", U"名字是", U"姓名是",
    U"姓名：",     U"姓名:",      U"姓名",       U"我叫",   U"俺叫",   U"我是",
    U"俺是",       U"本人是",     U"本人",       U"叫我",   U"联系人"};

// Han characters of a name right after a marker (2-4, starting with a surname), or 0.
std::size_t name_length(const std::u32string& s, std::size_t start) {
    std::size_t end = start;
    while (end < s.size() && end - start < 4 && (is_han(s[end]) || s[end] == 0x00B7)) ++end;
    // "我是王建国的老婆" / "我叫王建国今年45": the name is what comes before the next word.
    static const std::u32string stops = U"的在是，,。今年了啊呀吧呢我家跑开从住";
    std::size_t length = end - start;
    for (std::size_t k = start + 2; k < end; ++k)
        if (stops.find(s[k]) != std::u32string::npos) {
            length = k - start;
            break;
        }
    if (length < 2) return 0;
    if (!text::starts_with_surname(std::u32string_view(s).substr(start, length))) return 0;
    return length;
}

// The rules of scrub_personal_data; with `names` false the names after 我叫/我是 (and the words
// taken for one: "我是车主") stay where they are.
std::string scrub(std::string_view input, bool names) {
    // Full-width digits and letters are folded to find numbers; punctuation is kept as typed.
    std::u32string s = text::decode_utf8(input);
    for (auto& c : s)
        if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
            (c >= 0xFF41 && c <= 0xFF5A))
            c = c - 0xFF10 + U'0';
    Out out;
    std::size_t i = 0;
    while (i < s.size()) {
        // WeChat ids: "wxid_abc123", "微信号 kayou_01".
        if (s.compare(i, 5, U"wxid_") == 0) {
            std::size_t j = i + 5;
            while (j < s.size() &&
                   (is_letter(s[j]) || is_digit(s[j]) || s[j] == U'_' || s[j] == U'-'))
                ++j;
            out.put(kScrubbedAccount);
            i = j;
            continue;
        }
        // Plates: province + letter + 5-6 letters/digits (separators allowed), optional 挂.
        if (is_plate_province(s[i]) && i + 1 < s.size()) {
            std::size_t j = i + 1;
            std::size_t alnum = 0;
            while (j < s.size() && alnum < 7) {
                if (is_letter(s[j]) || is_digit(s[j])) {
                    ++alnum;
                    ++j;
                } else if (is_separator(s[j]) && alnum > 0 && alnum < 6) {
                    ++j;
                } else {
                    break;
                }
            }
            if (alnum >= 6 && alnum <= 7 && is_letter(s[i + 1])) {
                out.put(kScrubbedPlate);
                i = j;
                if (i < s.size() && s[i] == U'挂') ++i;
                continue;
            }
        }
        if (is_digit(s[i]) && (i == 0 || !is_letter(s[i - 1]))) {
            std::u32string digits;
            const std::size_t end = digit_run(s, i, digits);
            const char32_t next = end < s.size() ? s[end] : U' ';
            const bool plus = i > 0 && s[i - 1] == U'+';
            const auto placeholder = classify_number(digits, plus, next);
            if (!placeholder.empty() && !is_letter(next)) {
                if (plus && !out.text.empty() && out.text.back() == U'+') out.text.pop_back();
                out.put(placeholder);
                i = end;
                continue;
            }
            out.text.append(s, i, end - i);
            i = end;
            continue;
        }
        bool named = false;
        for (auto marker : kNameMarkers) {
            if (!names) break;
            if (s.compare(i, marker.size(), marker) != 0) continue;
            std::size_t start = i + marker.size();
            // A space, ":" or "：" before the name.
            while (start < s.size() && (s[start] == 0x20 || s[start] == 0x3A || s[start] == 0xFF1A))
                ++start;
            const std::size_t length = name_length(s, start);
            if (length == 0) continue;
            out.text.append(s, i, start - i);
            out.put(kScrubbedName);
            i = start + length;
            named = true;
            break;
        }
        if (named) continue;
        out.text += s[i++];
    }
    return text::encode_utf8(out.text);
}

}  // namespace

std::string scrub_personal_data(std::string_view input) { return scrub(input, true); }

std::string without_personal_data_for_search(std::string_view text) {
    const bool has_alnum = std::any_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
    // Full-width digits and letters (U+FF10..U+FF5A) are EF BC 90.. / EF BD ..: a lead byte 0xEF.
    const bool maybe_wide = text.find('\xEF') != std::string_view::npos;
    if (!has_alnum && !maybe_wide) return std::string(text);
    std::string scrubbed = scrub(text, false);
    for (const std::string_view placeholder :
         {kScrubbedId, kScrubbedMobile, kScrubbedPhone, kScrubbedCard, kScrubbedPlate,
          kScrubbedAccount, kScrubbedNumber})
        for (auto at = scrubbed.find(placeholder); at != std::string::npos;
             at = scrubbed.find(placeholder, at + 1))
            scrubbed.replace(at, placeholder.size(), " ");
    return scrubbed;
}

}  // namespace kayou::faq
