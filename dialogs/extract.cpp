#include "dialogs/extract.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "dialogs/validators.hpp"
#include "text/names.hpp"
#include "text/personal_numbers.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::dialogs {
namespace {

std::u32string prepare(std::string_view text) {
    std::u32string out;
    for (char32_t c : text::decode_utf8(text::fold_width(text::strip_control(text)))) {
        if (c == 0x3000) c = U' ';
        out.push_back(c);
    }
    return out;
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_ascii_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool is_han(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF);
}
bool is_number_separator(char32_t c) {
    return c == U' ' || c == U'-' || c == U'.' || c == 0x00B7 || c == 0x2022 || c == 0x30FB ||
           c == U'_' || c == U'\t';
}
bool is_name_dot(char32_t c) {
    return c == 0x00B7 || c == 0x30FB || c == 0x2022 || c == 0x2027 || c == U'.';
}

bool contains(std::u32string_view text, std::u32string_view word) {
    return text.find(word) != std::u32string_view::npos;
}
bool contains_any(std::u32string_view text, std::initializer_list<std::u32string_view> words) {
    return std::any_of(words.begin(), words.end(),
                       [text](std::u32string_view word) { return contains(text, word); });
}
bool ends_with(std::u32string_view text, std::u32string_view word) {
    return text.size() >= word.size() && text.substr(text.size() - word.size()) == word;
}

// A run of digits (and X for ID numbers) with the separators drivers type inside numbers
// ("138 1234 5678", "320483-1988..."): the characters without separators, and where it was.
struct NumberRun {
    std::string chars;
    std::size_t begin = 0, end = 0;
};

std::vector<NumberRun> number_runs(const std::u32string& text, bool allow_x) {
    std::vector<NumberRun> runs;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i])) {
            ++i;
            continue;
        }
        NumberRun run;
        run.begin = i;
        std::size_t last = i;
        while (i < text.size()) {
            const char32_t c = text[i];
            if (is_digit(c) ||
                (allow_x && text::is_id_x(c, run.chars.size()) && !run.chars.empty())) {
                const bool ends_id = !is_digit(c);  // an X ends an ID number
                run.chars.push_back(ends_id ? 'X' : static_cast<char>(c));
                last = i;
                ++i;
                if (ends_id) break;
            } else if (is_number_separator(c) && i + 1 < text.size() &&
                       (is_digit(text[i + 1]) || is_number_separator(text[i + 1]))) {
                ++i;
            } else {
                break;
            }
        }
        run.end = last + 1;
        // A letter glued to the digits ("D12345", "abc123") is a plate or a word, not a number.
        const bool glued_before = run.begin > 0 && is_ascii_letter(text[run.begin - 1]);
        const bool glued_after = run.end < text.size() && is_ascii_letter(text[run.end]) &&
                                 !(allow_x && text::is_id_x(text[run.end], run.chars.size()));
        if (!glued_before && !glued_after) runs.push_back(std::move(run));
        i = std::max(i, run.end);
    }
    return runs;
}

Extraction found(std::string value) {
    Extraction out;
    out.kind = Extraction::Kind::found;
    out.value = std::move(value);
    return out;
}
Extraction malformed(const Validated& result) {
    Extraction out;
    out.kind = Extraction::Kind::malformed;
    out.error = result.error;
    out.code = result.code;
    return out;
}
Extraction malformed(std::string error, std::string code) {
    Extraction out;
    out.kind = Extraction::Kind::malformed;
    out.error = std::move(error);
    out.code = std::move(code);
    return out;
}

// The digit a character stands for when a number is read out to voice input ("幺三八", "零九二八",
// "两"), or -1.
int spoken_digit(char32_t c) {
    if (is_digit(c)) return static_cast<int>(c - U'0');
    constexpr std::u32string_view kSpoken = U"零一二三四五六七八九";
    if (const auto at = kSpoken.find(c); at != std::u32string_view::npos)
        return static_cast<int>(at);
    if (c == U'〇') return 0;
    if (c == U'幺') return 1;
    if (c == U'两') return 2;
    return -1;
}

// The text with every run of at least `min_digits` spoken or written digits (spaces between them
// allowed) written as ASCII digits, the rest as it was: "手机幺三八 一二三四 五六七八" → "手机
// 13812345678". Shorter runs stay words ("一二百块", "三四天").
std::u32string with_spoken_digits(const std::u32string& text, std::size_t min_digits) {
    std::u32string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (spoken_digit(text[i]) < 0) {
            out.push_back(text[i++]);
            continue;
        }
        std::u32string digits;
        std::size_t end = i;
        for (std::size_t j = i; j < text.size(); ++j) {
            if (const int digit = spoken_digit(text[j]); digit >= 0) {
                digits.push_back(static_cast<char32_t>(U'0' + digit));
                end = j + 1;
            } else if (text[j] != U' ') {
                break;
            }
        }
        out += digits.size() >= min_digits ? digits : text.substr(i, end - i);
        i = end;
    }
    return out;
}

// "三二零四…一二五一", "…幺叉": an ID read out to voice input (join helper, session 25: refused
// while a spoken phone was taken). The spoken X after the digits is 叉 or 艾克斯.
std::u32string with_spoken_id(const std::u32string& text) {
    std::u32string out = with_spoken_digits(text, 14);
    for (const std::u32string_view x : {U"艾克斯", U"爱克斯", U"埃克斯", U"叉"})
        for (auto at = out.find(x); at != std::u32string::npos; at = out.find(x, at + 1))
            if (at > 0 && is_digit(out[at - 1])) out.replace(at, x.size(), U"X");
    return out;
}

Extraction extract_id_card(const std::u32string& written, int today) {
    const std::u32string text = with_spoken_id(written);
    const auto runs = number_runs(text, true);
    const NumberRun* longest = nullptr;
    for (const auto& run : runs) {
        if (run.chars.size() == 18) {
            const auto result = validate_id_card(run.chars, today);
            if (result.ok) return found(result.value);
        }
        if (!longest || run.chars.size() > longest->chars.size()) longest = &run;
    }
    // A number of ID length (or close to it) that is wrong: the validator says what is wrong.
    if (longest && longest->chars.size() >= 14)
        return malformed(validate_id_card(longest->chars, today));
    return {};
}

Extraction extract_mobile(const std::u32string& written) {
    // "幺三八幺二三四五六七八": a number read out to voice input (join helper, session 24:
    // refused).
    const std::u32string text = with_spoken_digits(written, 7);
    const auto runs = number_runs(text, false);
    const NumberRun* candidate = nullptr;
    for (const auto& run : runs) {
        std::string digits = run.chars;
        if (digits.size() == 15 && digits.rfind("0086", 0) == 0) digits.erase(0, 4);
        if (digits.size() == 13 && digits.rfind("86", 0) == 0) digits.erase(0, 2);
        if (digits.size() == 11 && digits[0] == '1') {
            const auto result = validate_mobile(digits);
            if (result.ok) return found(result.value);
        }
        if (run.chars.size() >= 7 && (!candidate || run.chars.size() > candidate->chars.size()))
            candidate = &run;
    }
    if (candidate) return malformed(validate_mobile(candidate->chars));
    return {};
}

Extraction extract_code(const std::u32string& text) {
    const auto runs = number_runs(text, false);
    bool near_miss = false;
    for (const auto& run : runs) {
        if (run.chars.size() == 6) return found(run.chars);
        if (run.chars.size() >= 4 && run.chars.size() <= 8) near_miss = true;
    }
    if (near_miss)
        return malformed("验证码是6位数字，请核对短信后再回复；没收到请回复“重发”。",
                         "code.length");
    // "零九二八幺幺", "零 九 二 八 一 一": a code read out to voice input (join helper, session 22:
    // it was read as a request to resend, "发送太频繁"). No written run had six digits, so a
    // six-digit run now is the spoken one.
    for (const auto& run : number_runs(with_spoken_digits(text, 6), false))
        if (run.chars.size() == 6) return found(run.chars);
    return {};
}

bool is_plate_province(char32_t c) {
    static const std::u32string provinces =
        U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
    return provinces.find(c) != std::u32string::npos;
}

Extraction extract_plate(const std::u32string& written) {
    if (means_no_plate(written)) return found(std::string(kNoPlate));
    // "苏D 幺二三四五": digits read out (join helper, session 25: not taken).
    const std::u32string text = with_spoken_digits(written, 3);
    std::string first_attempt;
    std::string trailer;  // "鲁Q5678挂": kept only when no tractor plate is beside it
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_plate_province(text[i])) continue;
        std::u32string candidate(1, text[i]);
        std::size_t alnum = 0;
        std::size_t j = i + 1;
        std::size_t after_last = j;
        while (j < text.size() && alnum < 8) {
            const char32_t c = text[j];
            if (is_digit(c) || is_ascii_letter(c)) {
                candidate.push_back(c);
                ++alnum;
                after_last = j + 1;
            } else if (!(is_number_separator(c) && alnum < 7)) {
                break;
            }
            ++j;
        }
        // "苏D1234挂" is a trailer plate; "苏DE7731 挂车另算" is a plate and then words.
        if (after_last < text.size() &&
            (text[after_last] == U'挂' || text[after_last] == U'港' || text[after_last] == U'澳') &&
            !(after_last + 1 < text.size() && text[after_last] == U'挂' &&
              text[after_last + 1] == U'车'))
            candidate.push_back(text[after_last]);
        if (alnum < 2) continue;  // "苏州", "苏A": not a plate
        const std::string plate = text::encode_utf8(candidate);
        const auto result = validate_plate(plate);
        const bool is_trailer = candidate.back() == U'挂';
        if (result.ok && !is_trailer) return found(result.value);
        if (result.ok && trailer.empty()) trailer = result.value;
        if (!result.ok && first_attempt.empty()) first_attempt = plate;
    }
    if (!trailer.empty()) return found(trailer);
    if (!first_attempt.empty()) return malformed(validate_plate(first_attempt));
    // "没有固定的车 给人开车 老板的车换来换去" (join helper, session 25: asked again). "没有自己的
    // 车 开的老板的车" is no such answer: the boss's truck has a plate to give.
    if (contains_any(written, {U"没有固定", U"没固定", U"不固定", U"换来换去", U"天天换"}))
        return found(std::string(kNoPlate));
    // Letters and digits without a province ("D12345"): a plate missing its first character.
    std::size_t letters = 0, digits = 0;
    for (char32_t c : text) {
        letters += is_ascii_letter(c);
        digits += is_digit(c);
    }
    if (letters >= 1 && letters <= 3 && digits >= 3 && letters + digits <= 8)
        return malformed("车牌号要带上省份简称，例如：苏D12345。", "plate.province");
    if (explains_no_plate(text)) return malformed(validate_plate(text::encode_utf8(text)));
    return {};
}

// Words that are never a name even though they start like one ("谢谢" starts with 谢).
bool is_non_name_word(std::u32string_view name) {
    static const std::u32string words[] = {
        U"谢谢", U"好的", U"好了", U"明白", U"知道", U"可以", U"没有", U"不知道", U"不是", U"是的",
        U"对的", U"确认", U"确定", U"取消", U"重发", U"人工", U"客服", U"你好", U"您好", U"帮助",
        U"菜单", U"福利", U"进度", U"入会", U"工会", U"会费", U"司机", U"师傅", U"老板", U"车队",
        U"平台", U"货拉拉", U"满帮", U"运满满", U"加油卡", U"体检", U"保险", U"律师", U"法律",
        U"工资", U"运费", U"罚款", U"事故", U"工伤", U"单位", U"公司", U"老乡", U"兄弟", U"哥们",
        U"时间", U"干嘛", U"宁可", U"高速", U"全国", U"万一", U"成功", U"明天", U"今天", U"再说",
        U"等等", U"稍等", U"回头", U"安全", U"文件", U"常州", U"武进", U"新北", U"天宁", U"钟楼",
        U"金坛", U"溧阳", U"经开", U"马上", U"马上就", U"江苏", U"上海", U"车主", U"货主",
        U"司机的", U"开车的",
        // "那算了 我回头再弄吧" gave the name "那算" (那 is a surname; join helper, session 24).
        U"那算", U"算了", U"就算", U"不弄", U"不办", U"不填", U"以后", U"下次"};
    for (const auto& word : words)
        if (name == word || (word.size() >= 2 && contains(name, word))) return true;
    return false;
}

// Characters that make a text a sentence or a question, never a name.
bool has_sentence_char(std::u32string_view text) {
    // Pronouns and 给 too: "都发给你了啊" at the name step was kept as "都发给你" (都 is a surname;
    // join helper, session 27).
    static const std::u32string chars =
        U"吗呢吧啊呀么啥嘛哪谁怎几咋呗了的是在有要想请问会能你我他她咱俺给";
    for (char32_t c : text)
        if (chars.find(c) != std::u32string::npos) return true;
    return false;
}

// Clauses: runs of Han characters, name dots and letters; anything else (punctuation, spaces,
// emoji) separates them. "你好，我叫徐海峰" -> "你好", "我叫徐海峰".
std::vector<std::u32string> clauses(const std::u32string& text) {
    std::vector<std::u32string> out(1);
    for (char32_t c : text) {
        if (is_han(c) || is_ascii_letter(c) || is_name_dot(c) || is_digit(c)) {
            out.back().push_back(c);
        } else if (!out.back().empty()) {
            out.emplace_back();
        }
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

// The text after the last of `markers` (the one ending furthest right), or the whole text.
std::u32string after_last_marker(const std::u32string& text,
                                 std::initializer_list<std::u32string_view> markers) {
    std::size_t best_end = 0;
    for (auto marker : markers) {
        for (std::size_t pos = text.find(marker); pos != std::u32string::npos;
             pos = text.find(marker, pos + 1))
            best_end = std::max(best_end, pos + marker.size());
    }
    return best_end < text.size() ? text.substr(best_end) : std::u32string();
}

std::u32string strip_suffixes(std::u32string s,
                              std::initializer_list<std::u32string_view> suffixes) {
    for (bool changed = true; changed;) {
        changed = false;
        for (auto suffix : suffixes)
            if (ends_with(s, suffix) && s.size() > suffix.size()) {
                s.erase(s.size() - suffix.size());
                changed = true;
            }
    }
    return s;
}

constexpr const char* kNameHelp =
    "请回复您身份证上的姓名，只写名字就行，例如：王建国；少数民族姓名中间用“·”，例如：阿依古丽·买买"
    "提。";

constexpr const char* kNicknameHelp =
    "请发身份证上的真实姓名（例如：李子豪），不要用小名或外号：审核要和身份证核对。";

// "王 建 国": a name spaced out by an old driver or by voice input, joined; "" when the text is
// anything else (Han characters and spaces only, every part one or two characters).
std::u32string spaced_out_name(const std::u32string& text) {
    std::u32string joined;
    bool spaced = false;
    std::size_t part = 0;
    for (char32_t c : text) {
        if (c == U' ' || c == U'\u3000') {
            spaced = spaced || part > 0;
            part = 0;
            continue;
        }
        if (!is_han(c) || ++part > 2) return {};
        joined.push_back(c);
    }
    if (!spaced || joined.size() < 2 || joined.size() > 4) return {};
    return joined;
}

// "马建军身份证3204…": a voice run-on with no space; the name ends where another field or a
// number starts.
std::u32string before_other_field(const std::u32string& text) {
    std::size_t end = text.size();
    for (std::u32string_view field : {U"身份证", U"证件", U"电话", U"手机", U"车牌", U"号码"})
        end = std::min(end, text.find(field));
    for (std::size_t i = 0; i < end; ++i)
        if (is_digit(text[i])) end = i;
    return text.substr(0, end);
}

Extraction judge_name(const std::u32string& name) {
    if (name.empty()) return {};
    bool han = false, latin = false, dot = false, digit = false;
    std::size_t han_count = 0;
    for (char32_t c : name) {
        if (is_han(c)) {
            han = true;
            ++han_count;
        } else if (is_ascii_letter(c)) {
            latin = true;
        } else if (is_name_dot(c)) {
            dot = true;
        } else if (is_digit(c)) {
            digit = true;
        }
    }
    if (digit) return {};
    if (han && latin) return malformed(kNameHelp, "name.mixed");
    if (is_non_name_word(name)) return {};
    if (dot) {
        if (han_count < 2 || name.size() > 20) return malformed(kNameHelp, "name.shape");
        const auto result = validate_name(text::encode_utf8(name));
        if (result.ok) return found(result.value);
        return malformed(result);
    }
    if (name.size() > 6) return {};  // a sentence, not a name
    // "小李", "老王", "阿强": what friends call him, not the name on his ID card.
    if (name.size() == 2 && (name[0] == U'小' || name[0] == U'老' || name[0] == U'阿'))
        return malformed(kNicknameHelp, "name.nickname");
    const bool surname = text::starts_with_surname(name);
    if (has_sentence_char(name.substr(surname ? 1 : 0))) return {};
    if (name.size() < 2) return {};
    if (!surname) return malformed(kNameHelp, "name.surname");
    const auto result = validate_name(text::encode_utf8(name));
    if (result.ok) return found(result.value);
    return malformed(result);
}

// "我姓陈 耳东陈 名字叫大明 大小的大 明天的明": a name spelled out for voice input, the surname
// after 姓 and the given name after 叫 / 名字叫 / 名叫 / 单名; the hints ("耳东陈", "明天的明") are
// left out. The whole message was stored as the name (join helper, session 25). Empty when the
// message is not shaped so.
std::u32string spelled_name(const std::u32string& text) {
    static constexpr std::u32string_view kCompound[] = {U"欧阳", U"司马", U"诸葛", U"上官", U"东方",
                                                        U"慕容", U"皇甫", U"公孙", U"令狐", U"夏侯",
                                                        U"长孙", U"宇文", U"司徒", U"尉迟"};
    const auto at = text.find(U'姓');
    if (at == std::u32string::npos || at + 1 >= text.size() || !is_han(text[at + 1])) return {};
    std::u32string surname(1, text[at + 1]);
    for (const auto compound : kCompound)
        if (text.compare(at + 1, compound.size(), compound) == 0) surname = compound;
    std::size_t given_from = std::u32string::npos;
    for (const std::u32string_view marker : {U"名字叫", U"名字是", U"名叫", U"单名", U"叫"}) {
        const auto found = text.find(marker, at + 1 + surname.size());
        if (found != std::u32string::npos) {
            given_from = found + marker.size();
            break;
        }
    }
    if (given_from == std::u32string::npos) return {};
    std::u32string given;
    for (std::size_t i = given_from; i < text.size() && is_han(text[i]) && text[i] != U'的'; ++i)
        given.push_back(text[i]);
    if (given.starts_with(surname)) given.erase(0, surname.size());
    if (given.starts_with(U"一个")) given.erase(0, 2);  // 单名一个"伟"
    if (given.empty() || given.size() > 2) return {};
    return surname + given;
}

Extraction extract_name(const std::u32string& text) {
    // A foreign name in Latin letters is two words or more ("John Smith"); one word is "ok",
    // "hi", "help".
    const bool latin_only = std::all_of(text.begin(), text.end(), [](char32_t c) {
        return is_ascii_letter(c) || c == U' ' || c == U'-' || c == U'\'' || c == U'.';
    });
    if (latin_only) {
        std::u32string trimmed = text;
        while (!trimmed.empty() && trimmed.back() == U' ') trimmed.pop_back();
        while (!trimmed.empty() && trimmed.front() == U' ') trimmed.erase(0, 1);
        // The ID step that follows needs a resident ID, whose name is in Han characters: pinyin
        // ("Wang Jianguo") is asked again in characters.
        if (trimmed.find(U' ') == std::u32string::npos) return {};
        return malformed("请用汉字写姓名，和身份证上一致，例如：王建国。", "name.latin");
    }
    if (const std::u32string spelled = spelled_name(text); !spelled.empty())
        if (auto judged = judge_name(spelled); judged.found()) return judged;
    if (const std::u32string joined = spaced_out_name(text); !joined.empty()) {
        auto judged = judge_name(joined);
        if (judged.found()) return judged;
    }
    Extraction first_malformed;
    const auto after_marker = [](const std::u32string& clause) {
        return after_last_marker(
            clause,
            {U"名字是", U"名字叫", U"姓名是", U"姓名叫", U"名叫", U"叫做", U"叫我", U"叫", U"姓名",
             U"名字", U"我是", U"俺是", U"本人", U"应该是", U"正确的是", U"改成", U"改为", U"是"});
    };
    const auto judge_candidate = [&](std::u32string candidate) {
        // "名字王志强没错" keeps the name; "王志强没错" was stored (join helper, session 28).
        candidate = strip_suffixes(
            candidate, {U"就行", U"就好", U"就是", U"谢谢", U"麻烦了", U"没错", U"没问题",
                        U"是对的", U"对的", U"多谢", U"哈", U"呀", U"啊", U"哦", U"了"});
        auto judged = judge_name(candidate);
        if (judged.kind == Extraction::Kind::malformed &&
            first_malformed.kind == Extraction::Kind::absent)
            first_malformed = judged;
        return judged;
    };
    for (const auto& clause : clauses(text)) {
        // After the clause's last marker ("身份证上的名字是冯晓东",
        // "我是开货车的手机号…名字叫王刚"); else before the next field
        // ("我叫马建军身份证号码是3204…", a voice run-on).
        std::u32string tail = after_marker(clause);
        if (tail.empty()) tail = clause;
        if (auto judged = judge_candidate(tail); judged.found()) return judged;
        const std::u32string head = after_marker(before_other_field(clause));
        if (head.empty() || head == tail) continue;
        if (auto judged = judge_candidate(head); judged.found()) return judged;
    }
    return first_malformed;
}

bool means_no_employer(std::u32string_view text) {
    static const std::u32string words[] = {
        U"没有单位",   U"没单位",   U"没有公司", U"没公司",   U"没挂靠",   U"没有挂靠",
        U"不挂靠",     U"无挂靠",   U"自己跑",   U"自己干",   U"自己的车", U"个体",
        U"单干",       U"散户",     U"自由职业", U"没有平台", U"都没有",   U"啥也没有",
        U"什么都没有", U"暂时没有", U"目前没有", U"无业"};
    for (const auto& word : words)
        if (contains(text, word)) return true;
    static const std::u32string bare[] = {U"无",     U"没有",   U"没",     U"不用",   U"跳过",
                                          U"没有的", U"无单位", U"无公司", U"无平台", U"否"};
    for (const auto& word : bare)
        if (text == word) return true;
    return false;
}

// Platforms and carriers drivers name without a company suffix.
constexpr std::u32string_view kPlatforms[] = {
    U"滴滴货运", U"快狗打车", U"福佑卡车", U"京东物流", U"德邦物流", U"安能物流", U"中通快递",
    U"顺丰速运", U"跨越速运", U"壹米滴答", U"中国邮政", U"运满满",   U"货拉拉",   U"货车帮",
    U"满帮",     U"快狗",     U"路歌",     U"顺丰",     U"德邦",     U"安能",     U"中通",
    U"圆通",     U"申通",     U"韵达",     U"百世",     U"京东"};

// How the name of a company, fleet or station ends.
constexpr std::u32string_view kOrgSuffixes[] = {
    U"有限责任公司", U"有限公司", U"公司", U"集团", U"物流", U"运输", U"货运", U"车队", U"服务部",
    U"合作社", U"快递", U"速运", U"经营部", U"运输队", U"中心",
    // "溧阳华通汽运", "金坛永达汽运": among the commonest names in trucking, and both got
    // "没看懂" (join helper, session 24).
    U"汽运", U"储运", U"运业", U"快运", U"配货站", U"信息部"};

Extraction extract_employer(const std::u32string& raw) {
    std::u32string s = raw;
    static const std::u32string question_marks[] = {
        U"吗",     U"么",     U"怎么",   U"什么",     U"啥",     U"多少",   U"哪",
        U"？",     U"?",      U"咋",     U"能不能",   U"要不要", U"是不是", U"有没有",
        U"为什么", U"算不算", U"管不管", U"可以入会", U"能入会", U"行不行"};
    for (const auto& mark : question_marks)
        if (contains(s, mark)) return {};
    std::u32string compact;
    for (const auto& clause : clauses(s)) compact += clause;
    if (compact.empty()) return {};
    compact = strip_suffixes(compact, {U"谢谢", U"啦", U"了", U"的", U"哈"});
    if (means_no_employer(compact)) return found("无");
    for (const auto& clause : clauses(s)) {
        std::size_t org_end = 0;
        for (auto suffix : kOrgSuffixes)
            for (std::size_t pos = clause.find(suffix); pos != std::u32string::npos;
                 pos = clause.find(suffix, pos + 1))
                org_end = std::max(org_end, pos + suffix.size());
        if (org_end == 0) continue;
        std::u32string head = clause.substr(0, org_end);
        std::u32string value = after_last_marker(
            head, {U"叫", U"是", U"在", U"给", U"挂靠", U"挂在", U"挂", U"名称", U"单位", U"公司",
                   U"我跑", U"用", U"改成", U"改为", U"换成", U"应该是"});
        // "公司是X有限公司": the marker ran into the suffix itself; keep the whole head then.
        if (value.size() < 3)
            value = after_last_marker(head, {U"叫", U"是", U"在", U"给", U"挂靠", U"挂在", U"挂"});
        if (value.size() < 3) value = head;
        // "公司名字忘了", "公司 X有限公司": a bare suffix is a word, not a name.
        const bool bare_suffix = std::any_of(std::begin(kOrgSuffixes), std::end(kOrgSuffixes),
                                             [&](auto suffix) { return value == suffix; });
        // "我开的是公司的车": a sentence about a company, no company's name (it was stored as
        // "我开的是公司"; join helper, session 28).
        const bool sentence = value.starts_with(U"我") || value.starts_with(U"俺") ||
                              value.find(U"的是") != std::u32string::npos;
        // "挂靠公司改一下": a kind of company, no company's name (it replaced his company; join
        // helper, session 30).
        const bool kind_only = value == U"挂靠公司" || value == U"运输公司" ||
                               value == U"物流公司" || value == U"货运公司";
        if (bare_suffix || sentence || kind_only || value.size() < 3) continue;
        const auto result = validate_employer(text::encode_utf8(value));
        if (result.ok && !result.value.empty()) return found(result.value);
    }
    // "货拉拉 满帮都跑": every platform named, in the order he named them.
    std::vector<std::pair<std::size_t, std::u32string>> named;
    for (auto platform : kPlatforms) {
        const auto pos = compact.find(platform);
        if (pos == std::u32string::npos) continue;
        // "德邦物流", "中通快递": a platform name followed by its own suffix keeps it.
        std::u32string value(platform);
        for (auto suffix : {U"物流", U"快递", U"速运", U"打车", U"货运"})
            if (compact.substr(pos + platform.size(), 2) == suffix) value += suffix;
        // "滴滴货运" also holds "滴滴": one platform, named once.
        const bool inside = std::any_of(named.begin(), named.end(), [&](const auto& other) {
            return pos >= other.first && pos < other.first + other.second.size();
        });
        if (!inside) named.emplace_back(pos, std::move(value));
    }
    if (named.empty()) return {};
    std::sort(named.begin(), named.end());
    std::u32string all;
    for (const auto& [pos, value] : named) all += (all.empty() ? U"" : U"、") + value;
    return found(text::encode_utf8(all));
}

}  // namespace

bool looks_like_name(std::string_view text) { return extract_name(prepare(text)).found(); }

// "我手机号是18951234999吧 不对 是18951234998": what follows his own correction, from the
// last correction word on (the code went to the first number; join helper, session 28); empty
// when he corrects nothing.
std::u32string after_self_correction(const std::u32string& text) {
    std::size_t last = std::u32string::npos;
    // "不过这个号快停了 用我老婆的吧 138…" (join helper, session 30): another one he turns to.
    for (const std::u32string_view marker : {U"不对", U"说错", U"打错", U"输错", U"错了", U"哦不",
                                             U"换成", U"改成", U"改用", U"用我", U"换了"})
        if (const auto at = text.rfind(marker);
            at != std::u32string::npos && (last == std::u32string::npos || at > last))
            last = at;
    if (last == std::u32string::npos || last == 0) return {};
    return text.substr(last);
}

// A number or plate said twice with a correction between: the corrected one, when the words
// after the correction hold one that passes.
Extraction corrected_value(std::string_view validator, const std::u32string& text, int today) {
    const std::u32string tail = after_self_correction(text);
    if (tail.empty()) return {};
    if (validator == "id_card") return extract_id_card(tail, today);
    if (validator == "mobile") return extract_mobile(tail);
    if (validator == "plate") return extract_plate(tail);
    // "挂靠在常州顺达物流 哦不对 去年换了 现在是武进通运物流有限公司" kept the first.
    if (validator == "employer") return extract_employer(tail);
    // "李四 哦不对 写大名 李思远", "王五 说错了 是王武": the name in the last words (the first
    // name was kept, and one was submitted; join helper, session 30).
    if (validator == "name") {
        // "用我老婆的名字行不 她叫陈秀英" names someone else.
        for (const std::u32string_view other : {U"她", U"他", U"老婆", U"媳妇", U"爱人"})
            if (tail.find(other) != std::u32string::npos) return {};
        const std::size_t last_space = tail.find_last_of(U' ');
        std::u32string last =
            last_space == std::u32string::npos ? tail : tail.substr(last_space + 1);
        last = after_last_marker(last, {U"是", U"叫", U"写", U"改成", U"改为"});
        return extract_name(last);
    }
    return {};
}

// "320412199503035719 15251234567", "最后一位是5 3204…0035": numbers said side by side become
// one run once prepared (an ID may be spaced out, "3204 1219 …"), and neither was found (join
// helper, session 28). Each word of the message as sent is tried on its own, then each few
// words next to each other: "哦 最后一位是5 320412 19751103 4565" is an ID spaced out after a
// digit of its own (benefits helper, session 29: "您发的是19位").
Extraction one_of_the_words(std::string_view validator, std::string_view text, int today) {
    std::vector<std::string_view> words;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        if (end > at) words.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    constexpr std::size_t kMostWords = 6;  // "3204 1219 9503 0357 19": five groups and a spare
    for (std::size_t count = 1; count <= kMostWords; ++count)
        for (std::size_t first = 0; first + count <= words.size(); ++first) {
            std::string joined;
            for (std::size_t i = first; i < first + count; ++i) joined += words[i];
            const std::u32string span = prepare(joined);
            const Extraction got =
                validator == "id_card" ? extract_id_card(span, today) : extract_mobile(span);
            if (got.found()) return got;
        }
    return {};
}

Extraction extract_answer(std::string_view validator, std::string_view text, int today,
                          const members::DistrictCatalog* districts) {
    const std::u32string prepared = prepare(text);
    if (auto corrected = corrected_value(validator, prepared, today); corrected.found())
        return corrected;
    if (validator == "id_card" || validator == "mobile") {
        Extraction whole =
            validator == "id_card" ? extract_id_card(prepared, today) : extract_mobile(prepared);
        // Absent: no long enough run of digits in the whole, so in no word either.
        if (whole.kind != Extraction::Kind::malformed) return whole;
        if (Extraction word = one_of_the_words(validator, text, today); word.found()) return word;
        return whole;
    }
    if (validator == "sms_code") return extract_code(prepared);
    if (validator == "plate") return extract_plate(prepared);
    if (validator == "name") return extract_name(prepared);
    if (validator == "employer") return extract_employer(prepared);
    if (validator == "district" && districts) {
        const auto match = districts->match(text);
        if (match.kind == members::DistrictCatalog::Match::Kind::unique)
            return found(match.candidates.front()->name);
        // Several districts share what was said: the flow asks which one with numbered choices.
        if (match.kind == members::DistrictCatalog::Match::Kind::ambiguous)
            return found(text::encode_utf8(prepared));
        return {};
    }
    return {};
}

namespace {

// A word of `text` that names a company (a suffix and a name before it) or a platform, as
// extract_employer reads it; nullopt when none does.
std::optional<std::string> employer_among_details(std::string_view text, int today) {
    const std::u32string points = text::decode_utf8(text);
    const bool platform = std::any_of(
        std::begin(kPlatforms), std::end(kPlatforms),
        [&](std::u32string_view name) { return points.find(name) != std::u32string::npos; });
    constexpr std::size_t kShortestCompany = 4;  // "顺达物流"
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        const std::string_view word = text.substr(at, end - at);
        at = end + 1;
        const std::u32string word_points = text::decode_utf8(word);
        const bool company =
            word_points.size() >= kShortestCompany &&
            std::any_of(std::begin(kOrgSuffixes), std::end(kOrgSuffixes),
                        [&](std::u32string_view suffix) { return word_points.ends_with(suffix); });
        if (!company) continue;
        const auto employer = extract_answer("employer", word, today);
        if (employer.found() && employer.value != "无") return employer.value;
    }
    if (!platform) return std::nullopt;
    const auto employer = extract_answer("employer", text, today);
    if (employer.found() && employer.value != "无") return employer.value;
    return std::nullopt;
}

bool says_his_employer(std::string_view text) {
    for (const std::string_view cue : {"挂靠", "挂在", "单位", "公司是", "公司叫", "上班", "平台是",
                                       "我跑", "在跑", "开的是", "给人开车"})
        if (text.find(cue) != std::string_view::npos) return true;
    return false;
}

// The district a sentence places him in, only where it is said plainly: the district's own name
// ("武进", "溧阳市"), or a town after 在 / 住 / 家 / 户口 ("家在湖塘"). A town alone inside a
// sentence is too often another word ("五星好评", "洛阳的货").
std::optional<std::string> place_he_names(std::string_view text,
                                          const members::DistrictCatalog& districts) {
    const auto match = districts.match(text);
    if (match.kind != members::DistrictCatalog::Match::Kind::unique) return std::nullopt;
    const members::District& district = *match.candidates.front();
    const auto has = [&](std::string_view word) {
        return !word.empty() && text.find(word) != std::string_view::npos;
    };
    const std::string& name = district.name;
    if (has(name) || has(members::short_name(name))) return name;
    for (const auto& alias : district.aliases)
        for (const std::string_view cue : {"在", "住", "家", "户口", "是"})
            if (has(std::string(cue) + alias)) return name;
    return std::nullopt;
}

bool says_his_name(std::string_view text) {
    const auto has = [&](std::string_view cue) { return text.find(cue) != std::string_view::npos; };
    for (const std::string_view cue :
         {"我叫", "我是", "名字是", "名字叫", "姓名是", "姓名：", "我姓", "俺叫", "俺姓", "本人叫"})
        if (has(cue)) return true;
    // A correction: "名字写错了 应该是王建国", "不对 名字打错了 是王建国", "姓名改成王建国".
    if (!has("名字") && !has("姓名")) return false;
    for (const std::string_view cue : {"应该是", "正确的是", "改成", "改为", "是"})
        if (has(cue)) return true;
    return false;
}

// "入会 孙卫东 3204… 手机151…": his details listed, the name as its own word right before the ID
// number (2–4 characters after a common surname). It was not taken, and the name step asked again
// (join helper, session 23).
std::optional<std::string> name_before_id(std::string_view text) {
    std::vector<std::string_view> words;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        if (end > at) words.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    for (std::size_t i = 1; i < words.size(); ++i) {
        std::string_view word = words[i];
        // "李红兵 身份证3204…": the label written onto the number (join helper, session 27).
        for (const std::string_view label : {"身份证号码", "身份证号", "身份证", "证件号"})
            if (word.starts_with(label)) {
                word.remove_prefix(label.size());
                break;
            }
        if (word.starts_with("：")) word.remove_prefix(std::string_view("：").size());
        if (word.starts_with(":")) word.remove_prefix(1);
        const bool is_id =
            word.size() == 18 &&
            std::all_of(word.begin(), word.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
        if (!is_id) continue;
        const std::u32string name = text::decode_utf8(words[i - 1]);
        const bool all_han = std::all_of(name.begin(), name.end(),
                                         [](char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; });
        if (name.size() >= 2 && name.size() <= 4 && all_han && text::starts_with_surname(name))
            return std::string(words[i - 1]);
    }
    return std::nullopt;
}

}  // namespace

std::string value_put(std::string_view text) {
    const std::u32string prepared = prepare(text);
    const std::u32string put =
        after_last_marker(prepared, {U"填", U"写", U"改成", U"改为", U"应该是", U"换成", U"是"});
    // No such word: after_last_marker gives the whole text ("修改姓名" puts nothing).
    if (put.size() == prepared.size()) return {};
    return text::encode_utf8(put);
}

std::map<std::string, std::string> other_values(std::string_view text, std::string_view except,
                                                int today_yyyymmdd,
                                                const members::DistrictCatalog* districts) {
    std::map<std::string, std::string> found;
    for (const std::string_view validator : {"name", "id_card", "mobile", "plate"}) {
        if (validator == except) continue;
        // A name is only taken where the driver says it is his ("我叫…"): elsewhere any two
        // characters after a surname ("武进") would pass, and "修改姓名" names no one.
        if (validator == "name" && !says_his_name(text)) {
            // A place is no name ("武进 3204…"): 武 is a surname too.
            const auto listed = name_before_id(text::fold_width(text));
            const bool place =
                listed && districts &&
                districts->match(*listed).kind != members::DistrictCatalog::Match::Kind::none;
            if (listed && !place) {
                const auto name = extract_answer("name", *listed, today_yyyymmdd);
                if (name.found()) found.emplace("name", name.value);
            }
            continue;
        }
        const auto extraction = extract_answer(validator, text, today_yyyymmdd);
        // "没有" at the code step ("没收到") is no answer to the plate step.
        if (validator == "plate" && extraction.value == kNoPlate) continue;
        if (extraction.found()) found.emplace(validator, extraction.value);
    }
    // "挂靠金坛顺达物流", "我跑货拉拉": an employer only where he says it is his, since "满帮封了我
    // 的号" names a platform he is not reporting as his.
    if (except != "employer" && says_his_employer(text)) {
        const auto employer = extract_answer("employer", text, today_yyyymmdd);
        if (employer.found() && employer.value != "无") found.emplace("employer", employer.value);
    }
    // A company's name or a platform as a word among his details (employer_among_details): no
    // place for the district either ("常州顺达物流" is no 常州).
    std::optional<std::string> among;
    if (except != "employer" && !found.count("employer"))
        among = employer_among_details(text, today_yyyymmdd);
    if (except != "district" && districts) {
        // The company's and his own name are no place: "金坛顺达物流" says where the company is,
        // "王红梅" is no 红梅街道.
        std::string rest(text);
        for (const char* field : {"employer", "name"})
            if (const auto value = found.find(field); value != found.end())
                rest = text::replace_with_space(rest, value->second);
        if (among) rest = text::replace_with_space(rest, *among);
        if (auto place = place_he_names(rest, *districts)) found.emplace("district", *place);
    }
    // "…车牌苏D3G219 武进的 个体", "…在溧阳 没挂靠": among his other details, no employer is the
    // answer to that step too (step 6 asked again: "刚说了没挂靠啊"; join helper, session 27).
    // Alone at another step "没有单位" stays that step's word.
    // At a step (`except`), the step's own value is among them: one other is enough ("苏D20088
    // 武进 个体的没挂靠" at the plate step; join helper, session 30).
    const std::size_t details = found.size() + (except.empty() ? 0 : 1);
    if (except != "employer" && !found.count("employer") && details >= 2 &&
        text::contains_any(text, {"个体", "没挂靠", "没有挂靠", "不挂靠", "自己跑", "单干", "散户",
                                  "没单位", "没有单位"}))
        found.emplace("employer", "无");
    // "苏D6H600 武进区 常州顺达物流", "…武进湖塘 跑满帮": a company's name or a platform as a word
    // among his details is his employer (step 6 asked again; join helper, session 30).
    if (except != "employer" && !found.count("employer") && details >= 2 && among)
        found.emplace("employer", std::move(*among));
    return found;
}

}  // namespace kayou::dialogs
