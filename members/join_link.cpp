#include "members/join_link.hpp"

#include <nlohmann/json.hpp>

#include "crypto/base64.hpp"
#include "crypto/hash.hpp"
#include "members/promoters.hpp"

namespace kayou::members {

namespace {
// The nonce names a Redis key: only letters and digits, bounded.
bool valid_nonce(std::string_view nonce) {
    if (nonce.size() < kJoinLinkNonceMin || nonce.size() > 64) return false;
    for (char c : nonce)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    return true;
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string text = crypto::base64_encode(bytes);
    while (!text.empty() && text.back() == '=') text.pop_back();
    for (auto& c : text) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
    }
    return text;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    std::string standard(text);
    for (auto& c : standard) {
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (c == '+' || c == '/' || c == '=')
            return std::nullopt;
    }
    while (standard.size() % 4 != 0) standard += '=';
    return crypto::base64_decode(standard);
}

std::string sign_join_token(std::string_view key, const JoinLinkClaims& claims) {
    nlohmann::json body{{"e", claims.expires}, {"n", claims.nonce}};
    if (!claims.promoter.empty()) body["p"] = claims.promoter;
    const std::string payload =
        base64url_encode(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return payload + "." + base64url_encode(crypto::hmac_sha256(key, payload));
}

std::optional<JoinLinkClaims> verify_join_token(std::string_view key, std::string_view token,
                                                std::int64_t now) {
    if (token.size() > 2048) return std::nullopt;
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || dot == 0) return std::nullopt;
    const std::string_view payload = token.substr(0, dot);
    const auto signature = base64url_decode(token.substr(dot + 1));
    if (!signature) return std::nullopt;
    if (!crypto::constant_time_equal(*signature, crypto::hmac_sha256(key, payload)))
        return std::nullopt;
    const auto json_text = base64url_decode(payload);
    if (!json_text) return std::nullopt;
    const auto json = nlohmann::json::parse(*json_text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    JoinLinkClaims claims;
    try {
        claims.expires = json.at("e").get<std::int64_t>();
        claims.nonce = json.at("n").get<std::string>();
        if (json.contains("p")) claims.promoter = json.at("p").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    if (claims.expires <= now || !valid_nonce(claims.nonce)) return std::nullopt;
    if (!claims.promoter.empty() && !is_promoter_id(claims.promoter)) return std::nullopt;
    return claims;
}

std::string join_link_claim_key(std::string_view prefix, std::string_view nonce) {
    return std::string(prefix) + "joinlink:{" + std::string(nonce) + "}:used";
}

}  // namespace kayou::members
