#pragma once
// The deadline his own dates give. "前年八月拉完货 老板一直拖 现在去告还来得及不" got the rule
// ("运费时效是3年 …") and had to count the years himself; "我去年五月被辞退的 现在仲裁还来得及吗"
// the same with 1 year. The answer now says, first, when his period ends counted from the month
// he gives and whether that is past, with what stops the clock (a demand, his debtor owning the
// debt, the employer's delay), and the rule after. Pure: today is passed in.
#include <optional>
#include <string>
#include <string_view>

namespace kayou::faq {

struct Entry;

// A calendar month; `month` 0 when he names the year alone ("前年").
struct StatedMonth {
    int year = 0;
    int month = 0;
    bool operator==(const StatedMonth&) const = default;
};

// The earliest month his message dates something by (the period counted from it ends first, the
// safe end to tell him; "前年年底打的欠条 写着2024年6月底前付清" is June 2024): "2024年6月底",
// "24年6月", "去年三月份", "前年 八月", "大前年", "今年3月"; relative years counted from
// `today_yyyymmdd`. A length ("干了3年"), a birth year ("77年的") or a month with no year ("8月份")
// is no date.
std::optional<StatedMonth> month_he_dates(std::string_view text, int today_yyyymmdd);

// For an answer that sets a limitation period (3 years to sue, 1 year for labour arbitration, 1
// year to apply for work-injury recognition, read from its words), in a message that asks whether
// he is still in time and dates his case: the period counted from his month, whether it has run
// out by `today_yyyymmdd`, and what restarts or stops it. One line for the top of the answer; ""
// when the answer sets no period, he asks no such thing, or states no date.
std::string limitation_for_driver(const Entry& answered, std::string_view text, int today_yyyymmdd);

}  // namespace kayou::faq
