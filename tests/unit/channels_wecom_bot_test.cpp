#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "bot/channels/reply_text.hpp"
#include "bot/channels/wecom_bot.hpp"
#include "crypto/wx_msg_crypt.hpp"
#include "faq/decide.hpp"

namespace kayou::channels {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1700000000;

// The group text sample of the robot's receive-message doc (path/100719).
constexpr std::string_view kGroupText = R"({
    "msgid": "CAIQ16HMjQYY\/NGagIOAgAMgq4KM0AI=",
    "aibotid": "AIBOTID",
    "chatid": "CHATID",
    "chattype": "group",
    "from": {"userid": "USERID"},
    "response_url": "RESPONSEURL",
    "msgtype": "text",
    "text": {"content": "@RobotA hello robot"},
    "quote": {"msgtype": "text", "text": {"content": "这是今日的测试情况"}}
})";

WecomBotInbound decode_ok(std::string_view body, std::string_view bot_name = {}) {
    auto decoded = decode_wecom_bot_message(body, kNow, bot_name);
    EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().reason);
    return decoded.ok() ? *decoded : WecomBotInbound();
}

std::string group_text(std::string_view content) {
    json body = json::parse(kGroupText);
    body["text"]["content"] = std::string(content);
    return body.dump();
}

TEST(ChannelsWecomBot, DecodesGroupTextAndStripsMention) {
    const WecomBotInbound in = decode_ok(kGroupText);
    const dialogs::Message& m = in.message;
    EXPECT_EQ(in.kind, WecomBotKind::message);
    EXPECT_EQ(in.msg_type, "text");
    EXPECT_EQ(in.aibot_id, "AIBOTID");
    EXPECT_EQ(m.channel, dialogs::Channel::wecom_bot);
    EXPECT_EQ(m.chat_type, dialogs::ChatType::group);
    EXPECT_EQ(m.chat_id, "CHATID");
    EXPECT_EQ(m.sender_id, "USERID");
    EXPECT_EQ(m.reply_handle, "RESPONSEURL");
    EXPECT_TRUE(m.mentioned_bot);
    EXPECT_EQ(m.text, "hello robot");
    EXPECT_EQ(m.time, kNow);  // text messages carry no create_time
    EXPECT_EQ(m.dedupe_key, "wecom_bot:CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=");
    // The one streamed reply holds two whole legal answers (faq::kBothWholeBytes).
    EXPECT_EQ(m.answer_bytes, kWecomBotAnswerBytes);
    EXPECT_GE(m.answer_bytes, faq::kBothWholeBytes);
    EXPECT_LT(m.answer_bytes, kWecomStreamMaxBytes / 2);
}

TEST(ChannelsWecomBot, MentionFollowedByFourPerEmSpace) {
    EXPECT_EQ(decode_ok(group_text("@卡友小助手\u2005我想入会")).message.text, "我想入会");
    EXPECT_EQ(decode_ok(group_text("@卡友小助手 我想入会")).message.text, "我想入会");
    EXPECT_EQ(decode_ok(group_text("@卡友小助手")).message.text, "");
}

TEST(ChannelsWecomBot, ConfiguredNameWithSpacesAndOtherMentions) {
    // A robot name with a space: the first-token fallback would leave "Helper hi".
    EXPECT_EQ(decode_ok(group_text("@Kayou Helper hi"), "Kayou Helper").message.text, "hi");
    // Someone else mentioned first: only the robot's own mention goes.
    EXPECT_EQ(decode_ok(group_text("@张三 @卡友小助手\u2005帮他查进度"), "卡友小助手").message.text,
              "@张三 帮他查进度");
    // Configured name absent from the text (alias): fall back to the leading token.
    EXPECT_EQ(decode_ok(group_text("@小助手 进度"), "卡友小助手").message.text, "进度");
}

TEST(ChannelsWecomBot, SingleChatKeepsLeadingAt) {
    json body = json::parse(kGroupText);
    body.erase("chatid");
    body["chattype"] = "single";
    body["text"]["content"] = "@某人 的电话是多少";
    const WecomBotInbound in = decode_ok(body.dump());
    EXPECT_EQ(in.message.chat_type, dialogs::ChatType::single);
    EXPECT_EQ(in.message.chat_id, "USERID");
    EXPECT_TRUE(in.message.mentioned_bot);
    EXPECT_EQ(in.message.text, "@某人 的电话是多少");
}

TEST(ChannelsWecomBot, MixedMessageConcatenatesTextItems) {
    const WecomBotInbound in = decode_ok(R"({
        "msgid": "m2", "aibotid": "A", "chatid": "C", "chattype": "group",
        "from": {"userid": "U"}, "response_url": "R", "msgtype": "mixed",
        "mixed": {"msg_item": [
            {"msgtype": "text", "text": {"content": "@机器人 这是今日的测试情况"}},
            {"msgtype": "image", "image": {"url": "https://example/img"}},
            {"msgtype": "text", "text": {"content": "第二段"}},
            {"msgtype": "text"},
            "junk"
        ]}
    })");
    EXPECT_EQ(in.kind, WecomBotKind::message);
    EXPECT_EQ(in.message.text, "这是今日的测试情况\n第二段");
}

TEST(ChannelsWecomBot, VoiceImageFile) {
    const WecomBotInbound voice = decode_ok(R"({"msgid":"v","aibotid":"A","chattype":"single",
        "from":{"userid":"U"},"response_url":"R","msgtype":"voice",
        "voice":{"content":"这是语音转成文本的内容"}})");
    EXPECT_EQ(voice.kind, WecomBotKind::message);
    EXPECT_EQ(voice.message.text, "这是语音转成文本的内容");

    const WecomBotInbound image = decode_ok(R"({"msgid":"i","aibotid":"A","chattype":"single",
        "from":{"userid":"U"},"response_url":"R","msgtype":"image","image":{"url":"u"}})");
    EXPECT_EQ(image.kind, WecomBotKind::message);
    EXPECT_EQ(image.msg_type, "image");
    EXPECT_EQ(image.message.text, "");
    EXPECT_EQ(image.message.dedupe_key, "wecom_bot:i");

    EXPECT_EQ(decode_ok(R"({"msgid":"f","chattype":"single","from":{"userid":"U"},
        "msgtype":"file","file":{"url":"u"}})")
                  .kind,
              WecomBotKind::message);
    EXPECT_EQ(decode_ok(R"({"msgid":"x","from":{"userid":"U"},"msgtype":"newkind"})").kind,
              WecomBotKind::unsupported);
}

TEST(ChannelsWecomBot, StreamRefreshHasNoDedupeKey) {
    const WecomBotInbound in = decode_ok(R"({"msgid":"s1","aibotid":"A","chatid":"C",
        "chattype":"group","from":{"userid":"U"},"msgtype":"stream","stream":{"id":"STREAMID"}})");
    EXPECT_EQ(in.kind, WecomBotKind::stream_refresh);
    EXPECT_EQ(in.stream_id, "STREAMID");
    EXPECT_EQ(in.message.dedupe_key, "");
    auto missing = decode_wecom_bot_message(
        R"({"msgid":"s1","from":{"userid":"U"},"msgtype":"stream","stream":{}})", kNow);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, DecodeError::Kind::bad_request);
}

TEST(ChannelsWecomBot, EnterChatEvent) {
    const WecomBotInbound in = decode_ok(R"({"msgid":"e1","create_time":1700000123,
        "aibotid":"A","from":{"corpid":"wp","userid":"U"},"msgtype":"event",
        "event":{"eventtype":"enter_chat"}})");
    EXPECT_EQ(in.kind, WecomBotKind::event);
    EXPECT_EQ(in.event_type, "enter_chat");
    EXPECT_EQ(in.message.time, 1700000123);
    EXPECT_EQ(in.message.chat_type, dialogs::ChatType::single);
    EXPECT_EQ(in.message.dedupe_key, "wecom_bot:e1");
}

TEST(ChannelsWecomBot, StripsControlCharacters) {
    EXPECT_EQ(decode_ok(group_text("@R \u001d进度\u0001")).message.text, "进度");
}

TEST(ChannelsWecomBot, BadInputs) {
    const char* cases[] = {
        "",
        "not json",
        "[]",
        "\"string\"",
        R"({"aibotid":"A","from":{"userid":"U"},"msgtype":"text"})",  // no msgid
        R"({"msgid":"","from":{"userid":"U"},"msgtype":"text"})",     // empty msgid
        R"({"msgid":1,"from":{"userid":"U"},"msgtype":"text"})",      // msgid not string
        R"({"msgid":"m","msgtype":"text"})",                          // no from
        R"({"msgid":"m","from":"U","msgtype":"text"})",               // from not object
        R"({"msgid":"m","from":{"userid":"U"}})",                     // no msgtype
        R"({"msgid":"m","from":{"userid":"U"},"msgtype":"text","chattype":"group"})",  // no chatid
        R"({"msgid":"m","from":{"userid":"U"},"msgtype":"text","text":"x")",           // truncated
        "{\"msgid\":\"m\xff\",\"from\":{\"userid\":\"U\"},\"msgtype\":\"text\"}",      // bad UTF-8
    };
    for (const char* body : cases) {
        auto decoded = decode_wecom_bot_message(body, kNow);
        ASSERT_FALSE(decoded.ok()) << body;
        EXPECT_EQ(decoded.error().kind, DecodeError::Kind::bad_request) << body;
    }
    // Wrong types for optional parts read as absent rather than failing.
    const WecomBotInbound odd = decode_ok(
        R"({"msgid":"m","from":{"userid":"U"},"msgtype":"text","text":{"content":5},"response_url":7})");
    EXPECT_EQ(odd.message.text, "");
    EXPECT_EQ(odd.message.reply_handle, "");
}

// Nesting is bounded only by the 64 KiB body limit; parsing and destroying must not recurse.
TEST(ChannelsWecomBot, DeeplyNestedJsonDoesNotCrash) {
    const std::size_t depth = 30000;
    const std::string open_only(depth, '[');
    auto broken = decode_wecom_bot_message(open_only, kNow);
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().kind, DecodeError::Kind::bad_request);

    const std::string nested = R"({"msgid":"m","from":{"userid":"U"},"msgtype":"text",)"
                               R"("text":{"content":"hi"},"x":)" +
                               std::string(depth, '[') + std::string(depth, ']') + "}";
    ASSERT_LE(nested.size(), kMaxWecomBotBodyBytes);
    auto decoded = decode_wecom_bot_message(nested, kNow);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->message.text, "hi");
}

TEST(ChannelsWecomBot, Envelope) {
    auto encrypt = read_wecom_bot_envelope(R"({"encrypt":"sKqRbbiSUnDhFHOvPjtUMXwc+/=="})");
    ASSERT_TRUE(encrypt.ok());
    EXPECT_EQ(*encrypt, "sKqRbbiSUnDhFHOvPjtUMXwc+/==");
    EXPECT_FALSE(read_wecom_bot_envelope(R"({"encrypt":""})").ok());
    EXPECT_FALSE(read_wecom_bot_envelope(R"({"Encrypt":"x"})").ok());
    EXPECT_FALSE(read_wecom_bot_envelope(R"({"encrypt":5})").ok());
    EXPECT_FALSE(read_wecom_bot_envelope("<xml/>").ok());

    const std::string big = R"({"encrypt":")" + std::string(kMaxWecomBotBodyBytes, 'A') + "\"}";
    auto too_big = read_wecom_bot_envelope(big);
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().kind, DecodeError::Kind::too_large);
    EXPECT_EQ(http_status(too_big.error().kind), 413);
}

TEST(ChannelsWecomBot, StreamReply) {
    const json reply = json::parse(build_wecom_bot_stream_reply("sid-1", true, "**你好**\n第二行"));
    EXPECT_EQ(reply["msgtype"], "stream");
    EXPECT_EQ(reply["stream"]["id"], "sid-1");
    EXPECT_EQ(reply["stream"]["finish"], true);
    EXPECT_EQ(reply["stream"]["content"], "**你好**\n第二行");

    const json pending = json::parse(build_wecom_bot_stream_reply("sid-2", false, ""));
    EXPECT_EQ(pending["stream"]["finish"], false);
    EXPECT_EQ(pending["stream"]["content"], "");

    dialogs::Reply texts;
    texts.texts = {"第一段", "", "第二段\u0007"};
    const json joined = json::parse(build_wecom_bot_stream_reply("sid-3", texts));
    EXPECT_EQ(joined["stream"]["content"], "第一段\n\n第二段");
    EXPECT_EQ(joined["stream"]["finish"], true);
}

// Issue 17 item 4: stream.content is rendered as markdown; masked values must stay text.
TEST(ChannelsWecomBot, MaskedValuesNeverFormMarkdown) {
    dialogs::Reply reply;
    reply.texts = {"验证码已发送到 137****5342", "姓名：张*  身份证：3204**********1233",
                   "链接：https://kayou.test/join?t=a_b-c.d_e"};
    const std::string content =
        json::parse(build_wecom_bot_stream_reply("s", reply))["stream"]["content"];
    EXPECT_EQ(content.find('*'), std::string::npos) << content;
    EXPECT_NE(content.find("137＊＊＊＊5342"), std::string::npos) << content;
    EXPECT_NE(content.find("张＊"), std::string::npos) << content;
    EXPECT_NE(content.find("join?t=a_b-c.d_e"), std::string::npos) << content;
}

TEST(ChannelsWecomBot, StreamReplyCutAtLimitWithEmoji) {
    // 20477 bytes of ASCII + emoji: the emoji would cross the cut, so it goes whole.
    const std::string text = std::string(kWecomStreamMaxBytes - 3, 'a') + "🚚";
    const json reply = json::parse(build_wecom_bot_stream_reply("s", true, text));
    const std::string content = reply["stream"]["content"];
    EXPECT_LE(content.size(), kWecomStreamMaxBytes);
    EXPECT_EQ(content, std::string(kWecomStreamMaxBytes - 3, 'a') + "…");

    const std::string fits = std::string(kWecomStreamMaxBytes - 4, 'a') + "🚚";
    EXPECT_EQ(json::parse(build_wecom_bot_stream_reply("s", true, fits))["stream"]["content"],
              fits);
}

TEST(ChannelsWecomBot, StreamReplySurvivesInvalidUtf8) {
    const json reply = json::parse(build_wecom_bot_stream_reply("s", true, "ok\xff\xfe!"));
    EXPECT_EQ(reply["stream"]["content"], "ok!");
}

TEST(ChannelsWecomBot, EncryptedResponseUsesMsgsignature) {
    const std::string body =
        build_wecom_bot_encrypted_response("ENC+/=", "sig", "1700000000", "n1");
    const json parsed = json::parse(body);
    EXPECT_EQ(parsed.size(), 4u);
    EXPECT_EQ(parsed["encrypt"], "ENC+/=");
    EXPECT_EQ(parsed["msgsignature"], "sig");
    EXPECT_EQ(parsed["timestamp"], "1700000000");
    EXPECT_EQ(parsed["nonce"], "n1");
    EXPECT_EQ(body.find("msg_signature"), std::string::npos);
}

// Spec §6 V7 smart-robot case (receiveid ""), then a full request/response round trip.
TEST(ChannelsWecomBot, EncryptedRoundTripWithReceiveIdEmpty) {
    const auto crypt =
        crypto::WxMsgCrypt::create("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "");
    ASSERT_TRUE(crypt.has_value());
    auto v7 = read_wecom_bot_envelope(
        R"({"encrypt":"sKqRbbiSUnDhFHOvPjtUMXwcNQzHVFNeLGShu75XAxnlReSDiqIMxFSwaGouVQm/TLf+6IgUPvQBjguiS7rgiw=="})");
    ASSERT_TRUE(v7.ok());
    const auto v7_plain = crypt->decrypt(*v7);
    ASSERT_EQ(v7_plain.error, crypto::WxError::ok);
    EXPECT_EQ(v7_plain.message, R"({"msgtype":"text"})");
    // Decrypts fine but is not a usable message: no msgid, no sender.
    EXPECT_FALSE(decode_wecom_bot_message(v7_plain.message, kNow).ok());

    const std::string request_body = build_wecom_bot_encrypted_response(
        crypt->encrypt(kGroupText, "0123456789abcdef"), "", "", "");
    auto encrypt = read_wecom_bot_envelope(request_body);
    ASSERT_TRUE(encrypt.ok());
    const auto plain = crypt->decrypt(*encrypt);
    ASSERT_EQ(plain.error, crypto::WxError::ok);
    auto in = decode_wecom_bot_message(plain.message, kNow);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(in->message.text, "hello robot");

    dialogs::Reply reply;
    reply.texts = {"收到"};
    const std::string stream = build_wecom_bot_stream_reply("stream-" + in->msg_id, reply);
    const std::string encrypted = crypt->encrypt(stream);
    const std::string response = build_wecom_bot_encrypted_response(
        encrypted, crypto::wx_msg_signature("QDG6eK", "1700000000", "n", encrypted), "1700000000",
        "n");
    const json parsed = json::parse(response);
    EXPECT_TRUE(crypt->verify(
        parsed["timestamp"].get<std::string>(), parsed["nonce"].get<std::string>(),
        parsed["encrypt"].get<std::string>(), parsed["msgsignature"].get<std::string>()));
    const auto back = crypt->decrypt(parsed["encrypt"].get<std::string>());
    ASSERT_EQ(back.error, crypto::WxError::ok);
    EXPECT_EQ(json::parse(back.message)["stream"]["content"], "收到");
}

}  // namespace
}  // namespace kayou::channels
