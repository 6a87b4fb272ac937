#include <gtest/gtest.h>

#include "net/query.hpp"

namespace kayou::net {
namespace {

TEST(NetQuery, SplitsPathAndParams) {
    auto target = parse_target("/wx/oa?signature=abc&timestamp=1409735669&nonce=1320562132");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->path, "/wx/oa");
    ASSERT_EQ(target->params.size(), 3u);
    EXPECT_EQ(target->get("signature"), "abc");
    EXPECT_EQ(target->get("timestamp"), "1409735669");
    EXPECT_EQ(target->get("nonce"), "1320562132");
    EXPECT_EQ(target->find("echostr"), nullptr);
    EXPECT_EQ(target->get("echostr"), "");
}

TEST(NetQuery, NoQueryMeansNoParams) {
    auto target = parse_target("/wx/wecom/bot");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->path, "/wx/wecom/bot");
    EXPECT_TRUE(target->params.empty());
    auto bare = parse_target("/x?");
    ASSERT_TRUE(bare.ok());
    EXPECT_EQ(bare->path, "/x");
    EXPECT_TRUE(bare->params.empty());
}

// Spec V4 GET: the echostr arrives with %2F, %2B and %3D%3D, and must decode to the exact base64.
TEST(NetQuery, DecodesV4EchostrExactly) {
    auto target = parse_target(
        "/wx/wecom/app?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589"
        "&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%"
        "2B"
        "4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(
        target->get("echostr"),
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==");
}

// P7: a form decoder would turn '+' into ' ' and corrupt base64.
TEST(NetQuery, LiteralPlusStaysPlus) {
    auto target = parse_target("/wx?echostr=ab+cd+%2B==&x=a%20b");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->get("echostr"), "ab+cd++==");
    EXPECT_EQ(target->get("x"), "a b");
}

TEST(NetQuery, FirstDuplicateWins) {
    auto target = parse_target("/p?nonce=1&nonce=2&a=x&nonce=3");
    ASSERT_TRUE(target.ok());
    ASSERT_EQ(target->params.size(), 2u);
    EXPECT_EQ(target->get("nonce"), "1");
    EXPECT_EQ(target->params[1].first, "a");
}

TEST(NetQuery, KeyWithoutValueAndEmptySegments) {
    auto target = parse_target("/p?&&flag&a=&b==c&&");
    ASSERT_TRUE(target.ok());
    ASSERT_EQ(target->params.size(), 3u);
    ASSERT_NE(target->find("flag"), nullptr);
    EXPECT_EQ(*target->find("flag"), "");
    EXPECT_TRUE(target->has("a"));
    EXPECT_EQ(target->get("a"), "");
    EXPECT_EQ(target->get("b"), "=c");  // only the first '=' separates
}

TEST(NetQuery, MalformedEscapesAreRejected) {
    for (const char* bad : {"/p?a=%zz", "/p?a=%4", "/p?a=%", "/p?a=1%2", "/p?%g1=1", "/p?a=%%41"}) {
        auto target = parse_target(bad);
        ASSERT_FALSE(target.ok()) << bad;
        EXPECT_EQ(target.error().kind, channels::DecodeError::Kind::bad_request) << bad;
        EXPECT_EQ(http_status(target.error().kind), 400);
    }
}

TEST(NetQuery, KeysAreDecodedToo) {
    auto target = parse_target("/p?msg%5Fsignature=x");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->get("msg_signature"), "x");
}

TEST(NetQuery, PathIsRawAndFragmentDropped) {
    auto target = parse_target("/wx%2Foa?a=1#frag?b=2");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->path, "/wx%2Foa");
    ASSERT_EQ(target->params.size(), 1u);
    EXPECT_FALSE(target->has("b"));
}

TEST(NetQuery, DecodesUtf8AndNulBytes) {
    auto target = parse_target("/p?q=%E5%8D%A1%E5%8F%8B&z=%00");
    ASSERT_TRUE(target.ok());
    EXPECT_EQ(target->get("q"), "卡友");
    EXPECT_EQ(target->get("z"), std::string_view("\0", 1));
}

TEST(NetQuery, TooManyParamsRejected) {
    std::string target = "/p?";
    for (std::size_t i = 0; i <= kMaxQueryParams; ++i) target += "k" + std::to_string(i) + "=v&";
    auto parsed = parse_target(target);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().kind, channels::DecodeError::Kind::bad_request);

    // Exactly the limit is fine, and duplicates do not count.
    std::string at_limit = "/p?";
    for (std::size_t i = 0; i < kMaxQueryParams; ++i) at_limit += "k" + std::to_string(i) + "=v&";
    at_limit += "k0=again";
    EXPECT_TRUE(parse_target(at_limit).ok());
}

TEST(NetQuery, PercentDecodeHelper) {
    EXPECT_EQ(percent_decode("a%2Bb+c"), "a+b+c");
    EXPECT_EQ(percent_decode("%e5%8d%a1"), "卡");
    EXPECT_FALSE(percent_decode("%G0").has_value());
    EXPECT_EQ(percent_decode(""), "");
}

}  // namespace
}  // namespace kayou::net
