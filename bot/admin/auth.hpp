#pragma once
// Admin API authentication and the audit log. Every admin request carries
// `Authorization: Bearer <token>`; the config holds only SHA-256(token), so the config file is not
// a credential. authorize() is deliberately general (roles in, principal or 401/403 out) so the
// review API and the console reuse it.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bot/config.hpp"
#include "net/http_types.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::bot::admin {

// staff: a district's join helpers (人工 in the join flow), scoped to `districts` like a
// district_admin; they work the handoffs of their districts (bot/admin/tickets_api.hpp).
enum class Role { city_admin, district_admin, faq_editor, legal_desk, staff };

std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

struct Principal {
    std::string name;
    Role role = Role::faq_editor;
    std::vector<std::string> districts;  // district_admin and staff only
    std::string account_id;  // "" for a config token; else the account (bot/admin/accounts.hpp)

    // city_admin acts on every district; a district_admin or staff only on its own.
    bool may_act_on_district(std::string_view district) const;
};

// One account token held in memory: an active account of the Redis account store
// (bot/admin/accounts.hpp), copied here by AccountWatcher so that authorize() stays synchronous.
struct AccountToken {
    std::string token_sha256;
    Principal principal;  // principal.account_id set
};

class Authenticator {
public:
    using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

    // Tokens were validated by parse_config (64 hex digits, known role).
    explicit Authenticator(const std::vector<AdminTokenConfig>& tokens,
                           SteadyClock clock = &std::chrono::steady_clock::now);

    // Accounts (bot/admin/accounts.hpp). Until enable_accounts(), tokens that look like account
    // tokens are unknown (401). Once enabled, an account token is answered 503 with
    // Retry-After (never accepted, never 401) unless the snapshot was confirmed against Redis
    // within `max_age`: a process cut off from Redis must not keep honouring a revoked token,
    // and must not log a valid user out either.
    void enable_accounts(std::chrono::milliseconds max_age);
    // Replaces the active accounts and marks them confirmed now.
    void set_accounts(std::vector<AccountToken> accounts);
    // The snapshot still matches Redis (its version key did not change): confirmed now.
    void confirm_accounts();
    // Accounts used since the last call, with the Unix second of their last use (for "last used").
    std::vector<std::pair<std::string, std::int64_t>> take_used();

    // The principal for the request's bearer token if its role is one of `allowed`; otherwise a
    // ready 401 (no or unknown token, with WWW-Authenticate) or 403 (known token, wrong role).
    std::variant<Principal, net::HttpResponse> authorize(const net::HttpRequest& request,
                                                         std::initializer_list<Role> allowed) const;

    // The principal of a raw token, if known (no role check).
    std::optional<Principal> identify(std::string_view token) const;

    bool empty() const { return tokens_.empty(); }
    // The config's tokens (no hashes): listed beside the accounts, names kept unique.
    std::vector<Principal> config_principals() const;

private:
    struct Lookup {
        std::optional<Principal> principal;
        bool unavailable = false;  // an account token while the accounts are not confirmed
    };
    Lookup lookup(std::string_view token) const;

    struct Token {
        std::string sha256_hex;
        Principal principal;
    };
    std::vector<Token> tokens_;
    std::vector<Token> accounts_;
    SteadyClock clock_;
    bool accounts_enabled_ = false;
    bool accounts_loaded_ = false;
    std::chrono::milliseconds accounts_max_age_{0};
    std::chrono::steady_clock::time_point accounts_confirmed_{};
    mutable std::vector<std::pair<std::string, std::int64_t>> used_;
};

// Account tokens start with this, so that one can be told from a config token without a lookup
// (a config token is whatever the operator chose).
inline constexpr std::string_view kAccountTokenPrefix = "kya_";

// Append-only audit trail in the Redis stream `<prefix>audit`: who, role, action, target, time.
// Targets are version numbers, ticket numbers, kinds — never personal data or message text.
class AuditLog {
public:
    AuditLog(std::shared_ptr<redis::Client> redis, std::string key_prefix,
             std::size_t max_length = 100'000);

    // Never throws: an audit write that fails is logged (it must not undo an action, which has
    // already happened) and reported as false — a read that must be audited (the full view of
    // an application) is then not served.
    boost::asio::awaitable<bool> record(const Principal& who, std::string action,
                                        std::string target);

    const std::string& key() const { return key_; }

private:
    std::shared_ptr<redis::Client> redis_;
    std::string key_;
    std::size_t max_length_;
};

}  // namespace kayou::bot::admin
