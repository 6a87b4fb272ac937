#pragma once
// The sums a driver's own figures give. "干了2年4个月 月工资6500 被开除了能赔多少" got the rule
// ("每满1年给1个月工资 …") and had to do the arithmetic himself (legal helper, session 22): the
// answer now says what the rule gives for his numbers, first, and the rule after.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::faq {

struct Entry;

// The figures a message states. Each is read only beside the words that name it, so "欠我3个月
// 工资" is no length of service and "苏D12345" no wage.
struct DriverFigures {
    std::optional<long> monthly_wage;  // yuan: "月工资6500", "一个月6千5", "每月七千"
    std::optional<int> months_worked;  // "干了2年4个月", "在这做了两年半", "上了八个月班"
    bool months_more = false;  // "干了一年多": more than months_worked, under a year more
    std::optional<int> disability_grade;  // 1..10: "评了十级伤残", "9级伤残"
    std::vector<int> points;  // each deduction of licence points he states: "扣了9分", "又记6分"
    std::optional<long> deducted;  // yuan taken from his wage: "扣了我3000", "罚我500"
    std::optional<long> deposit;   // yuan he paid as a deposit, not returned: "押金2000没退"
    std::optional<long>
        real_loss;  // yuan the goods lost were worth: "实际损失就3000", "也就值3000"
    std::optional<int> speed_limit;  // km/h: "限速100"
    std::optional<int> speed;        // km/h: "跑了118", "开到90"
    std::optional<int> born_year;    // "我77年的", "1966年7月生的"
    int born_month = 0;              // 1..12, 0 when not said
    std::optional<int> age;          // "我今年52了", "52岁": his birth year, given this year
    std::optional<int> axles;        // 2..: "五轴", "6轴的半挂"
    bool trailer = false;            // 挂 / 半挂 / 列车: an 汽车列车
    std::optional<int> gross_tons;   // whole tons: "总重38吨", "称了50吨", "拉了55吨"
    std::optional<int> tons_over;    // tons over the limit, said outright: "超了6吨"
    std::optional<int> rated_tons;  // the truck's rated load: "核载18吨", "核定载质量18吨"
    std::optional<int> months_owed;  // wages not paid: "欠我3个月工资", "俩月工资没发"
    bool no_contract = false;        // "没签合同", "一直不签劳动合同"
    std::optional<int> days_off;  // days he could not work: "歇了30天", "住院20天", "躺了仨月"
    std::optional<long> daily_income;  // yuan a day: "一天挣500", "每天能跑400"
    std::optional<int> trips;          // loads hauled: "拉了3趟", "跑了4趟"
    std::optional<long> per_trip;      // yuan a load: "每趟4500", "一趟3800块"
    std::optional<long> repair_cost;  // yuan: "修车报价1万2", "修车花了1万3", "修理费12000"
    std::optional<int> years_paid;  // years of pension contributions: "交了13年", "缴了15年"
    // yuan he sues for, in a message about court fees: "3万8的话诉讼费要交多少"
    std::optional<long> claim;

    // Whether the text states any figure at all.
    bool any() const;
};
DriverFigures figures_in(std::string_view text);

// The number `text` starts with, in digits or Chinese numerals ("6500", "两", "十二", "七千五",
// "6千5", "1.2万"); empty when it starts with none.
std::optional<long> number_at(std::string_view text);

// What `answered`'s rule gives for the figures in `text`, as one line for the top of the answer:
// the economic compensation (and the 2N of an unlawful dismissal) for an answer about 经济补偿 when
// he gives his length of service and wage and asks about money; the one-off disability allowance
// for an answer about 一次性伤残补助金 when he gives his grade and wage; the points he has lost
// this cycle, added up against 12, for an answer about 记满12分 (记分办法 第20条); the 20 % a month
// that may be taken from his wage (工资支付暂行规定 第16条) against what was taken, for an answer
// about that cap; how far over the limit he drove, in per cent, for an answer that sets points
// by it; his retirement age, the year he reaches it and the least years of contributions then,
// for an answer about the delayed retirement or the minimum years; for an answer that fines the
// tons over an axle limit (超限运输车辆行驶公路管理规定 第43条), his axles and gross weight worked
// into the tons over and the fine. The lines that apply, in that order; empty when none does.
// `said_before`: his earlier messages, whose figures count too (the ones in `text` first); what
// he asks about is read in `text` alone.
// `sum_asked`: the message asks for the sum itself ("帮我算算", "是不是7万"), as a question
// about money would.
// `today`: the Beijing date as yyyymmdd, so an age he gives ("我今年52了") stands for his birth
// year and a date of his case ("前年八月 … 还来得及不") gives the end of the limitation period the
// answer sets (faq::limitation_for_driver, which comes first when it applies); 0 reads neither.
std::string sum_for_driver(const Entry& answered, std::string_view text,
                           std::string_view said_before = {}, bool sum_asked = false,
                           int today = 0);

// sum_for_driver without its limitation line: the worked sum alone, for a caller that has read
// the limitation period already (legal_service's answer_the_sum_found skips an entry for it).
std::string worked_sum_for_driver(const Entry& answered, std::string_view text,
                                  std::string_view said_before, bool sum_asked, int today);

// "那我一共能拿多少 你帮我算算", "能赔多少": a message that asks for a sum of his case.
bool asks_for_a_sum(std::string_view text);

// "二倍工资 10个月 每月7000 是不是7万块", "伤残补助金是不是38500": the sum he worked out himself
// and asks about (the largest figure of 100 or more in a message that asks whether it is right).
std::optional<long> sum_he_states(std::string_view text);

// Whether a worked sum (sum_for_driver) holds `figure` among its numbers, or one within
// `tolerance` of it (a share: 0.02 takes "6万1" for 61,200).
bool sum_holds(std::string_view sum, long figure, double tolerance = 0);

// "那我一共能拿多少 你帮我算算": a sum asked and nothing else ("公司把我开除了 能赔多少" asks a
// question of its own, fewer than three other characters being fillers).
bool asks_only_for_a_sum(std::string_view text);

// The figures `answered`'s rule needs from him to work a sum ("月工资和欠了几个月"), "" when it
// works none.
std::string figures_a_sum_needs(const Entry& answered);

// "说错了 是干了4年2个月", "不对 修了12天不是8天", "我刚才说的是扣6分 不是12分": a figure of his
// story corrected, in a short message that says so (a correction word, or 不是 beside a number)
// and holds a number. Outside the join form (its own edits are the form's).
bool corrects_a_figure(std::string_view text);

// The message without what it denies: "是欠了4个月 不是3个月" -> "是欠了4个月 ", "修了12天不是8
// 天" -> "修了12天", so that the figure he means is the one read.
std::string without_denied_figures(std::string_view text);

// His earlier messages with each figure the correction denies replaced by the one it gives:
// "扣了9分 这次又扣6分" corrected by "是扣3分 不是6分" -> "扣了9分 这次又扣3分" (points add up,
// so the denied 6 must go, not only come second); numerals then come back as digits. `earlier`
// as it was when nothing it holds is denied.
std::string with_corrected_figures(std::string_view correction, std::string_view earlier);

// His earlier messages (oldest first) joined newest first for sum_for_driver's `said_before`,
// each correction applied to the messages before it: "跑了128" then "等下我看错了 是118不是128"
// reads 118 on every later turn (the next answer had gone back to 128; fines helper, session 31).
std::string figures_said_before(const std::vector<std::string>& oldest_first);

}  // namespace kayou::faq
