#pragma once
// Console accounts (issue 13): the city admin creates, lists and revokes reviewer, editor and
// legal-desk accounts; each has one bearer token, shown once at creation and stored only as its
// SHA-256. This is the pure part (checks, records, JSON); Redis is in account_store.hpp, HTTP in
// accounts_api.hpp. The config keeps its tokens (the bootstrap city admin) beside these.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/admin/auth.hpp"

namespace kayou::bot::admin {

struct AccountRecord {
    std::string id;  // "acc_" + 12 random letters/digits; stable, never reused
    std::string name;
    Role role = Role::faq_editor;
    std::vector<std::string> districts;  // district_admin only: district ids
    std::string token_sha256;            // 64 lowercase hex digits; never leaves the server
    std::string created_by;
    std::int64_t created_at = 0;  // Unix seconds
    // Revocation (kept apart in Redis so that the record itself never changes).
    std::string revoked_by;
    std::int64_t revoked_at = 0;  // 0 = active
    std::int64_t last_used_at = 0;

    bool active() const { return revoked_at == 0; }
};

// The immutable part as stored in Redis (with the token's hash) and read back; nullopt for a
// record that does not parse or names an unknown role (never grant what cannot be read).
std::string stored_json(const AccountRecord& account);
std::optional<AccountRecord> parse_stored(std::string_view id, std::string_view text);

// What the console sees: everything but the token hash. `district_names` maps ids to names.
nlohmann::json public_json(const AccountRecord& account,
                           const std::vector<std::pair<std::string, std::string>>& district_names);

// A refusal the console can show: `error` English and stable, `message` Chinese for the page.
struct AccountRefusal {
    int status = 400;
    std::string error;
    std::string message;
};

struct NewAccount {
    std::string name;
    Role role = Role::faq_editor;
    std::vector<std::string> districts;
};

// Checks a creation request {"name", "role", "districts"}: name 1–32 characters of one line,
// not in `taken_names` (active accounts and config tokens); role district_admin, faq_editor or
// legal_desk (the city admin is the config's bootstrap token); districts from `known_districts`,
// at least one for district_admin and none for the others.
struct NewAccountCheck {
    std::optional<NewAccount> account;
    AccountRefusal refusal;  // when !account
};
NewAccountCheck check_new_account(const nlohmann::json& body,
                                  const std::vector<std::string>& known_districts,
                                  const std::vector<std::string>& taken_names);

// Whether `who` may revoke `target`: never his own account (he would lock himself out mid-use).
std::optional<AccountRefusal> check_revoke(const Principal& who, const AccountRecord& target);

// A new bearer token: kAccountTokenPrefix + 40 random letters/digits (~238 bits).
std::string new_account_token();
std::string new_account_id();
// An account id as new_account_id() makes them (guards the URL path).
bool valid_account_id(std::string_view id);

// The principals authorize() knows for the active accounts.
std::vector<AccountToken> account_tokens(const std::vector<AccountRecord>& accounts);

}  // namespace kayou::bot::admin
