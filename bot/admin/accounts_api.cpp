#include "bot/admin/accounts_api.hpp"

#include <nlohmann/json.hpp>

#include "bot/admin/account_store.hpp"
#include "bot/admin/accounts.hpp"
#include "bot/admin/json_response.hpp"
#include "crypto/hash.hpp"
#include "members/districts.hpp"

namespace kayou::bot::admin {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view kCollection = "/admin/api/accounts";
constexpr std::string_view kItemPrefix = "/admin/api/accounts/";

net::HttpResponse refuse(const AccountRefusal& refusal) {
    return json_response(refusal.status, {{"error", refusal.error}, {"message", refusal.message}});
}

net::HttpResponse refuse(int status, std::string error, std::string message) {
    return refuse(AccountRefusal{status, std::move(error), std::move(message)});
}

}  // namespace

AccountsApi::AccountsApi(const Authenticator& auth, AuditLog& audit, AccountStore& store,
                         AccountWatcher& watcher, const members::DistrictCatalog& districts,
                         Clock now)
    : auth_(auth),
      audit_(audit),
      store_(store),
      watcher_(watcher),
      districts_(districts),
      now_(now) {}

void AccountsApi::install(net::HttpServer& server) {
    server.route(std::string(kCollection), [this](net::HttpRequest& r) { return collection(r); });
    server.route_prefix(std::string(kItemPrefix), [this](net::HttpRequest& r) { return item(r); });
}

asio::awaitable<net::HttpResponse> AccountsApi::collection(net::HttpRequest& request) {
    auto authorized = auth_.authorize(request, {Role::city_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal who = std::get<Principal>(authorized);
    std::vector<std::pair<std::string, std::string>> names;
    std::vector<std::string> ids;
    for (const auto& d : districts_.all()) {
        names.emplace_back(d.id, d.name);
        ids.push_back(d.id);
    }
    if (request.method == "GET") {
        const auto accounts = co_await store_.all();
        json list = json::array();
        for (const auto& a : accounts) list.push_back(public_json(a, names));
        json config = json::array();
        for (const auto& p : auth_.config_principals())
            config.push_back({{"name", p.name}, {"role", std::string(role_name(p.role))}});
        json all = json::array();
        for (const auto& [id, name] : names) all.push_back({{"id", id}, {"name", name}});
        co_return json_response(200, {{"accounts", list},
                                      {"config_accounts", config},
                                      {"districts", all},
                                      {"you", who.account_id}});
    }
    if (request.method != "POST") co_return net::HttpResponse::error(405, "method not allowed");
    const auto body = json::parse(request.body, nullptr, false);
    // Names must be unique among active accounts and config tokens (the audit log shows names);
    // the Lua step checks the accounts again, atomically.
    std::vector<std::string> taken;
    for (const auto& p : auth_.config_principals()) taken.push_back(p.name);
    const auto existing = co_await store_.all();
    for (const auto& a : existing)
        if (a.active()) taken.push_back(a.name);
    auto checked = check_new_account(body, ids, taken);
    if (!checked.account) co_return refuse(checked.refusal);
    AccountRecord account;
    account.id = new_account_id();
    account.name = checked.account->name;
    account.role = checked.account->role;
    account.districts = checked.account->districts;
    const std::string token = new_account_token();
    account.token_sha256 = crypto::sha256_hex(token);
    account.created_by = who.name;
    account.created_at = now_();
    const auto created = co_await store_.create(account);
    if (created == AccountStore::Created::name_taken)
        co_return refuse(409, "name taken", "已有同名的账号，请换一个名字（例如加上单位或区县）");
    if (created == AccountStore::Created::id_taken)
        co_return refuse(503, "try again", "请再点一次新建");
    co_await watcher_.refresh();
    co_await audit_.record(who, "account.create",
                           account.id + " " + std::string(role_name(account.role)));
    json out = public_json(account, names);
    out["token"] = token;  // the only time it is ever shown
    co_return json_response(201, out);
}

asio::awaitable<net::HttpResponse> AccountsApi::item(net::HttpRequest& request) {
    auto authorized = auth_.authorize(request, {Role::city_admin});
    if (auto* denied = std::get_if<net::HttpResponse>(&authorized)) co_return std::move(*denied);
    const Principal who = std::get<Principal>(authorized);
    const auto parts = split_path(std::string_view(request.path).substr(kItemPrefix.size()));
    if (parts.size() != 2 || parts[1] != "revoke")
        co_return refuse(404, "not found", "没有这个功能");
    if (request.method != "POST") co_return net::HttpResponse::error(405, "method not allowed");
    const std::string id(parts[0]);
    if (!valid_account_id(id)) co_return refuse(404, "no such account", "找不到这个账号");
    const auto accounts = co_await store_.all();
    const AccountRecord* target = nullptr;
    for (const auto& a : accounts)
        if (a.id == id) target = &a;
    if (!target) co_return refuse(404, "no such account", "找不到这个账号");
    if (auto refusal = check_revoke(who, *target)) co_return refuse(*refusal);
    const auto revoked = co_await store_.revoke(id, who.name, now_());
    if (revoked == AccountStore::Revoked::not_found)
        co_return refuse(404, "no such account", "找不到这个账号");
    const bool changed = revoked == AccountStore::Revoked::ok;
    co_await watcher_.refresh();
    if (changed) co_await audit_.record(who, "account.revoke", id);
    co_return json_response(200, {{"id", id}, {"status", "revoked"}, {"changed", changed}});
}

}  // namespace kayou::bot::admin
