// The join dialog's Redis stores against a real redis-server: verification codes bound to their
// owner, the one-active-application rule, the conversation lock and its fencing check.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "crypto/sealed_box.hpp"
#include "dialogs/conversation_store.hpp"
#include "members/application_store.hpp"
#include "members/phone_verification.hpp"
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

// A phone per test run, so reruns against a shared server start clean.
std::string fresh_phone() {
    static int counter = 0;
    const auto n =
        (std::chrono::steady_clock::now().time_since_epoch().count() / 1000 + ++counter) %
        100000000;
    std::string digits = std::to_string(n);
    return "135" + std::string(8 - digits.size(), '0') + digits;
}

// How many codes may be sent is members::CodeDesk's business (code_desk_test.cpp); the store
// keeps one code per phone and owner.

TEST(JoinStores, CodeFiveTriesThenGoneAndValidFiveMinutes) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        members::PhoneVerification verification(client, box(), prefix);
        const std::string phone = fresh_phone();
        const std::string owner = "chat:bridge:wxid_owner";
        EXPECT_EQ(co_await verification.issue(phone, owner, "123456"), "123456");
        const auto listed = co_await keys_on_every_primary(client, prefix + "*");
        EXPECT_EQ(listed.size(), 1u);
        if (listed.empty()) co_return;
        // The key names the phone and the owner only by their hashes.
        const std::string key = listed[0];
        EXPECT_EQ(key.rfind(prefix + "phone:{" + verification.phone_hash(phone) + "}:code:", 0), 0u)
            << key;
        EXPECT_EQ(key.find(phone), std::string::npos);
        EXPECT_EQ(key.find("wxid_owner"), std::string::npos);
        std::vector<std::string> ttl{"PTTL", key};
        auto pttl = co_await client->exec(std::move(ttl));
        EXPECT_GT(pttl.integer, 295'000);
        EXPECT_LE(pttl.integer, 300'000);
        for (int remaining = 4; remaining >= 1; --remaining) {
            auto wrong = co_await verification.check(phone, owner, "654321");
            EXPECT_EQ(wrong.outcome, "wrong");
            EXPECT_EQ(wrong.remaining, remaining);
        }
        EXPECT_EQ((co_await verification.check(phone, owner, "654321")).outcome, "locked");
        // Even the right code is gone after five tries.
        EXPECT_EQ((co_await verification.check(phone, owner, "123456")).outcome, "expired");
    });
}

TEST(JoinStores, OthersGuessingAtTheNumberCannotLockTheOwnersCode) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        members::PhoneVerification verification(client, box(), prefix);
        const std::string phone = fresh_phone();
        const std::string driver = "link:bridge:wxid_driver|1|n1";
        co_await verification.issue(phone, driver, "123456");
        // Someone with another link (or in chat) guesses at the same number many times: he
        // reaches no code, and the driver's tries are untouched.
        for (int i = 0; i < 20; ++i) {
            auto guess = co_await verification.check(phone, "link:bridge:wxid_other|1|n2",
                                                     std::to_string(100000 + i));
            EXPECT_EQ(guess.outcome, "expired");
        }
        EXPECT_EQ((co_await verification.check(phone, "chat:bridge:wxid_other", "123456")).outcome,
                  "expired");
        auto wrong = co_await verification.check(phone, driver, "654321");
        EXPECT_EQ(wrong.outcome, "wrong");
        EXPECT_EQ(wrong.remaining, 4);
        EXPECT_EQ((co_await verification.check(phone, driver, "123456")).outcome, "ok");
    });
}

TEST(JoinStores, RightCodeWorksOnceAndANewCodeReplacesTheOld) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        members::PhoneVerification verification(client, box(), prefix);
        const std::string phone = fresh_phone();
        const std::string owner = "chat:bridge:wxid_a";
        co_await verification.issue(phone, owner, "111111");
        co_await verification.issue(phone, owner, "222222");
        EXPECT_EQ((co_await verification.check(phone, owner, "111111")).outcome, "wrong");
        EXPECT_EQ((co_await verification.check(phone, owner, "222222")).outcome, "ok");
        EXPECT_EQ((co_await verification.check(phone, owner, "222222")).outcome, "expired");
    });
}

TEST(JoinStores, OneActiveApplicationPerIdNumber) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        members::ApplicationStore store(client, box(), prefix);
        members::NewApplication a = known_application("bridge");
        a.driver = "bridge:wxid_a";
        auto first = co_await store.submit(a);
        EXPECT_TRUE(first.created);
        EXPECT_EQ(first.application.id, "RH20261123000001");
        EXPECT_EQ(first.application.name, "张三");
        EXPECT_EQ(first.application.id_card, a.id_card);
        EXPECT_TRUE(first.application.turnover_pool);
        EXPECT_EQ(first.application.occupation, "货车司机");
        auto second = a;
        second.driver = "oa:o_other";
        second.mobile = "13900139000";  // someone else who typed the ID number
        auto duplicate = co_await store.submit(second);
        EXPECT_FALSE(duplicate.created);
        EXPECT_FALSE(duplicate.same_applicant);
        EXPECT_EQ(duplicate.application.id, first.application.id);
        EXPECT_EQ(duplicate.application.status, "received");
        // The other driver's progress finds nothing: the existing application is not his.
        EXPECT_FALSE(co_await store.latest_for_driver("oa:o_other"));
        auto mine = co_await store.latest_for_driver("bridge:wxid_a");
        EXPECT_TRUE(mine && mine->id == first.application.id);
        // The applicant himself (the same proven mobile) from another chat: his, and that chat
        // finds it from now on (issue 17: linked by the proven phone number).
        auto himself = a;
        himself.driver = "oa:o_himself";
        auto own = co_await store.submit(himself);
        EXPECT_FALSE(own.created);
        EXPECT_TRUE(own.same_applicant);
        auto linked = co_await store.latest_for_driver("oa:o_himself");
        EXPECT_TRUE(linked && linked->id == first.application.id);
        // Once rejected, the same ID number may apply again.
        std::vector<std::string> reject{"HSET", store.app_key(first.application.id), "status",
                                        "rejected"};
        co_await client->exec(std::move(reject));
        EXPECT_FALSE(co_await store.active_for_id_card(a.id_card));
        auto again = co_await store.submit(second);
        EXPECT_TRUE(again.created);
        EXPECT_EQ(again.application.id, "RH20261123000002");
        std::vector<std::string> pending{"ZCARD", prefix + "district:{wujin}:pending"};
        EXPECT_EQ((co_await client->exec(std::move(pending))).integer, 2);
    });
}

// Issue 17: a join link is claimed by the script that stores the application, once; a refused
// duplicate leaves it usable, and a second use stores nothing.
TEST(JoinStores, AJoinLinkIsClaimedOnceByTheSubmitThatStores) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        members::ApplicationStore store(client, box(), prefix);
        members::NewApplication a = known_application("web");
        a.link_claim_key = prefix + "joinlink:{abcdefgh12345678}:used";
        a.link_claim_ttl = 3600s;
        auto first = co_await store.submit(a);
        EXPECT_TRUE(first.created);
        EXPECT_EQ(first.application.driver, "");  // a web application belongs to no chat yet
        std::vector<std::string> claim{"GET", a.link_claim_key};
        EXPECT_EQ((co_await client->exec(std::move(claim))).str, first.application.id);
        std::vector<std::string> ttl{"TTL", a.link_claim_key};
        EXPECT_GT((co_await client->exec(std::move(ttl))).integer, 3500);
        const auto drivers = co_await keys_on_every_primary(client, prefix + "driver:*");
        EXPECT_TRUE(drivers.empty());

        auto other = a;
        other.id_card = "320481197806203453";
        other.mobile = "13700001111";
        auto used = co_await store.submit(other);
        EXPECT_TRUE(used.link_used);
        EXPECT_FALSE(used.created);
        EXPECT_FALSE(co_await store.active_for_id_card(other.id_card));
        EXPECT_FALSE(co_await store.latest_for_mobile(other.mobile));

        // A duplicate ID number refused with a fresh link leaves that link unclaimed.
        auto duplicate = a;
        duplicate.link_claim_key = prefix + "joinlink:{zzzzzzzz12345678}:used";
        auto refused = co_await store.submit(duplicate);
        EXPECT_FALSE(refused.created);
        EXPECT_FALSE(refused.link_used);
        std::vector<std::string> fresh{"EXISTS", duplicate.link_claim_key};
        EXPECT_EQ((co_await client->exec(std::move(fresh))).integer, 0);
    });
}

TEST(JoinStores, LockSerializesAndFencingRefusesAStaleHolder) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        dialogs::ConversationTiming timing;
        timing.lock_wait = 300ms;
        dialogs::ConversationStore store(client, box(), prefix, timing);
        auto first = co_await store.lock("bridge:wxid_a");
        EXPECT_TRUE(first);
        // A second turn of the same conversation cannot get in while the first holds it.
        EXPECT_FALSE(co_await store.lock("bridge:wxid_a"));
        // Another conversation is not blocked.
        auto other = co_await store.lock("bridge:wxid_b");
        EXPECT_TRUE(other);
        dialogs::ConversationState state;
        state.session.flow = "join";
        state.draft = dialogs::DraftState{};
        state.draft->step = "name";
        EXPECT_TRUE(co_await store.save("bridge:wxid_a", "bridge:wxid_a", *first, state, false));
        // The lease was lost (expired and taken by another turn): the stale holder cannot write.
        std::vector<std::string> steal{"SET", store.lock_key("bridge:wxid_a"), "someone-else"};
        co_await client->exec(std::move(steal));
        state.draft->step = "mobile";
        EXPECT_FALSE(co_await store.save("bridge:wxid_a", "bridge:wxid_a", *first, state, false));
        EXPECT_FALSE(co_await store.renew("bridge:wxid_a", *first));
        co_await store.unlock("bridge:wxid_a", *first);  // not ours any more: must not delete
        std::vector<std::string> get{"GET", store.lock_key("bridge:wxid_a")};
        EXPECT_EQ((co_await client->exec(std::move(get))).str, "someone-else");
        auto loaded = co_await store.load("bridge:wxid_a", "bridge:wxid_a");
        EXPECT_EQ(loaded.session.version, 1);
        EXPECT_TRUE(loaded.draft && loaded.draft->step == "name");
        co_await store.unlock("bridge:wxid_b", *other);
        EXPECT_TRUE(co_await store.lock("bridge:wxid_b"));
    });
}

TEST(JoinStores, ADedupeClaimRidesInTheFirstLockPipelineOnly) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        using State = dialogs::DedupeClaim::State;
        const std::string prefix = unique_name("t:") + ":";
        dialogs::ConversationTiming timing;
        timing.lock_wait = 300ms;
        dialogs::ConversationStore store(client, box(), prefix, timing);
        const std::string conversation = "oa:o_driver_claim";
        const std::string dedupe_key = prefix + "dedupe:{m1}";
        auto claim_of = [&] {
            return dialogs::DedupeClaim{{"SET", dedupe_key, "P", "NX", "PX", "60000"}};
        };
        std::vector<std::string> get_lock{"GET", store.lock_key(conversation)};

        // First delivery: the claim and the lock in one pipeline.
        auto first_claim = claim_of();
        auto first = co_await store.lock_and_load(conversation, conversation, {}, &first_claim);
        EXPECT_TRUE(first);
        EXPECT_EQ(first_claim.state, State::ours);
        if (!first) co_return;

        // A retry of the same delivery while the first holds the lock: the claim is theirs,
        // nothing is returned, and the wait for the lock stops at once instead of lasting
        // lock_wait (2 s for this store).
        dialogs::ConversationTiming patient = timing;
        patient.lock_wait = 2s;
        dialogs::ConversationStore patient_store(client, box(), prefix, patient);
        auto retry_claim = claim_of();
        const auto asked = std::chrono::steady_clock::now();
        EXPECT_FALSE(
            co_await patient_store.lock_and_load(conversation, conversation, {}, &retry_claim));
        EXPECT_LT(std::chrono::steady_clock::now() - asked, 1s);
        EXPECT_EQ(retry_claim.state, State::theirs);
        auto get_lock_copy = get_lock;
        EXPECT_EQ((co_await client->exec(std::move(get_lock_copy))).str, first->token);

        // After the first has finished: a retry takes the free lock in its pipeline but the
        // claim is not its own, so it lets the lock go again.
        co_await store.unlock(conversation, first->token);
        auto late_claim = claim_of();
        EXPECT_FALSE(co_await store.lock_and_load(conversation, conversation, {}, &late_claim));
        EXPECT_EQ(late_claim.state, State::theirs);
        auto get_lock_after = get_lock;
        EXPECT_TRUE((co_await client->exec(std::move(get_lock_after))).is_nil());

        // A new delivery whose conversation is busy: its claim is taken in the first attempt
        // and not sent again while it waits (sent again it would come back nil and read as
        // another delivery's); the lock wait then runs out.
        auto holder = co_await store.lock(conversation);
        EXPECT_TRUE(holder);
        dialogs::DedupeClaim busy_claim{{"SET", prefix + "dedupe:{m2}", "P", "NX", "PX", "60000"}};
        EXPECT_FALSE(co_await store.lock_and_load(conversation, conversation, {}, &busy_claim));
        EXPECT_EQ(busy_claim.state, State::ours);
    });
}

TEST(JoinStores, LockAndLoadThenSaveAndUnlockAreOneCallEachAndFenced) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string prefix = unique_name("t:") + ":";
        dialogs::ConversationTiming timing;
        timing.lock_wait = 300ms;
        dialogs::ConversationStore store(client, box(), prefix, timing);
        const std::string conversation = "oa:o_driver_lua";
        auto first = co_await store.lock_and_load(conversation, conversation);
        EXPECT_TRUE(first);
        if (!first) co_return;
        // Nothing stored yet: an empty state.
        EXPECT_EQ(first->state.session.version, 0);
        EXPECT_TRUE(first->state.session.flow.empty());
        EXPECT_FALSE(first->state.draft);
        // The lock is held: neither form of locking gets in, and nothing is read.
        EXPECT_FALSE(co_await store.lock_and_load(conversation, conversation));
        EXPECT_FALSE(co_await store.lock(conversation));
        // Another conversation is not blocked.
        auto other = co_await store.lock_and_load("oa:o_driver_other", "oa:o_driver_other");
        EXPECT_TRUE(other);

        dialogs::ConversationState state;
        state.session.flow = "join";
        state.session.legal_choices = {"q1", "q2"};
        state.draft = dialogs::DraftState{};
        state.draft->step = "name";
        state.draft->slots["name"] = "张三";
        EXPECT_TRUE(
            co_await store.save_and_unlock(conversation, conversation, first->token, state, false));
        // Saved and released in the same call.
        std::vector<std::string> exists{"EXISTS", store.lock_key(conversation)};
        EXPECT_EQ((co_await client->exec(std::move(exists))).integer, 0);

        auto second = co_await store.lock_and_load(conversation, conversation);
        EXPECT_TRUE(second);
        if (!second) co_return;
        EXPECT_EQ(second->state.session.flow, "join");
        EXPECT_EQ(second->state.session.version, 1);
        EXPECT_EQ(second->state.session.legal_choices, (std::vector<std::string>{"q1", "q2"}));
        EXPECT_TRUE(second->state.draft && second->state.draft->step == "name");
        EXPECT_TRUE(second->state.draft && second->state.draft->slots["name"] == "张三");
        EXPECT_NE(second->token, first->token);

        // The lease was lost (expired and taken by another turn): the stale holder neither
        // writes nor releases the new holder's lock.
        std::vector<std::string> steal{"SET", store.lock_key(conversation), "someone-else"};
        co_await client->exec(std::move(steal));
        state.draft->step = "mobile";
        EXPECT_FALSE(
            co_await store.save_and_unlock(conversation, conversation, second->token, state, true));
        std::vector<std::string> get{"GET", store.lock_key(conversation)};
        EXPECT_EQ((co_await client->exec(std::move(get))).str, "someone-else");
        auto loaded = co_await store.load(conversation, conversation);
        EXPECT_EQ(loaded.session.version, 1);
        EXPECT_TRUE(loaded.draft && loaded.draft->step == "name");

        // Deleting the draft on save.
        co_await store.unlock(conversation, "someone-else");
        auto third = co_await store.lock_and_load(conversation, conversation);
        EXPECT_TRUE(third);
        if (!third) co_return;
        dialogs::ConversationState done;
        done.session = third->state.session;
        EXPECT_TRUE(
            co_await store.save_and_unlock(conversation, conversation, third->token, done, true));
        auto after = co_await store.load(conversation, conversation);
        EXPECT_FALSE(after.draft);
        EXPECT_EQ(after.session.version, 2);
        co_await store.unlock("oa:o_driver_other", other->token);
    });
}

TEST(JoinStores, SaveAndUnlockReloadsItsScriptAfterAFlush) {
    run_with_redis([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        dialogs::ConversationStore store(client, box(), unique_name("t:") + ":");
        // On every primary: in a cluster each node has its own script cache.
        const auto nodes = client->primaries();
        for (const auto& node : nodes) {
            const auto flushed = co_await node->exec("SCRIPT", "FLUSH");
            EXPECT_TRUE(flushed.ok());
        }
        auto locked = co_await store.lock_and_load("oa:o_flush", "oa:o_flush");
        EXPECT_TRUE(locked);
        if (!locked) co_return;
        for (const auto& node : nodes) {
            const auto flushed = co_await node->exec("SCRIPT", "FLUSH");
            EXPECT_TRUE(flushed.ok());
        }
        dialogs::ConversationState state;
        EXPECT_TRUE(co_await store.save_and_unlock("oa:o_flush", "oa:o_flush", locked->token, state,
                                                   false));
    });
}

}  // namespace
}  // namespace kayou::test
