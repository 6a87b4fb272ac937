// The second message: two answers too long for one passive reply go as the reply and a
// customer-service message on the Official Account, an app message on the WeCom app
// (docs/DESIGN.md, "Channels"). The real kayou binary, a real redis-server, WeChat's API faked on
// loopback (tests/support/fake_wechat_api.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "bot/channels/wechat_xml.hpp"
#include "faq/decide.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/fake_wechat_api.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/reference.hpp"

namespace kayou::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "followuptoken";
// Two entries close enough to be answered together, too long together for one 2,048-byte text
// (the one-disability-grade allowance and the grades' table; checked below by the reply itself).
constexpr const char* kLongPairQuestion = "十级伤残 一次性补助金给几个月工资";
constexpr const char* kOtherLongPairQuestion = "干满一年都没签合同 现在算啥合同";

constexpr const char* kWecomAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

// The Official Account and the WeCom app, each with its message API on the fake.
std::string config_yaml(const FakeWechatApi& wechat) {
    const auto& credentials = wechat.credentials();
    return std::string("wechat:\n  official_account:\n    enabled: true\n    token: ") + kToken +
           "\n    app_id: " + credentials.app_id + "\n    app_secret: " + credentials.app_secret +
           "\n    api_base: " + wechat.api_base() +
           "\n  wecom_app:\n    enabled: true\n    token: " + kToken +
           "\n    encoding_aes_key: " + kWecomAesKey + "\n    corp_id: " + credentials.corp_id +
           "\n    secret: " + credentials.corp_secret +
           "\n    agent_id: " + std::to_string(credentials.agent_id) +
           "\n    api_base: " + wechat.api_base() +
           "\n  wecom_bot:\n    enabled: true\n    token: " + kToken +
           "\n    encoding_aes_key: " + kWecomAesKey + "\n" + shipped_content_yaml();
}

// A WeCom app text from member `user_id`, encrypted as WeCom sends it (Tencent's reference
// implementation); the Content of kayou's decrypted reply, or "" when none.
std::string wecom_post_text(std::uint16_t port, const FakeWechatApi& wechat,
                            const std::string& user_id, const std::string& text) {
    const auto& credentials = wechat.credentials();
    const std::string agent = std::to_string(credentials.agent_id);
    const std::string timestamp = std::to_string(unix_now());
    const std::string nonce = "1372623149";
    const std::string plain =
        "<xml><ToUserName><![CDATA[" + credentials.corp_id +
        "]]></ToUserName><FromUserName><![CDATA[" + user_id + "]]></FromUserName><CreateTime>" +
        timestamp + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + text +
        "]]></Content><MsgId>" + unique_id("") + "</MsgId><AgentID>" + agent + "</AgentID></xml>";
    const auto sealed =
        reference_encrypt(kWecomAesKey, credentials.corp_id, kToken, timestamp, nonce, plain);
    const std::string target = "/wx/wecom/app?msg_signature=" + sealed.signature +
                               "&timestamp=" + timestamp + "&nonce=" + nonce;
    const std::string body =
        "<xml><ToUserName><![CDATA[" + credentials.corp_id + "]]></ToUserName><AgentID><![CDATA[" +
        agent + "]]></AgentID><Encrypt><![CDATA[" + sealed.encrypt + "]]></Encrypt></xml>";
    const auto response = http_request(port, "POST", target, body, {}, 10s);
    EXPECT_EQ(response.status, 200) << response.body;
    const auto envelope = channels::parse_wechat_xml(response.body);
    if (!envelope.ok()) return {};
    const auto opened = reference_decrypt(
        kWecomAesKey, kToken, std::string(envelope->get("TimeStamp")),
        std::string(envelope->get("Nonce")), std::string(envelope->get("MsgSignature")),
        std::string(envelope->get("Encrypt")));
    EXPECT_TRUE(opened.signature_ok);
    const auto reply = channels::parse_wechat_xml(opened.message);
    if (!reply.ok()) return {};
    return std::string(reply->get("Content"));
}

// The passive reply's Content to `text` sent as message `msg_id` ("" = a fresh one); "" if none.
std::string post_text(std::uint16_t port, const std::string& openid, const std::string& msg_id,
                      const std::string& text) {
    const Said said = oa_post(port, kToken, openid, text, msg_id);
    EXPECT_EQ(said.status, 200);
    if (said.texts.empty()) return {};
    return said.texts.front();
}

std::size_t messages_to(const FakeWechatApi& wechat, const std::string& openid) {
    std::size_t count = 0;
    for (const auto& message : wechat.messages()) count += message.touser == openid;
    return count;
}

class OaFollowUpTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        wechat_ = new FakeWechatApi();
        // A Redis of its own: the published FAQ content would otherwise reach the suites that
        // run without seeds on the shared one.
        redis_ = new RedisServer();
        kayou_ = new KayouProcess({redis_->port(), config_yaml(*wechat_)});
        ASSERT_TRUE(kayou_->wait_ready());
        const auto start = std::chrono::steady_clock::now();
        bool loaded = false;
        while (!loaded && std::chrono::steady_clock::now() - start < 20s)
            loaded = serving_version(*kayou_, "faq") >= 1;
        ASSERT_TRUE(loaded) << kayou_->log();
    }
    static void TearDownTestSuite() {
        delete kayou_;
        delete redis_;
        delete wechat_;
    }
    static std::uint16_t port() { return kayou_->port(); }
    static std::string openid() { return unique_id("oFollowUp"); }
    static FakeWechatApi* wechat_;
    static RedisServer* redis_;
    static KayouProcess* kayou_;
};
FakeWechatApi* OaFollowUpTest::wechat_ = nullptr;
RedisServer* OaFollowUpTest::redis_ = nullptr;
KayouProcess* OaFollowUpTest::kayou_ = nullptr;

TEST_F(OaFollowUpTest, TwoLongAnswersArriveWholeAsTheReplyAndASecondMessage) {
    const std::string driver = openid();
    const std::size_t before = wechat_->messages().size();
    const std::string reply = post_text(port(), driver, "", kLongPairQuestion);
    EXPECT_EQ(reply.find(faq::kBothApartOpening), 0u) << reply;
    EXPECT_NE(reply.find("①"), std::string::npos) << reply;
    EXPECT_EQ(reply.find("②"), std::string::npos) << reply;
    EXPECT_NE(reply.find("法律依据"), std::string::npos) << reply;
    EXPECT_EQ(reply.find("看全文"), std::string::npos) << "the first answer is whole: " << reply;

    ASSERT_TRUE(wechat_->wait_for_messages(before + 1, 10s)) << kayou_->log();
    ASSERT_EQ(messages_to(*wechat_, driver), 1u);
    std::string second;
    for (const auto& message : wechat_->messages())
        if (message.touser == driver) second = message.content;
    EXPECT_EQ(second.find("②"), 0u) << second;
    EXPECT_NE(second.find("法律依据"), std::string::npos) << second;
    EXPECT_NE(second.find(faq::kReachPerson), std::string::npos) << second;
    EXPECT_EQ(second.find("看全文"), std::string::npos) << "the second answer is whole: " << second;
    EXPECT_LE(second.size(), 2048u);
    // Together they say more than one text could.
    EXPECT_GT(reply.size() + second.size(), 2048u);
}

TEST_F(OaFollowUpTest, APlatformRetryOfTheSameMessageSendsNoSecondFollowUp) {
    const std::string driver = openid();
    const std::string msg_id = unique_id("msg");
    const std::size_t before = wechat_->messages().size();
    const std::string first = post_text(port(), driver, msg_id, kLongPairQuestion);
    const std::string retried = post_text(port(), driver, msg_id, kLongPairQuestion);
    EXPECT_EQ(retried, first);
    // A follow-up wrongly sent for the retry would have started before this one, with the same
    // delay: once this one arrived, it would have too.
    const std::string other = openid();
    post_text(port(), other, "", kOtherLongPairQuestion);
    ASSERT_TRUE(wechat_->wait_for_messages(before + 2, 10s)) << kayou_->log();
    for (int i = 0; i < 200 && messages_to(*wechat_, other) == 0; ++i)
        wechat_->wait_for_messages(wechat_->messages().size() + 1, 50ms);
    ASSERT_EQ(messages_to(*wechat_, other), 1u);
    EXPECT_EQ(messages_to(*wechat_, driver), 1u);
}

TEST_F(OaFollowUpTest, WhenWeChatRefusesTheSecondMessageTheDriverGetsItWithTwo) {
    const std::string driver = openid();
    const auto sends_before = wechat_->calls_to(FakeWechatCall::Api::custom_send);
    const std::size_t calls_before = wechat_->calls().size();
    // 45015: the driver's 48-hour window closed; never retried.
    wechat_->script_sends({{FakeWechatApi::Behaviour::Kind::errcode, 45015}});
    const std::string reply = post_text(port(), driver, "", kLongPairQuestion);
    ASSERT_EQ(reply.find(faq::kBothApartOpening), 0u) << reply;
    ASSERT_TRUE(wechat_->wait_for_calls(calls_before + 1, 10s));
    for (int i = 0; i < 200 && wechat_->calls_to(FakeWechatCall::Api::custom_send) == sends_before;
         ++i)
        wechat_->wait_for_calls(wechat_->calls().size() + 1, 50ms);
    ASSERT_EQ(wechat_->calls_to(FakeWechatCall::Api::custom_send), sends_before + 1);
    EXPECT_EQ(messages_to(*wechat_, driver), 0u);
    // The opening line told him: "2" gets the second answer, whole, in the reply.
    const std::string second = post_text(port(), driver, "", "2");
    EXPECT_NE(second.find("法律依据"), std::string::npos) << second;
    EXPECT_EQ(second.find("两种情况"), std::string::npos) << second;
    EXPECT_EQ(second.find("看全文"), std::string::npos) << second;
}

// The editors' preview shows the same two messages when asked to answer as the Official Account
// with its second message, and the one text otherwise. Unasked, it answers as this deployment's
// Official Account does (its customer-service API is configured here): with two messages.
TEST_F(OaFollowUpTest, TheEditorsPreviewShowsTheSecondMessage) {
    const Headers editor = {{"Authorization", std::string("Bearer ") + kTestEditorToken}};
    auto preview = [&](std::optional<bool> follow_up) {
        nlohmann::json body = {{"questions", {kLongPairQuestion}}};
        if (follow_up) body["follow_up"] = *follow_up;
        auto result = http_request(port(), "POST", "/admin/api/content/faq/versions/1/preview",
                                   body.dump(), editor, 5s);
        EXPECT_EQ(result.status, 200) << result.body;
        return nlohmann::json::parse(result.body);
    };
    for (const auto& asked : {std::optional<bool>(true), std::optional<bool>()}) {
        const auto response = preview(asked);
        EXPECT_EQ(response["follow_up"], true);
        const auto& apart = response["results"][0];
        EXPECT_EQ(apart["action"], "both");
        ASSERT_EQ(apart["texts"].size(), 1u);
        EXPECT_EQ(apart["texts"][0].get<std::string>().find(faq::kBothApartOpening), 0u);
        ASSERT_EQ(apart["follow_ups"].size(), 1u);
        EXPECT_EQ(apart["follow_ups"][0].get<std::string>().find("②"), 0u);
    }
    const auto response = preview(false);
    EXPECT_EQ(response["follow_up"], false);
    const auto& together = response["results"][0];
    ASSERT_EQ(together["texts"].size(), 1u);
    EXPECT_EQ(together["texts"][0].get<std::string>().find(faq::kBothOpening), 0u);
    EXPECT_TRUE(together["follow_ups"].empty());
}

// The WeCom app sends the second answer as an app message (应用消息) to the member, with the
// app's AgentId, as the Official Account does with its customer-service message.
TEST_F(OaFollowUpTest, TheWeComAppSendsTheSecondAnswerAsAnAppMessage) {
    const std::string member = unique_id("LiSi");
    const std::size_t before = wechat_->messages().size();
    const std::string reply = wecom_post_text(port(), *wechat_, member, kLongPairQuestion);
    EXPECT_EQ(reply.find(faq::kBothApartOpening), 0u) << reply;
    EXPECT_EQ(reply.find("②"), std::string::npos) << reply;
    ASSERT_TRUE(wechat_->wait_for_messages(before + 1, 10s)) << kayou_->log();
    ASSERT_EQ(messages_to(*wechat_, member), 1u);
    std::string second;
    for (const auto& message : wechat_->messages())
        if (message.touser == member) second = message.content;
    EXPECT_EQ(second.find("②"), 0u) << second;
    EXPECT_EQ(second.find("看全文"), std::string::npos) << "the second answer is whole: " << second;
    EXPECT_GE(wechat_->calls_to(FakeWechatCall::Api::wecom_token), 1u);
    // Counted once WeChat's answer is read, a moment after the fake took the message.
    const std::string counted = R"(kayou_follow_ups_total{channel="wecom_app",result="sent"} 1)";
    std::string metrics;
    const auto start = std::chrono::steady_clock::now();
    while (metrics.find(counted) == std::string::npos &&
           std::chrono::steady_clock::now() - start < 5s)
        metrics = http_request(port(), "GET", "/metrics", {}, {}, 5s).body;
    EXPECT_NE(metrics.find(counted), std::string::npos) << metrics;
}

// The WeCom smart robot answers in one streamed reply of up to 20,480 bytes: two long answers go
// whole in it, with no second message to send.
TEST_F(OaFollowUpTest, TheSmartRobotCarriesBothLongAnswersWholeInItsOneReply) {
    const auto ts = std::to_string(unix_now());
    const nlohmann::json message = {
        {"msgid", unique_id("robot")}, {"aibotid", "bot1"},
        {"chattype", "single"},        {"from", {{"userid", unique_id("WangWu")}}},
        {"msgtype", "text"},           {"text", {{"content", kLongPairQuestion}}}};
    const auto sealed = reference_encrypt(kWecomAesKey, "", kToken, ts, "42", message.dump());
    const std::size_t sent_before = wechat_->messages().size();
    const auto response = http_request(
        port(), "POST",
        "/wx/wecom/bot?msg_signature=" + sealed.signature + "&timestamp=" + ts + "&nonce=42",
        nlohmann::json{{"encrypt", sealed.encrypt}}.dump(), {}, 10s);
    ASSERT_EQ(response.status, 200) << response.body;
    const auto envelope = nlohmann::json::parse(response.body);
    const auto opened =
        reference_decrypt(kWecomAesKey, kToken, envelope.at("timestamp"), envelope.at("nonce"),
                          envelope.at("msgsignature"), envelope.at("encrypt"));
    ASSERT_TRUE(opened.signature_ok);
    const std::string content =
        nlohmann::json::parse(opened.message).at("stream").at("content").get<std::string>();
    EXPECT_EQ(content.find(faq::kBothOpening), 0u) << content;
    EXPECT_NE(content.find("①"), std::string::npos) << content;
    EXPECT_NE(content.find("②"), std::string::npos) << content;
    EXPECT_EQ(content.find("看全文"), std::string::npos) << "both answers are whole: " << content;
    // More than one 2,048-byte text could carry, and nothing sent through an API.
    EXPECT_GT(content.size(), 2048u);
    EXPECT_EQ(wechat_->messages().size(), sent_before);
}

}  // namespace
}  // namespace kayou::test
