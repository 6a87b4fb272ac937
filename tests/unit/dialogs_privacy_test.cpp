// Masking and spotting personal data in free text (group chats must never echo it).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialogs/privacy.hpp"
#include "text/masks.hpp"

namespace kayou::dialogs {
namespace {

struct MaskCase {
    std::string input;
    std::string expected;
};

void PrintTo(const MaskCase& c, std::ostream* os) { *os << "\"" << c.input << "\""; }

class MaskIdCardTest : public testing::TestWithParam<MaskCase> {};
TEST_P(MaskIdCardTest, Masks) {
    EXPECT_EQ(text::mask_id_card(GetParam().input), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(Table, MaskIdCardTest,
                         testing::Values(MaskCase{"320102199001011234", "3201**********1234"},
                                         MaskCase{"11010519491231002X", "1101**********002X"},
                                         MaskCase{"320102900101123", "3201*******1123"},
                                         MaskCase{"12345678901234", "**************"},
                                         MaskCase{"12345678", "********"}, MaskCase{"", ""}));

class MaskMobileTest : public testing::TestWithParam<MaskCase> {};
TEST_P(MaskMobileTest, Masks) {
    EXPECT_EQ(text::mask_mobile(GetParam().input), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(Table, MaskMobileTest,
                         testing::Values(MaskCase{"13800138000", "138****8000"},
                                         MaskCase{"13812345678", "138****5678"},
                                         MaskCase{"1380013800", "**********"},
                                         MaskCase{"1380013", "*******"}, MaskCase{"", ""}));

class MaskNameTest : public testing::TestWithParam<MaskCase> {};
TEST_P(MaskNameTest, Masks) { EXPECT_EQ(text::mask_name(GetParam().input), GetParam().expected); }
INSTANTIATE_TEST_SUITE_P(Table, MaskNameTest,
                         testing::Values(MaskCase{"张三", "张*"}, MaskCase{"王小明", "王**"},
                                         MaskCase{"欧阳娜娜", "欧阳**"},
                                         MaskCase{"司马光", "司马*"}, MaskCase{"诸葛亮", "诸葛*"},
                                         MaskCase{"欧阳", "欧*"}, MaskCase{"Alex", "A***"},
                                         MaskCase{"买买提·艾力", "买*****"}, MaskCase{"张", "*"},
                                         MaskCase{"", ""}));

class MaskPlateTest : public testing::TestWithParam<MaskCase> {};
TEST_P(MaskPlateTest, Masks) { EXPECT_EQ(text::mask_plate(GetParam().input), GetParam().expected); }
INSTANTIATE_TEST_SUITE_P(Table, MaskPlateTest,
                         testing::Values(MaskCase{"苏D12345", "苏D***45"},
                                         MaskCase{"粤BD12345", "粤B****45"},
                                         MaskCase{"苏D1234挂", "苏D***4挂"},
                                         MaskCase{"苏D1", "***"}, MaskCase{"", ""}));

struct FindCase {
    std::string text;
    bool id_card, mobile, plate;
};

void PrintTo(const FindCase& c, std::ostream* os) { *os << "\"" << c.text << "\""; }

const std::vector<FindCase> kFindCases = {
    {"我的身份证是 320102199001011234 电话13800138000", true, true, false},
    {"电话 +86 138 0013 8000", false, true, false},
    {"0086-13800138000", false, true, false},
    {"8613800138000", false, true, false},
    {"１３８００１３８０００", false, true, false},
    {"联系13800138000或13900139000", false, true, false},
    {"单号：13800138000 12", false, true, false},
    {"身份证 3201 0219 9001 0112 34", true, false, false},
    {"320102 19900101 123X", true, false, false},
    {"11010519491231002x", true, false, false},
    {"３２０１０２１９９００１０１１２３４", true, false, false},
    {"身份证：320102199001011235（校验位错的也算）", true, false, false},
    {"老身份证320102900101123", true, false, false},
    {"我是苏D12345的车主", false, false, true},
    {"苏d·12345", false, false, true},
    {"粤BD12345", false, false, true},
    {"苏D1234挂", false, false, true},
    {"电话：138-0013-8000，车牌苏D12345，身份证320102199001011234", true, true, true},
    {"订单号1234567890", false, false, false},
    {"日期20240101", false, false, false},
    {"20240101 到 20240301", false, false, false},
    {"银行卡6222021234567890123", false, false, false},
    {"138001380001", false, false, false},
    {"12800138000", false, false, false},
    {"123456789012345", false, false, false},
    {"运单号 1380013800012345", false, false, false},
    {"苏D123456789", false, false, false},
    {"北京Apple", false, false, false},
    {"今天运费3000元，早上8点到13点", false, false, false},
    {"QQ 12345678", false, false, false},
    {"", false, false, false},
};

class FindTest : public testing::TestWithParam<FindCase> {};

TEST_P(FindTest, Finds) {
    const auto& c = GetParam();
    const auto found = find_personal_data(c.text);
    EXPECT_EQ(found.id_card, c.id_card);
    EXPECT_EQ(found.mobile, c.mobile);
    EXPECT_EQ(found.plate, c.plate);
    EXPECT_EQ(found.any(), c.id_card || c.mobile || c.plate);
}

INSTANTIATE_TEST_SUITE_P(Table, FindTest, testing::ValuesIn(kFindCases));

class RedactTest : public testing::TestWithParam<MaskCase> {};

TEST_P(RedactTest, Redacts) {
    const std::string redacted = redact_personal_data(GetParam().input);
    EXPECT_EQ(redacted, GetParam().expected);
    EXPECT_FALSE(find_personal_data(redacted).any()) << redacted;
}

INSTANTIATE_TEST_SUITE_P(
    Table, RedactTest,
    testing::Values(MaskCase{"我的身份证是 320102199001011234 电话13800138000",
                             "我的身份证是 3201**********1234 电话138****8000"},
                    MaskCase{"+86 138 0013 8000", "138****8000"},
                    MaskCase{"电话 138-0013-8000。", "电话 138****8000。"},
                    MaskCase{"0086-13800138000", "138****8000"},
                    MaskCase{"１３８００１３８０００", "138****8000"},
                    MaskCase{"身份证 3201 0219 9001 0112 34 谢谢",
                             "身份证 3201**********1234 谢谢"},
                    MaskCase{"11010519491231002x", "1101**********002X"},
                    MaskCase{"我是苏D12345的车主", "我是苏D***45的车主"},
                    MaskCase{"车牌 苏d·1234挂", "车牌 苏D***4挂"},
                    MaskCase{"订单号1234567890", "订单号1234567890"},
                    MaskCase{"\xff"
                             "13800138000\xfe",
                             "\xff"
                             "138****8000\xfe"},
                    MaskCase{"没有个人信息", "没有个人信息"}, MaskCase{"", ""}));

std::size_t longest_digit_run(const std::string& s) {
    std::size_t longest = 0, run = 0;
    for (char c : s) {
        run = (c >= '0' && c <= '9') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

TEST(Redact, LeavesNoLongDigitRunOfFoundItems) {
    const std::string text =
        "我的身份证是 320102199001011234 电话13800138000，老婆电话 139 0013 9000，"
        "证件 11010519491231002X";
    ASSERT_GE(longest_digit_run(text), 7u);
    const std::string redacted = redact_personal_data(text);
    EXPECT_LT(longest_digit_run(redacted), 7u) << redacted;
    for (const char* secret : {"19900101", "0013800", "0013 9000", "19491231"}) {
        EXPECT_EQ(redacted.find(secret), std::string::npos) << secret << " in " << redacted;
    }
}

// "@卡友小助手 身份证3204…" in a group drew two FAQ answers on "身份证" (one about employers
// holding ID cards) after the warning (group helper, session 21).
TEST(OnlyFieldLabels, AMessageOfNumbersAndTheirNamesAskedNothing) {
    for (const char* text : {"身份证320412198506120033", "我的手机号是：13912345678",
                             "电话13912345678 身份证号320412198506120033 给你", "13912345678"})
        EXPECT_TRUE(only_field_labels(without_personal_data(text))) << text;
    for (const char* text : {"身份证320412198506120033 帮我看看入会了没",
                             "电话13912345678 老板欠我工资咋办", "身份证丢了怎么办"})
        EXPECT_FALSE(only_field_labels(without_personal_data(text))) << text;
}

TEST(WithoutPersonalDataOrLabels, TheFieldNameGoesWithItsNumber) {
    const std::pair<const char*, const char*> cases[] = {
        {"我身份证320483198805121234 帮我看看入会了没", "  帮我看看入会了没"},
        {"帮我看看入会了没 身份证号是：320483198805121234", "帮我看看入会了没  "},
        {"我的手机号13912345678", " "},
        // A label that is part of the question stays: only the one right before a number goes.
        {"身份证丢了怎么办 电话13912345678", "身份证丢了怎么办  "},
        {"老板欠我工资", "老板欠我工资"},
    };
    for (const auto& [text, left] : cases)
        EXPECT_EQ(without_personal_data_or_labels(text), left) << text;
}

}  // namespace
}  // namespace kayou::dialogs
