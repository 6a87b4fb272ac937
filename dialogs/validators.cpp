#include "dialogs/validators.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "text/personal_numbers.hpp"
#include "text/utf8.hpp"

namespace kayou::dialogs {
namespace {

Validated accept(std::string value) { return {true, std::move(value), {}, {}}; }

Validated reject(std::string_view code, std::string_view message) {
    return {false, {}, std::string(message), std::string(code)};
}

// Drivers type on phone keyboards that switch between half- and full-width forms, and paste from
// apps that add invisible characters; everything below works on the folded code points.
std::u32string prepare(std::string_view input) {
    std::u32string cps = text::decode_utf8(text::strip_control(input));
    for (auto& cp : cps) cp = text::fold_width(cp);
    // Zero-width characters come with copy and paste and carry nothing.
    std::erase_if(cps, [](char32_t cp) {
        return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF;
    });
    return cps;
}

bool is_space(char32_t cp) {
    return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == 0xA0;
}
bool is_digit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }
bool is_upper(char32_t cp) { return cp >= U'A' && cp <= U'Z'; }
bool is_latin(char32_t cp) { return is_upper(cp) || (cp >= U'a' && cp <= U'z'); }
char32_t to_upper(char32_t cp) { return (cp >= U'a' && cp <= U'z') ? cp - U'a' + U'A' : cp; }

bool is_dash(char32_t cp) {
    return cp == U'-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
           cp == 0x2014 || cp == 0x2015 || cp == 0x2212 || cp == 0xFE63;
}

void trim(std::u32string& s) {
    while (!s.empty() && is_space(s.back())) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && is_space(s[start])) ++start;
    s.erase(0, start);
}

bool starts_with(std::u32string_view s, std::u32string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::string to_utf8(std::u32string_view s) { return text::encode_utf8(s); }

// --- names -----------------------------------------------------------------------------------

bool is_han(char32_t cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) ||    // extension A
           (cp >= 0x4E00 && cp <= 0x9FFF) ||    // unified ideographs
           (cp >= 0xF900 && cp <= 0xFAFF) ||    // compatibility ideographs (some are only here)
           (cp >= 0x20000 && cp <= 0x2EBEF) ||  // extensions B–F
           (cp >= 0x2F800 && cp <= 0x2FA1F) ||  // compatibility supplement
           (cp >= 0x30000 && cp <= 0x323AF);    // extensions G–H
}

// Separators people type for the middle dot of "买买提·艾力", depending on the keyboard.
bool is_name_dot(char32_t cp) {
    return cp == 0x00B7 || cp == 0x30FB || cp == 0xFF65 || cp == 0x2022 || cp == 0x2027 ||
           cp == 0x2219 || cp == 0x22C5 || cp == U'.';
}

bool is_sentence_end(char32_t cp) {
    return cp == 0x3002 || cp == U'!' || cp == U'?' || cp == U',' || cp == U'~' || cp == 0xFF61 ||
           cp == 0x3001;
}

void strip_name_label(std::u32string& s) {
    // Longest first: "我的名字是" must not be cut as "我的" + ...
    static constexpr std::u32string_view kLabels[] = {
        U"我的名字是", U"我的名字叫", U"我的姓名是", U"名字是", U"名字叫", U"姓名是", U"姓名",
        U"名字",       U"我叫",       U"我是",       U"俺叫",   U"本人是", U"本人"};
    for (auto label : kLabels) {
        if (starts_with(s, label)) {
            s.erase(0, label.size());
            while (!s.empty() && (is_space(s.front()) || s.front() == U':')) s.erase(0, 1);
            return;
        }
    }
}

constexpr std::string_view kNameExample =
    "请发身份证上的姓名，比如：张三，少数民族姓名如：买买提·艾力。";

}  // namespace

// Words that make a "name" a sentence about the name.
// A "name" over four characters with one of these is a sentence ("开车过去好停车吗我开的是大车"
// was stored as a name; legal helper, session 25): names that long are minority names, written
// with "·", or transliterations without these words.
constexpr std::u32string_view kNameSentenceWords[] = {
    U"名字", U"姓名", U"我姓", U"我叫", U"俺姓", U"俺叫", U"叫做", U"的名", U"吗",
    U"呢",   U"吧",   U"啊",   U"我",   U"你",   U"俺",   U"的",   U"了",   U"是",
    U"啥",   U"咋",   U"怎么", U"什么", U"不",   U"要",   U"能",   U"在哪"};

Validated validate_name(std::string_view input) {
    std::u32string s = prepare(input);
    trim(s);
    strip_name_label(s);
    while (!s.empty() && (is_sentence_end(s.back()) || is_space(s.back()))) s.pop_back();
    if (s.empty()) return reject("name.empty", kNameExample);

    bool han = false, latin = false;
    for (char32_t cp : s) {
        if (is_digit(cp))
            return reject("name.digit", "姓名里不能有数字。" + std::string(kNameExample));
        if (is_han(cp)) {
            han = true;
        } else if (is_latin(cp)) {
            latin = true;
        } else if (!is_space(cp) && !is_name_dot(cp) && cp != U'-' && cp != U'\'') {
            return reject("name.bad_char",
                          "姓名只能用汉字或字母，不能有表情和符号。" + std::string(kNameExample));
        }
    }
    if (han && latin) {
        return reject("name.mixed", "姓名请全用汉字，外籍朋友请全用字母，和证件上一致。");
    }
    if (!han && !latin) {
        if (std::any_of(s.begin(), s.end(), is_name_dot)) {
            return reject("name.dot", "“·”只能放在名字中间，比如：买买提·艾力。");
        }
        return reject("name.bad_char",
                      "姓名只能用汉字或字母，不能有表情和符号。" + std::string(kNameExample));
    }

    // Rebuild: dots become U+00B7 with no spaces around them; Chinese names lose their spaces,
    // Latin names keep one space between words. '-' and '\'' only join Latin letters.
    std::u32string out;
    bool pending_space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char32_t cp = s[i];
        if (is_space(cp)) {
            pending_space = latin;
            continue;
        }
        if (is_name_dot(cp)) {
            if (out.empty() || out.back() == 0x00B7) {
                return reject("name.dot", "“·”只能放在名字中间，比如：买买提·艾力。");
            }
            out.push_back(0x00B7);
            pending_space = false;
            continue;
        }
        if (cp == U'-' || cp == U'\'') {
            const bool joins = latin && !out.empty() && is_latin(out.back()) && !pending_space &&
                               i + 1 < s.size() && is_latin(s[i + 1]);
            if (!joins) {
                return reject("name.bad_char", "姓名只能用汉字或字母，不能有表情和符号。" +
                                                   std::string(kNameExample));
            }
            out.push_back(cp);
            continue;
        }
        if (pending_space && !out.empty() && out.back() != 0x00B7) out.push_back(U' ');
        pending_space = false;
        out.push_back(cp);
    }
    if (!out.empty() && out.back() == 0x00B7) {
        return reject("name.dot", "“·”只能放在名字中间，比如：买买提·艾力。");
    }
    if (out.size() < 2)
        return reject("name.too_short", "姓名至少要2个字。" + std::string(kNameExample));
    if (out.size() > 20) return reject("name.too_long", "姓名最多20个字，请只发身份证上的姓名。");
    // "我姓陈耳东陈名字叫大明…" passed as a 19-character name (join helper, session 25).
    constexpr std::size_t kLongestPlainName = 4;
    const bool dotted = out.find(U'\u00B7') != std::u32string::npos;
    if (han && !dotted && out.size() > kLongestPlainName &&
        std::any_of(std::begin(kNameSentenceWords), std::end(kNameSentenceWords),
                    [&out](std::u32string_view word) { return out.find(word) != out.npos; }))
        return reject("name.sentence", "请只发身份证上的姓名，比如：王建国。");
    return accept(to_utf8(out));
}

// --- ID card ---------------------------------------------------------------------------------

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool valid_date(int yyyymmdd) {
    const int year = yyyymmdd / 10000, month = yyyymmdd / 100 % 100, day = yyyymmdd % 100;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return false;
    const int last = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
    return day <= last;
}

// ISO 7064 MOD 11-2 as GB 11643-1999 states it: weights 2^(17-i) mod 11, remainder mapped to the
// check character.
char id_check_char(std::u32string_view first17) {
    static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr std::string_view kCheck = "10X98765432";
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += static_cast<int>(first17[i] - U'0') * kWeights[i];
    return kCheck[sum % 11];
}

int digits_value(std::u32string_view s) {
    int value = 0;
    for (char32_t cp : s) value = value * 10 + static_cast<int>(cp - U'0');
    return value;
}

constexpr int kMinAge = 16;
constexpr int kMaxAge = 70;

}  // namespace

int age_on(int birth, int today) {
    int age = today / 10000 - birth / 10000;
    if (today % 10000 < birth % 10000) --age;
    return age;
}

int id_card_birth_date(std::string_view normalized) {
    if (normalized.size() != 18) return 0;
    int value = 0;
    for (std::size_t i = 6; i < 14; ++i) {
        const char c = normalized[i];
        if (c < '0' || c > '9') return 0;
        value = value * 10 + (c - '0');
    }
    return value;
}

Validated validate_id_card(std::string_view input, int today_yyyymmdd) {
    std::u32string s = prepare(input);
    std::erase_if(s, [](char32_t cp) { return is_space(cp) || is_dash(cp); });
    if (s.empty()) return reject("id_card.empty", "请发您的18位身份证号码。");

    for (std::size_t i = 0; i < s.size(); ++i) {
        // "×" from the symbol keyboard and "叉" from voice input are the X drivers mean.
        if (text::is_id_x(s[i], i)) s[i] = U'X';
        if (is_digit(s[i])) continue;
        if (s[i] == U'X' && i + 1 == s.size()) continue;
        return reject("id_card.bad_char",
                      "身份证号只能是数字，只有最后一位可能是X，请核对后重新发送。");
    }
    if (s.size() == 15 && s.back() != U'X') {
        return reject("id_card.old_15",
                      "这是老的15位身份证号，请发现在用的18位身份证号码（在身份证正面最下方）。");
    }
    if (s.size() != 18) {
        return reject("id_card.length", "身份证号应该是18位，您发的是" + std::to_string(s.size()) +
                                            "位，请核对后重新发送。");
    }
    if (!text::is_id_province_code(digits_value(s.substr(0, 2)))) {
        return reject("id_card.region", "身份证号前两位（地区）不对，请核对后重新发送。");
    }
    const int birth = digits_value(s.substr(6, 8));
    if (birth / 10000 < 1800 || !valid_date(birth) || birth > today_yyyymmdd) {
        return reject("id_card.birth_date",
                      "身份证号里的出生日期（第7到14位）不对，请核对后重新发送。");
    }
    if (static_cast<char32_t>(id_check_char(s)) != s[17]) {
        return reject("id_card.check_digit",
                      "这个身份证号核对不上：有一位数字输错了（最后一位是按前17位算出来的）。请对照"
                      "身份证逐位检查后重新发送；确认没输错的，回复“人工”请工作人员帮您办理。");
    }
    const int age = age_on(birth, today_yyyymmdd);
    if (age < kMinAge) {
        return reject("id_card.too_young",
                      "入会需要年满16周岁，您还不满16周岁。如果号码发错了，请重新发送。");
    }
    if (age > kMaxAge) {
        return reject("id_card.too_old",
                      "入会年龄是16到70周岁，您已超过70周岁。如有疑问请联系当地工会。");
    }
    return accept(to_utf8(s));
}

// --- mobile ----------------------------------------------------------------------------------

Validated validate_mobile(std::string_view input) {
    std::u32string s = prepare(input);
    std::erase_if(s, [](char32_t cp) {
        return is_space(cp) || is_dash(cp) || cp == U'(' || cp == U')' || cp == U'.';
    });
    if (s.empty()) return reject("mobile.empty", "请发您的11位手机号，比如：13800138000。");

    if (s.front() == U'+') {
        if (!starts_with(s, U"+86")) {
            return reject("mobile.foreign", "目前只支持内地（大陆）手机号，请发11位手机号。");
        }
        s.erase(0, 3);
    }
    for (char32_t cp : s) {
        if (!is_digit(cp)) {
            return reject("mobile.bad_char",
                          "手机号只能是数字，请发11位手机号，比如：13800138000。");
        }
    }
    if (s.size() == 15 && starts_with(s, U"0086")) s.erase(0, 4);
    if (s.size() == 13 && starts_with(s, U"86")) s.erase(0, 2);

    if ((s.size() >= 10 && s.size() <= 12 && s.front() == U'0') || s.size() == 7 || s.size() == 8) {
        return reject("mobile.landline",
                      "这像是座机号码。请发您的手机号（11位，1开头），方便给您发短信。");
    }
    if (s.size() != 11) {
        return reject("mobile.length", "手机号应该是11位，您发的是" + std::to_string(s.size()) +
                                           "位，请核对后重新发送。");
    }
    if (s[0] != U'1' || s[1] < U'3') {
        return reject("mobile.prefix",
                      "这个号码不像手机号，手机号是13到19开头的11位数字，请核对。");
    }
    return accept(to_utf8(s));
}

// --- plate -----------------------------------------------------------------------------------

namespace {

constexpr std::u32string_view kProvinces =
    U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

bool is_plate_separator(char32_t cp) {
    return is_space(cp) || is_dash(cp) || is_name_dot(cp) || cp == 0x25CF || cp == 0x30FB;
}

bool is_serial_char(char32_t cp) {
    return is_digit(cp) || (is_upper(cp) && cp != U'I' && cp != U'O');
}

constexpr std::string_view kPlateExample =
    "车牌格式如：苏D12345，新能源车如：苏DF12345，挂车如：苏D1234挂。";

Validated plate_error(std::string_view code, std::string_view what) {
    return reject(code, std::string(what) + std::string(kPlateExample));
}

bool all_of(std::u32string_view s, bool (*pred)(char32_t)) {
    return std::all_of(s.begin(), s.end(), pred);
}

}  // namespace

bool means_no_plate(std::u32string_view s) {
    static constexpr std::u32string_view kNone[] = {
        U"无", U"没", U"没有", U"没车", U"没有车", U"无车", U"暂无", U"没有自己的车", U"没自己的车",
        U"没有固定的车", U"没固定的车", U"不固定", U"没有车牌", U"没车牌", U"无车牌",
        // "没有固定的" got a lost-earnings answer (join helper, session 25).
        U"没有固定的", U"没固定的", U"没有固定", U"没固定", U"没有固定开的"};
    // "那就无吧", "就填无吧": the same with its fillers (refused with the province hint; join
    // helper, session 27).
    const auto says_none = [&](std::u32string_view bare) {
        for (const std::u32string_view lead :
             {U"那先填", U"那就填", U"那就", U"先填", U"就填", U"填", U"那", U"就"})
            if (bare.starts_with(lead)) {
                bare.remove_prefix(lead.size());
                break;
            }
        for (const std::u32string_view tail : {U"吧", U"了", U"的"})
            if (bare.ends_with(tail) && bare.size() > tail.size()) {
                bare.remove_suffix(tail.size());
                break;
            }
        return std::find(std::begin(kNone), std::end(kNone), bare) != std::end(kNone);
    };
    if (says_none(s)) return true;
    // "没有车牌 车是老板的 每次开的不一样": the first words say it, the rest is why (he was told
    // to reply "无"; join helper, session 28). Not when a plate follows ("没车牌 挂车是苏D…").
    const std::size_t first_break = s.find_first_of(U" ，,。");
    const auto plate_follows = [&] {
        for (std::size_t i = 0; i + 1 < s.size(); ++i)
            if (kProvinces.find(s[i]) != std::u32string_view::npos &&
                ((s[i + 1] >= U'A' && s[i + 1] <= U'Z') || (s[i + 1] >= U'a' && s[i + 1] <= U'z')))
                return true;
        return false;
    };
    if (first_break == std::u32string_view::npos || plate_follows()) return false;
    // "那先填无吧 回头问了老板再说" (it opened a lawyer's ticket; join helper, session 28).
    const std::u32string_view head = s.substr(0, first_break);
    return head.size() >= 2 && says_none(head);
}

namespace {

bool has_plate_province(std::u32string_view text) {
    return std::any_of(text.begin(), text.end(), [](char32_t cp) {
        return kProvinces.find(cp) != std::u32string_view::npos;
    });
}

}  // namespace

bool explains_no_plate(std::u32string_view text) {
    static constexpr std::u32string_view kWords[] = {
        U"没车",     U"没有车",   U"没有自己的车", U"没自己的车", U"老板的车", U"公司的车",
        U"车是公司", U"车是老板", U"天天换",       U"不固定",     U"没车牌",   U"没有车牌",
        U"不记得",   U"记不清",   U"替班",         U"跟车"};
    return std::any_of(std::begin(kWords), std::end(kWords),
                       [&](std::u32string_view word) { return text.find(word) != text.npos; });
}

Validated validate_plate(std::string_view input) {
    std::u32string s = prepare(input);
    // Before the separators go: "没有车牌 车是老板的…" says it in its first words.
    if (means_no_plate(s)) return accept(std::string(kNoPlate));
    std::erase_if(s, is_plate_separator);
    for (auto& cp : s) cp = to_upper(cp);
    if (s.empty()) return plate_error("plate.empty", "请发您的车牌号。");
    // A hired driver with no truck of his own and none he drives regularly joins all the same.
    if (means_no_plate(s)) return accept(std::string(kNoPlate));
    // "车是公司的 车牌不记得了 苏D开头": the words explain, and the 苏D in them is no plate
    // (it got "车牌第一个字要是省份简称"; benefits helper, session 29).
    // "老板的车 苏D1234" tried a plate: what is wrong with it is said.
    const bool plate_tried =
        std::count_if(s.begin(), s.end(), [](char32_t cp) { return is_digit(cp); }) >= 3;
    if (explains_no_plate(s) && (!has_plate_province(s) || !plate_tried)) {
        if (s.find(U"不记得") != s.npos || s.find(U"记不清") != s.npos)
            return reject("plate.none",
                          "车牌记不清的，看一下行驶证或问问老板；一时查不到，先回复“无”，"
                          "以后回复“修改车牌”再补上。");
        return reject(
            "plate.none",
            "开公司或老板的车的，填您平时开的那辆车的车牌就行；没有固定开的车，回复“无”。");
    }

    const char32_t first = s.front();
    if (kProvinces.find(first) == std::u32string_view::npos) {
        if (first == U'港' || first == U'澳' || first == U'台') {
            return plate_error("plate.not_mainland", "只能登记内地车牌，");
        }
        if (first == U'使' || first == U'领' || first == U'警' || first == U'军') {
            return plate_error("plate.special", "这是特种车牌，请填您开的货车的车牌，");
        }
        if (is_latin(first) || is_digit(first)) {
            return plate_error("plate.no_province", "车牌第一个字是省份简称，别忘了写上，");
        }
        return plate_error("plate.province", "车牌第一个字要是省份简称，比如 苏、粤、鲁，");
    }
    if (s.size() < 2 || !is_upper(s[1])) {
        return plate_error("plate.authority", "省份简称后面是一个字母，");
    }
    if (s[1] == U'I' || s[1] == U'O') {
        return plate_error("plate.letter_io", "车牌里不用字母I和O，可能是数字1或0，");
    }

    std::u32string_view serial = std::u32string_view(s).substr(2);
    char32_t suffix = 0;
    if (!serial.empty() && !is_digit(serial.back()) && !is_upper(serial.back())) {
        suffix = serial.back();
        serial.remove_suffix(1);
    }
    for (char32_t cp : serial) {
        if (cp == U'I' || cp == U'O') {
            return plate_error("plate.letter_io", "车牌里不用字母I和O，可能是数字1或0，");
        }
        if (!is_serial_char(cp)) return plate_error("plate.bad_char", "车牌号里有不认识的字，");
    }

    if (suffix == U'挂') {
        if (serial.size() != 4) {
            return reject("plate.trailer", "挂车号牌是省份简称+字母+4位+挂，如：苏D1234挂。");
        }
        return accept(to_utf8(s));
    }
    if (suffix == U'港' || suffix == U'澳') {
        // Only Guangdong's Z series is issued to cross-border vehicles.
        if (first != U'粤' || s[1] != U'Z' || serial.size() != 4) {
            return reject("plate.cross_border", "两地牌是 粤Z+4位+港/澳，如：粤Z1234港。");
        }
        return accept(to_utf8(s));
    }
    if (suffix != 0) {
        if (std::u32string_view(U"学警领使试超应").find(suffix) != std::u32string_view::npos) {
            return plate_error("plate.special",
                               "这是特种车牌（教练车、警车等），请填您开的货车的车牌，");
        }
        return plate_error("plate.bad_char", "车牌号里有不认识的字，");
    }

    if (serial.size() == 5) return accept(to_utf8(s));
    if (serial.size() == 6) {
        const bool small = (serial[0] == U'D' || serial[0] == U'F') && is_serial_char(serial[1]) &&
                           all_of(serial.substr(2), is_digit);
        const bool large =
            all_of(serial.substr(0, 5), is_digit) && (serial[5] == U'D' || serial[5] == U'F');
        if (small || large) return accept(to_utf8(s));
        return reject("plate.nev",
                      "新能源车牌是字母后面6位：D或F开头再5位，如：苏DF12345，或5位数字加D或F，如："
                      "苏D12345D。");
    }
    return plate_error("plate.length", "车牌位数不对，");
}

// --- employer --------------------------------------------------------------------------------

namespace {

// Whole answers (after trimming, a leading "我是"/"我" and trailing punctuation) that mean "no
// employer". Matching is exact on purpose: "无锡运输公司" starts with 无 and is an employer.
bool means_none(std::u32string_view s) {
    static constexpr std::u32string_view kNone[] = {
        U"无",     U"没",       U"没有",     U"暂无",   U"无单位", U"没单位",   U"没有单位",
        U"无公司", U"没公司",   U"没有公司", U"无平台", U"没平台", U"没有平台", U"个体",
        U"个体户", U"个体司机", U"个人",     U"自己",   U"自己的", U"自己的车", U"自己干",
        U"自己跑", U"自有车",   U"自有车辆", U"单干",   U"散户",   U"自由职业", U"不挂靠",
        U"没挂靠", U"没有挂靠", U"无挂靠",   U"跳过",   U"不填",   U"不知道",   U"略",
        U"空",     U"否",       U"-",        U"/",      U"none",   U"no",       U"skip",
        U"n/a",    U"na"};
    if (std::find(std::begin(kNone), std::end(kNone), s) != std::end(kNone)) return true;
    // "没有挂靠公司", "暂时没有": no company name starts like this ("无" is not here: 无锡).
    static constexpr std::u32string_view kNonePrefixes[] = {U"没",     U"暂无",   U"暂时没",
                                                            U"不挂靠", U"无挂靠", U"不用填"};
    return std::any_of(std::begin(kNonePrefixes), std::end(kNonePrefixes),
                       [s](std::u32string_view prefix) { return starts_with(s, prefix); });
}

}  // namespace

Validated validate_employer(std::string_view input) {
    std::u32string s = text::decode_utf8(text::strip_control(input));
    std::erase_if(s, [](char32_t cp) {
        return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF;
    });
    // Keep full-width brackets in company names ("（武进分公司）" is the official form); only the
    // ideographic space is folded so that trimming sees it.
    for (auto& cp : s) {
        if (cp == 0x3000) cp = U' ';
    }
    trim(s);
    // Collapse runs of whitespace so a pasted name with line breaks stays one line.
    std::u32string collapsed;
    for (char32_t cp : s) {
        if (is_space(cp)) {
            if (!collapsed.empty() && collapsed.back() != U' ') collapsed.push_back(U' ');
        } else {
            collapsed.push_back(cp);
        }
    }

    std::u32string probe = collapsed;
    for (auto& cp : probe) {
        cp = text::fold_width(cp);
        if (cp >= U'A' && cp <= U'Z') cp = cp - U'A' + U'a';
    }
    while (!probe.empty() &&
           (is_sentence_end(probe.back()) || probe.back() == U'.' || probe.back() == U' ')) {
        probe.pop_back();
    }
    if (starts_with(probe, U"我是")) {
        probe.erase(0, 2);
    } else if (starts_with(probe, U"我")) {
        probe.erase(0, 1);
    }
    if (probe.empty() || means_none(probe)) return accept({});

    if (collapsed.size() > 50) {
        return reject("employer.too_long",
                      "单位或平台名称最多50个字，请写简短一点，比如：常州某某物流有限公司。");
    }
    const std::string value = to_utf8(collapsed);
    if (!text::find_personal_numbers(text::folded_units(value)).empty()) {
        return reject("employer.personal_data",
                      "这里请填挂靠的公司或平台名称，不要填身份证号或手机号。没有的话回复“无”。");
    }
    // "苏D6T550" sent again at this step was taken for his company (join helper, session 23).
    if (const Validated plate = validate_plate(value); plate.ok && plate.value != kNoPlate) {
        return reject(
            "employer.plate",
            "这是车牌号，车牌已经填过了。这里请填挂靠的公司或接单平台名称，没有的话回复“无”。");
    }
    return accept(value);
}

}  // namespace kayou::dialogs
