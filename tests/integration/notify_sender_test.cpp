// The SMS outbox end to end: the real kayou binary (sender, webhooks) against a real redis-server
// and a fake provider on loopback that checks TC3 / Aliyun signatures the way the providers do.
// The test process enqueues through the real RedisSmsOutbox, as the review code will.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "crypto/random.hpp"
#include "crypto/sealed_box.hpp"
#include "notify/redis_outbox.hpp"
#include "redis/client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Behaviour = FakeSmsProvider::Behaviour;

KayouProcess start_kayou(const FakeSmsProvider& fake, const SmsSetup& setup) {
    KayouProcess::Options options;
    options.redis_port = RedisServer::shared().port();
    options.extra_yaml = sms_yaml(fake, setup);
    return KayouProcess(options);
}

TEST(NotifySender, EnqueuedSmsReachesTheProviderWithinOneSecond) {
    FakeSmsProvider fake;
    SmsSetup setup;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138000", "approval:A20250001");
    // The proof is this deadline: enqueue -> signed provider request in under one second.
    ASSERT_TRUE(fake.wait_for_requests(1, 1000ms)) << kayou.log();
    const auto requests = fake.requests();
    EXPECT_EQ(requests[0].message_id, id);
    EXPECT_EQ(requests[0].phone, "+8613800138000");
    EXPECT_EQ(requests[0].template_id, "100001");
    EXPECT_EQ(requests[0].params, std::vector<std::string>{"A20250001"});
    EXPECT_EQ(fake.bad_signatures(), 0u);
    EXPECT_EQ(outbox.wait_state(id, "sent"), "sent");
    // Personal data stays out of the logs.
    EXPECT_EQ(kayou.log().find("13800138000"), std::string::npos);

    // Same idempotency key again: same message, nothing new is sent.
    EXPECT_EQ(outbox.enqueue("13800138000", "approval:A20250001"), id);
    const auto other = outbox.enqueue("13800138009", "approval:A20250002");
    ASSERT_TRUE(fake.wait_for_requests(2, 3000ms));
    EXPECT_EQ(fake.count_for(id), 1u);
    EXPECT_EQ(fake.count_for(other), 1u);
}

TEST(NotifySender, ProviderServerErrorIsRetried) {
    FakeSmsProvider fake;
    fake.script({Behaviour{Behaviour::Kind::http_500}});
    SmsSetup setup;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138001", "approval:A20250011");
    ASSERT_TRUE(fake.wait_for_requests(2, 10s)) << kayou.log();
    const auto requests = fake.requests();
    EXPECT_EQ(requests[0].outcome, "http_500");
    EXPECT_EQ(requests[1].outcome, "ok");
    EXPECT_EQ(fake.count_for(id), 2u);
    EXPECT_EQ(outbox.wait_state(id, "sent"), "sent");
    auto record = outbox.run(outbox.outbox().find(id));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->attempts, 2);
    EXPECT_EQ(record->serial, requests[1].serial);
}

TEST(NotifySender, TimeoutAfterSendIsNotResentAndIsResolvedByTheReceipt) {
    FakeSmsProvider fake;
    // The provider takes the request, then answers long after kayou's 500 ms deadline.
    fake.script({Behaviour{Behaviour::Kind::hang_then_ok, "", 1500ms}});
    SmsSetup setup;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138002", "approval:A20250021");
    EXPECT_EQ(outbox.wait_state(id, "unknown"), "unknown") << kayou.log();

    // The receipt (joined on our id, echoed as ext) settles it. The fake records the request
    // when it finally answers, after kayou has given up waiting.
    ASSERT_TRUE(fake.wait_for_requests(1, 5s));
    const auto serial = fake.requests().at(0).serial;
    const std::string receipt =
        R"([{"user_receive_time":"2025-06-01 10:00:00","nationcode":"86","mobile":"13800138002",)"
        R"("report_status":"SUCCESS","errmsg":"DELIVRD","description":"ok","sid":")" +
        serial + R"(","ext":")" + id + R"("}])";
    auto answer = http_request(kayou.port(), "POST",
                               std::string("/sms/tencent/") + kSmsCallbackToken + "/status",
                               receipt, {{"Content-Type", "application/json"}});
    EXPECT_EQ(answer.status, 200) << kayou.log();
    EXPECT_EQ(answer.body, R"({"result":0,"errmsg":"OK"})");
    EXPECT_EQ(outbox.wait_state(id, "delivered"), "delivered");

    // A later message goes through the same sender; by then a resend of the first would have
    // happened too.
    const auto later = outbox.enqueue("13800138003", "approval:A20250022");
    ASSERT_TRUE(fake.wait_for_requests(2, 5s));
    EXPECT_EQ(outbox.wait_state(later, "sent"), "sent");
    EXPECT_EQ(fake.count_for(id), 1u);
    EXPECT_EQ(fake.count_for(later), 1u);
}

TEST(NotifySender, KillNineBetweenEnqueueAndSendStillSendsExactlyOnce) {
    FakeSmsProvider fake;
    // First answer 500, with a retry 1.5-3 s later: kayou is killed while the retry waits.
    fake.script({Behaviour{Behaviour::Kind::http_500}});
    SmsSetup setup;
    setup.sender_extra = "    claim_idle_ms: 1000\n";
    std::string yaml = sms_yaml(fake, setup);
    yaml = std::regex_replace(yaml, std::regex("backoff_base_ms: 200"), "backoff_base_ms: 3000");
    KayouProcess::Options options;
    options.redis_port = RedisServer::shared().port();
    options.extra_yaml = yaml;
    auto first = std::make_unique<KayouProcess>(options);
    ASSERT_TRUE(first->wait_ready());
    Outbox outbox(setup.prefix);

    const auto a = outbox.enqueue("13800138004", "approval:A20250031");
    ASSERT_TRUE(fake.wait_for_requests(1, 5s)) << first->log();
    // Killed only once the 500 is recorded (state retry), so the crash falls between the
    // durable enqueue and the send that succeeds.
    ASSERT_EQ(outbox.wait_state(a, "retry"), "retry");
    first->kill9();
    first.reset();

    // While no kayou runs: B is enqueued; C is enqueued and read by a sender that then "dies"
    // before doing anything (its entry stays pending in the group, as after a kill -9).
    const auto b = outbox.enqueue("13800138005", "approval:A20250032");
    const auto c = outbox.enqueue("13800138006", "approval:A20250033");
    auto& redis = RedisServer::shared();
    const auto read = redis.command("XREADGROUP GROUP senders crashed-sender COUNT 2 STREAMS " +
                                    setup.prefix + "{sms}:stream >");
    ASSERT_NE(read.find(b), std::string::npos) << read;
    ASSERT_NE(read.find(c), std::string::npos) << read;

    auto second = std::make_unique<KayouProcess>(options);
    ASSERT_TRUE(second->wait_ready());
    EXPECT_EQ(outbox.wait_state(a, "sent", 15s), "sent") << second->log();
    EXPECT_EQ(outbox.wait_state(b, "sent", 15s), "sent");
    EXPECT_EQ(outbox.wait_state(c, "sent", 15s), "sent");
    // One more message through the restarted sender: any duplicate would have gone out first.
    const auto d = outbox.enqueue("13800138007", "approval:A20250034");
    EXPECT_EQ(outbox.wait_state(d, "sent", 10s), "sent");
    EXPECT_EQ(fake.count_for(a), 2u);  // the 500 and the one that went out
    EXPECT_EQ(fake.count_for(b), 1u);
    EXPECT_EQ(fake.count_for(c), 1u);
    EXPECT_EQ(fake.count_for(d), 1u);
    std::size_t ok_for_a = 0;
    for (const auto& r : fake.requests())
        if (r.message_id == a && r.outcome == "ok") ++ok_for_a;
    EXPECT_EQ(ok_for_a, 1u);
}

TEST(NotifySender, PrimaryFailureFallsBackToAliyun) {
    FakeSmsProvider fake;
    fake.script({Behaviour{Behaviour::Kind::http_500}});
    SmsSetup setup;
    setup.fallback = "aliyun";
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138010", "approval:A20250041");
    ASSERT_TRUE(fake.wait_for_requests(2, 5s)) << kayou.log();
    const auto requests = fake.requests();
    EXPECT_EQ(requests[0].provider, "tencent");
    EXPECT_EQ(requests[1].provider, "aliyun");
    EXPECT_EQ(requests[1].message_id, id);
    EXPECT_EQ(requests[1].phone, "13800138010");
    EXPECT_EQ(requests[1].template_id, "SMS_100001");
    EXPECT_EQ(fake.bad_signatures(), 0u);
    EXPECT_EQ(outbox.wait_state(id, "sent"), "sent");
    auto record = outbox.run(outbox.outbox().find(id));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->provider, "aliyun");

    // Aliyun receipts join on BizId; a failure after delivery never moves the state back.
    const std::string report =
        R"([{"phone_number":"13800138010","send_time":"2025-06-01 10:00:00",)"
        R"("report_time":"2025-06-01 10:00:05","success":true,)"
        R"("err_code":"DELIVERED","err_msg":"ok","sms_size":"1","biz_id":")" +
        requests[1].serial + R"(","out_id":")" + id + R"("}])";
    auto answer = http_request(kayou.port(), "POST",
                               std::string("/sms/aliyun/") + kSmsCallbackToken + "/report", report);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, R"({"code":0,"msg":"接收成功"})");
    EXPECT_EQ(outbox.wait_state(id, "delivered"), "delivered");
    auto late_failure =
        std::regex_replace(report, std::regex("\"success\":true"), "\"success\":false");
    EXPECT_EQ(
        http_request(kayou.port(), "POST",
                     std::string("/sms/aliyun/") + kSmsCallbackToken + "/report", late_failure)
            .status,
        200);
    EXPECT_EQ(outbox.state(id), "delivered");
    auto probe =
        http_request(kayou.port(), "GET", std::string("/sms/aliyun/") + kSmsCallbackToken + "/up");
    EXPECT_EQ(probe.body, R"({"code":0,"msg":"成功"})");
}

TEST(NotifySender, OptOutStopsRemindersButNotNotifications) {
    FakeSmsProvider fake;
    SmsSetup setup;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const std::string reply =
        R"({"extend":"","mobile":"13800138020","nationcode":"86","sign":"卡友工会","text":"TD","time":1700000000})";
    auto answer = http_request(kayou.port(), "POST",
                               std::string("/sms/tencent/") + kSmsCallbackToken + "/reply", reply);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, R"({"result":0,"errmsg":"OK"})");
    EXPECT_TRUE(outbox.run(outbox.outbox().opted_out("13800138020")));

    const auto reminder =
        outbox.enqueue("13800138020", "reminder:A1", notify::SmsMessage::Kind::reminder, "reminder",
                       {"A20250051", "6月2日17时"});
    EXPECT_EQ(outbox.wait_state(reminder, "suppressed"), "suppressed");
    const auto approval = outbox.enqueue("13800138020", "approval:A20250051");
    EXPECT_EQ(outbox.wait_state(approval, "sent"), "sent");
    EXPECT_EQ(fake.count_for(reminder), 0u);
    EXPECT_EQ(fake.count_for(approval), 1u);
}

}  // namespace
}  // namespace kayou::test
