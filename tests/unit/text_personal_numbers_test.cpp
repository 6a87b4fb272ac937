// The ID-card and mobile spotting that dialogs/privacy.cpp and the employer validator share
// (text/personal_numbers.hpp); the full table of free texts is tests/unit/dialogs_privacy_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/personal_numbers.hpp"

namespace kayou::text {
namespace {

TEST(PersonalNumbers, ProvinceCodes) {
    for (int code : {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82, 83}) {
        EXPECT_TRUE(is_id_province_code(code)) << code;
    }
    for (int code : {0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 84, 91, 99}) {
        EXPECT_FALSE(is_id_province_code(code)) << code;
    }
}

struct NumberCase {
    std::string text;
    std::vector<std::string> values;  // what is found, in order
};

class PersonalNumbersTable : public ::testing::TestWithParam<NumberCase> {};

TEST_P(PersonalNumbersTable, FindsWholeNumbers) {
    std::vector<std::string> values;
    for (const auto& number : find_personal_numbers(folded_units(GetParam().text)))
        values.push_back(number.value);
    EXPECT_EQ(values, GetParam().values) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PersonalNumbersTable,
    ::testing::Values(NumberCase{"电话13800138000", {"13800138000"}},
                      NumberCase{"+86 138-0013-8000", {"13800138000"}},
                      NumberCase{"３２０１０２１９９００１０１１２３４", {"320102199001011234"}},
                      NumberCase{"身份证11010519491231002x", {"11010519491231002X"}},
                      NumberCase{"订单号2024052712345678901", {}},
                      NumberCase{"常州某某物流有限公司", {}}));

// What a ticket keeps of his message: no ID number, but the phone he asks to be called on and
// every other byte as he typed it.
TEST(PersonalNumbers, MaskIdNumbersKeepsPhonesAndPlatesAsTyped) {
    const std::string text = "身份证320102199001011234 老婆电话 139 0013 9000 车牌苏D12345";
    const std::string masked = mask_id_numbers(text);
    EXPECT_EQ(masked.find("19900101"), std::string::npos) << masked;
    EXPECT_NE(masked.find("3201"), std::string::npos) << masked;  // the masked form's head
    EXPECT_NE(masked.find("139 0013 9000"), std::string::npos) << masked;
    EXPECT_NE(masked.find("苏D12345"), std::string::npos) << masked;
    EXPECT_EQ(mask_id_numbers("老板欠我运费"), "老板欠我运费");
}

TEST(PersonalNumbers, UnitsKeepTheirBytes) {
    const auto units = folded_units("a卡１");
    ASSERT_EQ(units.size(), 3u);
    EXPECT_EQ(units[1].cp, U'卡');
    EXPECT_EQ(units[1].begin, 1u);
    EXPECT_EQ(units[1].end, 4u);
    EXPECT_EQ(units[2].cp, U'1');  // folded to half width
}

}  // namespace
}  // namespace kayou::text
