#include "bot/channels/bridge.hpp"

#include <charconv>
#include <cmath>

#include "bot/channels/json_util.hpp"
#include "bot/channels/mention.hpp"
#include "bot/channels/reply_text.hpp"
#include "crypto/hash.hpp"
#include "text/utf8.hpp"

namespace kayou::channels {
namespace {

using json_util::member;
using nlohmann::json;

constexpr std::string_view kSignaturePrefix = "sha256=";
// A mention prefix longer than this is left out of text_with_mentions (ids still go in
// "mentions"), so a huge display name cannot eat the reply's byte budget.
constexpr std::size_t kMaxMentionPrefixBytes = 200;

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    if (text.empty() || text.size() > 12) return std::nullopt;  // Unix seconds, no sign
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// An optional string member: absent or null -> "", a string -> it, anything else -> nullopt.
std::optional<std::string> optional_string(const json& object, std::string_view key) {
    const json* value = member(object, key);
    if (value == nullptr || value->is_null()) return std::string();
    if (!value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

}  // namespace

std::string bridge_signature(std::string_view secret, std::string_view timestamp,
                             std::string_view body) {
    std::string signed_text;
    signed_text.reserve(timestamp.size() + 1 + body.size());
    signed_text.append(timestamp).append(".").append(body);
    std::string out(kSignaturePrefix);
    out.append(crypto::hex_lower(crypto::hmac_sha256(secret, signed_text)));
    return out;
}

std::optional<DecodeError> verify_bridge_request(const BridgeConfig& config,
                                                 std::string_view timestamp_header,
                                                 std::string_view signature_header,
                                                 std::string_view body, std::int64_t now) {
    if (body.size() > config.max_body_bytes) return too_large("bridge: body too large");
    if (config.secret.empty()) return unauthorized("bridge: no secret configured");
    const auto timestamp = parse_timestamp(timestamp_header);
    if (!timestamp) return unauthorized("bridge: missing or bad timestamp");
    const std::int64_t skew = *timestamp > now ? *timestamp - now : now - *timestamp;
    if (skew > config.max_skew_seconds) return unauthorized("bridge: timestamp outside window");
    if (!signature_header.starts_with(kSignaturePrefix)) {
        return unauthorized("bridge: missing or bad signature");
    }
    const std::string expected = bridge_signature(config.secret, timestamp_header, body);
    if (!crypto::constant_time_equal(ascii_lower(signature_header), expected)) {
        return unauthorized("bridge: signature mismatch");
    }
    return std::nullopt;
}

Result<dialogs::Message> parse_bridge_message(std::string_view body,
                                              const std::vector<std::string>& bot_names,
                                              std::int64_t now) {
    const auto parsed = json_util::parse(body);
    if (!parsed || !parsed->is_object()) return bad_request("bridge: malformed JSON");
    const json& root = *parsed;

    dialogs::Message message;
    message.channel = dialogs::Channel::bridge;

    const auto message_id = json_util::id_member(root, "message_id");
    if (!message_id || message_id->empty()) return bad_request("bridge: missing message_id");

    const json* sender = member(root, "sender");
    if (sender == nullptr || !sender->is_object()) return bad_request("bridge: missing sender");
    const auto sender_id = json_util::id_member(*sender, "id");
    const auto sender_name = optional_string(*sender, "name");
    if (!sender_id || sender_id->empty()) return bad_request("bridge: missing sender.id");
    if (!sender_name) return bad_request("bridge: bad sender.name");
    message.sender_id = *sender_id;
    message.sender_name = text::strip_control(*sender_name);

    const json* room = member(root, "room");
    if (room != nullptr && !room->is_null()) {
        if (!room->is_object()) return bad_request("bridge: bad room");
        const auto room_id = json_util::id_member(*room, "id");
        if (!room_id || room_id->empty()) return bad_request("bridge: missing room.id");
        auto room_name = optional_string(*room, "name");
        if (room_name && room_name->empty()) room_name = optional_string(*room, "topic");
        if (!room_name) return bad_request("bridge: bad room.name");
        message.chat_type = dialogs::ChatType::group;
        message.chat_id = *room_id;
        message.chat_name = text::strip_control(*room_name);
    } else {
        message.chat_type = dialogs::ChatType::single;
        message.chat_id = message.sender_id;
    }
    message.reply_handle = message.chat_id;
    // A legal answer is composed to fit one bridge text, with room for the group's @-prefix: at
    // the default 2,048 the first of two answers spilled its last citation into a bubble of its
    // own ("《劳动争议调解仲裁法》第51条。").
    message.answer_bytes = kBridgeReplyMaxBytes;
    if (message.in_group()) message.answer_bytes -= kMaxMentionPrefixBytes;

    const auto raw_text = optional_string(root, "text");
    if (!raw_text) return bad_request("bridge: bad text");
    std::string text = text::strip_control(*raw_text);

    bool mentioned = false;
    if (const json* flag = member(root, "mentioned_bot"); flag != nullptr && !flag->is_null()) {
        if (!flag->is_boolean()) return bad_request("bridge: bad mentioned_bot");
        mentioned = flag->get<bool>();
    }
    for (const auto& name : bot_names) {
        if (strip_mentions_of(text, name)) mentioned = true;
    }
    for (const auto& name : bot_names) {
        if (!mentioned && strip_leading_name(text, name)) mentioned = true;
    }
    message.mentioned_bot = mentioned || !message.in_group();
    message.text = std::string(trim_spaces(text));

    // The bridge can post a reply to the sender 1:1 (docs/bridge-protocol.md "Private replies").
    if (const json* flag = member(root, "private_replies"); flag != nullptr && !flag->is_null()) {
        if (!flag->is_boolean()) return bad_request("bridge: bad private_replies");
        message.private_replies = flag->get<bool>() && message.in_group();
    }

    message.time = now;
    if (member(root, "timestamp") != nullptr) {
        const auto value = json_util::int_member(root, "timestamp");
        if (!value || *value < 0) return bad_request("bridge: bad timestamp");
        // Wechaty puppets report seconds or milliseconds (seen in the Wechaty puppets); 10^11 s is
        // year 5138.
        message.time = *value > 100'000'000'000 ? *value / 1000 : *value;
    }

    if (const json* location = member(root, "location");
        location != nullptr && !location->is_null()) {
        const auto latitude = json_util::number_member(*location, "latitude");
        const auto longitude = json_util::number_member(*location, "longitude");
        const auto label = optional_string(*location, "label");
        if (!latitude || !longitude || !label || !std::isfinite(*latitude) ||
            !std::isfinite(*longitude) || std::fabs(*latitude) > 90 ||
            std::fabs(*longitude) > 180) {
            return bad_request("bridge: bad location");
        }
        message.location = dialogs::Location{*latitude, *longitude, text::strip_control(*label)};
    }

    message.dedupe_key = "bridge:";
    if (!message.in_group()) message.dedupe_key.append("dm:");
    message.dedupe_key.append(message.chat_id).append(":").append(*message_id);
    return message;
}

Result<dialogs::Message> decode_bridge_request(const BridgeConfig& config,
                                               std::string_view timestamp_header,
                                               std::string_view signature_header,
                                               std::string_view body, std::int64_t now) {
    if (auto error = verify_bridge_request(config, timestamp_header, signature_header, body, now)) {
        return std::move(*error);
    }
    return parse_bridge_message(body, config.bot_names, now);
}

std::string build_bridge_response(const dialogs::Message& request, const dialogs::Reply& reply) {
    const bool group = request.in_group();
    std::string prefix;
    if (group && !request.sender_name.empty()) {
        for (const auto& id : reply.mentions) {
            if (id != request.sender_id) continue;
            prefix = "@" + request.sender_name + " ";
            break;
        }
        if (prefix.size() > kMaxMentionPrefixBytes) prefix.clear();
    }

    json replies = json::array();
    // The first chunk leaves room for the mention prefix so text_with_mentions fits the limit too.
    std::vector<std::string> chunks;
    // A bridge sends every text as messages of its own, so the follow-ups simply come after.
    std::vector<std::string> texts = reply.texts;
    texts.insert(texts.end(), reply.follow_ups.begin(), reply.follow_ups.end());
    for (const auto& text : texts) {
        const std::size_t budget =
            chunks.empty() ? kBridgeReplyMaxBytes - prefix.size() : kBridgeReplyMaxBytes;
        std::vector<std::string> first = split_for_messages({text}, budget);
        if (first.empty()) continue;
        if (chunks.empty() && first.size() > 1) {
            // Re-split what follows the first chunk at the full limit.
            std::string rest;
            for (std::size_t i = 1; i < first.size(); ++i) rest += first[i];
            first.resize(1);
            for (auto& chunk : split_for_messages({rest}, kBridgeReplyMaxBytes)) {
                first.push_back(std::move(chunk));
            }
        }
        for (auto& chunk : first) chunks.push_back(std::move(chunk));
    }

    for (std::size_t i = 0; i < chunks.size(); ++i) {
        json item = {{"text", chunks[i]}, {"mentions", json::array()}};
        if (i == 0 && group) {
            for (const auto& id : reply.mentions) item["mentions"].push_back(id);
            item["text_with_mentions"] = prefix + chunks[i];
        } else {
            item["text_with_mentions"] = chunks[i];
        }
        replies.push_back(std::move(item));
    }
    // Only a bridge that announced private_replies gets them: another would post them in the room.
    if (request.private_replies) {
        for (auto& chunk : split_for_messages(reply.private_texts, kBridgeReplyMaxBytes)) {
            json item = {{"text", chunk},
                         {"mentions", json::array()},
                         {"text_with_mentions", chunk},
                         {"private", true},
                         {"to", request.sender_id}};
            replies.push_back(std::move(item));
        }
    }
    return json_util::dump(json{{"replies", std::move(replies)}});
}

}  // namespace kayou::channels
