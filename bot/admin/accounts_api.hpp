#pragma once
// Admin HTTP API of console accounts (role city_admin only; docs/admin-api.md "Accounts"):
//   GET  /admin/api/accounts                 every account (revoked ones too) and the config's
//                                            tokens by name and role; never a token or its hash
//   POST /admin/api/accounts                 {"name","role","districts"} → 201 with the token,
//                                            shown this once
//   POST /admin/api/accounts/<id>/revoke     effective on every instance within a second
#include <boost/asio/awaitable.hpp>
#include <cstdint>

#include "bot/admin/auth.hpp"
#include "net/http_server.hpp"

namespace kayou::members {
class DistrictCatalog;
}

namespace kayou::bot::admin {

class AccountStore;
class AccountWatcher;

class AccountsApi {
public:
    using Clock = std::int64_t (*)();  // Unix seconds
    AccountsApi(const Authenticator& auth, AuditLog& audit, AccountStore& store,
                AccountWatcher& watcher, const members::DistrictCatalog& districts, Clock now);
    void install(net::HttpServer& server);

    boost::asio::awaitable<net::HttpResponse> collection(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> item(net::HttpRequest& request);

private:
    const Authenticator& auth_;
    AuditLog& audit_;
    AccountStore& store_;
    AccountWatcher& watcher_;
    const members::DistrictCatalog& districts_;
    Clock now_;
};

}  // namespace kayou::bot::admin
