// Table-driven tests for the join dialog's validators. Each row states the input, whether it is
// accepted, and then either the exact normalized value or the exact error code.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialogs/extract.hpp"
#include "dialogs/privacy.hpp"
#include "dialogs/validators.hpp"

namespace kayou::dialogs {
namespace {

constexpr int kToday = 20240315;

struct Case {
    std::string input;
    bool ok;
    std::string expected;  // normalized value when ok, error code otherwise
    int today = kToday;    // ID cards only
};

void PrintTo(const Case& c, std::ostream* os) { *os << "\"" << c.input << "\""; }

void expect_case(const Case& c, const Validated& result) {
    EXPECT_EQ(result.ok, c.ok) << "error: " << result.error << " code: " << result.code;
    if (c.ok) {
        EXPECT_EQ(result.value, c.expected);
        EXPECT_TRUE(result.error.empty());
        EXPECT_TRUE(result.code.empty());
    } else {
        EXPECT_EQ(result.code, c.expected);
        EXPECT_TRUE(result.value.empty());
        EXPECT_FALSE(result.error.empty()) << "every refusal tells the driver what to fix";
    }
}

// --- ID card -----------------------------------------------------------------------------------

// The check character computed a second way, independently of the implementation's tables:
// weight_i = 2^(17-i) mod 11 and check = (12 - sum mod 11) mod 11, with 10 written as X.
char check_char(const std::string& first17) {
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        int weight = 1;
        for (int k = 0; k < 17 - i; ++k) weight = weight * 2 % 11;
        sum += (first17[i] - '0') * weight;
    }
    const int value = (12 - sum % 11) % 11;
    return value == 10 ? 'X' : static_cast<char>('0' + value);
}

std::string id(const std::string& area, const std::string& birth, const std::string& seq) {
    const std::string body = area + birth + seq;
    return body + check_char(body);
}

// A valid number whose check character is X (the sequence code is searched for it).
std::string id_with_x() {
    for (int seq = 100; seq < 1000; ++seq) {
        const std::string body = "32010219900101" + std::to_string(seq);
        if (check_char(body) == 'X') return body + 'X';
    }
    return {};
}

std::string wrong_check(const std::string& valid) {
    std::string out = valid;
    out.back() = out.back() == '0' ? '1' : '0';
    return out;
}

std::string spaced(const std::string& s) {
    return s.substr(0, 6) + " " + s.substr(6, 8) + " " + s.substr(14);
}

std::string full_width(const std::string& ascii) {
    std::string out;
    for (char c : ascii) {
        if (c >= '0' && c <= '9') {
            const char32_t cp = 0xFF10 + (c - '0');
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<Case> id_cases() {
    const std::string nanjing = id("320102", "19900101", "123");
    const std::string leap = id("320102", "20000229", "001");
    const std::string x = id_with_x();
    std::string lower_x = x;
    lower_x.back() = 'x';
    return {
        // Published examples from GB 11643-1999 appendix; `today` chosen to put them in range.
        {"11010519491231002X", true, "11010519491231002X", 20000101},
        {"440524188001010014", true, "440524188001010014", 19400101},
        {"11010519491231002x", true, "11010519491231002X", 20000101},
        {"11010519491231002X", false, "id_card.too_old", kToday},
        {nanjing, true, nanjing},
        {x, true, x},
        {lower_x, true, x},
        {spaced(nanjing), true, nanjing},
        {nanjing.substr(0, 6) + "-" + nanjing.substr(6, 8) + "-" + nanjing.substr(14), true,
         nanjing},
        {full_width(nanjing), true, nanjing},
        {"\xE3\x80\x80" + full_width(spaced(nanjing)) + " ", true, nanjing},
        {leap, true, leap},
        {id("320102", "20040229", "002"), true, id("320102", "20040229", "002")},
        {id("320102", "19990229", "001"), false, "id_card.birth_date"},
        {id("320102", "19000229", "001"), false, "id_card.birth_date", 19400101},
        {id("320102", "19901301", "001"), false, "id_card.birth_date"},
        {id("320102", "19900100", "001"), false, "id_card.birth_date"},
        {id("320102", "19900431", "001"), false, "id_card.birth_date"},
        {id("320102", "20240316", "001"), false, "id_card.birth_date"},
        {id("320102", "17991231", "001"), false, "id_card.birth_date"},
        // Age boundaries on 2024-03-15.
        {id("320102", "20080315", "011"), true, id("320102", "20080315", "011")},
        {id("320102", "20080316", "011"), false, "id_card.too_young"},
        {id("320102", "19540315", "011"), true, id("320102", "19540315", "011")},
        {id("320102", "19530316", "011"), true, id("320102", "19530316", "011")},
        {id("320102", "19530315", "011"), false, "id_card.too_old"},
        // Born 29 Feb 1952: still 70 on 28 Feb 2023, 71 from 1 Mar 2023.
        {id("320102", "19520229", "011"), true, id("320102", "19520229", "011"), 20230228},
        {id("320102", "19520229", "011"), false, "id_card.too_old", 20230301},
        {wrong_check(nanjing), false, "id_card.check_digit"},
        {wrong_check(x), false, "id_card.check_digit"},
        {"320102900101123", false, "id_card.old_15"},
        {nanjing.substr(0, 17), false, "id_card.length"},
        {nanjing + "0", false, "id_card.length"},
        {std::string(100, '1'), false, "id_card.length"},
        {"", false, "id_card.empty"},
        {"  -  ", false, "id_card.empty"},
        {"3201AB19900101123" + std::string(1, check_char("32010219900101123")), false,
         "id_card.bad_char"},
        {"3201021990X1011234", false, "id_card.bad_char"},
        {"身份证" + nanjing, false, "id_card.bad_char"},
        {nanjing.substr(0, 9) + "\xF0\x9F\x98\x80" + nanjing.substr(9), false, "id_card.bad_char"},
        {id("990102", "19900101", "123"), false, "id_card.region"},
        {id("910102", "19900101", "123"), false, "id_card.region"},
        {id("000102", "19900101", "123"), false, "id_card.region"},
        {id("830000", "19900101", "123"), true, id("830000", "19900101", "123")},
        {id("810000", "19900101", "124"), true, id("810000", "19900101", "124")},
        {id("650102", "19900101", "125"), true, id("650102", "19900101", "125")},
    };
}

class IdCardTest : public testing::TestWithParam<Case> {};

TEST_P(IdCardTest, Validates) {
    const Case& c = GetParam();
    expect_case(c, validate_id_card(c.input, c.today));
}

INSTANTIATE_TEST_SUITE_P(Table, IdCardTest, testing::ValuesIn(id_cases()));

TEST(IdCard, ExactlyOneCheckCharacterIsAccepted) {
    for (const std::string body :
         {"32010219900101123", "11010519791231002", "44052419800101001", "63010219751130456"}) {
        int accepted = 0;
        for (char c : std::string("0123456789X")) {
            if (validate_id_card(body + c, kToday).ok) ++accepted;
        }
        EXPECT_EQ(accepted, 1) << body;
        EXPECT_TRUE(validate_id_card(body + check_char(body), kToday).ok) << body;
    }
}

TEST(IdCard, CheckDigitMessageIsTheAgreedWording) {
    const auto result = validate_id_card(wrong_check(id("320102", "19900101", "123")), kToday);
    EXPECT_NE(result.error.find("有一位数字输错了"), std::string::npos) << result.error;
}

// The X as drivers type it: "×" from the symbol keyboard, "叉" from voice input.
TEST(IdCard, TheCrossAndItsSpokenNameAreX) {
    const std::string body = id_with_x().substr(0, 17);
    for (const char* x : {"X", "x", "×", "叉"})
        EXPECT_EQ(validate_id_card(body + x, kToday).value, body + "X") << x;
    EXPECT_EQ(extract_answer("id_card", "身份证" + body + "叉", kToday).value, body + "X");
    EXPECT_TRUE(find_personal_data("我的身份证" + body + "×").id_card);
    // After a phone number 叉 is a forklift and × a sign: the phone is still found.
    for (const char* text : {"电话13800138000叉车司机", "13800138000×", "我电话13800138000叉"})
        EXPECT_TRUE(find_personal_data(text).mobile) << text;
}

TEST(IdCard, OldNumberAsksForEighteenDigits) {
    const auto result = validate_id_card("320102900101123", kToday);
    EXPECT_NE(result.error.find("18位"), std::string::npos) << result.error;
}

TEST(IdCard, BirthDate) {
    EXPECT_EQ(id_card_birth_date("11010519491231002X"), 19491231);
    EXPECT_EQ(id_card_birth_date(id("320102", "20000229", "001")), 20000229);
    EXPECT_EQ(id_card_birth_date("1101051949123"), 0);
    EXPECT_EQ(id_card_birth_date("110105194X1231002X"), 0);
}

TEST(IdCard, AgeOn) {
    EXPECT_EQ(age_on(20080315, 20240315), 16);
    EXPECT_EQ(age_on(20080316, 20240315), 15);
    EXPECT_EQ(age_on(20000229, 20230228), 22);
    EXPECT_EQ(age_on(20000229, 20230301), 23);
    EXPECT_EQ(age_on(20000229, 20240229), 24);
}

// --- mobile ------------------------------------------------------------------------------------

const std::vector<Case> kMobileCases = {
    {"13800138000", true, "13800138000"},
    {"+86 138 0013 8000", true, "13800138000"},
    {"0086-13800138000", true, "13800138000"},
    {"8613800138000", true, "13800138000"},
    {"+8613800138000", true, "13800138000"},
    {"+86-138-0013-8000", true, "13800138000"},
    {"(+86) 138 0013 8000", true, "13800138000"},
    {"\xEF\xBC\x88+86\xEF\xBC\x89"
     "13800138000",
     true, "13800138000"},  // （+86）
    {"１３８００１３８０００", true, "13800138000"},
    {"＋８６　１３８　００１３　８０００", true, "13800138000"},
    {"138-0013-8000", true, "13800138000"},
    {"138.0013.8000", true, "13800138000"},
    {"  13800138000\n", true, "13800138000"},
    {"19912345678", true, "19912345678"},
    {"16612345678", true, "16612345678"},
    {"14712345678", true, "14712345678"},
    {"17012345678", true, "17012345678"},
    {"", false, "mobile.empty"},
    {" - ", false, "mobile.empty"},
    {"138001380001", false, "mobile.length"},
    {"1380013800", false, "mobile.length"},
    {"86 138 0013 800", false, "mobile.length"},
    {"12800138000", false, "mobile.prefix"},
    {"10086123456", false, "mobile.prefix"},
    {"23800138000", false, "mobile.prefix"},
    {"025-12345678", false, "mobile.landline"},
    {"02512345678", false, "mobile.landline"},
    {"0519-86001234", false, "mobile.landline"},
    {"86001234", false, "mobile.landline"},
    {"138\xF0\x9F\x98\x80"
     "00138000",
     false, "mobile.bad_char"},
    {"电话13800138000", false, "mobile.bad_char"},
    {"1380013800O", false, "mobile.bad_char"},
    {"+852 9123 4567", false, "mobile.foreign"},
    {"+1 415 555 0123", false, "mobile.foreign"},
    {"138+0013+8000", false, "mobile.bad_char"},
};

class MobileTest : public testing::TestWithParam<Case> {};

TEST_P(MobileTest, Validates) { expect_case(GetParam(), validate_mobile(GetParam().input)); }

INSTANTIATE_TEST_SUITE_P(Table, MobileTest, testing::ValuesIn(kMobileCases));

TEST(Mobile, LandlineMessageAsksForAMobile) {
    const auto result = validate_mobile("025-12345678");
    EXPECT_NE(result.error.find("座机"), std::string::npos) << result.error;
    EXPECT_NE(result.error.find("手机号"), std::string::npos) << result.error;
}

// --- plate -------------------------------------------------------------------------------------

const std::vector<Case> kPlateCases = {
    // A hired or relief driver with no truck he drives regularly.
    {"无", true, "无"},
    {"没有", true, "无"},
    {"没 车", true, "无"},
    {"没有固定的车", true, "无"},
    {"那就无吧", true, "无"},  // with its fillers (session 27)
    {"就填无吧", true, "无"},
    // The first words say it, the rest is why (session 28).
    {"没有车牌 车是老板的 每次开的不一样", true, "无"},
    {"那先填无吧 回头问了老板再说", true, "无"},
    {"我没有自己的车 开的老板的车", false, "plate.none"},
    {"车牌不记得了 公司的车 天天换", false, "plate.none"},
    {"老板的车 苏D1234", false, "plate.province"},             // a plate in it: not the "无" hint
    {"车是公司的 车牌不记得了 苏D开头", false, "plate.none"},  // session 29
    {"苏D12345", true, "苏D12345"},
    {"苏d 12345", true, "苏D12345"},
    {"苏D·12345", true, "苏D12345"},
    {"苏D•12345", true, "苏D12345"},
    {"苏D.12345", true, "苏D12345"},
    {"苏D-12345", true, "苏D12345"},
    {" 苏 D 123 45 ", true, "苏D12345"},
    {"苏Ｄ１２３４５", true, "苏D12345"},
    {"京AB1234", true, "京AB1234"},
    {"鲁Q8X9Y2", true, "鲁Q8X9Y2"},
    {"新A12345", true, "新A12345"},
    {"藏A12345", true, "藏A12345"},
    {"粤BD12345", true, "粤BD12345"},
    {"粤BDA1234", true, "粤BDA1234"},
    {"粤bf12345", true, "粤BF12345"},
    {"粤B12345D", true, "粤B12345D"},
    {"粤B12345F", true, "粤B12345F"},
    {"苏D1234挂", true, "苏D1234挂"},
    {"苏d·1234挂", true, "苏D1234挂"},
    {"粤Z1234港", true, "粤Z1234港"},
    {"粤Z·A123澳", true, "粤ZA123澳"},
    {"京A1234I", false, "plate.letter_io"},
    {"京A1234O", false, "plate.letter_io"},
    {"京I12345", false, "plate.letter_io"},
    {"港A12345", false, "plate.not_mainland"},
    {"澳A12345", false, "plate.not_mainland"},
    {"D12345", false, "plate.no_province"},
    {"沪", false, "plate.authority"},
    {"苏12345", false, "plate.authority"},
    {"苏D1234", false, "plate.length"},
    {"苏D1234567", false, "plate.length"},
    {"苏D123456", false, "plate.nev"},
    {"粤BA12345", false, "plate.nev"},
    {"粤B1234DD", false, "plate.nev"},
    {"苏D12345挂", false, "plate.trailer"},
    {"苏D1234学", false, "plate.special"},
    {"使12345", false, "plate.special"},
    {"粤A1234港", false, "plate.cross_border"},
    {"苏D12#45", false, "plate.bad_char"},
    {"苏D1234\xF0\x9F\x98\x80", false, "plate.bad_char"},
    {"江D12345", false, "plate.province"},
    {"", false, "plate.empty"},
};

class PlateTest : public testing::TestWithParam<Case> {};

TEST_P(PlateTest, Validates) { expect_case(GetParam(), validate_plate(GetParam().input)); }

INSTANTIATE_TEST_SUITE_P(Table, PlateTest, testing::ValuesIn(kPlateCases));

TEST(Plate, ErrorsShowTheFormat) {
    for (const char* input : {"苏D1234", "京A1234I", "港A12345", "D12345"}) {
        EXPECT_NE(validate_plate(input).error.find("苏D12345"), std::string::npos) << input;
    }
}

// --- name --------------------------------------------------------------------------------------

const std::vector<Case> kNameCases = {
    {"张三", true, "张三"},
    {"  张三  ", true, "张三"},
    {"张 三", true, "张三"},
    {"张三丰", true, "张三丰"},
    {"欧阳娜娜", true, "欧阳娜娜"},
    {"买买提·艾力", true, "买买提·艾力"},
    {"买买提・艾力", true, "买买提·艾力"},
    {"买买提.艾力", true, "买买提·艾力"},
    {"买买提．艾力", true, "买买提·艾力"},
    {"买买提 · 艾力", true, "买买提·艾力"},
    {"阿卜杜热西提·扎克尔·托乎提", true, "阿卜杜热西提·扎克尔·托乎提"},
    {"我叫张三", true, "张三"},
    {"我是李四", true, "李四"},
    {"姓名：王五", true, "王五"},
    {"张三。", true, "张三"},
    {"张\xE3\x90\x80", true, "张\xE3\x90\x80"},          // U+3400, extension A
    {"王\xF0\xA0\x80\x80", true, "王\xF0\xA0\x80\x80"},  // U+20000, extension B
    {"John", true, "John"},
    {"John  Smith", true, "John Smith"},
    {"Jean-Luc Picard", true, "Jean-Luc Picard"},
    {"Ｊｏｈｎ", true, "John"},
    {"一二三四五六七八九十一二三四五六七八九十", true, "一二三四五六七八九十一二三四五六七八九十"},
    {"", false, "name.empty"},
    {"我叫", false, "name.empty"},
    {"张", false, "name.too_short"},
    {"A", false, "name.too_short"},
    {"一二三四五六七八九十一二三四五六七八九十一", false, "name.too_long"},
    {"我姓陈耳东陈名字叫大明大小的大明天的明", false, "name.sentence"},
    {"开车过去好停车吗我开的是大车", false, "name.sentence"},
    {"欧阳娜娜", true, "欧阳娜娜"},
    {"阿不都热合曼·艾买提", true, "阿不都热合曼·艾买提"},
    {"张三1", false, "name.digit"},
    {"123", false, "name.digit"},
    {"张三\xF0\x9F\x98\x80", false, "name.bad_char"},
    {"张@三", false, "name.bad_char"},
    {"〇〇", false, "name.bad_char"},
    {"-John", false, "name.bad_char"},
    {"--", false, "name.bad_char"},
    {"·", false, "name.dot"},
    {"··", false, "name.dot"},
    {"·张三", false, "name.dot"},
    {"张三·", false, "name.dot"},
    {"张··三", false, "name.dot"},
    {"张三abc", false, "name.mixed"},
};

class NameTest : public testing::TestWithParam<Case> {};

TEST_P(NameTest, Validates) { expect_case(GetParam(), validate_name(GetParam().input)); }

INSTANTIATE_TEST_SUITE_P(Table, NameTest, testing::ValuesIn(kNameCases));

// --- employer ----------------------------------------------------------------------------------

const std::string k50 =
    "常州市武进区湖塘镇某某某某某物流运输有限公司第一分公司车队调度中心一二三四五六七八九十一二三四"
    "五六七";

const std::vector<Case> kEmployerCases = {
    {"无", true, ""},
    {"没有", true, ""},
    {"个体", true, ""},
    {"自己", true, ""},
    {"不挂靠", true, ""},
    {"跳过", true, ""},
    {"无。", true, ""},
    {" 无 ", true, ""},
    {"我是个体", true, ""},
    {"个体户", true, ""},
    {"自己的车", true, ""},
    {"没有单位", true, ""},
    {"暂无", true, ""},
    {"NONE", true, ""},
    {"没有挂靠公司", true, ""},
    {"暂时没有。", true, ""},
    {"不挂靠任何公司", true, ""},
    {"skip", true, ""},
    {"", true, ""},
    {"常州某某物流有限公司", true, "常州某某物流有限公司"},
    {"满帮", true, "满帮"},
    {"货拉拉", true, "货拉拉"},
    {"无锡运输公司", true, "无锡运输公司"},
    {"个体运输队", true, "个体运输队"},
    {"  顺丰速运  ", true, "顺丰速运"},
    {"常州某某物流（武进分公司）", true, "常州某某物流（武进分公司）"},
    {"京东物流\n常州分部", true, "京东物流 常州分部"},
    {"A", true, "A"},
    {k50, true, k50},
    {k50 + "六", false, "employer.too_long"},
    {"13800138000", false, "employer.personal_data"},
    {"320102199001011234", false, "employer.personal_data"},
    {"我的手机13800138000", false, "employer.personal_data"},
    {"苏D6T550", false, "employer.plate"},
    {"苏DF12345", false, "employer.plate"},
    {"中通快递 123", true, "中通快递 123"},
};

class EmployerTest : public testing::TestWithParam<Case> {};

TEST_P(EmployerTest, Validates) { expect_case(GetParam(), validate_employer(GetParam().input)); }

INSTANTIATE_TEST_SUITE_P(Table, EmployerTest, testing::ValuesIn(kEmployerCases));

TEST(Employer, FiftyCharacterFixtureIsFifty) {
    // Guards the boundary rows above: k50 must really be 50 code points.
    std::size_t count = 0;
    for (unsigned char c : k50) count += (c & 0xC0) != 0x80;
    EXPECT_EQ(count, 50u);
}

}  // namespace
}  // namespace kayou::dialogs
