#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "faq/script.hpp"
#include "faq/sums.hpp"

namespace kayou::faq {
namespace {

TEST(FaqSums, NumbersInDigitsAndInChineseNumerals) {
    struct Case {
        const char* text;
        std::optional<long> number;
    };
    const Case cases[] = {
        {"6500", 6500},
        {"6500块", 6500},
        {"6千5", 6500},
        {"1.2万", 12000},
        {"两", 2},
        {"十二个月", 12},
        {"七千五", 7500},
        {"两万五", 25000},
        {"一万二千", 12000},
        {"三年", 3},
        {"五千块", 5000},
        {"8k", 8000},
        {"个月", std::nullopt},
        {"", std::nullopt},
    };
    for (const Case& c : cases) EXPECT_EQ(number_at(c.text), c.number) << c.text;
}

TEST(FaqSums, FiguresAreReadOnlyBesideTheWordsThatNameThem) {
    struct Case {
        const char* text;
        std::optional<long> wage;
        std::optional<int> months;
        std::optional<int> grade;
    };
    const Case cases[] = {
        {"我在这干了2年4个月 月工资6500 被开除了能赔多少", 6500, 28, std::nullopt},
        {"在公司做了两年半，一个月七千五，辞退我给几个月", 7500, 30, std::nullopt},
        {"上了八个月班 工资5000一个月", 5000, 8, std::nullopt},
        {"干了3年 每月6千5", 6500, 36, std::nullopt},
        {"一个月6500 干了3年 被开除能赔多少", 6500, 36, std::nullopt},
        {"我4年3个月 8500一个月 能赔多少", 8500, 51, std::nullopt},
        {"2年4个月 平均7500 能拿多少补偿", 7500, 28, std::nullopt},
        {"评了十级伤残 月工资5000 能拿多少", 5000, std::nullopt, 10},
        {"鉴定9级伤残，工资一个月4800", 4800, std::nullopt, 9},
        // Arrears are no length of service, a sum owed no monthly wage, a plate no number.
        {"老板欠我3个月工资 一共18000", std::nullopt, std::nullopt, std::nullopt},
        {"拖了我两个月工资没发", std::nullopt, std::nullopt, std::nullopt},
        {"苏D12345 扣了我6分", std::nullopt, std::nullopt, std::nullopt},
        {"货主欠运费两万五", std::nullopt, std::nullopt, std::nullopt},
    };
    for (const Case& c : cases) {
        const DriverFigures figures = figures_in(c.text);
        EXPECT_EQ(figures.monthly_wage, c.wage) << c.text;
        EXPECT_EQ(figures.months_worked, c.months) << c.text;
        EXPECT_EQ(figures.disability_grade, c.grade) << c.text;
    }
}

Entry entry_saying(std::string answer) {
    Entry entry;
    entry.id = "e";
    entry.answer = std::move(answer);
    return entry;
}

TEST(FaqSums, TheRuleOfTheAnswerWorkedThroughForHisFigures) {
    const Entry severance = entry_saying(
        "能要经济补偿：…每满1年给1个月工资，6个月以上不满1年的按1年算，不满6个月的给半个月");
    const Entry disability = entry_saying("一次性伤残补助金十级7个月到一级27个月本人工资");
    const Entry other = entry_saying("超速50%以上罚款");

    // 2 years 4 months: 2.5 months (劳动合同法 第47条); 2N for an unlawful dismissal.
    EXPECT_EQ(sum_for_driver(severance, "干了2年4个月 月工资6500 被开除了能赔多少"),
              "按您说的（在这家干了2年4个月、月工资6500元）：经济补偿是2.5个月工资，约16250元；"
              "单位违法辞退、开除的，赔偿金是它的2倍，约32500元。月工资按走之前12个月的平均算（"
              "奖金、加班费都算）。\n");
    const std::string seven_months = sum_for_driver(severance, "做了7个月 工资5000一个月 补偿多少");
    EXPECT_NE(seven_months.find("经济补偿是1个月工资，约5000元"), std::string::npos)
        << seven_months;
    const std::string three_months = sum_for_driver(severance, "上了3个月班 月薪6000 辞退给啥补偿");
    EXPECT_NE(three_months.find("经济补偿是0.5个月工资，约3000元"), std::string::npos);
    const std::string grade_ten = sum_for_driver(disability, "评了十级伤残 月工资5000 能拿多少");
    EXPECT_NE(grade_ten.find("一次性伤残补助金是7个月本人工资，约35000元"), std::string::npos)
        << grade_ten;
    EXPECT_NE(sum_for_driver(disability, "我是5级伤残 工资8000一个月 赔多少")
                  .find("18个月本人工资，约144000元"),
              std::string::npos);

    // Nothing when a figure is missing, nothing is asked about money, or the answer has no rule.
    EXPECT_EQ(sum_for_driver(severance, "干了2年4个月 被开除了能赔多少"), "");
    EXPECT_EQ(sum_for_driver(severance, "干了2年 月工资6500 怎么写辞职信"), "");
    EXPECT_EQ(sum_for_driver(other, "干了2年4个月 月工资6500 被开除了能赔多少"), "");
    EXPECT_EQ(sum_for_driver(severance, "评了十级伤残 月工资5000 能拿多少"), "");
}

}  // namespace
}  // namespace kayou::faq
