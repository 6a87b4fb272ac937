// Issue 10's messages, as drivers typed them, through the group bridge to the real kayou binary
// with a real redis-server and the shipped content: what each one gets now.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/chat_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kBridgeSecret = "bridge-secret-for-understanding-01";
constexpr const char* kDataKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

std::string config_yaml() {
    return std::string("bridge:\n  enabled: true\n  secret: ") + kBridgeSecret + "\n" +
           shipped_content_yaml();
}

bool has(const Said& said, const std::string& text) {
    return said.all().find(text) != std::string::npos;
}

class UnderstandingTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        redis_ = new RedisServer();
        kayou_ = new KayouProcess({redis_->port(), config_yaml()});
        ASSERT_TRUE(kayou_->wait_ready());
        const auto start = std::chrono::steady_clock::now();
        bool loaded = false;
        while (!loaded && std::chrono::steady_clock::now() - start < 20s)
            loaded = serving_version(*kayou_, "faq") >= 1 &&
                     serving_version(*kayou_, "benefits") >= 1 &&
                     serving_version(*kayou_, "intents") >= 1;
        ASSERT_TRUE(loaded) << kayou_->log();
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete redis_;
        kayou_ = nullptr;
        redis_ = nullptr;
    }
    static std::uint16_t port() { return kayou_->port(); }
    static std::uint16_t redis_port() { return redis_->port(); }

    struct Driver {
        std::string sender = unique_id("wxid_u");
        Said say(const std::string& text) const {
            return bridge_post(port(), kBridgeSecret, bridge_message(sender, text));
        }
    };

    // The join walked with every answer inside a sentence; returns the application number.
    static std::string join_in_sentences(const Driver& driver, const std::string& mobile) {
        EXPECT_TRUE(has(driver.say("我要入会"), "第1步"));
        EXPECT_TRUE(has(driver.say("我叫王建国，谢谢！"), "第2步"));
        EXPECT_TRUE(has(driver.say("身份证号是 320412198501011233，谢谢"), "第3步"));
        EXPECT_TRUE(has(driver.say("我的手机是 " + mobile + "。"), "验证码"));
        const std::string code = latest_code(redis_port(), kDataKey, mobile);
        EXPECT_EQ(code.size(), 6u);
        EXPECT_TRUE(has(driver.say("验证码" + code), "第4步"));
        EXPECT_TRUE(has(driver.say("车牌苏D·12345"), "第5步"));
        EXPECT_TRUE(has(driver.say("我在武进跑车"), "第6步"));
        EXPECT_TRUE(has(driver.say("没有单位 自己跑"), "请核对"));
        const Said done = driver.say("确认");
        std::smatch match;
        const std::string all = done.all();
        EXPECT_TRUE(std::regex_search(all, match, std::regex("RH[0-9]{14}"))) << all;
        return match.empty() ? std::string() : match.str();
    }

    static RedisServer* redis_;
    static KayouProcess* kayou_;
};
RedisServer* UnderstandingTest::redis_ = nullptr;
KayouProcess* UnderstandingTest::kayou_ = nullptr;

TEST_F(UnderstandingTest, CancelInsideAQuestionIsTheQuestion) {
    const Driver driver;
    const Said said = driver.say("货拉拉派的单我取消了 被扣钱又扣分 合理吗");
    EXPECT_FALSE(has(said, "没有正在办理")) << said.all();
    EXPECT_FALSE(said.texts.empty());
}

TEST_F(UnderstandingTest, FeeQuestionAndWaitingQuestionDoNotStartAForm) {
    const Driver driver;
    const Said fee = driver.say("入会要交会费吗");
    EXPECT_FALSE(has(fee, "第1步")) << fee.all();
    // The dues answer (0.5% of wages), not the entry on leaving the union that also says 会费.
    EXPECT_TRUE(has(fee, "0.5%")) << fee.all();
    const Said waiting = driver.say("我昨天交了入会申请到现在还没消息 正常不");
    EXPECT_FALSE(has(waiting, "第1步")) << waiting.all();
    EXPECT_TRUE(has(waiting, "没有查到您在这个聊天里办的入会申请")) << waiting.all();
    EXPECT_TRUE(has(waiting, "绑定")) << waiting.all();  // a web-link applicant learns how
}

TEST_F(UnderstandingTest, AnswersInsideSentencesCompleteTheJoinAndJoiningAgainGivesTheStatus) {
    const Driver driver;
    const std::string id = join_in_sentences(driver, "13812345678");
    ASSERT_FALSE(id.empty());
    const Said again = driver.say("我要入会");
    EXPECT_FALSE(has(again, "第1步")) << again.all();
    EXPECT_TRUE(has(again, id)) << again.all();
    EXPECT_TRUE(has(again, "不用重新填写")) << again.all();
    EXPECT_TRUE(has(again, "短信通知")) << again.all();
}

TEST_F(UnderstandingTest, NonAnswersAtTheNameStepAreNeverStoredAsTheName) {
    const Driver driver;
    ASSERT_TRUE(has(driver.say("我要入会"), "第1步"));
    for (const char* text : {"入会要交会费吗", "老板拖欠我三个月工资怎么办", "你好", "不知道"}) {
        const Said said = driver.say(text);
        EXPECT_FALSE(has(said, "第2步")) << text << " -> " << said.all();
        EXPECT_TRUE(has(said, "第1步")) << text << " -> " << said.all();  // where the form stands
    }
    const Said help = driver.say("客服");
    EXPECT_TRUE(has(help, "工作人员")) << help.all();
    EXPECT_TRUE(has(help, "FL")) << help.all();  // a ticket for the district's staff
    EXPECT_TRUE(has(driver.say("王建国"), "第2步"));
    // Mid-flow a benefit question is answered, and the step is not told "只能是数字".
    const Said benefit = driver.say("互助险");
    EXPECT_FALSE(has(benefit, "数字")) << benefit.all();
    EXPECT_TRUE(has(benefit, "互助")) << benefit.all();
    EXPECT_TRUE(has(benefit, "第2步")) << benefit.all();
}

// An old driver spaces his name out and sends his ID before it is asked: the name is taken, the
// ID kept for its step and never sent to the desk; a nickname is refused with what to send.
// Sent in private after the group pointed him here (group helper, session 21): the form, not
// the group how-to; and another driver's progress is his own to ask.
TEST_F(UnderstandingTest, WhatTheGroupSentHimHereForIsDone) {
    EXPECT_TRUE(has(Driver().say("我刚在群里说了 入会"), "第1步"));
    const Said other = Driver().say("帮我查下老王的入会批了没");
    EXPECT_TRUE(has(other, "只能本人查")) << other.all();
    EXPECT_FALSE(has(other, "没有查到您")) << other.all();
}

// A question and a join request in one message: neither is dropped (group helper, session 21:
// the voice run-on below got the form alone, the freight never mentioned).
TEST_F(UnderstandingTest, AQuestionBesideAJoinRequestIsNotDropped) {
    const Said voice = Driver().say(
        "那个我问一下啊就是我上个月在那个物流园拉货的时候那个老板说好的一趟八百结果到现在都没给"
        "钱然后我打电话他也不接你说这个怎么弄啊还有就是我想入个会怎么入");
    EXPECT_TRUE(has(voice, "第1步")) << voice.all();
    // The freight answered beside the form (since session 34), or kept for after it: either
    // way not dropped.
    EXPECT_TRUE(has(voice, "运费纠纷") || has(voice, "另一件事")) << voice.all();
    const Said asked = Driver().say("工伤认定要多久 另外我想入会");
    EXPECT_TRUE(has(asked, "60日")) << asked.all();
    EXPECT_TRUE(has(asked, "您还说想入会")) << asked.all();
    // Details beside the request are no second question.
    const Said details = Driver().say("你好 我想入个会 我叫王建国 身份证320412197503123517");
    EXPECT_FALSE(has(details, "另一件事")) << details.all();
    EXPECT_TRUE(has(details, "第3步")) << details.all();
}

// "入会要交钱不" asks about joining; it is no join request beside a question (mid-form, "等下
// 入会要交钱不？会费多少" was searched without 入会 and got "我还答不好"; join helper, session 22).
TEST_F(UnderstandingTest, AQuestionAboutJoiningIsAnsweredInTheForm) {
    const Driver driver;
    ASSERT_TRUE(has(driver.say("我要入会"), "第1步"));
    ASSERT_TRUE(has(driver.say("张建国"), "第2步"));
    const Said fee = driver.say("等下 入会要交钱不？会费多少");
    EXPECT_TRUE(has(fee, "0.5%")) << fee.all();
    EXPECT_TRUE(has(fee, "第2步")) << fee.all();
    EXPECT_FALSE(has(fee, "我还答不好")) << fee.all();
}

TEST_F(UnderstandingTest, AnEarlyIdIsKeptAndASpacedNameTaken) {
    const Driver driver;
    ASSERT_TRUE(has(driver.say("我想入会"), "第1步"));
    const Said early = driver.say("身份证320412197503123517");
    EXPECT_TRUE(has(early, "先记下了")) << early.all();
    EXPECT_TRUE(has(early, "第1步")) << early.all();
    EXPECT_FALSE(has(early, "FL")) << early.all();  // no ticket
    EXPECT_FALSE(has(early, "律师")) << early.all();
    const Said nickname = driver.say("叫我小李就行");
    EXPECT_TRUE(has(nickname, "真实姓名")) << nickname.all();
    const Said spaced = driver.say("王 建 国");
    EXPECT_TRUE(has(spaced, "身份证号用您刚才发的")) << spaced.all();
    EXPECT_TRUE(has(spaced, "第3步")) << spaced.all();
    // A wrong ID beside a phone at the ID step: the mistake is said, the phone kept.
    const Driver other;
    ASSERT_TRUE(has(other.say("我想入会"), "第1步"));
    ASSERT_TRUE(has(other.say("李强"), "第2步"));
    const Said wrong = other.say("320412198501011234 手机13912345678");
    EXPECT_TRUE(has(wrong, "输错了")) << wrong.all();
    EXPECT_TRUE(has(wrong, "手机号先记下了")) << wrong.all();
    // A member already is not put into a new form.
    const Said member = Driver().say("我去年就入会了 会员卡丢了咋办");
    EXPECT_FALSE(has(member, "第1步")) << member.all();
}

// What drivers say in the middle of the form is about the form (a helper playing drivers found
// each of these reaching the legal FAQ): a pause, the return, a mistyped code, no truck.
TEST_F(UnderstandingTest, RemarksInTheMiddleOfTheFormKeepTheForm) {
    const Driver driver;
    const std::string mobile = "13812340077";
    ASSERT_TRUE(has(driver.say("我要入会"), "第1步"));
    ASSERT_TRUE(has(driver.say("我叫王建国"), "第2步"));
    ASSERT_TRUE(has(driver.say("320412198501011233"), "第3步"));
    for (const char* text : {"等会 我先去装货", "好了 回来了 继续"}) {
        const Said said = driver.say(text);
        EXPECT_TRUE(has(said, "第3步")) << text << " -> " << said.all();
        EXPECT_FALSE(has(said, "律师")) << text << " -> " << said.all();
        EXPECT_FALSE(has(said, "法律依据")) << text << " -> " << said.all();
    }
    ASSERT_TRUE(has(driver.say(mobile), "验证码"));
    const Said typo = driver.say("12345");
    EXPECT_TRUE(has(typo, "验证码")) << typo.all();
    EXPECT_FALSE(has(typo, "热线")) << typo.all();
    const std::string code = latest_code(redis_port(), kDataKey, mobile);
    ASSERT_TRUE(has(driver.say(code), "第4步"));
    const Said no_truck = driver.say("我没有自己的车 开的老板的车");
    EXPECT_TRUE(has(no_truck, "回复“无”")) << no_truck.all();
    EXPECT_TRUE(has(driver.say("无"), "第5步"));
    // Put off, not deleted: the form is where it was.
    const Said later = driver.say("算了 先不弄了 下回再说");
    EXPECT_FALSE(has(later, "删除")) << later.all();
    EXPECT_TRUE(has(driver.say("继续"), "第5步"));
    EXPECT_TRUE(has(driver.say("武进"), "第6步"));
    EXPECT_TRUE(has(driver.say("无"), "车牌号：无（没有固定开的车）"));
}

// Asked for his town, the station finder takes the town alone.
TEST_F(UnderstandingTest, TheStationFinderTakesTheTownItAskedFor) {
    const Driver driver;
    EXPECT_TRUE(has(driver.say("附近有司机之家吗"), "哪个镇"));
    const Said near = driver.say("湖塘");
    EXPECT_TRUE(has(near, "湖塘镇司机之家")) << near.all();
    // A service asked for next is searched near the same place.
    const Said shower = driver.say("有洗澡的吗");
    EXPECT_TRUE(has(shower, "离湖塘镇最近、有淋浴的司机之家")) << shower.all();
    EXPECT_FALSE(has(shower, "哪个镇")) << shower.all();
    // One of the list, picked by its place in it, and what he asks of it; then more of the same
    // station (benefits helper, session 29: both got the list again or a drink-driving menu).
    const Said semi = driver.say("第一个能停半挂不");
    EXPECT_TRUE(has(semi, "湖塘镇司机之家：有停车位")) << semi.all();
    const Said hours = driver.say("那几点关门 要钱不");
    EXPECT_TRUE(has(hours, "湖塘镇司机之家：24小时开放")) << hours.all();
    EXPECT_TRUE(has(hours, "免费")) << hours.all();
    // Another place right after a list is another look.
    const Driver outside;
    EXPECT_TRUE(has(outside.say("我在无锡 附近有没有司机之家"), "无锡不在"));
    const Said jiangyin = outside.say("江阴");
    EXPECT_TRUE(has(jiangyin, "江阴不在")) << jiangyin.all();
    const Driver other;
    other.say("附近有司机之家吗");
    const Said question = other.say("老板欠我三个月工资不给咋办");
    EXPECT_TRUE(has(question, "12333")) << question.all();
    // A town the station list does not know: its district's stations, said as such (雪堰 ended
    // in a legal ticket; benefits helper, session 21).
    const Said town = Driver().say("雪堰那边有驿站吗");
    EXPECT_TRUE(has(town, "先按武进区给您找")) << town.all();
    EXPECT_TRUE(has(town, "不是离您的距离")) << town.all();
    // In a group the town he is asked for is taken too.
    const std::string room = unique_id("room");
    const std::string member = unique_id("wxid_g");
    const auto in_group = [&](const std::string& text, bool mentioned) {
        return bridge_post(port(), kBridgeSecret, bridge_message(member, text, room, mentioned));
    };
    EXPECT_TRUE(has(in_group("附近有司机之家吗", true), "哪个镇"));
    const Said group_town = in_group("湖塘", false);
    EXPECT_TRUE(has(group_town, "湖塘镇司机之家")) << group_town.all();
}

TEST_F(UnderstandingTest, PersonDuringTheJoinOpensAStaffTicketWithTheRecentTurns) {
    const Driver driver;
    ASSERT_TRUE(has(driver.say("我要入会"), "第1步"));
    ASSERT_TRUE(has(driver.say("我叫李明"), "第2步"));
    const Said said = driver.say("人工");
    EXPECT_TRUE(has(said, "工会工作人员")) << said.all();
    EXPECT_FALSE(has(said, "律师")) << said.all();
    std::smatch match;
    const std::string all = said.all();
    ASSERT_TRUE(std::regex_search(all, match, std::regex("FL[0-9]{12}")));
    const auto ticket = redis_hgetall(redis_port(), "kayou:{tickets}:t:" + match.str());
    EXPECT_EQ(ticket.at("category"), "staff");
    // What the driver typed is sealed at rest.
    EXPECT_TRUE(ticket.at("question").empty());
    EXPECT_FALSE(ticket.at("sealed_question").empty());
    EXPECT_EQ(ticket.at("sealed_question").find("李明"), std::string::npos);
}

TEST_F(UnderstandingTest, TheHelpMenuTakesANumber) {
    const Driver driver;
    const Said menu = driver.say("帮助");
    EXPECT_TRUE(has(menu, "1. 入会")) << menu.all();
    const Said picked = driver.say("1");
    EXPECT_TRUE(has(picked, "第1步")) << picked.all();
}

TEST_F(UnderstandingTest, BenefitsReachEveryoneByDistrictName) {
    const Driver driver;
    const Said asked = driver.say("福利");
    EXPECT_TRUE(has(asked, "哪个区")) << asked.all();
    const Said wujin = driver.say("武进区");
    EXPECT_TRUE(has(wujin, "武进区")) << wujin.all();
    EXPECT_TRUE(has(wujin, "武进区轮胎保养优惠") || has(wujin, "入会后还可享受")) << wujin.all();
    EXPECT_FALSE(has(wujin, "没看懂")) << wujin.all();
    // The benefit he asked about is answered for the district he gives next.
    const Driver fuel_driver;
    ASSERT_TRUE(has(fuel_driver.say("加油卡怎么领"), "哪个区"));
    const Said fuel = fuel_driver.say("武进");
    EXPECT_TRUE(has(fuel, "加油卡优惠")) << fuel.all();
    EXPECT_FALSE(has(fuel, "武进区轮胎保养优惠")) << fuel.all();
    const Said direct = Driver().say("武进区有什么福利");
    EXPECT_TRUE(has(direct, "武进区")) << direct.all();
    EXPECT_FALSE(has(direct, "哪个区")) << direct.all();
    // One of the numbered list, picked by its number (session 29: a drink-driving menu came).
    const Driver picking;
    const Said list = picking.say("会员有啥福利");
    ASSERT_TRUE(has(list, "2. 司机之家免费服务")) << list.all();
    const Said second = picking.say("第二个咋领");
    EXPECT_TRUE(has(second, "司机之家免费服务：")) << second.all();
    EXPECT_TRUE(has(second, "领取方式")) << second.all();
    EXPECT_FALSE(has(second, "醉驾")) << second.all();
}

// Session 26's benefits helper: "武进工会在哪" started the join form (进工会), "周六有人吗" got the
// menu, "电话打不通啊" a ticket, "要带啥" after a benefit the papers of an arbitration hearing and
// "多久能到账" an insurer's deadlines. Each now gets the office just named.
TEST_F(UnderstandingTest, TheUnionOfficeAndWhatHeAsksOfItNext) {
    const Driver driver;
    const Said office = driver.say("武进工会在哪");
    EXPECT_TRUE(has(office, "武进区总工会职工服务中心")) << office.all();
    EXPECT_FALSE(has(office, "第1步")) << office.all();
    const Said saturday = driver.say("周六有人吗");
    EXPECT_TRUE(has(saturday, "武进区总工会职工服务中心")) << saturday.all();
    EXPECT_TRUE(has(saturday, "周末、节假日不一定有人")) << saturday.all();
    const Said unreachable = driver.say("电话打不通啊");
    EXPECT_TRUE(has(unreachable, "12351")) << unreachable.all();
    EXPECT_FALSE(has(unreachable, "工单号")) << unreachable.all();
    const Said other = driver.say("钟楼的呢");
    EXPECT_TRUE(has(other, "钟楼区总工会职工服务中心")) << other.all();

    const Driver member;
    ASSERT_TRUE(has(member.say("我在武进 礼包咋领"), "礼包"));
    const Said bring = member.say("要带啥");
    EXPECT_TRUE(has(bring, "会员电子卡")) << bring.all();
    EXPECT_FALSE(has(bring, "仲裁")) << bring.all();
    const Said payout = member.say("多久能到账");
    EXPECT_TRUE(has(payout, "发放时间以区县工会的通知为准")) << payout.all();
    EXPECT_FALSE(has(payout, "保险")) << payout.all();

    // In a group, a member's follow-up is read against the office he was shown, and a mention
    // typed right after Chinese text is a mention (session 26: 答不好, the menu, silence).
    const std::string room = unique_id("room_office");
    const auto in_group = [&](const std::string& text) {
        return bridge_post(port(), kBridgeSecret, bridge_message(driver.sender, text, room));
    };
    ASSERT_TRUE(has(in_group("@卡友小助手 天宁工会在哪"), "天宁区总工会职工服务中心"));
    const Said group_saturday = in_group("@卡友小助手 周六有人吗");
    EXPECT_TRUE(has(group_saturday, "周末、节假日不一定有人")) << group_saturday.all();
    const Said typed_after = in_group("问下@卡友小助手 钟楼工会在哪");
    EXPECT_TRUE(has(typed_after, "钟楼区总工会职工服务中心")) << typed_after.all();

    // With no district yet, the same asks are about the district union, and his district is
    // still asked for.
    const Driver anywhere;
    ASSERT_TRUE(has(anywhere.say("互助保险住院能报多少"), "互助"));
    const Said saturday_anywhere = anywhere.say("周六有人吗");
    EXPECT_TRUE(has(saturday_anywhere, "哪个区县")) << saturday_anywhere.all();
    EXPECT_TRUE(has(anywhere.say("武进"), "武进区")) << "the district answers the catalogue";
    // A benefit whose papers its entry lists gets those papers, not the office's ID and card
    // (benefits helper, round 3: 发票和病历 were left out).
    const Driver claimant;
    ASSERT_TRUE(has(claimant.say("互助保险住院能报多少"), "互助"));
    const Said papers = claimant.say("要带啥");
    EXPECT_TRUE(has(papers, "发票")) << papers.all();
}

// Session 26's legal helper: a parking fee in an impound story and a short-filling complaint at
// a fuel station got the stations with parking and the members' fuel discount, twice each.
TEST_F(UnderstandingTest, ALegalMatterNamingParkingOrFuelIsAQuestion) {
    const Said impound = Driver().say(
        "我是金坛的，开四轴的自卸，被交警拦下来说我超载，当场把车扣了，停车场一天收我80块停车费，"
        "车扣了这么久合不合法，停车费该不该我出，能去哪里告");
    EXPECT_FALSE(has(impound, "司机之家")) << impound.all();
    const Said fuel =
        Driver().say("加油站给我加的油不足量 一百升少了好几升 投述打啥电话 12328还是12315");
    EXPECT_FALSE(has(fuel, "加油卡优惠")) << fuel.all();
}

// Session 24's benefits helper: "要准备啥材料 病历要不要" after the hardship aid got the freight
// lawsuit's materials. A follow-up leans on the benefit answered, across the district asked.
TEST_F(UnderstandingTest, AFollowUpAboutABenefitAsksAboutThatBenefit) {
    const Driver driver;
    ASSERT_TRUE(has(driver.say("困难帮扶咋申请"), "困难帮扶"));
    driver.say("武进");
    const Said materials = driver.say("要准备啥材料 病历要不要");
    EXPECT_TRUE(has(materials, "证明材料")) << materials.all();
    EXPECT_FALSE(has(materials, "起诉")) << materials.all();
}

TEST_F(UnderstandingTest, AnApprovedDriverSeesHisDistrictByNameWithEveryItem) {
    const Driver driver;
    const std::string id = join_in_sentences(driver, "13812340001");
    ASSERT_FALSE(id.empty());
    redis_cli(redis_port(), "HSET 'kayou:app:{" + id + "}' status approved");
    // The benefit asked about, alone: a member claims it, nothing about joining.
    const Said fuel = driver.say("加油卡");
    EXPECT_TRUE(has(fuel, "加油卡优惠：")) << fuel.all();
    EXPECT_TRUE(has(fuel, "领取方式")) << fuel.all();
    EXPECT_FALSE(has(fuel, "入会后")) << fuel.all();
    EXPECT_FALSE(has(fuel, "武进区轮胎保养优惠")) << fuel.all();
    const Said said = driver.say("福利");
    EXPECT_TRUE(has(said, "武进区会员可享受")) << said.all();
    EXPECT_FALSE(has(said, "wujin")) << said.all();
    EXPECT_TRUE(has(said, "武进区轮胎保养优惠")) << said.all();
}

TEST_F(UnderstandingTest, NotUnderstoodNeverEchoesAndTwiceHandsOff) {
    const Driver driver;
    const std::string odd = "啊吧啊吧 呜啦啦";
    const Said first = driver.say(odd);
    EXPECT_TRUE(has(first, "没看懂")) << first.all();
    EXPECT_FALSE(has(first, odd)) << first.all();
    const Said second = driver.say("呜啦啦 啊吧");
    EXPECT_TRUE(has(second, "工单")) << second.all();
}

TEST_F(UnderstandingTest, ASeriousCaseIsOfferedTheLegalDeskAtOnce) {
    const Driver driver;
    const Said said = driver.say("撞了个骑电动车的 人在ICU 家属张口要80万 我该先垫多少");
    EXPECT_TRUE(has(said, "律师值班")) << said.all();
    EXPECT_FALSE(has(said, "没看懂")) << said.all();
}

// A serious case the scripts cannot answer gets the desk's offer, not "我还答不好" before it.
TEST_F(UnderstandingTest, ASeriousCaseWithoutAnAnswerIsOfferedTheDeskAlone) {
    const Said said = Driver().say("我表哥跑车出事了人在ICU 老板一分钱不出 怎么办");
    EXPECT_TRUE(has(said, "律师值班")) << said.all();
    EXPECT_FALSE(has(said, "还答不好")) << said.all();
}

TEST_F(UnderstandingTest, AnEmergencyGetsTheEmergencyNumbersFirst) {
    const Said said = Driver().say("车翻了 人卡在里面出不来");
    ASSERT_FALSE(said.texts.empty());
    EXPECT_NE(said.texts.front().find("120"), std::string::npos) << said.all();
    EXPECT_NE(said.texts.front().find("122"), std::string::npos) << said.all();
}

TEST_F(UnderstandingTest, AQuestionWithADangerWordGetsTheNumbersAndTheAnswer) {
    const Said said = Driver().say("司机被打了 算工伤吗");
    ASSERT_GE(said.texts.size(), 2u) << said.all();
    EXPECT_NE(said.texts.front().find("120"), std::string::npos) << said.all();
    EXPECT_TRUE(has(said, "工伤")) << said.all();
}

}  // namespace
}  // namespace kayou::test
