#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/channels/customer_service_api.hpp"

namespace kayou::channels {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using V = CustomerServiceVerdict;
using StepKind = CustomerServiceStep::Kind;

TEST(ChannelsCustomerService, StableTokenRequest) {
    const json body = json::parse(build_stable_token_request("wxAPPID", "SECRET", false));
    EXPECT_EQ(body, json::parse(R"({"grant_type":"client_credential","appid":"wxAPPID",
                                    "secret":"SECRET","force_refresh":false})"));
    EXPECT_TRUE(
        json::parse(build_stable_token_request("a", "b", true))["force_refresh"].get<bool>());
    EXPECT_EQ(stable_token_url("https://api.weixin.qq.com"),
              "https://api.weixin.qq.com/cgi-bin/stable_token");
    EXPECT_EQ(stable_token_url("http://127.0.0.1:8080/"),
              "http://127.0.0.1:8080/cgi-bin/stable_token");
}

TEST(ChannelsCustomerService, SendUrlAcceptsOnlyTokenCharacters) {
    EXPECT_EQ(custom_send_url("https://api.weixin.qq.com", "AbZ09_-x").value(),
              "https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=AbZ09_-x");
    for (const std::string bad : {"", "a b", "a&b=c", "a%20", "tok/en", "tök"})
        EXPECT_FALSE(custom_send_url("https://api.weixin.qq.com", bad)) << bad;
}

TEST(ChannelsCustomerService, TextMessageBody) {
    const json body = json::parse(build_custom_text_message("oOPENID", "您好\n\"引号\""));
    EXPECT_EQ(body, (json{{"touser", "oOPENID"},
                          {"msgtype", "text"},
                          {"text", {{"content", "您好\n\"引号\""}}}}));
}

TEST(ChannelsCustomerService, TextLimitIsBytesOfValidUtf8) {
    EXPECT_TRUE(fits_customer_service_text("a"));
    EXPECT_TRUE(fits_customer_service_text(std::string(2048, 'a')));
    EXPECT_FALSE(fits_customer_service_text(std::string(2049, 'a')));
    std::string han;
    while (han.size() + 3 <= 2048) han += "卡";  // 682 characters, 2046 bytes
    EXPECT_TRUE(fits_customer_service_text(han));
    EXPECT_FALSE(fits_customer_service_text(han + "卡"));
    EXPECT_FALSE(fits_customer_service_text(""));
    EXPECT_FALSE(fits_customer_service_text("ab\xff"));
    EXPECT_FALSE(fits_customer_service_text("\xe5\x8d"));  // a cut code point
}

struct TokenCase {
    const char* name;
    int status;
    const char* body;
    bool issued;
    bool transient;
    std::int64_t errcode;
};

TEST(ChannelsCustomerService, StableTokenAnswers) {
    const std::vector<TokenCase> cases = {
        {"issued", 200, R"({"access_token":"ACCESS_TOKEN-x_1","expires_in":7200})", true, false, 0},
        {"errcode 0 with token", 200, R"({"errcode":0,"access_token":"T","expires_in":60})", true,
         false, 0},
        {"invalid appid", 200, R"({"errcode":40013,"errmsg":"invalid appid"})", false, false,
         40013},
        {"invalid secret", 200, R"({"errcode":40125,"errmsg":"invalid appsecret"})", false, false,
         40125},
        {"busy", 200, R"({"errcode":-1,"errmsg":"system error"})", false, true, -1},
        {"http 500", 500, "<html>", false, true, 0},
        {"http 503", 503, "", false, true, 0},
        {"http 404", 404, "", false, false, 0},
        {"not json", 200, "<html>", false, false, 0},
        {"array", 200, "[]", false, false, 0},
        {"no token", 200, R"({"expires_in":7200})", false, false, 0},
        {"token with space", 200, R"({"access_token":"a b","expires_in":7200})", false, false, 0},
        {"token not string", 200, R"({"access_token":12,"expires_in":7200})", false, false, 0},
        {"no expiry", 200, R"({"access_token":"T"})", false, false, 0},
        {"zero expiry", 200, R"({"access_token":"T","expires_in":0})", false, false, 0},
        {"expiry as string", 200, R"({"access_token":"T","expires_in":"7200"})", false, false, 0},
    };
    for (const auto& c : cases) {
        const auto answer = parse_stable_token_answer(c.status, c.body);
        EXPECT_EQ(answer.issued, c.issued) << c.name;
        EXPECT_EQ(answer.transient, c.transient) << c.name;
        EXPECT_EQ(answer.errcode, c.errcode) << c.name;
        EXPECT_EQ(answer.issued, answer.reason.empty()) << c.name;
    }
    const auto issued = parse_stable_token_answer(200, cases[0].body);
    EXPECT_EQ(issued.access_token, "ACCESS_TOKEN-x_1");
    EXPECT_EQ(issued.expires_in, 7200s);
}

struct SendCase {
    const char* name;
    int status;
    const char* body;
    V verdict;
    std::int64_t errcode;
};

TEST(ChannelsCustomerService, SendAnswers) {
    const std::vector<SendCase> cases = {
        {"ok", 200, R"({"errcode":0,"errmsg":"ok"})", V::sent, 0},
        {"invalid credential", 200, R"({"errcode":40001,"errmsg":"invalid credential"})",
         V::refresh_token, 40001},
        {"invalid token", 200, R"({"errcode":40014,"errmsg":"invalid access_token"})",
         V::refresh_token, 40014},
        {"expired token", 200, R"({"errcode":42001,"errmsg":"access_token expired"})",
         V::refresh_token, 42001},
        {"busy", 200, R"({"errcode":-1,"errmsg":"system error"})", V::retry, -1},
        {"out of time", 200,
         R"({"errcode":45015,"errmsg":"response out of time limit or subscription is canceled"})",
         V::give_up, 45015},
        {"count limit", 200, R"({"errcode":45047,"errmsg":"out of response count limit"})",
         V::give_up, 45047},
        {"unsubscribed", 200, R"({"errcode":43004,"errmsg":"require subscribe"})", V::give_up,
         43004},
        {"content too long", 200, R"({"errcode":45002,"errmsg":"content size out of limit"})",
         V::give_up, 45002},
        {"invalid openid", 200, R"({"errcode":40003,"errmsg":"invalid openid"})", V::give_up,
         40003},
        {"http 500", 500, "<html>", V::retry, 0},
        {"http 502", 502, "", V::retry, 0},
        {"http 504", 504, "", V::unknown, 0},
        {"http 403", 403, "", V::give_up, 0},
        {"unreadable 200", 200, "<html>ok</html>", V::unknown, 0},
        {"no errcode", 200, R"({"errmsg":"ok"})", V::unknown, 0},
        {"errcode as string", 200, R"({"errcode":"0"})", V::unknown, 0},
    };
    for (const auto& c : cases) {
        const auto answer = parse_custom_send_answer(c.status, c.body);
        EXPECT_EQ(answer.verdict, c.verdict) << c.name;
        EXPECT_EQ(answer.errcode, c.errcode) << c.name;
        EXPECT_FALSE(answer.reason.empty()) << c.name;
    }
}

TEST(ChannelsCustomerService, WeComTokenAndSendUrls) {
    EXPECT_EQ(wecom_token_url("https://qyapi.weixin.qq.com/", "ww1a2b", "Sec_-9").value(),
              "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1a2b&corpsecret=Sec_-9");
    EXPECT_EQ(wecom_send_url("https://qyapi.weixin.qq.com", "AbZ09_-x").value(),
              "https://qyapi.weixin.qq.com/cgi-bin/message/send?access_token=AbZ09_-x");
    // Anything that would need escaping is refused, not sent half-escaped.
    for (const std::string bad : {"", "a b", "a&b=c", "a%20", "tok/en", "tök"}) {
        EXPECT_FALSE(wecom_token_url("https://qyapi.weixin.qq.com", bad, "secret")) << bad;
        EXPECT_FALSE(wecom_token_url("https://qyapi.weixin.qq.com", "ww1a2b", bad)) << bad;
        EXPECT_FALSE(wecom_send_url("https://qyapi.weixin.qq.com", bad)) << bad;
    }
    // gettoken answers like the stable token, with errcode 0 beside the token.
    const auto issued = parse_stable_token_answer(
        200, R"({"errcode":0,"errmsg":"ok","access_token":"accesstoken000001","expires_in":7200})");
    EXPECT_TRUE(issued.issued);
    EXPECT_EQ(issued.expires_in, 7200s);
    EXPECT_FALSE(
        parse_stable_token_answer(200, R"({"errcode":40001,"errmsg":"invalid secret"})").issued);
}

TEST(ChannelsCustomerService, WeComTextMessageBody) {
    const json body = json::parse(build_wecom_text_message("ZhangSan", 1000002, "您好\n②"));
    EXPECT_EQ(body, (json{{"touser", "ZhangSan"},
                          {"msgtype", "text"},
                          {"agentid", 1000002},
                          {"text", {{"content", "您好\n②"}}},
                          {"safe", 0}}));
}

TEST(ChannelsCustomerService, WeComSendAnswers) {
    const std::vector<SendCase> cases = {
        {"ok", 200, R"({"errcode":0,"errmsg":"ok","invaliduser":"","msgid":"m1"})", V::sent, 0},
        {"ok without invaliduser", 200, R"({"errcode":0,"errmsg":"ok"})", V::sent, 0},
        {"member listed invalid", 200, R"({"errcode":0,"errmsg":"ok","invaliduser":"zhangsan"})",
         V::give_up, 0},
        {"all invalid", 200, R"({"errcode":81013,"errmsg":"user & party & tag all invalid"})",
         V::give_up, 81013},
        {"invalid token", 200, R"({"errcode":40014,"errmsg":"invalid access_token"})",
         V::refresh_token, 40014},
        {"expired token", 200, R"({"errcode":42001,"errmsg":"access_token expired"})",
         V::refresh_token, 42001},
        {"missing token", 200, R"({"errcode":41001,"errmsg":"access_token missing"})",
         V::refresh_token, 41001},
        {"busy", 200, R"({"errcode":-1,"errmsg":"system busy"})", V::retry, -1},
        {"invalid agentid", 200, R"({"errcode":40056,"errmsg":"invalid agentid"})", V::give_up,
         40056},
        {"ip not allowed", 200, R"({"errcode":60020,"errmsg":"not allow to access from your ip"})",
         V::give_up, 60020},
        {"http 500", 500, "<html>", V::retry, 0},
        {"http 504", 504, "", V::unknown, 0},
        {"http 403", 403, "", V::give_up, 0},
        {"unreadable 200", 200, "<html>ok</html>", V::unknown, 0},
    };
    for (const auto& c : cases) {
        const auto answer = parse_wecom_send_answer(c.status, c.body);
        EXPECT_EQ(answer.verdict, c.verdict) << c.name;
        EXPECT_EQ(answer.errcode, c.errcode) << c.name;
        EXPECT_FALSE(answer.reason.empty()) << c.name;
        EXPECT_EQ(answer.reason.find("zhangsan"), std::string::npos) << c.name;
    }
}

TEST(ChannelsCustomerService, ReasonsNeverCarryTheAnswerText) {
    const std::string errmsg = "invalid openid oSECRETOPENID rid: 6650";
    const std::string body = R"({"errcode":40003,"errmsg":")" + errmsg + R"("})";
    EXPECT_EQ(parse_custom_send_answer(200, body).reason.find("oSECRETOPENID"), std::string::npos);
    const std::string token_body = R"({"errcode":40125,"errmsg":"invalid appsecret SECRETX"})";
    EXPECT_EQ(parse_stable_token_answer(200, token_body).reason.find("SECRETX"), std::string::npos);
}

struct StepCase {
    V last;
    int retries_done;
    bool refreshed;
    StepKind kind;
    std::chrono::milliseconds delay;
};

TEST(ChannelsCustomerService, RetryPolicy) {
    const CustomerServiceRetryPolicy policy;  // 1 s first, 3 retries
    const std::vector<StepCase> cases = {
        {V::sent, 0, false, StepKind::stop, 0ms},
        {V::give_up, 0, false, StepKind::stop, 0ms},
        {V::unknown, 0, false, StepKind::stop, 0ms},  // never resent
        {V::retry, 0, false, StepKind::retry_after, 1000ms},
        {V::retry, 1, false, StepKind::retry_after, 2000ms},
        {V::retry, 2, true, StepKind::retry_after, 4000ms},
        {V::retry, 3, false, StepKind::stop, 0ms},
        {V::retry, 7, false, StepKind::stop, 0ms},
        {V::refresh_token, 0, false, StepKind::refresh_and_retry, 0ms},
        {V::refresh_token, 2, false, StepKind::refresh_and_retry, 0ms},
        {V::refresh_token, 0, true, StepKind::stop, 0ms},  // once per message
    };
    for (const auto& c : cases) {
        const auto step = next_customer_service_step(c.last, c.retries_done, c.refreshed, policy);
        EXPECT_EQ(step.kind, c.kind) << to_string(c.last) << " after " << c.retries_done;
        EXPECT_EQ(step.delay, c.delay) << to_string(c.last) << " after " << c.retries_done;
    }
    CustomerServiceRetryPolicy quick;
    quick.first_retry = 5ms;
    quick.max_retries = 1;
    EXPECT_EQ(next_customer_service_step(V::retry, 0, false, quick).delay, 5ms);
    EXPECT_EQ(next_customer_service_step(V::retry, 1, false, quick).kind, StepKind::stop);
}

}  // namespace
}  // namespace kayou::channels
