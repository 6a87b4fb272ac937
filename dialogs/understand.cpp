#include "dialogs/understand.hpp"

#include <algorithm>

#include "dialogs/chat_requests.hpp"
#include "dialogs/extract.hpp"
#include "dialogs/join_engine.hpp"
#include "dialogs/privacy.hpp"
#include "faq/decide.hpp"
#include "faq/follow_up.hpp"
#include "faq/legal_service.hpp"
#include "faq/sums.hpp"
#include "text/number.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::dialogs {
namespace {

// How much the FAQ's best score counts as evidence for "question". 0.85 until the pooled question
// field raised FAQ scores (session 9); at 0.82 the benefit questions that had turned into FAQ
// questions ("暖心礼包里面有啥") go back to the benefit catalogue: faq/eval/understand.yaml 264 ->
// 266 of 273, the legal dev sets unchanged.
constexpr double kLegalWeight = 0.82;
// An intent scored this high is not questioned by the FAQ (whose search is most of the cost of
// understanding a message).
constexpr double kSettledIntent = 0.6;
// A classification this sure overrides a wrong value typed at a step.
constexpr double kClearIntent = 0.6;
// Below this, the nearest intent example is too far to mean anything.
constexpr double kWeakestIntent = 0.28;
// A question of at least this many characters is about something: greetings, thanks and flow
// commands are short, so a cue inside it ("老板说你好了就回来上班", "能申请撤销吗") does not make
// it one, and the FAQ's best score counts in full against the other intents (docs/understanding.md,
// "Long questions").
constexpr std::size_t kLongQuestion = 16;
// "不好意思 刚才身份证号输错了 正确的是3204…": an edit said outside a form fits in this many
// code points; a longer message is a story.
constexpr std::size_t kLongestEdit = 40;
// "我的结果出来没", "咋还没动静": the application's progress asked in few words; a message this
// long that names no application (names_an_application) is about something else.
constexpr std::size_t kLongestProgress = 20;

using text::contains;
using text::contains_any;

// "@卡友小助手 …" and other @-mentions (up to the next space) say who is addressed, not what is
// meant. Channels strip the leading one; one inside the text is removed here.
std::string strip_mentions(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool at = text[i] == '@' || text.substr(i, 3) == "\xEF\xBC\xA0";  // @ or ＠
        if (!at) {
            out += text[i++];
            continue;
        }
        std::size_t end = text.find_first_of(" \t\n", i);
        const std::size_t ideographic = text.find("\xE3\x80\x80", i);  // U+3000
        if (ideographic != std::string_view::npos && ideographic < end) end = ideographic;
        if (end == std::string_view::npos) end = text.size();
        out += ' ';
        i = end;
    }
    return out;
}

// At most kExcerptHead + kExcerptTail characters: the head and the tail of a longer text.
constexpr std::size_t kExcerptHead = 24;
constexpr std::size_t kExcerptTail = 48;

std::string long_text_excerpt(std::string_view text) {
    const std::u32string code_points = text::decode_utf8(text);
    if (code_points.size() <= kExcerptHead + kExcerptTail) return std::string(text);
    return text::encode_utf8(std::u32string_view(code_points).substr(0, kExcerptHead)) + " " +
           text::encode_utf8(
               std::u32string_view(code_points).substr(code_points.size() - kExcerptTail));
}

}  // namespace

std::string edit_field(std::string_view text) {
    const bool wants_change =
        contains_any(text, {"修改", "更改", "改一下", "改成", "改下", "要改", "想改",
                            "换成", "换个", "换一个", "填错", "写错", "输错", "打错",
                            "搞错", "弄错", "不对",   "错了", "变更", "更换"}) ||
        text.rfind("改", 0) == 0 || text.rfind("换", 0) == 0;
    // "重新填一遍 名字手机号都不对" starts over; it is not one field's edit.
    if (!wants_change || contains_any(text, {"重新填", "重填", "从头"})) return {};
    return field_named(text);
}

std::string field_named(std::string_view text) {
    struct Field {
        std::string_view field;
        std::initializer_list<std::string_view> words;
    };
    static const Field fields[] = {
        {"id_card", {"身份证", "证件号"}},
        {"mobile", {"手机", "电话", "号码", "手机号"}},
        {"plate", {"车牌", "牌照", "车号"}},
        {"name", {"姓名", "名字"}},
        {"district", {"区县", "地区", "所在区", "区域", "所在地"}},
        {"employer", {"单位", "公司", "平台", "车队", "挂靠"}},
    };
    // "名字搞错了 身份证上是李囯强": the name as the ID card has it, not the ID (it went back to
    // the ID step; benefits helper, session 26).
    if (contains_any(text, {"名字", "姓名"}) && contains_any(text, {"身份证上", "证上"}))
        return "name";
    // "公司名字不对 叫顺达运输有限公司": the company's name, not his (it went back to step 1).
    if (contains_any(text, {"公司名", "单位名", "公司的名", "单位的名", "车队名", "平台名"}))
        return "employer";
    for (const auto& field : fields)
        if (contains_any(text, field.words)) return std::string(field.field);
    return {};
}

std::string put_field(std::string_view text) {
    struct Put {
        std::string_view field;
        std::initializer_list<std::string_view> words;
    };
    static const Put puts[] = {
        {"employer", {"单位填", "单位写", "平台填", "平台写", "公司填", "公司写"}},
        {"plate", {"车牌填", "车牌写"}},
        {"name", {"名字填", "名字写", "姓名填", "姓名写"}},
    };
    for (const auto& put : puts)
        if (contains_any(text, put.words)) return std::string(put.field);
    return {};
}

namespace {

// Thanks or "got it" in so many words, or a message short enough to be no more than that.
bool says_thanks(std::string_view cleaned) {
    constexpr std::size_t kShortThanks = 8;
    if (text::code_point_count(cleaned) <= kShortThanks) return true;
    constexpr std::string_view kThanks[] = {"谢",     "感谢",   "辛苦", "收到", "好的",
                                            "明白",   "知道了", "懂了", "了解", "好嘞",
                                            "麻烦了", "👍",      "ok",   "OK"};
    return std::any_of(std::begin(kThanks), std::end(kThanks), [&](std::string_view word) {
        return cleaned.find(word) != std::string_view::npos;
    });
}

// "下回再说", "改天", "回头再弄": a later time. A cancel that names one puts the form off.
bool puts_off(std::string_view cleaned) {
    // "以后再也不弄了" refuses for good.
    if (cleaned.find("再也") != std::string_view::npos) return false;
    // "先不提交了 取消": the command word said is meant.
    if (cleaned.find("取消") != std::string_view::npos) return false;
    // "先不弄了 晚上歇下来再弄 身份证在车上" deleted his form (join helper, session 22); "先不弄
    // 了" alone did too (session 25): 先 is "for now".
    constexpr std::string_view kLater[] = {
        "先不",   "下回",   "改天",   "回头",   "晚点", "等会",  "一会儿", "以后再",
        "有空再", "明天再", "过两天", "先放着", "再弄", "再填",  "再办",   "晚上",
        "明天",   "待会",   "过会",   "等下",   "下次", "回来再"};
    return std::any_of(std::begin(kLater), std::end(kLater), [&](std::string_view word) {
        return cleaned.find(word) != std::string_view::npos;
    });
}

// At the code step, "短信收不到", "等了5分钟了还没有": the code did not come (a short message
// without a code in it). Elsewhere these words mean other things ("工资还没有发").
bool code_not_come(std::string_view cleaned) {
    constexpr std::size_t kShort = 20;
    if (text::code_point_count(cleaned) > kShort) return false;
    const std::string folded = text::fold_width(cleaned);
    std::size_t digits = 0;
    for (char c : folded) digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits >= 4) return false;
    // The code named with a "not", or a wait that ran out ("等了5分钟了还没有"); "我还没想好",
    // "还没到家 到家再弄" are no code that did not come.
    const bool names_code = contains_any(cleaned, {"短信", "验证码", "码", "收到", "收不到"});
    const bool not_yet = contains_any(cleaned, {"不到", "没", "不来"});
    const bool waited = contains_any(cleaned, {"等了", "等半天", "等好久"}) &&
                        contains_any(cleaned, {"还没", "没有", "没来", "没到"});
    return (names_code && not_yet) || waited;
}

// "身份证3204…", "电话139… 车牌苏D…": values and the words that name their fields, nothing else.
bool holds_only_values(std::string_view cleaned) {
    std::string rest = without_personal_data(cleaned);
    for (const std::string_view word :
         {"身份证号码", "身份证号", "身份证", "证件号", "手机号码", "手机号", "手机",
          "电话号码",   "电话",     "车牌号", "车牌",   "号码",     "我的",   "是",
          "：",         ":",        "，",     ",",      " ",        "。"})
        for (auto at = rest.find(word); at != std::string::npos; at = rest.find(word))
            rest.erase(at, word.size());
    return rest.empty();
}

// "我去年就入会了", "我是老会员", "在公司入过工会了": a member already, not asking to join.
bool says_already_member(std::string_view cleaned) {
    return contains_any(cleaned, {"入会了", "入过会", "入了会", "入过工会", "入了工会", "已经入会",
                                  "已经是会员", "已经是工会会员", "我是会员", "我是工会会员",
                                  "老会员", "早就是会员"}) &&
           !contains_any(cleaned, {"想入会", "要入会", "能入会", "可以入会", "怎么入会"});
}

// At the summary, "我再想想 先不提交", "先别提交 我问问老婆": 提交 said with a hold (both were
// submitted; join helper, session 23).
bool holds_back(std::string_view cleaned) {
    return contains_any(cleaned, {"不提交", "别提交", "先不", "先别", "再想想", "想一想", "等等",
                                  "等一下", "等下", "问问", "商量", "暂时不", "不急着", "别急"});
}

// "还是入吧 入会", "那就入会吧 开始", "我想如会 怎么如": a short message that decides to join, not
// a question about joining (all three got the FAQ's long answers; join helper, session 25). One
// that asks about money, time, papers or safety is a question.
bool decides_to_join(std::string_view cleaned) {
    constexpr std::size_t kLongestDecision = 14;
    if (text::code_point_count(cleaned) > kLongestDecision) return false;
    // "那入吧", "那我要入 咋整" after an answer on who may join (join helper, session 27).
    if (!contains_any(cleaned,
                      {"入会", "如会", "入工会", "入吧", "入个会", "那我要入", "那就入", "那我入"}))
        return false;
    if (contains_any(cleaned,
                     {"钱", "费", "多久", "几天", "条件", "材料", "安全", "要啥", "啥用", "好处",
                      "福利", "不入", "不想", "算了", "取消", "退", "能入", "可以入", "会员"}))
        return false;
    return contains_any(cleaned, {"吧", "开始", "想入会", "要入会", "想如会", "要如会", "走起",
                                  "办理", "现在入", "我要入", "那就入", "那我入"});
}

// "刚说了 没有", "不是说了吗 顺达物流": the answer after a reminder that he gave it (the first
// opened a ticket for a person; benefits helper, session 26).
std::string without_reminder(const std::string& cleaned) {
    for (const std::string_view reminder :
         {"上面不是都说了吗", "上面不是说了吗", "前面不是说了吗", "上面说了", "前面说了",
          "不是都说了吗", "不是说了吗", "刚才说了", "刚才不是说了吗", "刚说了", "都说了", "我说了",
          "说过了"}) {
        if (cleaned.rfind(reminder, 0) != 0) continue;
        std::string rest = cleaned.substr(reminder.size());
        const auto start = rest.find_first_not_of(" ，,");
        if (start != std::string::npos) return rest.substr(start);
    }
    return cleaned;
}

// "024707 对了入会要交会费吗 一个月多少", "907989 体检在哪做": a question beside the step's
// value. The form takes the value and the question is answered too (five were dropped; join
// helper, session 27). "" when the rest asks nothing or too little to search.
std::string question_beside_value(std::string_view cleaned, std::string_view value) {
    std::string rest = without_personal_data_or_labels(cleaned);
    if (!value.empty()) rest = text::replace_with_space(std::move(rest), value);
    for (char& c : rest)
        if (c >= '0' && c <= '9') c = ' ';  // the code, and what is left of a number
    // The lead-ins before the question ("对了", "问下") and the gaps between them go.
    constexpr std::string_view kGaps[] = {" ", "，", ",", "。", "：", ":"};
    constexpr std::string_view kLeads[] = {"顺便问一下", "顺便问下", "问一下", "问下", "对了",
                                           "另外",       "还有",     "验证码", "我的", "是"};
    for (bool cut = true; cut;) {
        cut = false;
        const auto cut_lead = [&](std::string_view word) {
            if (!rest.starts_with(word)) return;
            rest.erase(0, word.size());
            cut = true;
        };
        std::for_each(std::begin(kGaps), std::end(kGaps), cut_lead);
        std::for_each(std::begin(kLeads), std::end(kLeads), cut_lead);
    }
    constexpr std::size_t kLeastQuestion = 5;
    if (!faq::asks_something(rest) || faq::characters_said(rest) < kLeastQuestion) return {};
    while (rest.ends_with(' ')) rest.pop_back();
    return rest;
}

// "没毛病 提交吧 大概啥时候能领保温杯", "确认 体检是免费的吗 在哪约" at the summary: a confirm in
// a clause of its own, and a question beside it (the summary came again, and the question went
// unanswered; join helper, session 27). The question, or "" when the message is not that:
// "这个提交了能撤回吗" asks about 提交 and confirms nothing.
// "名字是张大海 没错吧", "车牌是苏D8S231对吧": he checks a field at the summary, and submits
// nothing (the first submitted the application; benefits helper, session 29).
bool checks_a_field(std::string_view cleaned) {
    return contains_any(cleaned, {"名字", "姓名", "车牌", "手机", "电话", "身份证", "区县", "单位",
                                  "平台", "公司"}) &&
           contains_any(cleaned, {"没错吧", "对吧", "对不对", "是不是", "没错吗", "对吗", "对不",
                                  "没写错", "写对"});
}

std::string question_beside_confirm(const std::string& cleaned) {
    constexpr std::string_view kConfirms[] = {
        "确认",   "提交",   "确认提交", "没问题",           "没毛病",      "都对",
        "就确认", "确认了", "提交了",   "没问题的话就确认", "没问题就提交"};
    constexpr std::string_view kMarks[] = {" ", "，", "。", ",", "!", "！"};
    std::string rest;
    bool confirmed = false;
    for (const std::string_view said : text::clauses_between(cleaned, kMarks)) {
        std::string_view clause = said;
        for (const std::string_view tail : {"吧", "啊", "了吧"})
            if (clause.ends_with(tail) && clause.size() > tail.size())
                clause.remove_suffix(tail.size());
        if (std::find(std::begin(kConfirms), std::end(kConfirms), clause) != std::end(kConfirms))
            confirmed = true;
        else
            rest += std::string(said) + " ";
    }
    if (!confirmed) return {};
    return question_beside_value(rest, "");
}

// The name stands as a word of its own in the message ("李红兵 手机号要填吗") or right after the
// words that give it ("我叫李红兵", "名字是李红兵"), not as the start of a longer run of text.
bool name_said_as_his(std::string_view cleaned, const std::string& name) {
    for (const std::string_view cue : {"叫", "是", "姓名", "名字", "本人"})
        if (cleaned.find(std::string(cue) + name) != std::string_view::npos) return true;
    for (std::size_t at = cleaned.find(name); at != std::string_view::npos;
         at = cleaned.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        const bool starts = at == 0 || cleaned[at - 1] == ' ';
        const bool ends = end == cleaned.size() || cleaned[end] == ' ' ||
                          cleaned.substr(end).starts_with("，") || cleaned[end] == ',';
        if (starts && ends) return true;
    }
    return false;
}

// "等会啊 要过收费站了", "等下 在开车": a pause while he drives.
bool busy_driving(std::string_view cleaned) {
    return contains_any(cleaned, {"等会", "等下", "等一下", "稍等", "待会"}) &&
           contains_any(cleaned, {"收费站", "开车", "在路上", "高速上", "装货", "卸货", "过磅"}) &&
           !faq::asks_something(cleaned);
}

// "1和2都是我问的": both of the choices offered (it got an unrelated answer; legal helper,
// session 26).
std::optional<Understanding> several_choices(const std::string& cleaned,
                                             const UnderstandContext& context) {
    if (context.offered < 2) return std::nullopt;
    const std::vector<int> numbers = choice_numbers(cleaned);
    if (numbers.empty() || std::any_of(numbers.begin(), numbers.end(),
                                       [&](int number) { return number > context.offered; }))
        return std::nullopt;
    Understanding result;
    result.intent = "choice";
    result.confidence = 1;
    result.slots["number"] = std::to_string(numbers.front());
    std::string all;
    for (const int number : numbers) all += (all.empty() ? "" : ",") + std::to_string(number);
    result.slots["numbers"] = std::move(all);
    return result;
}

// "会发短信给我吗", "批了会短信通知我不": when and whether the result comes by SMS (not the
// code, not a question of law).
bool asks_about_the_result_sms(std::string_view cleaned) {
    return contains_any(cleaned, {"短信"}) &&
           contains_any(cleaned, {"会发", "发短信给我", "通知我", "短信通知", "会不会", "发不发",
                                  "有没有短信", "会有短信"}) &&
           !contains_any(cleaned, {"验证码", "码", "骗", "欠", "罚", "扣", "平台", "运费", "工资"});
}

// "我不是要入会", "不入会 我问的是…": he does not mean to join.
bool disowns_joining(std::string_view cleaned) {
    return contains_any(cleaned,
                        {"不是要入会", "不是入会", "不入会", "没要入会", "不想入会", "没说要入会",
                         "没说入会", "谁要入会", "不办入会", "不是要入工会"});
}

// "老婆得了尿毒症 … 实在撑不住了 工会能帮帮不": hardship, put to the union (it got the menu;
// benefits helper, session 25).
bool asks_for_hardship_help(std::string_view cleaned) {
    return contains_any(cleaned, {"撑不住", "过不下去", "揭不开锅", "看不起病", "治不起", "没钱治",
                                  "生活困难", "家里困难", "困难帮扶", "困难补助", "大病"}) &&
           contains_any(cleaned, {"工会", "帮", "救助", "补助", "申请"});
}

// "师傅介绍说你们这能入工会 我叫李强 身份证… 电话…": joining, with the details to fill in (it
// got choices and "不用发身份证号"; join helper, session 25).
bool joins_with_details(std::string_view cleaned, int today) {
    if (contains_any(cleaned, {"不入", "不想", "取消", "退会"})) return false;
    auto found = find_personal_data(cleaned);
    // Spoken numbers ("一五八六…") too, as the form reads them.
    found.id_card = found.id_card || extract_answer("id_card", cleaned, today).found();
    found.mobile = found.mobile || extract_answer("mobile", cleaned, today).found();
    // "…我姓钱 钱永福 电话是一五八… 身份证三二零四… 你看能办不", "算了 先入了再说 赵大海 身份证…
    // 手机…": his ID number and phone together are the form's details, named 入会 or not (a menu
    // of hotlines, and "没有正在办理的事项"; join helper, session 27).
    // A question with them ("我身份证3204… 电话139… 老板欠我工资 咋办") is a question.
    const bool names_trouble = names_a_legal_matter(cleaned) ||
                               contains_any(cleaned, {"欠", "工资", "运费", "撞", "工伤", "事故",
                                                      "咋办", "怎么办", "平台", "扣"});
    if (found.id_card && found.mobile && !names_trouble) return true;
    if (!contains_any(cleaned, {"入会", "入工会", "加入工会", "参加工会", "办会员"})) return false;
    return found.id_card || found.mobile;
}

// "我刚才那个提交了没": whether it is in, asked at the summary (it was submitted; join helper,
// session 25).
bool asks_if_submitted(std::string_view cleaned) {
    return contains_any(cleaned, {"提交了没", "提交没", "提交上没", "提交上了没", "交上了没",
                                  "交上去没", "提交了吗", "提交上了吗", "提交成功没",
                                  "提交成功了吗", "交了没", "提交了没有", "交上了吗"});
}

// "算了算了 还是用原来那个号吧": back to an earlier value, not a cancel (it deleted his form;
// join helper, session 23).
bool goes_back(std::string_view cleaned) {
    return contains_any(cleaned, {"还是用", "用原来", "原来那个", "原来的", "还是填", "还是写",
                                  "用回", "改回", "换回", "之前那个", "之前的"});
}

// "不是这个 发到13815002299" at the code step scored as a cancel (0.31) and his form was deleted
// (join helper, session 30, twice). Mid-form a cancel deletes what he filled in: it needs a word
// of cancelling in the message (the cancel intent's cues or commands).
bool says_cancel(const faq::IntentModel& model, std::string_view cleaned) {
    const faq::IntentSpec* spec = model.script().find("cancel");
    return spec == nullptr || model.mentions_any(cleaned, spec->cues) ||
           model.mentions_any(cleaned, spec->commands);
}

// "我又想办了 入会": joining after all; it was read as a cancel ("您目前没有正在办理的事项"; join
// helper, session 23).
bool joins_after_all(std::string_view cleaned) {
    return contains_any(cleaned, {"又想办", "想办了", "还是办", "要办了", "又想入", "还是入",
                                  "想入会", "要入会", "又要入"}) &&
           !contains_any(cleaned, {"不办", "不入", "不想", "取消", "算了", "不要"});
}

// "我没申请入会 我问的是告货拉拉要回500值不值": after a "not that", what he says he means. The
// join form started on the 入会 he had just denied (legal helper, session 24). The whole message
// when it corrects nothing or too little would be left.
std::string meant_instead(const std::string& cleaned) {
    constexpr std::string_view kMeans[] = {"我问的是", "我是问", "我说的是", "我的意思是", "我问"};
    if (!contains_any(cleaned, {"没", "不是", "不"})) return cleaned;
    for (const std::string_view marker : kMeans)
        if (const auto at = cleaned.rfind(marker); at != std::string::npos && at > 0) {
            std::string rest = cleaned.substr(at + marker.size());
            if (text::code_point_count(rest) >= 4) return rest;
        }
    return cleaned;
}

// "住了一礼拜院 现在入会能报不", "今年再住院还能报不": whether something is paid for. Joining
// asked that way is a question for the answers (the mutual aid covers what happens after
// joining), not the form; and a claim is no case for the lawyers (both got those; benefits
// helper, session 24).
bool asks_about_a_claim(std::string_view cleaned) {
    return contains_any(
        cleaned, {"能报", "报销", "能赔", "能补助", "能补", "报不", "赔不", "能领钱", "能理赔"});
}

// Words of an application: a longer message without them that asks "多久能有结果" asks about his
// case ("就500块 为这个去法院告货拉拉值不值 多久能有结果" got the application lookup; legal
// helper, session 24).
bool names_an_application(std::string_view cleaned) {
    if (contains_any(cleaned,
                     {"入会", "会员", "短信", "工会", "进度", "办好", "办下来", "RH", "rh"}))
        return true;
    // Someone else's review: "平台把我余额冻结了不让提现 说在审核 一个月了" got "您还没有入会申请"
    // (blind set BS, session 32).
    if (contains_any(cleaned, {"平台", "提现", "余额", "冻结", "理赔", "保险", "仲裁", "法律援助",
                               "法援", "工伤", "鉴定", "退款", "押金", "保证金"}))
        return false;
    return contains_any(cleaned, {"申请", "审核", "批"});
}

bool asks_if_code_is_safe(std::string_view cleaned) {
    return contains_any(cleaned, {"验证码", "码"}) &&
           contains_any(cleaned, {"安全", "骗", "告诉他人", "泄露", "不能告诉", "请勿"});
}

bool corrects_a_name(std::string_view cleaned) {
    if (!contains_any(cleaned, {"不是", "写错", "错了", "打错", "弄错"})) return false;
    // "区也填错了 是天宁 车牌也错了 苏D11111" corrects other fields; "车牌也错" became the name.
    if (const std::string named = field_named(cleaned); !named.empty() && named != "name")
        return false;
    const std::string value = value_put(cleaned);
    return !value.empty() && looks_like_name(value);
}

bool is_number_alone(std::string_view cleaned) {
    const std::u32string points = text::decode_utf8(text::fold_width(cleaned));
    return !points.empty() && std::all_of(points.begin(), points.end(), [](char32_t cp) {
        return (cp >= U'0' && cp <= U'9') || cp == U' ' || cp == U'-';
    });
}

// Mid-form words that are the form's own commands, whatever the classifier made of them: where
// he is, a cancel he takes back, a new phone at the code step. True when `result` is one.
bool form_command(std::string_view cleaned, const UnderstandContext& context,
                  Understanding& result) {
    // "确认" or "提交" before the summary got "不客气！": he could think it was sent (join helper,
    // session 30). What is filled, and the step that is still to fill.
    if (!context.step.empty() && context.step != "confirm" &&
        (cleaned == "确认" || cleaned == "提交" || cleaned == "确认提交" || cleaned == "确定")) {
        result.intent = "where";
        result.command = true;
        return true;
    }
    // "我刚才填到哪了", "还是弄吧 刚才弄到哪了" mid-form: what is filled, then the step (they got
    // "手机号只能是数字" and the plate's error); "不取消", "别取消啊" too (they cancelled and
    // deleted the form; join helper, session 30).
    if (!context.step.empty() &&
        contains_any(cleaned, {"填到哪", "弄到哪", "到哪了", "到哪一步", "第几步", "填了哪些",
                               "填了啥", "填到第几", "不取消", "别取消", "不要取消", "没说取消",
                               "不是取消", "不用取消", "撤销取消", "没让你取消", "没说要取消",
                               "不是要取消", "没要取消"})) {
        result.intent = "where";
        result.command = true;
        return true;
    }
    // "第二个" at a step that offered no list picks nothing: it got an answer on double wages at
    // the name step (二倍; join helper, session 31). What is filled, and the step again.
    const bool steps_without_a_list = context.step == "name" || context.step == "id_card" ||
                                      context.step == "mobile" || context.step == "sms_code" ||
                                      context.step == "plate";
    if (steps_without_a_list && context.offered == 0 && choice_number(cleaned) != 0 &&
        !is_number_alone(cleaned)) {
        result.intent = "where";
        result.command = true;
        return true;
    }
    // "名字写小名行不 大家都叫我孙三", "用我老婆的名字行不": a question about the name to
    // give, answered (union_join_own_name); "孙三" was stored as his name (join helper,
    // session 31).
    if (context.step == "name" &&
        contains_any(cleaned, {"小名", "外号", "别名", "绰号", "老婆的名字", "媳妇的名字",
                               "别人的名字", "她的名字", "他的名字", "用我老婆", "用我媳妇",
                               "写我老婆", "写我媳妇", "家里人的名字", "平时用的名字"}) &&
        contains_any(cleaned, {"行不", "行吗", "可以", "能不能", "能写", "能用", "吗", "不"})) {
        result.intent = "question";
        result.command = false;
        return true;
    }
    // A phone number at the code step is the phone changed: "换个号 用我老婆的 138…" got a legal
    // answer on 债权人撤销权, "不是这个 换个号 135…" the menu, "135…" alone "请回复6位数字"
    // (join helper, session 30).
    if (const auto found = find_personal_data(cleaned);
        context.step == "sms_code" && found.mobile && !found.id_card) {
        result.intent = "edit";
        result.command = true;
        result.slots["field"] = "mobile";
        return true;
    }
    return false;
}

}  // namespace

// "@卡友小助手 金坛有司机之家吗 要能停半挂的", "金坛晚上哪能停车": where a station is in a place he
// names, which the station finder answers; the FAQ's general parking answer (or "没看懂") came
// instead (join helper, session 23). "司机之家能干啥" names no place and stays a question.
std::optional<std::string> Understander::station_place_asked(const Understanding& result,
                                                             std::string_view cleaned) const {
    if (result.command || !districts_) return std::nullopt;
    if (result.intent != "question" && result.intent != "out_of_scope") return std::nullopt;
    const bool station = contains_any(cleaned, {"司机之家", "驿站"});
    const bool parking = contains_any(cleaned, {"停车", "停半挂", "停大车", "过夜"}) &&
                         !names_a_legal_matter(cleaned);
    const bool where = contains_any(
        cleaned, {"有没有", "有吗", "在哪", "哪有", "哪里", "哪儿", "哪能", "附近", "有司机之家"});
    if (!(station || parking) || !where) return std::nullopt;
    const auto match = districts_->match(cleaned);
    if (match.kind != members::DistrictCatalog::Match::Kind::unique) return std::nullopt;
    return match.candidates.front()->name;
}

// A cancel the classifier found, not the command word itself: what else the words say it is.
void Understander::weigh_a_cancel(Understanding& result, const UnderstandContext& context,
                                  std::string_view cleaned) const {
    // "算了 先不弄了 下回再说": a pause keeps what he filled in (drafts are kept for days); a
    // cancel would delete it. Only the command word itself ("取消", "不办了") cancels at once.
    if (result.intent == "cancel" && puts_off(cleaned)) result.intent = "wait";
    if (result.intent == "cancel" && joins_after_all(cleaned)) result.intent = "join";
    if (result.intent == "cancel" && goes_back(cleaned)) {
        std::string field = field_named(cleaned);
        if (field.empty() && cleaned.find("号") != std::string::npos) field = "mobile";
        result.intent = field.empty() ? "wait" : "edit";
        if (!field.empty()) result.slots["field"] = std::move(field);
    }
    // Without a word of cancelling: a number he gives instead ("不是这个 发到138…") is the
    // phone changed; anything else is his answer to the step, which the step judges.
    if (!context.step.empty() && result.intent == "cancel" && !says_cancel(model(), cleaned)) {
        const bool names_a_phone = find_personal_data(cleaned).mobile;
        result.intent = names_a_phone ? "edit" : "answer";
        if (names_a_phone)
            result.slots["field"] = "mobile";
        else
            result.slots["raw"] = cleaned;  // the flow says what is wrong with it
    }
}

Understanding Understander::understand(std::string_view text, const UnderstandContext& context,
                                       const faq::Index* legal) const {
    const std::string cleaned = JoinEngine::clean_input(strip_mentions(text));
    Understanding result = understand_cleaned(meant_instead(cleaned), context, legal);
    // "我不是要入会 我问工亡认定去哪里办" at the form's first step: he never meant to join (a
    // question had started the form; legal helper, session 25). Nothing is filled yet: the form
    // goes; later on, it waits.
    if (!context.step.empty() && disowns_joining(cleaned)) {
        result.intent = context.step == "name" ? "cancel" : "wait";
        result.command = false;
        return result;
    }
    if (form_command(cleaned, context, result)) return result;
    // "算了不改了 就这样吧" mid-form: the value stays (join helper, session 27); "算了" is no
    // cancel.
    constexpr std::size_t kLongestKeep = 12;
    if (!context.step.empty() && text::code_point_count(cleaned) <= kLongestKeep &&
        contains_any(cleaned, {"不改了", "不用改", "别改了", "就这样吧", "不改"}) &&
        !contains_any(cleaned, {"取消", "不办", "不入"})) {
        result.intent = "keep";
        result.command = true;
        return result;
    }
    // "算了王德福没错" after "修改姓名": the name was right after all, and the whole application
    // was cancelled and deleted (join helper, session 28). Said with 算了, "it's right" keeps.
    if (!context.step.empty() && result.intent == "cancel" &&
        contains_any(cleaned, {"没错", "是对的", "没问题", "对着呢"}) &&
        !contains_any(cleaned, {"取消", "不办", "不入", "不要了"})) {
        result.intent = "keep";
        result.command = true;
        return result;
    }
    if (result.intent == "cancel" && !result.command) weigh_a_cancel(result, context, cleaned);
    // "新北区 你这咋又从头问" complains of a restart; read as one, it deleted name, ID, phone,
    // plate and district (join helper, session 31). The step judges it as its answer.
    if (!context.step.empty() && result.intent == "restart" && !result.command &&
        contains_any(cleaned, {"又", "咋", "怎么", "为啥", "干啥", "你这", "还要"})) {
        result.intent = "answer";
        result.slots["raw"] = cleaned;
    }
    if (result.intent == "question" && context.step.empty() && decides_to_join(cleaned))
        result.intent = "join";
    if (context.step.empty() && result.intent != "join" &&
        joins_with_details(cleaned, context.today))
        result.intent = "join";
    // Only when nothing else understood it: the FAQ answers "家里困难 工会能给点助学金不" better.
    if (context.step.empty() && (result.intent == "help" || result.intent == "out_of_scope") &&
        asks_for_hardship_help(cleaned)) {
        result.intent = "benefits";
        result.slots["benefit"] = "hardship_aid";
        if (districts_)
            if (const auto place = districts_->match(cleaned);
                place.kind == members::DistrictCatalog::Match::Kind::unique)
                result.slots["district"] = place.candidates.front()->name;
    }
    if (context.step == "confirm" && !holds_back(cleaned))
        if (std::string beside = question_beside_confirm(cleaned); !beside.empty()) {
            result.intent = "confirm";
            result.command = true;
            result.slots["beside"] = std::move(beside);
            return result;
        }
    if (result.intent == "confirm" && context.step == "confirm" && holds_back(cleaned))
        result.intent = "wait";
    // "这个提交了能撤回吗": 提交 inside a question submits nothing (it submitted; join helper,
    // session 25). Whether it is in is a progress question: at the summary, not until 确认.
    if (result.intent == "confirm" && !result.command && context.step == "confirm") {
        if (asks_if_submitted(cleaned))
            result.intent = "progress";
        else if (checks_a_field(cleaned))
            result.intent = "answer";  // the form shows the summary again; nothing is submitted
        else if (faq::asks_something(cleaned))
            result.intent = "question";
    }
    if (result.intent == "benefits" && !result.command && complains_about_a_seller(cleaned))
        result.intent = "question";
    // Not a station, though it got the station finder: "我在溧阳 人社局在哪个位置" asks for a
    // public office (legal helper, round 3), "平台一直获取我的位置…停车休息了也在追踪 这合法吗"
    // whether something is lawful (legal helper, session 33).
    if (result.intent == "stations" && !result.command &&
        contains_any(cleaned, {"人社局", "劳动局", "法院", "仲裁", "司法局", "法援", "法律援助",
                               "交警队", "车管所", "派出所", "税务局", "社保局", "医保局", "合法",
                               "违法", "犯法", "侵权"}))
        result.intent = "question";
    // "太长了", "说简单点", "后面呢 咋没说完" ask about the answer just sent (the first got
    // "不客气！"; legal helper, session 26).
    if ((result.intent == "thanks" || result.intent == "out_of_scope" || result.intent == "help") &&
        !result.command && (faq::asks_for_brevity(cleaned) || faq::asks_for_the_rest(cleaned)))
        result.intent = "question";
    // "等会啊 要过收费站了" mid-form: he is driving, not asking about tolls (benefits helper,
    // session 26: the toll answers and the step again).
    if (!context.step.empty() && !result.command && result.intent != "answer" &&
        busy_driving(cleaned))
        result.intent = "wait";
    // "会发短信给我吗 啥时候" after submitting asks when the result comes (it got the benefits
    // list; benefits helper, session 26): his application's progress says both.
    if (context.step.empty() && !result.command &&
        (result.intent == "benefits" || result.intent == "question" ||
         result.intent == "out_of_scope") &&
        asks_about_the_result_sms(cleaned))
        result.intent = "progress";
    // A member asking ("入会才半个月 住院能报吗"), and "武进工会在哪" (进工会 is a join cue), are
    // questions, not requests to join (both started the form; benefits helper, session 26).
    if (result.intent == "join" && !result.command && context.step.empty() &&
        (says_he_is_a_member(cleaned) || asks_for_union_office(cleaned)))
        result.intent = "question";
    if (context.step.empty())
        if (auto district = station_place_asked(result, cleaned)) {
            result.intent = "stations";
            result.slots["district"] = std::move(*district);
        }
    // "现在他人都找不着了 电话换了 俺就知道他叫张老三 车牌号记得" got "不客气！" (legal helper,
    // session 22): a longer message is thanks only when it says so; otherwise it is his case.
    if (result.intent == "thanks" && !result.command && !says_thanks(cleaned))
        result.intent = "question";
    // "不对 俺刚才说错了 他不是回家路上 是收车以后跟工友去吃饭…这样还算不" corrects his story: it
    // got "这个我帮不上忙😄" and the menu (wages helper, session 31).
    constexpr std::size_t kShortestCorrectedStory = 10;
    if (result.intent == "out_of_scope" && !result.command && context.step.empty() &&
        text::code_point_count(cleaned) > kShortestCorrectedStory &&
        contains_any(cleaned.substr(0, std::min<std::size_t>(cleaned.size(), 24)),
                     {"不对", "说错", "搞错了", "不是不是"}))
        result.intent = "question";
    result.text = cleaned;
    return result;
}

// The field a message at the summary changes, "" when none.
std::string Understander::field_edited_at_summary(const std::string& cleaned,
                                                  const UnderstandContext& context) const {
    if (context.step != "confirm") return {};
    // "单位填货拉拉和满帮" changes that field (at its own step it is the answer); "不对不对
    // 我住溧阳 但主要在武进跑 填武进吧" names no field, but what it puts is a district (it got
    // "我还答不好"; benefits helper, session 26).
    std::string field = put_field(cleaned);
    if (field.empty() && districts_)
        if (const std::string put = value_put(cleaned);
            !put.empty() &&
            districts_->match(put).kind == members::DistrictCatalog::Match::Kind::unique)
            field = "district";
    // A new phone, plate, ID or district in his own words with no field named
    // ("号码还是用我自己的吧 15251887766 老婆那个不方便", "区搞错了 我其实平时在新北那边跑
    // 挂新北吧"): that field (benefits helper, session 26: a text about filling in for someone
    // else, and 答不好).
    if (field.empty() && !model_->is_question(cleaned)) {
        const auto values = other_values(cleaned, "", context.today, districts_);
        if (values.size() == 1 && values.begin()->first != "name" &&
            values.begin()->first != "employer")
            field = values.begin()->first;
    }
    return field;
}

Understanding Understander::understand_cleaned(const std::string& cleaned,
                                               const UnderstandContext& context,
                                               const faq::Index* legal) const {
    Understanding result;
    if (cleaned.empty()) {
        result.intent = "out_of_scope";
        return result;
    }
    const auto& model = *model_;
    if (const std::string_view danger = model.danger(cleaned); !danger.empty())
        return understand_danger(cleaned, danger, legal);
    if (auto several = several_choices(cleaned, context)) return std::move(*several);
    if (context.offered > 0 || context.step == "district") {
        if (const int number = choice_number(model.strip_fillers(cleaned)); number > 0) {
            result.intent = "choice";
            result.confidence = 1;
            result.slots["number"] = std::to_string(number);
            return result;
        }
    }
    // "1" with no list on the screen picks from a menu he remembers: it got "不客气！" (join
    // helper, session 22). A choice with nothing offered shows the menu (dialogs::route).
    if (context.step.empty() && is_number_alone(cleaned)) {
        if (const int number = choice_number(cleaned); number > 0) {
            result.intent = "choice";
            result.confidence = 1;
            result.slots["number"] = std::to_string(number);
            return result;
        }
    }
    // "申请编号RH20261205000002 批了没": his application, by the number the page or an SMS gave.
    if (std::string number = application_number_in(cleaned); !number.empty()) {
        result.intent = "progress";
        result.confidence = 0.9;
        result.slots["application_number"] = std::move(number);
        return result;
    }
    // "短信上写着验证码请勿告诉他人 那我发给你安全不": a question about the code, answered (the
    // FAQ's union_code_safety), not a resend (join helper, session 24).
    if (context.step == "sms_code" && asks_if_code_is_safe(cleaned)) {
        result.intent = "question";
        result.confidence = 0.9;
        return result;
    }
    if (context.step == "sms_code" && code_not_come(cleaned)) {
        result.intent = "resend";
        result.confidence = 0.9;
        return result;
    }
    if (auto command = model.command(cleaned)) {
        const std::string& intent = *command;
        // Context-bound commands: "好的/对" confirms only at the confirm step (elsewhere it is
        // thanks), opt-out words count only on SMS, "重发" only while a code is awaited.
        bool applies = true;
        if (intent == "confirm" && context.step != "confirm") applies = false;
        if (intent == "opt_out" && context.channel != "sms") applies = false;
        if (applies) {
            result.intent = intent;
            result.confidence = 1;
            result.command = true;
            if (intent == "out_of_scope") result.slots["chit_chat"] = "1";
            fill_slots(result, cleaned);
            return result;
        }
        if (intent == "confirm") {
            result.intent = "thanks";
            result.confidence = 0.8;
            return result;
        }
    }
    // At the summary, "不是陈大为 是陈大伟", "陈大为写错了 应该是陈大伟": the name, corrected
    // without the word 名字 (both got "请回复确认"; join helper, session 24).
    if (context.step == "confirm" && corrects_a_name(cleaned)) {
        result.intent = "edit";
        result.confidence = 0.9;
        result.slots["field"] = "name";
        return result;
    }
    if (const std::string field = field_edited_at_summary(cleaned, context); !field.empty()) {
        result.intent = "edit";
        result.confidence = 0.9;
        result.slots["field"] = field;
        return result;
    }
    // Outside a form, a long story that says "说错了" and names 公司 is his case told again, not
    // a field to change (it got the menu; legal helper, session 24).
    const bool may_edit = !context.step.empty() || text::code_point_count(cleaned) <= kLongestEdit;
    if (const std::string field = edit_field(cleaned);
        !field.empty() && may_edit && !model.is_question(cleaned)) {
        result.intent = "edit";
        result.confidence = 0.9;
        result.slots["field"] = field;
        return result;
    }
    if (!context.step.empty() && context.step != "confirm")
        if (auto at_step = understand_at_step(cleaned, context, legal)) return std::move(*at_step);
    // A bare number with no choices offered: a menu pick to the router (never a legal question:
    // "2" would match "二倍工资").
    if (const int number = choice_number(model.strip_fillers(cleaned)); number > 0) {
        result.intent = "choice";
        result.confidence = 0.8;
        result.slots["number"] = std::to_string(number);
        return result;
    }
    // "0", "11", "12" alone outside the form: a menu number mistyped, not a question ("11" got
    // the double wage's 11 months, "0" the points' reset; session 28's group helper). Longer
    // numbers (12348, 12351) are the hotlines the FAQ explains.
    if (constexpr std::size_t kLongestMenuNumber = 2;
        context.step.empty() && is_number_alone(cleaned) && cleaned.size() <= kLongestMenuNumber) {
        result.intent = "choice";
        result.confidence = 0.8;
        result.slots["number"] = std::to_string(text::to_int64(cleaned));
        return result;
    }
    return classify(cleaned, context, legal);
}

std::optional<Understanding> Understander::understand_at_step(const std::string& cleaned,
                                                              const UnderstandContext& context,
                                                              const faq::Index* legal) const {
    const auto& model = *model_;
    Understanding result;
    const auto extraction =
        extract_answer(context.step, without_reminder(cleaned), context.today, districts_);
    // "身份证3204…" at the name step: a later step's value, which the form keeps for its step
    // while it asks this one again. Only a message of values and field words: a question that
    // names a plate ("苏D12345的车主欠我工资 咋办") is a question, and the plate nobody's answer.
    if (!extraction.found() && context.step != "sms_code" && holds_only_values(cleaned) &&
        !other_values(cleaned, context.step, context.today).empty()) {
        result.intent = "answer";
        result.confidence = 0.9;
        result.slots["raw"] = cleaned;
        return result;
    }
    // A wrong value in an open field ("不弄" at the name step) gives way to a clear intent;
    // a number alone never does ("12345" at the code step is a mistyped code, not a
    // question about the 12345 hotline).
    if (extraction.kind == Extraction::Kind::malformed && !is_number_alone(cleaned)) {
        auto other = classify(cleaned, context, legal);
        if (other.confidence >= kClearIntent && other.intent != "out_of_scope" &&
            other.intent != "answer")
            return other;
    }
    if (extraction.kind != Extraction::Kind::absent) {
        // A value inside a question ("武进区有什么福利" at the district step, "挂靠公司要交
        // 钱吗" at the employer step) is the question when the question is clear.
        const bool open_field =
            context.step == "district" || context.step == "employer" || context.step == "name";
        // "王建国 手机号是不是也要填啊？要身份证号吗": the name on its own first, then a question
        // about the form; the name was lost and asked again (join helper, session 27).
        const bool name_given = context.step == "name" && extraction.found() &&
                                name_said_as_his(cleaned, extraction.value);
        // "车贷逾期了 银行说要拖车 能拖吗" gave the name "车贷逾期" (车 is a surname; join helper,
        // session 27): a name inside a question is his only as a word of its own or after 叫/是.
        if (context.step == "name" && extraction.found() && faq::asks_something(cleaned) &&
            !name_given) {
            auto other = classify(cleaned, context, legal);
            if (other.intent != "answer") return other;
        }
        if (open_field && model.is_question(cleaned) && !name_given) {
            auto other = classify(cleaned, context, legal);
            if (other.confidence >= kConfidentIntent && other.intent != "out_of_scope")
                return other;
        }
        // "挂靠公司的话 这个会员算公司的还是算我自己的" was stored as the employer and left
        // unanswered (benefits helper, session 26): a longer question is no company's name.
        constexpr std::size_t kLongestEmployerAnswer = 12;
        if (context.step == "employer" &&
            (faq::asks_something(cleaned) || contains_any(cleaned, {"还是算", "算谁", "算公司"})) &&
            text::code_point_count(cleaned) > kLongestEmployerAnswer) {
            result.intent = "question";
            result.confidence = kClearIntent;
            return result;
        }
        result.intent = "answer";
        result.confidence = extraction.found() ? 1.0 : 0.6;
        if (extraction.found())
            result.slots["value"] = extraction.value;
        else
            result.slots["raw"] = cleaned;  // the flow says what is wrong with it
        if (extraction.found())
            if (std::string beside = question_beside_value(cleaned, extraction.value);
                !beside.empty())
                result.slots["beside"] = std::move(beside);
        // What the sentence held is wrong, though the whole might pass the step's check
        // ("叫我小李就行" is six characters of a name): this says what to fix.
        // So is an ID number inside a sentence ("身份证 3204…2538"): its own fault (a check digit)
        // is said, not "只能是数字" about the words around it (join helper, session 28).
        if (extraction.kind == Extraction::Kind::malformed &&
            (extraction.code == "name.nickname" || extraction.code.starts_with("id_card.")))
            result.slots["error"] = extraction.error;
        return result;
    }
    // Asked for his district, a driver who names no district of ours ("常州", "全国到处跑
    // 家在常州") is still answering, not asking: the flow lists the districts. Only a clear
    // other intent or a question leaves the step.
    if (context.step == "district" && !model.is_question(cleaned)) {
        auto other = classify(cleaned, context, legal);
        if (other.confidence >= kClearIntent && other.intent != "out_of_scope" &&
            other.intent != "question")
            return other;
        result.intent = "answer";
        result.confidence = 0.6;
        result.slots["raw"] = cleaned;
        return result;
    }
    return std::nullopt;
}

Understanding Understander::understand_danger(const std::string& cleaned, std::string_view danger,
                                              const faq::Index* legal) const {
    const auto& model = *model_;
    Understanding result;
    // A clear legal question that names a danger word ("司机被打了 算工伤吗", "老板不让我走
    // 非要我干满一年 合法吗") is also answered: the emergency numbers come first either way
    // (slot "emergency", see RouterDialog), but the driver is not left with them alone. Words
    // of despair or of revenge ("老板欠钱不给 我真不想活了") usually come with the trouble
    // behind them and no question word: that trouble is answered too when the FAQ is sure.
    result.slots["danger"] = std::string(danger);
    const bool says_why = danger != "emergency" || model.is_question(cleaned);
    if (legal != nullptr && says_why) {
        // Only a clear legal question: "司机流了好多血 咋办啊" matches no entry well and is
        // the emergency alone.
        auto hits = legal->search(cleaned, {}, faq::PriorSearch::kPriorSearchTopK);
        if (!hits.empty() && hits.front().score >= faq::Thresholds{}.answer) {
            result.intent = "question";
            result.confidence = hits.front().score;
            result.legal_search.text = cleaned;
            result.legal_search.hits = std::move(hits);
            result.slots["emergency"] = "1";
            fill_slots(result, cleaned);
            return result;
        }
    }
    result.intent = "emergency";
    result.confidence = 1;
    return result;
}

Understanding Understander::classify(const std::string& cleaned, const UnderstandContext& context,
                                     const faq::Index* legal) const {
    const auto& model = *model_;
    Understanding result;
    // "小助手 我也要入会": the bot's name addresses it; the rest is what is meant.
    std::string_view meant = cleaned;
    for (std::string_view name : {"卡友小助手", "小助手"}) {
        if (meant.substr(0, name.size()) == name && meant.size() > name.size() + 3) {
            meant.remove_prefix(name.size());
            break;
        }
    }
    // A long story is classified on its opening and its end, where drivers put the question:
    // the cost of scoring grows with the length, the meaning hardly does.
    const std::string excerpt = long_text_excerpt(meant);
    meant = excerpt;
    auto scores = model.classify(meant, 6);
    // "你好 我想入个会 我叫张伟 身份证号… 电话… 车牌…" scored as a greeting: the numbers say
    // nothing of what he wants. Outside the form (at a step they are the answer being judged),
    // a greeting or thanks that carries them is scored again without them.
    const bool small_words_won = !scores.empty() && (scores.front().intent == "greeting" ||
                                                     scores.front().intent == "thanks");
    std::string plain;
    if (context.step.empty() && small_words_won) plain = without_personal_data(excerpt);
    if (!plain.empty() && plain != excerpt) {
        meant = plain;
        scores = model.classify(meant, 6);
    }
    const bool question_shaped = model.is_question(cleaned);
    const bool long_question = question_shaped && text::code_point_count(cleaned) >= kLongQuestion;
    if (long_question)
        std::erase_if(scores, [&](const faq::IntentScore& score) {
            if (score.intent == "greeting" || score.intent == "thanks" ||
                score.intent == "cancel" || score.intent == "restart" || score.intent == "confirm")
                return true;
            // Joining, the application's progress, a person or the menu are asked for by name
            // ("入会", "进度", "人工"); a story that only resembles an example is a question.
            const bool needs_cue = score.intent == "join" || score.intent == "progress" ||
                                   score.intent == "person" || score.intent == "help";
            const faq::IntentSpec* spec = model.script().find(score.intent);
            return needs_cue && spec != nullptr && !model.mentions_any(cleaned, spec->cues);
        });
    // The FAQ's own best match speaks for "question": a legal question far from every intent
    // example is still close to its entry. An intent already scored kSettledIntent or more keeps
    // its place without the search, unless the message is a long question.
    const bool settled =
        !long_question && !scores.empty() && scores.front().score >= kSettledIntent;
    if (legal && !settled) {
        auto legal_hits = legal->search(meant, {}, faq::PriorSearch::kPriorSearchTopK);
        result.legal_search.text = std::string(meant);
        result.legal_search.hits = legal_hits;
        if (!legal_hits.empty()) {
            const double legal_score =
                legal_hits.front().score * (long_question ? 1.0 : kLegalWeight);
            auto question = std::find_if(scores.begin(), scores.end(),
                                         [](const auto& s) { return s.intent == "question"; });
            if (question == scores.end()) {
                scores.push_back({"question", legal_score});
            } else if (legal_score > question->score) {
                question->score = legal_score;
            }
            std::stable_sort(scores.begin(), scores.end(),
                             [](const auto& a, const auto& b) { return a.score > b.score; });
        }
    }
    // Intents that mean nothing here give way to the next best: opt-out outside SMS, confirm
    // outside the confirm step, an edit that names no field, joining for a member ("我去年就入会了
    // 会员卡丢了咋办" started a new application).
    const bool names_a_field = !edit_field(cleaned).empty();
    const bool member_already = says_already_member(cleaned);
    const bool asks_what_it_pays = asks_about_a_claim(cleaned);
    const bool names_no_application =
        text::code_point_count(cleaned) >= kLongestProgress && !names_an_application(cleaned);
    // Joining is asked for by name in short messages too: "找谁办 在哪里办" after a death-benefit
    // answer and "工会在哪里啊" started the form (legal helper, session 25).
    const faq::IntentSpec* join_spec = model.script().find("join");
    const bool names_joining = join_spec == nullptr || model.mentions_any(cleaned, join_spec->cues);
    // A person is asked for by name too: "刚才那个电话多少来着" opened a staff ticket (group
    // helper, session 27).
    const faq::IntentSpec* person_spec = model.script().find("person");
    const bool names_a_person = person_spec == nullptr ||
                                model.mentions_any(cleaned, person_spec->cues) ||
                                faq::asks_for_person(cleaned) || asks_for_a_call(cleaned);
    // "修车报价1万2 停了5天 一天跑一趟净挣800 那我总共能要多少" got the benefits list (legal
    // helper, session 27): a sum of his case asked without a benefit's word is no benefit.
    const faq::IntentSpec* benefits_spec = model.script().find("benefits");
    const bool sum_not_benefit = faq::asks_for_a_sum(cleaned) && benefits_spec != nullptr &&
                                 !model.mentions_any(cleaned, benefits_spec->cues);
    // "有啥福利没 俺是卡友 还没入会" asks what members get, before deciding (it started the form,
    // and "第二个" at its name step got an answer on double wages; join helper, session 31).
    const bool benefits_before_joining =
        contains_any(cleaned, {"还没入会", "没入会", "没入工会", "还不是会员", "不是会员",
                               "没加入工会", "还没加入"}) &&
        contains_any(cleaned, {"福利", "好处", "优惠", "待遇"}) && benefits_spec != nullptr &&
        model.mentions_any(cleaned, benefits_spec->cues);
    std::erase_if(scores, [&](const faq::IntentScore& score) {
        return (score.intent == "join" && !names_joining) ||
               (score.intent == "join" && benefits_before_joining) ||
               (score.intent == "opt_out" && context.channel != "sms") ||
               (score.intent == "confirm" && context.step != "confirm") ||
               (score.intent == "edit" && !names_a_field) ||
               (score.intent == "join" && (member_already || asks_what_it_pays)) ||
               (score.intent == "progress" && names_no_application) ||
               (score.intent == "benefits" && sum_not_benefit) ||
               (score.intent == "person" && !names_a_person) ||
               (score.intent == "person" && declines_a_person(cleaned));
    });
    if ((scores.empty() || scores.front().score < kWeakestIntent) && question_shaped && legal) {
        // Asked like a question but close to nothing: a legal question kayou cannot answer yet
        // (the FAQ offers the desk), not chit-chat.
        result.intent = "question";
        result.confidence = scores.empty() ? 0.0 : scores.front().score;
    } else if (scores.empty() || scores.front().score < kWeakestIntent) {
        result.intent = "out_of_scope";
        result.confidence = scores.empty() ? 1.0 : 1.0 - scores.front().score;
    } else {
        result.intent = scores.front().intent;
        result.confidence = std::min(1.0, scores.front().score);
        if (benefits_before_joining && result.intent == "question") result.intent = "benefits";
        // Recognised as small talk ("哈哈哈", "明天下雨不"), not merely unknown.
        if (result.intent == "out_of_scope") result.slots["chit_chat"] = "1";
    }
    fill_slots(result, cleaned);
    return result;
}

void Understander::fill_slots(Understanding& result, const std::string& cleaned) const {
    const auto& model = *model_;
    if (result.intent == "benefits") {
        // The benefits named are the ones asked about, each answered ("加油卡咋办 入会礼包有啥":
        // kinds joined by ","; the whole list answered neither); "有什么好处" asks for the list.
        const auto kinds = model.benefit_kinds(cleaned);
        const bool asks_for_all =
            contains_any(cleaned, {"好处", "什么福利", "啥福利", "福利有哪些"});
        std::string named;
        for (const auto& kind : kinds) named += (named.empty() ? "" : ",") + kind;
        if (!named.empty() && !asks_for_all) result.slots["benefit"] = named;
    }
    if ((result.intent == "benefits" || result.intent == "stations") && districts_) {
        const auto match = districts_->match(cleaned);
        if (match.kind == members::DistrictCatalog::Match::Kind::unique)
            result.slots["district"] = match.candidates.front()->name;
    }
    // "互助保险 住院了咋报" is a benefit claim, not a case for the lawyers (benefits helper,
    // session 21: 住院 brought the desk's offer and 12348).
    if (result.intent == "question" && model.is_serious(cleaned) &&
        model.benefit_kinds(cleaned).empty() && !asks_about_a_claim(cleaned))
        result.slots["serious"] = "1";
    if (result.intent == "edit") {
        const std::string field = edit_field(cleaned);
        if (!field.empty()) result.slots["field"] = field;
    }
}

}  // namespace kayou::dialogs
