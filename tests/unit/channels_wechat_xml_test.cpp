#include <gtest/gtest.h>

#include <string>

#include "bot/channels/wechat_xml.hpp"

namespace kayou::channels {
namespace {

// Spec §6 V3: Tencent's OA sample plaintext, "\n" between elements.
constexpr std::string_view kV3 =
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    "<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>";

// §6 V4: WeCom official sample plaintext.
constexpr std::string_view kV4 =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
    "<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

// §6 V5: no CDATA at all, Chinese Content.
constexpr std::string_view kV5 =
    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
    "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
    "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

XmlFields parse_ok(std::string_view xml) {
    auto parsed = parse_wechat_xml(xml);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().reason);
    return parsed.ok() ? *parsed : XmlFields();
}

DecodeError::Kind parse_error(std::string_view xml) {
    auto parsed = parse_wechat_xml(xml);
    EXPECT_FALSE(parsed.ok()) << xml.substr(0, 80);
    return parsed.ok() ? DecodeError::Kind::unauthorized : parsed.error().kind;
}

TEST(ChannelsWechatXml, ParsesV3) {
    const XmlFields xml = parse_ok(kV3);
    ASSERT_EQ(xml.size(), 6u);
    EXPECT_EQ(xml.get("ToUserName"), "gh_10f6c3c3ac5a");
    EXPECT_EQ(xml.get("FromUserName"), "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    EXPECT_EQ(xml.get("CreateTime"), "1409735668");
    EXPECT_EQ(xml.get("MsgType"), "text");
    EXPECT_EQ(xml.get("Content"), "abcdteT");
    EXPECT_EQ(xml.get("MsgId"), "6054768590064713728");
    EXPECT_EQ(xml.fields()[0].name, "ToUserName");  // document order
    EXPECT_EQ(xml.fields()[5].name, "MsgId");
}

TEST(ChannelsWechatXml, ParsesV4) {
    const XmlFields xml = parse_ok(kV4);
    ASSERT_EQ(xml.size(), 7u);
    EXPECT_EQ(xml.get("ToUserName"), "wx5823bf96d3bd56c7");
    EXPECT_EQ(xml.get("FromUserName"), "mycreate");
    EXPECT_EQ(xml.get("CreateTime"), "1409659813");
    EXPECT_EQ(xml.get("Content"), "hello");
    EXPECT_EQ(xml.get("MsgId"), "4561255354251345929");
    EXPECT_EQ(xml.get("AgentID"), "218");
}

TEST(ChannelsWechatXml, ParsesV5WithoutCdata) {
    const XmlFields xml = parse_ok(kV5);
    ASSERT_EQ(xml.size(), 7u);
    EXPECT_EQ(xml.get("ToUserName"), "ww1436e0e65a779aee");
    EXPECT_EQ(xml.get("FromUserName"), "ChenJiaShun");
    EXPECT_EQ(xml.get("MsgType"), "text");
    EXPECT_EQ(xml.get("Content"), "你好");
    EXPECT_EQ(xml.get("Content").size(), 6u);
    EXPECT_EQ(xml.get("AgentID"), "1000002");
}

// P12: whitespace is trimmed outside CDATA only.
TEST(ChannelsWechatXml, TrimsOnlyOutsideCdata) {
    const XmlFields xml = parse_ok(
        "<xml>\n  <A>\n   <![CDATA[  two spaces\n]]>\n  </A>\n  <B>  plain text \n</B>"
        "<C>\t</C><D> x<![CDATA[ y ]]>z </D></xml>");
    EXPECT_EQ(xml.get("A"), "  two spaces\n");
    EXPECT_EQ(xml.get("B"), "plain text");
    EXPECT_EQ(xml.get("C"), "");
    EXPECT_EQ(xml.get("D"), "x y z");
}

// P11: control characters such as 0x1D pass the reader; the codecs strip them later.
TEST(ChannelsWechatXml, ToleratesControlCharacters) {
    const std::string xml = std::string("<xml><Content><![CDATA[a\x1D") + "b\x01]]></Content>" +
                            "<Other>c\x1D" + "d</Other></xml>";
    const XmlFields fields = parse_ok(xml);
    EXPECT_EQ(fields.get("Content"),
              "a\x1D"
              "b\x01");
    EXPECT_EQ(fields.get("Other"),
              "c\x1D"
              "d");
}

TEST(ChannelsWechatXml, DecodesEntitiesOutsideCdataOnly) {
    const XmlFields xml = parse_ok(
        "<xml><A>&lt;b&gt; &amp; &quot;q&quot; &apos;s&apos;</A>"
        "<B>&#21345;&#x53CB;&#x1F69A;</B>"
        "<C><![CDATA[&lt;kept&gt;]]></C>"
        "<D>AT&amp;T &unknown; & &#; &#xZZ; &#0; &#xD800; &#1114112;</D></xml>");
    EXPECT_EQ(xml.get("A"), "<b> & \"q\" 's'");
    EXPECT_EQ(xml.get("B"), "卡友🚚");
    EXPECT_EQ(xml.get("C"), "&lt;kept&gt;");
    // Unknown or invalid references are kept literally instead of failing the message.
    EXPECT_EQ(xml.get("D"), "AT&T &unknown; & &#; &#xZZ; &#0; &#xD800; &#1114112;");
}

TEST(ChannelsWechatXml, FlattensNestedElements) {
    const XmlFields xml = parse_ok(
        "<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[scancode_push]]></Event>"
        "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
        "<ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>"
        "<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[abc]]></PicMd5Sum>"
        "</item></PicList></SendPicsInfo><After>z</After></xml>");
    EXPECT_EQ(xml.get("ScanCodeInfo.ScanType"), "qrcode");
    EXPECT_EQ(xml.get("ScanCodeInfo.ScanResult"), "1");
    EXPECT_EQ(xml.get("SendPicsInfo.Count"), "1");
    EXPECT_EQ(xml.get("SendPicsInfo.PicList.item.PicMd5Sum"), "abc");
    EXPECT_FALSE(xml.has("ScanCodeInfo"));
    EXPECT_FALSE(xml.has("ScanType"));  // a nested name never shadows a top-level one
    EXPECT_EQ(xml.get("After"), "z");
}

TEST(ChannelsWechatXml, SkipsPrologCommentsAttributesAndSelfClosing) {
    const XmlFields xml = parse_ok(
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->"
        "<xml a=\"1\"><A x='>'>1</A><!-- <B>2</B> --><Empty/><E2 /><F>a<!--x-->b</F></xml>\n");
    EXPECT_EQ(xml.get("A"), "1");
    EXPECT_FALSE(xml.has("B"));
    ASSERT_TRUE(xml.has("Empty"));
    EXPECT_EQ(xml.get("Empty"), "");
    EXPECT_TRUE(xml.has("E2"));
    EXPECT_EQ(xml.get("F"), "ab");
}

TEST(ChannelsWechatXml, DuplicateNamesKeepFirstForGet) {
    const XmlFields xml = parse_ok("<xml><A>1</A><A>2</A></xml>");
    EXPECT_EQ(xml.size(), 2u);
    EXPECT_EQ(xml.get("A"), "1");
}

TEST(ChannelsWechatXml, EmptyRoot) {
    EXPECT_EQ(parse_ok("<xml></xml>").size(), 0u);
    EXPECT_EQ(parse_ok("<xml/>").size(), 0u);
}

TEST(ChannelsWechatXml, BrokenDocumentsAreErrors) {
    using Kind = DecodeError::Kind;
    const char* cases[] = {
        "",
        "   ",
        "hello",
        "<root><A>1</A></root>",                // wrong root
        "<xmlx><A>1</A></xmlx>",                // not <xml>
        "<xml><A>1</A>",                        // root never closed
        "<xml><A>1</xml>",                      // leaf never closed
        "<xml><A>1</B></xml>",                  // mismatched end tag
        "<xml><A><![CDATA[abc</A></xml>",       // unterminated CDATA
        "<xml><A>1</A><!-- never ends </xml>",  // unterminated comment
        "<xml><A x=\"1>v</A></xml>",            // unterminated attribute quote
        "<xml><A",                              // truncated tag
        "<xml><A>1</A></xml>trailing",          // garbage after the root
        "<xml><A>1</A></xml><xml></xml>",       // second root
        "<xml><>1</></xml>",                    // empty name
        "<xml><A>1</A</xml>",                   // unterminated end tag
        "<xml><A><B>1</B></xml>",               // container never closed
        "<?xml version=\"1.0\"",                // unterminated declaration
        "<xml><A>1</A></xm",                    // truncated root end
    };
    for (const char* xml : cases) {
        EXPECT_EQ(parse_error(xml), Kind::bad_request) << xml;
    }
}

TEST(ChannelsWechatXml, DeepNestingIsAnErrorNotACrash) {
    std::string deep = "<xml>";
    for (int i = 0; i < 20000; ++i) deep += "<a>";
    EXPECT_EQ(parse_error(deep), DecodeError::Kind::bad_request);

    std::string limit = "<xml>";
    for (std::size_t i = 0; i < kMaxXmlDepth; ++i) limit += "<a>";
    limit += "v";
    for (std::size_t i = 0; i < kMaxXmlDepth; ++i) limit += "</a>";
    limit += "</xml>";
    const XmlFields fields = parse_ok(limit);
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields.fields()[0].value, "v");
}

TEST(ChannelsWechatXml, TooManyFieldsIsAnError) {
    std::string xml = "<xml>";
    for (std::size_t i = 0; i <= kMaxXmlFields; ++i) xml += "<A>1</A>";
    xml += "</xml>";
    EXPECT_EQ(parse_error(xml), DecodeError::Kind::bad_request);
}

TEST(ChannelsWechatXml, SizeLimit) {
    std::string xml = "<xml><Content><![CDATA[";
    const std::string tail = "]]></Content></xml>";
    xml.append(kMaxXmlBytes - xml.size() - tail.size(), 'x');
    xml += tail;
    ASSERT_EQ(xml.size(), kMaxXmlBytes);
    EXPECT_EQ(parse_ok(xml).get("Content").size(), kMaxXmlBytes - 23 - tail.size());
    xml.insert(5, " ");
    EXPECT_EQ(parse_error(xml), DecodeError::Kind::too_large);
}

// P10: "]]>" inside a value must not end the CDATA section early.
TEST(ChannelsWechatXml, CdataTerminatorRoundTrips) {
    for (std::string_view value : {"a]]>b", "]]>", "]]>]]>", "x]]]>y", "]]", "]>", "end]]"}) {
        const std::string xml = XmlWriter().cdata("Content", value).finish();
        EXPECT_EQ(parse_ok(xml).get("Content"), value) << xml;
    }
    EXPECT_EQ(XmlWriter().cdata("C", "a]]>b").finish(),
              "<xml><C><![CDATA[a]]]]><![CDATA[>b]]></C></xml>");
}

TEST(ChannelsWechatXml, WriterNumbersAndDigits) {
    EXPECT_EQ(XmlWriter().number("CreateTime", 1409735668).number("N", -5).finish(),
              "<xml><CreateTime>1409735668</CreateTime><N>-5</N></xml>");
    EXPECT_EQ(XmlWriter().digits("TimeStamp", "1409659813").finish(),
              "<xml><TimeStamp>1409659813</TimeStamp></xml>");
    // Not all digits: CDATA keeps the document well formed.
    EXPECT_EQ(XmlWriter().digits("TimeStamp", "1<2").finish(),
              "<xml><TimeStamp><![CDATA[1<2]]></TimeStamp></xml>");
    EXPECT_EQ(XmlWriter().digits("TimeStamp", "").finish(),
              "<xml><TimeStamp><![CDATA[]]></TimeStamp></xml>");
}

TEST(ChannelsWechatXml, WriterOutputParsesBack) {
    const std::string xml = XmlWriter()
                                .cdata("ToUserName", "oyORnuP8q7ou2gfYjqLzSIWZf0rs")
                                .number("CreateTime", 1)
                                .cdata("Content", "  你好\n<b>&amp;</b> 🚚  ")
                                .finish();
    const XmlFields fields = parse_ok(xml);
    EXPECT_EQ(fields.get("ToUserName"), "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    EXPECT_EQ(fields.get("CreateTime"), "1");
    EXPECT_EQ(fields.get("Content"), "  你好\n<b>&amp;</b> 🚚  ");
}

}  // namespace
}  // namespace kayou::channels
