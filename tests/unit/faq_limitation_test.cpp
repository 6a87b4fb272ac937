#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "faq/limitation.hpp"
#include "faq/script.hpp"
#include "faq/sums.hpp"

namespace kayou::faq {
namespace {

constexpr int kToday = 20261203;

TEST(FaqLimitation, TheMonthHisMessageDatesItsCaseBy) {
    struct Case {
        const char* text;
        std::optional<StatedMonth> month;
    };
    const Case cases[] = {
        {"前年八月拉完货就一直拖着", StatedMonth{2024, 8}},
        {"我去年五月从车队离职", StatedMonth{2025, 5}},
        {"去年三月份被公司辞退 现在都今年四月了", StatedMonth{2025, 3}},
        {"前年十一月出的车祸", StatedMonth{2024, 11}},
        {"大前年的运费还能要不", StatedMonth{2023, 0}},
        {"前年被撞的 对方一直拖", StatedMonth{2024, 0}},
        {"写着去年年底前还清", StatedMonth{2025, 12}},
        {"去年底公司说让我走", StatedMonth{2025, 12}},
        {"2024年6月底拉的货", StatedMonth{2024, 6}},
        {"２０２３年３月出的事", StatedMonth{2023, 3}},
        {"24年6月的运费", StatedMonth{2024, 6}},
        {"2022年的欠条", StatedMonth{2022, 0}},
        {"今年3月受的伤", StatedMonth{2026, 3}},
        // The earliest of two: the period counted from it ends first.
        {"前年年底打的欠条 写着2024年6月底前付清", StatedMonth{2024, 6}},
        {"去年三月被辞退 前年就开始拖工资", StatedMonth{2024, 0}},
        // No date of his case: an age, a length, a birth, a month with no year, a year to come.
        {"我今年52了", std::nullopt},
        {"干了3年 被辞退", std::nullopt},
        {"我77年的", std::nullopt},
        {"8月份拉的货", std::nullopt},
        {"欠了3年了", std::nullopt},
        {"2030年以后退休", std::nullopt},
        {"苏D12345年检", std::nullopt},
    };
    for (const Case& c : cases) EXPECT_EQ(month_he_dates(c.text, kToday), c.month) << c.text;
    EXPECT_EQ(month_he_dates("前年八月", 0), std::nullopt);  // no today, no relative year
}

// An entry that holds only `answer`: the period is read from its words.
Entry answering(std::string answer) { return Entry{.id = "e", .answer = std::move(answer)}; }

TEST(FaqLimitation, HisPeriodCountedFromTheMonthHeGives) {
    const Entry freight =
        answering("运费时效是3年…你每次催要都会让时效中断、重新算3年。讨运费的诉讼时效是3年");
    const Entry arbitration = answering("劳动仲裁的时效是1年；拖欠工资的，离职后1年内申请都不晚。");
    const Entry injury = answering(
        "公司不给报工伤，你可以自己报：受伤职工本人、近亲属或工会可以在受伤之日起1年内，直接到当地"
        "人社局申请工伤认定");
    const Entry both = answering(
        "欠的工资是劳动争议，要先申请劳动仲裁（不收费，离职后1年内）…欠的运费直接到法院起诉（诉讼时"
        "效3年）");
    const Entry none = answering("超速50%以上罚款");

    struct Case {
        const Entry* answered;
        const char* text;
        std::vector<const char*> holds;  // empty: no line
    };
    const Case cases[] = {
        // Within: the month it ends and the months left.
        {&freight,
         "前年八月拉完货 老板一直拖着 现在去告还来得及不",
         {"从2024年8月算", "3年诉讼时效到2027年8月才届满", "还剩约8个月", "从最后一次起重新算3年"}},
        // Past, with his own demand: the clock restarted at his last one.
        {&freight,
         "2022年3月拉的货 我每隔几个月微信催他 是不是过了时效",
         {"在2025年3月已经届满了（要是从更晚的付款日起算，往后顺延）",
          "您说中间催要过或对方答应过"}},
        // This very month.
        {&freight, "2023年12月的运费 还能告吗", {"就在这个月（2026年12月）届满"}},
        // The year alone.
        {&freight, "大前年的运费还能要不", {"从2023年算", "在今年（2026年）里届满，看具体是几月"}},
        {&freight, "前年的运费过期没有 时效多久", {"到2027年（看具体是几月）才届满"}},
        // Arbitration: a year; past.
        {&arbitration,
         "我去年五月被辞退 工资还欠着 现在去仲裁还来得及吗",
         {"1年劳动仲裁时效在2026年5月已经届满了", "在职时欠的工资从离职起算"}},
        {&arbitration,
         "去年十二月离职的 老板欠两个月工资 仲裁来得及不",
         {"1年劳动仲裁时效就在这个月（2026年12月）届满"}},
        // Work injury: a year from the injury, and time lost to the employer does not count.
        {&injury,
         "去年八月卸货砸伤了 老板说他全包叫我别报 现在自己报工伤还来得及不",
         {"自己申请工伤认定的1年期限在2026年8月已经届满了", "这段时间可以不算在内"}},
        // Two periods in one answer: his words choose.
        {&both, "去年三月被开除 工资没给 还能仲裁吗", {"1年劳动仲裁时效"}},
        {&both, "前年五月的运费 还能告不", {"3年诉讼时效"}},
        // A year to arbitrate is for a labour question only.
        {&arbitration, "前年五月的运费 欠条还有效吗", {}},
        // No line: no period in the answer, no date, no question of time, a date to come.
        {&none, "前年八月超速 还能告吗", {}},
        {&freight, "老板欠运费 还来得及告吗", {}},
        {&freight, "前年八月拉的货 运费一共多少", {}},
        // Whether he can win, with last year's date, is no question of time; two years back it is.
        {&freight, "去年五月的运费 只给了两千 还能要回来吗 告赢了他不给怎么办", {}},
        {&freight, "前年五月的运费 还能要回来吗", {"从2024年5月算"}},
    };
    for (const Case& c : cases) {
        const std::string line = limitation_for_driver(*c.answered, c.text, kToday);
        if (c.holds.empty()) {
            EXPECT_EQ(line, "") << c.text;
        }
        for (const char* part : c.holds)
            EXPECT_NE(line.find(part), std::string::npos) << c.text << "\n" << line;
    }
    // A month still to come is no date of his case.
    EXPECT_EQ(limitation_for_driver(freight, "今年5月的运费 来得及告吗", 20260303), "");
}

TEST(FaqLimitation, TheLineHeadsTheWorkedSum) {
    const Entry freight = answering("讨运费的诉讼时效是3年，期间催过款的从催款时重新算3年");
    const std::string sum =
        sum_for_driver(freight, "前年八月的运费 现在还能告吗", {}, false, kToday);
    EXPECT_EQ(sum.rfind("按您说的，从2024年8月算", 0), 0U) << sum;
    EXPECT_EQ(sum_for_driver(freight, "前年八月的运费 现在还能告吗"), "");  // no today
}

}  // namespace
}  // namespace kayou::faq
