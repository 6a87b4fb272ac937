// The pure part of Sentinel support (redis/sentinel.hpp): the sentinels' answers and messages as
// they arrive on the wire, and what a new answer means.
#include "redis/sentinel.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/redis_replies.hpp"

namespace {

using kayou::redis::Endpoint;
using kayou::redis::PrimaryHistory;
using kayou::redis::Reply;
using kayou::redis::Role;

using kayou::test::array_reply;
using kayou::test::string_reply;

Reply typed(Reply::Type type, std::string text = {}) {
    Reply r;
    r.type = type;
    r.str = std::move(text);
    return r;
}

TEST(RedisSentinel, ParsesEndpoints) {
    struct Case {
        const char* text;
        bool ok;
        std::string host;
        std::uint16_t port;
    };
    const Case cases[] = {
        {"127.0.0.1:26379", true, "127.0.0.1", 26379},
        {"sentinel-1.example.org:26379", true, "sentinel-1.example.org", 26379},
        {"[::1]:26380", true, "::1", 26380},
        {"localhost:1", true, "localhost", 1},
        {"localhost:65535", true, "localhost", 65535},
        {"localhost", false, "", 0},
        {"localhost:", false, "", 0},
        {":26379", false, "", 0},
        {"localhost:0", false, "", 0},
        {"localhost:65536", false, "", 0},
        {"localhost:26379x", false, "", 0},
        {"::1:26379", false, "", 0},  // IPv6 without brackets is ambiguous
        {"[::1]26379", false, "", 0},
        {"[::1]:", false, "", 0},
        {"a b:1", false, "", 0},
    };
    for (const auto& c : cases) {
        const auto parsed = kayou::redis::parse_endpoint(c.text);
        ASSERT_EQ(parsed.has_value(), c.ok) << c.text;
        if (!c.ok) continue;
        EXPECT_EQ(parsed->host, c.host) << c.text;
        EXPECT_EQ(parsed->port, c.port) << c.text;
    }
    EXPECT_EQ((Endpoint{"::1", 26380}).to_string(), "[::1]:26380");
    EXPECT_EQ((Endpoint{"10.0.0.5", 6379}).to_string(), "10.0.0.5:6379");
}

TEST(RedisSentinel, ReadsGetMasterAddrByName) {
    struct Case {
        const char* what;
        Reply reply;
        bool ok;
        Endpoint want;
    };
    const Case cases[] = {
        {"address",
         array_reply({string_reply("10.0.0.5"), string_reply("6380")}),
         true,
         {"10.0.0.5", 6380}},
        {"unknown master (nil)", typed(Reply::Type::nil), false, {}},
        {"error reply", typed(Reply::Type::error, "NOAUTH Authentication required."), false, {}},
        {"one element", array_reply({string_reply("10.0.0.5")}), false, {}},
        {"bad port", array_reply({string_reply("10.0.0.5"), string_reply("x")}), false, {}},
        {"port 0", array_reply({string_reply("10.0.0.5"), string_reply("0")}), false, {}},
        {"empty host", array_reply({string_reply(""), string_reply("6379")}), false, {}},
    };
    for (const auto& c : cases) {
        const auto parsed = kayou::redis::parse_master_addr(c.reply);
        ASSERT_EQ(parsed.has_value(), c.ok) << c.what;
        if (c.ok) {
            EXPECT_EQ(*parsed, c.want) << c.what;
        }
    }
}

TEST(RedisSentinel, ReadsRole) {
    struct Case {
        Reply reply;
        Role want;
    };
    Reply offset;
    offset.type = Reply::Type::integer;
    offset.integer = 1234;
    const Case cases[] = {
        {array_reply({string_reply("master"), offset, array_reply({})}), Role::master},
        {array_reply({string_reply("slave"), string_reply("10.0.0.5"), offset}), Role::replica},
        {array_reply({string_reply("sentinel"), array_reply({string_reply("kayou")})}),
         Role::sentinel},
        {typed(Reply::Type::error, "NOPERM this user has no permissions"), Role::unknown},
        {array_reply({}), Role::unknown},
        {typed(Reply::Type::nil), Role::unknown},
    };
    for (const auto& c : cases) EXPECT_EQ(kayou::redis::parse_role(c.reply), c.want);
}

TEST(RedisSentinel, ReadsSwitchMaster) {
    const auto change = kayou::redis::parse_switch_master("kayou 127.0.0.1 6380 127.0.0.1 6381");
    ASSERT_TRUE(change);
    EXPECT_EQ(change->master, "kayou");
    EXPECT_EQ(change->from, (Endpoint{"127.0.0.1", 6380}));
    EXPECT_EQ(change->to, (Endpoint{"127.0.0.1", 6381}));
    for (const char* bad : {"", "kayou 127.0.0.1 6380 127.0.0.1", "kayou a 1 b x",
                            "kayou 127.0.0.1 6380 127.0.0.1 6381 extra"})
        EXPECT_FALSE(kayou::redis::parse_switch_master(bad)) << bad;
}

TEST(RedisSentinel, TellsNotPrimaryErrors) {
    EXPECT_TRUE(kayou::redis::is_not_primary_error(
        typed(Reply::Type::error, "READONLY You can't write against a read only replica.")));
    EXPECT_TRUE(kayou::redis::is_not_primary_error(
        typed(Reply::Type::error, "MASTERDOWN Link with MASTER is down")));
    EXPECT_FALSE(kayou::redis::is_not_primary_error(typed(Reply::Type::error, "WRONGTYPE x")));
    EXPECT_FALSE(kayou::redis::is_not_primary_error(string_reply("READONLY")));  // data, no error
}

TEST(RedisSentinel, ParsesRespIncrementally) {
    const std::string subscribed = "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n";
    const std::string message =
        "*3\r\n$7\r\nmessage\r\n$14\r\n+switch-master\r\n"
        "$35\r\nkayou 127.0.0.1 6380 127.0.0.1 6381\r\n";
    const std::string stream = "+OK\r\n" + subscribed + message;
    // Every split point: a value is returned only once it is complete.
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        std::string buffer = stream.substr(0, cut);
        std::vector<Reply> replies;
        auto drain = [&] {
            for (;;) {
                std::size_t used = 0;
                auto reply = kayou::redis::parse_resp(buffer, used);
                if (!reply) {
                    EXPECT_EQ(used, 0u);
                    break;
                }
                buffer.erase(0, used);
                replies.push_back(std::move(*reply));
            }
        };
        drain();
        buffer += stream.substr(cut);
        drain();
        ASSERT_EQ(replies.size(), 3u) << "cut at " << cut;
        EXPECT_TRUE(replies[0].is_status("OK"));
        const auto push = kayou::redis::as_push_message(replies[2]);
        ASSERT_TRUE(push);
        EXPECT_EQ(push->kind, "message");
        EXPECT_EQ(push->channel, "+switch-master");
        EXPECT_EQ(push->payload, "kayou 127.0.0.1 6380 127.0.0.1 6381");
        EXPECT_TRUE(buffer.empty());
    }
    std::size_t used = 0;
    EXPECT_THROW(kayou::redis::parse_resp("?what\r\n", used), std::runtime_error);
    EXPECT_THROW(kayou::redis::parse_resp("$3\r\nabcd\r\n", used), std::runtime_error);
    const auto error = kayou::redis::parse_resp("-NOAUTH Authentication required.\r\n", used);
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->is_error());
    const auto nil = kayou::redis::parse_resp("$-1\r\n", used);
    ASSERT_TRUE(nil);
    EXPECT_TRUE(nil->is_nil());
}

TEST(RedisSentinel, CountsFailoversOnlyWhenThePrimaryChanges) {
    PrimaryHistory history;
    struct Step {
        Endpoint seen;
        PrimaryHistory::Change want;
        std::uint64_t failovers;
    };
    const Step steps[] = {
        {{"127.0.0.1", 6380}, PrimaryHistory::Change::first, 0},
        {{"127.0.0.1", 6380}, PrimaryHistory::Change::same, 0},  // the other sentinels agree
        {{"127.0.0.1", 6381}, PrimaryHistory::Change::switched, 1},
        {{"127.0.0.1", 6381}, PrimaryHistory::Change::same, 1},
        {{"127.0.0.1", 6380}, PrimaryHistory::Change::switched, 2},  // and back
    };
    for (const auto& step : steps) {
        EXPECT_EQ(history.note(step.seen), step.want) << step.seen.to_string();
        EXPECT_EQ(history.failovers(), step.failovers);
        EXPECT_EQ(history.current(), step.seen);
    }
}

TEST(RedisSentinel, AsksTheLastGoodSentinelFirst) {
    using Order = std::vector<std::size_t>;
    EXPECT_EQ(kayou::redis::sentinel_order(3, 99), (Order{0, 1, 2}));  // none answered yet
    EXPECT_EQ(kayou::redis::sentinel_order(3, 0), (Order{0, 1, 2}));
    EXPECT_EQ(kayou::redis::sentinel_order(3, 2), (Order{2, 0, 1}));
    EXPECT_EQ(kayou::redis::sentinel_order(0, 0), Order{});
}

TEST(RedisSentinel, FormatsCommands) {
    EXPECT_EQ(kayou::redis::format_command({"SUBSCRIBE", "+switch-master"}),
              "*2\r\n$9\r\nSUBSCRIBE\r\n$14\r\n+switch-master\r\n");
}

}  // namespace
