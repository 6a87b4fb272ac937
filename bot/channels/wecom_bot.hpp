#pragma once
// WeCom smart robot (企业微信智能机器人) webhook codec (WeCom "智能机器人" callbacks): JSON,
// encrypted with receiveid
// "". Flow: read_wecom_bot_envelope(body) -> verify msg_signature over it + decrypt ->
// decode_wecom_bot_message(plaintext) -> dialogs -> build_wecom_bot_stream_reply(...) -> encrypt
// -> build_wecom_bot_encrypted_response(...).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dialogs/message.hpp"
#include "net/decode_error.hpp"

namespace kayou::channels {

inline constexpr std::size_t kMaxWecomBotBodyBytes = 64 * 1024;
// stream.content: "最长不超过20480个字节，必须是utf8编码" (passive reply doc, path/101031).
inline constexpr std::size_t kWecomStreamMaxBytes = 20480;
// Message::answer_bytes of the robot: two whole answers with their legal basis fit (each is kept
// under ~1,500 bytes), well inside the stream with the other lines of a reply.
inline constexpr std::size_t kWecomBotAnswerBytes = 8192;

enum class WecomBotKind {
    message,         // text / mixed / voice / image / file / video: goes to dialogs
    stream_refresh,  // msgtype "stream": WeCom polls for the current text of stream_id
    event,           // msgtype "event": enter_chat, template_card_event, feedback_event ...
    unsupported,     // any other msgtype: acknowledge and ignore
};

struct WecomBotInbound {
    WecomBotKind kind = WecomBotKind::unsupported;
    // channel wecom_bot; dedupe_key "wecom_bot:<msgid>" (empty for stream refreshes: each one
    // must be answered, never dropped as a duplicate); chat_type from chattype; chat_id = chatid in
    // groups, from.userid in 1:1; sender_id = from.userid; reply_handle = response_url;
    // mentioned_bot = true (group messages reach the robot only when it is @-mentioned, 1:1 ones
    // are addressed to it); text with the @-prefix stripped; time = create_time, else `now`.
    dialogs::Message message;
    std::string msg_type;  // as sent
    std::string msg_id;    // as sent
    std::string aibot_id;
    std::string stream_id;   // stream_refresh only: stream.id
    std::string event_type;  // event only: event.eventtype
};

// {"encrypt":"<base64>"} -> the base64 text as received. too_large over kMaxWecomBotBodyBytes.
Result<std::string> read_wecom_bot_envelope(std::string_view body);

// Decrypted JSON -> WecomBotInbound. Required: msgid, msgtype, from.userid; chatid in groups.
// Text: text.content; mixed: the text items joined by "\n"; voice: voice.content (WeCom's
// transcript); image/file/video: no text. In groups the leading "@<robot name>" (followed by a
// space or U+2005) is removed: `bot_name` when given and present, else the first @-token.
Result<WecomBotInbound> decode_wecom_bot_message(std::string_view plain_json, std::int64_t now,
                                                 std::string_view bot_name = {});

// {"msgtype":"stream","stream":{"id":..,"finish":..,"content":..}}; content is cleaned and cut to
// kWecomStreamMaxBytes with a "…" marker.
std::string build_wecom_bot_stream_reply(std::string_view stream_id, bool finish,
                                         std::string_view markdown);
// A finished stream carrying reply.texts joined by blank lines (join_for_one_message), each made
// markdown_literal first: the robot renders the content as markdown.
std::string build_wecom_bot_stream_reply(std::string_view stream_id, const dialogs::Reply& reply);

// {"encrypt":..,"msgsignature":..,"timestamp":..,"nonce":..} (key spelled msgsignature, §3.2).
// The timestamp is written as a JSON string, as in the official sample.
std::string build_wecom_bot_encrypted_response(std::string_view encrypt,
                                               std::string_view msg_signature,
                                               std::string_view timestamp, std::string_view nonce);

}  // namespace kayou::channels
