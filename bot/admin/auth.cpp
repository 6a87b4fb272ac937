#include "bot/admin/auth.hpp"

#include <algorithm>
#include <chrono>

#include "crypto/hash.hpp"
#include "ops/log.hpp"
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

Authenticator::Authenticator(const std::vector<AdminTokenConfig>& tokens, SteadyClock clock)
    : clock_(std::move(clock)) {
    for (const auto& token : tokens) {
        auto role = parse_role(token.role);
        if (!role) continue;  // parse_config rejects these; never grant an unknown role
        tokens_.push_back({token.token_sha256, Principal{token.name, *role, token.districts, {}}});
    }
}

std::vector<Principal> Authenticator::config_principals() const {
    std::vector<Principal> out;
    for (const auto& token : tokens_) out.push_back(token.principal);
    return out;
}

void Authenticator::enable_accounts(std::chrono::milliseconds max_age) {
    accounts_enabled_ = true;
    accounts_max_age_ = max_age;
}

void Authenticator::set_accounts(std::vector<AccountToken> accounts) {
    accounts_.clear();
    for (auto& account : accounts)
        accounts_.push_back({std::move(account.token_sha256), std::move(account.principal)});
    accounts_loaded_ = true;
    accounts_confirmed_ = clock_();
}

void Authenticator::confirm_accounts() {
    if (accounts_loaded_) accounts_confirmed_ = clock_();
}

std::vector<std::pair<std::string, std::int64_t>> Authenticator::take_used() {
    std::vector<std::pair<std::string, std::int64_t>> out;
    out.swap(used_);
    return out;
}

namespace {

// Constant time over every entry, without an early exit, so timing says nothing about which
// (or whether a) token matched.
template <class Token>
const Token* find_token(const std::vector<Token>& tokens, const std::string& digest) {
    const Token* found = nullptr;
    for (const auto& candidate : tokens)
        if (crypto::constant_time_equal(digest, candidate.sha256_hex)) found = &candidate;
    return found;
}

}  // namespace

Authenticator::Lookup Authenticator::lookup(std::string_view token) const {
    Lookup out;
    if (token.empty()) return out;
    const std::string digest = crypto::sha256_hex(token);
    if (const auto* found = find_token(tokens_, digest)) {
        out.principal = found->principal;
        return out;
    }
    if (!accounts_enabled_ || token.substr(0, kAccountTokenPrefix.size()) != kAccountTokenPrefix)
        return out;
    if (!accounts_loaded_ || clock_() - accounts_confirmed_ > accounts_max_age_) {
        out.unavailable = true;
        return out;
    }
    if (const auto* found = find_token(accounts_, digest)) {
        out.principal = found->principal;
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        bool seen = false;
        for (auto& [id, at] : used_)
            if (id == found->principal.account_id) {
                at = now;
                seen = true;
            }
        if (!seen) used_.emplace_back(found->principal.account_id, now);
    }
    return out;
}

std::optional<Principal> Authenticator::identify(std::string_view token) const {
    return lookup(token).principal;
}

std::variant<Principal, net::HttpResponse> Authenticator::authorize(
    const net::HttpRequest& request, std::initializer_list<Role> allowed) const {
    std::string_view header = request.header("authorization");
    constexpr std::string_view kScheme = "Bearer ";
    Lookup found;
    if (header.size() > kScheme.size() && header.substr(0, kScheme.size()) == kScheme)
        found = lookup(header.substr(kScheme.size()));
    if (found.unavailable) {
        // Redis has not confirmed the accounts lately: neither accept (it may be revoked) nor
        // refuse (the console would log a valid user out); the console retries.
        auto response = net::HttpResponse::error(503, "accounts unavailable, retry");
        response.headers.emplace_back("Retry-After", "1");
        return response;
    }
    const std::optional<Principal>& principal = found.principal;
    if (!principal) {
        auto response = net::HttpResponse::error(401, "missing or unknown bearer token");
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kayou-admin\"");
        return response;
    }
    if (std::find(allowed.begin(), allowed.end(), principal->role) == allowed.end())
        return net::HttpResponse::error(403, "role not allowed for this action");
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
        ops::log(ops::LogLevel::error, "audit_write_failed", {{"error", reply.str}});
    } catch (const std::exception& error) {
        ops::log(ops::LogLevel::error, "audit_write_failed",
                 {{"error", std::string(error.what())}});
    }
    co_return false;
}

}  // namespace kayou::bot::admin
