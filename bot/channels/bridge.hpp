#pragma once
// Our own JSON webhook for personal-WeChat group bridges (a Wechaty bot or similar), documented
// for bridge authors in docs/bridge-protocol.md. The bridge POSTs one message per request and
// gets the replies in the response, so it needs no inbound port of its own.
//
// Order of checks, each mapped by the HTTP layer through DecodeError::Kind:
//   body > max_body_bytes -> too_large (413); missing/bad/expired signature -> unauthorized (401),
//   before any parsing, so unauthenticated bodies are never parsed; bad JSON or a missing field
//   -> bad_request (400).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/message.hpp"
#include "net/decode_error.hpp"

namespace kayou::channels {

inline constexpr std::string_view kBridgeTimestampHeader = "X-Kayou-Timestamp";
inline constexpr std::string_view kBridgeSignatureHeader = "X-Kayou-Signature";
// Per reply text; longer answers are split into several replies (never inside a code point).
inline constexpr std::size_t kBridgeReplyMaxBytes = 2000;

struct BridgeConfig {
    // Shared HMAC-SHA256 key. Empty means "not configured": every request is unauthorized, so a
    // missing secret can never open the endpoint.
    std::string secret;
    // The bot's WeChat nickname and any group aliases ("卡友小助手"), for @-detection in text when
    // the bridge's own flag misses it.
    std::vector<std::string> bot_names;
    std::int64_t max_skew_seconds = 300;  // ±5 min replay window
    std::size_t max_body_bytes = 64 * 1024;
};

// "sha256=" + hex_lower(HMAC-SHA256(secret, timestamp + "." + body)): the X-Kayou-Signature value.
std::string bridge_signature(std::string_view secret, std::string_view timestamp,
                             std::string_view body);

// Checks size, the timestamp header (decimal Unix seconds within ±max_skew_seconds of `now`) and
// the signature header (hex compared case-insensitively, in constant time). nullopt when valid.
std::optional<DecodeError> verify_bridge_request(const BridgeConfig& config,
                                                 std::string_view timestamp_header,
                                                 std::string_view signature_header,
                                                 std::string_view body, std::int64_t now);

// Parses an already verified body into a Message (channel bridge):
// - message_id (string or integer) and sender.id are required; room null/absent means 1:1.
// - chat_id = room.id (group) or sender.id (1:1); chat_name = room.name (or room.topic);
//   reply_handle = chat_id; time = timestamp (seconds, or milliseconds when > 10^11), else now.
// - mentioned_bot = the "mentioned_bot" flag OR "@<bot name>" found in the text (followed by
//   U+2005, a space or the end); every such mention is removed from the text. 1:1: always true.
// - dedupe_key = "bridge:" + room.id (or "dm:" + sender.id) + ":" + message_id.
// - private_replies = the "private_replies" flag, in groups only (1:1 replies are private).
Result<dialogs::Message> parse_bridge_message(std::string_view body,
                                              const std::vector<std::string>& bot_names,
                                              std::int64_t now);

// verify_bridge_request + parse_bridge_message.
Result<dialogs::Message> decode_bridge_request(const BridgeConfig& config,
                                               std::string_view timestamp_header,
                                               std::string_view signature_header,
                                               std::string_view body, std::int64_t now);

// {"replies":[{"text":..,"mentions":[ids],"text_with_mentions":..}, ...]}: every reply text split
// to kBridgeReplyMaxBytes. In a group the first reply carries reply.mentions, and its
// text_with_mentions starts with "@<sender name>" the way Wechaty's room.say writes mentions
// (names joined by U+2005, then a space); only the sender's name is known, other mentioned ids
// appear in "mentions" only. In 1:1 chats mentions are empty and text_with_mentions == text.
// When the request said private_replies, reply.private_texts follow as replies with
// "private": true and "to": the sender id, which the bridge posts to him 1:1, never in the room.
std::string build_bridge_response(const dialogs::Message& request, const dialogs::Reply& reply);

}  // namespace kayou::channels
