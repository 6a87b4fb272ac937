#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "bot/channels/bridge.hpp"

namespace kayou::channels {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1700000000;
constexpr std::string_view kSecret = "s3cr3t-shared-with-the-bridge";

BridgeConfig config() {
    BridgeConfig c;
    c.secret = std::string(kSecret);
    c.bot_names = {"卡友小助手", "小助手"};
    return c;
}

constexpr std::string_view kGroupBody =
    R"({"message_id":"msg-1","timestamp":1700000000,"room":{"id":"room-9@chatroom","name":"卡友群"},)"
    R"("sender":{"id":"wxid_abc","name":"老王"},"mentioned_bot":false,"text":"@卡友小助手 我想入会"})";

Result<dialogs::Message> decode(std::string_view body, std::int64_t ts = kNow,
                                std::int64_t now = kNow) {
    const std::string timestamp = std::to_string(ts);
    return decode_bridge_request(config(), timestamp, bridge_signature(kSecret, timestamp, body),
                                 body, now);
}

dialogs::Message decode_ok(std::string_view body) {
    auto decoded = decode(body);
    EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().reason);
    return decoded.ok() ? *decoded : dialogs::Message();
}

std::string with(std::string_view key, json value) {
    json body = json::parse(kGroupBody);
    if (value.is_discarded()) {
        body.erase(std::string(key));
    } else {
        body[std::string(key)] = std::move(value);
    }
    return body.dump();
}

json discarded() { return json(json::value_t::discarded); }

// Known answer computed independently:
//   printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'key'
TEST(ChannelsBridge, SignatureKnownAnswer) {
    EXPECT_EQ(bridge_signature("key", "1700000000", R"({"a":1})"),
              "sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03");
}

TEST(ChannelsBridge, DecodesGroupMessage) {
    const dialogs::Message m = decode_ok(kGroupBody);
    EXPECT_EQ(m.channel, dialogs::Channel::bridge);
    EXPECT_EQ(m.chat_type, dialogs::ChatType::group);
    EXPECT_EQ(m.chat_id, "room-9@chatroom");
    EXPECT_EQ(m.chat_name, "卡友群");
    EXPECT_EQ(m.sender_id, "wxid_abc");
    EXPECT_EQ(m.sender_name, "老王");
    EXPECT_TRUE(m.mentioned_bot);  // found in the text although the flag said false (P15)
    EXPECT_EQ(m.text, "我想入会");
    EXPECT_EQ(m.time, 1700000000);
    EXPECT_EQ(m.reply_handle, "room-9@chatroom");
    EXPECT_EQ(m.dedupe_key, "bridge:room-9@chatroom:msg-1");
    EXPECT_FALSE(m.location.has_value());
    // A legal answer is composed to fit one bridge text with the group's @-prefix.
    EXPECT_LE(m.answer_bytes + 200, kBridgeReplyMaxBytes);
}

TEST(ChannelsBridge, SignatureGoodBadExpiredFuture) {
    EXPECT_TRUE(decode(kGroupBody).ok());
    // Inside the window on both sides.
    EXPECT_TRUE(decode(kGroupBody, kNow - 300).ok());
    EXPECT_TRUE(decode(kGroupBody, kNow + 300).ok());

    auto expired = decode(kGroupBody, kNow - 301);
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().kind, DecodeError::Kind::unauthorized);
    EXPECT_EQ(http_status(expired.error().kind), 401);
    auto future = decode(kGroupBody, kNow + 301);
    ASSERT_FALSE(future.ok());
    EXPECT_EQ(future.error().kind, DecodeError::Kind::unauthorized);

    const std::string ts = std::to_string(kNow);
    const std::string good = bridge_signature(kSecret, ts, kGroupBody);
    std::string flipped = good;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    std::string upper = good;
    for (std::size_t i = 7; i < upper.size(); ++i)
        upper[i] = static_cast<char>(std::toupper(upper[i]));
    const std::string tampered_body = std::string(kGroupBody) + " ";
    struct Case {
        std::string timestamp, signature, body;
        bool ok;
    };
    const Case cases[] = {
        {ts, upper, std::string(kGroupBody), true},  // hex case does not matter
        {ts, flipped, std::string(kGroupBody), false},
        {ts, good.substr(7), std::string(kGroupBody), false},  // no "sha256=" prefix
        {ts, "", std::string(kGroupBody), false},
        {ts, "sha256=", std::string(kGroupBody), false},
        {ts, good, tampered_body, false},  // body changed after signing
        {std::to_string(kNow + 1), good, std::string(kGroupBody), false},  // timestamp is signed
        {"", good, std::string(kGroupBody), false},
        {"17e8", good, std::string(kGroupBody), false},
        {"-1700000000", good, std::string(kGroupBody), false},
        {" 1700000000", good, std::string(kGroupBody), false},
        {"1700000000000", good, std::string(kGroupBody), false},  // milliseconds are not accepted
        {ts, bridge_signature("other-secret", ts, kGroupBody), std::string(kGroupBody), false},
    };
    for (const auto& c : cases) {
        auto decoded = decode_bridge_request(config(), c.timestamp, c.signature, c.body, kNow);
        EXPECT_EQ(decoded.ok(), c.ok) << c.timestamp << " " << c.signature;
        if (!c.ok && !decoded.ok()) {
            EXPECT_EQ(decoded.error().kind, DecodeError::Kind::unauthorized);
        }
    }
}

TEST(ChannelsBridge, EmptySecretRejectsEverything) {
    BridgeConfig open = config();
    open.secret.clear();
    const std::string ts = std::to_string(kNow);
    auto decoded =
        decode_bridge_request(open, ts, bridge_signature("", ts, kGroupBody), kGroupBody, kNow);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().kind, DecodeError::Kind::unauthorized);
}

TEST(ChannelsBridge, BodyTooLargeBeforeSignature) {
    const std::string body(config().max_body_bytes + 1, ' ');
    auto decoded = decode_bridge_request(config(), "", "", body, kNow);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().kind, DecodeError::Kind::too_large);
}

TEST(ChannelsBridge, BadJsonIsBadRequestOnlyAfterSignature) {
    auto unsigned_garbage =
        decode_bridge_request(config(), std::to_string(kNow), "sha256=00", "{", kNow);
    ASSERT_FALSE(unsigned_garbage.ok());
    EXPECT_EQ(unsigned_garbage.error().kind, DecodeError::Kind::unauthorized);

    for (std::string_view body : {"{", "", "[]", "null", "\"x\"", "{\"message_id\":\"m\",}"}) {
        auto decoded = decode(body);
        ASSERT_FALSE(decoded.ok()) << body;
        EXPECT_EQ(decoded.error().kind, DecodeError::Kind::bad_request) << body;
    }
}

TEST(ChannelsBridge, MissingOrMistypedFields) {
    const std::string cases[] = {
        with("message_id", discarded()),
        with("message_id", ""),
        with("message_id", json::array()),
        with("sender", discarded()),
        with("sender", "wxid_abc"),
        with("sender", json{{"name", "老王"}}),
        with("sender", json{{"id", ""}}),
        with("sender", json{{"id", "a"}, {"name", 5}}),
        with("room", json{{"name", "no id"}}),
        with("room", "room-9"),
        with("text", 5),
        with("mentioned_bot", "yes"),
        with("timestamp", "1700000000"),
        with("timestamp", -5),
        with("timestamp", 1.5),
        with("location", json{{"latitude", 23.1}}),
        with("location", json{{"latitude", 91}, {"longitude", 1}}),
        with("location", json{{"latitude", "23"}, {"longitude", "113"}}),
        with("location", json{{"latitude", 1}, {"longitude", 1}, {"label", 3}}),
    };
    for (const auto& body : cases) {
        auto decoded = decode(body);
        ASSERT_FALSE(decoded.ok()) << body;
        EXPECT_EQ(decoded.error().kind, DecodeError::Kind::bad_request) << body;
        // Reasons never echo content.
        EXPECT_EQ(decoded.error().reason.find("老王"), std::string::npos);
        EXPECT_EQ(decoded.error().reason.find("wxid"), std::string::npos);
    }
}

TEST(ChannelsBridge, OptionalFieldsAndDefaults) {
    // Minimal 1:1 message: no room, no text, no timestamp, integer ids.
    const dialogs::Message m =
        decode_ok(R"({"message_id":12345678901234567,"sender":{"id":42},"room":null})");
    EXPECT_EQ(m.chat_type, dialogs::ChatType::single);
    EXPECT_EQ(m.chat_id, "42");
    EXPECT_EQ(m.sender_id, "42");
    EXPECT_EQ(m.sender_name, "");
    EXPECT_TRUE(m.mentioned_bot);  // 1:1 messages are addressed to the bot
    EXPECT_EQ(m.text, "");
    EXPECT_EQ(m.time, kNow);
    EXPECT_EQ(m.dedupe_key, "bridge:dm:42:12345678901234567");
    EXPECT_EQ(m.answer_bytes, kBridgeReplyMaxBytes);  // no @-prefix in a private chat

    // Milliseconds are normalized; room.topic is accepted for the name; unknown fields ignored.
    const dialogs::Message ms =
        decode_ok(R"({"message_id":"m","timestamp":1700000000123,"room":{"id":"r","topic":"T"},)"
                  R"("sender":{"id":"s"},"text":"hi","type":"Text","extra":{"x":[1,2]}})");
    EXPECT_EQ(ms.time, 1700000000);
    EXPECT_EQ(ms.chat_name, "T");
    EXPECT_FALSE(ms.mentioned_bot);  // group, no flag, no @name
    EXPECT_EQ(ms.text, "hi");
}

TEST(ChannelsBridge, Location) {
    const dialogs::Message m = decode_ok(
        with("location",
             json{{"latitude", 23.134521}, {"longitude", 113.358803}, {"label", "广州驿站"}}));
    ASSERT_TRUE(m.location.has_value());
    EXPECT_DOUBLE_EQ(m.location->latitude, 23.134521);
    EXPECT_DOUBLE_EQ(m.location->longitude, 113.358803);
    EXPECT_EQ(m.location->label, "广州驿站");
    EXPECT_FALSE(decode_ok(with("location", nullptr)).location.has_value());
}

TEST(ChannelsBridge, MentionDetectionByName) {
    struct Case {
        const char* text;
        bool mentioned;
        const char* clean;
    };
    const Case cases[] = {
        {"@卡友小助手\u2005我想入会", true, "我想入会"},    // mobile: U+2005
        {"@卡友小助手 我想入会", true, "我想入会"},         // PC: space
        {"@卡友小助手", true, ""},                          // end of text
        {"我想入会 @卡友小助手", true, "我想入会"},         // mention at the end
        {"@小助手\u2005进度", true, "进度"},                // group alias
        {"@卡友小助手2 你好", false, "@卡友小助手2 你好"},  // a different member
        // Chinese right before and after: typed without spaces, it is a mention (session 27).
        {"问@卡友小助手吧", true, "问吧"},
        {"@卡友小助手怎么入会", true, "怎么入会"},
        {"@卡友小助手2", true, "2"},  // a pick
        {"@老王 你好", false, "@老王 你好"},
        {"@老王\u2005@卡友小助手\u2005查进度", true, "@老王\u2005查进度"},
    };
    for (const auto& c : cases) {
        const dialogs::Message m = decode_ok(with("text", c.text));
        EXPECT_EQ(m.mentioned_bot, c.mentioned) << c.text;
        EXPECT_EQ(m.text, c.clean) << c.text;
    }
    // The bridge's own flag counts too.
    EXPECT_TRUE(decode_ok(with("mentioned_bot", true)).mentioned_bot);
}

TEST(ChannelsBridge, TextIsCleaned) {
    EXPECT_EQ(decode_ok(with("text", "进\u001d度\u0001")).text, "进度");
}

TEST(ChannelsBridge, ResponseWithMentions) {
    const dialogs::Message in = decode_ok(kGroupBody);
    dialogs::Reply reply;
    reply.texts = {"请私聊我填写资料。", "第二条"};
    reply.mentions = {"wxid_abc"};
    const json out = json::parse(build_bridge_response(in, reply));
    ASSERT_EQ(out["replies"].size(), 2u);
    EXPECT_EQ(out["replies"][0]["text"], "请私聊我填写资料。");
    EXPECT_EQ(out["replies"][0]["mentions"], json::array({"wxid_abc"}));
    EXPECT_EQ(out["replies"][0]["text_with_mentions"], "@老王 请私聊我填写资料。");
    EXPECT_EQ(out["replies"][1]["text"], "第二条");
    EXPECT_EQ(out["replies"][1]["mentions"], json::array());
    EXPECT_EQ(out["replies"][1]["text_with_mentions"], "第二条");
}

TEST(ChannelsBridge, ResponseWithoutMentionsAndEmpty) {
    const dialogs::Message in = decode_ok(kGroupBody);
    dialogs::Reply reply;
    reply.texts = {"大家好"};
    json out = json::parse(build_bridge_response(in, reply));
    EXPECT_EQ(out["replies"][0]["mentions"], json::array());
    EXPECT_EQ(out["replies"][0]["text_with_mentions"], "大家好");

    // A mentioned id other than the sender: id listed, no name to write.
    reply.mentions = {"wxid_other"};
    out = json::parse(build_bridge_response(in, reply));
    EXPECT_EQ(out["replies"][0]["mentions"], json::array({"wxid_other"}));
    EXPECT_EQ(out["replies"][0]["text_with_mentions"], "大家好");

    EXPECT_EQ(build_bridge_response(in, dialogs::Reply{}), R"({"replies":[]})");

    // 1:1: nothing to @.
    const dialogs::Message dm = decode_ok(R"({"message_id":"m","sender":{"id":"s","name":"n"}})");
    reply.mentions = {"s"};
    out = json::parse(build_bridge_response(dm, reply));
    EXPECT_EQ(out["replies"][0]["mentions"], json::array());
    EXPECT_EQ(out["replies"][0]["text_with_mentions"], "大家好");
}

// Issue 17: the join link goes to the requester 1:1 when the bridge can send there; a bridge
// that did not say so never gets a private reply (it would post it in the room).
TEST(ChannelsBridge, PrivateRepliesOnlyForABridgeThatAnnouncedThem) {
    const dialogs::Message plain = decode_ok(kGroupBody);
    EXPECT_FALSE(plain.private_replies);
    const dialogs::Message able = decode_ok(with("private_replies", true));
    EXPECT_TRUE(able.private_replies);
    EXPECT_FALSE(decode(with("private_replies", "yes")).ok());
    const dialogs::Message dm =
        decode_ok(R"({"message_id":"m","sender":{"id":"s","name":"n"},"private_replies":true})");
    EXPECT_FALSE(dm.private_replies);  // a 1:1 reply is private already

    dialogs::Reply reply;
    reply.texts = {"入会链接已私聊发给您"};
    reply.mentions = {"wxid_abc"};
    reply.private_texts = {"这是您的入会链接：https://kayou.test/join?t=abc"};
    const json out = json::parse(build_bridge_response(able, reply));
    ASSERT_EQ(out["replies"].size(), 2u);
    EXPECT_FALSE(out["replies"][0].value("private", false));
    EXPECT_EQ(out["replies"][1]["private"], true);
    EXPECT_EQ(out["replies"][1]["to"], "wxid_abc");
    EXPECT_EQ(out["replies"][1]["text"], reply.private_texts[0]);
    EXPECT_EQ(out["replies"][1]["mentions"], json::array());
    const json none = json::parse(build_bridge_response(plain, reply));
    ASSERT_EQ(none["replies"].size(), 1u);
    EXPECT_EQ(none.dump().find("join?t="), std::string::npos);
}

TEST(ChannelsBridge, LongRepliesSplitAtUtf8BoundariesWithEmoji) {
    const dialogs::Message in = decode_ok(kGroupBody);
    dialogs::Reply reply;
    // 1998 ASCII bytes then emoji: a 2000-byte cut would land inside the second emoji.
    std::string text(1998, 'a');
    for (int i = 0; i < 600; ++i) text += "🚚";
    reply.texts = {text};
    reply.mentions = {"wxid_abc"};
    const json out = json::parse(build_bridge_response(in, reply));
    std::string joined;
    for (const auto& item : out["replies"]) {
        const std::string chunk = item["text"];
        EXPECT_LE(chunk.size(), kBridgeReplyMaxBytes);
        EXPECT_LE(item["text_with_mentions"].get<std::string>().size(), kBridgeReplyMaxBytes);
        joined += chunk;
    }
    EXPECT_EQ(joined, text);  // nothing lost, nothing split inside a code point (json::parse
                              // would have thrown on a broken sequence)
    EXPECT_GE(out["replies"].size(), 3u);
    EXPECT_TRUE(out["replies"][0]["text_with_mentions"].get<std::string>().starts_with("@老王 "));
}

}  // namespace
}  // namespace kayou::channels
