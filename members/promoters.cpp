#include "members/promoters.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "members/join_link.hpp"
#include "redis/client.hpp"
#include "text/number.hpp"

namespace kayou::members {
namespace {

constexpr std::string_view kIdAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::size_t kMacBytes = 16;

}  // namespace

bool is_promoter_id(std::string_view text) {
    if (text.size() != 6 || text[0] != 'P') return false;
    for (char c : text.substr(1))
        if (kIdAlphabet.find(c) == std::string_view::npos) return false;
    return true;
}

std::string new_promoter_id() {
    // random_alnum is uniform over [A-Za-z0-9]; keep the characters of the id alphabet.
    std::string id = "P";
    while (id.size() < 6) {
        for (char c : crypto::random_alnum(16)) {
            if (id.size() < 6 && kIdAlphabet.find(c) != std::string_view::npos) id += c;
        }
    }
    return id;
}

std::optional<std::string> promoter_name_problem(std::string_view name) {
    if (name.empty()) return "请填写名称（宣传员姓名或活动名称）";
    std::size_t code_points = 0;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F) return "名称里不能有换行或控制字符";
        if ((c & 0xC0) != 0x80) ++code_points;
    }
    if (code_points > 30 || name.size() > 120) return "名称太长，最多30个字";
    return std::nullopt;
}

std::string sign_promo_token(std::string_view key, const PromoClaims& claims) {
    const nlohmann::json body{{"e", claims.expires}, {"p", claims.promoter}};
    const std::string payload =
        base64url_encode(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return payload + "." + base64url_encode(crypto::hmac_sha256(key, payload).substr(0, kMacBytes));
}

std::optional<PromoClaims> verify_promo_token(std::string_view key, std::string_view token,
                                              std::int64_t now) {
    if (token.size() > 512) return std::nullopt;
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || dot == 0) return std::nullopt;
    const std::string_view payload = token.substr(0, dot);
    const auto signature = base64url_decode(token.substr(dot + 1));
    if (!signature || signature->size() != kMacBytes) return std::nullopt;
    if (!crypto::constant_time_equal(*signature,
                                     crypto::hmac_sha256(key, payload).substr(0, kMacBytes)))
        return std::nullopt;
    const auto text = base64url_decode(payload);
    if (!text) return std::nullopt;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    PromoClaims claims;
    try {
        claims.expires = json.at("e").get<std::int64_t>();
        claims.promoter = json.at("p").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    if (claims.expires <= now || !is_promoter_id(claims.promoter)) return std::nullopt;
    return claims;
}

PromoterStore::PromoterStore(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                             std::string key_prefix)
    : redis_(std::move(redis)),
      box_(box),
      prefix_(std::move(key_prefix)),
      // Its own label: one secret to manage, and no key used for two purposes.
      key_(box.lookup_hash("kayou-promo-link-key-v1")) {}

std::string PromoterStore::key(std::string_view id) const {
    return prefix_ + "promo:{" + std::string(id) + "}";
}

std::string PromoterStore::apps_key(std::string_view id) const { return key(id) + ":apps"; }

boost::asio::awaitable<Promoter> PromoterStore::create(Promoter p) {
    for (int attempt = 0;; ++attempt) {
        p.id = new_promoter_id();
        const std::string sealed = box_.seal(p.name, "promo:" + p.id + ":name");
        // HSETNX on "id" claims the id; only then are the other fields written.
        std::vector<std::string> claim{"HSETNX", key(p.id), "id", p.id};
        auto claimed = co_await redis_->exec(std::move(claim));
        if (claimed.as_int() != 1) {
            if (attempt > 20) throw std::runtime_error("promoter id space exhausted");
            continue;
        }
        std::vector<std::vector<std::string>> commands{
            {"HSET", key(p.id), "kind", p.kind, "name", sealed, "district", p.district,
             "created_at", std::to_string(p.created_at), "expires", std::to_string(p.expires),
             "created_by", p.created_by},
            {"ZADD", prefix_ + "promo:all", std::to_string(p.created_at), p.id}};
        auto replies = co_await redis_->pipeline(std::move(commands));
        for (const auto& reply : replies)
            if (reply.is_error()) throw std::runtime_error("promoter create: " + reply.str);
        co_return p;
    }
}

boost::asio::awaitable<std::optional<Promoter>> PromoterStore::get(std::string id) {
    if (!is_promoter_id(id)) co_return std::nullopt;
    std::vector<std::string> command{"HGETALL", key(id)};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_array() || reply.elements.empty()) co_return std::nullopt;
    std::map<std::string, std::string> f;
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2)
        f[reply.elements[i].str] = reply.elements[i + 1].str;
    if (f["kind"].empty()) co_return std::nullopt;  // claimed but not yet written
    Promoter p;
    p.id = id;
    p.kind = f["kind"];
    auto name = box_.open(f["name"], "promo:" + id + ":name");
    p.name = name ? *name : std::string();
    p.district = f["district"];
    p.created_at = text::to_int64(f["created_at"]);
    p.expires = text::to_int64(f["expires"]);
    p.created_by = f["created_by"];
    co_return p;
}

boost::asio::awaitable<std::vector<Promoter>> PromoterStore::list(std::size_t limit) {
    std::vector<std::string> command{"ZREVRANGE", prefix_ + "promo:all", "0",
                                     std::to_string(limit == 0 ? 0 : limit - 1)};
    auto ids = co_await redis_->exec(std::move(command));
    std::vector<Promoter> out;
    if (!ids.is_array()) co_return out;
    for (const auto& element : ids.elements) {
        auto p = co_await get(element.str);
        if (p) out.push_back(std::move(*p));
    }
    co_return out;
}

boost::asio::awaitable<PromoterStats> PromoterStore::stats(std::string id) {
    PromoterStats stats;
    std::vector<std::string> command{"ZRANGE", apps_key(id), "0", "-1"};
    auto apps = co_await redis_->exec(std::move(command));
    if (!apps.is_array() || apps.elements.empty()) co_return stats;
    std::vector<std::vector<std::string>> reads;
    for (const auto& app : apps.elements)
        reads.push_back({"HGET", prefix_ + "app:{" + app.str + "}", "status"});
    auto statuses = co_await redis_->pipeline(std::move(reads));
    for (const auto& status : statuses) {
        if (status.is_nil() || status.str.empty()) continue;
        ++stats.joins;
        if (status.str == "approved") ++stats.approved;
        if (status.str == "rejected") ++stats.rejected;
        if (status.str == "received") ++stats.received;
    }
    co_return stats;
}

std::string PromoterStore::token(const Promoter& promoter) const {
    return sign_promo_token(key_, {promoter.id, promoter.expires});
}

std::optional<PromoClaims> PromoterStore::verify(std::string_view token, std::int64_t now) const {
    return verify_promo_token(key_, token, now);
}

}  // namespace kayou::members
