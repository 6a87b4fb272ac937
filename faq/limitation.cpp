#include "faq/limitation.hpp"

#include <algorithm>
#include <initializer_list>

#include "faq/analyzer.hpp"
#include "faq/script.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::faq {
namespace {

bool is_arabic(char32_t cp) { return cp >= U'0' && cp <= U'9'; }

// The digits at `at`, and how many there are.
int digits_at(std::u32string_view text, std::size_t at, std::size_t& used) {
    used = 0;
    int value = 0;
    while (at + used < text.size() && is_arabic(text[at + used]) && used < 5)
        value = value * 10 + static_cast<int>(text[at + used++] - U'0');
    return value;
}

bool starts(std::u32string_view text, std::size_t at, std::u32string_view word) {
    return at <= text.size() && text.substr(at).starts_with(word);
}

// The month after a year at `at`: "3月", "十一月份" (folded to digits), "底" / "年底" (12), "初" /
// "年初" (1); 0 when none is said.
int month_after(std::u32string_view text, std::size_t at) {
    while (at < text.size() && text[at] == U' ') ++at;
    if (starts(text, at, U"底") || starts(text, at, U"年底")) return 12;
    if (starts(text, at, U"初") || starts(text, at, U"年初")) return 1;
    std::size_t used = 0;
    const int month = digits_at(text, at, used);
    if (used == 0 || used > 2 || month < 1 || month > 12 || !starts(text, at + used, U"月"))
        return 0;
    return month;
}

struct RelativeYear {
    std::u32string_view word;
    int years_ago;
};

// Longest first: 大前年 holds 前年.
constexpr RelativeYear kRelativeYears[] = {
    {U"大前年", 3}, {U"前年", 2}, {U"去年", 1}, {U"今年", 0}};

std::optional<StatedMonth> relative_month_at(std::u32string_view text, std::size_t at,
                                             int this_year) {
    for (const RelativeYear& relative : kRelativeYears) {
        if (!starts(text, at, relative.word)) continue;
        const int month = month_after(text, at + relative.word.size());
        // "我今年52了" is an age, "今年" alone no date of his case.
        if (relative.years_ago == 0 && month == 0) return std::nullopt;
        return StatedMonth{this_year - relative.years_ago, month};
    }
    return std::nullopt;
}

// "2024年6月", "24年6月底", "2023年": a year written in digits, 2000 to this year; two digits
// count only with a month ("77年的" is a birth, "干了3年" a length).
std::optional<StatedMonth> written_month_at(std::u32string_view text, std::size_t at,
                                            int this_year) {
    if (at > 0 && is_arabic(text[at - 1])) return std::nullopt;
    std::size_t used = 0;
    const int written = digits_at(text, at, used);
    if ((used != 2 && used != 4) || !starts(text, at + used, U"年")) return std::nullopt;
    const int year = used == 2 ? 2000 + written : written;
    const int month = month_after(text, at + used + 1);
    if (year < 2000 || year > this_year || (used == 2 && month == 0)) return std::nullopt;
    return StatedMonth{year, month};
}

// In kPeriods' order.
enum class Period { sue, arbitrate, apply_injury };

// Which period his question is under: the answer must set it, and his words must fit it (wages,
// a dismissal for the year to arbitrate); where it sets two his words choose.
std::optional<Period> period_for(const Entry& answered, std::string_view text) {
    const std::string& answer = answered.answer;
    const bool sue =
        text::contains_any(answer, {"时效是3年", "时效3年", "3年诉讼时效", "3年时效"}) ||
        (answer.find("诉讼时效") != std::string::npos &&
         text::contains_any(answer, {"3年", "三年"}));
    const bool arbitrate =
        answer.find("仲裁") != std::string::npos &&
        text::contains_any(answer, {"时效是1年", "时效1年", "1年时效", "1年的仲裁时效",
                                    "1年仲裁时效", "离职后1年", "终止之日起1年", "1年内申请"});
    const bool apply_injury =
        answer.find("工伤认定") != std::string::npos &&
        text::contains_any(answer, {"之日起1年内", "1年内到人社局", "1年内自己", "1年内直接",
                                    "期限一般是受伤之日起1年"});
    if (apply_injury && text::contains_any(text, {"工伤", "认定"})) return Period::apply_injury;
    const bool labour = text::contains_any(text, {"工资", "辞退", "开除", "补偿", "仲裁", "离职",
                                                  "加班", "被辞", "二倍", "双倍", "工伤待遇"});
    // A year to arbitrate only for a labour question: the freight IOU of a two-answer reply got
    // the arbitration entry's year.
    if (arbitrate && labour) return Period::arbitrate;
    if (sue) return Period::sue;
    return std::nullopt;
}

// Words that ask whether he is still in time ("晚了一周寄的" and "仲裁结果还有效吗" do not).
constexpr std::string_view kAsksInTime[] = {
    "时效", "来得及", "过期",       "过没过",   "过了没", "晚不晚",  "有没有期限",
    "期限", "作废",   "是不是过了", "已经过了", "不受理", "超过3年", "超过三年"};
// "还能要回来吗" asks whether he can win, not when; with a date near the end of the period it asks
// about time too: two calendar years back for the 3 years to sue ("前年被撞的 对方一直拖
// 还能告吗"), one for a 1-year period. With last year's freight it got the 3 years ahead of the
// enforcement it asked for, and the enforcement went past the channel's limit.
constexpr std::string_view kAsksStill[] = {"还能告", "还能起诉", "还能仲裁", "还能要", "还能申请"};

std::string month_said(const StatedMonth& month) {
    std::string said = std::to_string(month.year) + "年";
    if (month.month != 0) said += std::to_string(month.month) + "月";
    return said;
}

struct PeriodWords {
    int years;
    std::string_view name;     // "3年诉讼时效"
    std::string_view restart;  // what starts it again or keeps time out of it
    std::initializer_list<std::string_view> he_restarted;  // his words for that
    std::string_view he_did;                               // said when his words show it
    // The later day the period may run from: his earliest date is told, and a period told as
    // past may have started later ("前年八月拉完货 说好年底结").
    std::string_view starts_later;
};

// One row a Period, in its order.
const PeriodWords kPeriods[] = {
    {3,
     "3年诉讼时效",
     "中间催过款或对方认过账（答应还、还过一部分、写欠条）的，时效中断，从最后一次起重新算3年",
     // An IOU or a statement he holds is no demand: it may be older than the debt's due date.
     {"催", "要过", "讨过", "找他要", "答应", "认账", "说会给", "就给", "说再等", "再等等", "还过",
      "下个月", "回了说"},
     "您说中间催要过或对方答应过，时效中断，从最后那次起重新算3年",
     "付款日"},
    {1,
     "1年劳动仲裁时效",
     "期间讨要过、投诉过或单位答应给的，时效中断，从那时起重新算1年；在职时欠的工资从离职起算",
     {"催", "要过", "讨过", "答应", "说会给", "再等等", "监察", "投诉", "要钱"},
     "您说期间讨要过或单位答应过，时效中断，从最后那次起重新算1年",
     "离职日"},
    {1,
     "自己申请工伤认定的1年期限",
     "不是你自己原因耽误的时间（单位答应报却没报、拖着私了等）不算在内，带证据去人社局说明",
     {"老板说", "私了", "不让报", "别报", "答应", "拖着", "包了"},
     "您说是老板那边拖着、答应过，这段时间可以不算在内，带聊天记录等证据去说明",
     "受伤日"},
};

const PeriodWords& words_of(Period period) { return kPeriods[static_cast<std::size_t>(period)]; }

// Months since year 0 (year * 12 + month - 1); a year alone counts as its first month, so the
// earlier end is the one told.
int month_number(const StatedMonth& month) {
    return month.year * 12 + std::max(month.month, 1) - 1;
}

// Where his period stands on `today_months` (month_number of today).
std::string standing(const StatedMonth& from, const PeriodWords& words, int today_months) {
    const StatedMonth ends{from.year + words.years, from.month};
    const std::string later =
        "（要是从更晚的" + std::string(words.starts_later) + "起算，往后顺延）";
    if (from.month == 0) {
        const std::string year = std::to_string(ends.year) + "年";
        const int this_year = today_months / 12;
        if (ends.year > this_year)
            return "到" + year + "（看具体是几月）才届满，现在还在期限内，抓紧办";
        if (ends.year < this_year) return "在" + year + "就已经届满了" + later;
        return "在今年（" + year + "）里届满，看具体是几月，可能已经到了，要赶紧";
    }
    const int left = month_number(ends) - today_months;
    if (left > 0)
        return "到" + month_said(ends) + "才届满，现在还在期限内（还剩约" + std::to_string(left) +
               "个月），抓紧办";
    if (left == 0) return "就在这个月（" + month_said(ends) + "）届满，要马上办";
    return "在" + month_said(ends) + "已经届满了" + later;
}

}  // namespace

std::optional<StatedMonth> month_he_dates(std::string_view text, int today_yyyymmdd) {
    const int this_year = today_yyyymmdd / 10000;
    if (this_year <= 0) return std::nullopt;
    const std::u32string folded = fold_numbers(text::decode_utf8(text::fold_width(text)));
    std::optional<StatedMonth> earliest;
    const auto keep_earlier = [&](std::optional<StatedMonth> month) {
        if (!month) return;
        if (!earliest || month_number(*month) < month_number(*earliest)) earliest = month;
    };
    for (std::size_t at = 0; at < folded.size(); ++at) {
        keep_earlier(relative_month_at(folded, at, this_year));
        keep_earlier(written_month_at(folded, at, this_year));
    }
    return earliest;
}

std::string limitation_for_driver(const Entry& answered, std::string_view text,
                                  int today_yyyymmdd) {
    const bool asks_in_time = text::contains_any(text, kAsksInTime);
    if (!asks_in_time && !text::contains_any(text, kAsksStill)) return {};
    const auto period = period_for(answered, text);
    if (!period) return {};
    const auto from = month_he_dates(text, today_yyyymmdd);
    if (!from) return {};
    const int this_year = today_yyyymmdd / 10000;
    const int today_months = month_number({this_year, today_yyyymmdd / 100 % 100});
    if (month_number(*from) > today_months) return {};
    const PeriodWords& words = words_of(*period);
    const int years_back = this_year - from->year;
    if (!asks_in_time && years_back < std::max(1, words.years - 1)) return {};
    std::string line = "按您说的，从" + month_said(*from) + "算，" + std::string(words.name) +
                       standing(*from, words, today_months) + "。";
    line += text::contains_any(text, words.he_restarted) ? words.he_did : words.restart;
    return line + "。\n";
}

}  // namespace kayou::faq
