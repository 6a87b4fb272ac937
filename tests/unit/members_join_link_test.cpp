// Signed join links, application numbers and verification codes: the pure parts of members/.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "crypto/hash.hpp"
#include "members/application_store.hpp"
#include "members/chat_binding.hpp"
#include "members/join_link.hpp"
#include "members/phone_verification.hpp"

namespace kayou::members {
namespace {

constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef";

std::string crypto_mac(const std::string& payload) { return crypto::hmac_sha256(kKey, payload); }

JoinLinkClaims claims(std::int64_t expires = 2000) { return {expires, "n0nceN0nce16abcd"}; }

TEST(JoinLink, RoundTripsTheClaims) {
    const auto token = sign_join_token(kKey, claims());
    auto verified = verify_join_token(kKey, token, 1000);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->expires, 2000);
    EXPECT_EQ(verified->nonce, "n0nceN0nce16abcd");
    EXPECT_EQ(join_link_claim_key("kayou:", verified->nonce),
              "kayou:joinlink:{n0nceN0nce16abcd}:used");
}

// Issue 17: a link posted in a group names nobody, so whoever opens it cannot act as the
// driver who asked for it.
TEST(JoinLink, CarriesNoChatIdentity) {
    const auto token = sign_join_token(kKey, claims());
    const auto payload = base64url_decode(token.substr(0, token.find('.')));
    ASSERT_TRUE(payload);
    EXPECT_EQ(*payload, R"({"e":2000,"n":"n0nceN0nce16abcd"})");
}

TEST(JoinLink, NonceMustBeAPlainKeyName) {
    const std::vector<std::string> bad{
        "", "short", "has space 123456", "abc}def{12345678", "ab:cd12345678", std::string(65, 'a')};
    for (const auto& nonce : bad)
        EXPECT_FALSE(verify_join_token(kKey, sign_join_token(kKey, {2000, nonce}), 1000)) << nonce;
    EXPECT_TRUE(verify_join_token(kKey, sign_join_token(kKey, {2000, "abcdEFGH"}), 1000));
}

TEST(JoinLink, TokensSignedWithARequesterStillVerifyButNameNobody) {
    // What kayou signed before issue 17: {"c","s","e","n"}. Same key, still within its 30 min.
    const std::string payload =
        base64url_encode(R"({"c":"bridge","s":"wxid_li","e":2000,"n":"abcd1234"})");
    const std::string token = payload + "." + base64url_encode(crypto_mac(payload));
    auto verified = verify_join_token(kKey, token, 1000);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->nonce, "abcd1234");
}

TEST(JoinLink, TokenIsUrlSafe) {
    const auto token = sign_join_token(kKey, {2000, "Zz09aZ9zzZ9aZ09a"});
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
    const auto other = sign_join_token(kKey, {2000, "otherNonce123456"});
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

TEST(BindCode, EightCharactersOfTheUnambiguousAlphabet) {
    std::set<std::string> seen;
    for (int i = 0; i < 500; ++i) {
        const auto code = random_bind_code();
        ASSERT_EQ(code.size(), 9u) << code;
        ASSERT_EQ(code[4], '-') << code;
        auto normalized = normalize_bind_code(code);
        ASSERT_TRUE(normalized) << code;
        for (char c : *normalized) ASSERT_NE(kBindCodeAlphabet.find(c), std::string_view::npos);
        seen.insert(*normalized);
    }
    EXPECT_EQ(seen.size(), 500u);
}

TEST(BindCode, NormalizesWhatADriverTypes) {
    struct Case {
        std::string_view typed;
        std::optional<std::string> expected;
    };
    const Case cases[] = {
        {"ABCD-2345", "ABCD2345"},
        {"abcd-2345", "ABCD2345"},
        {"abcd 2345", "ABCD2345"},
        {"ABCD2345", "ABCD2345"},
        {" a b c d 2 3 4 5 ", "ABCD2345"},
        {"ABCD-234", std::nullopt},
        {"ABCD-23456", std::nullopt},
        {"ABCD-2340", std::nullopt},  // 0 is not in the alphabet (O/0 look alike)
        {"ABCI-2345", std::nullopt},
        {"", std::nullopt},
        {"绑定码", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(normalize_bind_code(c.typed), c.expected) << c.typed;
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
