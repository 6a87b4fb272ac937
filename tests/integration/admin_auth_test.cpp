// Admin authentication without sockets: bearer tokens matched by SHA-256, 401 vs 403, district
// scope, and the config checks on admin tokens.
#include <gtest/gtest.h>

#include "bot/admin/auth.hpp"
#include "bot/config.hpp"
#include "crypto/hash.hpp"

namespace kayou::bot::admin {
namespace {

std::vector<AdminTokenConfig> tokens() {
    return {{"editor-li", crypto::sha256_hex("editor-secret"), "faq_editor", {}},
            {"wujin-zhao", crypto::sha256_hex("wujin-secret"), "district_admin", {"武进区"}},
            {"city-chen", crypto::sha256_hex("city-secret"), "city_admin", {}}};
}

net::HttpRequest with_auth(std::string value) {
    net::HttpRequest request;
    request.headers.emplace_back("authorization", std::move(value));
    return request;
}

TEST(AdminAuth, BearerTokenRoleAndStatus) {
    Authenticator auth(tokens());
    auto missing = auth.authorize(net::HttpRequest{}, {Role::faq_editor});
    ASSERT_TRUE(std::holds_alternative<net::HttpResponse>(missing));
    const auto& unauthorized = std::get<net::HttpResponse>(missing);
    EXPECT_EQ(unauthorized.status, 401);
    bool challenge = false;
    for (const auto& [name, value] : unauthorized.headers)
        challenge = challenge || (name == "WWW-Authenticate" && value.rfind("Bearer", 0) == 0);
    EXPECT_TRUE(challenge);

    for (auto header : {"Basic ZWRpdG9yLXNlY3JldA==", "Bearer", "Bearer wrong-secret",
                        "bearer editor-secret", "Bearer editor-secret "}) {
        auto result = auth.authorize(with_auth(header), {Role::faq_editor});
        ASSERT_TRUE(std::holds_alternative<net::HttpResponse>(result)) << header;
        EXPECT_EQ(std::get<net::HttpResponse>(result).status, 401) << header;
    }

    auto wrong_role = auth.authorize(with_auth("Bearer editor-secret"), {Role::legal_desk});
    ASSERT_TRUE(std::holds_alternative<net::HttpResponse>(wrong_role));
    EXPECT_EQ(std::get<net::HttpResponse>(wrong_role).status, 403);

    auto ok =
        auth.authorize(with_auth("Bearer editor-secret"), {Role::legal_desk, Role::faq_editor});
    ASSERT_TRUE(std::holds_alternative<Principal>(ok));
    EXPECT_EQ(std::get<Principal>(ok).name, "editor-li");
    EXPECT_EQ(std::get<Principal>(ok).role, Role::faq_editor);
}

TEST(AdminAuth, DistrictScope) {
    Authenticator auth(tokens());
    auto district = auth.identify("wujin-secret");
    ASSERT_TRUE(district);
    EXPECT_TRUE(district->may_act_on_district("武进区"));
    EXPECT_FALSE(district->may_act_on_district("天宁区"));
    auto city = auth.identify("city-secret");
    ASSERT_TRUE(city);
    EXPECT_TRUE(city->may_act_on_district("天宁区"));
    EXPECT_FALSE(auth.identify(""));
}

TEST(AdminAuth, ConfigRejectsBadTokens) {
    const std::string good_hash = crypto::sha256_hex("x");
    auto config =
        parse_config("admin:\n  tokens:\n    - name: a\n      token_sha256: " + good_hash +
                     "\n      role: legal_desk\n");
    ASSERT_EQ(config.admin.tokens.size(), 1u);
    EXPECT_EQ(config.admin.tokens[0].role, "legal_desk");
    EXPECT_THROW(parse_config("admin:\n  tokens:\n    - name: a\n      token_sha256: abc\n"
                              "      role: legal_desk\n"),
                 ConfigError);
    EXPECT_THROW(parse_config("admin:\n  tokens:\n    - name: a\n      token_sha256: " + good_hash +
                              "\n      role: superuser\n"),
                 ConfigError);
    EXPECT_THROW(parse_config("admin:\n  tokens:\n    - name: a\n      token_sha256: " + good_hash +
                              "\n      role: district_admin\n"),
                 ConfigError);
    EXPECT_THROW(parse_config("admin:\n  tokens:\n    - name: a\n      token_sha256: " + good_hash +
                              "\n      role: faq_editor\n      password: x\n"),
                 ConfigError);
    EXPECT_THROW(parse_config("privacy:\n  data_key: short\n"), ConfigError);
}

}  // namespace
}  // namespace kayou::bot::admin
