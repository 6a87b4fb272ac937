// End-to-end through the real kayou binary over loopback HTTP, with a real redis-server, and with
// requests built the way the platforms build them (Tencent's own @wecom/crypto for the crypto).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "bot/channels/bridge.hpp"
#include "bot/channels/wechat_xml.hpp"
#include "bot/embedded_redis.hpp"
#include "crypto/wx_msg_crypt.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/reference.hpp"

namespace kayou::test {
namespace {

// Spec §6 V4 credentials: a real-looking key, so both implementations exercise the same bytes.
constexpr const char* kToken = "QDG6eK";
constexpr const char* kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr const char* kAppId = "wx5823bf96d3bd56c7";
constexpr const char* kBridgeSecret = "bridge-secret-for-tests-0123456789";

std::string channels_yaml() {
    return std::string("wechat:\n") +
           "  official_account:\n    enabled: true\n    token: " + kToken +
           "\n    encoding_aes_key: " + kAesKey + "\n    app_id: " + kAppId + "\n" +
           "  wecom_app:\n    enabled: true\n    token: " + kToken +
           "\n    encoding_aes_key: " + kAesKey + "\n    corp_id: " + kAppId + "\n" +
           "  wecom_bot:\n    enabled: true\n    token: " + kToken +
           "\n    encoding_aes_key: " + kAesKey + "\n    bot_name: 卡友小助手\n" +
           "bridge:\n  enabled: true\n  secret: " + kBridgeSecret + "\n" +
           // No FAQ seeds: replies stay the placeholder echo these tests look for, whatever the
           // working directory (the default seed_dir, faq/data, exists only at the repo root).
           "content:\n  seed_dir: \"\"\n";
}

// A safe-mode POST exactly as WeChat sends it: encrypted by the reference implementation.
struct OaRequest {
    std::string target;
    std::string body;
    std::string timestamp;
    std::string nonce;
};

OaRequest safe_mode_request(const std::string& plain_xml, const std::string& nonce = "1320562132") {
    OaRequest request;
    request.timestamp = std::to_string(unix_now());
    request.nonce = nonce;
    auto sealed = reference_encrypt(kAesKey, kAppId, kToken, request.timestamp, nonce, plain_xml);
    const auto plain_signature = crypto::wx_plain_signature(kToken, request.timestamp, nonce);
    request.target = "/wx/oa?signature=" + plain_signature + "&timestamp=" + request.timestamp +
                     "&nonce=" + nonce +
                     "&openid=o_driver&encrypt_type=aes&msg_signature=" + sealed.signature;
    request.body = "<xml><ToUserName><![CDATA[gh_kayoutest01]]></ToUserName><Encrypt><![CDATA[" +
                   sealed.encrypt + "]]></Encrypt></xml>";
    return request;
}

// Decrypts kayou's safe-mode reply with the reference implementation; returns the plaintext XML.
std::string open_reply(const HttpResult& response) {
    auto envelope = channels::parse_wechat_xml(response.body);
    EXPECT_TRUE(envelope.ok()) << response.body;
    if (!envelope.ok()) return {};
    const std::string encrypt(envelope->get("Encrypt"));
    auto opened = reference_decrypt(kAesKey, kToken, std::string(envelope->get("TimeStamp")),
                                    std::string(envelope->get("Nonce")),
                                    std::string(envelope->get("MsgSignature")), encrypt);
    EXPECT_TRUE(opened.signature_ok) << "kayou's MsgSignature does not verify";
    EXPECT_EQ(opened.receive_id, kAppId);
    return opened.message;
}

double metric(std::uint16_t port, const std::string& name) {
    auto response = http_request(port, "GET", "/metrics");
    std::regex line("(^|\n)" + name + " ([0-9.e+]+)");
    std::smatch match;
    if (!std::regex_search(response.body, match, line)) return 0;
    return std::stod(match[2]);
}

class WebhooksTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ASSERT_FALSE(reference_dir().empty())
            << "run scripts/test.sh: it installs the reference crypto (npm ci in tests/reference)";
        kayou_ = new KayouProcess({RedisServer::shared().port(), channels_yaml()});
        ASSERT_TRUE(kayou_->wait_ready());
    }
    static void TearDownTestSuite() {
        delete kayou_;
        kayou_ = nullptr;
    }
    static std::uint16_t port() { return kayou_->port(); }
    static std::string unique_id() {
        static int counter = 0;
        return std::to_string(unix_now()) + std::to_string(100000 + ++counter) +
               std::to_string(::getpid());
    }
    static KayouProcess* kayou_;
};
KayouProcess* WebhooksTest::kayou_ = nullptr;

TEST_F(WebhooksTest, HealthAndMetricsAnswer) {
    EXPECT_EQ(http_request(port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(port(), "GET", "/readyz").status, 200);
    auto metrics = http_request(port(), "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("kayou_http_requests_total{route=\"/healthz\",status=\"200\"}"),
              std::string::npos);
    EXPECT_NE(metrics.body.find("kayou_http_request_duration_seconds_bucket"), std::string::npos);
    // The standard process metrics, read from /proc of the kayou process itself.
    for (const std::string name :
         {"process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"})
        EXPECT_NE(metrics.body.find("\n" + name + " "), std::string::npos) << name;
    const auto rss_at = metrics.body.find("\nprocess_resident_memory_bytes ");
    ASSERT_NE(rss_at, std::string::npos);
    EXPECT_GT(std::strtod(metrics.body.c_str() + rss_at + 31, nullptr), 1e6);  // > 1 MB
    EXPECT_EQ(http_request(port(), "GET", "/no/such/route").status, 404);
}

TEST_F(WebhooksTest, OfficialAccountUrlCheckEchoesEchostr) {
    const auto ts = std::to_string(unix_now());
    const auto signature = crypto::wx_plain_signature(kToken, ts, "77");
    auto ok = http_request(port(), "GET",
                           "/wx/oa?signature=" + signature + "&timestamp=" + ts +
                               "&nonce=77&echostr=5837397520665436492");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "5837397520665436492");
    auto bad = http_request(port(), "GET",
                            "/wx/oa?signature=" + std::string(40, '0') + "&timestamp=" + ts +
                                "&nonce=77&echostr=5837397520665436492");
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(bad.body.find("5837397520665436492"), std::string::npos);
}

TEST_F(WebhooksTest, SafeModeMessageRoundTripsWithTheReferenceImplementation) {
    const auto msg_id = unique_id();
    auto request = safe_mode_request(oa_text_xml("o_driver_a", msg_id, "你好🚚 帮助"));
    auto response =
        http_request(port(), "POST", request.target, request.body, {{"Content-Type", "text/xml"}});
    ASSERT_EQ(response.status, 200) << response.body;
    const std::string plain = open_reply(response);
    auto reply = channels::parse_wechat_xml(plain);
    ASSERT_TRUE(reply.ok()) << plain;
    EXPECT_EQ(reply->get("ToUserName"), "o_driver_a");
    EXPECT_EQ(reply->get("FromUserName"), "gh_kayoutest01");
    EXPECT_EQ(reply->get("MsgType"), "text");
    EXPECT_NE(reply->get("Content").find("卡友小助手"), std::string_view::npos);
}

// Four deliveries of one MsgId, each encrypted afresh (new random prefix, new nonce) as WeChat
// does; `simultaneous` sends them at once from four threads instead of one after the other.
// Expects one dialog turn and four identical replies that echo `text`.
void expect_one_turn_for_four_deliveries(std::uint16_t port, const std::string& msg_id,
                                         const std::string& openid, const std::string& text,
                                         bool simultaneous) {
    const auto before = metric(port, "kayou_dialog_turns_total");
    std::vector<OaRequest> requests;
    for (int delivery = 0; delivery < 4; ++delivery)
        requests.push_back(
            safe_mode_request(oa_text_xml(openid, msg_id, text), std::to_string(1000 + delivery)));
    std::vector<HttpResult> responses(requests.size());
    auto deliver = [&](std::size_t i) {
        responses[i] = http_request(port, "POST", requests[i].target, requests[i].body);
    };
    std::vector<std::thread> deliveries;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (simultaneous)
            deliveries.emplace_back(deliver, i);
        else
            deliver(i);
    }
    for (auto& delivery : deliveries) delivery.join();
    std::vector<std::string> contents;
    for (const auto& response : responses) {
        ASSERT_EQ(response.status, 200) << response.body;
        auto reply = channels::parse_wechat_xml(open_reply(response));
        ASSERT_TRUE(reply.ok());
        contents.emplace_back(reply->get("Content"));
    }
    EXPECT_EQ(metric(port, "kayou_dialog_turns_total") - before, 1);
    for (const auto& content : contents) EXPECT_EQ(content, contents.front());
    // Not understood: the reply says so and never repeats the driver's words.
    EXPECT_NE(contents.front().find("没看懂"), std::string::npos) << contents.front();
    EXPECT_EQ(contents.front().find(text), std::string::npos);
}

TEST_F(WebhooksTest, FourDeliveriesOfOneMsgIdRunOneTurnAndGetIdenticalReplies) {
    expect_one_turn_for_four_deliveries(port(), unique_id(), "o_driver_b" + unique_id(),
                                        "呜啦啦 啊吧啊吧 嘀嗒", false);
}

TEST_F(WebhooksTest, FourSimultaneousDeliveriesOfOneMsgIdRunOneTurn) {
    // The claim rides in the conversation lock's pipeline for 1:1 turns; deliveries that arrive
    // together must still run the dialog once and all get its reply.
    expect_one_turn_for_four_deliveries(port(), unique_id(), "o_driver_f" + unique_id(),
                                        "同时到的消息", true);
}

TEST_F(WebhooksTest, WrongSignatureIs401AndRunsNothing) {
    const auto before = metric(port(), "kayou_dialog_turns_total");
    auto request = safe_mode_request(oa_text_xml("o_driver_c", unique_id(), "hi"));
    const auto tampered = std::regex_replace(request.target, std::regex("msg_signature=[0-9a-f]+"),
                                             "msg_signature=" + std::string(40, 'a'));
    auto response = http_request(port(), "POST", tampered, request.body);
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(metric(port(), "kayou_dialog_turns_total"), before);
}

TEST_F(WebhooksTest, StaleTimestampIsRefused) {
    auto request = safe_mode_request(oa_text_xml("o_driver_c", unique_id(), "hi"));
    const std::string old = std::to_string(unix_now() - 3600);
    auto sealed = reference_encrypt(kAesKey, kAppId, kToken, old, "5", oa_text_xml("o", "1", "x"));
    auto response = http_request(
        port(), "POST",
        "/wx/oa?timestamp=" + old + "&nonce=5&encrypt_type=aes&msg_signature=" + sealed.signature,
        "<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[" + sealed.encrypt +
            "]]></Encrypt></xml>");
    EXPECT_EQ(response.status, 401);
}

TEST_F(WebhooksTest, OversizeBodyIs413) {
    auto request = safe_mode_request(oa_text_xml("o_driver_d", unique_id(), "hi"));
    auto response = http_request(port(), "POST", request.target, std::string(70 * 1024, 'x'));
    EXPECT_EQ(response.status, 413);
}

TEST_F(WebhooksTest, BrokenXmlIs400) {
    // Plaintext mode: signature over the query only, the body is the message itself.
    const auto ts = std::to_string(unix_now());
    const auto signature = crypto::wx_plain_signature(kToken, ts, "9");
    auto response = http_request(port(), "POST",
                                 "/wx/oa?signature=" + signature + "&timestamp=" + ts + "&nonce=9",
                                 "<xml><ToUserName><![CDATA[gh]]></ToUserName><MsgType>text");
    EXPECT_EQ(response.status, 400);
}

TEST_F(WebhooksTest, ControlCharactersAndCdataTerminatorsSurvive) {
    auto request = safe_mode_request(
        oa_text_xml("o_driver_e" + unique_id(), unique_id(), std::string("a\x1d") + "b]]>c"));
    auto response = http_request(port(), "POST", request.target, request.body);
    ASSERT_EQ(response.status, 200) << response.body;
    auto reply = channels::parse_wechat_xml(open_reply(response));
    ASSERT_TRUE(reply.ok()) << "a ]]> in the message must not break the reply's XML";
    EXPECT_NE(reply->get("Content").find("没看懂"), std::string_view::npos);
}

TEST_F(WebhooksTest, WecomAppUrlCheckDecryptsEchostr) {
    // Spec §6 V4 GET, with the echostr percent-encoded as WeCom sends it.
    auto response = http_request(
        port(), "GET",
        "/wx/wecom/app?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589"
        "&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp"
        "%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "1616140317555161061");
}

TEST_F(WebhooksTest, WecomBotGroupMentionGetsAnEncryptedStreamReply) {
    const auto ts = std::to_string(unix_now());
    const std::string plain =
        R"({"msgid":")" + unique_id() +
        R"(","aibotid":"bot1","chatid":"group-1","chattype":"group","from":{"userid":"zhangsan"},)"
        R"("response_url":"https://example.invalid/r","msgtype":"text","text":{"content":"@卡友小助手 帮助"}})";
    auto sealed = reference_encrypt(kAesKey, "", kToken, ts, "42", plain);
    auto response = http_request(
        port(), "POST",
        "/wx/wecom/bot?msg_signature=" + sealed.signature + "&timestamp=" + ts + "&nonce=42",
        R"({"encrypt":")" + sealed.encrypt + R"("})");
    ASSERT_EQ(response.status, 200) << response.body;
    auto json = nlohmann::json::parse(response.body);
    auto opened = reference_decrypt(kAesKey, kToken, json.at("timestamp"), json.at("nonce"),
                                    json.at("msgsignature"), json.at("encrypt"));
    EXPECT_TRUE(opened.signature_ok);
    EXPECT_EQ(opened.receive_id, "");
    auto reply = nlohmann::json::parse(opened.message);
    EXPECT_EQ(reply.at("msgtype"), "stream");
    EXPECT_EQ(reply.at("stream").at("finish"), true);
    EXPECT_NE(reply.at("stream").at("content").get<std::string>().find("入会"), std::string::npos);
}

HttpResult post_bridge(std::uint16_t port, const std::string& body, std::int64_t timestamp,
                       const std::string& secret = kBridgeSecret) {
    const auto ts = std::to_string(timestamp);
    return http_request(port, "POST", "/bridge/message", body,
                        {{"Content-Type", "application/json"},
                         {"X-Kayou-Timestamp", ts},
                         {"X-Kayou-Signature", channels::bridge_signature(secret, ts, body)}});
}

TEST_F(WebhooksTest, BridgeGroupMessageIsAnsweredWithAMention) {
    const std::string body =
        R"({"message_id":")" + unique_id() + R"(","timestamp":)" + std::to_string(unix_now()) +
        R"(,"room":{"id":"room-1","name":"卡友群"},"sender":{"id":"wxid_li","name":"老李"},)"
        R"("mentioned_bot":false,"text":"@卡友小助手 帮助"})";
    auto response = post_bridge(port(), body, unix_now());
    ASSERT_EQ(response.status, 200) << response.body;
    auto json = nlohmann::json::parse(response.body);
    ASSERT_FALSE(json.at("replies").empty());
    EXPECT_EQ(json["replies"][0]["mentions"][0], "wxid_li");
    EXPECT_EQ(json["replies"][0]["text_with_mentions"].get<std::string>().rfind("@老李", 0), 0u);
}

TEST_F(WebhooksTest, BridgeGroupChatterWithoutMentionGetsSilence) {
    const std::string body =
        R"({"message_id":")" + unique_id() +
        R"(","room":{"id":"room-1","name":"卡友群"},"sender":{"id":"wxid_wang","name":"老王"},)"
        R"("mentioned_bot":false,"text":"今天高速堵死了"})";
    auto response = post_bridge(port(), body, unix_now());
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(nlohmann::json::parse(response.body).at("replies").empty());
}

TEST_F(WebhooksTest, BridgeRejectsBadSignatureAndReplays) {
    const std::string body = R"({"message_id":"m1","sender":{"id":"x"},"text":"hi"})";
    EXPECT_EQ(post_bridge(port(), body, unix_now(), "wrong-secret-wrong-secret").status, 401);
    EXPECT_EQ(post_bridge(port(), body, unix_now() - 301).status, 401);
    EXPECT_EQ(post_bridge(port(), "{not json", unix_now()).status, 400);
}

TEST(SlowClient, IsCutOffByTheReadTimeout) {
    // Half a request, never finished: the server's read timeout must close it rather than hold
    // the connection forever. A kayou with a 1 s timeout is started for this.
    KayouProcess fast({RedisServer::shared().port(), channels_yaml(), "info", 1000});
    HttpConnection slow(fast.port(), std::chrono::seconds(10));
    auto response =
        slow.raw("POST /bridge/message HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    // Either a 4xx/5xx answer or a closed connection, but never a hang past the deadline.
    EXPECT_TRUE(response.status == 0 || response.status >= 400) << response.status;
    EXPECT_EQ(response.error.find("deadline"), std::string::npos) << response.error;
}

TEST(Shutdown, SigtermStopsCleanly) {
    KayouProcess kayou({RedisServer::shared().port(), channels_yaml()});
    ASSERT_TRUE(kayou.wait_ready());
    EXPECT_EQ(kayou.terminate(std::chrono::seconds(8)), 0) << kayou.log();
    EXPECT_NE(kayou.log().find("\"event\":\"stopped\""), std::string::npos);
}

TEST(RedisOutage, WebhooksAnswer503AndRecoverByThemselves) {
    RedisServer redis;
    KayouProcess kayou({redis.port(), channels_yaml()});
    ASSERT_TRUE(kayou.wait_ready());
    const std::string body_template =
        R"({"message_id":"%ID%","sender":{"id":"wxid_outage","name":"x"},"text":"帮助"})";
    auto body = [&](const std::string& id) {
        return std::regex_replace(body_template, std::regex("%ID%"), id);
    };
    EXPECT_EQ(post_bridge(kayou.port(), body("before"), unix_now()).status, 200);

    redis.kill9();
    EXPECT_EQ(post_bridge(kayou.port(), body("during"), unix_now()).status, 503);
    EXPECT_EQ(http_request(kayou.port(), "GET", "/readyz").status, 503);
    EXPECT_EQ(http_request(kayou.port(), "GET", "/healthz").status, 200);

    redis.restart();
    ASSERT_TRUE(kayou.wait_ready(std::chrono::seconds(15))) << kayou.log();
    // The platform's retry of the message that got 503 now runs normally.
    EXPECT_EQ(post_bridge(kayou.port(), body("during"), unix_now()).status, 200);
}

// The count on a metrics line such as `kayou_http_requests_total{route="/",status="200"} 3`;
// 0 when the line is absent (nothing counted yet).
long long metric_value(const std::string& body, const std::string& series) {
    const auto at = body.find("\n" + series + " ");
    if (at == std::string::npos) return 0;
    return std::atoll(body.c_str() + at + series.size() + 2);
}

TEST(MetricsPort, EveryProcessOnASharedPortIsScrapedOnItsOwnPort) {
    const std::uint16_t shared_port = bot::pick_free_loopback_port();
    const std::uint16_t first_metrics = bot::pick_free_loopback_port();
    std::uint16_t second_metrics = bot::pick_free_loopback_port();
    while (second_metrics == first_metrics) second_metrics = bot::pick_free_loopback_port();
    auto options = [&](std::uint16_t metrics_port) {
        // The processes share sealed data, so they need one configured key.
        KayouProcess::Options o{RedisServer::shared().port(),
                                channels_yaml() +
                                    "\nprivacy:\n  data_key: "
                                    "2JdUanKNbJG2AQTxNXEE06kt3EDf5Do1AeWsLqDDUGY=\n"};
        o.port = shared_port;
        o.reuse_port = true;
        o.extra_args = {"--metrics-port", std::to_string(metrics_port)};
        return o;
    };
    KayouProcess first(options(first_metrics));
    KayouProcess second(options(second_metrics));
    // The second one's start-up check may have been answered by the first, through the shared
    // port; its own metrics port says when it is listening.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (http_request(second_metrics, "GET", "/healthz").status != 200) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << second.log();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    // Only health and metrics on the metrics port: the webhooks and the index stay off it.
    EXPECT_EQ(http_request(first_metrics, "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(first_metrics, "GET", "/readyz").status, 200);
    EXPECT_EQ(http_request(first_metrics, "GET", "/").status, 404);
    EXPECT_EQ(http_request(first_metrics, "POST", "/bridge/message", "{}").status, 404);

    // Each request is a new connection, which the kernel hands to either process.
    constexpr int kRequests = 40;
    for (int i = 0; i < kRequests; ++i)
        ASSERT_EQ(http_request(shared_port, "GET", "/").status, 200);
    const std::string series = "kayou_http_requests_total{route=\"/\",status=\"200\"}";
    const auto seen_by_first =
        metric_value(http_request(first_metrics, "GET", "/metrics").body, series);
    const auto seen_by_second =
        metric_value(http_request(second_metrics, "GET", "/metrics").body, series);
    EXPECT_EQ(seen_by_first + seen_by_second, kRequests);
    EXPECT_NE(first.log().find("\"metrics_port\":" + std::to_string(first_metrics)),
              std::string::npos)
        << first.log();
    EXPECT_EQ(first.terminate(std::chrono::seconds(8)), 0) << first.log();
    EXPECT_EQ(second.terminate(std::chrono::seconds(8)), 0) << second.log();
}

TEST(MetricsPort, ABadValueOnTheCommandLineStopsStartUp) {
    KayouProcess::Options options{RedisServer::shared().port(), channels_yaml()};
    options.extra_args = {"--metrics-port", "http"};
    EXPECT_THROW(KayouProcess{options}, std::runtime_error);
}

}  // namespace
}  // namespace kayou::test
