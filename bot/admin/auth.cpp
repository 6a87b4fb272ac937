#include "bot/admin/auth.hpp"

#include <algorithm>
#include <chrono>

#include "bot/log.hpp"
#include "crypto/hash.hpp"
#include "redis/client.hpp"

namespace kayou::bot::admin {

std::optional<Role> parse_role(std::string_view name) {
    if (name == "city_admin") return Role::city_admin;
    if (name == "district_admin") return Role::district_admin;
    if (name == "faq_editor") return Role::faq_editor;
    if (name == "legal_desk") return Role::legal_desk;
    if (name == "staff") return Role::staff;
    return std::nullopt;
}

std::string_view role_name(Role role) {
    switch (role) {
        case Role::city_admin:
            return "city_admin";
        case Role::district_admin:
            return "district_admin";
        case Role::faq_editor:
            return "faq_editor";
        case Role::legal_desk:
            return "legal_desk";
        case Role::staff:
            return "staff";
    }
    return "unknown";
}

bool Principal::may_act_on_district(std::string_view district) const {
    if (role == Role::city_admin) return true;
    return std::find(districts.begin(), districts.end(), district) != districts.end();
}

Authenticator::Authenticator(const std::vector<AdminTokenConfig>& tokens) {
    for (const auto& token : tokens) {
        auto role = parse_role(token.role);
        if (!role) continue;  // parse_config rejects these; never grant an unknown role
        tokens_.push_back({token.token_sha256, Principal{token.name, *role, token.districts}});
    }
}

std::optional<Principal> Authenticator::identify(std::string_view token) const {
    if (token.empty()) return std::nullopt;
    const std::string digest = crypto::sha256_hex(token);
    // Compare against every entry in constant time, without an early exit, so timing says
    // nothing about which (or whether a) token matched.
    const Token* found = nullptr;
    for (const auto& candidate : tokens_)
        if (crypto::constant_time_equal(digest, candidate.sha256_hex)) found = &candidate;
    if (!found) return std::nullopt;
    return found->principal;
}

std::variant<Principal, HttpResponse> Authenticator::authorize(
    const HttpRequest& request, std::initializer_list<Role> allowed) const {
    std::string_view header = request.header("authorization");
    constexpr std::string_view kScheme = "Bearer ";
    std::optional<Principal> principal;
    if (header.size() > kScheme.size() && header.substr(0, kScheme.size()) == kScheme)
        principal = identify(header.substr(kScheme.size()));
    if (!principal) {
        auto response = HttpResponse::error(401, "missing or unknown bearer token");
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kayou-admin\"");
        return response;
    }
    if (std::find(allowed.begin(), allowed.end(), principal->role) == allowed.end())
        return HttpResponse::error(403, "role not allowed for this action");
    return *principal;
}

AuditLog::AuditLog(std::shared_ptr<redis::Client> redis, std::string key_prefix,
                   std::size_t max_length)
    : redis_(std::move(redis)), key_(key_prefix + "audit"), max_length_(max_length) {}

boost::asio::awaitable<bool> AuditLog::record(const Principal& who, std::string action,
                                              std::string target) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    // Approximate trimming (~) keeps XADD O(1); the stream is an audit trail, not a queue, so
    // the cap is generous.
    std::vector<std::string> command{"XADD",
                                     key_,
                                     "MAXLEN",
                                     "~",
                                     std::to_string(max_length_),
                                     "*",
                                     "who",
                                     who.name,
                                     "role",
                                     std::string(role_name(who.role)),
                                     "action",
                                     std::move(action),
                                     "target",
                                     std::move(target),
                                     "time_ms",
                                     std::to_string(now_ms)};
    try {
        auto reply = co_await redis_->exec(std::move(command));
        if (!reply.is_error()) co_return true;
        log(LogLevel::error, "audit_write_failed", {{"error", reply.str}});
    } catch (const std::exception& error) {
        log(LogLevel::error, "audit_write_failed", {{"error", std::string(error.what())}});
    }
    co_return false;
}

}  // namespace kayou::bot::admin
