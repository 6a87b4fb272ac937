// Console accounts without sockets (bot/admin/accounts.hpp, bot/admin/auth.hpp): what a creation
// request may hold, who may revoke whom, the stored record, and how authorize() treats account
// tokens — revoked at once, 503 (never accepted) when Redis has not confirmed them lately.
#include <gtest/gtest.h>

#include "bot/admin/accounts.hpp"
#include "bot/admin/auth.hpp"
#include "crypto/hash.hpp"

namespace kayou::bot::admin {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::vector<std::string> kDistricts{"wujin", "tianning", "jingkai"};
const std::vector<std::string> kTaken{"city-chen", "王芳"};

TEST(AdminAccounts, CreationRequestsTable) {
    struct Case {
        const char* body;
        int status;  // 0 = accepted
        const char* error;
    };
    const Case cases[] = {
        {R"({"name":"李娜","role":"faq_editor"})", 0, ""},
        {R"({"name":"  张伟 ","role":"district_admin","districts":["wujin","wujin","jingkai"]})", 0,
         ""},
        {R"({"name":"刘律师","role":"legal_desk","districts":[]})", 0, ""},
        {R"([])", 400, "body must be a JSON object"},
        {R"({"role":"faq_editor"})", 400, "name is required"},
        {R"({"name":"   ","role":"faq_editor"})", 400, "name is required"},
        {R"({"name":7,"role":"faq_editor"})", 400, "name is required"},
        {R"({"name":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三","role":"faq_editor"})",
         400, "name too long"},
        {R"({"name":"a\nb","role":"faq_editor"})", 400, "name must be one line"},
        {R"({"name":"王芳","role":"faq_editor"})", 409, "name taken"},
        {R"({"name":"city-chen","role":"legal_desk"})", 409, "name taken"},
        {R"({"name":"x","role":"superuser"})", 400,
         "role must be district_admin, faq_editor or legal_desk"},
        {R"({"name":"x"})", 400, "role must be district_admin, faq_editor or legal_desk"},
        {R"({"name":"x","role":"city_admin"})", 400, "city_admin accounts are not created here"},
        {R"({"name":"x","role":"district_admin"})", 400, "a district_admin needs districts"},
        {R"({"name":"x","role":"district_admin","districts":[]})", 400,
         "a district_admin needs districts"},
        {R"({"name":"x","role":"district_admin","districts":["武进区"]})", 400, "unknown district"},
        {R"({"name":"x","role":"district_admin","districts":"wujin"})", 400,
         "districts must be a list"},
        {R"({"name":"x","role":"faq_editor","districts":["wujin"]})", 400,
         "only a district_admin has districts"},
    };
    for (const auto& c : cases) {
        const auto checked = check_new_account(json::parse(c.body), kDistricts, kTaken);
        if (c.status == 0) {
            ASSERT_TRUE(checked.account) << c.body << " → " << checked.refusal.error;
            continue;
        }
        ASSERT_FALSE(checked.account) << c.body;
        EXPECT_EQ(checked.refusal.status, c.status) << c.body;
        EXPECT_EQ(checked.refusal.error, c.error) << c.body;
        EXPECT_FALSE(checked.refusal.message.empty()) << c.body;
        // The page shows `message`: Chinese, never the English error.
        EXPECT_NE(checked.refusal.message, checked.refusal.error) << c.body;
    }
    const auto trimmed = check_new_account(
        json::parse(
            R"({"name":"  张伟 ","role":"district_admin","districts":["wujin","wujin","jingkai"]})"),
        kDistricts, kTaken);
    ASSERT_TRUE(trimmed.account);
    EXPECT_EQ(trimmed.account->name, "张伟");
    EXPECT_EQ(trimmed.account->role, Role::district_admin);
    EXPECT_EQ(trimmed.account->districts, (std::vector<std::string>{"wujin", "jingkai"}));
}

TEST(AdminAccounts, NobodyRevokesHimself) {
    AccountRecord target;
    target.id = "acc_AAAAAAAAAAAA";
    const Principal city{"city-chen", Role::city_admin, {}, ""};
    EXPECT_FALSE(check_revoke(city, target));
    const Principal self{"李娜", Role::city_admin, {}, "acc_AAAAAAAAAAAA"};
    const auto refused = check_revoke(self, target);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 409);
    const Principal editor{"李娜", Role::faq_editor, {}, "acc_BBBBBBBBBBBB"};
    ASSERT_TRUE(check_revoke(editor, target));
    EXPECT_EQ(check_revoke(editor, target)->status, 403);
}

TEST(AdminAccounts, TokensAndIds) {
    const auto a = new_account_token();
    const auto b = new_account_token();
    EXPECT_NE(a, b);
    EXPECT_EQ(a.rfind(std::string(kAccountTokenPrefix), 0), 0u);
    EXPECT_EQ(a.size(), kAccountTokenPrefix.size() + 40);
    const auto id = new_account_id();
    EXPECT_TRUE(valid_account_id(id)) << id;
    for (const char* bad : {"", "acc_", "acc_short", "acc_AAAAAAAAAAA/", "xyz_AAAAAAAAAAAA",
                            "acc_AAAAAAAAAAAAA", "acc_AAAAAA..AAAA"})
        EXPECT_FALSE(valid_account_id(bad)) << bad;
}

TEST(AdminAccounts, StoredRecordRoundTripsAndPublicJsonHasNoHash) {
    AccountRecord a;
    a.id = "acc_AAAAAAAAAAAA";
    a.name = "张伟";
    a.role = Role::district_admin;
    a.districts = {"wujin", "gone"};
    a.token_sha256 = crypto::sha256_hex("kya_x");
    a.created_by = "city-chen";
    a.created_at = 1'790'000'000;
    const auto back = parse_stored(a.id, stored_json(a));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->name, a.name);
    EXPECT_EQ(back->role, a.role);
    EXPECT_EQ(back->districts, a.districts);
    EXPECT_EQ(back->token_sha256, a.token_sha256);
    EXPECT_EQ(back->created_by, a.created_by);
    EXPECT_EQ(back->created_at, a.created_at);
    EXPECT_TRUE(back->active());

    for (const char* bad :
         {"", "[]", "{\"name\":\"x\"}", R"({"name":"x","role":"root","token_sha256":"00"})",
          R"({"name":"x","role":"faq_editor","token_sha256":"00"})"})
        EXPECT_FALSE(parse_stored("acc_AAAAAAAAAAAA", bad)) << bad;

    a.last_used_at = 1'790'000'100;
    const auto shown = public_json(a, {{"wujin", "武进区"}});
    EXPECT_FALSE(shown.dump().find(a.token_sha256) != std::string::npos) << shown.dump();
    EXPECT_EQ(shown["districts"][0]["name"], "武进区");
    EXPECT_EQ(shown["districts"][1]["name"], "gone");
    EXPECT_EQ(shown["status"], "active");
    EXPECT_EQ(shown["last_used_at"], 1'790'000'100);
    EXPECT_TRUE(shown["revoked_at"].is_null());
    a.revoked_at = 1'790'000'200;
    EXPECT_EQ(public_json(a, {})["status"], "revoked");
    // A revoked account gives authorize() nothing.
    EXPECT_TRUE(account_tokens({a}).empty());
}

net::HttpRequest with_token(const std::string& token) {
    net::HttpRequest request;
    request.headers.emplace_back("authorization", "Bearer " + token);
    return request;
}

int status_of(const std::variant<Principal, net::HttpResponse>& result) {
    if (std::holds_alternative<Principal>(result)) return 200;
    return std::get<net::HttpResponse>(result).status;
}

TEST(AdminAccounts, AuthorizeAccountsBesideConfigTokens) {
    auto now = std::chrono::steady_clock::time_point(100s);
    Authenticator auth({{"city-chen", crypto::sha256_hex("city-secret"), "city_admin", {}}},
                       [&now] { return now; });
    const std::string token = "kya_" + std::string(40, 'a');
    AccountRecord a;
    a.id = "acc_AAAAAAAAAAAA";
    a.name = "李娜";
    a.role = Role::faq_editor;
    a.token_sha256 = crypto::sha256_hex(token);

    // Accounts not enabled (no watcher): an account token is just unknown.
    EXPECT_EQ(status_of(auth.authorize(with_token(token), {Role::faq_editor})), 401);

    auth.enable_accounts(3000ms);
    // Enabled, never loaded: neither accepted nor refused.
    EXPECT_EQ(status_of(auth.authorize(with_token(token), {Role::faq_editor})), 503);
    // Config tokens and tokens that are not account-shaped never depend on Redis.
    EXPECT_EQ(status_of(auth.authorize(with_token("city-secret"), {Role::city_admin})), 200);
    EXPECT_EQ(status_of(auth.authorize(with_token("wrong"), {Role::city_admin})), 401);

    auth.set_accounts(account_tokens({a}));
    const auto ok = auth.authorize(with_token(token), {Role::faq_editor});
    ASSERT_EQ(status_of(ok), 200);
    EXPECT_EQ(std::get<Principal>(ok).account_id, a.id);
    EXPECT_EQ(std::get<Principal>(ok).name, "李娜");
    EXPECT_EQ(status_of(auth.authorize(with_token(token), {Role::legal_desk})), 403);
    EXPECT_EQ(
        status_of(auth.authorize(with_token("kya_" + std::string(40, 'b')), {Role::faq_editor})),
        401);
    const auto used = auth.take_used();
    ASSERT_EQ(used.size(), 1u);  // three uses of one account: one entry
    EXPECT_EQ(used[0].first, a.id);
    EXPECT_TRUE(auth.take_used().empty());

    // Not confirmed for longer than max_age: 503, not the stale snapshot.
    now += 3001ms;
    EXPECT_EQ(status_of(auth.authorize(with_token(token), {Role::faq_editor})), 503);
    EXPECT_EQ(status_of(auth.authorize(with_token("city-secret"), {Role::city_admin})), 200);
    auth.confirm_accounts();
    EXPECT_EQ(status_of(auth.authorize(with_token(token), {Role::faq_editor})), 200);

    // Revoked: gone from the next snapshot → 401 at once.
    a.revoked_at = 1;
    auth.set_accounts(account_tokens({a}));
    EXPECT_EQ(status_of(auth.authorize(with_token(token), {Role::faq_editor})), 401);
}

}  // namespace
}  // namespace kayou::bot::admin
