// scrub_personal_data: what the missed-questions inbox may keep of a driver's words.
#include "faq/scrub.hpp"

#include <gtest/gtest.h>

namespace kayou::faq {
namespace {

struct Case {
    const char* text;
    const char* scrubbed;
};

TEST(Scrub, ReplacesPersonalDataAndKeepsWhatTheQuestionIsAbout) {
    const Case cases[] = {
        // ID numbers
        {"我身份证320412198501011233丢了", "我身份证〔身份证号〕丢了"},
        {"身份证 32041219850101123X 怎么办", "身份证 〔身份证号〕 怎么办"},
        {"身份证号3204 1219 8501 0112 33", "身份证号〔身份证号〕"},
        {"老身份证320412850101123还能用吗", "老身份证〔身份证号〕还能用吗"},
        {"身份证32041219850101123x", "身份证〔身份证号〕"},
        // mobiles
        {"我电话13812345678", "我电话〔手机号〕"},
        {"打我手机138 1234 5678", "打我手机〔手机号〕"},
        {"手机号+8613812345678", "手机号〔手机号〕"},
        {"联系我138-1234-5678谢谢", "联系我〔手机号〕谢谢"},
        {"8613812345678是我的号", "〔手机号〕是我的号"},
        {"我的号码是19912345678。", "我的号码是〔手机号〕。"},
        {"号码 17712345678 接不通", "号码 〔手机号〕 接不通"},
        // landlines and other numbers
        {"老板电话0519-88001234", "老板电话〔电话〕"},
        {"打051988001234找他", "打〔电话〕找他"},
        {"座机88001234", "座机〔号码〕"},
        {"订单号20261203888999", "订单号〔号码〕"},
        // bank cards
        {"工资卡6222021234567890123被冻结", "工资卡〔卡号〕被冻结"},
        {"卡号6222 0212 3456 7890", "卡号〔卡号〕"},
        // plates
        {"我车苏D12345被扣了", "我车〔车牌〕被扣了"},
        {"苏D·12345被罚", "〔车牌〕被罚"},
        {"车牌苏DD12345", "车牌〔车牌〕"},
        {"苏D1234挂被查", "苏D1234挂被查"},  // a trailer plate is 4 + 挂: too short to be sure
        {"皖A12345挂车", "〔车牌〕车"},
        {"浙b 12345 超载", "〔车牌〕 超载"},  // spaces inside a plate as drivers type it
        // names
        {"我叫王建国 老板欠我工资", "我叫〔姓名〕 老板欠我工资"},
        {"我是王建国，欠薪怎么办", "我是〔姓名〕，欠薪怎么办"},
        {"本人李明，被扣分", "本人〔姓名〕，被扣分"},
        {"姓名：张伟 问题：工伤", "姓名：〔姓名〕 问题：工伤"},
        {"我的名字叫欧阳明辉", "我的名字叫〔姓名〕"},
        {"俺叫牛大壮 被罚了", "俺叫〔姓名〕 被罚了"},
        {"我叫刘洋今年45岁", "我叫〔姓名〕今年45岁"},
        {"我是王建国的老婆", "我是〔姓名〕的老婆"},
        {"联系人陈丽华", "联系人〔姓名〕"},
        {"我是货车司机 老板不给钱", "我是货车司机 老板不给钱"},
        {"我是挂靠的 出了事故", "我是挂靠的 出了事故"},
        {"本人开车十年", "本人开车十年"},
        {"我叫不出名字", "我叫不出名字"},
        // accounts
        {"加我wxid_abc123", "加我〔账号〕"},
        // what stays
        {"老板欠我20000元工资", "老板欠我20000元工资"},
        {"欠了三个月工资", "欠了三个月工资"},
        {"罚了200块扣6分", "罚了200块扣6分"},
        {"2026年12月3日出的事", "2026年12月3日出的事"},
        {"劳动合同法第82条", "劳动合同法第82条"},
        {"拉了30吨货", "拉了30吨货"},
        {"赔了1500000元", "赔了1500000元"},
        {"跑了1200公里", "跑了1200公里"},
        {"超载50%罚多少", "超载50%罚多少"},
        {"12348是什么电话", "12348是什么电话"},
        {"打12351能管吗", "打12351能管吗"},
        {"G2高速120码", "G2高速120码"},
        {"", ""},
        // several in one message
        {"我叫王建国 身份证320412198501011233 电话13812345678 车牌苏D12345",
         "我叫〔姓名〕 身份证〔身份证号〕 电话〔手机号〕 车牌〔车牌〕"},
        // full width
        {"电话１３８１２３４５６７８", "电话〔手机号〕"},
    };
    int count = 0;
    for (const auto& item : cases) {
        EXPECT_EQ(scrub_personal_data(item.text), item.scrubbed) << item.text;
        ++count;
    }
    EXPECT_GE(count, 50);
}

TEST(Scrub, NoDigitRunOfAnIdOrPhoneSurvives) {
    const std::string scrubbed = scrub_personal_data(
        "投诉 我叫王建国身份证320412198501011233手机13812345678工资卡6222021234567890123");
    for (const char* secret : {"王建国", "320412", "1233", "13812345678", "1234567890123"})
        EXPECT_EQ(scrubbed.find(secret), std::string::npos) << scrubbed;
}

TEST(Scrub, ForSearchPersonalDataBecomesSpaceAndTheRestStays) {
    EXPECT_EQ(without_personal_data_for_search("苏D12345的车主欠我工资"), " 的车主欠我工资");
    EXPECT_EQ(without_personal_data_for_search("电话13912345678 欠了20000元"), "电话  欠了20000元");
    EXPECT_EQ(without_personal_data_for_search("打12333投诉"), "打12333投诉");
    EXPECT_EQ(without_personal_data_for_search("老板欠工资咋办"), "老板欠工资咋办");
    EXPECT_EQ(without_personal_data_for_search(""), "");
    // Names stay, so a story searches the same whichever way its amount is written.
    EXPECT_EQ(without_personal_data_for_search("我是车主 挂靠公司欠我2万 咋办"),
              "我是车主 挂靠公司欠我2万 咋办");
}

}  // namespace
}  // namespace kayou::faq
