#pragma once
// Signed, short-lived join links (https://<public base>/join?t=<token>) that move a driver from a
// group chat to a private page without asking for anything in the group. The token carries the
// driver's identity on the channel he came from, so the application (and a later 进度 in the
// group) is his; it is HMAC-SHA256 signed and expires (30 minutes by default). Pure: no I/O.
//
// Token: base64url(JSON {"c": channel, "s": sender id, "e": expiry Unix seconds, "n": nonce})
//        + "." + base64url(HMAC-SHA256(key, first part)).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::members {

struct JoinLinkClaims {
    std::string channel;  // "bridge", "wecom_bot", ...
    std::string sender;   // the sender id on that channel
    std::int64_t expires = 0;
    std::string nonce;

    std::string driver() const { return channel + ":" + sender; }
};

std::string sign_join_token(std::string_view key, const JoinLinkClaims& claims);

// nullopt on a bad format, a bad signature (constant-time compare) or expiry at or before `now`.
std::optional<JoinLinkClaims> verify_join_token(std::string_view key, std::string_view token,
                                                std::int64_t now);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace kayou::members
