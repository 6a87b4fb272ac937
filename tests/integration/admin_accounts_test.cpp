// Issue 13 "accounts instead of static tokens", end to end: two real kayou processes on one real
// redis-server. The city admin (the config's bootstrap token) creates a district reviewer's
// account on one process; its token, shown once, works on both; the token is stored only as its
// SHA-256; a revoked account gets 401 on both processes within a second; bad input changes
// nothing; every change is in the audit stream. While Redis is unreachable an account token is
// answered 503 (never accepted: it might have been revoked meanwhile), config tokens still work.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "crypto/hash.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/reference.hpp"

namespace kayou::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kCityToken = "accounts-test-city";
constexpr const char* kEditorToken = "accounts-test-editor";

std::string admin_yaml() {
    return "admin:\n  tokens:\n"
           "    - name: city-chen\n      token_sha256: " +
           crypto::sha256_hex(kCityToken) +
           "\n      role: city_admin\n"
           "    - name: editor-config\n      token_sha256: " +
           crypto::sha256_hex(kEditorToken) + "\n      role: faq_editor\n";
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

struct Answer {
    int status = 0;
    json body;
    std::string raw;
};

Answer call(const KayouProcess& kayou, const std::string& method, const std::string& target,
            const std::string& token, const std::string& body = {}) {
    auto result = http_request(kayou.port(), method, target, body, bearer(token), 5s);
    return {result.status, json::parse(result.body, nullptr, false), result.body};
}

json accounts(const KayouProcess& kayou) {
    auto listed = call(kayou, "GET", "/admin/api/accounts", kCityToken);
    EXPECT_EQ(listed.status, 200) << listed.raw;
    return listed.body;
}

const json* find_account(const json& list, const std::string& id) {
    for (const auto& a : list["accounts"])
        if (a.value("id", "") == id) return &a;
    return nullptr;
}

// Polls `done` on both processes until it holds for both or the deadline passes; the time it
// took for the slower one.
template <class Done>
std::optional<std::chrono::milliseconds> until_both(const KayouProcess& a, const KayouProcess& b,
                                                    std::chrono::milliseconds deadline, Done done) {
    const auto start = std::chrono::steady_clock::now();
    bool a_done = false, b_done = false;
    while (std::chrono::steady_clock::now() - start < deadline) {
        if (!a_done) a_done = done(a);
        if (!b_done) b_done = done(b);
        if (a_done && b_done)
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start);
    }
    return std::nullopt;
}

TEST(AdminAccounts, CreateUseRevokeOnTwoProcessesWithinASecond) {
    RedisServer redis;
    KayouProcess a({.redis_port = redis.port(), .extra_yaml = admin_yaml()});
    KayouProcess b({.redis_port = redis.port(), .extra_yaml = admin_yaml()});
    ASSERT_TRUE(a.wait_ready()) << a.log();
    ASSERT_TRUE(b.wait_ready()) << b.log();

    // Only the city admin manages accounts.
    EXPECT_EQ(http_request(a.port(), "GET", "/admin/api/accounts").status, 401);
    EXPECT_EQ(call(a, "GET", "/admin/api/accounts", kEditorToken).status, 403);
    EXPECT_EQ(
        call(a, "POST", "/admin/api/accounts", kEditorToken, R"({"name":"x","role":"faq_editor"})")
            .status,
        403);
    const auto empty = accounts(a);
    EXPECT_TRUE(empty["accounts"].empty()) << empty;
    ASSERT_EQ(empty["config_accounts"].size(), 2u) << empty;
    EXPECT_EQ(empty["config_accounts"][0]["name"], "city-chen");
    EXPECT_EQ(empty["districts"].size(), 7u);

    // Bad input: a clear Chinese message, nothing stored.
    for (const char* bad :
         {R"({"name":"王审核","role":"district_admin"})",
          R"({"name":"王审核","role":"district_admin","districts":["nowhere"]})",
          R"({"name":"王审核","role":"city_admin"})", R"({"name":"","role":"faq_editor"})",
          R"({"name":"city-chen","role":"faq_editor"})", "not json"}) {
        auto refused = call(a, "POST", "/admin/api/accounts", kCityToken, bad);
        EXPECT_TRUE(refused.status == 400 || refused.status == 409) << bad << refused.raw;
        EXPECT_FALSE(refused.body.value("message", "").empty()) << bad << refused.raw;
    }
    EXPECT_TRUE(accounts(a)["accounts"].empty());

    auto created = call(a, "POST", "/admin/api/accounts", kCityToken,
                        R"({"name":"王审核","role":"district_admin","districts":["wujin"]})");
    ASSERT_EQ(created.status, 201) << created.raw;
    const std::string token = created.body.value("token", "");
    const std::string id = created.body.value("id", "");
    ASSERT_EQ(token.rfind("kya_", 0), 0u) << created.raw;
    EXPECT_EQ(created.body["created_by"], "city-chen");
    EXPECT_EQ(created.body["districts"][0]["name"], "武进区");
    EXPECT_FALSE(created.body.contains("token_sha256"));
    // A second account of the same name is refused.
    EXPECT_EQ(call(a, "POST", "/admin/api/accounts", kCityToken,
                   R"({"name":"王审核","role":"faq_editor"})")
                  .status,
              409);

    // At once on the creating process; on the other within its poll.
    auto me = call(a, "GET", "/admin/api/me", token);
    ASSERT_EQ(me.status, 200) << me.raw;
    EXPECT_EQ(me.body["name"], "王审核");
    EXPECT_EQ(me.body["role"], "district_admin");
    ASSERT_TRUE(until_both(a, b, 3s, [&](const KayouProcess& k) {
        return call(k, "GET", "/admin/api/me", token).status == 200;
    }));
    EXPECT_EQ(call(b, "GET", "/admin/api/review/queue?district=wujin", token).status, 200);
    EXPECT_EQ(call(b, "GET", "/admin/api/review/queue?district=tianning", token).status, 403);
    EXPECT_EQ(call(b, "GET", "/admin/api/accounts", token).status, 403);

    // Listed without the token or its hash; the token is in Redis only as its SHA-256.
    const auto listed = call(b, "GET", "/admin/api/accounts", kCityToken);
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.raw.find(token), std::string::npos);
    EXPECT_EQ(listed.raw.find(crypto::sha256_hex(token)), std::string::npos);
    const json* shown = find_account(listed.body, id);
    ASSERT_TRUE(shown) << listed.raw;
    EXPECT_EQ((*shown)["status"], "active");
    EXPECT_EQ((*shown)["role"], "district_admin");
    EXPECT_GT((*shown)["created_at"].get<std::int64_t>(), 0);
    const auto stored = redis.command("HGETALL kayou:admin:{accounts}:all");
    EXPECT_EQ(stored.find(token), std::string::npos);
    EXPECT_NE(stored.find(crypto::sha256_hex(token)), std::string::npos) << stored;

    // "Last used" reaches the list (flushed every 5 s).
    bool used = false;
    const auto used_deadline = std::chrono::steady_clock::now() + 10s;
    while (!used && std::chrono::steady_clock::now() < used_deadline) {
        const json* now_shown = nullptr;
        const auto list = accounts(a);
        now_shown = find_account(list, id);
        used = now_shown && (*now_shown)["last_used_at"].is_number();
    }
    EXPECT_TRUE(used);

    // Revoke on a: 401 on a when the call returns, and on b within a second.
    const auto revoke_start = std::chrono::steady_clock::now();
    auto revoked = call(a, "POST", "/admin/api/accounts/" + id + "/revoke", kCityToken);
    ASSERT_EQ(revoked.status, 200) << revoked.raw;
    EXPECT_EQ(revoked.body["changed"], true);
    EXPECT_EQ(call(a, "GET", "/admin/api/me", token).status, 401);
    const auto took = until_both(a, b, 3s, [&](const KayouProcess& k) {
        return call(k, "GET", "/admin/api/me", token).status == 401;
    });
    ASSERT_TRUE(took);
    const auto since_revoke = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - revoke_start);
    EXPECT_LT(since_revoke.count(), 1000) << "revocation took " << since_revoke.count() << " ms";
    RecordProperty("revocation_ms", static_cast<int>(since_revoke.count()));
    EXPECT_EQ(call(b, "GET", "/admin/api/review/queue?district=wujin", token).status, 401);

    // Again: nothing changes; unknown or malformed ids: 404. Config tokens keep working.
    auto again = call(b, "POST", "/admin/api/accounts/" + id + "/revoke", kCityToken);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body["changed"], false);
    EXPECT_EQ(call(a, "POST", "/admin/api/accounts/acc_AAAAAAAAAAAA/revoke", kCityToken).status,
              404);
    EXPECT_EQ(call(a, "POST", "/admin/api/accounts/..%2F/revoke", kCityToken).status, 404);
    EXPECT_EQ(call(a, "GET", "/admin/api/me", kEditorToken).status, 200);
    const auto after = accounts(b);
    const json* gone = find_account(after, id);
    ASSERT_TRUE(gone);
    EXPECT_EQ((*gone)["status"], "revoked");
    EXPECT_EQ((*gone)["revoked_by"], "city-chen");
    // A revoked name may be given again (someone new in the same post).
    EXPECT_EQ(call(b, "POST", "/admin/api/accounts", kCityToken,
                   R"({"name":"王审核","role":"legal_desk"})")
                  .status,
              201);

    const auto audit = redis.command("XRANGE kayou:audit - +");
    EXPECT_NE(audit.find("account.create"), std::string::npos) << audit;
    EXPECT_NE(audit.find("account.revoke"), std::string::npos) << audit;
    EXPECT_NE(audit.find(id), std::string::npos);
    EXPECT_EQ(audit.find(token), std::string::npos);
    EXPECT_EQ(a.log().find(token), std::string::npos);
    EXPECT_EQ(b.log().find(token), std::string::npos);
}

TEST(AdminAccounts, AccountTokensWaitWhileRedisIsDownConfigTokensDoNot) {
    RedisServer redis;
    KayouProcess kayou({.redis_port = redis.port(), .extra_yaml = admin_yaml()});
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    auto created = call(kayou, "POST", "/admin/api/accounts", kCityToken,
                        R"({"name":"李编辑","role":"faq_editor"})");
    ASSERT_EQ(created.status, 201) << created.raw;
    const std::string token = created.body.value("token", "");
    ASSERT_EQ(call(kayou, "GET", "/admin/api/me", token).status, 200);

    redis.kill9();
    // Within the 3 s confirmation window plus a poll: 503 with Retry-After, never 200.
    int status = 200;
    std::string retry_after;
    const auto deadline = std::chrono::steady_clock::now() + 8s;
    while (status != 503 && std::chrono::steady_clock::now() < deadline) {
        auto result = http_request(kayou.port(), "GET", "/admin/api/me", {}, bearer(token), 5s);
        status = result.status;
        retry_after = result.header("retry-after");
    }
    EXPECT_EQ(status, 503) << kayou.log();
    EXPECT_EQ(retry_after, "1");
    EXPECT_EQ(call(kayou, "GET", "/admin/api/me", kEditorToken).status, 200);
    EXPECT_EQ(call(kayou, "GET", "/admin/api/me", "kya_" + std::string(40, 'z')).status, 503);
    EXPECT_EQ(call(kayou, "GET", "/admin/api/me", "not-a-token").status, 401);
}

// The city admin's 账号 tab in Debian's chromium at 1366x768 and 390x844: Chinese errors for bad
// input, the token shown once and working, the API's own message for a taken name, revocation
// behind a confirmation (Escape cancels) and effective at once. No console errors, no CSP
// violations, no sideways scrolling, no English error text on the page.
TEST(AdminAccounts, CityAdminManagesAccountsInTheConsolePage) {
    if (reference_dir().empty()) GTEST_SKIP() << "npm ci in tests/reference first";
    RedisServer redis;
    KayouProcess kayou({.redis_port = redis.port(), .extra_yaml = admin_yaml()});
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    for (const std::string mode : {"desktop", "phone"}) {
        const std::string name = mode == "phone" ? "钟楼区审核员小周" : "武进区审核员老王";
        const auto page = reference_accounts_console(kayou.port(), kCityToken, mode, name);
        ASSERT_FALSE(page.contains("failure")) << page.dump() << kayou.log();
        EXPECT_EQ(page["tabs"], json::array({"待审核 0", "周转池 0", "统计", "短信告警 0", "宣传员",
                                             "内容", "漏答", "账号", "工单", "答复时效"}))
            << page.dump();
        EXPECT_TRUE(page["districts_shown_first"].get<bool>());  // 区县审核员 is preselected
        EXPECT_TRUE(page["districts_hidden_for_editor"].get<bool>());
        EXPECT_EQ(page["empty_error"], "请填写姓名");
        EXPECT_EQ(page["district_error"], "区县审核员至少要选一个区县");
        EXPECT_EQ(page["district_choices"].size(), 7u);
        const std::string token = page["token"];
        EXPECT_EQ(token.rfind("kya_", 0), 0u) << page.dump();
        EXPECT_NE(page["token_box"].get<std::string>().find("只显示这一次"), std::string::npos);
        EXPECT_EQ(page["token_focus"], "account-token");
        EXPECT_EQ(page["me_before"], 200);
        EXPECT_NE(page["same_name_error"].get<std::string>().find("同名"), std::string::npos)
            << page.dump();
        EXPECT_TRUE(page["token_still_shown"].get<bool>());
        EXPECT_FALSE(page["page_has_token"].get<bool>());
        bool listed = false;
        for (const auto& card : page["cards"]) {
            const std::string text = card;
            if (text.find(name) == std::string::npos) continue;
            listed = true;
            EXPECT_NE(text.find("区县审核员"), std::string::npos) << text;
            EXPECT_NE(text.find("武进区"), std::string::npos) << text;
            EXPECT_NE(text.find("由 city-chen 建立于"), std::string::npos) << text;
        }
        EXPECT_TRUE(listed) << page.dump();
        EXPECT_NE(page["confirm"].get<std::string>().find(name), std::string::npos);
        EXPECT_EQ(page["confirm_focus"], "revoke-confirm-yes");
        EXPECT_EQ(page["me_after_cancel"], 200);  // 取消 revokes nothing
        EXPECT_NE(page["status"].get<std::string>().find(name), std::string::npos);
        EXPECT_EQ(page["me_after"], 401);
        for (const auto& card : page["active_after"])
            EXPECT_EQ(card.get<std::string>().find(name), std::string::npos);
        bool revoked = false;
        for (const auto& card : page["revoked_after"])
            revoked = revoked || card.get<std::string>().find(name) != std::string::npos;
        EXPECT_TRUE(revoked) << page.dump();
        EXPECT_EQ(page["error"], "");
        EXPECT_EQ(page["refused"], json::array({json::array({409, "/admin/api/accounts"})}))
            << page.dump();
        EXPECT_EQ(page["console"], json::array()) << page.dump();
        EXPECT_EQ(page["csp"], json::array()) << page.dump();
        EXPECT_LE(page["overflow"].get<int>(), 0) << "the page scrolls sideways at " << mode;
        const std::string text = page["page_text"];
        for (const char* leak : {"wujin", "district_admin", "name taken", "kya_", "acc_"})
            EXPECT_EQ(text.find(leak), std::string::npos) << leak << " on the page: " << text;
    }
}

}  // namespace
}  // namespace kayou::test
