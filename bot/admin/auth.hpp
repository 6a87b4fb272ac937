#pragma once
// Admin API authentication and the audit log. Every admin request carries
// `Authorization: Bearer <token>`; the config holds only SHA-256(token), so the config file is not
// a credential. authorize() is deliberately general (roles in, principal or 401/403 out) so the
// review API and the console reuse it.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bot/config.hpp"
#include "bot/http_types.hpp"

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

    // city_admin acts on every district; a district_admin or staff only on its own.
    bool may_act_on_district(std::string_view district) const;
};

class Authenticator {
public:
    // Tokens were validated by parse_config (64 hex digits, known role).
    explicit Authenticator(const std::vector<AdminTokenConfig>& tokens);

    // The principal for the request's bearer token if its role is one of `allowed`; otherwise a
    // ready 401 (no or unknown token, with WWW-Authenticate) or 403 (known token, wrong role).
    std::variant<Principal, HttpResponse> authorize(const HttpRequest& request,
                                                    std::initializer_list<Role> allowed) const;

    // The principal of a raw token, if known (no role check).
    std::optional<Principal> identify(std::string_view token) const;

    bool empty() const { return tokens_.empty(); }

private:
    struct Token {
        std::string sha256_hex;
        Principal principal;
    };
    std::vector<Token> tokens_;
};

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
