// District catalog: loading from YAML (with line numbers on bad data) and matching free text.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "members/districts.hpp"

namespace kayou::members {
namespace {

// Three districts; 牛塘 is listed under both 武进 and 钟楼 (a town on their border), so a driver
// who only says 牛塘 must be asked which one.
constexpr std::string_view kYaml = R"(# test catalog
city:
  name: 常州市
  aliases: [龙城]
districts:
  - id: wujin
    name: 武进区
    aliases: [武进, 湖塘镇, 牛塘镇]
  - id: tianning
    name: 天宁区
    aliases:
      - 天宁
      - 青龙街道
      - 郑陆镇
  - id: zhonglou
    name: 钟楼区
    aliases: [钟楼, 邹区镇, 牛塘]
)";

struct MatchCase {
    std::string text;
    DistrictCatalog::Match::Kind kind;
    std::vector<std::string> ids;  // candidates, in catalog order
};

void PrintTo(const MatchCase& c, std::ostream* os) { *os << "\"" << c.text << "\""; }

using Kind = DistrictCatalog::Match::Kind;

const std::vector<MatchCase> kMatchCases = {
    {"武进区", Kind::unique, {"wujin"}},
    {"武进", Kind::unique, {"wujin"}},
    {"我在湖塘镇", Kind::unique, {"wujin"}},
    {"湖塘", Kind::unique, {"wujin"}},
    {"常州武进", Kind::unique, {"wujin"}},
    {"wujin", Kind::unique, {"wujin"}},
    {"WuJin", Kind::unique, {"wujin"}},
    {" 武进 区 ", Kind::unique, {"wujin"}},
    {"（武进）", Kind::unique, {"wujin"}},
    {"武进县", Kind::unique, {"wujin"}},
    {"天宁区", Kind::unique, {"tianning"}},
    {"我家住在天宁区青龙街道", Kind::unique, {"tianning"}},
    {"青龙", Kind::unique, {"tianning"}},
    {"郑陆", Kind::unique, {"tianning"}},
    {"钟楼", Kind::unique, {"zhonglou"}},
    {"邹区", Kind::unique, {"zhonglou"}},
    {"湖塘镇在武进区", Kind::unique, {"wujin"}},
    {"牛塘", Kind::ambiguous, {"wujin", "zhonglou"}},
    {"我在牛塘镇", Kind::ambiguous, {"wujin", "zhonglou"}},
    {"武进还是天宁", Kind::ambiguous, {"wujin", "tianning"}},
    {"天宁区和钟楼区交界", Kind::ambiguous, {"tianning", "zhonglou"}},
    // Only the city: every district, for the dialog to ask which (join helper, session 24).
    {"常州", Kind::city, {"wujin", "tianning", "zhonglou"}},
    {"就在常州市里跑", Kind::city, {"wujin", "tianning", "zhonglou"}},
    {"龙城", Kind::city, {"wujin", "tianning", "zhonglou"}},
    {"常州武进", Kind::unique, {"wujin"}},
    {"北京", Kind::none, {}},
    {"", Kind::none, {}},
    {"区", Kind::none, {}},
    {"。。。", Kind::none, {}},
    {"新北区", Kind::none, {}},
    {"wujinx", Kind::none, {}},
};

class MatchTest : public testing::TestWithParam<MatchCase> {
protected:
    static const DistrictCatalog& catalog() {
        static const DistrictCatalog instance = DistrictCatalog::from_yaml(kYaml);
        return instance;
    }
};

TEST_P(MatchTest, Matches) {
    const MatchCase& c = GetParam();
    const auto match = catalog().match(c.text);
    EXPECT_EQ(match.kind, c.kind);
    std::vector<std::string> ids;
    for (const District* district : match.candidates) ids.push_back(district->id);
    EXPECT_EQ(ids, c.ids);
}

INSTANTIATE_TEST_SUITE_P(Table, MatchTest, testing::ValuesIn(kMatchCases));

TEST(DistrictCatalog, LoadsTheYaml) {
    const auto catalog = DistrictCatalog::from_yaml(kYaml);
    ASSERT_EQ(catalog.all().size(), 3u);
    EXPECT_EQ(catalog.all()[1].id, "tianning");
    EXPECT_EQ(catalog.all()[1].name, "天宁区");
    EXPECT_EQ(catalog.all()[1].aliases, (std::vector<std::string>{"天宁", "青龙街道", "郑陆镇"}));
}

TEST(DistrictCatalog, LoadsTheCity) {
    const auto catalog = DistrictCatalog::from_yaml(kYaml);
    EXPECT_EQ(catalog.city().name, "常州市");
    EXPECT_EQ(catalog.city().aliases, std::vector<std::string>{"龙城"});
    // Without a city nothing is the city.
    const auto without = DistrictCatalog::from_yaml("- id: a\n  name: 新北区\n");
    EXPECT_TRUE(without.city().name.empty());
    EXPECT_EQ(without.match("常州").kind, Kind::none);
    EXPECT_THROW(DistrictCatalog::from_yaml("city: 常州\ndistricts:\n  - {id: a, name: 新北区}\n"),
                 std::runtime_error);
    EXPECT_THROW(DistrictCatalog::from_yaml(
                     "city: {aliases: [常州]}\ndistricts:\n  - {id: a, name: 新北区}\n"),
                 std::runtime_error);
}

TEST(DistrictCatalog, AcceptsATopLevelListAndAScalarAlias) {
    const auto catalog = DistrictCatalog::from_yaml(
        "- id: a\n  name: 新北区\n  aliases: 薛家\n- id: b\n  name: 金坛区\n");
    ASSERT_EQ(catalog.all().size(), 2u);
    EXPECT_EQ(catalog.all()[0].aliases, std::vector<std::string>{"薛家"});
    EXPECT_TRUE(catalog.all()[1].aliases.empty());
    EXPECT_EQ(catalog.match("薛家镇").kind, Kind::unique);
}

TEST(DistrictCatalog, Find) {
    const auto catalog = DistrictCatalog::from_yaml(kYaml);
    ASSERT_NE(catalog.find("zhonglou"), nullptr);
    EXPECT_EQ(catalog.find("zhonglou")->name, "钟楼区");
    EXPECT_EQ(catalog.find("ZhongLou"), catalog.find("zhonglou"));
    EXPECT_EQ(catalog.find("钟楼区"), nullptr);  // find is by id only
    EXPECT_EQ(catalog.find(""), nullptr);
}

TEST(DistrictCatalog, CandidatesPointIntoTheCatalog) {
    const auto catalog = DistrictCatalog::from_yaml(kYaml);
    const auto match = catalog.match("武进");
    ASSERT_EQ(match.candidates.size(), 1u);
    EXPECT_EQ(match.candidates[0], catalog.find("wujin"));
}

TEST(DistrictCatalog, ExactNameWinsOverAnotherDistrictsAlias) {
    // 湖塘 is wujin's town but, in this catalog, also the short name of a district called 湖塘区.
    const DistrictCatalog catalog(
        std::vector<District>{{"wujin", "武进区", {"湖塘", "湖塘镇"}}, {"hutang", "湖塘区", {}}});
    auto match = catalog.match("湖塘区");
    ASSERT_EQ(match.kind, Kind::unique);
    EXPECT_EQ(match.candidates[0]->id, "hutang");
    match = catalog.match("湖塘");
    ASSERT_EQ(match.kind, Kind::unique);
    EXPECT_EQ(match.candidates[0]->id, "hutang");
    match = catalog.match("hutang");
    ASSERT_EQ(match.kind, Kind::unique);
    EXPECT_EQ(match.candidates[0]->id, "hutang");
    // Inside a sentence too, a name beats an alias at the same place.
    match = catalog.match("我在湖塘");
    ASSERT_EQ(match.kind, Kind::unique);
    EXPECT_EQ(match.candidates[0]->id, "hutang");
    // 湖塘镇 differs from the district's stem 湖塘 only by a suffix: that does not decide, ask.
    EXPECT_EQ(catalog.match("我在湖塘镇").kind, Kind::ambiguous);
    // A longer hit that is more than a suffix does decide: 湖塘中学 is listed under wujin only.
    const DistrictCatalog longer(
        std::vector<District>{{"wujin", "武进区", {"湖塘中学"}}, {"hutang", "湖塘区", {}}});
    match = longer.match("孩子在湖塘中学");
    ASSERT_EQ(match.kind, Kind::unique);
    EXPECT_EQ(match.candidates[0]->id, "wujin");
}

TEST(DistrictCatalog, ConstructorRejectsBadData) {
    using List = std::vector<District>;
    EXPECT_THROW(DistrictCatalog(List{{"a", "甲区", {}}, {"a", "乙区", {}}}), std::runtime_error);
    EXPECT_THROW(DistrictCatalog(List{{"", "甲区", {}}}), std::runtime_error);
    EXPECT_THROW(DistrictCatalog(List{{"a", "", {}}}), std::runtime_error);
    EXPECT_NO_THROW(DistrictCatalog(List{{"a", "甲区", {}}, {"b", "乙区", {}}}));
}

struct BadYaml {
    std::string yaml;
    std::string expected;  // substring of the error, including the line
};

void PrintTo(const BadYaml& c, std::ostream* os) { *os << c.expected; }

const std::vector<BadYaml> kBadYaml = {
    {"districts:\n  - id: a\n    name: 甲区\n  - id: a\n    name: 乙区\n",
     "line 4: duplicate id a"},
    {"districts:\n  - id: a\n    name: 甲区\n  - id: A\n    name: 乙区\n",
     "line 4: duplicate id A"},
    {"districts:\n  - id: a\n    name: 甲区\n  - id: b\n    name: \"\"\n", "line 5: empty name"},
    {"districts:\n  - id: a\n    name: 甲区\n  - id: b\n    name:\n", "line 4: missing name"},
    {"districts:\n  - id: a\n    name: 甲区\n  - name: 乙区\n", "line 4: missing id"},
    {"districts:\n  - id: a\n    name: [甲区]\n", "line 3: name must be a string"},
    {"districts:\n  - id: a\n    name: 甲区\n    aliases: [甲, [乙]]\n",
     "line 4: alias must be a string"},
    {"districts:\n  - id: a\n    name: 甲区\n    aliases: [甲, \"\"]\n", "line 4: empty alias"},
    {"districts:\n  - id: a\n    name: 甲区\n  - just text\n",
     "line 4: each district must be a map"},
    {"districts:\n  - id: a\n    name: [甲区\n", "line 4"},
    {"districts: []\n", "line 1: expected a non-empty list"},
    {"", "expected a non-empty list"},
    {"other: 1\n", "expected a non-empty list"},
};

class BadYamlTest : public testing::TestWithParam<BadYaml> {};

TEST_P(BadYamlTest, ThrowsWithTheLine) {
    try {
        DistrictCatalog::from_yaml(GetParam().yaml);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(GetParam().expected), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Table, BadYamlTest, testing::ValuesIn(kBadYaml));

}  // namespace
}  // namespace kayou::members
