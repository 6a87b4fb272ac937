// A reviewer's decision runs as steps on three hash tags (members/review_store.hpp): a crash
// between them loses nothing and the SMS goes out exactly once; and the outbox's keys of the
// layout before the {sms} tag are moved to the tagged names (notify/redis_outbox.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "crypto/sealed_box.hpp"
#include "members/application_store.hpp"
#include "members/review_store.hpp"
#include "notify/redis_outbox.hpp"
#include "redis/client.hpp"
#include "tests/support/numbered_application.hpp"
#include "tests/support/redis_run.hpp"

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const crypto::SealedBox& box() {
    static const auto sealed = *crypto::SealedBox::from_key(std::string(32, 's'));
    return sealed;
}

// The stores a decision runs through, on keys of this test's own.
struct DecisionStores {
    explicit DecisionStores(const std::shared_ptr<redis::Client>& client)
        : prefix(unique_name("t:") + ":"),
          applications(client, box(), prefix),
          outbox(client, box(), outbox_options(prefix)),
          review(client, applications, outbox) {}

    static notify::OutboxOptions outbox_options(const std::string& prefix) {
        notify::OutboxOptions options;
        options.prefix = prefix;
        return options;
    }

    std::string prefix;
    members::ApplicationStore applications;
    notify::RedisSmsOutbox outbox;
    members::ReviewStore review;
};

TEST(ReviewSteps, ACrashAfterTheRecordStepIsCompletedOnceByRecovery) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        DecisionStores stores(client);
        auto& applications = stores.applications;
        auto& outbox = stores.outbox;
        auto& review = stores.review;
        const auto submitted = co_await applications.submit(known_application("bridge"));
        EXPECT_TRUE(submitted.created);
        const auto& a = submitted.application;
        const std::int64_t decided_at = a.submitted_at + 3600;

        // Step 1 only (the intent and the record), then the process "dies".
        members::ReviewStore::DecisionIntent intent;
        intent.application_id = a.id;
        intent.status = "approved";
        intent.reviewer = "wujin-reviewer";
        intent.now = decided_at;
        const auto begun = co_await review.begin_decision(intent);
        EXPECT_EQ(begun.outcome, members::ReviewOutcome::done);
        EXPECT_EQ((co_await applications.get(a.id))->status, "approved");
        const auto pending_key = review.district_key("wujin", "pending");
        std::vector<std::string> command1{"ZCARD", pending_key};
        EXPECT_EQ((co_await client->exec(std::move(command1))).integer, 1);
        EXPECT_FALSE(co_await outbox.find_by_key("approval:" + a.id));
        std::vector<std::string> command2{"XLEN", review.decisions_key()};
        EXPECT_EQ((co_await client->exec(std::move(command2))).integer, 1);

        // Not yet abandoned: a decision still in progress is left alone.
        EXPECT_EQ(co_await review.recover_decisions(std::chrono::hours(1)), 0u);
        // The sweep's recovery finishes it: indexes, the one SMS, the record's sms_id.
        EXPECT_EQ(co_await review.recover_decisions(0ms), 1u);
        std::vector<std::string> command3{"ZCARD", pending_key};
        EXPECT_EQ((co_await client->exec(std::move(command3))).integer, 0);
        std::vector<std::string> command4{"ZSCORE", review.district_key("wujin", "approved"), a.id};
        const auto approved = co_await client->exec(std::move(command4));
        EXPECT_EQ(approved.str, std::to_string(decided_at));
        const auto sms = co_await outbox.find_by_key("approval:" + a.id);
        EXPECT_TRUE(sms && sms->state == "queued" && sms->phone == "13800138000");
        const std::string sms_id = sms ? sms->id : "?";
        const auto recorded = co_await applications.get(a.id);
        EXPECT_EQ(recorded->sms_id, sms_id);
        std::vector<std::string> command5{"XLEN", review.decisions_key()};
        EXPECT_EQ((co_await client->exec(std::move(command5))).integer, 0);
        std::vector<std::string> command6{"XLEN", outbox.stream_key()};
        EXPECT_EQ((co_await client->exec(std::move(command6))).integer, 1);

        // Again, and the reviewer clicking again: nothing new.
        EXPECT_EQ(co_await review.recover_decisions(0ms), 0u);
        const auto again = co_await review.decide(a, true, "", "wujin-reviewer", decided_at + 60);
        EXPECT_EQ(again.outcome, members::ReviewOutcome::unchanged);
        EXPECT_EQ(again.sms_id, sms_id);
        std::vector<std::string> command7{"XLEN", outbox.stream_key()};
        EXPECT_EQ((co_await client->exec(std::move(command7))).integer, 1);
        std::vector<std::string> command8{"ZSCORE", review.district_key("wujin", "approved"), a.id};
        EXPECT_EQ(approved.str, (co_await client->exec(std::move(command8))).str);
    });
}

TEST(ReviewSteps, AnIntentWrittenJustBeforeACrashIsAppliedOrDroppedNeverHalfDone) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        DecisionStores stores(client);
        auto& applications = stores.applications;
        auto& outbox = stores.outbox;
        auto& review = stores.review;
        const auto a = (co_await applications.submit(known_application("bridge"))).application;
        // A reject's intent reached Redis, the record step did not: recovery applies it.
        std::vector<std::string> command9{"XADD",
                                          review.decisions_key(),
                                          "*",
                                          "app",
                                          a.id,
                                          "status",
                                          "rejected",
                                          "reason",
                                          "材料不全",
                                          "reviewer",
                                          "r1",
                                          "now",
                                          std::to_string(a.submitted_at + 60)};
        co_await client->exec(std::move(command9));
        // A second intent for the same application, the other way: it conflicts and is dropped.
        std::vector<std::string> command10{"XADD",
                                           review.decisions_key(),
                                           "*",
                                           "app",
                                           a.id,
                                           "status",
                                           "approved",
                                           "reason",
                                           "",
                                           "reviewer",
                                           "r2",
                                           "now",
                                           std::to_string(a.submitted_at + 90)};
        co_await client->exec(std::move(command10));
        EXPECT_EQ(co_await review.recover_decisions(0ms), 2u);
        const auto stored = co_await applications.get(a.id);
        EXPECT_EQ(stored->status, "rejected");
        EXPECT_EQ(stored->reason, "材料不全");
        EXPECT_TRUE(co_await outbox.find_by_key("rejection:" + a.id));
        EXPECT_FALSE(co_await outbox.find_by_key("approval:" + a.id));
        std::vector<std::string> command11{"XLEN", outbox.stream_key()};
        EXPECT_EQ((co_await client->exec(std::move(command11))).integer, 1);
        std::vector<std::string> command12{"XLEN", review.decisions_key()};
        EXPECT_EQ((co_await client->exec(std::move(command12))).integer, 0);
        std::vector<std::string> command13{"ZCARD", review.district_key("wujin", "rejected")};
        EXPECT_EQ((co_await client->exec(std::move(command13))).integer, 1);
    });
}

TEST(ReviewSteps, ASubmitThatDiedAfterItsIntentIsStoredAndQueuedOnceByRecovery) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        members::ApplicationStore applications(client, box(), prefix);
        const std::string id = "RH20261123000007";
        auto intent = applications.prepare_submit(known_application("bridge"), id);
        intent.entry = co_await applications.record_submit_intent(intent);
        // The process dies here: nothing but the intent (sealed) is in Redis.
        EXPECT_FALSE(co_await applications.get(id));
        EXPECT_EQ(co_await applications.recover_submits(0ms), 1u);
        const auto stored = co_await applications.get(id);
        EXPECT_TRUE(stored && stored->status == "received" && stored->name == "张三");
        const auto active =
            co_await applications.active_for_id_card(known_application("bridge").id_card);
        EXPECT_TRUE(active && active->id == id);
        std::vector<std::string> pending{"ZRANGE", prefix + "district:{wujin}:pending", "0", "-1"};
        const auto queued = co_await client->exec(std::move(pending));
        EXPECT_EQ(queued.elements.size(), 1u);
        // Every step again (a process that died just before removing the intent): the same.
        EXPECT_EQ(co_await applications.run_submit_steps(intent), "new");
        EXPECT_EQ(co_await applications.recover_submits(0ms), 0u);
        std::vector<std::string> again{"ZCARD", prefix + "district:{wujin}:pending"};
        EXPECT_EQ((co_await client->exec(std::move(again))).integer, 1);
        // The driver, submitting again, finds it.
        const auto duplicate = co_await applications.submit(known_application("bridge"));
        EXPECT_FALSE(duplicate.created);
        EXPECT_EQ(duplicate.application.id, id);
    });
}

TEST(ReviewSteps, OutboxKeysOfTheUntaggedLayoutMoveUnderTheSmsTag) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        notify::OutboxOptions options;
        options.prefix = prefix;
        notify::RedisSmsOutbox outbox(client, box(), options);
        // Versions before {sms} never ran on a Redis Cluster (and a RENAME there would cross
        // slots): on one the migration does nothing, not even a SCAN.
        if (client->cluster()) {
            const auto moved = co_await outbox.migrate_untagged_keys();
            EXPECT_EQ(moved, 0u);
            co_return;
        }
        const std::string old = prefix + "sms:";
        // What the previous version left: a queued message, its stream entry read by a sender
        // that died (pending in the group), a retry due, a dedupe key, the development sink.
        std::vector<std::string> command14{"HSET", old + "msg:mOLD", "id",
                                           "mOLD", "state",          "queued"};
        co_await client->exec(std::move(command14));
        std::vector<std::string> command15{"SET", old + "idem:approval:RH1", "mOLD"};
        co_await client->exec(std::move(command15));
        std::vector<std::string> command16{"XADD", old + "stream", "*", "id", "mOLD"};
        co_await client->exec(std::move(command16));
        std::vector<std::string> command17{"XGROUP", "CREATE", old + "stream", notify::kSenderGroup,
                                           "0"};
        co_await client->exec(std::move(command17));
        std::vector<std::string> command18{"XREADGROUP", "GROUP",        notify::kSenderGroup,
                                           "dead",       "COUNT",        "1",
                                           "STREAMS",    old + "stream", ">"};
        co_await client->exec(std::move(command18));
        std::vector<std::string> command19{"ZADD", old + "delayed", "100", "mOLD2"};
        co_await client->exec(std::move(command19));
        std::vector<std::string> command20{"RPUSH", old + "dev:sink", "x"};
        co_await client->exec(std::move(command20));
        // ... and this version enqueued before the migration ran: both streams exist.
        notify::SmsMessage message;
        message.phone = "13800138000";
        message.template_name = "approval";
        message.idempotency_key = "approval:RH2";
        const auto fresh = co_await outbox.enqueue_id(message);
        std::vector<std::string> command21{"ZADD", outbox.delayed_key(), "200", "mNEW2"};
        co_await client->exec(std::move(command21));

        EXPECT_EQ(co_await outbox.migrate_untagged_keys(), 4u);
        EXPECT_EQ((co_await outbox.find("mOLD"))->state, "queued");
        EXPECT_EQ((co_await outbox.find_by_key("approval:RH1"))->id, "mOLD");
        EXPECT_EQ((co_await outbox.find_by_key("approval:RH2"))->id, fresh);
        std::vector<std::string> command22{"XLEN", outbox.stream_key()};
        EXPECT_EQ((co_await client->exec(std::move(command22))).integer, 2);
        std::vector<std::string> command23{"ZCARD", outbox.delayed_key()};
        EXPECT_EQ((co_await client->exec(std::move(command23))).integer, 2);
        std::vector<std::string> command24{"EXISTS", old + "stream", old + "delayed",
                                           old + "msg:mOLD", old + "idem:approval:RH1"};
        EXPECT_EQ((co_await client->exec(std::move(command24))).integer, 0);
        std::vector<std::string> command25{"LLEN", old + "dev:sink"};
        EXPECT_EQ((co_await client->exec(std::move(command25))).integer, 1);
        EXPECT_EQ(co_await outbox.migrate_untagged_keys(), 0u);
    });
}

}  // namespace
}  // namespace kayou::test
