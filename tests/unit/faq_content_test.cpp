// Pure parts of the content flow: validation with line numbers, the benefit catalog, stations,
// ticket-number helpers and the legal answer texts. No Redis here (tests/integration/faq_*).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "faq/benefits.hpp"
#include "faq/content.hpp"
#include "faq/follow_up.hpp"
#include "faq/legal_service.hpp"
#include "faq/stations.hpp"
#include "faq/sums.hpp"
#include "faq/tickets.hpp"
#include "text/masks.hpp"

namespace kayou::faq {
namespace {

std::string read_data(const std::string& name) {
    std::ifstream file(std::string(KAYOU_SOURCE_DIR) + "/faq/data/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

TEST(FaqContent, ShippedFilesValidate) {
    for (auto kind : kContentKinds) {
        const auto text = read_data(std::string(content_seed_file(kind)));
        ASSERT_FALSE(text.empty()) << content_seed_file(kind);
        const auto problems = validate_content(kind, text);
        EXPECT_TRUE(problems.empty()) << content_seed_file(kind) << ":" << problems.front().line
                                      << ": " << problems.front().message;
    }
}

TEST(FaqContent, KindNamesRoundTrip) {
    for (auto kind : kContentKinds) EXPECT_EQ(parse_content_kind(content_kind_name(kind)), kind);
    EXPECT_FALSE(parse_content_kind("scripts"));
}

TEST(FaqContent, BrokenFaqScriptReportsLines) {
    const std::string text =
        "version: \"x\"\n"
        "entries:\n"
        "  - id: a\n"
        "    questions: [工资不发怎么办]\n"
        "    anwser: 去仲裁\n";
    const auto problems = validate_content(ContentKind::faq, text);
    ASSERT_FALSE(problems.empty());
    bool unknown_key_on_line_5 = false;
    for (const auto& p : problems)
        if (p.line == 5 && p.message.find("anwser") != std::string::npos)
            unknown_key_on_line_5 = true;
    EXPECT_TRUE(unknown_key_on_line_5);
}

TEST(FaqContent, YamlSyntaxErrorHasALine) {
    const auto problems =
        validate_content(ContentKind::benefits, "version: x\nbenefits: [\n  - a\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_GT(problems[0].line, 0);
    EXPECT_NE(problems[0].message.find("YAML"), std::string::npos);
}

const char* kCatalog = R"(version: t
benefits:
  - id: gift
    name: 礼包
    eligibility: member
    what: 一份礼包
    how_to_claim: 服务站领取
    valid_until: 2026-06-30
  - id: aid
    name: 帮扶
    eligibility: applicant
    what: 帮扶金
    how_to_claim: 提交申请
  - id: fair
    name: 招聘会
    eligibility: anyone
    districts: [武进区]
    what: 招聘
    how_to_claim: 到场
)";

TEST(FaqBenefits, EligibilityByStatusDistrictAndDate) {
    const auto catalog = parse_benefits(kCatalog, "t");
    auto ids = [&](std::string_view district, MemberStatus status, std::string_view today) {
        std::vector<std::string> out;
        for (const auto* b : benefits_for(catalog, district, status, today)) out.push_back(b->id);
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(ids("武进区", MemberStatus::member, "2026-05-01"), (V{"gift", "aid", "fair"}));
    EXPECT_EQ(ids("武进区", MemberStatus::applicant, "2026-05-01"), (V{"aid", "fair"}));
    EXPECT_EQ(ids("武进区", MemberStatus::none, "2026-05-01"), (V{"fair"}));
    EXPECT_EQ(ids("天宁区", MemberStatus::none, "2026-05-01"), (V{}));
    // valid_until is inclusive; the day after, the gift is gone.
    EXPECT_EQ(ids("天宁区", MemberStatus::member, "2026-06-30"), (V{"gift", "aid"}));
    EXPECT_EQ(ids("天宁区", MemberStatus::member, "2026-07-01"), (V{"aid"}));
}

TEST(FaqBenefits, TextTellsNonMembersWhatJoiningAdds) {
    const auto catalog = parse_benefits(kCatalog, "t");
    const auto text = benefits_text(catalog, "武进区", MemberStatus::none, "2026-05-01");
    EXPECT_NE(text.find("招聘会"), std::string::npos);
    EXPECT_NE(text.find("入会后还可享受：礼包、帮扶"), std::string::npos);
    const auto member = benefits_text(catalog, "武进区", MemberStatus::member, "2026-05-01");
    EXPECT_EQ(member.find("入会后"), std::string::npos);
    EXPECT_NE(member.find("截止2026-06-30"), std::string::npos);
    EXPECT_NE(benefits_text(catalog, "", MemberStatus::member, "2026-05-01").find("哪个区"),
              std::string::npos);
}

// "第二个咋领" right after the numbered list got a drink-driving menu (benefits helper, session
// 29): the list's items are what it picks, in the list's order.
TEST(FaqBenefits, APickAfterTheListIsThatBenefit) {
    const auto catalog = parse_benefits(kCatalog, "t");
    std::vector<std::string> ids;
    for (const auto* b : listed_benefits(catalog, "武进区", MemberStatus::member, "2026-05-01"))
        ids.push_back(b->id);
    ASSERT_EQ(ids, (std::vector<std::string>{"gift", "aid", "fair"}));
    const auto text = benefits_text(catalog, "武进区", MemberStatus::member, "2026-05-01");
    EXPECT_NE(text.find("2. 帮扶"), std::string::npos) << text;
    const auto second = picked_benefit_text(catalog, ids, MemberStatus::member, "第二个咋领");
    ASSERT_TRUE(second);
    EXPECT_EQ(second->rfind("帮扶：", 0), 0u) << *second;
    const auto third = picked_benefit_text(catalog, ids, MemberStatus::member, "第3个呢");
    ASSERT_TRUE(third);
    EXPECT_EQ(third->rfind("招聘会：", 0), 0u) << *third;
    // No pick, or one past the list: nothing.
    EXPECT_FALSE(picked_benefit_text(catalog, ids, MemberStatus::member, "咋领"));
    EXPECT_FALSE(picked_benefit_text(catalog, ids, MemberStatus::member, "第五个"));
    // A member's benefit picked by one who is not a member says what joining takes.
    const auto gift = picked_benefit_text(catalog, ids, MemberStatus::none, "第一个");
    ASSERT_TRUE(gift);
    EXPECT_NE(gift->find("入会"), std::string::npos) << *gift;
    // An asked kind answered alone lists nothing to pick from.
    EXPECT_TRUE(
        listed_benefits(catalog, "武进区", MemberStatus::member, "2026-05-01", "gift").empty());
}

TEST(FaqBenefits, ABenefitAskedAboutThatIsClosedTodayIsNamedWithItsDate) {
    const auto catalog = parse_benefits(kCatalog, "t");
    struct Case {
        std::string_view district, today, kind;
        MemberStatus status;
        std::string_view expected;  // empty: no line about the asked benefit
    };
    const Case cases[] = {
        {"武进区", "2026-07-01", "gift", MemberStatus::member,
         "您问的“礼包”本期已于2026-06-30截止"},
        {"", "2026-07-01", "gift", MemberStatus::none, "您问的“礼包”本期已于2026-06-30截止"},
        // Open today: listed as usual, no line.
        {"武进区", "2026-05-01", "gift", MemberStatus::member, ""},
        // Open to members only: named under what joining adds, no line.
        {"武进区", "2026-05-01", "gift", MemberStatus::none, ""},
        // Nothing asked, or a kind the catalogue lacks: no line.
        {"武进区", "2026-07-01", "", MemberStatus::member, ""},
        {"武进区", "2026-07-01", "fuel_card", MemberStatus::member, ""},
    };
    for (const auto& c : cases) {
        const auto text = benefits_text(catalog, c.district, c.status, c.today, c.kind);
        SCOPED_TRACE(std::string(c.today) + " " + std::string(c.kind));
        if (c.expected.empty())
            EXPECT_EQ(text.find("您问的"), std::string::npos) << text;
        else
            EXPECT_EQ(text.rfind(c.expected, 0), 0u) << text;
    }
}

// Two benefits named ("加油卡咋办 入会礼包有啥"): each answered, one tail (benefits helper, session
// 21: the whole list answered neither).
TEST(FaqBenefits, EachBenefitNamedIsAnswered) {
    const auto catalog = parse_benefits(read_data("benefits.yaml"), "benefits.yaml");
    const auto text = benefits_text(catalog, "武进区", MemberStatus::member, "2026-05-01",
                                    "fuel_card,welcome_pack");
    EXPECT_NE(text.find("加油卡优惠："), std::string::npos) << text;
    EXPECT_NE(text.find("新会员入会礼包："), std::string::npos) << text;
    EXPECT_EQ(text.find("12351"), text.rfind("12351")) << "one tail: " << text;
    EXPECT_EQ(text.find("招聘会"), std::string::npos) << text;
}

// An applicant's list says what comes with the approval, not "回复入会即可在线申请" (benefits
// helper, session 21: he had applied two minutes before).
TEST(FaqBenefits, AnApplicantIsNotAskedToApplyAgain) {
    const auto catalog = parse_benefits(read_data("benefits.yaml"), "benefits.yaml");
    const auto list = benefits_text(catalog, "武进区", MemberStatus::applicant, "2026-05-01", "");
    EXPECT_NE(list.find("入会申请批下来后还可享受"), std::string::npos) << list;
    EXPECT_EQ(list.find("回复\"入会\""), std::string::npos) << list;
    const auto outsider = benefits_text(catalog, "武进区", MemberStatus::none, "2026-05-01", "");
    EXPECT_NE(outsider.find("回复\"入会\"即可在线申请"), std::string::npos) << outsider;
}

// A benefit with conditions (the shipped mutual aid: the member alone, from when he is covered)
// says them, and an applicant is not told "批下来就能领" (benefits helper, session 21: a driver
// in hospital during review was).
TEST(FaqBenefits, ConditionsAreSaidAndNoClaimIsPromised) {
    const auto catalog = parse_benefits(read_data("benefits.yaml"), "benefits.yaml");
    const auto applicant =
        benefits_text(catalog, "武进区", MemberStatus::applicant, "2026-05-01", "mutual_aid");
    EXPECT_NE(applicant.find("注意：只保会员本人"), std::string::npos) << applicant;
    EXPECT_NE(applicant.find("以所在区县工会审核为准"), std::string::npos) << applicant;
    EXPECT_EQ(applicant.find("批下来就能领"), std::string::npos) << applicant;
    const auto member =
        benefits_text(catalog, "武进区", MemberStatus::member, "2026-05-01", "mutual_aid");
    EXPECT_NE(member.find("注意："), std::string::npos) << member;
}

// "礼包怎么领": that benefit, what it is and how to claim it, and whether he can yet; not the list
// of everything (a helper playing drivers never saw what the fuel card gives).
TEST(FaqBenefits, ABenefitAskedAboutIsAnsweredAlone) {
    const auto catalog = parse_benefits(kCatalog, "t");
    const auto text = [&](std::string_view district, MemberStatus status, std::string_view today,
                          std::string_view kind) {
        return benefits_text(catalog, district, status, today, kind);
    };
    const auto member = text("武进区", MemberStatus::member, "2026-05-01", "gift");
    EXPECT_EQ(member.rfind("礼包：一份礼包", 0), 0u) << member;
    EXPECT_NE(member.find("服务站领取"), std::string::npos);
    EXPECT_NE(member.find("12351"), std::string::npos);  // who to ask when it does not come
    EXPECT_NE(member.find("其他福利回复"), std::string::npos);
    EXPECT_EQ(member.find("招聘会"), std::string::npos) << member;
    const auto outsider = text("武进区", MemberStatus::none, "2026-05-01", "gift");
    EXPECT_NE(outsider.find("服务站领取"), std::string::npos) << outsider;
    EXPECT_NE(outsider.find("入会后就能领"), std::string::npos) << outsider;
    EXPECT_NE(text("武进区", MemberStatus::applicant, "2026-05-01", "gift").find("批下来就能领"),
              std::string::npos);
    EXPECT_NE(text("", MemberStatus::none, "2026-05-01", "gift").find("各地工会"),
              std::string::npos);
    const auto closed = text("武进区", MemberStatus::none, "2026-07-01", "gift");
    EXPECT_EQ(closed.rfind("您问的“礼包”本期已于2026-06-30截止", 0), 0u) << closed;
    EXPECT_NE(closed.find("只有会员能领"), std::string::npos) << closed;
    EXPECT_EQ(closed.find("招聘会"), std::string::npos) << closed;
    // A kind the catalogue does not have: the whole list.
    EXPECT_NE(text("武进区", MemberStatus::none, "2026-05-01", "fuel_card").find("招聘会"),
              std::string::npos);
}

TEST(FaqBenefits, ProblemsCarryLines) {
    const std::string text =
        "version: t\n"
        "benefits:\n"
        "  - id: gift\n"
        "    name: 礼包\n"
        "    eligibility: members\n"
        "    what: x\n"
        "    how_to_claim: y\n"
        "    valid_until: 2026-13-01\n"
        "  - id: gift\n"
        "    name: 重复\n"
        "    eligibility: anyone\n"
        "    what: x\n";
    try {
        parse_benefits(text, "t");
        FAIL() << "accepted a broken catalog";
    } catch (const ScriptError& error) {
        std::vector<int> lines;
        for (const auto& p : error.problems()) lines.push_back(p.line);
        auto has = [&](int line) {
            return std::find(lines.begin(), lines.end(), line) != lines.end();
        };
        EXPECT_TRUE(has(5)) << error.what();             // eligibility
        EXPECT_TRUE(has(8)) << error.what();             // date
        EXPECT_TRUE(has(9)) << error.what();             // duplicate id
        EXPECT_TRUE(has(9) || has(12)) << error.what();  // how_to_claim missing in the second
    }
}

TEST(FaqStations, PlacesLongestMatchAndNearestInMemory) {
    const auto catalog = parse_stations(read_data("stations.yaml"), "stations.yaml");
    ASSERT_NE(catalog.find_place("附近的司机之家 湖塘镇"), nullptr);
    EXPECT_EQ(catalog.find_place("附近的司机之家 湖塘镇")->name, "湖塘镇");
    EXPECT_EQ(catalog.find_place("武进区哪里有驿站")->name, "武进区");
    // A town named beside its district narrows it (benefits helper, session 25).
    EXPECT_EQ(catalog.find_place("武进牛塘")->name, "牛塘镇");
    EXPECT_EQ(catalog.find_place("我现在在新北这个罗溪这边")->name, "罗溪镇");
    EXPECT_EQ(catalog.find_place("我在钟楼邹区")->name, "邹区镇");
    EXPECT_EQ(catalog.find_place("拉萨"), nullptr);
    ASSERT_NE(catalog.find_place("附近的司机之家 南京"), nullptr);
    EXPECT_TRUE(catalog.find_place("附近的司机之家 南京")->outside);
    EXPECT_FALSE(catalog.find_place("湖塘")->outside);
    EXPECT_EQ(catalog.area, "常州市");
    const auto* hutang = catalog.find_place("湖塘");
    const auto nearby = nearest_in_memory(catalog, hutang->lat, hutang->lng, 3);
    ASSERT_EQ(nearby.size(), 3u);
    EXPECT_EQ(nearby[0].station->id, "wujin-hutang");
    EXPECT_LT(nearby[0].distance_km, nearby[1].distance_km);
    EXPECT_LT(nearby[1].distance_km, nearby[2].distance_km);
    const auto text = nearest_text(nearby, "湖塘镇", catalog.demo);
    EXPECT_NE(text.find("1. 湖塘镇司机之家"), std::string::npos) << text;
    EXPECT_NE(text.find("演示数据"), std::string::npos);
}

TEST(FaqStations, WantedServiceInTheCatalogsNamesAndInDriversWords) {
    const auto catalog = parse_stations(read_data("stations.yaml"), "stations.yaml");
    const std::pair<const char*, const char*> cases[] = {
        {"有洗澡的吗", "淋浴"},      {"哪能冲个凉", "淋浴"},
        {"有淋浴没", "淋浴"},        {"能充电不", "手机充电"},
        {"手机充电", "手机充电"},    {"能洗衣服吗", "洗衣"},
        {"晚上能停车吗", "停车"},    {"有吃饭的地方没", "餐饮"},
        {"想睡一觉", "休息室"},      {"有开水吗", "热水"},
        {"附近的司机之家 湖塘", ""}, {"有没有加油站", ""},
        {"有没有能修车的", "小修"},  {"", ""},
    };
    for (const auto& [text, service] : cases)
        EXPECT_EQ(wanted_service(catalog, text), service) << text;
    StationCatalog bare;  // a catalog that lists no showers: "洗澡" asks for nothing it knows
    bare.stations.push_back({"a", "甲驿站", "武进区", 31.7, 119.9, "", {"热水"}, "", "", 1});
    EXPECT_EQ(wanted_service(bare, "有洗澡的吗"), "");
    EXPECT_EQ(wanted_service(bare, "有热水吗"), "热水");
}

TEST(FaqStations, AServiceAskedForListsOnlyStationsThatOfferIt) {
    const auto catalog = parse_stations(read_data("stations.yaml"), "stations.yaml");
    const auto* hutang = catalog.find_place("湖塘");
    ASSERT_NE(hutang, nullptr);
    const auto all = nearest_in_memory(catalog, hutang->lat, hutang->lng, 50, kAnywhereKm);
    const auto shower = stations_answer(all, "湖塘镇", false, catalog.area, false, "淋浴");
    EXPECT_EQ(shower.rfind("离湖塘镇最近、有淋浴的司机之家：", 0), 0u) << shower;
    EXPECT_NE(shower.find("1. 湖塘镇司机之家"), std::string::npos) << shower;
    // Every station listed offers it: three items, each naming 淋浴.
    std::size_t items = 0;
    for (std::size_t at = shower.find('\n'); at != std::string::npos;
         at = shower.find('\n', at + 1)) {
        ++items;
        const std::size_t end = shower.find('\n', at + 1);
        EXPECT_NE(shower.substr(at, end - at).find("淋浴"), std::string::npos) << shower;
    }
    EXPECT_EQ(items, 3u) << shower;
    // None near offers it: said so, with the nearest stations as without a service.
    const auto* zhixi_area = catalog.find_place("直溪");
    ASSERT_NE(zhixi_area, nullptr);
    const auto near_zhixi =
        nearest_in_memory(catalog, zhixi_area->lat, zhixi_area->lng, 50, kAnywhereKm);
    const auto none =
        stations_answer(near_zhixi, "直溪镇", false, catalog.area, false, "不存在的服务");
    EXPECT_EQ(none.rfind("直溪镇附近的司机之家都没有不存在的服务。", 0), 0u) << none;
    EXPECT_NE(none.find("离直溪镇最近的司机之家："), std::string::npos) << none;
}

// "第二个能停半挂不", "最近那个电话多少", "牛塘那个几点关门" right after a list got the list
// again, the FAQ's word on stations in general or a drink-driving menu (benefits helper, session
// 29). The list's stations are what they pick, and what they ask is answered first.
TEST(FaqStations, AMessageAboutTheStationsJustListedPicksOneAndAnswersIt) {
    const auto catalog = parse_stations(read_data("stations.yaml"), "stations.yaml");
    const auto* hutang = catalog.find_place("湖塘");
    ASSERT_NE(hutang, nullptr);
    const auto nearby = nearest_in_memory(catalog, hutang->lat, hutang->lng, 3, kAnywhereKm);
    const auto listed = listed_stations(nearby);
    ASSERT_EQ(listed.size(), 3u);
    ASSERT_EQ(listed[0]->id, "wujin-hutang");
    ASSERT_EQ(listed[1]->id, "wujin-niutang");
    struct Pick {
        const char* text;
        int picked;  // -1: none
    };
    const Pick picks[] = {
        {"第二个能停半挂不", 1},
        {"第2个几点关门", 1},
        {"第三家电话多少", 2},
        {"头一个洗澡要钱不", 0},
        {"最近那个电话多少", 0},
        {"离我最近的在哪", 0},
        {"最后那个几点关门", 2},
        {"牛塘那个几点关门", 1},
        {"湖塘的能洗澡不", 0},
        {"第五个", -1},
        {"几点关门", -1},
        {"有洗澡的吗", -1},
        {"第一次来 咋走", -1},
        {"", -1},
        // The union's office, not a station (session 30).
        {"湖塘工会在哪 周六上班不", -1},
    };
    for (const auto& [text, picked] : picks) {
        const auto got = picked_station(text, listed);
        EXPECT_EQ(got ? static_cast<int>(*got) : -1, picked) << text;
    }

    const StationQuestion semi = station_question(catalog, "第二个能停半挂不 俺是17米5的");
    EXPECT_TRUE(semi.big_vehicle);
    EXPECT_FALSE(semi.hours || semi.phone || semi.fees);
    const StationQuestion night = station_question(catalog, "牛塘那个晚上十点以后还能进不");
    EXPECT_TRUE(night.hours);
    const StationQuestion shower_fee = station_question(catalog, "洗澡要钱不");
    EXPECT_TRUE(shower_fee.fees);
    EXPECT_EQ(shower_fee.service, "淋浴");

    std::vector<std::string> ids;
    for (const Station* station : listed) ids.push_back(station->id);
    struct Case {
        const char* text;
        int picked_before;
        bool answered;
        int picked;
        std::vector<std::string> says;
        std::vector<std::string> not_says;
    };
    const Case cases[] = {
        {"第二个能停半挂不", -1, true, 1, {"牛塘物流园驿站：有停车位", "名单里没有写"}, {"湖塘"}},
        {"那几点关门", 1, true, 1, {"牛塘物流园驿站：开放时间：6:00-22:00。"}, {"湖塘"}},
        {"第一个洗澡要钱不", -1, true, 0, {"有淋浴。", "免费开放"}, {"牛塘"}},
        {"最近那个电话多少", -1, true, 0, {"没有这个站的电话", "12351"}, {}},
        {"湖塘那个24小时吗", -1, true, 0, {"24小时开放，不关门。"}, {}},
        // His hour against the station's (session 29: "我晚上11点到呢 还能进不" got the hours).
        {"第二个 我晚上11点到 还能进不", -1, true, 1, {"您23点到的时候已经关门了"}, {}},
        {"第二个 下午5点到呢", -1, true, 1, {"您17点到的时候开着"}, {}},
        // A bare number picks as the list numbers them (session 31: it got the main menu).
        {"2", -1, true, 1, {"牛塘物流园驿站"}, {"湖塘"}},
        // Asked of no station in particular: a line for each.
        {"几点关门",
         -1,
         true,
         -1,
         {"1. 湖塘镇司机之家：24小时开放", "2. 牛塘物流园驿站：开放时间：6:00-22:00"},
         {}},
        // A service alone searches again near the place (the caller's); a place alone looks there.
        {"有洗澡的吗", -1, false, -1, {}, {}},
        {"湖塘", -1, false, -1, {}, {}},
        {"奔牛那边呢", -1, false, -1, {}, {}},
        {"天宁区的司机之家在哪", -1, false, -1, {}, {}},
        {"老板欠我工资咋办", -1, false, -1, {}, {}},
    };
    for (const auto& c : cases) {
        const auto answer = about_listed_stations(catalog, ids, c.picked_before, c.text);
        ASSERT_EQ(answer.has_value(), c.answered) << c.text;
        if (!answer) continue;
        EXPECT_EQ(answer->picked, c.picked) << c.text;
        for (const auto& part : c.says)
            EXPECT_NE(answer->text.find(part), std::string::npos) << c.text << "\n" << answer->text;
        for (const auto& part : c.not_says)
            EXPECT_EQ(answer->text.find(part), std::string::npos) << c.text << "\n" << answer->text;
    }
    // Stations no longer published are left out; none left, nothing to say.
    EXPECT_FALSE(about_listed_stations(catalog, {"gone"}, -1, "第一个几点关门"));
    // A catalog that says nothing of fees sends him to ask the station.
    StationCatalog bare = catalog;
    bare.fees.clear();
    const auto unknown_fee = about_listed_stations(bare, ids, -1, "第一个洗澡要钱不");
    ASSERT_TRUE(unknown_fee);
    EXPECT_NE(unknown_fee->text.find("收不收费名单里没有写"), std::string::npos)
        << unknown_fee->text;
}

// Issue 17 item 3: outside the area the answer says so, names the nearest covered station and
// the national hotline, and never asks for the location again.
TEST(FaqStations, OutOfAreaSaysSoWithTheNearestStationAnd12351) {
    const auto catalog = parse_stations(read_data("stations.yaml"), "stations.yaml");
    struct Case {
        const char* what;
        double lat, lng;
        const char* from;
        bool outside_place;
        const char* nearest;  // the station named first
        bool outside;
    };
    const Case cases[] = {
        {"Beijing location", 39.9042, 116.4074, "", false, "直溪镇驿站", true},
        {"Guangzhou location", 23.1291, 113.2644, "", false, "社渚镇G104驿站", true},
        {"南京 named", 32.0603, 118.7969, "南京", true, "直溪镇驿站", true},
        {"无锡 named (close, still outside)", 31.4912, 120.3119, "无锡", true, "遥观镇司机驿站",
         true},
        {"Hutang location", 31.7150, 119.9560, "", false, "湖塘镇司机之家", false},
        {"遥观 named", 31.7600, 120.0500, "遥观镇", false, "遥观镇司机驿站", false},
    };
    for (const auto& c : cases) {
        const auto nearest = nearest_in_memory(catalog, c.lat, c.lng, 3, kAnywhereKm);
        ASSERT_FALSE(nearest.empty()) << c.what;
        const auto text = stations_answer(nearest, c.from, false, catalog.area, c.outside_place);
        EXPECT_NE(text.find(c.nearest), std::string::npos) << c.what << ": " << text;
        EXPECT_EQ(text.find("不在我们工会司机之家的服务范围") != std::string::npos, c.outside)
            << c.what << ": " << text;
        EXPECT_EQ(text.find("12351") != std::string::npos, c.outside) << c.what << ": " << text;
        EXPECT_EQ(text.find("发送您的位置"), std::string::npos) << c.what << ": " << text;
        if (c.outside) {
            EXPECT_NE(text.find("常州市"), std::string::npos) << text;
            if (*c.from) EXPECT_EQ(text.rfind(c.from, 0), 0u) << text;
        }
    }
    EXPECT_NE(stations_answer({}, "", false, "常州市").find("12351"), std::string::npos);
}

TEST(FaqStations, DistanceMatchesAKnownPair) {
    // Changzhou railway station to Wujin (Hutang): about 8.1 km as the crow flies.
    const double d = distance_km(31.7870, 119.9830, 31.7150, 119.9560);
    EXPECT_GT(d, 7.5);
    EXPECT_LT(d, 8.8);
}

TEST(FaqStations, BadCoordinatesAreRejectedWithLines) {
    const std::string text =
        "version: t\n"
        "stations:\n"
        "  - id: a\n"
        "    name: A\n"
        "    district: 天宁区\n"
        "    lat: 91\n"
        "    lng: 119.9\n"
        "    address: x\n";
    const auto problems = validate_content(ContentKind::stations, text);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].line, 6);
}

TEST(FaqTickets, NumbersDaysAndMasks) {
    EXPECT_EQ(china_day(0), "19700101");
    // 2026-11-22 16:30 UTC is already 2026-11-23 in China.
    EXPECT_EQ(china_day(1795365000), "20261123");
    EXPECT_EQ(china_day(1795365000 - 3600), "20261122");
    EXPECT_EQ(find_ticket_number("我的工单fl202611220007进度"), "FL202611220007");
    EXPECT_EQ(find_ticket_number("FL2026"), std::nullopt);
    EXPECT_EQ(find_ticket_number("XFL202611220007"), std::nullopt);
    EXPECT_EQ(text::mask_mobile("13812345678"), "138****5678");
    EXPECT_TRUE(valid_ticket_category("grievance", "fines"));
    EXPECT_FALSE(valid_ticket_category("grievance", ""));
    EXPECT_FALSE(valid_ticket_category("legal", "fines"));
    EXPECT_EQ(ticket_category_key("grievance", "fines"), "grievance:fines");
}

TEST(FaqTickets, StatusShowsTheAnswerOnlyToTheOwner) {
    Ticket ticket;
    ticket.number = "FL202611220001";
    ticket.state = "answered";
    ticket.answer = "可以申请劳动仲裁";
    EXPECT_NE(ticket_status_text(ticket, true).find("可以申请劳动仲裁"), std::string::npos);
    EXPECT_EQ(ticket_status_text(ticket, false).find("可以申请劳动仲裁"), std::string::npos);
    ticket.state = "open";
    EXPECT_NE(ticket_status_text(ticket, true).find("等待"), std::string::npos);
}

// "你们几点上班 晚上有人不" (session 28): the texts say when the desk answers.
TEST(FaqTickets, WaitingTextsSayTheHours) {
    Ticket ticket;
    ticket.number = "FL202611220003";
    ticket.category = "legal";
    const std::string waiting = ticket_waiting_text(ticket, "08:30-17:30");
    EXPECT_NE(waiting.find("工作日08:30-17:30"), std::string::npos) << waiting;
    EXPECT_NE(waiting.find("等律师答复"), std::string::npos) << waiting;
    EXPECT_NE(ticket_waiting_text(ticket).find("工作时间内"), std::string::npos);
    const std::string staff = handoff_opened_text(ticket.number, false, false, "09:00-17:00");
    EXPECT_NE(staff.find("工作日09:00-17:00"), std::string::npos) << staff;
}

TEST(FaqTickets, StatusSaysWhoClosedIt) {
    Ticket ticket;
    ticket.number = "FL202611220002";
    ticket.category = "legal";
    ticket.state = "closed";
    ticket.closed_by = std::string(kClosedByDriver);
    const std::string withdrawn = ticket_status_text(ticket, true);
    EXPECT_NE(withdrawn.find("已由您撤销"), std::string::npos) << withdrawn;
    EXPECT_EQ(withdrawn.find("已办结"), std::string::npos) << withdrawn;
    ticket.closed_by = "demo-legal-desk";
    EXPECT_NE(ticket_status_text(ticket, true).find("已办结"), std::string::npos);
}

TEST(FaqLegal, AsksForPerson) {
    for (auto text : {"人工", "找律师", "我要找律师", "转人工！", " 律师 "})
        EXPECT_TRUE(asks_for_person(text)) << text;
    // The request, then his case after a break: a ticket with all of it.
    for (auto text : {"找律师 我电话13912345678 常州金通物流欠我运费三万八 欠了半年了",
                      "人工，老板欠我工资三个月了", "我要找律师：车被扣了十天"})
        EXPECT_TRUE(asks_for_person(text)) << text;
    // His case or his complaint, then the request (session 22: these got the menu).
    for (auto text : {"我没跑啊 我当场报警的 人也送医院了 找律师", "你老说一样的 帮我找个律师吧",
                      "算了 人工吧", "人工 快点 人在服务区", "说的都不对，转人工！"})
        EXPECT_TRUE(asks_for_person(text)) << text;
    for (auto text :
         {"律师说老板不给工资可以仲裁吗", "工资不发怎么办", "", "找律师打官司一般要花多少钱啊",
          "找律师，要多少钱", "找律师 有用吗", "人工智能会不会抢司机饭碗",
          "工伤了 公司说不用找律师", "仲裁要不要 找律师吗", "这事 人工智能能管吗"})
        EXPECT_FALSE(asks_for_person(text)) << text;
}

class FaqLegalAnswers : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        index_ = Index::build(parse_script(read_data("legal.yaml"), "legal.yaml"));
    }
    static std::shared_ptr<const Index> index_;
};
std::shared_ptr<const Index> FaqLegalAnswers::index_;

TEST_F(FaqLegalAnswers, ConfidentAnswerCitesTheLaw) {
    // A variant of the script, word for word: score 1.0.
    const auto& entry = index_->script().entries.front();
    LegalQuestion question;
    question.text = entry.questions.front();
    const auto reply = answer_from(index_, 7, question, {});
    ASSERT_EQ(reply.action, Action::answer);
    ASSERT_EQ(reply.texts.size(), 1u);
    EXPECT_EQ(reply.entry_ids, std::vector<std::string>{entry.id});
    EXPECT_EQ(reply.version, 7);
    if (!entry.legal_basis.empty())
        EXPECT_NE(reply.texts[0].find("法律依据"), std::string::npos) << reply.texts[0];
}

// A dated question about time opens with his period counted from his month, in the shipped
// script as in the rule's own table (faq_limitation_test): the answer found must set the period.
TEST_F(FaqLegalAnswers, ADatedQuestionAboutTimeOpensWithHisPeriod) {
    LegalQuestion question;
    question.text = "前年八月拉完货 老板一直拖着不给运费 现在去告还来得及不";
    question.today = 20261203;
    const auto reply = answer_from(index_, 1, question, {});
    ASSERT_TRUE(answers(reply.action)) << static_cast<int>(reply.action);
    ASSERT_FALSE(reply.texts.empty());
    EXPECT_EQ(reply.texts.front().rfind("按您说的，从2024年8月算，3年诉讼时效到2027年8月", 0), 0U)
        << reply.texts.front();
    // Without today (a caller that set none) there is no line, and the answer is the same entry.
    question.today = 0;
    const auto undated = answer_from(index_, 1, question, {});
    EXPECT_EQ(undated.entry_ids, reply.entry_ids);
    EXPECT_EQ(undated.texts.front().find("按您说的"), std::string::npos);
}

// On a short channel (SMS) an answer is cut to what was asked: the reply is the relevant cut, and
// for some question of the shipped script that cut differs from the plain one. A variant that
// states his figures ("老板欠俺八千运费 … 诉讼费贵不") is left out: its reply opens with the sum
// worked from them (faq::sum_for_driver, tested in faq_sums_test).
TEST_F(FaqLegalAnswers, AShortChannelsAnswerIsCutToTheQuestion) {
    constexpr std::size_t kSmsBytes = 400;
    int differs = 0;
    for (const auto& entry : index_->script().entries) {
        if (entry.answer.size() < 2 * kSmsBytes) continue;
        LegalQuestion question;
        question.text = entry.questions.back();
        if (!sum_for_driver(entry, question.text).empty()) continue;
        question.max_bytes = kSmsBytes;
        const auto reply = answer_from(index_, 1, question, {});
        if (reply.action != Action::answer || reply.entry_ids.front() != entry.id) continue;
        ASSERT_EQ(reply.texts.size(), 1u);
        EXPECT_EQ(reply.texts[0],
                  format_answer(entry, kSmsBytes, index_->sentence_relevance(question.text)));
        EXPECT_LE(reply.texts[0].size(), kSmsBytes);
        if (reply.texts[0] != format_answer(entry, kSmsBytes)) ++differs;
    }
    EXPECT_GT(differs, 0);
}

TEST_F(FaqLegalAnswers, ChoicesAreNumberedAndAnswerable) {
    std::vector<Hit> hits = index_->search("工资", {}, 3);
    ASSERT_GE(hits.size(), 2u);
    const auto text = choices_text(hits);
    EXPECT_EQ(text.rfind("您问的可能是下面哪一种？\n1. ", 0), 0u) << text;
    EXPECT_NE(text.find("\n2. "), std::string::npos);
    EXPECT_NE(text.find("回复数字即可"), std::string::npos);
    // Each choice is the gist of its answer, not the entry's question; the last is a person.
    EXPECT_NE(text.find(answer_gist(*hits[0].entry, 40)), std::string::npos) << text;
    EXPECT_EQ(text.find(hits[0].entry->questions.front()), std::string::npos) << text;
    EXPECT_NE(text.find(std::to_string(hits.size() + 1) + ". 都不是 → 转人工"), std::string::npos)
        << text;
    std::vector<std::string> ids;
    for (const auto& hit : hits) ids.push_back(hit.entry->id);
    const auto second = answer_choice(*index_, ids, 2);
    ASSERT_TRUE(second);
    EXPECT_EQ(*second, format_answer(*hits[1].entry, 2048));
    // In a group the pick is answered as a group's question is: short.
    const auto in_group = answer_choice(*index_, ids, 2, kOneReplyBytes, true);
    ASSERT_TRUE(in_group);
    EXPECT_EQ(*in_group, format_group_answer(*hits[1].entry, {}));
    EXPECT_FALSE(answer_choice(*index_, ids, 0));
    EXPECT_FALSE(answer_choice(*index_, ids, 4));
}

TEST_F(FaqLegalAnswers, GroupWithoutMentionBelowThresholdIsSilent) {
    LegalQuestion question;
    question.text = "今天晚上吃什么好呢";
    question.in_group = true;
    question.mentioned = false;
    const auto reply = answer_from(index_, 1, question, {});
    EXPECT_EQ(reply.action, Action::silence);
    EXPECT_TRUE(reply.texts.empty());
    question.in_group = false;
    question.mentioned = true;
    const auto private_reply = answer_from(index_, 1, question, {});
    EXPECT_EQ(private_reply.action, Action::handoff);
    ASSERT_EQ(private_reply.texts.size(), 1u);
    EXPECT_NE(private_reply.texts[0].find("找律师"), std::string::npos);
}

// "简单点说": his last question again, or the rest of this message, in about two hundred
// characters (legal helper, session 24: "又是这一大段 看不完").
TEST_F(FaqLegalAnswers, AnAnswerAskedShortIsShort) {
    LegalQuestion first;
    first.text = "老板欠我三个月工资不给咋办";
    const auto answered = answer_from(index_, 1, first, {});
    ASSERT_EQ(answered.action, Action::answer);
    ASSERT_GT(answered.texts.front().size(), kBriefAnswerBytes);
    LegalQuestion brief;
    brief.text = "又是这一大段 看不完 简单点说";
    brief.topic = first.text;
    brief.answered_before = answered.entry_ids;
    const auto again = answer_from(index_, 1, brief, {});
    ASSERT_EQ(again.action, Action::answer);
    EXPECT_EQ(again.entry_ids, answered.entry_ids);
    EXPECT_LE(again.texts.front().size(), kBriefAnswerBytes);
    LegalQuestion new_question;
    new_question.text = "简单点说 货车超载百分之三十以上罚多少";
    const auto fine = answer_from(index_, 1, new_question, {});
    ASSERT_EQ(fine.action, Action::answer);
    EXPECT_LE(fine.texts.front().size(), kBriefAnswerBytes);
    // Asking for a person is not asking for less.
    brief.text = "太长了 人工";
    EXPECT_TRUE(answer_from(index_, 1, brief, {}).asked_for_person);
}

// "老板欠我工资咋办" then "那要多久" / "要准备啥材料": the part of the wage answer about it, not
// the whole answer again or another topic's entry; a follow-up with a topic of its own, or
// after no answer, is searched as before.
TEST_F(FaqLegalAnswers, AFollowUpGetsThePartOfTheAnswerJustSent) {
    LegalQuestion first;
    first.text = "老板欠我三个月工资不给咋办";
    const auto answered = answer_from(index_, 1, first, {});
    ASSERT_EQ(answered.action, Action::answer);
    const std::string id = answered.entry_ids.front();
    const Entry* entry = index_->script().find(id);
    ASSERT_NE(entry, nullptr);
    for (const char* follow_up : {"那要多久", "要准备啥材料", "那去哪申请"}) {
        LegalQuestion question;
        question.text = follow_up;
        question.topic = first.text;
        question.answered_before = {id};
        const auto reply = answer_from(index_, 1, question, {});
        ASSERT_EQ(reply.action, Action::answer) << follow_up;
        EXPECT_EQ(reply.entry_ids, std::vector<std::string>{id}) << follow_up;
        ASSERT_EQ(reply.texts.size(), 1u);
        EXPECT_EQ(reply.texts[0].rfind("刚才的回答里", 0), 0u) << reply.texts[0];
        EXPECT_LT(reply.texts[0].size(), format_answer(*entry, kOneReplyBytes).size());
        for (const auto& sentence : sentences_about(entry->answer, asked_aspect(follow_up)))
            EXPECT_NE(reply.texts[0].find(sentence), std::string::npos) << sentence;
    }
    LegalQuestion own_topic;
    own_topic.text = "那运费呢";
    own_topic.topic = first.text;
    own_topic.answered_before = {id};
    const auto freight = answer_from(index_, 1, own_topic, {});
    ASSERT_FALSE(freight.entry_ids.empty());
    EXPECT_NE(freight.entry_ids.front(), id);
    LegalQuestion nothing_before;
    nothing_before.text = "要准备啥材料";
    EXPECT_EQ(answer_from(index_, 1, nothing_before, {}).texts.front().find("刚才的回答里"),
              std::string::npos);
}

// "没备案已经看完病了呢" after the off-site filing answer: its own search is unsure, and one
// sentence of the answer just sent speaks to it (补办), though weakly: that sentence, not "the
// answer stands" or choices on other topics. A short question on a topic of its own is not.
TEST_F(FaqLegalAnswers, AnUnsureFollowUpGetsWhatTheAnswerJustSentSaysOfIt) {
    const std::string id = "medical_offsite_filing";
    const Entry* entry = index_->script().find(id);
    ASSERT_NE(entry, nullptr);
    LegalQuestion question;
    question.text = "没备案已经看完病了呢";
    question.topic = "在外地跑车生病了 老家的医保能报不";
    question.answered_before = {id};
    const auto reply = answer_from(index_, 1, question, {});
    ASSERT_EQ(reply.action, Action::answer);
    EXPECT_EQ(reply.entry_ids, std::vector<std::string>{id});
    ASSERT_EQ(reply.hits.size(), 1u);  // the legal flag is read from it (bot/app.cpp)
    EXPECT_EQ(reply.hits.front().entry, entry);
    ASSERT_EQ(reply.texts.size(), 1u);
    EXPECT_EQ(reply.texts[0].rfind("刚才的回答里", 0), 0u) << reply.texts[0];
    EXPECT_NE(reply.texts[0].find("补办"), std::string::npos) << reply.texts[0];
    EXPECT_LT(reply.texts[0].size(), format_answer(*entry, kOneReplyBytes).size());

    LegalQuestion new_topic = question;
    new_topic.text = "ETC被拉黑了咋办";
    const auto etc = answer_from(index_, 1, new_topic, {});
    ASSERT_FALSE(etc.texts.empty());
    EXPECT_EQ(etc.texts.front().find("刚才的回答里"), std::string::npos) << etc.texts.front();
}

TEST_F(FaqLegalAnswers, NoIndexYetMeansHandoff) {
    LegalQuestion question;
    question.text = "工资不发怎么办";
    const auto reply = answer_from(nullptr, 0, question, {});
    EXPECT_EQ(reply.action, Action::handoff);
}

}  // namespace
}  // namespace kayou::faq
