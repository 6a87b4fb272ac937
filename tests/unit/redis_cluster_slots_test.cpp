// The pure part of Redis Cluster support (redis/cluster_slots.hpp): key slots with the vectors of
// the Redis Cluster specification, CLUSTER SLOTS replies, -MOVED/-ASK replies and routing keys.
#include "redis/cluster_slots.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using kayou::redis::crc16_xmodem;
using kayou::redis::Endpoint;
using kayou::redis::key_hash_slot;
using kayou::redis::parse_redirect;
using kayou::redis::Redirect;
using kayou::redis::Reply;
using kayou::redis::routing_key;
using kayou::redis::SlotTable;

Reply integer_reply(long long value) {
    Reply r;
    r.type = Reply::Type::integer;
    r.integer = value;
    return r;
}

Reply string_reply(std::string text) {
    Reply r;
    r.type = Reply::Type::string;
    r.str = std::move(text);
    return r;
}

Reply array_reply(std::vector<Reply> elements) {
    Reply r;
    r.type = Reply::Type::array;
    r.elements = std::move(elements);
    return r;
}

Reply range(long long first, long long last, const std::string& host, long long port) {
    std::vector<Reply> node;
    node.push_back(string_reply(host));
    node.push_back(integer_reply(port));
    node.push_back(string_reply("node-id"));
    std::vector<Reply> elements;
    elements.push_back(integer_reply(first));
    elements.push_back(integer_reply(last));
    elements.push_back(array_reply(std::move(node)));
    return array_reply(std::move(elements));
}

TEST(RedisClusterSlots, Crc16IsXmodem) {
    // The check value of CRC16-XMODEM, quoted by the cluster specification.
    EXPECT_EQ(crc16_xmodem("123456789"), 0x31C3);
    EXPECT_EQ(crc16_xmodem(""), 0);
}

TEST(RedisClusterSlots, KeySlotsFollowTheHashTagRule) {
    struct Case {
        const char* key;
        std::string hashed;  // the part of the key that is hashed
    };
    const Case cases[] = {
        {"foo", "foo"},
        {"{user1000}.following", "user1000"},
        {"{user1000}.followers", "user1000"},
        {"foo{}{bar}", "foo{}{bar}"},  // empty first tag: the whole key
        {"foo{{bar}}zap", "{bar"},     // from the first '{' to the first '}' after it
        {"foo{bar}{zap}", "bar"},      // only the first tag counts
        {"{", "{"},
        {"}{", "}{"},
        {"kayou:{sms}:outbox", "sms"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(key_hash_slot(c.key), crc16_xmodem(c.hashed) % 16384) << c.key;
    }
    // Slots Redis itself answers to CLUSTER KEYSLOT.
    EXPECT_EQ(key_hash_slot("foo"), 12182);
    EXPECT_EQ(key_hash_slot("bar"), 5061);
    EXPECT_EQ(key_hash_slot("hello"), 866);
    EXPECT_EQ(key_hash_slot("{user1000}.following"), key_hash_slot("{user1000}.followers"));
    EXPECT_NE(key_hash_slot("{user1000}.following"), key_hash_slot("user1000.following"));
}

TEST(RedisClusterSlots, ParsesClusterSlots) {
    std::vector<Reply> ranges;
    ranges.push_back(range(0, 5460, "127.0.0.1", 7000));
    ranges.push_back(range(5461, 10922, "127.0.0.1", 7001));
    ranges.push_back(range(10923, 16383, "127.0.0.1", 7002));
    ranges.push_back(range(16000, 16000, "127.0.0.1", 7000));  // a later range wins
    const auto table = SlotTable::parse(array_reply(std::move(ranges)));
    ASSERT_TRUE(table.has_value());
    ASSERT_EQ(table->nodes().size(), 3u);
    EXPECT_EQ(table->nodes()[1], (Endpoint{"127.0.0.1", 7001}));
    EXPECT_TRUE(table->complete());
    EXPECT_EQ(table->node_for(0), 0u);
    EXPECT_EQ(table->node_for(5461), 1u);
    EXPECT_EQ(table->node_for(12182), 2u);
    EXPECT_EQ(table->node_for(16000), 0u);
    EXPECT_EQ(table->node_for(16384), std::nullopt);

    // A -MOVED reply points one slot elsewhere, to a known node or a new one.
    auto moved = *table;
    EXPECT_EQ(moved.assign(12182, Endpoint{"127.0.0.1", 7000}), 0u);
    EXPECT_EQ(moved.node_for(12182), 0u);
    EXPECT_EQ(moved.node_for(12183), 2u);
    EXPECT_EQ(moved.assign(1, Endpoint{"127.0.0.1", 7003}), 3u);
    EXPECT_EQ(moved.nodes().size(), 4u);
    EXPECT_EQ(moved.node_for(1), 3u);
}

TEST(RedisClusterSlots, PartialAndMalformedSlotReplies) {
    std::vector<Reply> ranges;
    ranges.push_back(range(0, 99, "10.0.0.1", 6379));
    const auto partial = SlotTable::parse(array_reply(std::move(ranges)));
    ASSERT_TRUE(partial.has_value());
    EXPECT_FALSE(partial->complete());
    EXPECT_EQ(partial->node_for(100), std::nullopt);

    Reply error;
    error.type = Reply::Type::error;
    error.str = "ERR This instance has cluster support disabled";
    EXPECT_FALSE(SlotTable::parse(error).has_value());
    const Reply bad_ranges[] = {
        range(10, 5, "h", 1),             // last before first
        range(0, 16384, "h", 1),          // past the last slot
        range(0, 1, "h", 0),              // port 0
        array_reply({integer_reply(0)}),  // too short
    };
    for (const Reply& bad : bad_ranges) {
        EXPECT_FALSE(SlotTable::parse(array_reply({bad})).has_value());
    }
    // An empty cluster (no slots assigned yet) parses, with no node at all.
    const auto empty = SlotTable::parse(array_reply({}));
    ASSERT_TRUE(empty.has_value());
    EXPECT_TRUE(empty->nodes().empty());
}

TEST(RedisClusterSlots, ParsesRedirects) {
    struct Case {
        const char* text;
        std::optional<Redirect::Kind> kind;
        std::uint16_t slot;
        Endpoint to;
    };
    const Case cases[] = {
        {"MOVED 3999 127.0.0.1:6381", Redirect::Kind::moved, 3999, {"127.0.0.1", 6381}},
        {"ASK 3999 127.0.0.1:6381", Redirect::Kind::ask, 3999, {"127.0.0.1", 6381}},
        {"MOVED 0 [::1]:7000", Redirect::Kind::moved, 0, {"::1", 7000}},
        {"MOVED 16383 :7002", Redirect::Kind::moved, 16383, {"", 7002}},
        {"MOVED 16384 127.0.0.1:6381", std::nullopt, 0, {}},
        {"MOVED x 127.0.0.1:6381", std::nullopt, 0, {}},
        {"MOVED 12 127.0.0.1", std::nullopt, 0, {}},
        {"MOVED 12", std::nullopt, 0, {}},
        {"CROSSSLOT Keys in request don't hash to the same slot", std::nullopt, 0, {}},
        {"ERR unknown command", std::nullopt, 0, {}},
    };
    for (const Case& c : cases) {
        const auto redirect = parse_redirect(std::string_view(c.text));
        ASSERT_EQ(redirect.has_value(), c.kind.has_value()) << c.text;
        if (!redirect) continue;
        EXPECT_EQ(redirect->kind, *c.kind) << c.text;
        EXPECT_EQ(redirect->slot, c.slot) << c.text;
        EXPECT_EQ(redirect->to, c.to) << c.text;
    }
    EXPECT_FALSE(parse_redirect(string_reply("MOVED 1 h:1")).has_value());  // not an error reply
}

TEST(RedisClusterSlots, RoutingKeys) {
    struct Case {
        std::vector<std::string> args;
        std::optional<std::string> key;
    };
    const Case cases[] = {
        {{"GET", "a"}, "a"},
        {{"set", "b", "1"}, "b"},
        {{"EVALSHA", "sha", "2", "{t}:a", "{t}:b", "arg"}, "{t}:a"},
        {{"eval", "return 1", "0", "arg"}, std::nullopt},
        {{"EVAL", "return 1", "x"}, std::nullopt},
        {{"XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "{sms}:s", ">"}, "{sms}:s"},
        {{"XREAD", "COUNT", "1", "streams", "s1", "0"}, "s1"},
        {{"XGROUP", "CREATE", "{sms}:s", "g", "$", "MKSTREAM"}, "{sms}:s"},
        {{"PING"}, std::nullopt},
        {{"WAIT", "1", "100"}, std::nullopt},
        {{"SCRIPT", "LOAD", "return 1"}, std::nullopt},
        {{"INFO", "server"}, std::nullopt},
        {{"TIME"}, std::nullopt},
        {{"SCAN", "0", "MATCH", "k*"}, std::nullopt},
        {{"MULTI"}, std::nullopt},
        {{"DEL"}, std::nullopt},
        {{}, std::nullopt},
    };
    for (const Case& c : cases) {
        const auto key = routing_key(c.args);
        ASSERT_EQ(key.has_value(), c.key.has_value()) << (c.args.empty() ? "" : c.args[0]);
        if (key) {
            EXPECT_EQ(std::string(*key), *c.key);
        }
    }

    std::vector<std::vector<std::string>> transaction;
    transaction.push_back({"MULTI"});
    transaction.push_back({"HSET", "{x}:h", "f", "v"});
    transaction.push_back({"DEL", "{x}:k"});
    transaction.push_back({"EXEC"});
    ASSERT_TRUE(routing_key(transaction).has_value());
    EXPECT_EQ(*routing_key(transaction), "{x}:h");
    std::vector<std::vector<std::string>> keyless;
    keyless.push_back({"PING"});
    keyless.push_back({"TIME"});
    EXPECT_FALSE(routing_key(keyless).has_value());
}

}  // namespace
