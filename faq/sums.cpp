#include "faq/sums.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <initializer_list>

#include "faq/analyzer.hpp"
#include "faq/follow_up.hpp"
#include "faq/limitation.hpp"
#include "faq/script.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::faq {
namespace {

bool is_arabic(char32_t cp) { return cp >= U'0' && cp <= U'9'; }

// 千 / 万 (and k / w as typed) after digits: "6千5", "1.2万", "8k".
long unit_after_digits(char32_t cp) {
    if (cp == U'千' || cp == U'k' || cp == U'K') return 1000;
    if (cp == U'万' || cp == U'w' || cp == U'W') return 10000;
    return 0;
}

// The number at the start of `text`, whose Chinese numerals are already digits (fold_numbers):
// "6500", "6千5", "1.2万"; `used` gets how many code points it took.
std::optional<long> number_in(std::u32string_view text, std::size_t& used) {
    used = 0;
    std::size_t at = 0;
    long whole = 0;
    constexpr long kLargest = 100'000'000;
    while (at < text.size() && is_arabic(text[at]) && whole < kLargest)
        whole = whole * 10 + static_cast<long>(text[at++] - U'0');
    if (at == 0) return std::nullopt;
    long tenths = whole * 10;
    if (at + 1 < text.size() && text[at] == U'.' && is_arabic(text[at + 1])) {
        tenths += static_cast<long>(text[at + 1] - U'0');
        at += 2;
        while (at < text.size() && is_arabic(text[at])) ++at;
    }
    const long unit = at < text.size() ? unit_after_digits(text[at]) : 0;
    if (unit == 0) {
        used = at;
        return tenths / 10;
    }
    long value = tenths * unit / 10;
    ++at;
    // "6千5", "1万2": a digit after the unit is one place below it.
    if (at < text.size() && is_arabic(text[at]) &&
        (at + 1 >= text.size() || !is_arabic(text[at + 1])))
        value += static_cast<long>(text[at++] - U'0') * (unit / 10);
    used = at;
    return value;
}

// What a driver wrote, as the figures are read: width folded, Chinese numerals as digits
// ("两年半" -> "2年半", "七千五" -> "7500").
std::u32string prepared(std::string_view raw) {
    // "5000一个月" would fold to "50001个月": a digit numeral right after digits starts a word.
    constexpr std::u32string_view kDigitNumerals = U"零一二两三四五六七八九";
    std::u32string spaced;
    const std::u32string decoded = text::decode_utf8(text::fold_width(raw));
    for (std::size_t at = 0; at < decoded.size(); ++at) {
        char32_t cp = decoded[at];
        // "俩月", "仨月", "俩年": two and three before a unit of time ("我们俩" stays).
        if ((cp == U'俩' || cp == U'仨') && at + 1 < decoded.size() &&
            std::u32string_view(U"个月年天").find(decoded[at + 1]) != std::u32string_view::npos)
            cp = cp == U'俩' ? U'两' : U'三';
        if (!spaced.empty() && is_arabic(spaced.back()) &&
            kDigitNumerals.find(cp) != std::u32string_view::npos)
            spaced.push_back(U' ');
        // "8千一个月" is 8000 a month, not 8100 (victims helper, session 30): 一个 starts a word.
        if (!spaced.empty() && (spaced.back() == U'千' || spaced.back() == U'万') && cp == U'一' &&
            at + 1 < decoded.size() && decoded[at + 1] == U'个')
            spaced.push_back(U' ');
        spaced.push_back(cp);
    }
    return fold_numbers(spaced);
}

bool mentions(std::u32string_view text, std::initializer_list<std::u32string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](std::u32string_view word) {
        return text.find(word) != std::u32string_view::npos;
    });
}

// Whether one of `words` ends within `reach` code points before `at`.
bool said_before(std::u32string_view text, std::size_t at, std::size_t reach,
                 std::initializer_list<std::u32string_view> words) {
    const std::size_t from = at > reach ? at - reach : 0;
    return mentions(text.substr(from, at - from), words);
}

// The length of the first of `words` that `text` has at `at` (longer words first where one
// starts another: 个多月 before 个月), or 0.
std::size_t word_at(std::u32string_view text, std::size_t at,
                    std::initializer_list<std::u32string_view> words) {
    const std::u32string_view rest = text.substr(std::min(at, text.size()));
    for (const std::u32string_view word : words)
        if (rest.starts_with(word)) return word.size();
    return 0;
}

bool said_after(std::u32string_view text, std::size_t at,
                std::initializer_list<std::u32string_view> words) {
    return word_at(text, at, words) != 0;
}

// "2年4个月", "两年半", "八个月", "3年": months, and where it ends; empty when the number at `at`
// is no length of time.
std::optional<int> months_at(std::u32string_view text, std::size_t at, std::size_t& end) {
    std::size_t used = 0;
    const auto first = number_in(text.substr(at), used);
    if (!first || *first > 60) return std::nullopt;
    std::size_t next = at + used;
    // "23年3月进的车队", "5月份": a month of the calendar, no length of time (it was read as 3
    // months of service; legal helper, session 26).
    const bool calendar_month = said_after(text, next, {U"月"}) &&
                                ((at > 0 && text[at - 1] == U'年') ||
                                 said_after(text, next + 1,
                                            {U"份", U"号", U"底", U"初", U"中", U"进", U"入",
                                             U"开始", U"到", U"被", U"走", U"离"}));
    if (calendar_month) return std::nullopt;
    if (const std::size_t unit = word_at(text, next, {U"个多月", U"个月", U"月"})) {
        end = next + unit;
        return static_cast<int>(*first);
    }
    if (!said_after(text, next, {U"年"})) return std::nullopt;
    int months = static_cast<int>(*first) * 12;
    next += 1;
    // "一年多": more than a year and less than two; the caller reads the 多.
    if (said_after(text, next, {U"多"}) && !said_after(text, next, {U"多少"})) {
        end = next;
        return months;
    }
    if (said_after(text, next, {U"半"})) {
        end = next + 1;
        return months + 6;
    }
    if (said_after(text, next, {U"零"})) ++next;
    std::size_t more_used = 0;
    if (const auto more = number_in(text.substr(next), more_used); more && *more < 12) {
        const std::size_t after = next + more_used;
        if (const std::size_t unit = word_at(text, after, {U"个多月", U"个月"})) {
            end = after + unit;
            return months + static_cast<int>(*more);
        }
    }
    end = next;
    return months;
}

constexpr std::initializer_list<std::u32string_view> kWorked = {
    U"干",   U"做",   U"工作", U"上班", U"上了", U"开了",   U"跑了", U"入职", U"待了", U"呆了",
    U"跟了", U"跟他", U"在这", U"在他", U"在厂", U"在公司", U"工龄", U"进去", U"进来", U"进厂"};
constexpr std::initializer_list<std::u32string_view> kMonthlyBefore = {
    U"月工资", U"月薪",   U"1个月",  U"每个月", U"每月", U"月入",   U"1月",
    U"底薪",   U"工资是", U"工资有", U"工资",   U"平均", U"月能挣", U"月挣"};
constexpr std::initializer_list<std::u32string_view> kMonthlyAfter = {
    U"1个月", U"1月", U"每月", U"/月", U"块1个月", U"元1个月", U"块钱1个月", U"块/月", U"元/月"};

constexpr std::initializer_list<std::u32string_view> kDrovePast = {
    U"跑了", U"开了", U"跑到", U"开到", U"时速", U"车速", U"开的", U"跑的", U"开", U"跑"};
constexpr std::initializer_list<std::u32string_view> kNoSpeedAfter = {
    U"年", U"个", U"天", U"趟", U"次", U"万", U"千",
    U"块", U"元", U"吨", U"分", U"%",  U"多", U"米"};

// "五轴 总重50吨", "6轴半挂拉了55吨": the axles, whether it is an 汽车列车, and the gross weight
// in whole tons (the largest tonnage that is no limit, rating or excess; none when it has a
// fraction, which the per-ton fine would have to round).
void read_truck_weight(std::u32string_view text, DriverFigures& figures) {
    for (std::size_t at = text.find(U'轴'); at != std::u32string_view::npos;
         at = text.find(U'轴', at + 1)) {
        if (at == 0 || !is_arabic(text[at - 1]) || (at >= 2 && is_arabic(text[at - 2]))) continue;
        const int axles = static_cast<int>(text[at - 1] - U'0');
        if (axles >= 2) figures.axles = axles;
        break;
    }
    figures.trailer = mentions(text, {U"挂", U"列车", U"拖头", U"牵引"});
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (at > 0 && (is_arabic(text[at - 1]) || text[at - 1] == U'.')) continue;
        std::size_t used = 0;
        const auto value = number_in(text.substr(at), used);
        if (!value || !said_after(text, at + used, {U"吨"})) continue;
        // "核载18吨 拉了27吨": the rating, against which his load is over (超载).
        if (!figures.rated_tons && *value >= 1 && *value <= 100 &&
            said_before(text, at, 6, {U"核载", U"核定", U"额定", U"准载"}) &&
            !said_before(text, at, 2, {U"超", U"拉", U"装"})) {
            figures.rated_tons = static_cast<int>(*value);
            continue;
        }
        // "超了6吨", "超重6吨": the tons over the limit, said without the gross weight.
        if (!figures.tons_over && *value >= 1 && *value <= 60 &&
            said_before(text, at, 2, {U"超", U"超了", U"超重", U"超载", U"多拉了", U"多装了"}) &&
            !said_before(text, at, 6, {U"核载", U"核定", U"额定", U"准载"})) {
            figures.tons_over = static_cast<int>(*value);
            continue;
        }
        // "六轴的限重多少 是49吨还是多少" asks about the limit; it is no weight of his.
        if (said_before(text, at, 3, {U"限", U"核定", U"额定", U"超", U"标", U"准载", U"载重"}) ||
            said_before(text, at, 8, {U"限重", U"限多少", U"限载"}) ||
            said_after(text, at + used + 1, {U"还是", U"吗"}))
            continue;
        if (text.substr(at, used).find(U'.') != std::u32string_view::npos) {
            figures.gross_tons.reset();
            return;
        }
        if (*value >= 10 && *value <= 200 && (!figures.gross_tons || *value > *figures.gross_tons))
            figures.gross_tons = static_cast<int>(*value);
    }
}

// "欠我3个月工资", "俩月工资没发", "拖了半年工资": the months of wages owed.
std::optional<int> months_owed_at(std::u32string_view text, std::size_t at) {
    std::size_t end = at;
    const auto months = months_at(text, at, end);
    if (!months || *months == 0 || *months > 36) return std::nullopt;
    const bool owed_before = said_before(text, at, 4, {U"欠", U"拖", U"压"});
    std::size_t wage_at = end + word_at(text, end, {U"的"});
    const std::size_t wage = word_at(text, wage_at, {U"工资", U"工钱", U"薪水"});
    // "说错了 是欠4个月": the months owed end his clause (the correction was read only once; the
    // next answer went back to 3 months; legal helper, session 27).
    const bool clause_ends = end == text.size() || text[end] == U' ' || text[end] == U'，' ||
                             text[end] == U',' || text[end] == U'。';
    if (wage == 0)
        return owed_before && (clause_ends || said_after(text, end, {U"没发", U"没给", U"没结"}))
                   ? months
                   : std::nullopt;
    wage_at += wage;
    if (owed_before || said_after(text, wage_at,
                                  {U"没发", U"没给", U"没结", U"没拿", U"不给", U"没到", U"都没",
                                   U"还没", U"一直没"}))
        return months;
    return std::nullopt;
}

// The days he could not work after an injury: "歇了30天", "住院20天", "躺了仨月" (a month as 30
// days), read after the words that say so.
std::optional<int> days_off_at(std::u32string_view text, std::size_t at) {
    static constexpr std::initializer_list<std::u32string_view> kOff = {
        U"歇", U"休", U"躺", U"住院", U"住了", U"误工", U"养", U"没法开", U"没法跑", U"不能开",
        U"不能跑", U"没跑", U"没开", U"停工",
        // A truck off the road: "停了5天", "停运5天", "趴窝了一个礼拜" (legal helper, session 27).
        U"停了", U"停运", U"趴窝"};
    // "误工费 一天五百 要十天": the days may come a few words after, past a rate a day.
    if (!said_before(text, at, 12, kOff)) return std::nullopt;
    std::size_t used = 0;
    const auto value = number_in(text.substr(at), used);
    if (!value || *value == 0) return std::nullopt;
    // "一天五百" (read "1天500") is a rate a day, no day off (it gave "误工1天"; legal helper,
    // session 29).
    std::size_t after = at + used + 1;
    while (after < text.size() && text[after] == U' ') ++after;
    if (*value == 1 && after < text.size() && is_arabic(text[after])) return std::nullopt;
    if (said_after(text, at + used, {U"天"}) && *value <= 1000) return static_cast<int>(*value);
    std::size_t end = at;
    constexpr int kDaysInMonth = 30;
    if (const auto months = months_at(text, at, end); months && *months <= 36)
        return *months * kDaysInMonth;
    return std::nullopt;
}

// "一天挣500", "每天能跑400", "日收入300": yuan a day.
std::optional<long> daily_income_at(std::u32string_view text, std::size_t at) {
    // "一天跑一趟净挣800": the day said before the trip, the earning right before the number.
    const bool a_day = said_before(text, at, 4, {U"1天", U"每天", U"日收入", U"日均", U"1日"}) ||
                       (said_before(text, at, 10, {U"1天", U"每天"}) &&
                        said_before(text, at, 3, {U"挣", U"赚", U"落", U"收入"}));
    if (!a_day) return std::nullopt;
    std::size_t used = 0;
    const auto value = number_in(text.substr(at), used);
    if (!value || *value < 50 || *value > 10'000 ||
        said_after(text, at + used, {U"天", U"公里", U"里", U"趟", U"次", U"个", U"吨", U"小时"}))
        return std::nullopt;
    return value;
}

// "拉了3趟", "4趟" and "每趟4500", "一趟3800块": the loads hauled and the freight of one.
void read_trips_at(std::u32string_view text, std::size_t at, DriverFigures& figures) {
    std::size_t used = 0;
    const auto value = number_in(text.substr(at), used);
    if (!value || *value == 0) return;
    if (said_after(text, at + used, {U"趟"}) && *value <= 200 && !figures.trips &&
        !said_before(text, at, 1, {U"每"}))
        figures.trips = static_cast<int>(*value);
    else if (*value >= 50 && *value <= 200'000 && !figures.per_trip &&
             said_before(text, at, 3, {U"每趟", U"1趟", U"一趟", U"每车", U"1车"}))
        figures.per_trip = value;
}

// "修车报价1万2", "修车花了1万3", "修理费12000": what the repair of his truck costs.
std::optional<long> repair_cost_at(std::u32string_view text, std::size_t at) {
    if (!said_before(text, at, 6, {U"修车", U"修理费", U"维修费", U"修好", U"修了", U"报价"}))
        return std::nullopt;
    std::size_t used = 0;
    const auto value = number_in(text.substr(at), used);
    if (!value || *value < 100 || *value > 2'000'000 ||
        said_after(text, at + used, {U"天", U"个", U"次", U"年", U"%"}))
        return std::nullopt;
    return value;
}

// Every number written in `folded` (prepared text: digits or Chinese numerals, "6万1" as 61000),
// in order.
std::vector<long> numbers_in(std::u32string_view folded) {
    std::vector<long> numbers;
    for (std::size_t at = 0; at < folded.size(); ++at) {
        // A number starts here, not inside another.
        if (at > 0 && (is_arabic(folded[at - 1]) || folded[at - 1] == U'.')) continue;
        std::size_t used = 0;
        if (const auto value = number_in(folded.substr(at), used)) numbers.push_back(*value);
    }
    return numbers;
}

// "3万8的话诉讼费要交多少", "我要告他 要的是5万": in a message about the cost of suing, the
// largest sum of 1,000 yuan or more that is no wage, daily income or price of a load.
void read_claim(std::u32string_view text, DriverFigures& figures) {
    if (!mentions(text, {U"诉讼费", U"受理费", U"官司", U"起诉", U"告他", U"要告", U"去告"}))
        return;
    for (const long value : numbers_in(text)) {
        if (value < 1000 || value == figures.monthly_wage || value == figures.daily_income ||
            value == figures.per_trip)
            continue;
        if (!figures.claim || value > *figures.claim) figures.claim = value;
    }
}

// His wage story's figures: the months owed, the days off work and his daily income, and whether
// he has no written contract.
void read_wage_story(std::u32string_view text, DriverFigures& figures) {
    figures.no_contract =
        mentions(text, {U"没签合同", U"没签劳动合同", U"没签书面", U"没有签合同", U"没有合同",
                        U"没合同", U"不签合同", U"不签劳动合同", U"没签过合同", U"合同也没签",
                        U"合同都没签", U"合同没签"});
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (!is_arabic(text[at]) || (at > 0 && (is_arabic(text[at - 1]) || text[at - 1] == U'.')))
            continue;
        if (!figures.months_owed) figures.months_owed = months_owed_at(text, at);
        if (!figures.days_off) figures.days_off = days_off_at(text, at);
        if (!figures.daily_income) figures.daily_income = daily_income_at(text, at);
        if (!figures.repair_cost) figures.repair_cost = repair_cost_at(text, at);
        read_trips_at(text, at, figures);
    }
}

}  // namespace

bool DriverFigures::any() const {
    return monthly_wage || months_worked || disability_grade || !points.empty() || deducted ||
           deposit || real_loss || speed_limit || speed || born_year || age || axles ||
           gross_tons || tons_over || rated_tons || months_owed || days_off || daily_income ||
           trips || per_trip || repair_cost || years_paid || claim;
}

std::optional<long> number_at(std::string_view text) {
    std::size_t used = 0;
    return number_in(prepared(text), used);
}

namespace {

// "交了13年社保", "养老缴了15年": the years of contributions ("我前面停交了三年" is a gap, not the
// years paid: "还差15年6个月" frightened him); "我今年52了", "52岁", "今年五十二": his age, which
// gives his birth year, or the years of a 死亡赔偿金 (sum_for_driver).
bool read_years_or_age_at(std::u32string_view text, std::size_t at, std::size_t after, long value,
                          DriverFigures& figures) {
    if (!figures.years_paid && value >= 1 && value <= 50 && said_after(text, after, {U"年"}) &&
        said_before(text, at, 4, {U"交了", U"缴了", U"交够", U"交满", U"缴费", U"交过", U"缴过"}) &&
        !said_before(text, at, 5,
                     {U"停交", U"停缴", U"没交", U"没缴", U"断交", U"断缴", U"欠交", U"漏交",
                      U"少交", U"不交"})) {
        figures.years_paid = static_cast<int>(value);
        return true;
    }
    const bool age_word = said_after(text, after, {U"岁", U"周岁"});
    const bool this_year_age =
        said_before(text, at, 2, {U"今年"}) &&
        (after >= text.size() || said_after(text, after, {U"了", U" ", U"，", U","}));
    if (!figures.age && value >= 16 && value <= 100 && (age_word || this_year_age)) {
        figures.age = static_cast<int>(value);
        return true;
    }
    return false;
}

// "扣了9分", "又记6分": a deduction of licence points. A deduction still to come, said again
// ("治超站说要扣我6分", then "已经扣了9分了 再扣6分"), is one deduction: it was added twice,
// "9＋6＋6＝21分" (fines helper, session 31). `pending`: the values still to come read so far.
bool read_points_at(std::u32string_view text, std::size_t at, std::size_t after, long value,
                    DriverFigures& figures, std::vector<long>& pending) {
    if (value < 1 || value > 12 || !said_after(text, after, {U"分"}) ||
        said_after(text, after, {U"分钟", U"分之"}) || !said_before(text, at, 5, {U"扣", U"记"}) ||
        said_before(text, at, 5, {U"剩"}) || said_before(text, at, 1, {U"满"}))
        return false;
    const bool still_to_come =
        said_before(text, at, 5, {U"要扣", U"再扣", U"会扣", U"要记", U"再记", U"会记", U"得扣"});
    const bool said_again =
        still_to_come && std::find(pending.begin(), pending.end(), value) != pending.end();
    if (still_to_come) pending.push_back(value);
    if (!said_again) figures.points.push_back(static_cast<int>(value));
    return true;
}

// "四个月工资两万多", "俩月工资加起来一万二": the months a sum of wages is for (2 or more), read
// back from the sum at `at`; it was taken as a month's wage, "每月20000元" and 80,000 owed (wages
// helper, session 31).
std::optional<int> months_a_wage_sum_covers(std::u32string_view text, std::size_t at) {
    constexpr std::size_t kReach = 10;
    for (std::size_t from = at > kReach ? at - kReach : 0; from < at; ++from) {
        std::size_t used = 0;
        const auto months = number_in(text.substr(from), used);
        if (!months || *months < 2 || *months > 36) continue;
        std::size_t next = from + used;
        if (const std::size_t unit = word_at(text, next, {U"个月", U"月"}); unit != 0)
            next += unit;
        else
            continue;
        next += word_at(text, next, {U"的"});
        const std::size_t wage = word_at(text, next, {U"工资", U"工钱"});
        if (wage == 0) continue;
        next += wage;
        next += word_at(text, next, {U" "});
        next += word_at(text, next, {U"加起来", U"一共", U"总共", U"合计", U"是", U"有"});
        if (next == at) return static_cast<int>(*months);
    }
    return std::nullopt;
}

// Money of his that a message states beside its word, at `at` (the number `value` ends at `after`):
// the goods' real loss, a deposit not returned, a deduction from his pay. Whether it took one.
bool read_money_at(std::u32string_view text, std::size_t at, std::size_t after, long value,
                   DriverFigures& figures) {
    // "实际损失就3000", "碎的那些也就值3000块": what the damaged goods were worth.
    if (!figures.real_loss && value >= 10 &&
        said_before(text, at, 4, {U"实际损失", U"损失就", U"损失也就", U"值", U"损失才"})) {
        figures.real_loss = value;
        return true;
    }
    // "押金2000没退", "交了3000保证金": owed beside his wages (it was left out of the total;
    // legal helper, session 29).
    if (!figures.deposit && value >= 100 &&
        (said_before(text, at, 3, {U"押金", U"保证金"}) ||
         said_after(text, after + (after < text.size() && text[after] == U'块' ? 1 : 0),
                    {U"押金", U"保证金", U"元押金", U"元保证金"}))) {
        figures.deposit = value;
        return true;
    }
    if (!figures.deducted && value >= 50 && said_before(text, at, 4, {U"扣", U"罚我", U"罚了"}) &&
        !said_after(text, after + (after < text.size() && text[after] == U' ' ? 1 : 0),
                    {U"分", U"%", U"个", U"天", U"次", U"年", U"级"})) {
        figures.deducted = value;
        return true;
    }
    return false;
}

}  // namespace

DriverFigures figures_in(std::string_view raw) {
    const std::u32string text = prepared(raw);
    DriverFigures figures;
    // "我4年3个月 8500一个月 能赔多少": in a message about severance a length of time is his
    // service even without 干 / 做 before it.
    const bool about_leaving = mentions(text, {U"补偿", U"辞退", U"开除", U"赔", U"没签"});
    // "保险只给我按3000一个月算 我…一个月挣1万多": what he earns, not what they offer (the
    // 3000 was taken as his income; victims helper, session 30).
    bool wage_earned = false;
    std::vector<long> pending_points;  // deductions still to come, each value once
    for (std::size_t at = 0; at < text.size(); ++at) {
        // A number starts here, not inside another.
        if (at > 0 && (is_arabic(text[at - 1]) || text[at - 1] == U'.')) continue;
        std::size_t used = 0;
        const auto value = number_in(std::u32string_view(text).substr(at), used);
        if (!value) continue;
        const std::size_t after = at + used;
        std::size_t end = after;
        if (!figures.months_worked && (about_leaving || said_before(text, at, 5, kWorked)) &&
            !said_before(text, at, 4, {U"欠", U"拖", U"扣"})) {
            if (const auto months = months_at(text, at, end);
                months && !said_after(text, end, {U"工资", U"的工资", U"运费", U"的钱"}) &&
                !(end < text.size() && is_arabic(text[end]))) {
                figures.months_worked = *months;
                figures.months_more = said_after(text, end, {U"多"});
                if (figures.months_more) ++end;
                at = end - 1;
                continue;
            }
        }
        if (!figures.disability_grade && *value >= 1 && *value <= 10 &&
            said_after(text, after, {U"级"}) &&
            (said_after(text, after + 1, {U"伤残", U"残"}) ||
             said_before(text, at, 4, {U"伤残", U"评了", U"评", U"鉴定"}) ||
             mentions(text, {U"工伤", U"伤残"}))) {
            figures.disability_grade = static_cast<int>(*value);
            continue;
        }
        // "扣了9分", "这次又记6分"; "还剩3分" is what is left, "记满12分" the rule, "5分钟" no
        // points.
        if (read_points_at(text, at, after, *value, figures, pending_points)) continue;
        if (read_money_at(text, at, after, *value, figures)) continue;
        if (read_years_or_age_at(text, at, after, *value, figures)) continue;
        // "我77年的", "66年7月生的", "1979年出生": his birth, 1940 to 1999.
        if (!figures.born_year && said_after(text, after, {U"年"})) {
            const long year = *value >= 40 && *value <= 99 ? 1900 + *value : *value;
            std::size_t next = after + 1;
            std::size_t month_used = 0;
            const auto month = number_in(text.substr(next), month_used);
            int born_month = 0;
            if (month && *month >= 1 && *month <= 12 &&
                said_after(text, next + month_used, {U"月"})) {
                born_month = static_cast<int>(*month);
                next += month_used + 1;
            }
            if (year >= 1940 && year <= 1999 &&
                said_after(text, next, {U"生", U"出生", U"的", U"人"})) {
                figures.born_year = static_cast<int>(year);
                figures.born_month = born_month;
                at = next - 1;
                continue;
            }
        }
        const bool not_a_speed = said_after(text, after, kNoSpeedAfter);
        // "80跑96": the limit, then what he drove.
        const bool limit_then_speed =
            said_after(text, after, {U"跑", U"开"}) && after + 1 < text.size() &&
            (is_arabic(text[after + 1]) ||
             (after + 2 < text.size() && text[after + 1] == U'了' && is_arabic(text[after + 2])));
        if (!figures.speed_limit && *value >= 20 && *value <= 130 &&
            (said_before(text, at, 3, {U"限速"}) || limit_then_speed) && !not_a_speed) {
            figures.speed_limit = static_cast<int>(*value);
            continue;
        }
        if (!figures.speed && *value >= 20 && *value <= 250 &&
            said_before(text, at, 3, kDrovePast) && !not_a_speed) {
            figures.speed = static_cast<int>(*value);
            continue;
        }
        const bool monthly =
            (said_before(text, at, 4, kMonthlyBefore) &&
             !said_before(text, at, 6, {U"欠", U"拖", U"扣", U"少发"})) ||
            said_after(text, after + (after < text.size() && text[after] == U' ' ? 1 : 0),
                       kMonthlyAfter);
        const bool earned = said_before(text, at, 4, {U"挣", U"赚", U"收入"});
        const auto covers = months_a_wage_sum_covers(text, at);
        if (!figures.monthly_wage && covers && *value >= 500 * *covers) {
            figures.monthly_wage = *value / *covers;
            continue;
        }
        if ((!figures.monthly_wage || (earned && !wage_earned)) && monthly && *value >= 500 &&
            *value <= 200'000) {
            figures.monthly_wage = *value;
            wage_earned = earned;
        }
    }
    read_truck_weight(text, figures);
    read_wage_story(text, figures);
    read_claim(text, figures);
    return figures;
}

namespace {

std::string months_said(int months) {
    std::string said;
    if (months >= 12) said += std::to_string(months / 12) + "年";
    if (months % 12 != 0) said += std::to_string(months % 12) + "个月";
    return said;
}

// Half months of wage as "2.5", "3".
std::string halves_said(long halves) {
    return std::to_string(halves / 2) + (halves % 2 != 0 ? ".5" : "");
}

// 劳动合同法 第47条: each full year one month, six months or more one month, less half a month;
// in half months of wage.
long severance_halves(int months) {
    return 2L * (months / 12) + (months % 12 >= 6 ? 2 : months % 12 > 0 ? 1 : 0);
}

// "一年多" is under half a year more (a half month) or half a year or more (a whole month): the
// half months of each.
long severance_halves_under_half_more(int years) { return 2L * years + 1; }
long severance_halves_half_or_more(int years) { return 2L * years + 2; }

// What a severance line says of the wage it is worked on.
constexpr const char* kSeveranceWage = "月工资按走之前12个月的平均算（奖金、加班费都算）";

std::string severance_line(int months, long wage) {
    const long halves = severance_halves(months);
    const long amount = wage * halves / 2;
    return "按您说的（在这家干了" + months_said(months) + "、月工资" + std::to_string(wage) +
           "元）：经济补偿是" + halves_said(halves) + "个月工资，约" + std::to_string(amount) +
           "元；单位违法辞退、开除的，赔偿金是它的2倍，约" + std::to_string(amount * 2) + "元。" +
           kSeveranceWage + "。\n";
}

// "干了一年多": under half a year more counts half a month, half a year or more a whole one, so
// both sums are given (it said 1 month for "一年多"; legal helper, session 24).
std::string severance_range_line(int years_in_months, long wage) {
    const int years = years_in_months / 12;
    const long fewer = severance_halves_under_half_more(years);
    const long more = severance_halves_half_or_more(years);
    return "按您说的（在这家干了" + std::to_string(years) + "年多、月工资" + std::to_string(wage) +
           "元）：不满" + std::to_string(years) + "年半的，经济补偿是" + halves_said(fewer) +
           "个月工资，约" + std::to_string(wage * fewer / 2) + "元；满" + std::to_string(years) +
           "年半的，是" + halves_said(more) + "个月，约" + std::to_string(wage * more / 2) +
           "元。单位违法辞退、开除的，赔偿金是经济补偿的2倍。" + kSeveranceWage + "。\n";
}

// The same rule in months of wage when he gave no wage: "干了十年 公司搬走了 有补偿吗" had the rule
// with examples for 5 and 8 years and left the 10 to him (blind set FH, session 35).
std::string severance_months_line(int months, bool months_more) {
    if (months_more) {
        const int years = months / 12;
        return "按您说的（在这家干了" + std::to_string(years) + "年多）：不满" +
               std::to_string(years) + "年半的，经济补偿是" +
               halves_said(severance_halves_under_half_more(years)) + "个月工资；满" +
               std::to_string(years) + "年半的，是" +
               halves_said(severance_halves_half_or_more(years)) +
               "个月。单位违法辞退、开除的，赔偿金是经济补偿的2倍。说下月工资可以帮您算出钱数。\n";
    }
    const long halves = severance_halves(months);
    constexpr int kCappedYears = 12;  // 劳动合同法 第47条: a high earner's years count up to 12
    const std::string cap =
        months > kCappedYears * 12 ? "（月工资超过当地职工月平均工资3倍的，最多按12年算）" : "";
    return "按您说的（在这家干了" + months_said(months) + "）：经济补偿是" + halves_said(halves) +
           "个月工资" + cap + "；单位违法辞退、开除的，赔偿金是它的2倍，即" +
           halves_said(2 * halves) + "个月工资。" + kSeveranceWage +
           "，说下月工资可以帮您算出钱数。\n";
}

// 工伤保险条例 第35–37条: 27, 25, 23, 21, 18, 16, 13, 11, 9, 7 months for grades 1–10;
// 第64条: 本人工资 between 60 % and 300 % of the local average.
std::string disability_line(int grade, long wage) {
    constexpr std::array<int, 10> kMonths = {27, 25, 23, 21, 18, 16, 13, 11, 9, 7};
    const int months = kMonths[static_cast<std::size_t>(grade - 1)];
    constexpr std::array<std::string_view, 10> kGrades = {"一", "二", "三", "四", "五",
                                                          "六", "七", "八", "九", "十"};
    return "按您说的（" + std::string(kGrades[static_cast<std::size_t>(grade - 1)]) +
           "级伤残、月工资" + std::to_string(wage) + "元）：一次性伤残补助金是" +
           std::to_string(months) + "个月本人工资，约" + std::to_string(wage * months) +
           "元。本人工资按受伤前12个月的平均月缴费工资算，低于当地社平工资60%的按60%算、高于"
           "300%的按300%算。\n";
}

// "俺驾驶证本来就只剩6分了", "还剩4分": the points he says are left in this cycle.
std::optional<int> points_left_said(std::string_view text) {
    for (std::size_t at = text.find("剩"); at != std::string_view::npos;
         at = text.find("剩", at + 1)) {
        std::string_view rest = text.substr(at + std::string_view("剩").size());
        if (rest.starts_with("下")) rest.remove_prefix(std::string_view("下").size());
        const auto value = number_at(rest);
        if (value && *value >= 1 && *value <= 12 && rest.find("分") != std::string_view::npos &&
            rest.find("分") <= 6)
            return static_cast<int>(*value);
    }
    return std::nullopt;
}

// What `points` more leave of the `left` he has: how many, or that the cycle reaches 12.
std::string points_after(int points, int left) {
    if (points >= left)
        return "您说只剩" + std::to_string(left) +
               "分，这次就记满12分了，驾驶证会被扣留，要参加满分"
               "学习和考试（大车30天），这期间不能开车";
    return "您说还剩" + std::to_string(left) + "分，记完还剩" + std::to_string(left - points) +
           "分，不会满分";
}

// 记分办法 第20条: a cycle's points reaching 12 keep his licence until he passes the full-marks
// study and test.
std::string points_line(const std::vector<int>& points, bool asks_left, std::optional<int> left) {
    int total = 0;
    std::string added;
    for (const int each : points) {
        total += each;
        added += (added.empty() ? "" : "＋") + std::to_string(each);
    }
    // "驾照只剩4分了 再扣6分会咋样" got the full-marks rules without a word on his (fines
    // helper, session 30): the points he says are left, less these.
    if (left)
        return "按您说的，再记" + std::to_string(total) + "分" + "，" + points_after(total, *left) +
               "。\n";
    if (points.size() == 1) {
        if (!asks_left || total >= 12) return {};
        return "按您说的，这个记分周期已经记了" + added + "分，还差" + std::to_string(12 - total) +
               "分满12分。\n";
    }
    std::string line = "按您说的，扣的分加起来是" + added + "＝" + std::to_string(total) + "分";
    if (total >= 12)
        return line +
               "，够12分了：都在同一个记分周期（12个月，从初次领证之日起算）里的，驾驶证会被扣"
               "留，要参加满分学习和考试。\n";
    return line + "，还没满12分，这个记分周期再记" + std::to_string(12 - total) + "分就满了。\n";
}

// 工资支付暂行规定 第16条: for a loss he caused, at most 20 % of the month's wage, and what is
// left not below the local minimum wage.
std::string deduction_line(long wage, long deducted) {
    const long cap = wage / 5;
    std::string line = "按您说的（月工资" + std::to_string(wage) + "元、扣了" +
                       std::to_string(deducted) +
                       "元）：就算是您的过错给单位造成了损失，每月最多扣"
                       "工资的20%，也就是" +
                       std::to_string(cap) + "元，扣完还不能低于当地最低工资";
    if (deducted > cap)
        return line + "；扣" + std::to_string(deducted) + "元超出了" +
               std::to_string(deducted - cap) + "元。\n";
    return line + "；没有损失、没有依据的，一分也不能扣。\n";
}

// 记分办法 第8–12条 for a 中型以上载货汽车 (a big truck): on a motorway or urban expressway
// under 20 % over 6 points, 20 % or more 12; on other roads 10–20 % 1, 20–50 % 6, 50 % or more
// 9, under 10 % none.
int big_truck_points(int percent, bool motorway) {
    if (motorway) return percent < 20 ? 6 : 12;
    if (percent < 10) return 0;
    if (percent < 20) return 1;
    return percent < 50 ? 6 : 9;
}

std::string points_said(int points) {
    return points == 0 ? std::string("不记分") : "记" + std::to_string(points) + "分";
}

// (actual − limit) ÷ limit, as the 记分办法's bands are set; for an answer about big trucks'
// points, the points his figure gives on the road he names (both kinds when he names none:
// "国道限速60我跑了95 会吊本不" got only the per cent; legal helper, session 26).
std::string speeding_line(int limit, int speed, bool big_truck, std::string_view text) {
    const int percent = (speed - limit) * 100 / limit;
    std::string line = "按您说的（限速" + std::to_string(limit) + "、跑了" + std::to_string(speed) +
                       "）：超速" + std::to_string(percent) + "%";
    if (big_truck) {
        // "是312国道 不是高速": the road he denies is not his; with both named (a correction before
        // his first message), the first named is meant.
        std::string road(text);
        for (const std::string_view denied : {"不是高速", "不是快速路", "不是在高速"})
            for (auto at = road.find(denied); at != std::string::npos; at = road.find(denied))
                road.erase(at, denied.size());
        const auto first_of = [&road](std::initializer_list<std::string_view> words) {
            std::size_t first = std::string::npos;
            for (const std::string_view word : words) first = std::min(first, road.find(word));
            return first;
        };
        const std::size_t motorway_at = first_of({"高速", "快速路"});
        const std::size_t other_at =
            first_of({"国道", "省道", "县道", "乡道", "城区", "市区", "普通公路", "村道", "城里"});
        const bool other_road = other_at != std::string::npos && other_at < motorway_at;
        const bool motorway = motorway_at != std::string::npos && !other_road;
        if (motorway || other_road) {
            const int points = big_truck_points(percent, motorway);
            line += "，大货车" + points_said(points);
            if (const auto left = points_left_said(text); left && points > 0)
                line += "；" + points_after(points, *left);
        } else {
            line += "；大货车在高速、快速路上" + points_said(big_truck_points(percent, true)) +
                    "，在其他道路上" + points_said(big_truck_points(percent, false));
        }
        line += percent >= 50 ? "；超过50%的罚款200元到2000元，可以并处吊销驾驶证"
                              : "；不到50%的是警告或罚款20元到200元";
    }
    return line + "。\n";
}

bool asks_what_is_left(std::string_view text) {
    return text::contains_any(text, {"还剩", "还有几分", "还能扣", "还差", "会不会满", "满了没",
                                     "是不是满了", "满没满", "满了吗", "够12", "够不够"});
}

// 最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释 第15条: 死亡赔偿金 is 20 years of
// the local urban income a year; from 60, a year less for each year of age; from 75, 5 years.
// "我哥…人没了 才38岁 …能要多少赔偿" got the table of 61..74 and no word on 38 (victims helper,
// session 31).
std::string death_years_line(int age) {
    constexpr int kFullYears = 20;
    constexpr int kFromAge = 60;
    constexpr int kLeastYears = 5;
    const int years =
        age < kFromAge ? kFullYears : std::max(kLeastYears, kFullYears - (age - kFromAge));
    const long example = 50'000L * years / 10'000;
    return "按您说的（去世时" + std::to_string(age) + "岁）：死亡赔偿金按" + std::to_string(years) +
           "年算，就是受诉法院所在地上一年度城镇居民人均可支配收入×" + std::to_string(years) +
           "（比如当地一年5万元，就是约" + std::to_string(example) +
           "万元）；丧葬费、被扶养人生活费（未成年子女算到18周岁）、精神损害抚慰金另算。\n";
}

// 国务院关于渐进式延迟法定退休年龄的办法 (from 2025-01-01): men 60 -> 63, one month later for
// every four months of birth from January 1965; women who retired at 50 -> 55, one month for
// every two from January 1975. The minimum contribution rises from 15 years by half a year a
// year from 2030 to 20.
struct Retirement {
    int age_months = 0;
    int year = 0;  // the year he reaches it
};

Retirement retirement_for(int born_year, int born_month, bool female) {
    const int first_year = female ? 1975 : 1965;
    const int months_per_step = female ? 2 : 4;
    const int most = female ? 60 : 36;
    const int base = female ? 50 * 12 : 60 * 12;
    const int since = (born_year - first_year) * 12 + (born_month - 1);
    const int delay = since < 0 ? 0 : std::min(most, since / months_per_step + 1);
    const int age_months = base + delay;
    const int reached = born_year * 12 + (born_month - 1) + age_months;
    return {age_months, reached / 12};
}

std::string age_said(int months) {
    return std::to_string(months / 12) + "岁" +
           (months % 12 != 0 ? std::to_string(months % 12) + "个月" : "");
}

// The least years (in half years) for a retirement in `year`: 15 until 2029, then half a year more
// each year up to 20 (国务院关于渐进式延迟法定退休年龄的决定, 2024).
int least_halves(int year) { return year < 2030 ? 30 : std::min(40, 30 + (year - 2029)); }

std::string halves_as_years(int halves) {
    if (halves == 1) return "6个月";
    return std::to_string(halves / 2) + "年" + (halves % 2 != 0 ? "6个月" : "");
}

std::string least_years_said(int year) { return halves_as_years(least_halves(year)); }

std::string range_said(const std::string& early, const std::string& late) {
    return early == late ? early : early + "到" + late;
}

// "您交了13年，还差…": the years still to pay against the least years of `early`..`late`.
std::string years_short_said(int paid, int early, int late) {
    const int short_early = least_halves(early) - paid * 2;
    const int short_late = least_halves(late) - paid * 2;
    if (short_late <= 0) return "您交了" + std::to_string(paid) + "年，已经够了。";
    const std::string early_said = halves_as_years(std::max(short_early, 0));
    const std::string late_said = halves_as_years(short_late);
    return "您交了" + std::to_string(paid) + "年，还差" + range_said(early_said, late_said) +
           "（到龄时不够的，可以延长缴费到满）。";
}

// "我交了13年社保 还差几年" with no birth year: the least years before and after 2030, and his
// birth asked for (the answer said 15 years flat; legal helper, session 27).
std::string pension_years_line(int paid) {
    const int short_now = least_halves(2029) - paid * 2;
    std::string line = "按您说的（交了" + std::to_string(paid) + "年）：";
    line += short_now > 0
                ? "2030年以前到退休年龄的，最少交满15年，还差" + halves_as_years(short_now) + "；"
                : "2030年以前到退休年龄的，最少15年，已经够了；";
    return line +
           "2030年起最低年限每年提高6个月，2039年起是20年。具体差几年看您哪年到龄：告诉我出生"
           "年月（比如“我1974年5月生的”）就能算。\n";
}

// `age`: the age he gave instead of his birth ("我今年52了"), born_year worked from it.
std::string retirement_line(int born_year, int born_month, bool female, bool said_sex,
                            std::optional<int> years_paid, std::optional<int> age = {}) {
    const Retirement early = retirement_for(born_year, born_month == 0 ? 1 : born_month, female);
    const Retirement late = retirement_for(born_year, born_month == 0 ? 12 : born_month, female);
    std::string born =
        age ? "今年" + std::to_string(*age) + "岁，按" + std::to_string(born_year) + "年出生算"
            : std::to_string(born_year) + "年" +
                  (born_month != 0 ? std::to_string(born_month) + "月" : "") + "出生";
    if (said_sex) born += female ? "、女" : "、男";
    std::string line = "按您说的（" + born + "）：";
    if (!said_sex) line += "按男职工算，";
    line += "法定退休年龄是" + range_said(age_said(early.age_months), age_said(late.age_months));
    line += "，" + range_said(std::to_string(early.year), std::to_string(late.year)) + "年到龄";
    line += "；那时按月领养老金最少要交满" +
            range_said(least_years_said(early.year), least_years_said(late.year)) + "社保。";
    if (years_paid) line += years_short_said(*years_paid, early.year, late.year);
    if (female) line += "（这是原来50岁退休的女职工；原来55岁退休的管理、技术岗位另算。）";
    return line + "\n";
}

// 超限运输车辆行驶公路管理规定 第3条 (the limit by axles) and 第43条 (under a ton over: a warning;
// then 500 yuan a ton, at most 30,000).
struct AxleLimit {
    int tons = 0;
    std::string said;  // "五轴车", "四轴货车"
};

std::vector<AxleLimit> axle_limits(int axles, bool trailer) {
    if (axles == 2) return {{18, "二轴货车"}};
    if (axles == 3) {
        if (trailer) return {{27, "三轴汽车列车"}};
        return {{25, "三轴货车"}, {27, "三轴汽车列车（带挂车）"}};
    }
    if (axles == 4) {
        if (trailer) return {{36, "四轴汽车列车"}};
        return {{31, "四轴货车"}, {36, "四轴汽车列车（带挂车）"}};
    }
    if (axles == 5) return {{43, "五轴车"}};
    return {{49, "六轴及以上的车"}};
}

// "那罚款呢 超6吨罚多少 俺是四轴的": the tons over said outright got the axle table and no fine
// (fines helper, session 31). 第43条: 500 yuan a ton, at most 30,000.
std::string tons_over_line(int tons) {
    constexpr long kFinePerTon = 500;
    constexpr long kMostFine = 30'000;
    const long fine = std::min(kMostFine, tons * kFinePerTon);
    return "按您说的（超限" + std::to_string(tons) + "吨）：每超1吨罚500元，罚款约" +
           std::to_string(fine) + "元（最多3万元），还要卸载或分装到不超限才能走。\n";
}

// `fined`: what he says he was fined ("罚了5000"), compared when one limit applies.
std::string overlimit_line(int axles, bool trailer, int gross_tons, std::optional<long> fined) {
    static constexpr long kFinePerTon = 500;
    static constexpr long kMostFine = 30'000;
    const auto fine_over = [gross_tons](const AxleLimit& limit) {
        return std::min(kMostFine,
                        std::max(0L, static_cast<long>(gross_tons - limit.tons)) * kFinePerTon);
    };
    const std::vector<AxleLimit> limits = axle_limits(axles, trailer);
    std::string line = "按您说的（" + std::to_string(axles) + "轴、车货总重" +
                       std::to_string(gross_tons) + "吨）：";
    for (const AxleLimit& limit : limits) {
        if (&limit != &limits.front()) line += "；如果是";
        line += limit.said + "限" + std::to_string(limit.tons) + "吨，";
        const int over = gross_tons - limit.tons;
        if (over <= 0)
            line += "没有超限";
        else
            line += "超了" + std::to_string(over) + "吨，罚款" + std::to_string(fine_over(limit)) +
                    "元";
    }
    if (axles >= 6) line += "（牵引车驱动轴是单轴的限46吨）";
    if (fined && limits.size() == 1 && axles < 6 && *fined > fine_over(limits.front()))
        line += "；您说罚了" + std::to_string(*fined) +
                "元，比按这条算的多，可以问清罚款依据，不服的可以在60日内申请行政复议";
    return line + "。\n";
}

// 道路交通安全法 第92条: a goods vehicle over its rated load (核定载质量) is fined 200–500 yuan,
// from 30 % over 500–2000 yuan. Points go by the 最大允许总质量 (truck and load together; 记分办法
// 第10–12条), which his two figures do not give: the bands are said, not worked ("核载18吨 拉了27吨
// 超多少 咋罚" got numbered choices, then a handoff; legal helper, session 29).
// `fined`: what he says he was fined ("罚了两千"), questioned when above the band.
// 记分办法 第10–12条: over the 最大允许总质量 by under 30 % 1 point, 30–50 % 3, 50 % or more 6.
int overload_points(int percent) { return percent >= 50 ? 6 : (percent >= 30 ? 3 : 1); }

std::string overload_line(int rated_tons, int load_tons, std::optional<long> fined,
                          std::string_view text) {
    const int over = load_tons - rated_tons;
    const int percent = over * 100 / rated_tons;
    const long most = percent >= 30 ? 2000 : 500;
    std::string line = "按您说的（核载" + std::to_string(rated_tons) + "吨、拉了" +
                       std::to_string(load_tons) + "吨）：超载" + std::to_string(over) +
                       "吨，超过核定载质量" + std::to_string(percent) + "%，";
    line += percent >= 30 ? "罚款500元到2000元" : "罚款200元到500元";
    if (fined && *fined > most)
        line += "；您说罚了" + std::to_string(*fined) +
                "元，比这一档多，可以看看处罚决定书上写的依据，不服的60日内申请行政复议";
    // "核载49吨…总重55吨": his weight is the truck and load together, so the points can be worked
    // when his first figure is the licence's 总质量 (six axles: 49 t); said as a condition ("扣几分
    // 俺就剩6分了" went unanswered three times; fines helper, session 30).
    if (text::contains_any(text, {"总重", "总质量", "连车带货", "车带货"})) {
        const int points = overload_points(percent);
        line += "；要是" + std::to_string(rated_tons) + "吨是行驶证上的总质量，超了" +
                std::to_string(percent) + "%，记" + std::to_string(points) + "分";
        if (const auto left = points_left_said(text)) line += "；" + points_after(points, *left);
        return line + "。\n";
    }
    return line +
           "；记几分按车和货的总质量超过行驶证上“总质量”的比例算（不到30%记1分，30%到50%记3分，"
           "50%以上记6分）。\n";
}

// 民法典 第832条–第833条: the carrier answers for the real loss of the goods, and what is kept
// back from the freight beyond it is his ("扣8000 实际损失就3000" got no figure; legal helper,
// session 29).
std::string over_deduction_line(long deducted, long real_loss) {
    return "按您说的（扣了" + std::to_string(deducted) + "元、货的实际损失" +
           std::to_string(real_loss) + "元）：多扣了" + std::to_string(deducted - real_loss) +
           "元，这部分可以要回来；真是您的责任也只按实际损失赔。\n";
}

// 劳动保障监察条例 第26条 / 劳动合同法 第85条: wages owed, and 50 % to 100 % more once the
// labour inspectorate's deadline to pay has passed.
// `deposit`: a deposit he says was not returned, owed with the wages (劳动合同法 第84条: an
// employer may not take one; it is returned, and in the same arbitration claim).
std::string wages_owed_line(int months, long wage, std::optional<long> deposit) {
    const long owed = wage * months;
    std::string line = "按您说的（欠了" + months_said(months) + "、每月" + std::to_string(wage) +
                       "元）：欠的工资一共" + std::to_string(owed) + "元";
    if (deposit)
        line += "，加上没退的押金" + std::to_string(*deposit) + "元，一共" +
                std::to_string(owed + *deposit) + "元（押金一起写进仲裁申请）";
    return line + "；劳动监察责令限期支付后还不给的，另外按应付金额的50%到100%加付赔偿金，也就是" +
           std::to_string(owed / 2) + "到" + std::to_string(owed) + "元。\n";
}

// 劳动合同法实施条例 第6条–第7条: from the day after the first month to the day before a written
// contract, another month's wage for each month, at most 11.
std::string double_wage_line(int months, long wage) {
    constexpr int kMostMonths = 11;
    std::string line = "按您说的（没签书面合同、干了" + months_said(months) + "、月工资" +
                       std::to_string(wage) + "元）：";
    if (months <= 1)
        return line +
               "用工不满1个月不签还不算违法；过了1个月还不签的，从第2个月起每月另外多付"
               "1个月工资。\n";
    const int owed = std::min(months - 1, kMostMonths);
    line += "二倍工资差额从第2个月算起，能要" + std::to_string(owed) + "个月，每月另外多付" +
            std::to_string(wage) + "元，约" + std::to_string(owed * wage) + "元";
    if (months > kMostMonths + 1)
        line += "；最多算11个月，满1年还不签的视为已订立无固定期限劳动合同";
    // 劳动争议调解仲裁法 第27条: a year to claim. The double wage ends with the first year; two
    // years in, "约66000元" for eight years was false hope (legal helper, session 27).
    constexpr int kClaimYearsEnd = 24;
    if (months >= kClaimYearsEnd)
        line +=
            "。不过二倍工资只算到满1年为止，从那时到现在已经超过1年，申请仲裁的时效是1年，"
            "这笔钱很可能要不回来了；中间找单位催要过、投诉过或者单位认过账的，时效从那时"
            "重新算，先拿着证据问12348或律师";
    return line + "。\n";
}

// 诉讼费用交纳办法 第13条 (the fee by bands of the sum claimed; a labour dispute 10 yuan a case)
// and 第16条 (halved in the summary procedure).
std::string court_fee_line(long claim, bool wages) {
    if (wages)
        return "按您说的（讨" + std::to_string(claim) +
               "元工资）：先走劳动仲裁，不收费；对仲裁结果不服再去法院，劳动争议案件每件只交10"
               "元。\n";
    struct Band {
        long up_to;
        double rate;
    };
    // 诉讼费用交纳办法 第13条(一), every band: "要他们赔120万" got no fee (the table stopped at
    // 100万; victims helper, session 31).
    constexpr Band kBands[] = {{100'000, 0.025},    {200'000, 0.02},     {500'000, 0.015},
                               {1'000'000, 0.01},   {2'000'000, 0.009},  {5'000'000, 0.008},
                               {10'000'000, 0.007}, {20'000'000, 0.006}, {LONG_MAX, 0.005}};
    constexpr long kFirstBand = 10'000;
    constexpr double kFirstFee = 50;
    double fee = kFirstFee;
    long from = kFirstBand;
    for (const Band& band : kBands) {
        if (claim <= from) break;
        fee += static_cast<double>(std::min(claim, band.up_to) - from) * band.rate;
        from = band.up_to;
    }
    return "按您说的（要" + std::to_string(claim) + "元）：诉讼费（案件受理费）约" +
           std::to_string(std::lround(fee)) + "元，走简易程序或小额诉讼减半，约" +
           std::to_string(std::lround(fee / 2)) +
           "元；立案时先交，赢了由对方负担，交不起可以申请缓交、减交、免交。\n";
}

// 工伤保险条例 第33条: the wage goes on unchanged through the paid leave of a work injury.
std::string stop_work_pay_line(int days, long wage) {
    constexpr long kDaysInMonth = 30;
    const long due =
        days % kDaysInMonth == 0 ? wage * (days / kDaysInMonth) : wage * days / kDaysInMonth;
    const std::string off =
        days % kDaysInMonth == 0 ? months_said(days / kDaysInMonth) : std::to_string(days) + "天";
    return "按您说的（停工" + off + "、原来月工资" + std::to_string(wage) +
           "元）：停工留薪期内原工资照发，这段时间单位应发约" + std::to_string(due) +
           "元；没发或少发的，打12333投诉或申请劳动仲裁。\n";
}

// 民法典 第1184条, 人身损害赔偿解释 (the lost operation of a working vehicle, 最高人民法院关于
// 审理道路交通事故损害赔偿案件适用法律若干问题的解释 第12条): the repair, and the days off the
// road times his net income a day.
std::string vehicle_loss_line(std::optional<long> repair, std::optional<int> days,
                              std::optional<long> daily) {
    std::string figures;
    std::string sum;
    long total = 0;
    if (repair) {
        figures += "修车" + std::to_string(*repair) + "元";
        sum += "修车费" + std::to_string(*repair) + "元";
        total += *repair;
    }
    if (days && daily) {
        const long lost = *days * *daily;
        figures += std::string(figures.empty() ? "" : "、") + "停运" + std::to_string(*days) +
                   "天、每天净挣" + std::to_string(*daily) + "元";
        sum += std::string(sum.empty() ? "" : "＋") + "停运损失约" + std::to_string(lost) + "元";
        total += lost;
    }
    std::string line = "按您说的（" + figures + "）：" + sum;
    if (repair && days && daily) line += "，一共约" + std::to_string(total) + "元";
    return line +
           "。修车费按定损或合理的维修发票算；停运损失按实际净收入算，要拿运单、流水证明；"
           "保险不够的部分找对方本人要。\n";
}

// 最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释 第7条: the days lost times his
// income. A monthly income is shown as he said it (8000 had read back as 7980, the rounded day
// times 30) and worked as month × days / 30.
std::string lost_earnings_line(int days, long income, bool monthly) {
    constexpr long kDaysInMonth = 30;
    const long daily = monthly ? income / kDaysInMonth : income;
    const long due = monthly ? income * days / kDaysInMonth : income * days;
    std::string line = "按您说的（误工" + std::to_string(days) + "天、";
    line += monthly ? "月收入" + std::to_string(income) + "元，每天约" : "每天收入";
    return line + std::to_string(daily) + "元）：误工费约" + std::to_string(due) +
           "元。收入要拿银行流水、运单、纳税记录等证明；收入不固定的按最近三年的平均收入算，"
           "证明不了的参照当地同行业的平均工资。\n";
}

// 民法典 第579条, 第584条: the freight agreed for the loads hauled, and interest on late payment.
std::string freight_line(int trips, long per_trip) {
    return "按您说的（拉了" + std::to_string(trips) + "趟、每趟" + std::to_string(per_trip) +
           "元）：运费一共" + std::to_string(trips * per_trip) +
           "元；拖着不付的，从该付之日起的逾期利息损失也可以一起要。\n";
}

// Which sum an answer's rule works, read from words only that rule's answers hold; one table for
// the sum (sum_for_driver) and for the figures it needs (figures_a_sum_needs), which read them
// apart before (second read, session 26). In this order: the first rule that fits names the
// figures he is asked for.
enum class SumRule {
    wages_owed,
    double_wage,
    severance,
    disability,
    lost_earnings,
    stop_work_pay,
    vehicle_loss,
    overlimit,
    overload,
    points,
    freight,
    speeding,
    retirement,
    pension_years,
    court_fee,
    deduction,
    over_deduction,
    death_years,
};

struct SumRuleWords {
    SumRule rule;
    std::initializer_list<std::string_view> all_of;  // the answer holds each
    std::initializer_list<std::string_view> any_of;  // and one of these, when any are given
    // The figures asked for when he asks a sum without them; "" for a rule whose figures come
    // with his question (a speed, a deduction, a birth year).
    std::string_view needs;
    // Words that narrow asking for the figures: "运费" is in 77 answers (cargo damage, a ban),
    // where trips and a price would be the wrong thing to ask; the sum itself needs only his
    // figures and "运费".
    std::string_view needs_also = {};
};

const SumRuleWords kSumRules[] = {
    {SumRule::wages_owed, {"加付赔偿金"}, {}, "每月工资和欠了几个月（比如“欠了3个月 每月7000”）"},
    {SumRule::double_wage,
     {"二倍工资", "11个月"},
     {},
     "干了几个月和月工资（比如“没签合同 干了8个月 月工资6000”）"},
    {SumRule::severance,
     {"经济补偿"},
     {"每满1年", "每满一年"},
     "在这家干了多久和月工资（比如“干了3年2个月 月工资7000”）"},
    {SumRule::disability,
     {"一次性伤残补助金"},
     {},
     "伤残等级和月工资（比如“九级伤残 月工资6000”）"},
    {SumRule::lost_earnings, {"误工费"}, {}, "误工了多少天和每天收入（比如“歇了30天 一天挣500”）"},
    {SumRule::stop_work_pay,
     {"停工留薪期", "原工资福利待遇不变"},
     {},
     "停工了多久和原来的月工资（比如“休了3个月 原来一个月6500”）"},
    {SumRule::vehicle_loss,
     {"停运损失"},
     {},
     "修车花了多少、停运几天、每天净挣多少（比如“修车12000 停了5天 每天净挣800”）"},
    {SumRule::overlimit, {"每超1吨罚500元"}, {}, "几轴车和车货总重（比如“五轴 总重50吨”）"},
    {SumRule::overload,
     {"核定载质量", "30%"},
     {},
     "核载多少吨、实际拉了多少吨（比如“核载18吨 拉了27吨”）"},
    {SumRule::points, {"满12分"}, {}, "这个周期每次扣了几分（比如“扣了3分 又扣6分”）"},
    {SumRule::freight,
     {"运费"},
     {},
     "拉了几趟和每趟多少运费（比如“拉了3趟 每趟4500”）",
     "逾期付款的利息"},
    {SumRule::speeding, {"超速", "%"}, {}, ""},
    {SumRule::retirement,
     {"退休"},
     {"延迟", "最低缴费年限"},
     "出生年月（比如“我1974年5月生的”），交了几年社保也一起说"},
    {SumRule::pension_years, {"15年"}, {"养老", "退休"}, ""},
    {SumRule::court_fee, {"1万元以下", "50元", "减半"}, {}, "要告对方要多少钱（比如“要回3万8”）"},
    {SumRule::deduction, {"20%", "最低工资"}, {}, ""},
    {SumRule::over_deduction, {"实际损失"}, {"扣"}, ""},
    {SumRule::death_years,
     {"死亡赔偿金", "75周岁以上"},
     {},
     "去世的人多大岁数（比如“才38岁”）",
     "死亡赔偿金"},
};

const SumRuleWords& words_of(SumRule rule) {
    for (const auto& words : kSumRules)
        if (words.rule == rule) return words;
    return kSumRules[0];  // unreachable: every rule has its row
}

bool holds_all(const std::string& answer, std::initializer_list<std::string_view> words) {
    return std::all_of(words.begin(), words.end(), [&](std::string_view word) {
        return answer.find(word) != std::string::npos;
    });
}

bool follows(const Entry& answered, const SumRuleWords& words) {
    return holds_all(answered.answer, words.all_of) &&
           (words.any_of.size() == 0 || text::contains_any(answered.answer, words.any_of));
}

bool follows(const Entry& answered, SumRule rule) { return follows(answered, words_of(rule)); }

// The sums of a wage or injury story, when `answered` sets the rule they follow. The wages owed
// head the answer to the message that states them, or to one that asks for money.
std::string wage_story_lines(const Entry& answered, const DriverFigures& figures, bool asks_money,
                             bool owed_now) {
    if (figures.months_owed && figures.monthly_wage && (asks_money || owed_now) &&
        follows(answered, SumRule::wages_owed))
        return wages_owed_line(*figures.months_owed, *figures.monthly_wage, figures.deposit);
    if (figures.no_contract && figures.months_worked && figures.monthly_wage && asks_money &&
        follows(answered, SumRule::double_wage))
        return double_wage_line(*figures.months_worked, *figures.monthly_wage);
    if (figures.trips && figures.per_trip && asks_money && follows(answered, SumRule::freight))
        return freight_line(*figures.trips, *figures.per_trip);
    const bool lost_operation = figures.days_off && figures.daily_income;
    if ((figures.repair_cost || lost_operation) && asks_money &&
        follows(answered, SumRule::vehicle_loss))
        return vehicle_loss_line(figures.repair_cost, figures.days_off, figures.daily_income);
    if (figures.days_off && figures.monthly_wage && asks_money &&
        follows(answered, SumRule::stop_work_pay))
        return stop_work_pay_line(*figures.days_off, *figures.monthly_wage);
    // With a repair in his story the days off are the truck's (停运损失, above), not his.
    if (figures.days_off && (figures.daily_income || figures.monthly_wage) && asks_money &&
        !figures.repair_cost && follows(answered, SumRule::lost_earnings)) {
        const bool monthly = !figures.daily_income;
        const long income = monthly ? *figures.monthly_wage : *figures.daily_income;
        return lost_earnings_line(*figures.days_off, income, monthly);
    }
    return {};
}

// Points are added up when this message states some (`points_now`) or asks what is left: "9分"
// said two messages ago was added to an overload question's answer as "6＋9＝15分" (legal helper,
// session 24).
std::string traffic_lines(const Entry& answered, const DriverFigures& figures,
                          const DriverFigures& now, std::string_view text,
                          std::string_view stated) {
    const std::optional<int> left = points_left_said(stated);
    const bool asks_left = asks_what_is_left(text) || left;
    const bool asks_points = !now.points.empty() || asks_left;
    // Figures of earlier messages head an answer to a message that states some of its own or
    // asks about a fine or points; "要是公司压着不给我报呢" got the same top line four times
    // (money helper, session 26).
    const bool asks = now.speed || now.speed_limit || now.axles || now.gross_tons ||
                      now.rated_tons ||
                      text::contains_any(text, {"罚", "扣", "分", "超", "多少", "算", "够不够"});
    if (!asks && !asks_points) return {};
    std::string lines;
    if (figures.speed_limit && figures.speed && *figures.speed > *figures.speed_limit &&
        follows(answered, SumRule::speeding))
        lines +=
            speeding_line(*figures.speed_limit, *figures.speed,
                          answered.answer.find("20%以上一次记12分") != std::string::npos, text);
    if (asks_points && !figures.points.empty() && follows(answered, SumRule::points))
        lines += points_line(figures.points, asks_left, left);
    if (figures.rated_tons && figures.gross_tons && *figures.gross_tons > *figures.rated_tons &&
        follows(answered, SumRule::overload))
        lines += overload_line(*figures.rated_tons, *figures.gross_tons, figures.deducted, stated);
    if (figures.axles && figures.gross_tons && follows(answered, SumRule::overlimit))
        lines +=
            overlimit_line(*figures.axles, figures.trailer, *figures.gross_tons, figures.deducted);
    else if (figures.tons_over && !figures.gross_tons && follows(answered, SumRule::overlimit))
        lines += tons_over_line(*figures.tons_over);
    return lines;
}

}  // namespace

std::string sum_for_driver(const Entry& answered, std::string_view text,
                           std::string_view said_before, bool sum_asked, int today) {
    if (std::string line = limitation_for_driver(answered, text, today); !line.empty()) return line;
    return worked_sum_for_driver(answered, text, said_before, sum_asked, today);
}

std::string worked_sum_for_driver(const Entry& answered, std::string_view text,
                                  std::string_view said_before, bool sum_asked, int today) {
    const int this_year = today / 10000;
    // His figures in this message alone, and with his earlier ones (this message's first).
    const DriverFigures now = figures_in(text);
    const std::string stated = std::string(text) + " " + std::string(said_before);
    const DriverFigures figures = said_before.empty() ? now : figures_in(stated);
    if (std::string lines = traffic_lines(answered, figures, now, text, stated); !lines.empty())
        return lines;
    // "我今年52了 男的": an age stands for the birth year when this year is known.
    const bool age_for_birth = !figures.born_year && figures.age && this_year > 0;
    if ((figures.born_year || age_for_birth) && follows(answered, SumRule::retirement)) {
        const bool female =
            text::contains_any(stated, {"女的", "女司机", "我是女", "女职工", "女同志", "女性"});
        const bool male =
            text::contains_any(stated, {"男的", "男司机", "我是男", "男职工", "男同志", "男性"});
        if (age_for_birth)
            return retirement_line(this_year - *figures.age, 0, female, female || male,
                                   figures.years_paid, figures.age);
        return retirement_line(*figures.born_year, figures.born_month, female, female || male,
                               figures.years_paid);
    }
    // "3万8的话诉讼费要交多少": the fee for his sum; wages go to arbitration first.
    const bool asks_fee = text::contains_any(
        text, {"诉讼费", "受理费", "花多少", "多少钱", "交多少", "费用", "要花", "花钱"});
    if (figures.claim && asks_fee && follows(answered, SumRule::court_fee)) {
        const std::u32string story = prepared(stated);
        const bool wages =
            mentions(story, {U"工资", U"欠薪", U"工钱"}) && !mentions(story, {U"运费"});
        if (std::string line = court_fee_line(*figures.claim, wages); !line.empty()) return line;
    }
    // "交了13年 还差几年" with no birth year: what the years give before and after 2030.
    if (!figures.born_year && figures.years_paid && follows(answered, SumRule::pension_years) &&
        text::contains_any(text, {"还差", "差几年", "够不够", "够了吗", "够不", "几年", "多少年"}))
        return pension_years_line(*figures.years_paid);
    // "给两万了事 够不够": whether an offer is enough asks what the rule gives too; "帮我算算",
    // "一共能拿多少": a sum asked after the answer; "住院这20天工资他要给不" whether it is paid.
    // "武进劳动仲裁在哪 电话多少" asks no money: the wages said before headed its answer with the
    // figure he had corrected two messages earlier (legal helper, session 27).
    // "多久能拿到" asks when, not how much: the disability sum came again above a menu (legal
    // helper, session 29).
    const std::string money_words = text::replace_each_with_space(
        std::string(text),
        {"电话多少", "电话是多少", "号码多少", "号码是多少", "多少号", "手机多少", "多久能拿",
         "多长时间能拿", "啥时候能拿", "什么时候能拿", "几天能拿", "多久才能拿", "多久能要",
         "啥时候能要", "什么时候能要", "多久能到"});
    const bool asks_money =
        sum_asked ||
        text::contains_any(
            money_words,
            {"补偿",   "赔",     "多少",     "几个月", "N",    "n+1",    "能拿", "能要",
             "给我",   "够不够", "够不",     "少不少", "合理", "亏不亏", "算算", "算一下",
             "帮我算", "一共",   "总共",     "二倍",   "双倍", "两倍",   "咋算", "怎么算",
             "如何算", "咋计算", "怎么计算", "给不",   "给吗", "发不发", "照发"});
    // Someone died: his days in hospital are no days off work ("在医院ICU住了3天 他39岁 每个月工资
    // 八千五" got "停工留薪期内原工资照发…约850元" for a man who died; victims helper, session 31).
    DriverFigures worked = figures;
    if (mentions(prepared(stated), {U"人没了", U"去世", U"死亡", U"没抢救过来", U"抢救无效",
                                    U"过世", U"撞死", U"身亡", U"撞走了", U"人走了"}))
        worked.days_off.reset();
    if (std::string lines =
            wage_story_lines(answered, worked, asks_money, now.months_owed.has_value());
        !lines.empty())
        return lines;
    if (figures.age && asks_money && follows(answered, SumRule::death_years))
        return death_years_line(*figures.age);
    if (figures.deducted && figures.real_loss && *figures.deducted > *figures.real_loss &&
        follows(answered, SumRule::over_deduction))
        return over_deduction_line(*figures.deducted, *figures.real_loss);
    const bool severance_asked = figures.months_worked && *figures.months_worked > 0 &&
                                 asks_money && follows(answered, SumRule::severance);
    if (!figures.monthly_wage)
        return severance_asked ? severance_months_line(*figures.months_worked, figures.months_more)
                               : std::string();
    if (figures.deducted && follows(answered, SumRule::deduction))
        return deduction_line(*figures.monthly_wage, *figures.deducted);
    if (severance_asked)
        return figures.months_more
                   ? severance_range_line(*figures.months_worked, *figures.monthly_wage)
                   : severance_line(*figures.months_worked, *figures.monthly_wage);
    if (figures.disability_grade && asks_money && follows(answered, SumRule::disability))
        return disability_line(*figures.disability_grade, *figures.monthly_wage);
    return {};
}

namespace {

// Every number written in `raw`, in order.
std::vector<long> numbers_written(std::string_view raw) { return numbers_in(prepared(raw)); }

constexpr std::string_view kSumAsks[] = {
    "算算",     "算一下",     "帮我算",   "给我算",   "给算",     "一共能", "总共能", "一共多少",
    "总共多少", "一共是多少", "能拿多少", "能要多少", "能赔多少", "赔多少", "拿多少", "要回多少"};

}  // namespace

bool asks_for_a_sum(std::string_view text) { return text::contains_any(text, kSumAsks); }

bool asks_only_for_a_sum(std::string_view text) {
    if (!asks_for_a_sum(text)) return false;
    std::string rest(text);
    for (const std::string_view ask : kSumAsks)
        for (auto at = rest.find(ask); at != std::string::npos; at = rest.find(ask))
            rest.erase(at, ask.size());
    // What is left beside the ask: fillers and pronouns say nothing of their own.
    constexpr std::u32string_view kFillers =
        U"那我你他的呢啊吧了就还钱块呀嘛哈帮给下总共一能多少是";
    constexpr std::size_t kOwnWords = 3;
    return characters_said(rest, kFillers) < kOwnWords;
}

std::optional<long> sum_he_states(std::string_view text) {
    if (!text::contains_any(text, {"是不是", "对不对", "对吗", "对吧", "没错吧", "算得对", "算的对",
                                   "对不", "是这么多", "这么算"}))
        return std::nullopt;
    std::optional<long> largest;
    constexpr long kSmallestSum = 100;
    for (const long value : numbers_written(text))
        if (value >= kSmallestSum && (!largest || value > *largest)) largest = value;
    // "月工资7000 是不是这么算" states his wage, not a sum.
    const DriverFigures figures = figures_in(text);
    if (largest && (largest == figures.monthly_wage || largest == figures.daily_income ||
                    largest == figures.deducted))
        return std::nullopt;
    return largest;
}

bool sum_holds(std::string_view sum, long figure, double tolerance) {
    const std::vector<long> numbers = numbers_written(sum);
    return std::any_of(numbers.begin(), numbers.end(), [&](long value) {
        return std::abs(static_cast<double>(value - figure)) <=
               tolerance * static_cast<double>(value);
    });
}

std::string figures_a_sum_needs(const Entry& answered) {
    for (const auto& words : kSumRules)
        if (!words.needs.empty() && follows(answered, words) &&
            (words.needs_also.empty() ||
             answered.answer.find(words.needs_also) != std::string::npos))
            return std::string(words.needs);
    return {};
}

bool corrects_a_figure(std::string_view text) {
    constexpr std::size_t kLongestCorrection = 40;
    if (text::code_point_count(text) > kLongestCorrection) return false;
    const std::u32string folded = prepared(text);
    if (std::none_of(folded.begin(), folded.end(), is_arabic)) return false;
    const bool says_wrong = text::contains_any(
        text,
        {"说错", "打错", "写错", "搞错", "弄错", "记错", "不对", "更正", "纠正", "重新算", "再算",
         // "改一下 工资是7500", "说差了 花了12万" (答不好 and 没看懂; money helper, session 28).
         "改一下", "改成", "说差了", "算错"});
    // "是不是7万块" asks whether his sum is right; it denies nothing.
    const bool denies_a_number = [&] {
        for (auto at = folded.find(U"不是"); at != std::u32string::npos;
             at = folded.find(U"不是", at + 2))
            if (at + 2 < folded.size() && is_arabic(folded[at + 2]) &&
                (at == 0 || folded[at - 1] != U'是'))
                return true;
        return false;
    }();
    return says_wrong || denies_a_number;
}

std::string without_denied_figures(std::string_view text) {
    std::string out(text);
    constexpr std::string_view kDenied = "不是";
    for (auto at = out.find(kDenied); at != std::string::npos; at = out.find(kDenied, at)) {
        // Up to what he says instead (是…), or the clause's end.
        std::size_t end = out.size();
        for (const std::string_view stop : {"是", " ", "，", ",", "。", "；"})
            if (const auto found = out.find(stop, at + kDenied.size()); found != std::string::npos)
                end = std::min(end, found);
        out.erase(at, end - at);
    }
    return out;
}

namespace {

// The unit written_figures gives a wage said per month.
constexpr std::u32string_view kMonthlyWage = U"月薪";

// A number as written (digits and a decimal point) and the unit right after it ("个月", "分").
struct WrittenFigure {
    std::u32string number;
    std::u32string unit;
    std::size_t at = 0;
    bool denied = false;  // said after 不是
};

std::vector<WrittenFigure> written_figures(const std::u32string& text) {
    static constexpr std::u32string_view kUnits[] = {
        U"个多月", U"个月", U"年", U"天", U"分", U"吨", U"元", U"块", U"趟", U"次", U"万", U"千"};
    std::vector<WrittenFigure> figures;
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (!is_arabic(text[at]) || (at > 0 && (is_arabic(text[at - 1]) || text[at - 1] == U'.')))
            continue;
        WrittenFigure figure;
        figure.at = at;
        std::size_t end = at;
        while (end < text.size() && (is_arabic(text[end]) || text[end] == U'.')) ++end;
        figure.number = text.substr(at, end - at);
        for (const std::u32string_view unit : kUnits)
            if (text.compare(end, unit.size(), unit) == 0) {
                figure.unit = unit;
                break;
            }
        std::size_t before = at;
        while (before > 0 && text[before - 1] == U' ') --before;
        figure.denied = before >= 2 && text.compare(before - 2, 2, U"不是") == 0;
        // "一个月7500" (read "1个月7500") says per month: the 1 is no length of time, and the
        // 7500 is his monthly wage ("不对 是5个月 一个月7500" gave 1 month; money helper, session
        // 28). A wage said after 每月 / 月薪 / 工资 or before "一个月" is one too.
        std::size_t after = end + figure.unit.size();
        while (after < text.size() && text[after] == U' ') ++after;
        const bool per_month = figure.number == U"1" && figure.unit == U"个月" &&
                               after < text.size() && is_arabic(text[after]);
        if (per_month) continue;
        if (figure.unit.empty() &&
            (said_before(text, before, 3, kMonthlyBefore) || said_after(text, end, kMonthlyAfter)))
            figure.unit = kMonthlyWage;
        figures.push_back(std::move(figure));
    }
    return figures;
}

}  // namespace

std::string with_corrected_figures(std::string_view correction, std::string_view earlier) {
    const std::vector<WrittenFigure> said = written_figures(prepared(correction));
    std::vector<const WrittenFigure*> given;
    for (const WrittenFigure& figure : said)
        if (!figure.denied) given.push_back(&figure);
    std::u32string out = prepared(earlier);
    bool replaced = false;
    std::vector<const WrittenFigure*> used;
    for (const WrittenFigure& denied : said) {
        if (!denied.denied) continue;
        const WrittenFigure* instead = nullptr;
        // "工资是8500不是7500": the denied wage has no word of its own to say it is one.
        const auto gives_for = [&](const WrittenFigure& figure) {
            return figure.unit == denied.unit ||
                   (denied.unit.empty() && figure.unit == kMonthlyWage);
        };
        for (const WrittenFigure* figure : given)
            if (!instead && gives_for(*figure)) instead = figure;
        if (!instead && given.size() == 1) instead = given.front();
        if (!instead) continue;
        used.push_back(instead);
        // "不是58 是55吨": the denied figure has the unit of the one he gives.
        const std::u32string& unit = denied.unit.empty() ? instead->unit : denied.unit;
        for (const WrittenFigure& old : written_figures(out))
            // "不是九千是八千五": neither says it is a wage; the 9000 said before is one.
            if (old.number == denied.number && (unit.empty() || old.unit == unit)) {
                out.replace(old.at, old.number.size(), instead->number);
                replaced = true;
                break;
            }
    }
    // "说错了 是过磅55吨" after "58吨": a figure given and nothing denied for it, and one of that
    // unit said before (the larger weight had won; money helper, session 26). "说错了
    // 是四年零四个月 工资是8500不是7500" gives the years beside a denied wage: both are his (the
    // years were dropped and 3年4个月 worked again; legal helper, session 27).
    // "一个月7500" says per month: no figure of his.
    // "核载49吨 拉了55吨" then "不对是52吨": a limit or rating is no figure of his to correct
    // (with two tonnages before, none was placed and the 55 stayed; money helper, session 28).
    const auto is_limit = [&](const WrittenFigure& old) {
        // "说超了3吨" is an excess, no weight of his ("不对 是51吨" after "拉了52吨 说超了3吨"
        // placed nothing and the 52 stayed; legal helper, session 29).
        return said_before(
            out, old.at, 3,
            {U"限", U"核定", U"额定", U"核载", U"标", U"准载", U"载重", U"限重", U"超"});
    };
    const auto same_unit = [&](const WrittenFigure& old, const WrittenFigure& figure) {
        return old.unit == figure.unit && !(old.number == U"1" && old.unit == U"个月") &&
               !is_limit(old);
    };
    const std::vector<WrittenFigure> before = written_figures(out);
    const auto places_before = [&](const WrittenFigure& figure) {
        return std::count_if(before.begin(), before.end(),
                             [&](const WrittenFigure& old) { return same_unit(old, figure); });
    };
    // Each such figure needs its one place before, or none is placed: "说错了 是干了4年2个月"
    // after "干了三年" would lose the 2 months (the correction is then read as it is).
    std::vector<const WrittenFigure*> placed;
    for (const WrittenFigure* figure : given)
        if (!figure->unit.empty() && std::find(used.begin(), used.end(), figure) == used.end())
            placed.push_back(figure);
    if (std::any_of(placed.begin(), placed.end(),
                    [&](const WrittenFigure* figure) { return places_before(*figure) != 1; }))
        placed.clear();
    for (const WrittenFigure* figure : placed) {
        // "四年零四个月" is read "4年04个月": the months are 4.
        std::u32string number = figure->number;
        while (number.size() > 1 && number.front() == U'0') number.erase(0, 1);
        for (const WrittenFigure& old : written_figures(out))
            if (same_unit(old, *figure)) {
                if (old.number != number) {
                    out.replace(old.at, old.number.size(), number);
                    replaced = true;
                }
                break;
            }
    }
    return replaced ? text::encode_utf8(out) : std::string(earlier);
}

std::string figures_said_before(const std::vector<std::string>& oldest_first) {
    std::string joined;  // newest first
    for (const std::string& message : oldest_first) {
        if (corrects_a_figure(message)) joined = with_corrected_figures(message, joined);
        joined = message + " " + joined;
    }
    return joined;
}

}  // namespace kayou::faq
