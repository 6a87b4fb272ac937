#pragma once
// Answers inside sentences: finds the value a join step asks for in what the driver actually
// typed ("身份证号是 3204…，谢谢", "我的手机是138 1234 5678。", "车牌苏D·12345", "我叫王建国"),
// and tells a message that holds no such value (a question, a greeting, "不知道") from one that
// holds a wrong one. Pure: no I/O, no clock (today is passed in). The validators
// (dialogs/validators.hpp) still decide what is valid and normalize; this file only finds.
#include <map>
#include <string>
#include <string_view>

#include "members/districts.hpp"

namespace kayou::dialogs {

struct Extraction {
    enum class Kind {
        found,      // `value` is the normalized, valid answer
        malformed,  // an attempt at this field that is wrong: `error` says what to fix
        absent,     // nothing of this field here: the message means something else
    };
    Kind kind = Kind::absent;
    std::string value;
    std::string error;
    std::string code;  // the validator's stable reason on malformed

    bool found() const { return kind == Kind::found; }
};

// `validator` is the step's validator name (name, id_card, mobile, plate, district, employer) or
// "sms_code" for the verification step. `today_yyyymmdd` is the Beijing date (the ID's age check).
Extraction extract_answer(std::string_view validator, std::string_view text, int today_yyyymmdd,
                          const members::DistrictCatalog* districts = nullptr);

// What a change request says to put in its field: the text after the last 填 / 写 / 改成 / 改为 /
// 应该是 / 换成 / 是 ("单位填货拉拉和满帮" -> "货拉拉和满帮", "不是陈大为 是陈大伟" -> "陈大伟"),
// or "" when it has none.
std::string value_put(std::string_view text);

// The values for other join steps that one message also holds, by validator: "我叫李卫东
// 电话13912345601" at the name step also holds a mobile. Only fields that are found reliably
// inside a sentence: id_card, mobile, plate, name after 我叫/我是/名字是/姓名是, employer after
// 挂靠/单位/上班/我跑…, and (given the catalog) a district named plainly ("在金坛跑", "家在湖塘").
// `except` (the step being answered) is left out.
std::map<std::string, std::string> other_values(
    std::string_view text, std::string_view except, int today_yyyymmdd,
    const members::DistrictCatalog* districts = nullptr);

// Whether the text reads as a person's name (after 我叫/我是/名字是 and polite endings are
// removed): a known surname (or a "·" name), 2–6 Han characters, no question or help words.
bool looks_like_name(std::string_view text);

}  // namespace kayou::dialogs
