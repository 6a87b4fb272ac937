#include "bot/admin/accounts.hpp"

#include <algorithm>

#include "crypto/random.hpp"

namespace kayou::bot::admin {
using nlohmann::json;

namespace {

constexpr std::string_view kIdPrefix = "acc_";
constexpr std::size_t kIdRandom = 12;
constexpr std::size_t kTokenRandom = 40;
constexpr std::size_t kMaxNameChars = 32;

std::size_t utf8_chars(std::string_view text) {
    std::size_t n = 0;
    for (const unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool alnum(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

AccountRefusal bad(std::string error, std::string message) {
    return {400, std::move(error), std::move(message)};
}

}  // namespace

std::string stored_json(const AccountRecord& a) {
    return json{{"name", a.name},
                {"role", std::string(role_name(a.role))},
                {"districts", a.districts},
                {"token_sha256", a.token_sha256},
                {"created_by", a.created_by},
                {"created_at", a.created_at}}
        .dump();
}

std::optional<AccountRecord> parse_stored(std::string_view id, std::string_view text) {
    const auto parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
    try {
        AccountRecord a;
        a.id = std::string(id);
        a.name = parsed.at("name").get<std::string>();
        const auto role = parse_role(parsed.at("role").get<std::string>());
        if (!role) return std::nullopt;
        a.role = *role;
        a.districts = parsed.value("districts", std::vector<std::string>{});
        a.token_sha256 = parsed.at("token_sha256").get<std::string>();
        if (a.token_sha256.size() != 64) return std::nullopt;
        a.created_by = parsed.value("created_by", "");
        a.created_at = parsed.value("created_at", std::int64_t{0});
        return a;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

json public_json(const AccountRecord& a,
                 const std::vector<std::pair<std::string, std::string>>& district_names) {
    json districts = json::array();
    for (const auto& id : a.districts) {
        std::string name = id;  // a district no longer in the catalog shows its id
        for (const auto& [known, display] : district_names)
            if (known == id) name = display;
        districts.push_back({{"id", id}, {"name", name}});
    }
    return {{"id", a.id},
            {"name", a.name},
            {"role", std::string(role_name(a.role))},
            {"districts", districts},
            {"created_by", a.created_by},
            {"created_at", a.created_at},
            {"last_used_at", a.last_used_at == 0 ? json(nullptr) : json(a.last_used_at)},
            {"revoked_at", a.revoked_at == 0 ? json(nullptr) : json(a.revoked_at)},
            {"revoked_by", a.revoked_by},
            {"status", a.active() ? "active" : "revoked"}};
}

NewAccountCheck check_new_account(const json& body, const std::vector<std::string>& known_districts,
                                  const std::vector<std::string>& taken_names) {
    NewAccountCheck out;
    if (!body.is_object()) {
        out.refusal = bad("body must be a JSON object", "请求格式不对，请刷新页面后重试");
        return out;
    }
    if (!body.contains("name") || !body["name"].is_string()) {
        out.refusal = bad("name is required", "请填写姓名");
        return out;
    }
    NewAccount account;
    account.name = trim(body["name"].get<std::string>());
    if (account.name.empty()) {
        out.refusal = bad("name is required", "请填写姓名");
        return out;
    }
    if (utf8_chars(account.name) > kMaxNameChars) {
        out.refusal = bad("name too long", "姓名最多32个字");
        return out;
    }
    if (std::any_of(account.name.begin(), account.name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
        out.refusal = bad("name must be one line", "姓名只能写一行，不能有换行等控制字符");
        return out;
    }
    if (std::find(taken_names.begin(), taken_names.end(), account.name) != taken_names.end()) {
        out.refusal = {409, "name taken", "已有同名的账号，请换一个名字（例如加上单位或区县）"};
        return out;
    }
    const std::string role_text =
        body.contains("role") && body["role"].is_string() ? body["role"].get<std::string>() : "";
    const auto role = parse_role(role_text);
    if (!role) {
        out.refusal = bad("role must be district_admin, faq_editor or legal_desk", "请选择角色");
        return out;
    }
    if (*role == Role::city_admin) {
        out.refusal = bad(
            "city_admin accounts are not created here",
            "市总工会管理员只在配置文件中设置，这里只能新建区县审核员、内容编辑和法律服务台账号");
        return out;
    }
    account.role = *role;
    if (body.contains("districts") && !body["districts"].is_null()) {
        if (!body["districts"].is_array()) {
            out.refusal = bad("districts must be a list", "区县格式不对，请刷新页面后重试");
            return out;
        }
        for (const auto& d : body["districts"]) {
            if (!d.is_string() || std::find(known_districts.begin(), known_districts.end(),
                                            d.get<std::string>()) == known_districts.end()) {
                out.refusal = bad("unknown district", "没有这个区县，请从列表中选择");
                return out;
            }
            const auto id = d.get<std::string>();
            if (std::find(account.districts.begin(), account.districts.end(), id) ==
                account.districts.end())
                account.districts.push_back(id);
        }
    }
    if (account.role == Role::district_admin && account.districts.empty()) {
        out.refusal = bad("a district_admin needs districts", "区县审核员至少要选一个区县");
        return out;
    }
    if (account.role != Role::district_admin && !account.districts.empty()) {
        out.refusal = bad("only a district_admin has districts", "只有区县审核员需要选择区县");
        return out;
    }
    out.account = std::move(account);
    return out;
}

std::optional<AccountRefusal> check_revoke(const Principal& who, const AccountRecord& target) {
    if (!who.account_id.empty() && who.account_id == target.id)
        return AccountRefusal{409, "cannot revoke your own account",
                              "不能吊销您自己正在使用的账号"};
    if (who.role != Role::city_admin)
        return AccountRefusal{403, "role not allowed for this action",
                              "只有市总工会管理员可以吊销账号"};
    return std::nullopt;
}

std::string new_account_token() {
    return std::string(kAccountTokenPrefix) + crypto::random_alnum(kTokenRandom);
}

std::string new_account_id() { return std::string(kIdPrefix) + crypto::random_alnum(kIdRandom); }

bool valid_account_id(std::string_view id) {
    return id.size() == kIdPrefix.size() + kIdRandom &&
           id.substr(0, kIdPrefix.size()) == kIdPrefix && alnum(id.substr(kIdPrefix.size()));
}

std::vector<AccountToken> account_tokens(const std::vector<AccountRecord>& accounts) {
    std::vector<AccountToken> out;
    for (const auto& a : accounts) {
        if (!a.active()) continue;
        out.push_back({a.token_sha256, Principal{a.name, a.role, a.districts, a.id}});
    }
    return out;
}

}  // namespace kayou::bot::admin
