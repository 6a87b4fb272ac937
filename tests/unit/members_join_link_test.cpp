// Signed join links, application numbers and verification codes: the pure parts of members/.
#include <gtest/gtest.h>

#include <set>

#include "members/application_store.hpp"
#include "members/join_link.hpp"
#include "members/phone_verification.hpp"

namespace kayou::members {
namespace {

constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef";

JoinLinkClaims claims(std::int64_t expires = 2000) {
    return {"bridge", "wxid_li", expires, "n0nce"};
}

TEST(JoinLink, RoundTripsTheClaims) {
    const auto token = sign_join_token(kKey, claims());
    auto verified = verify_join_token(kKey, token, 1000);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->channel, "bridge");
    EXPECT_EQ(verified->sender, "wxid_li");
    EXPECT_EQ(verified->expires, 2000);
    EXPECT_EQ(verified->driver(), "bridge:wxid_li");
}

TEST(JoinLink, TokenIsUrlSafe) {
    const auto token = sign_join_token(kKey, {"bridge", "wxid_李/+?&=", 2000, "x"});
    for (char c : token)
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
            << token;
    EXPECT_TRUE(verify_join_token(kKey, token, 1000));
}

TEST(JoinLink, ExpiresAtTheExpiryInstant) {
    const auto token = sign_join_token(kKey, claims(2000));
    EXPECT_TRUE(verify_join_token(kKey, token, 1999));
    EXPECT_FALSE(verify_join_token(kKey, token, 2000));
    EXPECT_FALSE(verify_join_token(kKey, token, 999999));
}

TEST(JoinLink, WrongKeyOrAnyChangedByteFails) {
    const auto token = sign_join_token(kKey, claims());
    EXPECT_FALSE(verify_join_token("another-key-another-key-another!!", token, 1000));
    for (std::size_t i = 0; i < token.size(); ++i) {
        std::string changed = token;
        changed[i] = changed[i] == 'A' ? 'B' : 'A';
        if (changed == token) continue;
        EXPECT_FALSE(verify_join_token(kKey, changed, 1000)) << "byte " << i;
    }
}

TEST(JoinLink, ForgedPayloadWithOldSignatureFails) {
    const auto token = sign_join_token(kKey, claims());
    const auto other = sign_join_token(kKey, {"bridge", "wxid_wang", 2000, "n0nce"});
    const std::string forged = other.substr(0, other.find('.')) + token.substr(token.find('.'));
    EXPECT_FALSE(verify_join_token(kKey, forged, 1000));
}

TEST(JoinLink, GarbageIsRefused) {
    for (std::string_view bad :
         {"", ".", "abc", "abc.", ".abc", "a.b.c", "%%%.%%%", "eyJjIjoiYiJ9.AAAA"})
        EXPECT_FALSE(verify_join_token(kKey, bad, 1000)) << bad;
    EXPECT_FALSE(verify_join_token(kKey, std::string(5000, 'a') + ".b", 1000));
}

TEST(JoinLink, Base64UrlRoundTrips) {
    for (std::string bytes : {std::string(), std::string("a"), std::string("\xff\xfe\xfd", 3),
                              std::string(100, '\0')}) {
        auto decoded = base64url_decode(base64url_encode(bytes));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, bytes);
    }
    EXPECT_FALSE(base64url_decode("ab+c"));
}

TEST(ApplicationId, IsRhPlusBeijingDatePlusSixDigits) {
    using namespace std::chrono;
    // 2026-11-22 17:00 UTC is 2026-11-23 01:00 in Beijing: the Beijing date names the day.
    const sys_seconds late = sys_days{2026y / 11 / 22} + hours(17);
    EXPECT_EQ(format_application_id(late, 42), "RH20261123000042");
    const sys_seconds morning = sys_days{2026y / 11 / 22} + hours(1);
    EXPECT_EQ(format_application_id(morning, 1), "RH20261122000001");
    EXPECT_EQ(format_application_id(morning, 999999), "RH20261122999999");
}

TEST(ApplicationId, BeijingMinuteText) {
    using namespace std::chrono;
    const sys_seconds t = sys_days{2026y / 1 / 5} + hours(2) + minutes(7) + seconds(59);
    EXPECT_EQ(beijing_minute_text(t), "2026-01-05 10:07");
}

TEST(ApplicationId, StatusTexts) {
    EXPECT_EQ(status_text("received"), "已受理，审核中");
    EXPECT_EQ(status_text("approved"), "已通过");
    EXPECT_EQ(status_text("rejected"), "未通过");
    EXPECT_EQ(status_text("???"), "处理中");
}

TEST(VerificationCode, SixDigitsAndVaried) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const auto code = random_code();
        ASSERT_EQ(code.size(), 6u);
        for (char c : code) ASSERT_TRUE(c >= '0' && c <= '9') << code;
        seen.insert(code);
    }
    EXPECT_GT(seen.size(), 190u);  // 200 draws from 10^6: a repeat is rare, many are a bug
}

}  // namespace
}  // namespace kayou::members
