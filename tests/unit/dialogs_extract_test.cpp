// Answers inside sentences (dialogs/extract.hpp). The table tests/unit/data/extract_cases.yaml was
// written blind (from the step list alone, without reading the extractors): every accepted
// message must give its value, every refused one must not give a value.
#include "dialogs/extract.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <sstream>

namespace kayou::dialogs {
namespace {

constexpr int kToday = 20261203;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const members::DistrictCatalog& districts() {
    static const members::DistrictCatalog catalog =
        members::DistrictCatalog::from_yaml(read_file(KAYOU_SOURCE_DIR "/config/districts.yaml"));
    return catalog;
}

// Where the blind set and kayou's rules disagree on purpose, each with the reason.
const std::map<std::string, std::string>& known_disagreements() {
    static const std::map<std::string, std::string> cases = {
        // The set assumed 18; the validator admits 16-17 (the minimum working age) as before.
        {"32040420100901017X 我儿子的", "id_card age 16-17 is accepted"},
    };
    return cases;
}

std::string validator_of(const std::string& step) { return step == "code" ? "sms_code" : step; }

class ExtractTable : public ::testing::TestWithParam<std::string> {};

TEST_P(ExtractTable, AcceptsEverySentenceEmbeddedValueAndRefusesNonAnswers) {
    const YAML::Node root =
        YAML::Load(read_file(KAYOU_SOURCE_DIR "/tests/unit/data/extract_cases.yaml"));
    const std::string step = GetParam();
    const YAML::Node cases = root["steps"][step];
    ASSERT_TRUE(cases) << step;
    int accepted = 0, refused = 0;
    for (const auto& item : cases["accept"]) {
        const std::string text = item["text"].as<std::string>();
        std::string expected = item["value"].as<std::string>();
        const auto got = extract_answer(validator_of(step), text, kToday, &districts());
        EXPECT_TRUE(got.found()) << step << ": " << text;
        EXPECT_EQ(got.value, expected) << step << ": " << text;
        ++accepted;
    }
    for (const auto& item : cases["refuse"]) {
        const std::string text = item.as<std::string>();
        if (known_disagreements().count(text)) continue;
        const auto got = extract_answer(validator_of(step), text, kToday, &districts());
        EXPECT_FALSE(got.found()) << step << ": " << text << " -> " << got.value;
        ++refused;
    }
    EXPECT_GE(accepted, 30);
    EXPECT_GE(refused, 30);
}

INSTANTIATE_TEST_SUITE_P(Steps, ExtractTable,
                         ::testing::Values("name", "id_card", "mobile", "code", "plate", "district",
                                           "employer"));

TEST(Extract, AWrongValueIsMalformedWithTheValidatorsMessageNotAbsent) {
    const auto id = extract_answer("id_card", "身份证 32048319880712123", kToday);
    EXPECT_EQ(id.kind, Extraction::Kind::malformed);
    EXPECT_FALSE(id.error.empty());
    // A wrong check digit inside a sentence is said as such (session 28: "只能是数字" came).
    const auto check = extract_answer("id_card", "身份证 320412199002142538", kToday);
    EXPECT_EQ(check.code, "id_card.check_digit");
    // A digit said just before the number joins its run; the number is still found.
    EXPECT_EQ(extract_answer("id_card", "哦 最后一位是5 320412196811110035", kToday).value,
              "320412196811110035");
    // So is one spaced out after it (session 29: "您发的是19位").
    EXPECT_EQ(extract_answer("id_card", "哦 最后一位是5 320412 19751103 4565", kToday).value,
              "320412197511034565");
    const auto landline = extract_answer("mobile", "电话0519-88001234", kToday);
    EXPECT_EQ(landline.kind, Extraction::Kind::malformed);
    const auto plate = extract_answer("plate", "车牌D12345", kToday);
    EXPECT_EQ(plate.kind, Extraction::Kind::malformed);
    EXPECT_NE(plate.error.find("省份"), std::string::npos);
}

TEST(Extract, NameStepRefusesSentencesQuestionsGreetingsAndMixedScripts) {
    for (const char* text : {"入会要交会费吗", "老板拖欠我三个月工资怎么办", "你好", "客服",
                             "不知道", "wang建国", "谢谢"}) {
        const auto got = extract_answer("name", text, kToday);
        EXPECT_FALSE(got.found()) << text;
    }
    const auto mixed = extract_answer("name", "wang建国", kToday);
    EXPECT_EQ(mixed.kind, Extraction::Kind::malformed);
    EXPECT_NE(mixed.error.find("例如"), std::string::npos);  // says what a name looks like
    EXPECT_EQ(extract_answer("name", "阿依古丽·买买提", kToday).value, "阿依古丽·买买提");
    EXPECT_EQ(extract_answer("name", "我叫王建国，谢谢！", kToday).value, "王建国");
}

// Old drivers space their names out; voice input runs the name into the next field; a nickname
// is not the name on the ID card.
TEST(Extract, SpacedNamesRunOnsAndNicknames) {
    const std::pair<const char*, const char*> found[] = {
        {"王 建 国", "王建国"},
        {"欧阳 娜娜", "欧阳娜娜"},
        {"我叫马建军身份证320481198001010026", "马建军"},
        {"我叫刘德华电话13900007777", "刘德华"},
        {"名字是张伟手机号13812345678", "张伟"},
        // A marker after the field still names him; a role word is no name.
        {"我是开货车的手机号13800138000名字叫王刚", "王刚"},
        {"我是车主手机13800138000名字叫王刚", "王刚"},
        {"本人是卡车司机身份证号320402199001011234姓名王刚", "王刚"},
        {"身份证上的名字是冯晓东", "冯晓东"},
    };
    for (const auto& [text, name] : found)
        EXPECT_EQ(extract_answer("name", text, kToday).value, name) << text;
    for (const char* text : {"叫我小李就行", "老王", "阿强"}) {
        const auto got = extract_answer("name", text, kToday);
        EXPECT_EQ(got.kind, Extraction::Kind::malformed) << text;
        EXPECT_EQ(got.code, "name.nickname") << text;
    }
    // Spaced out words that are no name stay no name.
    for (const char* text : {"不 知 道", "你 好", "我 要 入 会 的"})
        EXPECT_FALSE(extract_answer("name", text, kToday).found()) << text;
}

// Platform drivers use two or three apps: each is kept, in the order named, once.
TEST(Extract, EveryPlatformNamedIsKept) {
    EXPECT_EQ(extract_answer("employer", "货拉拉 满帮都跑", kToday).value, "货拉拉、满帮");
    EXPECT_EQ(extract_answer("employer", "满帮和货拉拉", kToday).value, "满帮、货拉拉");
    EXPECT_EQ(extract_answer("employer", "快狗打车", kToday).value, "快狗打车");  // not 快狗 twice
    EXPECT_EQ(extract_answer("employer", "京东物流", kToday).value, "京东物流");
}

TEST(Extract, ValuePutIsWhatFollowsTheWordThatPutsIt) {
    EXPECT_EQ(value_put("单位填货拉拉和满帮"), "货拉拉和满帮");
    EXPECT_EQ(value_put("名字写错了 应该是王建国"), "王建国");
    EXPECT_EQ(value_put("修改姓名"), "");
    EXPECT_EQ(value_put(""), "");
}

TEST(Extract, TheValueHeTurnsToIsKept) {
    // Both kept the first (join helper, session 30).
    EXPECT_EQ(
        extract_answer("mobile", "手机是159-6112-3344 不过这个号快停了 用我老婆的吧 138 1500 2299",
                       kToday)
            .value,
        "13815002299");
    EXPECT_EQ(
        extract_answer("employer", "挂靠在常州顺达物流 哦不对 去年换了 现在是武进通运物流有限公司",
                       kToday)
            .value,
        "武进通运物流有限公司");
    EXPECT_EQ(extract_answer("employer", "挂靠在常州顺达物流", kToday).value, "常州顺达物流");
    EXPECT_EQ(extract_answer("employer", "单位改成常州奔腾物流", kToday).value, "常州奔腾物流");
    EXPECT_FALSE(extract_answer("employer", "挂靠公司改一下", kToday).found());
    // The name he turns to (session 30: the first was kept, and one was submitted).
    EXPECT_EQ(extract_answer("name", "李四 哦不对 写大名 李思远", kToday).value, "李思远");
    EXPECT_EQ(extract_answer("name", "王五 说错了 是王武", kToday).value, "王武");
    EXPECT_EQ(extract_answer("name", "刘强 不对不对 刘强东", kToday).value, "刘强东");
    // Among his details, a company's name or a platform is his employer.
    EXPECT_EQ(other_values("苏D6H600 武进区 常州顺达物流", "plate", kToday, &districts())
                  .count("employer"),
              1u);
    EXPECT_EQ(
        other_values("苏D20088 武进 个体的没挂靠", "plate", kToday, &districts()).count("employer"),
        1u);
}

TEST(Extract, NumbersInsideSentencesAreNormalized) {
    EXPECT_EQ(extract_answer("mobile", "我的手机是138 1234 5678。", kToday).value, "13812345678");
    EXPECT_EQ(extract_answer("mobile", "电话：+86 138-1234-5678", kToday).value, "13812345678");
    EXPECT_EQ(extract_answer("plate", "车牌苏d·12345 谢谢", kToday).value, "苏D12345");
    EXPECT_EQ(extract_answer("sms_code", "验证码123456", kToday).value, "123456");
    EXPECT_EQ(extract_answer("sms_code", "验证码是１２３４５６！", kToday).value, "123456");
    // Read out to voice input (session 22: "发送太频繁" was the reply).
    EXPECT_EQ(extract_answer("sms_code", "验证码零九二八幺幺", kToday).value, "092811");
    EXPECT_EQ(extract_answer("sms_code", "零 九 二 八 两 〇", kToday).value, "092820");
    EXPECT_FALSE(extract_answer("sms_code", "一二三", kToday).found());
    EXPECT_FALSE(extract_answer("sms_code", "等了十分钟了还没来", kToday).found());
    // An ID and a plate read out (join helper, session 25: refused, not taken); a tractor plate
    // before its trailer's; no fixed truck said in a sentence.
    EXPECT_EQ(extract_answer("id_card", "三二零四零四一九九零零七零七一二五一", kToday).value,
              "320404199007071251");
    EXPECT_EQ(extract_answer("plate", "苏D 幺二三四五 挂靠在运输公司的", kToday).value, "苏D12345");
    EXPECT_EQ(extract_answer("plate", "鲁Q七八九AB 挂车是鲁Q5678挂", kToday).value, "鲁Q789AB");
    EXPECT_EQ(extract_answer("plate", "挂车是鲁Q5678挂", kToday).value, "鲁Q5678挂");
    EXPECT_EQ(extract_answer("plate", "没有固定的车 给人开车 老板的车换来换去", kToday).value,
              "无");
    // A name spelled out for voice input (join helper, session 25: the whole message was stored).
    EXPECT_EQ(extract_answer("name", "我姓陈 耳东陈 名字叫大明 大小的大 明天的明", kToday).value,
              "陈大明");
    EXPECT_EQ(extract_answer("name", "姓欧阳 名字叫欧阳锋", kToday).value, "欧阳锋");
    EXPECT_EQ(extract_answer("name", "俺姓李 木子李 单名一个伟", kToday).value, "李伟");
    EXPECT_EQ(extract_answer("name", "我叫张建国", kToday).value, "张建国");
    // A phone read out (join helper, session 24: refused), alone, spaced, mixed with digits.
    EXPECT_EQ(extract_answer("mobile", "幺三八幺二三四五六七八", kToday).value, "13812345678");
    EXPECT_EQ(extract_answer("mobile", "我手机一三八 一二三四 五六七八", kToday).value,
              "13812345678");
    EXPECT_EQ(extract_answer("mobile", "号码是一三九1234五六零两", kToday).value, "13912345602");
    // Ten spoken digits are ten: the length is said, nothing is made up.
    EXPECT_EQ(extract_answer("mobile", "幺三八幺二三四五六七", kToday).kind,
              Extraction::Kind::malformed);
    // Numbers in words stay words.
    EXPECT_FALSE(extract_answer("mobile", "跑了一两个月 欠了三四万", kToday).found());
}

// One message, several fields: "我叫李卫东 电话13912345601" at the name step also holds the
// mobile, which the flow keeps for its step (JoinEngine, DraftState::waiting).
TEST(Extract, OtherValuesAreTheFieldsAMessageAlsoHolds) {
    struct Case {
        const char* text;
        const char* except;
        std::map<std::string, std::string> values;
    };
    const Case cases[] = {
        {"我叫李卫东 电话13912345601", "name", {{"mobile", "13912345601"}}},
        {"我叫张建国 身份证320483198503121239", "name", {{"id_card", "320483198503121239"}}},
        {"我要入会 我叫赵大海 身份证320481199001010012 手机13912345602",
         "",
         {{"name", "赵大海"}, {"id_card", "320481199001010012"}, {"mobile", "13912345602"}}},
        {"身份证320412197908084560 手机139 1234 5601 车牌苏D12345",
         "id_card",
         {{"mobile", "13912345601"}, {"plate", "苏D12345"}}},
        // An ID number holds no mobile; a place is no name without 我叫.
        {"320412197908084560", "id_card", {}},
        {"武进", "district", {}},
        {"好的", "confirm", {}},
        // A correction that names the field and its new value.
        {"名字写错了 应该是王建国", "confirm", {{"name", "王建国"}}},
        {"不对 名字打错了 是王建国", "mobile", {{"name", "王建国"}}},
        {"修改姓名", "confirm", {}},
        // "没有" (no code came) at the code step is no plate for step 4.
        {"没有", "sms_code", {}},
        {"名字是不是要和身份证一样", "name", {}},
        // "俺叫" as well as "我叫" (the name was asked again; join helper, session 28).
        {"行 那入吧 俺叫刘长江", "", {{"name", "刘长江"}}},
        // A sentence about the company's truck names no employer (session 28).
        {"没车牌 我开的是公司的车 每次不一样", "plate", {}},
        // The ID and the phone side by side, one space between (session 28: both asked again).
        {"入会 黄磊 320412199503035719 15251234567",
         "",
         {{"name", "黄磊"}, {"id_card", "320412199503035719"}, {"mobile", "15251234567"}}},
        // Said twice with his own correction between: the corrected one (session 28).
        {"我手机号是18951234999吧 不对 是18951234998", "", {{"mobile", "18951234998"}}},
    };
    for (const auto& item : cases)
        EXPECT_EQ(other_values(item.text, item.except, kToday), item.values) << item.text;
}

// The all-in-one first message also holds where he drives and for whom, when he says so plainly.
TEST(Extract, OtherValuesHoldDistrictAndEmployerSaidPlainly) {
    struct Case {
        const char* text;
        const char* except;
        std::map<std::string, std::string> values;
    };
    const Case cases[] = {
        {"我叫王建国 在金坛跑 挂靠金坛顺达物流",
         "",
         {{"name", "王建国"}, {"district", "金坛区"}, {"employer", "金坛顺达物流"}}},
        // The company's place is not his: no district from "金坛顺达物流" alone.
        {"我叫王建国 挂靠金坛顺达物流", "", {{"name", "王建国"}, {"employer", "金坛顺达物流"}}},
        {"家在湖塘 我跑货拉拉", "name", {{"district", "武进区"}, {"employer", "货拉拉"}}},
        {"我是溧阳的 电话13912345601", "name", {{"district", "溧阳市"}, {"mobile", "13912345601"}}},
        // A town alone inside a sentence is too often another word; his name is no street.
        {"给个五星好评", "name", {}},
        {"我叫王红梅", "", {{"name", "王红梅"}}},
        // Two districts share 遥观: the district step asks, nothing is kept.
        {"家在遥观", "name", {}},
        // A platform he complains about is not his employer; the step itself is left out.
        {"满帮封了我的号", "name", {}},
        {"在武进跑", "district", {}},
        {"单位是顺达物流", "employer", {}},
        // "没有单位" answers the employer step itself, not a later one.
        {"没有单位", "name", {}},
        // His details listed: the name is the word before the ID number (session 23); a place
        // there is no name.
        {"入会 孙卫东 320411198811112228 手机15190023344",
         "",
         {{"name", "孙卫东"}, {"id_card", "320411198811112228"}, {"mobile", "15190023344"}}},
        {"武进 320411198811112228",
         "",
         {{"district", "武进区"}, {"id_card", "320411198811112228"}}},
        {"入会 320411198811112228", "", {{"id_card", "320411198811112228"}}},
        // The label written onto the number (session 27).
        {"我要入会 李红兵 身份证320411198811112228 手机15190023344",
         "",
         {{"name", "李红兵"}, {"id_card", "320411198811112228"}, {"mobile", "15190023344"}}},
        {"吴海 身份证号：320411198811112228",
         "",
         {{"name", "吴海"}, {"id_card", "320411198811112228"}}},
    };
    for (const auto& item : cases)
        EXPECT_EQ(other_values(item.text, item.except, kToday, &districts()), item.values)
            << item.text;
}

}  // namespace
}  // namespace kayou::dialogs
