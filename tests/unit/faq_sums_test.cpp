#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

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
        {"8千一个月", 8000},  // session 30: read as 8100
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
        // What he earns, not what the insurer offers (session 30: 3000 was taken).
        {"对方保险误工费只给我按3000一个月算 我是自己车跑货的一个月挣1万多", 10000, std::nullopt,
         std::nullopt},
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

    // "一年多" is 13 to 23 months: both sums.
    const std::string vague = sum_for_driver(severance, "干了一年多了 一个月8500 被辞退能要多少");
    EXPECT_NE(vague.find("干了1年多"), std::string::npos) << vague;
    EXPECT_NE(vague.find("不满1年半的，经济补偿是1.5个月工资，约12750元"), std::string::npos)
        << vague;
    EXPECT_NE(vague.find("满1年半的，是2个月，约17000元"), std::string::npos) << vague;
    EXPECT_NE(sum_for_driver(severance, "干了1年4个月 一个月8500 被辞退能要多少")
                  .find("经济补偿是1.5个月工资，约12750元"),
              std::string::npos);

    // Without his wage the rule is worked in months of wage (blind set FH, session 35).
    EXPECT_EQ(
        sum_for_driver(severance, "干了2年4个月 被开除了能赔多少"),
        "按您说的（在这家干了2年4个月）：经济补偿是2.5个月工资；单位违法辞退、开除的，赔偿金是它"
        "的2倍，即5个月工资。月工资按走之前12个月的平均算（奖金、加班费都算），说下月工资可以帮"
        "您算出钱数。\n");
    const std::string ten_years =
        sum_for_driver(severance, "我在公司干了十年了公司要搬到外地去不去就得走人这种情况有补偿吗");
    EXPECT_NE(ten_years.find("经济补偿是10个月工资；"), std::string::npos) << ten_years;
    EXPECT_NE(ten_years.find("即20个月工资"), std::string::npos) << ten_years;
    const std::string fifteen_years = sum_for_driver(severance, "干了15年 被辞退能拿几个月");
    EXPECT_NE(fifteen_years.find("15个月工资（月工资超过当地职工月平均工资3倍的，最多按12年算）"),
              std::string::npos)
        << fifteen_years;
    const std::string vague_months = sum_for_driver(severance, "干了两年多 被辞退能要多少");
    EXPECT_NE(vague_months.find("不满2年半的，经济补偿是2.5个月工资；满2年半的，是3个月。"),
              std::string::npos)
        << vague_months;

    // Nothing when a figure is missing, nothing is asked about money, or the answer has no rule.
    EXPECT_EQ(sum_for_driver(severance, "被开除了能赔多少"), "");
    EXPECT_EQ(sum_for_driver(severance, "干了2年4个月 怎么写辞职信"), "");
    EXPECT_EQ(sum_for_driver(severance, "干了2年 月工资6500 怎么写辞职信"), "");
    EXPECT_EQ(sum_for_driver(other, "干了2年4个月 月工资6500 被开除了能赔多少"), "");
    EXPECT_EQ(sum_for_driver(severance, "评了十级伤残 月工资5000 能拿多少"), "");
}

TEST(FaqSums, PointsAndDeductionsAreReadBesideTheirVerbs) {
    struct Case {
        const char* text;
        std::vector<int> points;
        std::optional<long> deducted;
    };
    const Case cases[] = {
        {"今年已经扣了9分 这次超速又扣6分 会怎样", {9, 6}, std::nullopt},
        {"被记了三分 又记了6分", {3, 6}, std::nullopt},
        {"扣了我6分 罚款200", {6}, std::nullopt},
        {"还剩3分 快扣满12分了", {}, std::nullopt},
        {"等了5分钟就扣了我3分", {3}, std::nullopt},
        {"月工资6500 这个月扣了我3000", {}, 3000},
        {"老板罚我五百 工资才五千", {}, 500},
        {"扣了我3个月工资", {}, std::nullopt},
        {"限速100我跑了118 扣了6分", {6}, std::nullopt},
    };
    for (const Case& c : cases) {
        const DriverFigures figures = figures_in(c.text);
        EXPECT_EQ(figures.points, c.points) << c.text;
        EXPECT_EQ(figures.deducted, c.deducted) << c.text;
    }
    const DriverFigures fast = figures_in("限速100我跑了118 扣了6分");
    EXPECT_EQ(fast.speed_limit, 100);
    EXPECT_EQ(fast.speed, 118);
    EXPECT_EQ(figures_in("开了3年车 跑到120公里").speed, 120);
    EXPECT_EQ(figures_in("限速60 开了3年车").speed, std::nullopt);
}

TEST(FaqSums, PointsAddedUpAgainstTwelveAndTheDeductionCapWorkedThrough) {
    const Entry full_marks = entry_saying("一个记分周期内累计记满12分的，驾驶证被扣留…");
    const Entry deductions =
        entry_saying("每月扣除部分不得超过当月工资的20%，扣完剩下的不能低于当地月最低工资标准");

    const std::string over = sum_for_driver(full_marks, "今年已经扣了9分 这次超速又扣6分 会怎样");
    EXPECT_NE(over.find("9＋6＝15分，够12分了"), std::string::npos) << over;
    const std::string under = sum_for_driver(full_marks, "扣了3分 又被记了6分 还能开吗");
    EXPECT_NE(under.find("3＋6＝9分，还没满12分，这个记分周期再记3分就满了"), std::string::npos)
        << under;
    EXPECT_NE(sum_for_driver(full_marks, "已经扣了10分了 还剩几分").find("还差2分满12分"),
              std::string::npos);
    const Entry speeding =
        entry_saying("高速上超速未达20%记6分，20%以上一次记12分；一次记满12分的…");
    const std::string both =
        sum_for_driver(speeding, "A2的本 今年已经扣了9分了 限速100我跑了118 会不会满12分");
    EXPECT_EQ(both,
              "按您说的（限速100、跑了118）：超速18%；大货车在高速、快速路上记6分，在其他道路上记"
              "1分；不到50%的是警告或罚款20元到200元。\n"
              "按您说的，这个记分周期已经记了9分，还差3分满12分。\n");
    // The road he names gives the band (legal helper, session 26: only the per cent came).
    EXPECT_EQ(sum_for_driver(speeding, "高速上限速100我跑了125 扣几分罚多少"),
              "按您说的（限速100、跑了125）：超速25%，大货车记12分；不到50%的是警告或罚款20元到"
              "200元。\n");
    EXPECT_EQ(sum_for_driver(speeding, "国道限速60我跑了95 会吊本不"),
              "按您说的（限速60、跑了95）：超速58%，大货车记9分；超过50%的罚款200元到2000元，可以"
              "并处吊销驾驶证。\n");
    // Earlier figures give no line to a message that neither states any nor asks about them.
    EXPECT_EQ(sum_for_driver(speeding, "那要是在外地被拍的呢", "国道限速60我跑了95"), "");
    EXPECT_NE(sum_for_driver(speeding, "那要罚多少", "国道限速60我跑了95").find("超速58%"),
              std::string::npos);
    // An answer that sets no big truck's points gives the per cent alone.
    EXPECT_EQ(sum_for_driver(entry_saying("超速50%以上罚款"), "限速100我跑了118"),
              "按您说的（限速100、跑了118）：超速18%。\n");
    EXPECT_EQ(sum_for_driver(speeding, "限速60 开了3年车 第一次被拍"), "");
    // Points said before count when this message asks about them, not for another question.
    EXPECT_NE(sum_for_driver(full_marks, "那我这次扣几分 会不会满", "今年已经扣了9分了")
                  .find("已经记了9分"),
              std::string::npos);
    EXPECT_EQ(sum_for_driver(full_marks, "核载18吨 装了25吨 要扣几分", "扣了9分 又扣6分"), "");
    // One figure that is no question about what is left gives no line.
    EXPECT_EQ(sum_for_driver(full_marks, "扣了6分 能学法减分吗"), "");

    const std::string over_cap = sum_for_driver(deductions, "月工资6500 弄坏了货 老板扣了我3000");
    EXPECT_NE(over_cap.find("也就是1300元"), std::string::npos) << over_cap;
    EXPECT_NE(over_cap.find("超出了1700元"), std::string::npos) << over_cap;
    const std::string within = sum_for_driver(deductions, "工资8000 扣了我500");
    EXPECT_NE(within.find("没有损失、没有依据的，一分也不能扣"), std::string::npos) << within;
    // The cap is for an answer that states it; a wage alone gives nothing.
    EXPECT_EQ(sum_for_driver(full_marks, "月工资6500 老板扣了我3000"), "");
    EXPECT_EQ(sum_for_driver(deductions, "老板扣了我3000"), "");
}

// 国务院关于渐进式延迟法定退休年龄的办法: the KB's own examples (1965-03 man: 60 and a month;
// 1970-03: 61 and 4 months; 1976-09 on: 63; a woman of 50 born 1984-11 on: 55).
TEST(FaqSums, RetirementAgeAndLeastYearsForHisBirth) {
    const Entry retirement =
        entry_saying("从2025年1月1日起实施渐进式延迟退休…领养老金的最低缴费年限从2030年起…");
    EXPECT_EQ(sum_for_driver(retirement, "我77年的 男的 几岁能退休"),
              "按您说的（1977年出生、男）：法定退休年龄是63岁，2040年到龄；那时按月领养老金最少"
              "要交满20年社保。\n");
    EXPECT_NE(sum_for_driver(retirement, "我66年7月生的 男的 我到底哪年退")
                  .find("法定退休年龄是60岁5个月，2026年到龄；那时按月领养老金最少要交满15年"),
              std::string::npos);
    EXPECT_NE(sum_for_driver(retirement, "1970年3月出生的男职工 啥时候退休")
                  .find("61岁4个月，2031年到龄；那时按月领养老金最少要交满16年"),
              std::string::npos);
    // Month unknown: the range over the year.
    EXPECT_NE(sum_for_driver(retirement, "我66年的 男的 啥时候退休").find("60岁4个月到60岁6个月"),
              std::string::npos);
    const std::string woman = sum_for_driver(retirement, "我是女司机 1984年11月生的 几岁退休");
    EXPECT_NE(woman.find("法定退休年龄是55岁，2039年到龄"), std::string::npos) << woman;
    EXPECT_NE(woman.find("原来55岁退休的管理、技术岗位另算"), std::string::npos);
    // Not said: a man is assumed, and said so.
    EXPECT_NE(sum_for_driver(retirement, "我是1980年出生的 啥时候退休").find("按男职工算"),
              std::string::npos);
    // A year that is no birth, or an answer about something else, gives nothing.
    EXPECT_EQ(sum_for_driver(retirement, "2019年换的驾驶证 干了3年"), "");
    EXPECT_EQ(sum_for_driver(entry_saying("超速50%以上罚款"), "我77年的 男的 几岁能退休"), "");
}

// 超限运输车辆行驶公路管理规定 第3条 and 第43条: the answer's own example (五轴车限43吨，称重48吨
// 就是超5吨，罚2500元); the group's "4轴的车 总重38吨" and "五轴50吨罚多少" got the limits table
// cut before the fine (legal helper, session 25).
TEST(FaqSums, TonsOverTheAxleLimitAndTheFine) {
    const Entry overlimit =
        entry_saying("五轴43吨，六轴及以上49吨…超限不到1吨的警告，超过的每超1吨罚500元，最高3万元");
    EXPECT_EQ(sum_for_driver(overlimit, "五轴车称重48吨 罚多少"),
              "按您说的（5轴、车货总重48吨）：五轴车限43吨，超了5吨，罚款2500元。\n");
    EXPECT_EQ(
        sum_for_driver(overlimit, "@卡友小助手 4轴的车 总重38吨 罚了1000 扣了3分 这个对不对"),
        "按您说的（4轴、车货总重38吨）：四轴货车限31吨，超了7吨，罚款3500元；如果是四轴汽车列车"
        "（带挂车）限36吨，超了2吨，罚款1000元。\n");
    EXPECT_EQ(
        sum_for_driver(overlimit, "6轴半挂拉了55吨 限重49吨 罚多少"),
        "按您说的（6轴、车货总重55吨）：六轴及以上的车限49吨，超了6吨，罚款3000元（牵引车驱动轴"
        "是单轴的限46吨）。\n");
    EXPECT_NE(sum_for_driver(overlimit, "六轴的车拉了200吨").find("罚款30000元"),
              std::string::npos);
    // A fine above the sum is questioned; one the sum gives is not.
    EXPECT_NE(sum_for_driver(overlimit, "五轴称了50吨 治超站罚了5000 对吗")
                  .find("您说罚了5000元，比按这条算的多"),
              std::string::npos);
    EXPECT_EQ(sum_for_driver(overlimit, "五轴称了50吨 罚了3500 对吗").find("您说罚了"),
              std::string::npos);
    EXPECT_NE(sum_for_driver(overlimit, "五轴的 总重43吨 算超限吗").find("没有超限"),
              std::string::npos);
    // A fraction of a ton, no axles, or an answer without the per-ton fine: no line.
    EXPECT_EQ(sum_for_driver(overlimit, "五轴 称了48.6吨"), "");
    EXPECT_EQ(sum_for_driver(overlimit, "总重48吨 罚多少"), "");
    EXPECT_EQ(sum_for_driver(entry_saying("超载要罚款、记分"), "五轴48吨"), "");
}

// Corrections after an answer (legal helper, session 25: the rule's sentences came again, or "没看
// 懂"): which messages correct a figure, and the figure he means in place of the one he denies.
// Wages owed, the double wage of no written contract and lost earnings (money helper, session
// 26: "欠我三个月工资 一个月7000" and "帮我算算" got no sum).
TEST(FaqSums, WagesOwedDoubleWageAndLostEarningsAreReadBesideTheirWords) {
    struct Case {
        const char* text;
        std::optional<int> owed;
        std::optional<int> days_off;
        std::optional<long> daily;
        bool no_contract;
    };
    const Case cases[] = {
        {"老板欠我三个月工资 一个月7000 咋办", 3, std::nullopt, std::nullopt, false},
        {"俩月工资没发 月工资6500", 2, std::nullopt, std::nullopt, false},
        {"拖了我4个月的工资了", 4, std::nullopt, std::nullopt, false},
        {"干了3个月 工资一直正常发", std::nullopt, std::nullopt, std::nullopt, false},
        {"没签合同 干了8个月 月工资6000", std::nullopt, std::nullopt, std::nullopt, true},
        {"被撞了 歇了30天没法跑车 一天挣500", std::nullopt, 30, 500, false},
        {"住院20天 每天能跑400", std::nullopt, 20, 400, false},
        {"躺了两个月 一个月能挣1万2", std::nullopt, 60, std::nullopt, false},
        // A day's distance or trips are no income; a day said alone is no time off.
        {"一天跑500公里 干了30天", std::nullopt, std::nullopt, std::nullopt, false},
        {"合同签了 一天500", std::nullopt, std::nullopt, 500, false},
    };
    for (const Case& c : cases) {
        const DriverFigures figures = figures_in(c.text);
        EXPECT_EQ(figures.months_owed, c.owed) << c.text;
        EXPECT_EQ(figures.days_off, c.days_off) << c.text;
        EXPECT_EQ(figures.daily_income, c.daily) << c.text;
        EXPECT_EQ(figures.no_contract, c.no_contract) << c.text;
    }
}

TEST(FaqSums, WagesOwedDoubleWageAndLostEarningsWorkedThrough) {
    const Entry arrears = entry_saying("逾期不付的还要按应付金额50%到100%加付赔偿金");
    const Entry double_wage = entry_saying("每月付你二倍工资（最多算11个月）");
    const Entry lost = entry_saying("误工费按误工时间和收入算");
    EXPECT_EQ(sum_for_driver(arrears, "老板欠我三个月工资 一个月7000 咋办"),
              "按您说的（欠了3个月、每月7000元）：欠的工资一共21000元；劳动监察责令限期支付后还"
              "不给的，另外按应付金额的50%到100%加付赔偿金，也就是10500到21000元。\n");
    // His figures may be in the messages before "帮我算算".
    EXPECT_NE(
        sum_for_driver(arrears, "那我一共能拿多少 你帮我算算", "老板欠我三个月工资 一个月7000")
            .find("一共21000元"),
        std::string::npos);
    // Figures said before head the answer to a message that asks for money, not to every one.
    EXPECT_EQ(sum_for_driver(arrears, "要是他不认呢", "老板欠我三个月工资 一个月7000"), "");
    EXPECT_NE(sum_for_driver(double_wage, "没签合同 干了8个月 月工资6000 能要双倍工资吗")
                  .find("能要7个月，每月另外多付6000元，约42000元"),
              std::string::npos);
    const std::string two_years =
        sum_for_driver(double_wage, "没签合同 干了2年 月工资6000 能要多少");
    EXPECT_NE(two_years.find("能要11个月"), std::string::npos) << two_years;
    EXPECT_NE(two_years.find("无固定期限"), std::string::npos) << two_years;
    EXPECT_NE(sum_for_driver(double_wage, "没签合同 干了1个月 月工资6000 能要双倍吗")
                  .find("不满1个月不签还不算违法"),
              std::string::npos);
    EXPECT_NE(sum_for_driver(lost, "歇了30天没法跑车 一天挣500 误工费咋算").find("误工费约15000元"),
              std::string::npos);
    EXPECT_NE(sum_for_driver(lost, "躺了两个月 一个月能挣1万2 能赔多少")
                  .find("月收入12000元，每天约400元）：误工费约24000元"),
              std::string::npos);
    // A month that does not divide by 30 is shown as he said it and worked as month × days / 30.
    EXPECT_NE(sum_for_driver(lost, "住了20天医院 我一个月挣8000 误工费能赔多少")
                  .find("月收入8000元，每天约266元）：误工费约5333元"),
              std::string::npos);
    // A signed contract, or no question about money, works no double wage.
    EXPECT_EQ(sum_for_driver(double_wage, "干了8个月 月工资6000 能要多少"), "");
    EXPECT_EQ(sum_for_driver(lost, "歇了30天 一天挣500 去哪告"), "");
    EXPECT_TRUE(asks_for_a_sum("那我一共能拿多少 你帮我算算"));
    EXPECT_TRUE(asks_for_a_sum("能赔多少"));
    EXPECT_FALSE(asks_for_a_sum("那要多久"));
    EXPECT_NE(figures_a_sum_needs(arrears).find("欠了几个月"), std::string::npos);
    EXPECT_EQ(figures_a_sum_needs(entry_saying("超速50%以上罚款")), "");
}

// What the legal helper of session 27 asked with his own figures.
TEST(FaqSums, RepairStopWorkPayPensionYearsAndATimeBarredDoubleWage) {
    const DriverFigures crash =
        figures_in("修车报价1万2 停了5天 一天跑一趟净挣800 那我总共能要多少");
    EXPECT_EQ(crash.repair_cost, 12000);
    EXPECT_EQ(crash.days_off, 5);
    EXPECT_EQ(crash.daily_income, 800);
    const Entry operation = entry_saying("停运损失可以要：按修车期间的合理天数和净收入算");
    EXPECT_NE(sum_for_driver(operation, "修车报价1万2 停了5天 一天跑一趟净挣800 那我总共能要多少")
                  .find("修车费12000元＋停运损失约4000元，一共约16000元"),
              std::string::npos);
    // The repair alone is a sum too; the days without an income are not.
    EXPECT_NE(sum_for_driver(operation, "修车花了1万3 能要多少").find("修车费13000元"),
              std::string::npos);
    EXPECT_EQ(sum_for_driver(operation, "停了5天 能要多少"), "");

    const Entry stop_work = entry_saying("停工留薪期内，原工资福利待遇不变，由单位按月照发");
    EXPECT_NE(sum_for_driver(stop_work, "那我住院这20天工资他要给不 我一个月7500")
                  .find("停工20天、原来月工资7500元）：停工留薪期内原工资照发，这段时间单位应发约"
                        "5000元"),
              std::string::npos);
    EXPECT_NE(
        sum_for_driver(stop_work, "休了3个月没上班 原来一个月6500 能要多少").find("约19500元"),
        std::string::npos);

    const Entry pension = entry_saying("达到法定退休年龄时累计缴费满15年，可以按月领取养老金");
    EXPECT_EQ(figures_in("我交了13年社保 还差几年").years_paid, 13);
    EXPECT_NE(sum_for_driver(pension, "我交了13年社保 还差几年").find("最少交满15年，还差2年"),
              std::string::npos);
    EXPECT_EQ(sum_for_driver(pension, "我交了13年社保 能补交吗"), "");  // asks no years
    const Entry retirement =
        entry_saying("从2025年1月1日起实施渐进式延迟退休…领养老金的最低缴费年限从2030年起…");
    EXPECT_NE(sum_for_driver(retirement, "我是1974年的 男的", "我交了13年社保 还差几年")
                  .find("您交了13年，还差5年6个月到6年"),
              std::string::npos);
    // 死亡赔偿金: 20 years under 60, a year less each year from 60, 5 from 75.
    const Entry death = entry_saying("死亡赔偿金按20年算…75周岁以上的一律按5年算");
    const std::string brother =
        sum_for_driver(death, "我哥被渣土车撞了 人没了 才38岁 家里还有两个孩子 我们家能要多少赔偿");
    EXPECT_NE(brother.find("去世时38岁）：死亡赔偿金按20年算"), std::string::npos) << brother;
    EXPECT_NE(brother.find("约100万元"), std::string::npos) << brother;
    EXPECT_NE(sum_for_driver(death, "我爸68岁 被撞死了 能赔多少").find("按12年算"),
              std::string::npos);
    EXPECT_NE(sum_for_driver(death, "老人80岁了 能赔多少").find("按5年算"), std::string::npos);
    EXPECT_EQ(sum_for_driver(death, "我哥38岁 被撞了 去哪告"), "");  // asks no money
    // A sum of wages for months is no month's wage.
    const DriverFigures four_months = figures_in("俺主要是钱 四个月工资两万多 老板一直拖");
    EXPECT_EQ(four_months.monthly_wage, 5000);
    EXPECT_EQ(figures_in("扣着俺两个月工资一万二").monthly_wage, 6000);
    EXPECT_EQ(figures_in("月工资6500 欠了3个月").monthly_wage, 6500);
    // A deduction still to come, said in two messages, is one deduction.
    EXPECT_EQ(figures_in("我驾驶证今年已经扣了9分了 再扣6分是不是就满了 治超站说要扣我6分").points,
              (std::vector<int>{9, 6}));
    EXPECT_EQ(figures_in("扣了6分 又扣了6分").points, (std::vector<int>{6, 6}));
    // An age stands for the birth year when this year is known; a gap is not the years paid.
    EXPECT_EQ(figures_in("我今年52了 男的").age, 52);
    EXPECT_EQ(figures_in("52岁 交了11年").age, 52);
    EXPECT_EQ(figures_in("今年交了3万").age, std::nullopt);
    EXPECT_EQ(figures_in("我前面停交了三年 18年到21年没交").years_paid, std::nullopt);
    const std::string by_age =
        sum_for_driver(retirement, "我今年52了 男的", "交了11年", false, 20261203);
    EXPECT_NE(by_age.find("今年52岁，按1974年出生算、男"), std::string::npos) << by_age;
    EXPECT_NE(by_age.find("62岁4个月到62岁6个月"), std::string::npos) << by_age;
    EXPECT_NE(by_age.find("您交了11年，还差7年6个月到8年"), std::string::npos) << by_age;
    EXPECT_EQ(sum_for_driver(retirement, "我今年52了 男的"), "");  // no year, no birth
    EXPECT_NE(sum_for_driver(retirement, "还有个事 我前面停交了三年 能补不",
                             "我今年52了 男的 交了11年", false, 20261203)
                  .find("您交了11年"),
              std::string::npos);

    // Two figures corrected at once, one with 不是 and one without.
    EXPECT_EQ(with_corrected_figures("说错了 是四年零四个月 工资是8500不是7500",
                                     "在这家干了3年4个月 月工资7500 被开除了能赔多少"),
              "在这家干了4年4个月 月工资8500 被开除了能赔多少");
    // A correction's months owed end the clause; "电话多少" asks no money.
    EXPECT_EQ(figures_in("说错了 是欠4个月").months_owed, 4);
    EXPECT_EQ(figures_in("房租欠4个月了吗").months_owed, std::nullopt);
    const Entry arrears = entry_saying("逾期不付的还要按应付金额50%到100%加付赔偿金");
    EXPECT_EQ(sum_for_driver(arrears, "武进劳动仲裁在哪 电话多少", "老板欠我3个月工资 一个月7000"),
              "");
    // The court fee for his sum; wages go to arbitration, free, and 10 yuan in court.
    const Entry fee =
        entry_saying("案件受理费1万元以下每件50元，超过1万到10万元的部分按2.5%；简易程序减半");
    EXPECT_NE(sum_for_driver(fee, "3万8的话诉讼费要交多少")
                  .find("约750元，走简易程序或小额诉讼减半，约375元"),
              std::string::npos);
    EXPECT_NE(sum_for_driver(fee, "我要告他 要花多少钱 我要的是5万", "老板欠我工资5万")
                  .find("每件只交10元"),
              std::string::npos);
    EXPECT_EQ(sum_for_driver(fee, "欠我运费3万8 我要告他"), "");  // no fee asked
    EXPECT_NE(sum_for_driver(fee, "告他要20万 诉讼费多少").find("约4300元"), std::string::npos);
    // A figure corrected in an earlier message is read as corrected on later turns.
    EXPECT_EQ(figures_said_before({"限速100 我跑了128", "等下我看错了 是118不是128"}),
              "等下我看错了 是118不是128 限速100 我跑了118 ");
    EXPECT_EQ(figures_said_before({"老板欠我三个月工资", "一个月7000"}),
              "一个月7000 老板欠我三个月工资 ");
    const Entry speeding = entry_saying("超速20%以上50%以下的，罚款200元，记6分");
    EXPECT_NE(
        sum_for_driver(speeding, "罚款呢 河南这边罚多少",
                       figures_said_before({"限速100 我跑了128", "等下我看错了 是118不是128"}))
            .find("跑了118"),
        std::string::npos);
    // The tons over said outright, without the gross weight.
    const Entry overlimit = entry_saying("超限的每超1吨罚500元，最高3万元");
    EXPECT_EQ(figures_in("那罚款呢 超6吨罚多少 俺是四轴的").tons_over, 6);
    EXPECT_NE(sum_for_driver(overlimit, "那罚款呢 超6吨罚多少 俺是四轴的").find("罚款约3000元"),
              std::string::npos);
    EXPECT_EQ(figures_in("核载18吨 超了2吨").tons_over, 2);
    // A death's days in hospital are no days off work.
    EXPECT_EQ(
        sum_for_driver(stop_work,
                       "我老公被撞了 人没抢救过来 在医院ICU住了3天 他每个月工资八千五 能要多少"),
        "");
    // Every band: 120万 is 15,600 yuan (the table stopped at 100万).
    EXPECT_NE(sum_for_driver(fee, "要是打官司要他们赔120万 诉讼费得交多少").find("约15600元"),
              std::string::npos);
    // Two years in, the double wage's year to claim has likely run out: said with the sum.
    const Entry double_wage = entry_saying("每月付你二倍工资（最多算11个月）");
    const std::string eight_years =
        sum_for_driver(double_wage, "8年没签合同 月工资6000 能要双倍工资不", "干了8年");
    EXPECT_NE(eight_years.find("很可能要不回来了"), std::string::npos) << eight_years;
    EXPECT_EQ(sum_for_driver(double_wage, "没签合同 干了8个月 月工资6000 能要双倍工资吗")
                  .find("要不回来"),
              std::string::npos);
}

TEST(FaqSums, ACorrectedFigureReplacesTheOneHeDenies) {
    for (const char* text : {"说错了 是干了4年2个月", "不对 修了12天不是8天",
                             "我刚才说的是扣6分 不是12分", "不对 月工资是7000不是6500",
                             "说错了 是欠了四个月", "改一下 工资是7500", "说差了 花了12万"})
        EXPECT_TRUE(corrects_a_figure(text)) << text;
    for (const char* text : {"说错了", "不是我开的车", "老板欠我3个月工资", "不对吧 这不合理"})
        EXPECT_FALSE(corrects_a_figure(text)) << text;
    EXPECT_EQ(without_denied_figures("是欠了4个月 不是3个月"), "是欠了4个月 ");
    EXPECT_EQ(without_denied_figures("修了12天不是8天"), "修了12天");
    EXPECT_EQ(
        with_corrected_figures("我刚才说的是扣3分 不是6分", "今年已经扣了9分 这次超速又扣6分"),
        "今年已经扣了9分 这次超速又扣3分");
    EXPECT_EQ(with_corrected_figures("不对 月工资是7000不是6500", "干了3年 月工资6500 能赔多少"),
              "干了3年 月工资7000 能赔多少");
    // "一个月7500" is his monthly wage, not one month (it gave "欠了1个月、每月8000"; money
    // helper, session 28).
    EXPECT_EQ(with_corrected_figures("不对 是5个月 一个月7500", "公司欠我4个月工资 每月8000"),
              "公司欠我5个月工资 每月7500");
    EXPECT_EQ(with_corrected_figures("改一下 工资是7500", "公司欠我4个月工资 每月8000"),
              "公司欠我4个月工资 每月7500");
    // A limit said before is no figure of his: the weight he hauled is corrected (session 28).
    EXPECT_EQ(with_corrected_figures("不对是五十二吨", "六轴半挂 核载49吨 拉了五十五吨 罚多少"),
              "6轴半挂 核载49吨 拉了52吨 罚多少");
    // Numerals come back as digits once a figure is replaced.
    EXPECT_EQ(with_corrected_figures("修了十二天 不是八天", "车修了8天 一天800"),
              "车修了12天 1天800");
    // Nothing denied, or nothing of it said before: as it was.
    EXPECT_EQ(with_corrected_figures("说错了 是干了4年2个月", "干了三年 月工资6500"),
              "干了三年 月工资6500");
    EXPECT_EQ(with_corrected_figures("是5吨不是4吨", "拉了六吨"), "拉了六吨");
    // One figure given and one of its unit said before: that one is meant (money helper,
    // session 26: "说错了 是过磅55吨" after "58吨" kept the larger 58).
    EXPECT_EQ(with_corrected_figures("说错了 是过磅55吨", "六轴半挂 过磅58吨 罚多少"),
              "6轴半挂 过磅55吨 罚多少");
    EXPECT_EQ(with_corrected_figures("不是58 是55吨", "六轴半挂 过磅58吨 罚多少"),
              "6轴半挂 过磅55吨 罚多少");
    // "是不是7万块" asks whether his sum is right; it corrects nothing.
    EXPECT_FALSE(corrects_a_figure("二倍工资 10个月 每月7000 是不是7万块"));
    EXPECT_EQ(sum_he_states("二倍工资 10个月 每月7000 是不是7万块"), 70000);
    EXPECT_EQ(sum_he_states("十级 5500 伤残补助金是不是38500"), 38500);
    EXPECT_EQ(sum_he_states("月工资7000 是不是这么算"), std::nullopt);
    EXPECT_EQ(sum_he_states("二倍工资能要7万块"), std::nullopt);
    EXPECT_TRUE(sum_holds("约70000元。", 70000));
    EXPECT_FALSE(sum_holds("约170000元。", 70000));
}

// "23年3月进的车队" is a date, not three months of service; "80跑96" is a limit and a speed
// (legal helper, session 26).
TEST(FaqSums, ACalendarMonthIsNoLengthOfServiceAndALimitMayComeFirst) {
    EXPECT_EQ(figures_in("23年3月进的车队 一直没签合同 今年5月被辞了 一个月6500").months_worked,
              std::nullopt);
    EXPECT_EQ(figures_in("干了8个月 月工资6000").months_worked, 8);
    const DriverFigures speeding = figures_in("我就问我这个 80跑96 到底扣几分");
    EXPECT_EQ(speeding.speed_limit, 80);
    EXPECT_EQ(speeding.speed, 96);
}

// "六轴的到底限重多少 是49吨还是多少" asks the limit: 49 is no weight of his (legal helper,
// session 26: "没有超限" for a truck 3 tons over).
// "核载18吨 拉了27吨 超多少 咋罚" got choices, then a handoff (legal helper, session 29): the
// tons and per cent over the rated load, and the fine's band; the points go by another weight.
TEST(FaqSums, OverTheRatedLoadInTonsAndPerCent) {
    const Entry overload = entry_saying(
        "货车超过核定载质量不到30%的，罚200元以上500元以下；超过30%的，罚500元以上2000元以下");
    EXPECT_EQ(sum_for_driver(overload, "核载18吨 拉了27吨 超多少 咋罚"),
              "按您说的（核载18吨、拉了27吨）：超载9吨，超过核定载质量50%，罚款500元到2000元；"
              "记几分按车和货的总质量超过行驶证上“总质量”的比例算（不到30%记1分，30%到50%记3分，"
              "50%以上记6分）。\n");
    EXPECT_NE(sum_for_driver(overload, "核定载质量30吨 装了35吨 罚多少")
                  .find("超过核定载质量16%，罚款200元到500元"),
              std::string::npos);
    // A fine above the band is questioned (session 29: 29 % over, fined 2000).
    EXPECT_NE(sum_for_driver(overload, "核载31吨拉了40吨 罚了两千扣了6分 这合理不")
                  .find("您说罚了2000元，比这一档多"),
              std::string::npos);
    // Not over, or no rating: no line.
    EXPECT_EQ(sum_for_driver(overload, "核载30吨 拉了28吨 罚不罚"), "");
    EXPECT_EQ(sum_for_driver(overload, "拉了27吨 罚多少"), "");
    EXPECT_EQ(figures_in("核载18吨 拉了27吨").rated_tons, 18);
    EXPECT_EQ(figures_in("核载18吨 拉了27吨").gross_tons, 27);
    // His weight said as the truck and load together: the points if his first figure is the
    // licence's 总质量, and what his points left come to ("扣几分 俺就剩6分了" went unanswered
    // three times; fines helper, session 30).
    const std::string gross = sum_for_driver(overload, "核载49吨 总重55吨 扣几分 俺只剩6分了");
    EXPECT_NE(gross.find("要是49吨是行驶证上的总质量，超了12%，记1分；您说还剩6分，记完还剩5分"),
              std::string::npos)
        << gross;
    EXPECT_NE(sum_for_driver(overload, "核载30吨 总重48吨 还剩3分").find("这次就记满12分了"),
              std::string::npos);
}

// "那我驾照只剩4分了 再扣6分会咋样" and "高速上限速100跑了128 扣几分 我就剩8分了" got the rules
// without a word on his points (fines helper, session 30).
TEST(FaqSums, ThePointsHeSaysAreLeftAreWorkedThrough) {
    const Entry points = entry_saying("一个记分周期内记满12分的，驾驶证被扣留，要参加满分学习。");
    EXPECT_EQ(sum_for_driver(points, "那我驾照只剩4分了 再扣6分会咋样"),
              "按您说的，再记6分，您说只剩4分，这次就记满12分了，驾驶证会被扣留，要参加满分学习和"
              "考试（大车30天），这期间不能开车。\n");
    EXPECT_EQ(sum_for_driver(points, "还剩下9分 又扣了3分"),
              "按您说的，再记3分，您说还剩9分，记完还剩6分，不会满分。\n");
    const Entry speeding = entry_saying("大货车在高速公路上超速未达20%记6分，20%以上一次记12分。");
    EXPECT_NE(sum_for_driver(speeding, "高速上限速100跑了115 扣几分 我就剩8分了")
                  .find("大货车记6分；您说还剩8分，记完还剩2分"),
              std::string::npos);
}

// "欠我三个月工资一个月6500 还有押金2000没退 总共该给我多少" left the deposit out (legal helper,
// session 29).
TEST(FaqSums, ADepositNotReturnedIsAddedToTheWagesOwed) {
    const Entry arrears = entry_saying("逾期不付的还要按应付金额50%到100%加付赔偿金");
    const std::string sum =
        sum_for_driver(arrears, "老板欠我三个月工资一个月6500 还有押金2000没退 总共该给我多少");
    EXPECT_NE(sum.find("欠的工资一共19500元，加上没退的押金2000元，一共21500元"), std::string::npos)
        << sum;
    EXPECT_EQ(figures_in("交了3000块押金").deposit, 3000);
    EXPECT_EQ(figures_in("押金要交多少").deposit, std::nullopt);
}

// "多久能拿到" after a disability sum asks when, not how much (session 29: the sum came again).
TEST(FaqSums, WhenItIsPaidAsksNoSum) {
    const Entry disability = entry_saying("一次性伤残补助金：十级伤残为7个月的本人工资");
    const std::string before = "评了十级伤残 月工资6000";
    EXPECT_NE(sum_for_driver(disability, "能拿多少", before), "");
    EXPECT_EQ(sum_for_driver(disability, "那多久能拿到", before), "");
}

// Session 29's legal helper: a correction that showed the old figure while saying it used his,
// and "一天五百 要十天" read as one day off.
TEST(FaqSums, CorrectionsAndDaysOffAfterARate) {
    EXPECT_EQ(with_corrected_figures("不是九千是八千五", "老板欠我两个月工资 月工资九千"),
              "老板欠我2个月工资 月工资8500");
    EXPECT_NE(with_corrected_figures("不对 是51吨", "过治超站 六轴车拉了52吨 说超了3吨 罚多少")
                  .find("51吨"),
              std::string::npos);
    EXPECT_EQ(figures_in("对方还说要误工费 一天五百 要十天 合理不").days_off, 10);
    EXPECT_EQ(figures_in("对方还说要误工费 一天五百 要十天 合理不").daily_income, 500);
    EXPECT_EQ(figures_in("歇了30天 一天挣500").days_off, 30);
}

// "扣了8000 实际损失就3000 能要回来不" (legal helper, session 29: no figure).
TEST(FaqSums, ADeductionAboveTheRealLossIsOwedBack) {
    const Entry damage =
        entry_saying("只按货物的实际损失赔，赔偿可以和运费抵扣，但扣的不能超过实际损失");
    EXPECT_EQ(sum_for_driver(damage, "货损了货主扣运费 扣了8000 实际损失就3000 能要回来不"),
              "按您说的（扣了8000元、货的实际损失3000元）：多扣了5000元，这部分可以要回来；真是您的"
              "责任也只按实际损失赔。\n");
    EXPECT_EQ(figures_in("碎的那些也就值3000块").real_loss, 3000);
    EXPECT_EQ(sum_for_driver(damage, "扣了2000 实际损失3000"), "");
}

TEST(FaqSums, ATonnageAskedAboutIsNoWeightOfHis) {
    EXPECT_EQ(figures_in("六轴半挂 说超了3吨 六轴的到底限重多少 是49吨还是多少").gross_tons,
              std::nullopt);
    EXPECT_EQ(figures_in("六轴半挂 称出来52吨").gross_tons, 52);
}

}  // namespace
}  // namespace kayou::faq
