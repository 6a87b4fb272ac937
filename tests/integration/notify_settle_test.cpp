// SMS that settle instead of being abandoned (issue 12): the real kayou binary against a real
// redis-server and the fake provider misbehaving the way the campaign saw real ones do — reading
// the request then dropping the connection, answering 500 for a while, refusing connections — and
// the status queries (Tencent PullSmsSendStatusByPhoneNumber, Aliyun QuerySendDetails) that
// settle what was left unknown. Timings are shrunk through the sender's config keys.
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/chat_client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

using namespace std::chrono_literals;
using Behaviour = FakeSmsProvider::Behaviour;

// Status queries 300 ms after a send, absence conclusive after 1.5 s.
constexpr const char* kFastSettle =
    "    status_check_after_ms: 300\n"
    "    status_check_interval_ms: 300\n"
    "    status_absent_after_ms: 1500\n";

KayouProcess start_kayou(const FakeSmsProvider& fake, const SmsSetup& setup) {
    KayouProcess::Options options;
    options.redis_port = RedisServer::shared().port();
    options.extra_yaml = sms_yaml(fake, setup) + "  limits:\n    same_template_interval_s: 0\n";
    return KayouProcess(options);
}

std::string alerts(const SmsSetup& setup) {
    std::string text;
    for (const auto& line :
         redis_cli(RedisServer::shared().port(), "XRANGE " + setup.prefix + "{sms}:alerts - +"))
        text += line + "\n";
    return text;
}

// Polling Redis (another process' state) until `done` holds: waiting on kayou, bounded.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return done();
}

// Found 17 times by the campaign: the provider read the request and dropped the connection; the
// SMS had gone out. Before: "unknown" for 30 minutes, then failed + alert, nobody asked.
TEST(NotifySettle, ReadThenDropIsSettledByAStatusQueryNotByAResend) {
    FakeSmsProvider fake;
    fake.script({Behaviour{Behaviour::Kind::read_then_drop}});
    SmsSetup setup;
    setup.sender_extra = kFastSettle;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138101", "approval:S1");
    EXPECT_EQ(outbox.wait_state(id, "delivered", 10s), "delivered") << kayou.log();
    EXPECT_EQ(fake.went_out_for(id), 1u);
    EXPECT_EQ(fake.count_for(id), 1u) << "never resent";
    ASSERT_FALSE(fake.queries().empty());
    EXPECT_EQ(fake.queries().front().provider, "tencent");
    EXPECT_EQ(fake.queries().front().phone, "+8613800138101");
    EXPECT_EQ(fake.bad_signatures(), 0u);
    auto record = outbox.run(outbox.outbox().find(id));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->serial, fake.requests().at(0).serial);
    EXPECT_EQ(record->reason, "status_query");
    EXPECT_EQ(alerts(setup).find(id), std::string::npos) << "settled: no alert";
}

// The connection dropped and nothing went out: only once the provider's records have shown no
// trace of it for status_absent_after is it sent again — through the other provider — once.
TEST(NotifySettle, ConfirmedNotSentIsResentOnceThroughTheOtherProvider) {
    FakeSmsProvider fake;
    fake.script({Behaviour{Behaviour::Kind::drop_unsent}});
    SmsSetup setup;
    setup.fallback = "aliyun";
    setup.sender_extra = kFastSettle;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto started = std::chrono::steady_clock::now();
    const auto id = outbox.enqueue("13800138102", "approval:S2");
    EXPECT_EQ(outbox.wait_state(id, "sent", 10s), "sent") << kayou.log();
    // Not before absence became conclusive.
    EXPECT_GE(std::chrono::steady_clock::now() - started, 1500ms);
    EXPECT_EQ(fake.went_out_for(id), 1u);
    const auto requests = fake.requests();
    ASSERT_EQ(fake.count_for(id), 2u);
    EXPECT_EQ(requests[0].provider, "tencent");
    EXPECT_EQ(requests[0].outcome, "drop_unsent");
    EXPECT_EQ(requests[1].provider, "aliyun");
    std::size_t tencent_queries = 0;
    for (const auto& q : fake.queries()) {
        EXPECT_EQ(q.outcome, "ok");
        EXPECT_EQ(q.found, 0u);
        if (q.provider == "tencent") ++tencent_queries;
    }
    EXPECT_GE(tencent_queries, 2u) << "asked again until absence counted";
    EXPECT_EQ(fake.bad_signatures(), 0u);
}

// Aliyun's QuerySendDetails settles its own unknown outcomes by OutId.
TEST(NotifySettle, AliyunQuerySendDetailsSettlesByOutId) {
    FakeSmsProvider fake;
    SmsSetup setup;
    setup.fallback = "aliyun";
    setup.sender_extra = kFastSettle;
    // Tencent answers 500 (nothing sent: straight to Aliyun), Aliyun reads and drops.
    fake.script({Behaviour{Behaviour::Kind::http_500}, Behaviour{Behaviour::Kind::read_then_drop}});
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138103", "approval:S3");
    EXPECT_EQ(outbox.wait_state(id, "delivered", 10s), "delivered") << kayou.log();
    EXPECT_EQ(fake.went_out_for(id), 1u);
    EXPECT_EQ(fake.count_for(id), 2u);
    ASSERT_FALSE(fake.queries().empty());
    EXPECT_EQ(fake.queries().back().provider, "aliyun");
    EXPECT_EQ(fake.bad_signatures(), 0u);
}

// An account without the SessionContext echo: records are matched by serial, and a receipt of
// another message to the same number is not mistaken for this one.
TEST(NotifySettle, WithoutTheEchoAnotherMessagesReceiptIsNotOurs) {
    FakeSmsProvider fake;
    fake.set_echo_session_context(false);
    SmsSetup setup;
    setup.sender_extra = kFastSettle;
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto first = outbox.enqueue("13800138104", "approval:S4");
    ASSERT_EQ(outbox.wait_state(first, "sent", 5s), "sent") << kayou.log();
    fake.script({Behaviour{Behaviour::Kind::drop_unsent}});
    const auto second =
        outbox.enqueue("13800138104", "rejection:S4", notify::SmsMessage::Kind::notification,
                       "rejection", {"S4", "照片不清"});
    EXPECT_EQ(outbox.wait_state(second, "sent", 10s), "sent") << kayou.log();
    EXPECT_EQ(fake.went_out_for(first), 1u);
    EXPECT_EQ(fake.went_out_for(second), 1u) << "resent once: the first's receipt was not its";
    EXPECT_EQ(fake.count_for(second), 2u);

    // And a read-then-drop without the echo is still found by its (unknown to us) serial.
    fake.script({Behaviour{Behaviour::Kind::read_then_drop}});
    const auto third = outbox.enqueue("13800138104", "approval:S4b");
    EXPECT_EQ(outbox.wait_state(third, "delivered", 10s), "delivered") << kayou.log();
    EXPECT_EQ(fake.count_for(third), 1u);
}

// Before: 5 attempts at 1 s·2^n, then failed for good (~8-15 s). Now both providers answering 500
// for a while is ridden out, alternating, and the SMS goes out when they recover.
TEST(NotifySettle, BothProvidersFailingForAWhileIsRiddenOut) {
    FakeSmsProvider fake;
    fake.set_default(Behaviour{Behaviour::Kind::http_500});
    SmsSetup setup;
    setup.fallback = "aliyun";
    setup.sender_extra = "    backoff_cap_ms: 1000\n";
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138105", "approval:S5");
    ASSERT_TRUE(eventually([&] { return fake.count_for(id) >= 10; }, 15s)) << kayou.log();
    const auto meanwhile = outbox.state(id);
    EXPECT_TRUE(meanwhile == "retry" || meanwhile == "sending") << meanwhile;
    fake.set_default(Behaviour{Behaviour::Kind::ok});
    EXPECT_EQ(outbox.wait_state(id, "sent", 5s), "sent") << kayou.log();
    EXPECT_EQ(fake.went_out_for(id), 1u);
    const auto requests = fake.requests();
    for (std::size_t i = 1; i < requests.size(); ++i)
        EXPECT_NE(requests[i].provider, requests[i - 1].provider) << "alternates at " << i;
}

// A bad number stops at once: no retry, one alert.
TEST(NotifySettle, PermanentErrorStopsAtOnce) {
    FakeSmsProvider fake;
    fake.script(
        {Behaviour{Behaviour::Kind::error_code, "InvalidParameterValue.IncorrectPhoneNumber"}});
    SmsSetup setup;
    setup.fallback = "aliyun";
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138106", "approval:S6");
    EXPECT_EQ(outbox.wait_state(id, "failed", 5s), "failed") << kayou.log();
    // One more message through the sender: a retry of the first would have come before it.
    const auto later = outbox.enqueue("13800138107", "approval:S6b");
    EXPECT_EQ(outbox.wait_state(later, "sent", 5s), "sent");
    EXPECT_EQ(fake.count_for(id), 1u);
    EXPECT_NE(alerts(setup).find("InvalidParameterValue.IncorrectPhoneNumber"), std::string::npos);
}

// The provider refuses connections: after alert_after the reviewer is told, the sender keeps
// trying, and the SMS goes out once the provider is back.
TEST(NotifySettle, NotSentWithinTheAlertTimeRaisesAnAlertAndKeepsTrying) {
    FakeSmsProvider fake;
    fake.set_refusing(true);
    SmsSetup setup;
    setup.sender_extra = "    alert_after_ms: 1000\n    backoff_cap_ms: 500\n";
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id = outbox.enqueue("13800138108", "approval:S7");
    ASSERT_TRUE(eventually(
        [&] { return alerts(setup).find("not_delivered_in_time") != std::string::npos; }, 5s))
        << kayou.log();
    EXPECT_NE(alerts(setup).find(id), std::string::npos);
    const auto meanwhile = outbox.state(id);
    EXPECT_TRUE(meanwhile == "retry" || meanwhile == "sending") << meanwhile;
    fake.set_refusing(false);
    EXPECT_EQ(outbox.wait_state(id, "sent", 5s), "sent") << kayou.log();
    EXPECT_EQ(fake.went_out_for(id), 1u);
    // Once per message.
    const auto text = alerts(setup);
    EXPECT_EQ(text.find("not_delivered_in_time"), text.rfind("not_delivered_in_time"));
}

// The status API is down too: the message stays unknown (never resent blindly) and, at its
// settle-by time, is failed with unknown_outcome_unresolved and an alert.
TEST(NotifySettle, UnsettledUnknownIsGivenUpWithAnAlertAtTheDeadline) {
    FakeSmsProvider fake;
    fake.script({Behaviour{Behaviour::Kind::read_then_drop}});
    fake.set_queries_failing(true);
    SmsSetup setup;
    setup.sender_extra = std::string(kFastSettle) +
                         "    unknown_wait_ms: 2000\n    default_window_ms: 2000\n"
                         "    min_window_ms: 1000\n";
    auto kayou = start_kayou(fake, setup);
    ASSERT_TRUE(kayou.wait_ready());
    Outbox outbox(setup.prefix);

    const auto id =
        outbox.enqueue("13800138109", "ticket:S8", notify::SmsMessage::Kind::notification,
                       "legal_answer_ready", {"FL202611230001"});
    EXPECT_EQ(outbox.wait_state(id, "failed", 10s), "failed") << kayou.log();
    auto record = outbox.run(outbox.outbox().find(id));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->reason, "unknown_outcome_unresolved");
    EXPECT_GE(fake.queries().size(), 2u);
    EXPECT_EQ(fake.count_for(id), 1u);
    EXPECT_NE(alerts(setup).find("unknown_outcome_unresolved"), std::string::npos);
}

}  // namespace
}  // namespace kayou::test
