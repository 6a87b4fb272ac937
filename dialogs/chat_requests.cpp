#include "dialogs/chat_requests.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "dialogs/privacy.hpp"
#include "dialogs/validators.hpp"
#include "faq/follow_up.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::dialogs {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

using text::contains;
using text::contains_any;

// Spaces and sentence punctuation around and inside a short reply ("第 2 个。").
std::string squeeze(std::string_view text) {
    std::string out;
    for (char32_t c : text::decode_utf8(text::fold_width(text))) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.' || c == ',' || c == '!' ||
            c == '?' || c == 0x3002 /* 。 */ || c == 0xFF0C /* ， */ || c == 0x3001 /* 、 */ ||
            c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */ || c == '~')
            continue;
        out += text::encode_utf8(std::u32string(1, c));
    }
    return out;
}

// "1".."9" or 一..九 at the start of text: the value and its byte length; {0, 0} otherwise.
std::pair<int, std::size_t> leading_digit(std::string_view text) {
    if (!text.empty() && text[0] >= '1' && text[0] <= '9') return {text[0] - '0', 1};
    static constexpr std::array<std::string_view, 9> kNumerals = {"一", "二", "三", "四", "五",
                                                                  "六", "七", "八", "九"};
    for (std::size_t i = 0; i < kNumerals.size(); ++i)
        if (starts_with(text, kNumerals[i])) return {static_cast<int>(i) + 1, kNumerals[i].size()};
    return {0, 0};
}

// `text` without any of `words` at its start, however many and in any order.
template <std::size_t N>
std::string_view without_leading(std::string_view text, const std::string_view (&words)[N]) {
    for (bool again = true; again;) {
        again = false;
        for (const auto word : words)
            if (text.starts_with(word)) {
                text.remove_prefix(word.size());
                again = true;
            }
    }
    return text;
}

}  // namespace

int choice_number(std::string_view raw) {
    std::string text = squeeze(raw);
    std::string_view rest = text;
    for (std::string_view prefix : {"我选", "选择", "选"})
        if (starts_with(rest, prefix)) {
            rest.remove_prefix(prefix.size());
            break;
        }
    const bool ordinal = starts_with(rest, "第");
    if (ordinal) rest.remove_prefix(std::string_view("第").size());
    const auto [number, length] = leading_digit(rest);
    if (number == 0) return 0;
    rest.remove_prefix(length);
    if (rest.empty()) return number;
    for (std::string_view suffix : {"个", "条", "项", "种", "号", "个吧", "吧"})
        if (rest == suffix) return number;
    // "第三个是啥" after numbered choices: that choice (it matched 第三人, a work-injury answer;
    // benefits helper, session 29).
    if (ordinal)
        for (std::string_view counter : {"个", "条", "项", "种"})
            if (starts_with(rest, counter))
                for (std::string_view asked : {"是啥", "是什么", "呢", "啥意思", "什么意思",
                                               "是什么意思", "是啥意思", "说的啥", "说的是啥"})
                    if (rest.substr(counter.size()) == asked) return number;
    return 0;
}

namespace {

// `text` without the marks and spaces that may end a message ("1和2。").
std::string_view trim_end_punctuation(std::string_view text) {
    for (bool again = true; again && !text.empty();) {
        again = false;
        for (const std::string_view mark : {" ", "。", "！", "？", "!", "?", ".", "~"})
            if (text.ends_with(mark)) {
                text.remove_suffix(mark.size());
                again = true;
            }
    }
    return text;
}

}  // namespace

std::vector<int> choice_numbers(std::string_view raw) {
    // Separators kept: "1、3" is two choices, "13" thirteen.
    const std::string text = text::fold_width(raw);
    std::string_view rest = trim_end_punctuation(text);
    static constexpr std::string_view kJoins[] = {"和", "、", ",",    "，", " ",
                                                  "跟", "与", "还有", "加", "\t"};
    static constexpr std::string_view kBoth[] = {"都是我问的", "都是", "都要", "两个都",
                                                 "都想知道",   "都看", "都"};
    std::vector<int> numbers;
    while (!rest.empty()) {
        const auto [number, length] = leading_digit(rest);
        if (number == 0) break;
        if (std::find(numbers.begin(), numbers.end(), number) == numbers.end())
            numbers.push_back(number);
        rest.remove_prefix(length);
        const std::string_view joined = without_leading(rest, kJoins);
        // "12" is twelve, not 1 and 2.
        if (joined.size() == rest.size() && !rest.empty() && leading_digit(rest).first != 0)
            return {};
        rest = joined;
    }
    rest = without_leading(rest, kBoth);
    if (!rest.empty() || numbers.size() < 2) return {};
    return numbers;
}

bool asks_about_ticket(std::string_view raw) {
    const std::string text = squeeze(raw);
    // Longer messages are questions of their own ("12345的工单号怎么查进度").
    constexpr std::size_t kMaxBytes = 14 * 3;
    if (text.size() > kMaxBytes) return false;
    // "我有工单吗", "有没有工单" (a list of platform answers; people helper, session 27).
    constexpr std::string_view kMine[] = {
        "我的工单", "工单呢", "工单怎么样", "工单咋样", "工单进度", "查工单", "工单到哪",
        "工单有回复", "有工单吗", "有没有工单", "有工单没",
        // "我那单子现在啥情况" (people helper, session 29: menus)
        "单子现在啥情况", "单子啥情况", "单子咋样", "单子怎么样", "单子有人管"};
    constexpr std::string_view kReplied[] = {"回了", "回复",   "答复",   "联系我",   "回我",
                                             "回话", "打电话", "咋还没", "怎么还没", "还没回"};
    if (contains_any(text, kMine)) return true;
    // "律师呢", "律师啥时候回": where the lawyer is, when he answers ("什么时候需要请律师" asks
    // about lawyers, not about his).
    constexpr std::string_view kWhen[] = {"什么时候", "啥时候", "多久", "几点", "咋还"};
    constexpr std::string_view kActs[] = {"回", "联系", "打给", "打电话", "找我", "答复"};
    const bool lawyer_acts =
        text.starts_with("律师") && contains_any(text, kWhen) && contains_any(text, kActs);
    if (text.ends_with("律师呢") || lawyer_acts) return true;
    // "律师回复让我去仲裁 去哪仲裁" asks about the answer, not for it.
    constexpr std::string_view kAsksOn[] = {"哪", "什么", "多少", "怎么办", "咋办", "让我"};
    if (contains_any(text, kAsksOn)) return false;
    return contains(text, "律师") && contains_any(text, kReplied);
}

bool asks_when_answered(std::string_view raw) {
    const std::string text = squeeze(raw);
    // Whether anyone is there at all, up to 16 characters: "律师几点上班 今天礼拜天有人吗" was
    // filed to his ticket unanswered (legal helper, session 23).
    constexpr std::size_t kMaxWaitingBytes = 16 * 3;
    constexpr std::string_view kWaiting[] = {
        "律师呢", "几点上班", "上班没", "上班了没", "有人值班", "周末有人", "礼拜天有人",
        "星期天有人", "今天有人", "好几个小时", "有人在吗", "晚上有人", "几点下班",
        // "都等了一下午了 还没人理" got "好的，有事随时找我" (people helper, session 29).
        "没人理", "没人回", "没人管", "没人联系", "没人打"};
    if (text.size() <= kMaxWaitingBytes && contains_any(text, kWaiting)) return true;
    // When an answer comes, up to 12 characters ("工伤认定要等多久才有结果啊" asks the law).
    constexpr std::size_t kMaxBytes = 12 * 3;
    if (text.size() > kMaxBytes) return false;
    constexpr std::string_view kWhen[] = {
        "要等多久", "等多久",     "还要等",     "多久能回", "什么时候回", "啥时候回", "什么时候打",
        "啥时候打", "什么时候联", "啥时候联",   "怎么没人", "咋没人",     "还没人回", "有人回没",
        "有人管没", "人呢",       "时候有人回", "有人回我", "多久有人"};
    return contains_any(text, kWhen);
}

bool says_boss_is_a_private_person(const std::vector<std::string>& said) {
    constexpr std::string_view kPrivate[] = {
        "个人老板", "私人老板", "个人车老板", "私人车老板",   "私人车主", "车主个人",    "老板个人",
        "没开公司", "不是公司", "没营业执照", "没有营业执照", "没办执照", "没办营业执照"};
    for (const std::string& text : said)
        if (contains_any(text, kPrivate) && !contains_any(text, {"个体户", "个体工商户"}))
            return true;
    return false;
}

bool asks_for_a_reply(std::string_view raw) {
    constexpr std::size_t kMaxBytes = 12 * 3;
    const std::string text = squeeze(raw);
    return text.size() <= kMaxBytes && contains_any(text, {"有人回", "没人回", "人呢", "没人理",
                                                           "咋没人", "怎么没人", "有人管"});
}

bool asks_the_group(std::string_view raw) {
    const std::string text = text::fold_width(raw);
    // "@老王 …", "老李你那个…": said to another member. "你们谁知道…" asks everyone.
    if (contains(text, "@")) return false;
    for (auto at = text.find("你"); at != std::string::npos; at = text.find("你", at + 1))
        if (text.compare(at + std::string_view("你").size(), std::string_view("们").size(), "们"))
            return false;
    return faq::asks_something(text);
}

bool asks_or_follows_up(std::string_view text) {
    return faq::asks_something(text) || faq::leans_on_previous(text);
}

bool asks_about_form_in_progress(std::string_view text) {
    constexpr std::string_view kWords[] = {"填到哪", "填一半",   "填了一半", "继续填",
                                           "接着填", "刚才填",   "没填完",   "填到第几",
                                           "之前填", "填到一半", "私聊填"};
    return contains_any(text, kWords);
}

bool asks_about_someone_else(std::string_view raw) {
    const std::string text = squeeze(raw);
    constexpr std::string_view kOthers[] = {
        "他的", "她的", "帮他", "帮她", "替他", "替她", "他叫", "她叫", "他入会", "她入会",
        "老婆", "媳妇", "老公", "爱人", "我哥", "我弟", "我姐", "我妹", "我爸",   "我儿子",
        "朋友", "同事", "别人", "亲戚", "老乡", "老王", "老李", "老张", "老刘",   "老陈"};
    return contains_any(text, kOthers);
}

std::string_view after_new_question_lead(std::string_view text) {
    constexpr std::string_view kLeads[] = {
        "先问个别的", "问个别的", "先问点别的", "问点别的",    "另外问一下", "另外问下",
        "另外问个",   "换个问题", "再问一个",   "再问个",      "还有个问题", "顺便问一下",
        "顺便问下",   "顺便问个", "问个别的事", "先问另一个",  "问另一个事", "另外我想问",
        "另外想问",   "另外请问", "另外我问下", "我想问个别的"};
    constexpr std::string_view kBefore[] = {"那我", "那", "我", " "};
    constexpr std::string_view kAfter[] = {" ",  "，", ",",  "：",   ":", "啊",
                                           "哈", "事", "。", "一下", "下"};
    const std::string_view rest = without_leading(text, kBefore);
    for (const auto lead : kLeads)
        if (rest.starts_with(lead)) return without_leading(rest.substr(lead.size()), kAfter);
    return {};
}

bool asks_for_join_link(std::string_view text) {
    constexpr std::string_view kAsk[] = {"发", "要", "给我", "再来"};
    return contains(text, "链接") && contains_any(text, kAsk);
}

bool asks_about_own_review(std::string_view text) {
    constexpr std::string_view kReview[] = {"审核", "审", "批"};
    constexpr std::string_view kWhen[] = {"多久",     "啥时候", "什么时候", "几点", "有人",
                                          "能好",     "好了",   "明天",     "今天", "几天",
                                          "多长时间", "礼拜天", "周末"};
    return contains_any(text, kReview) && contains_any(text, kWhen);
}

bool asks_to_change_phone(std::string_view text) {
    constexpr std::string_view kPhone[] = {"手机号", "号码", "新号", "手机", "电话"};
    constexpr std::string_view kChange[] = {"换", "改", "新号", "停机", "不用了"};
    return contains_any(text, kPhone) && contains_any(text, kChange);
}

bool echoes_another(std::string_view text) {
    constexpr std::string_view kSame[] = {"同问",   "同上", "+1",       "＋1",      "我也要",
                                          "我也是", "同求", "我也想问", "我也一样", "我也想知道"};
    constexpr std::size_t kLongestEcho = 12;
    return text::code_point_count(text) <= kLongestEcho && contains_any(text, kSame);
}

bool asks_membership_by_id(std::string_view text) {
    constexpr std::string_view kAsk[] = {"入没入过",   "有没有入会", "入过会没",
                                         "是不是会员", "是会员吗",   "查查",
                                         "帮我查",     "查一下",     "查下"};
    // The words first: most messages have none, and the ID scan is the dearer check.
    return contains_any(text, kAsk) && find_personal_data(text).id_card;
}

bool asks_for_union_office(std::string_view text) {
    // "你们几点上班", "晚上有人不" ask when the union is there (they got the driver stations and
    // "帮不上忙"; danger helper, session 28). Only when and whether: "你们" with 在哪 may be
    // about a court.
    constexpr std::size_t kShortPresence = 8;
    const bool asks_when_there =
        contains_any(text, {"几点上班", "几点下班", "上班时间", "晚上有人", "有人值班", "上班吗",
                            "上班不", "有人吗", "有人没", "有人不"}) &&
        (contains(text, "你们") || text::code_point_count(text) <= kShortPresence);
    if (asks_when_there && !contains_any(text, {"司机之家", "驿站", "律师"})) return true;
    if (!contains_any(text, {"工会", "服务站", "服务中心"})) return false;
    if (contains_any(text, {"司机之家", "驿站", "入会", "入工会", "加入", "参加工会", "律师",
                            "仲裁", "法院", "12351"}))
        return false;
    const bool asks_where =
        contains_any(text, {"在哪",   "哪里",     "地址",     "怎么走",   "位置",     "什么地方",
                            "啥地方", "几点上班", "几点下班", "上班时间", "办公时间", "直接过去",
                            "过去找", "当面",     "有人吗",   "有人没",   "有人不",   "开门",
                            "上班吗", "上班不",   "上不上班", "中午休息"});
    // A phone asked for, not one he gives ("电话13912345678").
    return asks_where || contains_any(text, {"电话多少", "电话是多少", "电话号码", "联系电话",
                                             "电话呢", "号码多少", "有电话", "联系方式", "电话给"});
}

bool names_benefits_at_all(std::string_view text) {
    return contains_any(text, {"福利", "优惠", "好处", "待遇", "权益", "礼包", "补贴"});
}

OfficeAsk office_ask(std::string_view text) {
    if (contains_any(text, {"打不通", "没人接", "占线", "关机", "空号", "打不进"}))
        return OfficeAsk::unreachable;
    if (contains_any(text, {"到账", "多久能领", "啥时候能领", "什么时候能领", "多久发",
                            "什么时候发", "啥时候发", "多久能拿到", "多久能下来"}))
        return OfficeAsk::payout;
    if (contains_any(text, {"带啥", "带什么", "带哪些", "要带", "拿啥去", "拿什么去"}))
        return OfficeAsk::bring;
    if (contains_any(text, {"周六", "周日", "周末", "礼拜", "星期", "几点", "上班", "下班", "开门",
                            "关门", "中午", "有人吗", "有人没", "有人不", "节假日", "放假"}))
        return OfficeAsk::hours;
    return OfficeAsk::none;
}

bool says_he_is_a_member(std::string_view text) {
    return contains_any(
        text, {"已经入会", "已经入了", "入会才", "入了会", "刚入会", "入会以后", "入会后", "入过会",
               "我是会员", "已经是会员", "我入了", "入会半", "入会一", "入会两", "入会几"});
}

bool names_a_legal_matter(std::string_view text) {
    return contains_any(text, {"停车费", "扣车", "车被扣", "被扣", "交警", "罚", "告", "合法",
                               "违法", "赔", "谁出", "该谁", "投诉", "不是找"});
}

bool goes_ahead(std::string_view raw) {
    std::string_view text = trim_end_punctuation(raw);
    for (bool again = true; again;) {
        again = false;
        for (const std::string_view lead :
             {"那就", "那", "好的", "好", "行", "可以", "嗯", " ", "，"})
            if (text.starts_with(lead)) {
                text.remove_prefix(lead.size());
                again = true;
            }
    }
    for (const std::string_view tail : {"吧", "一下", "吧", "了"})
        if (text.ends_with(tail)) text.remove_suffix(tail.size());
    constexpr std::string_view kGoAhead[] = {"弄",     "办",       "帮我弄", "帮我办", "给我弄",
                                             "给我办", "帮俺弄",   "帮俺办", "入",     "报名",
                                             "帮我报", "帮我报名", "申请",   "加入",   "整"};
    return std::find(std::begin(kGoAhead), std::end(kGoAhead), text) != std::end(kGoAhead);
}

bool says_only_a_name(std::string_view text) {
    constexpr std::size_t kLongestName = 4;
    const std::size_t length = text::code_point_count(text);
    // "人呢", "好吧": a particle at the end makes it a sentence.
    const bool particle_ends = text.ends_with("呢") || text.ends_with("吗") ||
                               text.ends_with("啊") || text.ends_with("吧") || text.ends_with("了");
    return length >= 2 && length <= kLongestName && !particle_ends && !faq::asks_something(text) &&
           validate_name(text).ok;
}

bool answered_about_the_union(const std::vector<std::string>& answered) {
    return !answered.empty() &&
           (answered.front().starts_with("union_") || answered.front().starts_with("benefit_"));
}

bool asks_about_the_form(std::string_view text) {
    constexpr std::size_t kShortQuestion = 8;
    if (text::code_point_count(text) > kShortQuestion || names_a_legal_matter(text)) return false;
    return !contains_any(text,
                         {"工资", "运费", "欠",   "工伤",     "事故",   "撞",   "车祸", "扣分",
                          "仲裁", "律师", "起诉", "平台",     "货拉拉", "满帮", "社保", "养老",
                          "医保", "老板", "公司", "司机之家", "停车",   "加油"});
}

bool complains_about_a_seller(std::string_view text) {
    return contains_any(text, {"投诉", "投述", "举报", "缺斤少两", "短斤少两", "不足量", "加不足",
                               "坑人", "宰人", "不是要优惠", "不是问优惠", "不要优惠"});
}

bool withdraws_ticket(std::string_view text) {
    // "他说钱到账了就不用找律师了 可钱根本没到账啊" quotes the other side; "我自己找了律师 …
    // 你们律师也帮我看看呗" wants both (people helper, session 29: both withdrew his ticket).
    if (contains_any(text, {"他说", "老板说", "对方说", "他们说", "没到账", "也帮我", "也帮忙",
                            "也看看", "你们律师也"}))
        return false;
    constexpr std::string_view kWithdraw[] = {
        "不用律师了", "不需要律师了", "不用找律师了", "不找律师了", "取消工单", "工单取消",
        "撤销工单", "撤回工单", "工单撤了", "工单不要了", "不用人工了", "问题解决了", "已经解决了",
        "事情解决了",
        // "我没要人工啊 取消" right after a ticket he did not mean (legal helper, session 27).
        "没要人工", "没要律师", "没叫人工", "没让转人工", "没说要人工"};
    if (contains_any(text, kWithdraw)) return true;
    // "算了不用了 钱他刚打过来了", "不用了 我自己找了律师": the matter is settled, or in other
    // hands (the first got "您目前没有正在办理的事项" and the ticket stayed; people helper,
    // session 29). A question or a "not yet" is not it ("钱打过来了吗", "钱还没到账").
    constexpr std::string_view kSettled[] = {
        "钱打过来了", "钱已经打过来", "钱给我了",     "钱已经给了", "钱已经到账", "钱到账了",
        "工资发了",   "运费结了",     "已经结清",     "钱要回来了", "要到钱了",   "私了了",
        "已经和解",   "自己找了律师", "自己找律师了", "找到律师了", "请了律师了"};
    const bool paid = contains_any(text, {"打过来了", "到账了", "给我了", "结了", "发了"}) &&
                      contains_any(text, {"钱", "工资", "运费"});
    if ((paid || contains_any(text, kSettled)) &&
        !contains_any(text, {"吗", "没", "？", "?", "不给"}))
        return true;
    // "算了不用了", "不好意思按错了 取消吧" while his ticket waits (both got "您目前没有正在办理的
    // 事项" and the ticket stayed; legal helper, session 27): short, and nothing else in them.
    // "不用了 我看懂了 谢谢" thanks for the answer: the ticket stays (it was withdrawn; people
    // helper, session 28).
    if (contains_any(text, {"谢", "看懂", "明白了", "知道了", "懂了"})) return false;
    constexpr std::size_t kShortWithdraw = 12;
    return text::code_point_count(text) <= kShortWithdraw &&
           contains_any(text,
                        {"不用了", "按错了", "点错了", "发错了", "取消吧", "不需要了", "不要了"});
}

namespace {

// Only the words that decline the bot's transfer: "老板说不用律师 私了就行" is his story.
constexpr std::string_view kDeclinePerson[] = {
    "不要转人工", "不用转人工", "不要转律师", "不用转律师", "别转人工", "不转人工",
    "别转律师",   "不用人工",   "不要人工",   "没要人工",   "别找人工", "不找人工"};

}  // namespace

bool declines_a_person(std::string_view text) { return contains_any(text, kDeclinePerson); }

std::string without_call_request(std::string_view text) {
    return text::replace_each_with_space(
        without_personal_data(text),
        {"直接打给我", "打给我", "给我打个电话", "给我打电话", "打我电话", "回个电话", "我的电话是",
         "我电话是", "我的电话", "我电话", "电话是", "手机号"});
}

std::string without_declined_person(std::string_view text) {
    // Longest first: "不要转人工" before "不要人工" would leave "转".
    return text::replace_each_with_space(std::string(text), kDeclinePerson);
}

bool asks_for_a_call(std::string_view text) {
    constexpr std::string_view kCall[] = {"回个电话",     "回电话",       "回电",     "打电话给我",
                                          "给我打电话",   "给我打个电话", "打我电话", "电话联系我",
                                          "打个电话给我", "来个电话",     "电话联系"};
    return contains_any(text, kCall);
}

std::string application_number_in(std::string_view raw) {
    constexpr std::size_t kDigits = 14;
    std::string compact;  // ASCII letters and digits only, the rest marks a boundary as '|'
    for (char32_t c : text::decode_utf8(text::fold_width(raw))) {
        if (c == ' ' || c == '-' || c == ':' || c == 0xFF1A /* ： */) continue;
        compact += text::is_ascii_alnum(c) ? static_cast<char>(c) : '|';
    }
    for (std::size_t at = 0; at + 2 + kDigits <= compact.size(); ++at) {
        const bool prefix = (compact[at] == 'R' || compact[at] == 'r') &&
                            (compact[at + 1] == 'H' || compact[at + 1] == 'h');
        if (!prefix || (at > 0 && std::isalnum(static_cast<unsigned char>(compact[at - 1]))))
            continue;
        const std::string_view digits = std::string_view(compact).substr(at + 2, kDigits);
        const bool all_digits =
            std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        const std::size_t after = at + 2 + kDigits;
        const bool ends =
            after == compact.size() || !std::isdigit(static_cast<unsigned char>(compact[after]));
        if (all_digits && ends) return "RH" + std::string(digits);
    }
    return {};
}

std::string desk_question(const std::vector<std::string>& recent, std::string_view said,
                          bool (*is_request)(std::string_view)) {
    const auto says_nothing = [&](std::string_view text) {
        return is_request(text) || choice_number(text) > 0 || squeeze(text).empty();
    };
    if (!says_nothing(said)) return std::string(said);
    // A form answer with an ID or phone number is no question for the desk's card.
    const auto no_story = [&](std::string_view text) {
        return says_nothing(text) || find_personal_data(text).any();
    };
    const std::string* longest = nullptr;
    for (std::size_t i = 0; i + 1 < recent.size(); ++i) {
        if (no_story(recent[i])) continue;
        if (!longest || recent[i].size() > longest->size()) longest = &recent[i];
    }
    if (!longest) return std::string(said);
    return *longest + "（随后要求人工：" + std::string(said) + "）";
}

std::optional<GrievanceRequest> grievance_request(std::string_view raw) {
    const std::string text = squeeze(raw);
    // A request to file one, not a question about how to: "怎么投诉平台" is for the FAQ.
    constexpr std::string_view kRequests[] = {"我要投诉",   "我想投诉", "要投诉",   "投诉一下",
                                              "我要举报",   "我想举报", "我要反映", "我想反映",
                                              "反映个问题", "提个诉求", "我有诉求", "我要提诉求"};
    constexpr std::string_view kLeading[] = {"投诉", "举报", "诉求"};
    constexpr std::string_view kHow[] = {"怎么", "如何", "哪里", "去哪", "吗", "能不能", "可以"};
    const auto any_of = [&](auto& phrases, auto test) {
        return std::any_of(std::begin(phrases), std::end(phrases), test);
    };
    const auto inside = [&](std::string_view phrase) { return contains(text, phrase); };
    const auto leads = [&](std::string_view phrase) { return starts_with(text, phrase); };
    // "我要投诉 乱罚款" files one; "投诉乱罚款" does too, unless it asks how ("举报超载有奖吗").
    const bool how = any_of(kHow, inside);
    const bool asked =
        (any_of(kRequests, inside) && !contains(text, "怎么投诉") && !contains(text, "如何投诉")) ||
        (any_of(kLeading, leads) && !how);
    if (!asked) return std::nullopt;

    struct Words {
        std::string_view category;
        std::initializer_list<std::string_view> words;
    };
    // In precedence order: "交警乱罚款" is about the fine.
    const Words kWords[] = {
        {"fines", {"罚款", "乱罚", "罚单", "罚钱", "被罚", "罚了", "处罚", "重复罚"}},
        {"enforcement",
         {"执法", "交警", "路政", "运管", "扣车", "查车", "拦车", "扣证", "治超", "超限站",
          "检查站", "吃拿卡要", "粗暴", "城管"}},
        {"services",
         {"服务区", "司机之家", "驿站", "停车场", "加油站", "收费站", "服务", "办事", "窗口",
          "热线", "工会", "厕所", "充电"}},
    };
    GrievanceRequest request;
    for (const auto& group : kWords) {
        if (std::any_of(group.words.begin(), group.words.end(),
                        [&](std::string_view word) { return contains(text, word); })) {
            request.category = std::string(group.category);
            break;
        }
    }
    return request;
}

std::string grievance_choices_text() {
    return "您要反映哪一类问题？\n"
           "1. 罚款（乱罚款、重复罚款、罚款不开票）\n"
           "2. 执法（查车扣车、执法态度、吃拿卡要）\n"
           "3. 服务（服务区、司机之家、办事窗口）\n"
           "回复数字即可";
}

std::string_view grievance_category(int number) {
    if (number < 1 || number > static_cast<int>(std::size(kGrievanceCategories))) return {};
    return kGrievanceCategories[number - 1];
}

}  // namespace kayou::dialogs
