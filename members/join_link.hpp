#pragma once
// Signed, short-lived, single-use join links (https://<public base>/join?t=<token>) that move a
// driver from a group chat to a private page without asking for anything in the group. Pure: no
// I/O.
//
// A link may be seen by everyone in a group of strangers, so it carries no chat identity: the
// application made with it belongs to whoever completes it with a phone number proven by SMS
// code, and a chat is linked to that application only by something only its applicant has (a
// bind code shown to him after the submit, members/chat_binding.hpp, or his proven number). The
// nonce makes the link single-use: the submit claims it atomically in Redis
// (join_link_claim_key, in ApplicationStore::submit's script), so a second submit stores nothing.
//
// Token: base64url(JSON {"e": expiry Unix seconds, "n": nonce[, "p": promoter id]}) + "." +
//        base64url(HMAC-SHA256(key, first part)). Tokens signed before links became single-use
// also carried "c" and "s" (the requester's channel and sender id); they are ignored.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::members {

// Nonces are at least this long (random_alnum: 62^16 values): the claim key is named after it.
inline constexpr std::size_t kJoinLinkNonceMin = 8;

struct JoinLinkClaims {
    std::int64_t expires = 0;
    std::string nonce;  // [A-Za-z0-9]{8,64}
    // The promoter or event whose link minted this one (members/promoters.hpp), or "": the
    // attribution the submit stores on the application. Signed, so a driver cannot change it.
    std::string promoter;
};

std::string sign_join_token(std::string_view key, const JoinLinkClaims& claims);

// nullopt on a bad format, a bad signature (constant-time compare), a missing or malformed nonce
// or expiry at or before `now`.
std::optional<JoinLinkClaims> verify_join_token(std::string_view key, std::string_view token,
                                                std::int64_t now);

// The Redis key that records a link's nonce as used ("<prefix>joinlink:{<nonce>}:used").
std::string join_link_claim_key(std::string_view prefix, std::string_view nonce);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace kayou::members
