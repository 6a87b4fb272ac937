#include <gtest/gtest.h>

#include <string>

#include "bot/channels/official_account.hpp"
#include "bot/channels/reply_text.hpp"
#include "bot/channels/wechat_xml.hpp"
#include "crypto/wx_msg_crypt.hpp"

namespace kayou::channels {
namespace {

using dialogs::Channel;
using dialogs::ChatType;

constexpr std::string_view kV3 =
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    "<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>";

std::string message_xml(std::string_view type, std::string_view extra) {
    std::string xml =
        "<xml><ToUserName><![CDATA[gh_acc]]></ToUserName><FromUserName><![CDATA[o_user]]>"
        "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[";
    xml.append(type).append("]]></MsgType>").append(extra).append("</xml>");
    return xml;
}

WeChatInbound decode_ok(std::string_view xml) {
    auto decoded = decode_oa_message(xml);
    EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().reason);
    return decoded.ok() ? *decoded : WeChatInbound();
}

TEST(ChannelsOfficialAccount, DecodesV3Text) {
    const WeChatInbound in = decode_ok(kV3);
    const dialogs::Message& m = in.message;
    EXPECT_EQ(in.kind, WeChatKind::text);
    EXPECT_EQ(in.account_id, "gh_10f6c3c3ac5a");
    EXPECT_EQ(in.msg_id, "6054768590064713728");
    EXPECT_EQ(m.channel, Channel::official_account);
    EXPECT_EQ(m.chat_type, ChatType::single);
    EXPECT_EQ(m.chat_id, "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    EXPECT_EQ(m.sender_id, "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    EXPECT_EQ(m.reply_handle, "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    EXPECT_TRUE(m.mentioned_bot);
    EXPECT_EQ(m.text, "abcdteT");
    EXPECT_EQ(m.time, 1409735668);
    EXPECT_FALSE(m.location.has_value());
    EXPECT_EQ(m.dedupe_key, "oa:oyORnuP8q7ou2gfYjqLzSIWZf0rs:6054768590064713728");
    EXPECT_TRUE(in.accepts_reply());
}

// P9: the same MsgId from two users must not collide.
TEST(ChannelsOfficialAccount, DedupeKeyIncludesSender) {
    std::string other(kV3);
    other.replace(other.find("oyORnuP8"), 8, "zzzzzzzz");
    EXPECT_NE(decode_ok(kV3).message.dedupe_key, decode_ok(other).message.dedupe_key);
    // Retries are byte-identical and give the same key.
    EXPECT_EQ(decode_ok(kV3).message.dedupe_key, decode_ok(kV3).message.dedupe_key);
}

TEST(ChannelsOfficialAccount, StripsControlCharactersFromText) {
    const WeChatInbound in = decode_ok(message_xml(
        "text", "<Content><![CDATA[进度\x1D查询\x01\t ok]]></Content><MsgId>1</MsgId>"));
    EXPECT_EQ(in.message.text, "进度查询\t ok");
}

TEST(ChannelsOfficialAccount, DecodesLocation) {
    const WeChatInbound in = decode_ok(message_xml(
        "location",
        "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale>"
        "<Label><![CDATA[位置信息]]></Label><MsgId>1234567890123456</MsgId>"));
    EXPECT_EQ(in.kind, WeChatKind::location);
    ASSERT_TRUE(in.message.location.has_value());
    EXPECT_DOUBLE_EQ(in.message.location->latitude, 23.134521);
    EXPECT_DOUBLE_EQ(in.message.location->longitude, 113.358803);
    EXPECT_EQ(in.message.location->label, "位置信息");
    EXPECT_EQ(in.scale, 20);
    EXPECT_EQ(in.message.text, "");
    EXPECT_EQ(in.message.dedupe_key, "oa:o_user:1234567890123456");
}

TEST(ChannelsOfficialAccount, RejectsBadCoordinates) {
    for (std::string_view coords :
         {"<Location_X>abc</Location_X><Location_Y>113.3</Location_Y>",
          "<Location_X>23.1</Location_X>", "<Location_X>91</Location_X><Location_Y>1</Location_Y>",
          "<Location_X>1</Location_X><Location_Y>-180.5</Location_Y>",
          "<Location_X>nan</Location_X><Location_Y>1</Location_Y>",
          "<Location_X>23.1x</Location_X><Location_Y>1</Location_Y>"}) {
        auto decoded =
            decode_oa_message(message_xml("location", std::string(coords) + "<MsgId>1</MsgId>"));
        ASSERT_FALSE(decoded.ok()) << coords;
        EXPECT_EQ(decoded.error().kind, DecodeError::Kind::bad_request);
    }
}

TEST(ChannelsOfficialAccount, SubscribeAndUnsubscribeEvents) {
    const WeChatInbound sub = decode_ok(message_xml(
        "event",
        "<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123]]></EventKey>"
        "<Ticket><![CDATA[TICKET]]></Ticket>"));
    EXPECT_EQ(sub.kind, WeChatKind::event);
    EXPECT_TRUE(sub.is_event("subscribe"));
    EXPECT_EQ(sub.event_key, "qrscene_123");
    EXPECT_EQ(sub.msg_id, "");
    EXPECT_EQ(sub.message.text, "");
    EXPECT_EQ(sub.message.dedupe_key, "oa:o_user:subscribe@1700000000");
    EXPECT_TRUE(sub.accepts_reply());

    const WeChatInbound unsub =
        decode_ok(message_xml("event", "<Event><![CDATA[unsubscribe]]></Event><EventKey/>"));
    EXPECT_TRUE(unsub.is_event("unsubscribe"));
    EXPECT_FALSE(unsub.accepts_reply());
    EXPECT_EQ(unsub.message.dedupe_key, "oa:o_user:unsubscribe@1700000000");
}

TEST(ChannelsOfficialAccount, LocationEvent) {
    const WeChatInbound in = decode_ok(
        message_xml("event",
                    "<Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude>"
                    "<Longitude>113.352425</Longitude><Precision>119.385040</Precision>"));
    EXPECT_TRUE(in.is_event("LOCATION"));
    EXPECT_FALSE(in.accepts_reply());  // ack with "success" only
    ASSERT_TRUE(in.message.location.has_value());
    EXPECT_DOUBLE_EQ(in.message.location->latitude, 23.137466);
    EXPECT_DOUBLE_EQ(in.message.location->longitude, 113.352425);
    EXPECT_DOUBLE_EQ(in.precision, 119.38504);
    // Same second as a subscribe, different key.
    EXPECT_EQ(in.message.dedupe_key, "oa:o_user:LOCATION@1700000000");
}

TEST(ChannelsOfficialAccount, ImageAndVoiceAreTextless) {
    const WeChatInbound image = decode_ok(
        message_xml("image",
                    "<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"
                    "<MsgId>11</MsgId>"));
    EXPECT_EQ(image.kind, WeChatKind::image);
    EXPECT_EQ(image.media_id, "m1");
    EXPECT_EQ(image.message.text, "");
    EXPECT_EQ(image.message.dedupe_key, "oa:o_user:11");

    const WeChatInbound voice = decode_ok(message_xml(
        "voice",
        "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>12</MsgId>"));
    EXPECT_EQ(voice.kind, WeChatKind::voice);
    EXPECT_EQ(voice.message.text, "");

    // With speech recognition enabled the transcript becomes the text.
    const WeChatInbound recognized = decode_ok(message_xml(
        "voice",
        "<MediaId>m3</MediaId><Recognition><![CDATA[我要入会]]></Recognition><MsgId>13</MsgId>"));
    EXPECT_EQ(recognized.message.text, "我要入会");

    EXPECT_EQ(decode_ok(message_xml("shortvideo", "<MsgId>14</MsgId>")).kind, WeChatKind::video);
    EXPECT_EQ(decode_ok(message_xml("miniprogrampage", "<MsgId>15</MsgId>")).kind,
              WeChatKind::other);
}

TEST(ChannelsOfficialAccount, MissingRequiredFields) {
    const char* cases[] = {
        "<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></"
        "xml>",
        "<xml><ToUserName>a</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><MsgType>text</MsgType></"
        "xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime></"
        "xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>12a</CreateTime>"
        "<MsgType>text</MsgType></xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName></FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>text</MsgType></xml>",
        "not xml",
    };
    for (const char* xml : cases) {
        auto decoded = decode_oa_message(xml);
        ASSERT_FALSE(decoded.ok()) << xml;
        EXPECT_EQ(decoded.error().kind, DecodeError::Kind::bad_request);
    }
}

TEST(ChannelsOfficialAccount, ErrorReasonsCarryNoContent) {
    auto decoded = decode_oa_message(message_xml(
        "location", "<Location_X>secret-openid-like</Location_X><Location_Y>1</Location_Y>"));
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().reason.find("secret"), std::string::npos);
    EXPECT_EQ(decoded.error().reason.find("o_user"), std::string::npos);
}

TEST(ChannelsOfficialAccount, EncryptedModeDetection) {
    auto encrypted = net::parse_target(
        "/wx/oa?signature=s&timestamp=1&nonce=2&openid=o&encrypt_type=aes&msg_signature=m");
    ASSERT_TRUE(encrypted.ok());
    EXPECT_TRUE(is_encrypted_oa_request(*encrypted));
    for (const char* plain :
         {"/wx/oa?signature=s&timestamp=1&nonce=2&echostr=e",
          "/wx/oa?signature=s&encrypt_type=raw&msg_signature=m",
          "/wx/oa?signature=s&encrypt_type=aes", "/wx/oa?msg_signature=m&timestamp=1"}) {
        auto target = net::parse_target(plain);
        ASSERT_TRUE(target.ok());
        EXPECT_FALSE(is_encrypted_oa_request(*target)) << plain;
    }
}

TEST(ChannelsOfficialAccount, ReadsSafeModeEnvelope) {
    auto envelope = read_oa_envelope(
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
        "<Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+Lr==]]>"
        "</Encrypt>\n</xml>");
    ASSERT_TRUE(envelope.ok());
    EXPECT_EQ(envelope->to_user, "gh_10f6c3c3ac5a");
    EXPECT_EQ(envelope->encrypt,
              "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+Lr==");
    EXPECT_EQ(envelope->agent_id, "");

    EXPECT_FALSE(read_oa_envelope("<xml><ToUserName>gh</ToUserName></xml>").ok());
    EXPECT_FALSE(read_oa_envelope("<xml><Encrypt>abc</Encrypt></xml>").ok());
    EXPECT_FALSE(
        read_oa_envelope("<xml><ToUserName>gh</ToUserName><Encrypt></Encrypt></xml>").ok());
    EXPECT_FALSE(read_oa_envelope("{\"encrypt\":\"x\"}").ok());
}

TEST(ChannelsOfficialAccount, TextReplySwapsUsers) {
    const WeChatInbound in = decode_ok(kV3);
    dialogs::Reply reply;
    reply.texts = {"您好！", "请问要办理什么业务？"};
    const auto xml = build_oa_text_reply(in, reply, 1700000001);
    ASSERT_TRUE(xml.has_value());
    EXPECT_EQ(*xml,
              "<xml><ToUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></ToUserName>"
              "<FromUserName><![CDATA[gh_10f6c3c3ac5a]]></FromUserName>"
              "<CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType>"
              "<Content><![CDATA[您好！\n\n请问要办理什么业务？]]></Content></xml>");
}

TEST(ChannelsOfficialAccount, EmptyReplyMeansAck) {
    const WeChatInbound in = decode_ok(kV3);
    EXPECT_FALSE(build_oa_text_reply(in, dialogs::Reply{}, 1).has_value());
    dialogs::Reply blank;
    blank.texts = {"", "\x01"};
    EXPECT_FALSE(build_oa_text_reply(in, blank, 1).has_value());
    EXPECT_EQ(kWeChatAck, "success");
}

TEST(ChannelsOfficialAccount, ReplyContentIsCdataSafe) {
    const WeChatInbound in = decode_ok(kV3);
    dialogs::Reply reply;
    reply.texts = {"model said ]]><xml>oops</xml>"};
    const auto xml = build_oa_text_reply(in, reply, 1);
    ASSERT_TRUE(xml.has_value());
    auto parsed = parse_wechat_xml(*xml);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->get("Content"), "model said ]]><xml>oops</xml>");
    EXPECT_EQ(parsed->get("ToUserName"), "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
}

// One passive reply = one message: long answers are cut at a code point boundary with "…".
TEST(ChannelsOfficialAccount, LongReplyTruncatedAtUtf8Boundary) {
    const WeChatInbound in = decode_ok(kV3);
    dialogs::Reply reply;
    // 2043 ASCII bytes, then a 4-byte emoji that would straddle the 2045-byte cut.
    reply.texts = {std::string(2043, 'a') + "🚚🚚"};
    const auto xml = build_oa_text_reply(in, reply, 1);
    ASSERT_TRUE(xml.has_value());
    auto parsed = parse_wechat_xml(*xml);
    ASSERT_TRUE(parsed.ok());
    const std::string_view content = parsed->get("Content");
    EXPECT_LE(content.size(), kWeChatReplyMaxBytes);
    EXPECT_EQ(content, std::string(2043, 'a') + "…");

    // Exactly at the limit: untouched.
    reply.texts = {std::string(2044, 'b') + "🚚"};
    parsed = parse_wechat_xml(*build_oa_text_reply(in, reply, 1));
    EXPECT_EQ(parsed->get("Content"), std::string(2044, 'b') + "🚚");
}

TEST(ChannelsOfficialAccount, EncryptedEnvelopeLayout) {
    EXPECT_EQ(build_encrypted_reply_xml("ENC+/=", "407518b7649e86ef23978113f92d27afa9296533",
                                        "1411525903", "461056294"),
              "<xml><Encrypt><![CDATA[ENC+/=]]></Encrypt>"
              "<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>"
              "<TimeStamp>1411525903</TimeStamp><Nonce><![CDATA[461056294]]></Nonce></xml>");
}

// The whole safe-mode path with vector V3 (tests/unit/crypto_wx_msg_crypt_test.cpp): envelope ->
// msg_signature -> decrypt -> decode, then the reply back through encrypt -> envelope, read again
// the way WeChat would.
TEST(ChannelsOfficialAccount, SafeModeEndToEndWithV3) {
    constexpr std::string_view kEncrypt =
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+"
        "LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQ"
        "HFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+"
        "h6tEDY"
        "sVticbSnyU8dKOIbgU6ux5VTjg3yt+"
        "WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy"
        "0VxpAe+77TszTfRd5RJSVO/"
        "HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1i"
        "xrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
    const auto crypt = crypto::WxMsgCrypt::create(
        "spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2");
    ASSERT_TRUE(crypt.has_value());

    const std::string body =
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
        "<Encrypt><![CDATA[" +
        std::string(kEncrypt) + "]]></Encrypt>\n</xml>";
    auto envelope = read_oa_envelope(body);
    ASSERT_TRUE(envelope.ok());
    ASSERT_TRUE(crypt->verify("1409735669", "1320562132", envelope->encrypt,
                              "5d197aaffba7e9b25a30732f161a50dee96bd5fa"));
    const auto plain = crypt->decrypt(envelope->encrypt);
    ASSERT_EQ(plain.error, crypto::WxError::ok);
    EXPECT_EQ(plain.message, kV3);

    auto in = decode_oa_message(plain.message);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(in->message.text, "abcdteT");
    EXPECT_EQ(in->message.dedupe_key, "oa:oyORnuP8q7ou2gfYjqLzSIWZf0rs:6054768590064713728");

    dialogs::Reply reply;
    reply.texts = {"已收到 ]]> 🚚"};
    const auto reply_xml = build_oa_text_reply(*in, reply, 1409735670);
    ASSERT_TRUE(reply_xml.has_value());
    const std::string encrypted = crypt->encrypt(*reply_xml, "0123456789abcdef");
    const std::string signature =
        crypto::wx_msg_signature("spamtest", "1409735670", "nonce1", encrypted);
    const std::string response =
        build_encrypted_reply_xml(encrypted, signature, "1409735670", "nonce1");

    auto fields = parse_wechat_xml(response);
    ASSERT_TRUE(fields.ok());
    EXPECT_EQ(fields->get("Encrypt"), encrypted);
    EXPECT_EQ(fields->get("TimeStamp"), "1409735670");
    EXPECT_TRUE(crypt->verify(fields->get("TimeStamp"), fields->get("Nonce"),
                              fields->get("Encrypt"), fields->get("MsgSignature")));
    const auto round_trip = crypt->decrypt(fields->get("Encrypt"));
    ASSERT_EQ(round_trip.error, crypto::WxError::ok);
    EXPECT_EQ(round_trip.message, *reply_xml);
    EXPECT_EQ(parse_wechat_xml(round_trip.message)->get("Content"), "已收到 ]]> 🚚");
}

}  // namespace
}  // namespace kayou::channels
