// kayou::bot::CustomerService against a fake WeChat API on loopback that checks tokens and
// message bodies the way WeChat does: retries, the token cache and its single fetch, the one
// forced refresh, and no resend once a request may have reached WeChat.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <string>
#include <vector>

#include "bot/customer_service.hpp"
#include "net/http_client.hpp"
#include "tests/support/fake_wechat_api.hpp"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using bot::FollowUpResult;
using Behaviour = FakeWechatApi::Behaviour;
using Api = FakeWechatCall::Api;

constexpr const char* kOpenid = "oKx7Q5m2Zp9WcYtR3dLfE8uNvB1s";
constexpr auto kDeadline = 5s;

Behaviour behaviour(Behaviour::Kind kind, std::int64_t errcode = 0) {
    Behaviour b;
    b.kind = kind;
    b.errcode = errcode;
    return b;
}

// A CustomerService on its own io_context, run by the test thread while a send is awaited.
struct Client {
    explicit Client(const FakeWechatApi& fake, std::chrono::milliseconds request_timeout = 2s,
                    std::string secret = "",
                    bot::MessageApi api = bot::MessageApi::official_account)
        : http(io.get_executor(), options(request_timeout)),
          service(config(fake, std::move(secret), api), http) {}

    static net::HttpClientOptions options(std::chrono::milliseconds request_timeout) {
        net::HttpClientOptions o;
        o.connect_timeout = 1s;
        o.request_timeout = request_timeout;
        return o;
    }

    static bot::CustomerServiceConfig config(const FakeWechatApi& fake, std::string secret,
                                             bot::MessageApi api) {
        const auto& credentials = fake.credentials();
        bot::CustomerServiceConfig c;
        c.api = api;
        c.api_base = fake.api_base();
        c.app_id = credentials.app_id;
        c.app_secret = credentials.app_secret;
        if (api == bot::MessageApi::wecom_app) {
            c.app_id = credentials.corp_id;
            c.app_secret = credentials.corp_secret;
            c.agent_id = credentials.agent_id;
        }
        if (!secret.empty()) c.app_secret = std::move(secret);
        c.first_retry = 5ms;
        return c;
    }

    std::future<FollowUpResult> start(std::string text, std::string openid = kOpenid) {
        return asio::co_spawn(io, service.send_text(std::move(openid), std::move(text)),
                              asio::use_future);
    }

    // Runs the io_context until every started send finished, at most kDeadline.
    void run() {
        io.restart();
        io.run_for(kDeadline);
    }

    // Runs the started sends to their end: the result of each (gave_up, and a failure, for one
    // that did not finish within the deadline).
    std::vector<FollowUpResult> finish(std::vector<std::future<FollowUpResult>> started) {
        run();
        std::vector<FollowUpResult> results;
        for (auto& result : started) {
            if (result.wait_for(0s) == std::future_status::ready) {
                results.push_back(result.get());
                continue;
            }
            ADD_FAILURE() << "send did not finish within the deadline";
            results.push_back(FollowUpResult::gave_up);
        }
        return results;
    }

    FollowUpResult send(std::string text, std::string openid = kOpenid) {
        std::vector<std::future<FollowUpResult>> started;
        started.push_back(start(std::move(text), std::move(openid)));
        return finish(std::move(started)).front();
    }

    // `n` sends at once ("<prefix>0", "<prefix>1", ...), run to their end.
    std::vector<FollowUpResult> send_at_once(int n, const std::string& prefix) {
        std::vector<std::future<FollowUpResult>> started;
        for (int i = 0; i < n; ++i) started.push_back(start(prefix + std::to_string(i)));
        return finish(std::move(started));
    }

    asio::io_context io;
    net::HttpClient http;
    bot::CustomerService service;
};

// A fake whose next sends (`sends`) and token fetches (`tokens`) behave as scripted, and the
// result of sending it one text.
struct ScriptedSend {
    ScriptedSend(std::vector<Behaviour> sends, std::vector<Behaviour> tokens, std::string text,
                 std::chrono::milliseconds request_timeout = 2s)
        : client(fake, request_timeout) {
        fake.script_sends(std::move(sends));
        fake.script_tokens(std::move(tokens));
        result = client.send(std::move(text));
    }

    FakeWechatApi fake;
    Client client;
    FollowUpResult result = FollowUpResult::gave_up;
};

TEST(CustomerService, SendsTheTextToTheFollower) {
    FakeWechatApi fake;
    Client client(fake);
    EXPECT_TRUE(client.service.enabled());
    EXPECT_EQ(client.send("您的入会申请已收到，1 个工作日内审核。"), FollowUpResult::sent);
    const auto messages = fake.messages();
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].touser, kOpenid);
    EXPECT_EQ(messages[0].content, "您的入会申请已收到，1 个工作日内审核。");
    EXPECT_EQ(fake.calls_to(Api::stable_token), 1u);
    EXPECT_EQ(fake.forced_refreshes(), 0u);
}

TEST(CustomerService, OneTokenServesSequentialAndConcurrentSends) {
    FakeWechatApi fake;
    Client client(fake);
    // Cold cache, five sends at once: one fetch, the others wait for it.
    EXPECT_EQ(client.send_at_once(5, "并发 "), std::vector(5, FollowUpResult::sent));
    EXPECT_EQ(client.send("之后一条"), FollowUpResult::sent);
    EXPECT_EQ(client.send("再一条"), FollowUpResult::sent);
    EXPECT_EQ(fake.messages().size(), 7u);
    EXPECT_EQ(fake.calls_to(Api::stable_token), 1u);
    EXPECT_EQ(fake.tokens_issued(), 1u);
}

TEST(CustomerService, TokenUnderFiveMinutesFromExpiryIsFetchedAgain) {
    FakeWechatApi fake;
    fake.set_token_lifetime(200s);
    Client client(fake);
    EXPECT_EQ(client.send("一"), FollowUpResult::sent);
    EXPECT_EQ(client.send("二"), FollowUpResult::sent);
    EXPECT_EQ(fake.calls_to(Api::stable_token), 2u);
    EXPECT_EQ(fake.tokens_issued(), 1u);  // the stable token is the same until it expires
    EXPECT_EQ(fake.forced_refreshes(), 0u);
}

TEST(CustomerService, ServerErrorIsRetriedAndSentOnce) {
    const ScriptedSend send({behaviour(Behaviour::Kind::http_500)}, {}, "重试后送达");
    EXPECT_EQ(send.result, FollowUpResult::sent);
    EXPECT_EQ(send.fake.calls_to(Api::custom_send), 2u);
    ASSERT_EQ(send.fake.messages().size(), 1u);
    EXPECT_EQ(send.fake.messages()[0].content, "重试后送达");
}

TEST(CustomerService, SystemBusyIsRetried) {
    const ScriptedSend send({behaviour(Behaviour::Kind::errcode, -1)}, {}, "系统繁忙后送达");
    EXPECT_EQ(send.result, FollowUpResult::sent);
    EXPECT_EQ(send.fake.calls_to(Api::custom_send), 2u);
    EXPECT_EQ(send.fake.messages().size(), 1u);
}

TEST(CustomerService, RetriesStopAfterThreeWithGrowingDelays) {
    FakeWechatApi fake;
    fake.script_sends({behaviour(Behaviour::Kind::http_500), behaviour(Behaviour::Kind::http_500),
                       behaviour(Behaviour::Kind::http_500), behaviour(Behaviour::Kind::http_500)});
    Client client(fake);
    EXPECT_EQ(client.send("不会送达"), FollowUpResult::gave_up);
    const auto calls = fake.calls();
    ASSERT_EQ(fake.calls_to(Api::custom_send), 4u);
    EXPECT_TRUE(fake.messages().empty());
    // 5 ms, 10 ms, 20 ms between the four sends (calls[0] is the token fetch).
    EXPECT_GE(calls[2].at - calls[1].at, 5ms);
    EXPECT_GE(calls[3].at - calls[2].at, 10ms);
    EXPECT_GE(calls[4].at - calls[3].at, 20ms);
}

TEST(CustomerService, OutOfTheResponseWindowGivesUpWithoutRetry) {
    FakeWechatApi fake;
    fake.script_sends({behaviour(Behaviour::Kind::errcode, 45015)});
    Client client(fake);
    testing::internal::CaptureStderr();
    EXPECT_EQ(client.send("超过 48 小时"), FollowUpResult::gave_up);
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(fake.calls_to(Api::custom_send), 1u);
    EXPECT_TRUE(fake.messages().empty());
    EXPECT_NE(log.find("45015"), std::string::npos) << log;
    EXPECT_EQ(log.find(kOpenid), std::string::npos) << log;
    EXPECT_EQ(log.find("超过"), std::string::npos) << log;
    EXPECT_EQ(log.find(fake.credentials().app_secret), std::string::npos) << log;
}

TEST(CustomerService, InvalidatedTokenIsRefreshedOnceAndTheTextSent) {
    FakeWechatApi fake;
    Client client(fake);
    EXPECT_EQ(client.send("第一条"), FollowUpResult::sent);
    fake.script_sends({behaviour(Behaviour::Kind::invalidate_token)});
    EXPECT_EQ(client.send("令牌失效后"), FollowUpResult::sent);
    EXPECT_EQ(fake.forced_refreshes(), 1u);
    EXPECT_EQ(fake.tokens_issued(), 2u);
    EXPECT_EQ(fake.calls_to(Api::custom_send), 3u);
    ASSERT_EQ(fake.messages().size(), 2u);
    EXPECT_EQ(fake.messages()[1].content, "令牌失效后");
    // The refreshed token is cached for the next send.
    EXPECT_EQ(client.send("第三条"), FollowUpResult::sent);
    EXPECT_EQ(fake.calls_to(Api::stable_token), 2u);
}

TEST(CustomerService, ConcurrentSendsShareOneForcedRefresh) {
    FakeWechatApi fake;
    Client client(fake);
    EXPECT_EQ(client.send("预热"), FollowUpResult::sent);
    // The first of the next sends invalidates the token: every send in flight gets 40001.
    fake.script_sends({behaviour(Behaviour::Kind::invalidate_token)});
    EXPECT_EQ(client.send_at_once(3, "同时 "), std::vector(3, FollowUpResult::sent));
    EXPECT_EQ(fake.forced_refreshes(), 1u);
    EXPECT_EQ(fake.calls_to(Api::custom_send), 1u + 3u + 3u);  // each 40001 resent once
    EXPECT_EQ(fake.messages().size(), 4u);
}

TEST(CustomerService, TokenRejectedTwiceGivesUp) {
    const ScriptedSend send({behaviour(Behaviour::Kind::invalidate_token),
                             behaviour(Behaviour::Kind::invalidate_token)},
                            {}, "两次失效");
    EXPECT_EQ(send.result, FollowUpResult::gave_up);
    EXPECT_EQ(send.fake.forced_refreshes(), 1u);
    EXPECT_EQ(send.fake.calls_to(Api::custom_send), 2u);
    EXPECT_TRUE(send.fake.messages().empty());
}

TEST(CustomerService, TokenFetchServerErrorIsRetried) {
    const ScriptedSend send({}, {behaviour(Behaviour::Kind::http_500)}, "令牌接口 500 后");
    EXPECT_EQ(send.result, FollowUpResult::sent);
    EXPECT_EQ(send.fake.calls_to(Api::stable_token), 2u);
    EXPECT_EQ(send.fake.messages().size(), 1u);
}

TEST(CustomerService, DroppedAfterTheRequestWasWrittenIsUnknownAndNotResent) {
    const ScriptedSend send({behaviour(Behaviour::Kind::read_then_drop)}, {}, "只发一次");
    EXPECT_EQ(send.result, FollowUpResult::unknown);
    EXPECT_EQ(send.fake.calls_to(Api::custom_send), 1u);
    EXPECT_EQ(send.fake.messages().size(), 1u);  // the follower got it once
}

TEST(CustomerService, NoAnswerWithinTheTimeoutIsUnknownAndNotResent) {
    const ScriptedSend send({behaviour(Behaviour::Kind::hang)}, {}, "无应答", 300ms);
    EXPECT_EQ(send.result, FollowUpResult::unknown);
    EXPECT_EQ(send.fake.calls_to(Api::custom_send), 1u);
}

TEST(CustomerService, TextOverTheLimitIsRefusedWithoutARequest) {
    FakeWechatApi fake;
    Client client(fake);
    EXPECT_EQ(client.send(std::string(2049, 'a')), FollowUpResult::gave_up);
    EXPECT_EQ(client.send(""), FollowUpResult::gave_up);
    EXPECT_TRUE(fake.calls().empty());
    EXPECT_EQ(client.send(std::string(2048, 'a')), FollowUpResult::sent);
}

TEST(CustomerService, WrongSecretGivesUp) {
    FakeWechatApi fake;
    Client client(fake, 2s, "not-the-secret");
    EXPECT_EQ(client.send("密钥错误"), FollowUpResult::gave_up);
    const auto calls = fake.calls();
    ASSERT_EQ(calls.size(), 1u);  // 40125 is not retried, nothing is sent
    EXPECT_EQ(calls[0].api, Api::stable_token);
    EXPECT_EQ(calls[0].errcode, 40125);
}

TEST(CustomerService, WithoutASecretItIsDisabled) {
    FakeWechatApi fake;
    asio::io_context io;
    net::HttpClient http(io.get_executor());
    bot::CustomerServiceConfig config;
    config.api_base = fake.api_base();
    config.app_id = fake.credentials().app_id;
    bot::CustomerService service(config, http);
    EXPECT_FALSE(service.enabled());
    auto result = asio::co_spawn(io, service.send_text(kOpenid, "未配置"), asio::use_future);
    io.run_for(kDeadline);
    ASSERT_EQ(result.wait_for(0s), std::future_status::ready);
    EXPECT_EQ(result.get(), FollowUpResult::gave_up);
    EXPECT_TRUE(fake.calls().empty());
    EXPECT_EQ(bot::to_string(FollowUpResult::unknown), "unknown");
}

// The WeCom app's messages (应用消息): the same client with WeCom's token and send API.
Client wecom_client(const FakeWechatApi& fake, std::string secret = "") {
    return Client(fake, 2s, std::move(secret), bot::MessageApi::wecom_app);
}

TEST(CustomerService, AWeComAppSendsTheTextToTheMemberWithItsAgentId) {
    FakeWechatApi fake;
    auto client = wecom_client(fake);
    EXPECT_TRUE(client.service.enabled());
    EXPECT_EQ(client.service.channel(), "wecom_app");
    EXPECT_EQ(client.send("② 第二条答案", "ZhangSan"), FollowUpResult::sent);
    EXPECT_EQ(client.send("再一条", "ZhangSan"), FollowUpResult::sent);
    const auto messages = fake.messages();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].touser, "ZhangSan");
    EXPECT_EQ(messages[0].content, "② 第二条答案");
    EXPECT_EQ(fake.calls_to(Api::wecom_token), 1u);  // cached for the second send
    EXPECT_EQ(fake.calls_to(Api::stable_token), 0u);
    EXPECT_EQ(fake.calls_to(Api::custom_send), 0u);
}

TEST(CustomerService, AWeComTokenCalledInvalidIsFetchedAgainOnce) {
    FakeWechatApi fake;
    fake.script_sends({behaviour(Behaviour::Kind::invalidate_token)});
    auto client = wecom_client(fake);
    EXPECT_EQ(client.send("令牌失效后送达", "ZhangSan"), FollowUpResult::sent);
    const auto calls = fake.calls();
    ASSERT_EQ(calls.size(), 4u);  // token, send (40014), token, send
    EXPECT_EQ(calls[1].errcode, 40014);
    EXPECT_EQ(calls[2].api, Api::wecom_token);
    EXPECT_EQ(fake.messages().size(), 1u);
    // Invalid twice in a row: refreshed once only, then given up.
    fake.script_sends({behaviour(Behaviour::Kind::invalidate_token),
                       behaviour(Behaviour::Kind::invalidate_token)});
    EXPECT_EQ(client.send("两次失效", "ZhangSan"), FollowUpResult::gave_up);
    EXPECT_EQ(fake.messages().size(), 1u);
}

TEST(CustomerService, AWeComMemberOutsideTheAppIsGivenUpAtOnceAndBusyIsRetried) {
    FakeWechatApi fake;
    auto client = wecom_client(fake);
    EXPECT_EQ(client.send("不在可见范围", fake.credentials().outsider), FollowUpResult::gave_up);
    EXPECT_EQ(fake.calls_to(Api::wecom_send), 1u);  // 81013 is not retried
    fake.script_sends({behaviour(Behaviour::Kind::errcode, -1)});
    EXPECT_EQ(client.send("繁忙后送达", "ZhangSan"), FollowUpResult::sent);
    EXPECT_EQ(fake.calls_to(Api::wecom_send), 3u);
    ASSERT_EQ(fake.messages().size(), 1u);
    EXPECT_EQ(fake.messages()[0].content, "繁忙后送达");
}

TEST(CustomerService, AWeComAppWithAWrongSecretOrNoAgentIdSendsNothing) {
    FakeWechatApi fake;
    auto wrong = wecom_client(fake, "not-the-secret");
    EXPECT_EQ(wrong.send("密钥错误", "ZhangSan"), FollowUpResult::gave_up);
    const auto calls = fake.calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].api, Api::wecom_token);
    EXPECT_EQ(calls[0].errcode, 40001);
    asio::io_context io;
    net::HttpClient http(io.get_executor());
    auto config = Client::config(fake, "", bot::MessageApi::wecom_app);
    config.agent_id = 0;
    EXPECT_FALSE(bot::CustomerService(config, http).enabled());
}

}  // namespace
}  // namespace kayou::test
