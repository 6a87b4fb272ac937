#include <gtest/gtest.h>

#include <string>

#include "bot/channels/wechat_xml.hpp"
#include "bot/channels/wecom_app.hpp"

namespace kayou::channels {
namespace {

// Spec §6 V4 plaintext (WeCom official sample).
constexpr std::string_view kV4 =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
    "<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

// §6 V5: no CDATA, Chinese body.
constexpr std::string_view kV5 =
    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
    "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
    "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

// §6 V4 POST Encrypt, as it sits in the envelope.
constexpr std::string_view kV4Encrypt =
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/"
    "0lWfrf0QADHHhGd3QczcdCUpj911"
    "L3vg3W/"
    "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLx"
    "AUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+"
    "BCA9"
    "nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+"
    "/u"
    "h9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

TEST(ChannelsWecomApp, DecodesV4) {
    auto in = decode_wecom_app_message(kV4);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(in->message.channel, dialogs::Channel::wecom_app);
    EXPECT_EQ(in->message.chat_type, dialogs::ChatType::single);
    EXPECT_EQ(in->message.chat_id, "mycreate");
    EXPECT_EQ(in->message.sender_id, "mycreate");
    EXPECT_EQ(in->message.text, "hello");
    EXPECT_EQ(in->message.time, 1409659813);
    EXPECT_EQ(in->account_id, "wx5823bf96d3bd56c7");
    EXPECT_EQ(in->agent_id, "218");
    EXPECT_EQ(in->message.dedupe_key, "wecom_app:mycreate:4561255354251345929");
}

TEST(ChannelsWecomApp, DecodesV5WithoutCdata) {
    auto in = decode_wecom_app_message(kV5);
    ASSERT_TRUE(in.ok());
    EXPECT_EQ(in->message.text, "你好");
    EXPECT_EQ(in->message.sender_id, "ChenJiaShun");
    EXPECT_EQ(in->agent_id, "1000002");
    EXPECT_EQ(in->message.dedupe_key, "wecom_app:ChenJiaShun:1456453720");
}

TEST(ChannelsWecomApp, LocationMessage) {
    auto in = decode_wecom_app_message(
        "<xml><ToUserName>corp</ToUserName><FromUserName>zhangsan</FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType>location</MsgType>"
        "<Location_X>31.2304</Location_X><Location_Y>121.4737</Location_Y><Scale>15</Scale>"
        "<Label><![CDATA[上海市]]></Label><MsgId>99</MsgId><AgentID>1</AgentID></xml>");
    ASSERT_TRUE(in.ok());
    ASSERT_TRUE(in->message.location.has_value());
    EXPECT_DOUBLE_EQ(in->message.location->latitude, 31.2304);
    EXPECT_DOUBLE_EQ(in->message.location->longitude, 121.4737);
    EXPECT_EQ(in->message.location->label, "上海市");
    EXPECT_EQ(in->scale, 15);
}

TEST(ChannelsWecomApp, EnterAgentEvent) {
    auto in = decode_wecom_app_message(
        "<xml><ToUserName>corp</ToUserName><FromUserName>lisi</FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event>"
        "<EventKey></EventKey><AgentID>1</AgentID></xml>");
    ASSERT_TRUE(in.ok());
    EXPECT_TRUE(in->is_event("enter_agent"));
    EXPECT_TRUE(in->accepts_reply());
    EXPECT_EQ(in->message.dedupe_key, "wecom_app:lisi:enter_agent@1700000000");
}

TEST(ChannelsWecomApp, ReadsEnvelope) {
    const std::string body =
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>"
        "<Encrypt><![CDATA[" +
        std::string(kV4Encrypt) + "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
    auto envelope = read_wecom_envelope(body);
    ASSERT_TRUE(envelope.ok());
    EXPECT_EQ(envelope->to_user, "wx5823bf96d3bd56c7");
    EXPECT_EQ(envelope->agent_id, "218");
    EXPECT_EQ(envelope->encrypt, kV4Encrypt);  // byte for byte: msg_signature covers it

    auto no_agent =
        read_wecom_envelope("<xml><ToUserName>corp</ToUserName><Encrypt>abc</Encrypt></xml>");
    ASSERT_TRUE(no_agent.ok());
    EXPECT_EQ(no_agent->agent_id, "");
    EXPECT_FALSE(read_wecom_envelope("<xml><ToUserName>corp</ToUserName></xml>").ok());
}

TEST(ChannelsWecomApp, ReplyGoesFromCorpToMember) {
    auto in = decode_wecom_app_message(kV4);
    ASSERT_TRUE(in.ok());
    dialogs::Reply reply;
    reply.texts = {"收到"};
    const auto xml = build_wecom_app_text_reply(*in, reply, 1409659814);
    ASSERT_TRUE(xml.has_value());
    auto parsed = parse_wechat_xml(*xml);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->get("ToUserName"), "mycreate");
    EXPECT_EQ(parsed->get("FromUserName"), "wx5823bf96d3bd56c7");
    EXPECT_EQ(parsed->get("CreateTime"), "1409659814");
    EXPECT_EQ(parsed->get("MsgType"), "text");
    EXPECT_EQ(parsed->get("Content"), "收到");
    EXPECT_FALSE(build_wecom_app_text_reply(*in, dialogs::Reply{}, 1).has_value());
}

}  // namespace
}  // namespace kayou::channels
