// Promoter and event links (members/promoters.hpp) and the attribution a minted join link
// carries (members/join_link.hpp): the pure parts, table-driven.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "crypto/hash.hpp"
#include "members/join_link.hpp"
#include "members/promoters.hpp"

namespace kayou::members {
namespace {

constexpr std::string_view kKey = "promo-key-0123456789abcdef012345";

TEST(PromoterId, AcceptsOnlyTheReadableAlphabet) {
    struct Case {
        std::string text;
        bool ok;
    };
    for (const auto& c : std::vector<Case>{{"P7K3QX", true},
                                           {"P22222", true},
                                           {"PZZZZZ", true},
                                           {"P7K3Q", false},
                                           {"P7K3QXX", false},
                                           {"Q7K3QX", false},
                                           {"P7K3Q0", false},  // 0 and O are confused
                                           {"P7K3QO", false},
                                           {"P7K3Q1", false},
                                           {"P7K3QI", false},
                                           {"p7k3qx", false},
                                           {"P7K3Q}", false},
                                           {"", false}})
        EXPECT_EQ(is_promoter_id(c.text), c.ok) << c.text;
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const auto id = new_promoter_id();
        EXPECT_TRUE(is_promoter_id(id)) << id;
        seen.insert(id);
    }
    EXPECT_GT(seen.size(), 190u);  // random, not a counter
}

TEST(PromoterName, RefusesEmptyLongAndControlCharacters) {
    EXPECT_FALSE(promoter_name_problem("张师傅"));
    EXPECT_FALSE(promoter_name_problem("2026年武进物流园入会宣传日"));
    std::string thirty;
    for (int i = 0; i < 30; ++i) thirty += "宣";
    EXPECT_FALSE(promoter_name_problem(thirty));
    EXPECT_TRUE(promoter_name_problem(""));
    EXPECT_TRUE(promoter_name_problem("张\n师傅"));
    std::string long_name;
    for (int i = 0; i < 31; ++i) long_name += "宣";
    EXPECT_TRUE(promoter_name_problem(long_name));
}

TEST(PromoToken, RoundTripsAndIsDeterministic) {
    const PromoClaims claims{"P7K3QX", 2000};
    const auto token = sign_promo_token(kKey, claims);
    EXPECT_EQ(token, sign_promo_token(kKey, claims));  // a reprinted QR is the same QR
    auto verified = verify_promo_token(kKey, token, 1000);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->promoter, "P7K3QX");
    EXPECT_EQ(verified->expires, 2000);
    const auto payload = base64url_decode(token.substr(0, token.find('.')));
    ASSERT_TRUE(payload);
    EXPECT_EQ(*payload, R"({"e":2000,"p":"P7K3QX"})");
    // Short enough for a small QR code: 16-byte MAC.
    EXPECT_EQ(base64url_decode(token.substr(token.find('.') + 1))->size(), 16u);
    EXPECT_LT(token.size(), 70u);
}

TEST(PromoToken, RefusesWhatWasNotSignedOrHasExpired) {
    const auto token = sign_promo_token(kKey, {"P7K3QX", 2000});
    const std::string payload = token.substr(0, token.find('.'));
    auto forged = [&](const std::string& json) {
        const std::string p = base64url_encode(json);
        return p + "." + base64url_encode(crypto::hmac_sha256(kKey, p).substr(0, 16));
    };
    struct Case {
        std::string name;
        std::string token;
        std::int64_t now;
    };
    for (const auto& c : std::vector<Case>{
             {"expired", token, 2000},
             {"other key", sign_promo_token("another-key-0123456789abcdef0123", {"P7K3QX", 2000}),
              1000},
             {"changed id",
              base64url_encode(R"({"e":2000,"p":"P7K3QY"})") + token.substr(token.find('.')), 1000},
             {"no mac", payload, 1000},
             {"empty", "", 1000},
             {"full mac", payload + "." + base64url_encode(crypto::hmac_sha256(kKey, payload)),
              1000},
             {"bad id", forged(R"({"e":2000,"p":"../x"})"), 1000},
             {"no expiry", forged(R"({"p":"P7K3QX"})"), 1000},
             {"not json", forged("P7K3QX"), 1000},
             {"too long", std::string(600, 'a') + "." + token.substr(token.find('.') + 1), 1000}})
        EXPECT_FALSE(verify_promo_token(kKey, c.token, c.now)) << c.name;
    // A join link signed with the same key is no promo link (no "p" without a nonce check).
    EXPECT_FALSE(
        verify_promo_token(kKey, sign_join_token(kKey, {2000, "n0nceN0nce16abcd", ""}), 1000));
}

TEST(JoinLinkAttribution, CarriesThePromoterIdSignedOrNothing) {
    JoinLinkClaims claims{2000, "n0nceN0nce16abcd", "P7K3QX"};
    const auto token = sign_join_token(kKey, claims);
    auto verified = verify_join_token(kKey, token, 1000);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->promoter, "P7K3QX");
    // Without a promoter the token is byte for byte what it was before attribution existed.
    const auto plain = sign_join_token(kKey, {2000, "n0nceN0nce16abcd", ""});
    EXPECT_EQ(*base64url_decode(plain.substr(0, plain.find('.'))),
              R"({"e":2000,"n":"n0nceN0nce16abcd"})");
    EXPECT_EQ(verify_join_token(kKey, plain, 1000)->promoter, "");
    // A signed but malformed promoter id is refused, never stored.
    EXPECT_FALSE(
        verify_join_token(kKey, sign_join_token(kKey, {2000, "n0nceN0nce16abcd", "x}"}), 1000));
}

}  // namespace
}  // namespace kayou::members
