// Legal Q&A, tickets and stations through the chat: the real kayou binary, a real redis-server
// and the group bridge, the way a driver uses them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>

#include "bot/channels/bridge.hpp"
#include "faq/decide.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "text/utf8.hpp"

namespace kayou::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kBridgeSecret = "bridge-secret-for-legal-tests-0123";
constexpr const char* kEditorToken = "kayou-demo-editor";
constexpr const char* kDeskToken = "kayou-demo-legal-desk";

std::string config_yaml() {
    return std::string("bridge:\n  enabled: true\n  secret: ") + kBridgeSecret + "\n" +
           shipped_content_yaml(
               "    - name: test-desk\n"
               "      token_sha256: "
               "abe5d0f905a4a23da5e1b928319d8de954089433edd3e99d6b0013c589bd8a6d\n"
               "      role: legal_desk\n");
}

Headers bearer(const char* token) { return {{"Authorization", std::string("Bearer ") + token}}; }

std::string unique(const std::string& prefix) { return unique_id(prefix); }

Said bridge_post(std::uint16_t port, const json& body) {
    return kayou::test::bridge_post(port, kBridgeSecret, body);
}

json message(const std::string& sender, const std::string& text) {
    return bridge_message(sender, text);
}

Said say(std::uint16_t port, const std::string& sender, const std::string& text) {
    return bridge_post(port, message(sender, text));
}

int serving(const KayouProcess& kayou, const std::string& kind) {
    auto result = http_request(kayou.port(), "GET", "/admin/api/content/" + kind + "/published", {},
                               bearer(kEditorToken), 5s);
    if (result.status != 200) return -1;
    return json::parse(result.body).value("serving", -1);
}

class ChatLegalTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        redis_ = new RedisServer();
        kayou_ = new KayouProcess({redis_->port(), config_yaml()});
        ASSERT_TRUE(kayou_->wait_ready());
        // The seed versions are loaded by the first polls; questions before that get no answer.
        const auto start = std::chrono::steady_clock::now();
        bool loaded = false;
        while (!loaded && std::chrono::steady_clock::now() - start < 20s)
            loaded = serving(*kayou_, "faq") >= 1 && serving(*kayou_, "stations") >= 1 &&
                     serving(*kayou_, "benefits") >= 1;
        ASSERT_TRUE(loaded) << kayou_->log();
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete redis_;
    }
    std::uint16_t port() const { return kayou_->port(); }
    // The missed-questions inbox group whose text `matches`, polled until `start` + 1 s; null if
    // none by then.
    json inbox_group(std::chrono::steady_clock::time_point start,
                     const std::function<bool(const std::string&)>& matches) const {
        while (std::chrono::steady_clock::now() - start < 1s) {
            auto listed =
                http_request(port(), "GET", "/admin/api/missed", {}, bearer(kEditorToken));
            EXPECT_EQ(listed.status, 200) << listed.body;
            const json groups = json::parse(listed.body)["groups"];
            for (const auto& group : groups)
                if (matches(group["text"].get<std::string>())) return group;
        }
        return json();
    }

    static RedisServer* redis_;
    static KayouProcess* kayou_;
};
RedisServer* ChatLegalTest::redis_ = nullptr;
KayouProcess* ChatLegalTest::kayou_ = nullptr;

json in_room(json body, const std::string& room, bool mentioned) {
    body["room"] = {{"id", room}, {"name", "卡友群"}};
    body["mentioned_bot"] = mentioned;
    return body;
}

TEST_F(ChatLegalTest, PrivateQuestionGetsAnAnswerWithItsLegalBasis) {
    auto said = say(port(), unique("d"), "货主拖欠运费怎么办");
    EXPECT_NE(said.all().find("法律依据"), std::string::npos) << said.all();
}

TEST_F(ChatLegalTest, UnpaidFreightInTheDriversOwnWordsIsAnsweredDirectly) {
    // Issue 5's own example: the freight-arrears entry (a contract debt, court — not labour
    // arbitration), not a list of choices with unrelated entries such as 试用期.
    auto said = say(port(), unique("d"), "老板拖了三个月运费不给咋办");
    const std::string text = said.all();
    EXPECT_NE(text.find("运输合同的欠款"), std::string::npos) << text;
    EXPECT_EQ(text.find("您是不是想问"), std::string::npos) << text;
    EXPECT_EQ(text.find("试用期"), std::string::npos) << text;
}

TEST_F(ChatLegalTest, AmbiguousQuestionOffersChoicesAndTheDigitPicksOne) {
    const std::string sender = unique("d");
    auto choices = say(port(), sender, "工资");
    const std::string shown = choices.all();
    ASSERT_NE(shown.find("1. "), std::string::npos) << shown;
    ASSERT_NE(shown.find("2. "), std::string::npos) << shown;
    auto picked = say(port(), sender, "2");
    EXPECT_NE(picked.all().find("法律依据"), std::string::npos) << picked.all();
    // Right after a pick another one may follow ("3" next got the main menu; legal helper,
    // session 26); after any other message the choices are gone: "2" is no longer a pick.
    auto other = say(port(), sender, "1");
    EXPECT_NE(other.all().find("法律依据"), std::string::npos) << other.all();
    EXPECT_NE(other.all(), picked.all());
    say(port(), sender, "好的 谢谢");
    auto again = say(port(), sender, "2");
    EXPECT_EQ(again.all().find("法律依据"), std::string::npos) << again.all();
}

// Two answers (①②) offer no "都不是 → 转人工": "3" next opened a lawyer's ticket (fines helper,
// session 30). It is told what the numbers mean; "2" still shows the second in full.
TEST_F(ChatLegalTest, ThreeAfterTwoAnswersOpensNoTicket) {
    const std::string sender = unique("d");
    const std::string two = say(port(), sender, "高速上限速100跑了115扣几分").all();
    ASSERT_NE(two.find("②"), std::string::npos) << two;
    const std::string three = say(port(), sender, "3").all();
    EXPECT_EQ(three.find("工单号"), std::string::npos) << three;
    EXPECT_NE(three.find("两条回答"), std::string::npos) << three;
    const std::string second = say(port(), sender, "2").all();
    EXPECT_NE(second.find("法律依据"), std::string::npos) << second;
}

// In a group a serious case's offer of the desk goes with the answer and says to chat in private:
// a message of its own went to the room without an @, and "人工" there only says to chat in private
// (victims and fines helpers, session 30).
TEST_F(ChatLegalTest, InAGroupTheSeriousOfferGoesWithTheAnswer) {
    const Said said = bridge_post(
        port(),
        in_room(message(unique("d"), "@卡友小助手 工地上干活被砸断了腿 老板跑了 工伤咋认定"),
                unique("room"), true));
    ASSERT_FALSE(said.texts.empty());
    EXPECT_NE(said.texts.back().find("私聊发“人工”"), std::string::npos) << said.all();
    EXPECT_NE(said.texts.back().find("工伤"), std::string::npos) << said.all();
    EXPECT_EQ(said.all().find("回复“人工”马上转律师值班"), std::string::npos) << said.all();
}

// A short follow-up leans on the question before it (faq/follow_up.hpp): searched alone,
// "要是单位不给报呢" once drew a speeding-fine answer. One that names its own topic stands alone.
TEST_F(ChatLegalTest, AShortFollowUpIsReadWithTheQuestionBeforeIt) {
    const std::string sender = unique("d");
    ASSERT_NE(say(port(), sender, "出车祸受伤了 算工伤吗").all().find("工伤"), std::string::npos);
    const std::string followed = say(port(), sender, "要是单位不给报呢").all();
    EXPECT_NE(followed.find("工伤"), std::string::npos) << followed;
    EXPECT_EQ(followed.find("超速"), std::string::npos) << followed;
    const std::string alone = say(port(), unique("d"), "要是单位不给报呢").all();
    EXPECT_NE(alone, followed);
    const std::string freight = say(port(), sender, "那运费呢").all();
    EXPECT_NE(freight.find("运费"), std::string::npos) << freight;
    // After a turn that was not legal there is no topic: the same reply as a stranger's.
    const std::string other = unique("d");
    ASSERT_NE(say(port(), other, "出车祸受伤了 算工伤吗").all().find("工伤"), std::string::npos);
    say(port(), other, "你好");
    EXPECT_EQ(say(port(), other, "要是单位不给报呢").all(), alone);
}

// Session 22's legal helper: an ID number in a private question got its answer and no word about
// the ID; "我不是问加油 …" got the very topic he turned away.
TEST_F(ChatLegalTest, AnIdInAPrivateQuestionIsWarnedAndADisownedTopicIsNotSearched) {
    const auto with_id =
        say(port(), unique("d"), "我身份证320482198803151234 老板欠我两个月工资不给 咋办");
    ASSERT_FALSE(with_id.texts.empty());
    EXPECT_EQ(with_id.texts.front().rfind("（问法律问题不用发身份证号", 0), 0u) << with_id.all();
    EXPECT_NE(with_id.all().find("12333"), std::string::npos) << with_id.all();
    const auto plain = say(port(), unique("d"), "老板欠我两个月工资不给 咋办");
    EXPECT_EQ(plain.all().find("身份证号"), std::string::npos) << plain.all();

    const std::string disowned =
        say(port(), unique("d"), "我不是问油卡 我是问平台乱扣钱咋办").all();
    EXPECT_EQ(disowned.find("油卡"), std::string::npos) << disowned;
    EXPECT_NE(disowned.find("平台"), std::string::npos) << disowned;
}

// The rule of the answer worked through for the figures he gave, in this message or an earlier
// one (legal helper, session 22: "no arithmetic with the driver's numbers").
TEST_F(ChatLegalTest, HisOwnFiguresAreWorkedThroughAboveTheRule) {
    const std::string sender = unique("d");
    say(port(), sender, "我在这家物流公司干了3年 月工资7000");
    const std::string dismissed = say(port(), sender, "公司把我开除了 能赔多少").all();
    EXPECT_EQ(dismissed.rfind(
                  "按您说的（在这家干了3年、月工资7000元）：经济补偿是3个月工资，约21000元", 0),
              0u)
        << dismissed;
    EXPECT_NE(dismissed.find("约42000元"), std::string::npos) << dismissed;
    const std::string stranger = say(port(), unique("d"), "公司把我开除了 能赔多少").all();
    EXPECT_EQ(stranger.find("按您说的"), std::string::npos) << stranger;

    const std::string injured =
        say(port(), unique("d"), "装货摔了评了九级伤残 月工资6000 一次性伤残补助金能拿多少").all();
    EXPECT_NE(injured.find("一次性伤残补助金是9个月本人工资，约54000元"), std::string::npos)
        << injured;
}

// Two things asked in one message, the second opened by 还有: one answer each, said as two
// questions (the second used to be dropped).
TEST_F(ChatLegalTest, TwoQuestionsInOneMessageGetAnAnswerEach) {
    const std::string reply =
        say(port(), unique("d"),
            "我昨天高速上被追尾了 对方全责 车要修半个月 停运损失能要吗 还有我腰也伤了 算工伤不")
            .all();
    EXPECT_EQ(reply.find("您问了两件事"), 0u) << reply;
    EXPECT_NE(reply.find("停运损失"), std::string::npos) << reply;
    EXPECT_NE(reply.find("工伤", reply.find("②")), std::string::npos) << reply;
}

// Follow-ups the legal helper found losing their topic (session 20): read after the answered
// entry's own words when they name no topic of their own, ordered by the topic among near ties,
// and never the answer just sent again word for word.
TEST_F(ChatLegalTest, FollowUpsKeepTheirTopicAndNeverRepeatTheAnswer) {
    struct Step {
        const char* said;
        const char* expected;  // a phrase of the right answer
    };
    const std::vector<std::vector<Step>> conversations = {
        {{"老板欠我三个月工资不给咋办", "12333"}, {"要是老板不认呢", "确认劳动关系"}},
        {{"我哥跑车出事走了 工亡能赔多少", "工亡补助金"}, {"两边都能拿吗", "两头要"}},
        {{"公司无缘无故把我辞退了 能要赔偿吗", "经济补偿"}, {"那他开我要赔钱吗", "2N"}},
        {{"我在物流公司开车开了两年 上个月装货时候砸伤了手 公司说是我自己不小心不给报工伤", "工伤"},
         {"那保险呢", "没给上工伤保险"}},
        // Session 21: short messages after an answer that are not shaped as follow-ups.
        {{"给老板开车 卸货时候从车上摔下来腿断了 老板没给我交社保 算工伤吗", "工伤"},
         {"老板说给我两万了事 要不要签", "鉴定"}},
        {{"上次ETC没扣上 现在说我逃费 拉黑名单了 咋整", "ETC"},
         {"要补多少 会罚款吗", "刚才的回答里"}},
    };
    for (const auto& conversation : conversations) {
        const std::string sender = unique("d");
        std::string before;
        for (const auto& step : conversation) {
            const std::string reply = say(port(), sender, step.said).all();
            EXPECT_NE(reply.find(step.expected), std::string::npos) << step.said << ": " << reply;
            EXPECT_NE(reply, before) << step.said;
            // The answer just sent is not paired with the new one again.
            EXPECT_TRUE(before.empty() || reply.find(before.substr(0, 60)) == std::string::npos)
                << step.said << ": " << reply;
            before = reply;
        }
    }
    // Not addressed to the bot, a group follow-up that finds nothing new is not answered.
    const std::string quiet_room = unique("room");
    const std::string quiet = unique("d");
    bridge_post(port(),
                in_room(message(quiet, "@卡友小助手 老板欠我工资不给咋办"), quiet_room, true));
    EXPECT_EQ(bridge_post(port(), in_room(message(quiet, "那要是老板跑了呢"), quiet_room, false))
                  .all()
                  .find("刚才那条回答里都有了"),
              std::string::npos);
    // In a group, where no messages are kept, what the bot answered him last is the topic.
    const std::string room = unique("room");
    const std::string member = unique("d");
    bridge_post(port(),
                in_room(message(member, "@卡友小助手 老板欠我三个月工资不给咋办"), room, true));
    const std::string in_group =
        bridge_post(port(), in_room(message(member, "@卡友小助手 要是老板不认呢"), room, true))
            .all();
    EXPECT_NE(in_group.find("确认劳动关系"), std::string::npos) << in_group;
}

// Despair gets care and the crisis line first, and the wage question behind it is answered
// too; a threat gets its cost and the lawful way. Neither is read as a command ("不想活了" was
// "取消").
TEST_F(ChatLegalTest, DespairAndRevengeAreAnsweredFirst) {
    const std::string despair = say(port(), unique("d"), "不想活了").all();
    EXPECT_NE(despair.find("12356"), std::string::npos) << despair;
    EXPECT_EQ(despair.find("没有正在办理"), std::string::npos) << despair;
    const std::string wages = say(port(), unique("d"), "老板欠我三个月工资不给 我真不想活了").all();
    EXPECT_NE(wages.find("12356"), std::string::npos) << wages;
    EXPECT_LT(wages.find("12356"), wages.find("法律依据")) << wages;
    const std::string threat = say(port(), unique("d"), "我要去把老板车砸了").all();
    EXPECT_NE(threat.find("故意毁坏财物"), std::string::npos) << threat;
    // At an accident, the thought of leaving: stay, 120 / 122, and what fleeing costs, first.
    const std::string flight = say(port(), unique("d"), "刚撞了人 我要不要跑").all();
    EXPECT_EQ(flight.rfind("千万别走", 0), 0u) << flight;
    EXPECT_NE(flight.find("120"), std::string::npos) << flight;
    EXPECT_NE(flight.find("终生不能再考"), std::string::npos) << flight;
    EXPECT_EQ(flight.find("劳动仲裁"), std::string::npos) << flight;
}

// The message after a danger reply (danger helper, session 28: "报了 警察还没来 我现在干啥" got
// the menu, "算了 不说了" after despair "您目前没有正在办理的事项"): what to do while help comes,
// and for despair someone stays; a service asked for still goes its way.
TEST_F(ChatLegalTest, TheMessageAfterADangerReplyIsNotLeftAlone) {
    const std::string crash = unique("d");
    ASSERT_NE(say(port(), crash, "出事了 刚追尾了 前面车上有人流血").all().find("120"),
              std::string::npos);
    const std::string waiting = say(port(), crash, "报了 警察还没来 我现在干啥").all();
    EXPECT_NE(waiting.find("别挪动伤员"), std::string::npos) << waiting;
    const std::string again = say(port(), crash, "120打了").all();
    EXPECT_NE(again.find("我在"), std::string::npos) << again;
    EXPECT_EQ(again.find("我可以帮您"), std::string::npos) << again;

    const std::string low = unique("d");
    ASSERT_NE(say(port(), low, "我真不想活了").all().find("12356"), std::string::npos);
    const std::string stays = say(port(), low, "算了 不说了").all();
    EXPECT_NE(stays.find("12356"), std::string::npos) << stays;
    EXPECT_EQ(stays.find("没有正在办理"), std::string::npos) << stays;
    const std::string person = say(port(), low, "人工").all();
    EXPECT_NE(person.find("工单号"), std::string::npos) << person;

    // Threatened by the other side's family, then held in his cab (danger helper, session 29:
    // a legal menu, then "我还答不好").
    const std::string held = unique("d");
    const std::string threatened =
        say(port(), held, "打了120了 交警还没到 对方家属打电话说要弄死我").all();
    EXPECT_NE(threatened.find("马上打110报警"), std::string::npos) << threatened;
    EXPECT_NE(threatened.find("别在威胁下给钱"), std::string::npos) << threatened;
    const std::string in_cab = say(port(), held, "我现在人在车里 他们来了好几个人").all();
    EXPECT_NE(in_cab.find("锁好车门别下车"), std::string::npos) << in_cab;
    // An emergency word in that scene is the same scene: not the roadside text, which tells him
    // to get out of the cab (danger helper, session 29).
    const std::string doors = say(port(), held, "他们还在拍我车门 我不敢下车").all();
    EXPECT_NE(doors.find("锁好车门别下车"), std::string::npos) << doors;
    EXPECT_EQ(doors.find("撤到护栏外"), std::string::npos) << doors;
    // After a crash, someone not breathing: what to do while help comes, with the 120 dispatcher.
    const std::string breathing = unique("d");
    ASSERT_NE(say(port(), breathing, "出事了 刚追尾了 前面车上有人流血").all().find("120"),
              std::string::npos);
    const std::string cpr = say(port(), breathing, "他不喘气了 我要不要给他按胸口").all();
    EXPECT_NE(cpr.find("胸外按压"), std::string::npos) << cpr;
    // A gripe is no despair (12356 before a whole group) and no "没看懂" either.
    const std::string gripe = say(port(), unique("d"), "这日子没法过了").all();
    EXPECT_NE(gripe.find("跑车不容易"), std::string::npos) << gripe;
    EXPECT_EQ(gripe.find("12356"), std::string::npos) << gripe;
    // Despair and revenge together: the crisis line, and why not.
    const std::string both =
        say(port(), unique("d"), "他们天天上门闹 明天我就开车去撞他们家大门 同归于尽").all();
    EXPECT_NE(both.find("12356"), std::string::npos) << both;
    EXPECT_NE(both.find("先别冲动"), std::string::npos) << both;
}

// A follow-up that kayou does not answer directly reaches the inbox with its topic: "那要多久呢"
// alone tells an editor nothing.
TEST_F(ChatLegalTest, AFollowUpReachesTheInboxWithItsTopic) {
    const std::string sender = unique("d");
    const auto start = std::chrono::steady_clock::now();
    ASSERT_NE(say(port(), sender, "工资").all().find("1. "), std::string::npos);
    const std::string reply = say(port(), sender, "那要多久呢").all();
    const json found =
        inbox_group(start, [](const std::string& text) { return text == "工资 那要多久呢"; });
    ASSERT_FALSE(found.is_null()) << "not in the inbox with its topic; kayou said: " << reply;
}

TEST_F(ChatLegalTest, GroupStaysSilentWhenUnsureUnlessMentioned) {
    const std::string room = unique("room");
    const std::string text = "今天高速堵不堵啊";
    auto body = message(unique("d"), text);
    body["room"] = {{"id", room}, {"name", "卡友群"}};
    EXPECT_TRUE(bridge_post(port(), body).texts.empty());
    // The same message with an @-mention is answered: the silence above came from the rules.
    body["message_id"] = unique("m");
    body["mentioned_bot"] = true;
    EXPECT_FALSE(bridge_post(port(), body).texts.empty());
}

// Drivers talking among themselves drew 500–1,300 characters on seven of ten messages (group
// helper, session 21). Talk among members stays theirs; a question answered in a group is its
// point, a few articles and the way to the whole answer in private.
TEST_F(ChatLegalTest, GroupTalkAmongMembersIsTheirsAndGroupAnswersAreShort) {
    const std::string room = unique("room");
    for (const char* talk : {"还没呢 公司不给报", "公司不给报你自己去人社局报啊 一年内都行",
                             "满帮扣钱太狠了", "疲劳驾驶是罚两百"})
        EXPECT_TRUE(
            bridge_post(port(), in_room(message(unique("d"), talk), room, false)).texts.empty())
            << talk;
    const std::string asked =
        bridge_post(port(),
                    in_room(message(unique("d"), "@卡友小助手 老板欠我三个月工资咋整"), room, true))
            .all();
    EXPECT_NE(asked.find("12333"), std::string::npos) << asked;
    EXPECT_NE(asked.find(faq::kGroupClosing), std::string::npos) << asked;
    EXPECT_LT(text::code_point_count(asked), 330u) << asked;
    EXPECT_EQ(asked.find("回复2"), std::string::npos) << asked;
}

// "人工" after an answer of the union's own (a fuel station, the card) is for the district's
// staff; it opened a ticket for the lawyers (benefits helper, session 21).
TEST_F(ChatLegalTest, APersonAfterAServiceAnswerIsTheStaff) {
    const std::string sender = unique("d");
    say(port(), sender, "加油优惠在哪个加油站能用 中石化还是中石油");
    const std::string person = say(port(), sender, "人工").all();
    EXPECT_NE(person.find("工作人员"), std::string::npos) << person;
    EXPECT_EQ(person.find("律师"), std::string::npos) << person;
}

// "@卡友小助手 人工" alone in a group opened a ticket holding only "人工" (group helper, session
// 21): he is asked for his story in private instead. With his story, the ticket opens.
TEST_F(ChatLegalTest, AGroupRequestForAPersonWithoutAStoryAsksForItInPrivate) {
    const std::string room = unique("room");
    const std::string member = unique("d");
    const std::string bare =
        bridge_post(port(), in_room(message(member, "@卡友小助手 人工"), room, true)).all();
    EXPECT_NE(bare.find("私聊我说说您的情况"), std::string::npos) << bare;
    EXPECT_FALSE(std::regex_search(bare, std::regex("FL[0-9]{12,}"))) << bare;
    const std::string story =
        bridge_post(port(),
                    in_room(message(member, "@卡友小助手 找律师 货主欠我运费两万不给"), room, true))
            .all();
    std::smatch opened;
    ASSERT_TRUE(std::regex_search(story, opened, std::regex("FL[0-9]{12,}"))) << story;
    // The story again, with more of it: added to the ticket that waits, not a second one (each
    // post opened a ticket; group helper, session 21).
    const std::string again =
        bridge_post(port(), in_room(message(member, "@卡友小助手 找律师 货主欠我运费两万 三个月了"),
                                    room, true))
            .all();
    std::smatch noted;
    ASSERT_TRUE(std::regex_search(again, noted, std::regex("FL[0-9]{12,}"))) << again;
    EXPECT_EQ(noted.str(), opened.str()) << again;
    EXPECT_NE(again.find("已补充到您的工单"), std::string::npos) << again;
    // Another member's story is his own ticket.
    const std::string other =
        bridge_post(port(),
                    in_room(message(unique("d"), "@卡友小助手 找律师 老板欠我工资"), room, true))
            .all();
    std::smatch others;
    ASSERT_TRUE(std::regex_search(other, others, std::regex("FL[0-9]{12,}"))) << other;
    EXPECT_NE(others.str(), opened.str()) << other;
}

// "我入会填到哪了" in a group got a new join link (group helper, session 21): the form he started
// is in his private chat, and he is told how to go on there.
TEST_F(ChatLegalTest, AskingInAGroupWhereHisFormStandsPointsToThePrivateChat) {
    const std::string room = unique("room");
    const std::string member = unique("d");
    const std::string where =
        bridge_post(port(), in_room(message(member, "@卡友小助手 我入会填到哪了"), room, true))
            .all();
    EXPECT_NE(where.find("私聊我发“继续”"), std::string::npos) << where;
    EXPECT_EQ(where.find("http"), std::string::npos) << where;
    const std::string join =
        bridge_post(port(), in_room(message(member, "@卡友小助手 我要入会"), room, true)).all();
    EXPECT_EQ(join.find("私聊我发“继续”"), std::string::npos) << join;
}

TEST_F(ChatLegalTest, AskingForALawyerOpensATicketAndItsAnswerComesWithTheNextMessage) {
    const std::string sender = unique("d");
    auto said = say(port(), sender, "找律师");
    std::smatch match;
    const std::string text = said.all();
    ASSERT_TRUE(std::regex_search(text, match, std::regex("FL[0-9]{12,}"))) << text;
    const std::string number = match.str();

    const json answer{{"text", "可以申请劳动仲裁（测试答复）。"}};
    auto answered = http_request(port(), "POST", "/admin/api/tickets/" + number + "/answer",
                                 answer.dump(), bearer(kDeskToken));
    ASSERT_EQ(answered.status, 200) << answered.body;
    auto next = say(port(), sender, "你好");
    ASSERT_FALSE(next.texts.empty());
    EXPECT_NE(next.texts.front().find("可以申请劳动仲裁（测试答复）"), std::string::npos)
        << next.all();
    // Delivered once.
    EXPECT_EQ(say(port(), sender, "你好").all().find("测试答复"), std::string::npos);
}

TEST_F(ChatLegalTest, LocationGetsTheNearestStations) {
    auto body = message(unique("d"), "");
    body["location"] = {{"latitude", 31.7150}, {"longitude", 119.9560}, {"label", "湖塘"}};
    auto said = bridge_post(port(), body);
    EXPECT_NE(said.all().find("湖塘镇司机之家"), std::string::npos) << said.all();
}

TEST_F(ChatLegalTest, LegalQuestionInTheMiddleOfJoiningReturnsToTheStep) {
    const std::string sender = unique("d");
    ASSERT_NE(say(port(), sender, "我要入会").all().find("姓名"), std::string::npos);
    auto said = say(port(), sender, "找律师");
    const std::string text = said.all();
    EXPECT_TRUE(std::regex_search(text, std::regex("FL[0-9]{12,}"))) << text;
    EXPECT_NE(text.find("姓名"), std::string::npos) << text;
}

// A legal question in the middle of the form: the step's prompt is the last thing he reads (a
// second answer once came after it as its own message).
TEST_F(ChatLegalTest, InTheMiddleOfJoiningTheStepPromptComesLast) {
    const std::string sender = unique("d");
    ASSERT_NE(say(port(), sender, "我要入会").all().find("姓名"), std::string::npos);
    ASSERT_NE(say(port(), sender, "张三").all().find("第2步"), std::string::npos);
    const Said said = say(port(), sender, "出车祸受伤了 算工伤吗");
    ASSERT_FALSE(said.texts.empty());
    EXPECT_NE(said.all().find("工伤"), std::string::npos) << said.all();
    EXPECT_NE(said.texts.back().find("第2步"), std::string::npos) << said.all();
    // A detour: one short answer, not two long ones before the step.
    EXPECT_LE(said.texts.front().size(), 900u) << said.all();
    EXPECT_EQ(said.all().find("②"), std::string::npos) << said.all();
}

std::string ticket_number_in(const std::string& text) {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex("FL[0-9]{12,}"))) return "";
    return match.str();
}

// With a ticket open, "那我先问个别的 …" is a new question of his: answered, not only filed
// with the ticket (legal helper, session 21); what follows without the lead-in is his case.
TEST_F(ChatLegalTest, ANewQuestionWhileATicketWaitsIsAnswered) {
    const std::string sender = unique("d");
    ASSERT_FALSE(
        ticket_number_in(say(port(), sender, "找律师 挂靠车出事故 受害人起诉我要赔30万").all())
            .empty());
    const std::string asked = say(port(), sender, "那我先问个别的 交强险保险公司拒赔咋办").all();
    EXPECT_NE(asked.find("拒赔"), std::string::npos) << asked;
    EXPECT_EQ(asked.find("已补充到您的工单"), std::string::npos) << asked;
    const std::string more = say(port(), sender, "对方律师说下周开庭").all();
    EXPECT_NE(more.find("已补充到您的工单"), std::string::npos) << more;
}

json ticket(std::uint16_t port, const std::string& number) {
    auto got = http_request(port, "GET", "/admin/api/tickets/" + number, {}, bearer(kDeskToken));
    EXPECT_EQ(got.status, 200) << got.body;
    if (got.status != 200) return json::object();
    return json::parse(got.body);
}

// "律师啥时候联系我" right after "找律师" opened a second ticket with only that line in it. While
// the first waits for the desk, asking for a person again shows it; once answered, a new one.
TEST_F(ChatLegalTest, AskingForAPersonAgainShowsTheTicketStillWaiting) {
    const std::string sender = unique("d");
    const std::string first = ticket_number_in(say(port(), sender, "找律师").all());
    ASSERT_FALSE(first.empty());
    const std::string again = say(port(), sender, "律师啥时候联系我").all();
    EXPECT_EQ(ticket_number_in(again), first) << again;
    EXPECT_NE(again.find("不用再转一次"), std::string::npos) << again;
    const std::string progress = say(port(), sender, "进度").all();
    EXPECT_EQ(ticket_number_in(progress), first) << progress;
    EXPECT_EQ(progress.find("没有查到您在这个聊天里办的入会申请"), std::string::npos) << progress;
    const std::string mine = say(port(), sender, "我的工单呢").all();
    EXPECT_EQ(ticket_number_in(mine), first) << mine;
    // Impatience in other words: the ticket's state, and nothing added to it.
    for (const char* impatient : {"律师呢", "要等多久"}) {
        const std::string waiting = say(port(), sender, impatient).all();
        EXPECT_EQ(ticket_number_in(waiting), first) << impatient << ": " << waiting;
        EXPECT_EQ(waiting.find("已补充"), std::string::npos) << impatient << ": " << waiting;
        EXPECT_EQ(waiting.find("工伤认定"), std::string::npos) << impatient << ": " << waiting;
    }
    EXPECT_EQ(ticket(port(), first)["notes"].size(), 0u);
    // In a group: its state, its details only in private.
    const std::string room = unique("room");
    const std::string in_group =
        bridge_post(port(), in_room(message(sender, "@卡友小助手 我的工单呢"), room, true)).all();
    EXPECT_EQ(ticket_number_in(in_group), first) << in_group;
    EXPECT_EQ(in_group.find("12345"), std::string::npos) << in_group;
    const json answer{{"text", "请带上工资条来咨询（测试答复）。"}};
    ASSERT_EQ(http_request(port(), "POST", "/admin/api/tickets/" + first + "/answer", answer.dump(),
                           bearer(kDeskToken))
                  .status,
              200);
    // Asked as the answer arrives: the answer once, then a pointer to it.
    const std::string arriving = say(port(), sender, "律师回了没").all();
    const auto shown = arriving.find("测试答复");
    ASSERT_NE(shown, std::string::npos) << arriving;
    EXPECT_EQ(arriving.find("测试答复", shown + 1), std::string::npos) << arriving;
    EXPECT_NE(arriving.find("答复就在上面"), std::string::npos) << arriving;
    // Answered: "律师回了没" shows the answer, not a second ticket.
    const std::string replied = say(port(), sender, "律师回了没").all();
    EXPECT_NE(replied.find("测试答复"), std::string::npos) << replied;
    const std::string next = ticket_number_in(say(port(), sender, "人工").all());
    EXPECT_FALSE(next.empty());
    EXPECT_NE(next, first);
    // With nothing waiting, "工伤认定要等多久" is a question, answered (not the old ticket's
    // state).
    const std::string done = unique("d");
    const std::string done_ticket = ticket_number_in(say(port(), done, "找律师").all());
    ASSERT_EQ(http_request(port(), "POST", "/admin/api/tickets/" + done_ticket + "/answer",
                           answer.dump(), bearer(kDeskToken))
                  .status,
              200);
    say(port(), done, "你好");  // the answer arrives
    const std::string question = say(port(), done, "工伤认定要等多久").all();
    EXPECT_NE(question.find("60日"), std::string::npos) << question;
}

// The desk reads the driver's story, not the word that asked for a person, and a request with
// his case in it opens a ticket at once (helpers playing drivers found both).
TEST_F(ChatLegalTest, TheTicketCarriesHisStoryAndWhatHeAddsAfterwards) {
    const std::string sender = unique("d");
    const std::string story =
        "我在无锡一个物流公司开厢车 干了两年了 上个月卸货的时候从车厢上摔下来 腰椎骨折 "
        "住了二十天院 公司说没给我交社保 我还能算工伤不";
    say(port(), sender, story);
    say(port(), sender, "那医药费谁出");
    const std::string number = ticket_number_in(say(port(), sender, "人工").all());
    ASSERT_FALSE(number.empty());
    const std::string added = say(port(), sender, "老板叫刘德福 电话不知道").all();
    EXPECT_NE(added.find("已补充到您的工单" + number), std::string::npos) << added;
    EXPECT_EQ(added.find("回复数字"), std::string::npos) << added;  // no choices about it
    const auto opened = ticket(port(), number);
    EXPECT_NE(opened.value("question", "").find("腰椎骨折"), std::string::npos) << opened.dump();
    ASSERT_EQ(opened["notes"].size(), 1u) << opened.dump();
    EXPECT_NE(opened["notes"][0].value("text", "").find("刘德福"), std::string::npos);

    // A request that tells the story itself is not asked for it again (session 29).
    const std::string told =
        say(port(), unique("d"), "货拉到了 货主压着尾款一万二不给 说等他下游回款 我要找律师").all();
    ASSERT_FALSE(ticket_number_in(told).empty()) << told;
    EXPECT_NE(told.find("您说的情况已经写进工单"), std::string::npos) << told;
    EXPECT_EQ(told.find("律师还不知道您的情况"), std::string::npos) << told;

    // An ID number he typed never reaches the desk: masked in the question and in his notes.
    const std::string with_id = unique("d");
    say(port(), with_id, "咨询一下遗嘱怎么写才有效 我身份证320412197503123517");
    const std::string id_ticket = ticket_number_in(say(port(), with_id, "人工").all());
    ASSERT_FALSE(id_ticket.empty());
    say(port(), with_id, "我爸的身份证是320402195001011234");
    const std::string stored = ticket(port(), id_ticket).dump();
    EXPECT_EQ(stored.find("197503123517"), std::string::npos) << stored;
    // A grievance keeps none either.
    const std::string grieved =
        say(port(), unique("d"), "我要投诉 路政乱罚款 身份证320483198503124417").all();
    const std::string grievance_ticket = ticket_number_in(grieved);
    ASSERT_FALSE(grievance_ticket.empty()) << grieved;
    EXPECT_EQ(ticket(port(), grievance_ticket).dump().find("198503124417"), std::string::npos);
    EXPECT_EQ(stored.find("195001011234"), std::string::npos) << stored;
    EXPECT_NE(stored.find("遗嘱"), std::string::npos) << stored;

    const std::string at_once =
        say(port(), unique("d"), "找律师 常州金通物流欠我运费三万八 欠了半年了").all();
    const std::string second = ticket_number_in(at_once);
    ASSERT_FALSE(second.empty()) << at_once;
    EXPECT_NE(ticket(port(), second).value("question", "").find("金通物流"), std::string::npos);
}

// The chat's session expires after half an hour idle and a desk answers hours later: asked about
// then, the chat still finds his ticket instead of opening a second one.
TEST_F(ChatLegalTest, TheTicketIsFoundAfterTheSessionExpired) {
    const std::string sender = unique("d");
    const std::string first = ticket_number_in(say(port(), sender, "找律师").all());
    ASSERT_FALSE(first.empty());
    redis_->command("DEL kayou:conv:{bridge:" + sender + "}:session");
    const std::string again = say(port(), sender, "律师啥时候联系我").all();
    EXPECT_EQ(ticket_number_in(again), first) << again;
    EXPECT_NE(again.find("不用再转一次"), std::string::npos) << again;
}

// In a group, personal data gets the warning; addressed to the bot, his question is answered too,
// and nothing of the numbers comes back. Not addressed, the warning alone.
TEST_F(ChatLegalTest, GroupPersonalDataGetsTheWarningAndTheAnswer) {
    const std::string room = unique("room");
    const std::string id = "320483198503124417";
    const std::string text = "我叫王建军 身份证" + id + " 电话13962110000 老板欠我运费三万八 咋弄";
    const std::string addressed =
        bridge_post(port(), in_room(message(unique("d"), "@卡友小助手 " + text), room, true)).all();
    EXPECT_EQ(addressed.rfind("提醒：请不要在群里发身份证号", 0), 0u) << addressed;
    EXPECT_NE(addressed.find("运费"), std::string::npos) << addressed;
    EXPECT_EQ(addressed.find("19850312"), std::string::npos) << addressed;
    EXPECT_EQ(addressed.find("13962110000"), std::string::npos) << addressed;
    const std::string unaddressed =
        bridge_post(port(), in_room(message(unique("d"), text), room, false)).all();
    EXPECT_NE(unaddressed.find("提醒"), std::string::npos) << unaddressed;
    EXPECT_EQ(unaddressed.find("运费"), std::string::npos) << unaddressed;
}

TEST_F(ChatLegalTest, SmallTalkAfterAMissNeverOpensATicket) {
    const std::string sender = unique("d");
    const std::string missed = say(port(), sender, "啊吧啊吧 呜啦啦").all();  // a real miss first
    ASSERT_NE(missed.find("没看懂"), std::string::npos) << missed;
    for (const char* text : {"哈哈哈", "666", "明天下雨不"}) {
        const std::string reply = say(port(), sender, text).all();
        EXPECT_TRUE(ticket_number_in(reply).empty()) << text << ": " << reply;
        EXPECT_NE(reply.find("帮不上忙"), std::string::npos) << text << ": " << reply;
    }
    const std::string none = say(port(), unique("d"), "我的工单呢").all();
    EXPECT_NE(none.find("没有查到您的工单"), std::string::npos) << none;
}

TEST_F(ChatLegalTest, TicketNumberGivesItsStatusAndTheAnswerOnlyToItsOwner) {
    const std::string owner = unique("d");
    const std::string number = ticket_number_in(say(port(), owner, "找律师").all());
    ASSERT_FALSE(number.empty());
    EXPECT_NE(say(port(), owner, number + " 进度").all().find("等待律师答复"), std::string::npos);

    const json answer{{"text", "运费可以向法院起诉（状态测试答复）。"}};
    ASSERT_EQ(http_request(port(), "POST", "/admin/api/tickets/" + number + "/answer",
                           answer.dump(), bearer(kDeskToken))
                  .status,
              200);
    // Someone else with the (guessable) number: as if there were no such ticket.
    const std::string other = say(port(), unique("d"), number).all();
    EXPECT_NE(other.find("没有找到您的工单"), std::string::npos) << other;
    EXPECT_EQ(other.find("已答复"), std::string::npos) << other;
    EXPECT_EQ(other.find("状态测试答复"), std::string::npos) << other;
    // The owner's own group: the state, the answer stays out of the group.
    const std::string room = unique("room");
    auto group = bridge_post(port(), in_room(message(owner, number + " 进度"), room, true)).all();
    EXPECT_NE(group.find("已答复"), std::string::npos) << group;
    EXPECT_EQ(group.find("状态测试答复"), std::string::npos) << group;
    // The owner in private: the pending answer arrives with his next message, and the number
    // shows it again afterwards — not the join flow's "进度".
    say(port(), owner, "你好");
    const std::string mine = say(port(), owner, number + " 进度").all();
    EXPECT_NE(mine.find("状态测试答复"), std::string::npos) << mine;
    EXPECT_NE(say(port(), owner, "FL209901010001").all().find("没有找到您的工单"),
              std::string::npos);
}

// A legal question (it names 法律/咨询) that no script entry covers.
// (Since session 13 "离婚的时候房子怎么分" reaches a menu through the 挂靠 entry's
// "两口子离婚怎么分".)
constexpr const char* kMissOne = "咨询一下遗嘱怎么写才有效";
constexpr const char* kMissTwo = "我家祖坟旁边的地被邻居占了怎么办";

TEST_F(ChatLegalTest, SecondPrivateMissInARowOpensATicketEvenOnAnotherProcess) {
    KayouProcess second({redis_->port(), config_yaml()});
    ASSERT_TRUE(second.wait_ready());
    const auto start = std::chrono::steady_clock::now();
    while (serving(second, "faq") < 1 && std::chrono::steady_clock::now() - start < 20s) {
    }
    ASSERT_GE(serving(second, "faq"), 1) << second.log();

    const std::string sender = unique("d");
    const std::string first = say(port(), sender, kMissOne).all();
    EXPECT_NE(first.find("答不好"), std::string::npos) << first;
    EXPECT_TRUE(ticket_number_in(first).empty()) << first;
    // The counter is in the Redis session: the second miss may reach another kayou process.
    const std::string second_said = say(second.port(), sender, kMissTwo).all();
    const std::string number = ticket_number_in(second_said);
    ASSERT_FALSE(number.empty()) << second_said;
    EXPECT_NE(second_said.find("律师"), std::string::npos) << second_said;
    const auto opened = ticket(port(), number);
    EXPECT_EQ(opened.value("category", ""), "legal");
    // The desk sees both questions.
    EXPECT_NE(opened.value("question", "").find("遗嘱"), std::string::npos) << opened.dump();
    EXPECT_NE(opened.value("question", "").find("祖坟"), std::string::npos) << opened.dump();
    // What he sends next while it waits goes to that ticket: no second one, no "答不好".
    const std::string third = say(port(), sender, kMissOne).all();
    EXPECT_EQ(ticket_number_in(third), number) << third;
    EXPECT_NE(third.find("已补充到您的工单"), std::string::npos) << third;
}

TEST_F(ChatLegalTest, AnAnswerBetweenTwoMissesResetsTheStreak) {
    const std::string sender = unique("d");
    EXPECT_TRUE(ticket_number_in(say(port(), sender, kMissOne).all()).empty());
    EXPECT_NE(say(port(), sender, "货主拖欠运费怎么办").all().find("法律依据"), std::string::npos);
    const std::string third = say(port(), sender, kMissTwo).all();
    EXPECT_NE(third.find("答不好"), std::string::npos) << third;
    EXPECT_TRUE(ticket_number_in(third).empty()) << third;
}

TEST_F(ChatLegalTest, GroupMissesNeverOpenATicket) {
    const std::string room = unique("room");
    const std::string sender = unique("d");
    for (const char* text : {kMissOne, kMissTwo, kMissOne}) {
        const std::string said =
            bridge_post(port(), in_room(message(sender, text), room, true)).all();
        EXPECT_TRUE(ticket_number_in(said).empty()) << said;
    }
}

TEST_F(ChatLegalTest, GrievanceWithItsCategoryOpensATicket) {
    const std::string said = say(port(), unique("d"), "我要投诉 乱罚款").all();
    const std::string number = ticket_number_in(said);
    ASSERT_FALSE(number.empty()) << said;
    EXPECT_NE(said.find("诉求已登记"), std::string::npos) << said;
    const auto opened = ticket(port(), number);
    EXPECT_EQ(opened.value("category", ""), "grievance");
    EXPECT_EQ(opened.value("subcategory", ""), "fines");
}

TEST_F(ChatLegalTest, GrievanceWithoutACategoryAsksWithNumberedChoices) {
    const std::string sender = unique("d");
    const std::string asked = say(port(), sender, "我要投诉").all();
    ASSERT_NE(asked.find("2. 执法"), std::string::npos) << asked;
    EXPECT_TRUE(ticket_number_in(asked).empty()) << asked;
    EXPECT_NE(say(port(), sender, "5").all().find("1-3"), std::string::npos);
    const std::string picked = say(port(), sender, "２").all();  // full-width
    const std::string number = ticket_number_in(picked);
    ASSERT_FALSE(number.empty()) << picked;
    const auto opened = ticket(port(), number);
    EXPECT_EQ(opened.value("subcategory", ""), "enforcement");
    EXPECT_EQ(opened.value("question", ""), "我要投诉");
}

TEST_F(ChatLegalTest, GroupGrievanceIsSentToThePrivateChat) {
    const std::string room = unique("room");
    const std::string said =
        bridge_post(port(), in_room(message(unique("d"), "我要投诉 乱罚款"), room, true)).all();
    EXPECT_NE(said.find("私聊"), std::string::npos) << said;
    EXPECT_TRUE(ticket_number_in(said).empty()) << said;
}

TEST_F(ChatLegalTest, GroupChoicesBelongToTheSenderWhoWasOfferedThem) {
    const std::string room = unique("room");
    const std::string asker = unique("d");
    const std::string shown =
        bridge_post(port(), in_room(message(asker, "工资"), room, true)).all();
    ASSERT_NE(shown.find("2. "), std::string::npos) << shown;
    // Kept in the asker's own group conversation, which expires with the session.
    const auto ttl =
        redis_->command("PTTL kayou:conv:{bridge:g:" + room + ":" + asker + "}:session");
    ASSERT_GT(ttl.size(), 1u);
    EXPECT_GT(std::stol(ttl.substr(1)), 0) << ttl;
    // Another member's "2" picks nothing (and the bot stays quiet in the group).
    const std::string others =
        bridge_post(port(), in_room(message(unique("d"), "2"), room, false)).all();
    EXPECT_EQ(others.find("法律依据"), std::string::npos) << others;
    // The asker's "第二个", without a mention, does.
    const std::string picked =
        bridge_post(port(), in_room(message(asker, "第二个"), room, false)).all();
    EXPECT_NE(picked.find("法律依据"), std::string::npos) << picked;
    // The help menu says "回复数字": his "3" without a mention is his pick (it was dropped, and
    // the menu with it, so "@卡友小助手 3" then got "没看懂"; group helper, session 21).
    const std::string member = unique("d");
    const std::string menu =
        bridge_post(port(), in_room(message(member, "帮助"), room, true)).all();
    ASSERT_NE(menu.find("3. 福利"), std::string::npos) << menu;
    const std::string benefits =
        bridge_post(port(), in_room(message(member, "3"), room, false)).all();
    EXPECT_NE(benefits.find("福利"), std::string::npos) << benefits;
    // "5. 找工作人员" picked in the group: the way to a person, in private (the "5" was searched:
    // 五级伤残; group helper, session 22).
    ASSERT_NE(bridge_post(port(), in_room(message(member, "帮助"), room, true)).all().find("5. 找"),
              std::string::npos);
    const std::string person =
        bridge_post(port(), in_room(message(member, "@卡友小助手 5"), room, true)).all();
    EXPECT_NE(person.find("私聊我说说您的情况"), std::string::npos) << person;
    EXPECT_EQ(person.find("伤残"), std::string::npos) << person;
    // "都不是 → 转人工" picked in the group: the answer goes to him alone, in private (a "4" was
    // told the lawyer would answer "在这里", in front of the group; group helper, session 22).
    const std::string third = unique("d");
    const std::string offered =
        bridge_post(port(), in_room(message(third, "工资"), room, true)).all();
    const auto last = offered.rfind(". 都不是");
    ASSERT_NE(last, std::string::npos) << offered;
    const std::string none = offered.substr(last - 1, 1);
    const std::string handed =
        bridge_post(port(), in_room(message(third, none), room, false)).all();
    ASSERT_FALSE(ticket_number_in(handed).empty()) << handed;
    EXPECT_NE(handed.find("只发给您本人"), std::string::npos) << handed;
    EXPECT_EQ(handed.find("在这里"), std::string::npos) << handed;
    EXPECT_EQ(benefits.find("没看懂"), std::string::npos) << benefits;
}

// Two entries that fit about equally well (the six-month probation rule and the probation
// lengths) are both answered in one reply, each with its legal basis; the question still goes
// to the editors' inbox, marked as answered with two, so they can tell which one drivers mean.
TEST_F(ChatLegalTest, TwoCloseEntriesAreAnsweredTogetherAndReachTheInbox) {
    const std::string sender = unique("d");
    const auto start = std::chrono::steady_clock::now();
    const Said said = say(port(), sender, "试用期六个月合法吗");
    const std::string reply = said.all();
    EXPECT_EQ(reply.find("您问的可能是下面两种情况之一"), 0u) << reply;
    const auto first = reply.find("①");
    const auto second = reply.find("②");
    ASSERT_NE(first, std::string::npos) << reply;
    ASSERT_NE(second, std::string::npos) << reply;
    EXPECT_LT(first, second);
    EXPECT_NE(reply.find("法律依据", first), std::string::npos) << reply;
    EXPECT_NE(reply.find("法律依据", second), std::string::npos) << reply;
    EXPECT_EQ(reply.find("回复数字"), std::string::npos) << reply;
    // Too long together for one text, the bridge sends them as two messages, each whole.
    ASSERT_EQ(said.texts.size(), 2u) << reply;
    EXPECT_EQ(said.texts[1].find("②"), 0u) << said.texts[1];
    for (const auto& text : said.texts) {
        EXPECT_LE(text.size(), 2000u);
        EXPECT_EQ(text.find("看全文"), std::string::npos) << text;
    }
    // Composed for the bridge's 2,000 bytes: no citation spills into a bubble of its own (the
    // first answer was composed for 2,048 and its last citation came alone).
    const Said long_pair = say(port(), unique("d"), "老板欠我三个月工资不给，还把我开了，咋办");
    for (const auto& text : long_pair.texts) EXPECT_GT(text.size(), 300u) << long_pair.all();
    // "2" sends the second answer alone and whole (a shortened one says "回复2看全文").
    const std::string second_alone = say(port(), sender, "2").all();
    EXPECT_NE(second_alone.find("法律依据"), std::string::npos) << second_alone;
    EXPECT_EQ(second_alone.find("两种情况"), std::string::npos) << second_alone;
    const std::string opening = second_alone.substr(0, second_alone.find("。"));
    EXPECT_NE(reply.find("②" + opening), std::string::npos)
        << "not the second of the two: " << second_alone;
    const json found =
        inbox_group(start, [](const std::string& text) { return text == "试用期六个月合法吗"; });
    ASSERT_FALSE(found.is_null()) << "not in the inbox within a second";
    EXPECT_EQ(found["outcome"], "two_answers");
}

// A question kayou could not answer reaches the editors' inbox scrubbed, and becomes a live
// entry through the admin API (the console page drives the same calls).
TEST_F(ChatLegalTest, AMissedQuestionIsScrubbedIntoTheInboxAndBecomesALiveEntry) {
    const std::string sender = unique("d");
    const std::string question =
        "我叫王建国 电话13812345678 问个事 宅基地上盖的车库被村里拆了能要补偿不";
    const auto start = std::chrono::steady_clock::now();
    const std::string reply = say(port(), sender, question).all();
    const json found = inbox_group(
        start, [](const std::string& text) { return text.find("宅基地") != std::string::npos; });
    ASSERT_FALSE(found.is_null()) << "not in the inbox within a second; kayou said: " << reply;
    const std::string text = found["text"];
    EXPECT_EQ(text.find("王建国"), std::string::npos) << text;
    EXPECT_EQ(text.find("13812345678"), std::string::npos) << text;
    EXPECT_NE(text.find("〔姓名〕"), std::string::npos) << text;
    EXPECT_NE(text.find("〔手机号〕"), std::string::npos) << text;
    // Nothing personal anywhere under the inbox's keys.
    for (const auto& key : redis_cli(redis_->port(), "--scan --pattern 'kayou:{missed}:*'"))
        for (const auto& line : redis_cli(redis_->port(), "DUMP '" + key + "'"))
            EXPECT_EQ(line.find("13812345678"), std::string::npos) << key;

    const json promote = {{"question", "宅基地上的车库被拆了能要补偿吗"},
                          {"publish", true},
                          {"new",
                           {{"id", "homestead_demolition"},
                            {"answer",
                             "宅基地上的房屋和附属设施被依法征收的，应当给予公平、合理"
                             "的补偿；没有合法手续强拆的，可以申请行政复议或起诉。"},
                            {"legal_basis", {{{"law", "土地管理法"}, {"article", "第48条"}}}},
                            {"tags", {"宅基地"}}}}};
    auto promoted = http_request(port(), "POST",
                                 "/admin/api/missed/" + found["id"].get<std::string>() + "/promote",
                                 promote.dump(), bearer(kEditorToken));
    ASSERT_EQ(promoted.status, 200) << promoted.body;
    const int version = json::parse(promoted.body)["version"];
    const auto live_by = std::chrono::steady_clock::now() + 20s;
    while (serving(*kayou_, "faq") != version && std::chrono::steady_clock::now() < live_by) {
    }
    ASSERT_EQ(serving(*kayou_, "faq"), version);
    const std::string answered = say(port(), unique("d"), "宅基地上的车库被拆了能要补偿吗").all();
    EXPECT_NE(answered.find("公平、合理的补偿"), std::string::npos) << answered;
    // Promoted questions leave the inbox; an unknown one is a 404, a bad entry a 422.
    auto again = http_request(port(), "POST",
                              "/admin/api/missed/" + found["id"].get<std::string>() + "/dismiss",
                              "", bearer(kEditorToken));
    EXPECT_EQ(again.status, 404);
    say(port(), unique("d"), "呜啦啦 啊吧啊吧 哦哦");
    auto listed = json::parse(
        http_request(port(), "GET", "/admin/api/missed", {}, bearer(kEditorToken)).body);
    ASSERT_FALSE(listed["groups"].empty());
    const json bad = {{"new", {{"id", "Bad Id!"}, {"answer", "x"}}}};
    auto rejected = http_request(
        port(), "POST",
        "/admin/api/missed/" + listed["groups"][0]["id"].get<std::string>() + "/promote",
        bad.dump(), bearer(kEditorToken));
    EXPECT_EQ(rejected.status, 422) << rejected.body;
    EXPECT_FALSE(json::parse(rejected.body)["errors"].empty());
}

// "找律师 … 麻烦回个电话": the ticket opens and he is told how a call can happen (group helper,
// session 22: the call request went unmentioned).
TEST_F(ChatLegalTest, ACallRequestIsAnsweredWhenTheTicketOpens) {
    const std::string sender = unique("d");
    const Said opened = say(port(), sender, "找律师 货主欠我运费三万 麻烦回个电话");
    ASSERT_FALSE(ticket_number_in(opened.all()).empty()) << opened.all();
    EXPECT_NE(opened.texts.back().find("请把手机号发在这里"), std::string::npos) << opened.all();
    const std::string given = say(port(), sender, "13912340000").all();
    EXPECT_NE(given.find("您留的电话也一并转给了"), std::string::npos) << given;
    const Said with_phone = say(port(), unique("d"), "找律师 老板欠钱不给 电话联系我 13912340001");
    EXPECT_NE(with_phone.texts.back().find("工单里有您留的电话"), std::string::npos)
        << with_phone.all();
    const std::string plain = say(port(), unique("d"), "找律师 货主欠我运费三万").all();
    EXPECT_EQ(plain.find("电话联系"), std::string::npos) << plain;
}

// "@卡友小助手 找律师 …" in a group says the answer comes in private: his first private message
// is told the ticket still waits, and his story there is added to it (legal helper, session 23:
// "在吗" got the menu alone).
TEST_F(ChatLegalTest, TheFirstPrivateMessageAfterAGroupTicketNamesIt) {
    const std::string sender = unique("d");
    const std::string room = unique("room");
    const Said opened = bridge_post(
        port(),
        in_room(message(sender, "@卡友小助手 找律师 车队老板跑路了 工资欠了三个月"), room, true));
    const std::string number = ticket_number_in(opened.all());
    ASSERT_FALSE(number.empty()) << opened.all();
    const Said hello = say(port(), sender, "在吗");
    ASSERT_FALSE(hello.texts.empty());
    EXPECT_EQ(hello.texts.front().find("您的工单" + number + "还在等"), 0u) << hello.all();
    const std::string story = say(port(), sender, "老板跑路了找不到人 公司还在 我们找谁要钱").all();
    EXPECT_NE(story.find("补充到您的工单" + number), std::string::npos) << story;
    // Once said, not again; a stranger hears nothing of tickets.
    EXPECT_EQ(say(port(), sender, "你好").all().find("还在等"), std::string::npos);
    EXPECT_EQ(say(port(), unique("d"), "在吗").all().find("工单"), std::string::npos);
}

// "算了不用律师了 … 取消吧" while his ticket waits closes it, and says so (legal helper, session
// 23: it was added to the ticket, and a platform's order-cancelling answer came with it).
TEST_F(ChatLegalTest, HeWithdrawsHisWaitingTicket) {
    const std::string sender = unique("d");
    const std::string number =
        ticket_number_in(say(port(), sender, "找律师 货主欠我运费三万").all());
    ASSERT_FALSE(number.empty());
    const std::string withdrawn = say(port(), sender, "算了不用律师了 我自己去仲裁 取消吧").all();
    EXPECT_NE(withdrawn.find("工单" + number + "已撤销"), std::string::npos) << withdrawn;
    EXPECT_EQ(ticket(port(), number).value("state", ""), "closed");
    // The same words with no ticket waiting are no withdrawal.
    const std::string again = say(port(), sender, "不用律师了").all();
    EXPECT_EQ(again.find("已撤销"), std::string::npos) << again;
}
}  // namespace
}  // namespace kayou::test
