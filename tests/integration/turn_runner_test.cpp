// TurnRunner against a real redis-server: a platform retry never runs the dialog a second time,
// also when it arrives before the first delivery's reply has been stored.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>

#include "bot/turn_runner.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed_box.hpp"
#include "ops/metrics.hpp"
#include "redis/client.hpp"
#include "tests/support/redis_run.hpp"

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Answers "turn <n>" and counts its turns; optionally takes `delay` to answer.
class CountingDialog : public dialogs::Dialog {
public:
    explicit CountingDialog(std::chrono::milliseconds delay = 0ms) : delay_(delay) {}
    asio::awaitable<dialogs::Reply> handle(const dialogs::Message&) override {
        const int turn = ++turns;
        if (delay_.count() > 0) {
            asio::steady_timer timer(co_await asio::this_coro::executor, delay_);
            co_await timer.async_wait(asio::use_awaitable);
        }
        dialogs::Reply reply;
        reply.texts.push_back("turn " + std::to_string(turn));
        co_return reply;
    }
    int turns = 0;

private:
    std::chrono::milliseconds delay_;
};

dialogs::Message message(const std::string& dedupe_key) {
    dialogs::Message m;
    m.dedupe_key = dedupe_key;
    m.sender_id = "o_turn_runner";
    m.chat_id = m.sender_id;
    m.text = "hello";
    return m;
}

TEST(TurnRunner, RetryBeforeTheReplyIsStoredGetsTheSameReplyWithoutASecondTurn) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        ops::Metrics metrics;
        CountingDialog dialog;
        const std::string prefix = unique_name("t:") + ":";
        bot::TurnRunner runner(client, dialog, prefix, 60s, metrics);
        const auto m = message("oa:o_turn_runner:1");
        // The retry is issued at once, before the first delivery's reply store has gone out.
        auto first = co_await runner.run(m);
        auto retry = co_await runner.run(m);
        EXPECT_EQ(dialog.turns, 1);
        EXPECT_FALSE(first.duplicate);
        EXPECT_TRUE(retry.duplicate);
        EXPECT_EQ(first.reply.texts.size(), 1u);
        EXPECT_EQ(retry.reply.texts, first.reply.texts);
        // And the reply is what Redis keeps for later retries.
        std::vector<std::string> get{"GET", prefix + "dedupe:{oa:o_turn_runner:1}"};
        auto stored = co_await client->exec(std::move(get));
        EXPECT_EQ(bot::TurnRunner::decode_reply(stored.str).texts, first.reply.texts);
        auto later = co_await runner.run(m);
        EXPECT_EQ(later.reply.texts, first.reply.texts);
        EXPECT_EQ(dialog.turns, 1);
    });
}

// With the data key the stored reply is sealed: what the dialog said ("turn 1" here; his name at
// the join form's summary in production) is not in Redis in clear, and a retry still gets it.
TEST(TurnRunner, StoredRepliesAreSealedWithTheDataKey) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        ops::Metrics metrics;
        CountingDialog dialog;
        const auto box =
            crypto::SealedBox::from_key(crypto::random_bytes(crypto::SealedBox::kKeySize));
        const std::string prefix = unique_name("t:") + ":";
        bot::TurnRunner runner(client, dialog, prefix, 60s, metrics, &*box);
        const auto m = message("oa:o_turn_runner:sealed");
        auto first = co_await runner.run(m);
        auto retry = co_await runner.run(m);
        EXPECT_EQ(dialog.turns, 1);
        EXPECT_EQ(retry.reply.texts, first.reply.texts);
        std::vector<std::string> get{"GET", prefix + "dedupe:{oa:o_turn_runner:sealed}"};
        auto stored = co_await client->exec(std::move(get));
        EXPECT_EQ(stored.str.find("turn 1"), std::string::npos) << stored.str;
        EXPECT_EQ(stored.str.front(), 'S');
        // Read without the key it is nothing.
        EXPECT_TRUE(bot::TurnRunner::decode_reply(stored.str).texts.empty());
    });
}

TEST(TurnRunner, ConcurrentDeliveriesOfOneMessageRunOneTurn) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        ops::Metrics metrics;
        CountingDialog dialog(100ms);
        bot::TurnRunner runner(client, dialog, unique_name("t:") + ":", 60s, metrics);
        const auto m = message("oa:o_turn_runner:2");
        std::vector<bot::TurnOutcome> outcomes;
        int finished = 0;
        auto executor = co_await asio::this_coro::executor;
        // Woken by the last delivery to finish, or at the deadline.
        asio::steady_timer all_done(executor, 10s);
        for (int i = 0; i < 4; ++i)
            asio::co_spawn(
                executor,
                [&]() -> asio::awaitable<void> {
                    auto outcome = co_await runner.run(m);
                    outcomes.push_back(std::move(outcome));
                    if (++finished == 4) all_done.cancel();
                },
                asio::detached);
        co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
        EXPECT_EQ(finished, 4);
        if (finished != 4) co_return;
        EXPECT_EQ(dialog.turns, 1);
        int duplicates = 0;
        for (const auto& outcome : outcomes) {
            duplicates += outcome.duplicate ? 1 : 0;
            EXPECT_EQ(outcome.reply.texts, outcomes.front().reply.texts);
        }
        EXPECT_EQ(duplicates, 3);
        EXPECT_FALSE(outcomes.front().reply.texts.empty());
    });
}

}  // namespace
}  // namespace kayou::test
