#pragma once
// The XML message shape shared by the Official Account and the WeCom self-built app
// (§3.1): both send the same flat XML (decrypted by crypto::WxMsgCrypt first in safe mode) and
// take the same passive text reply. official_account.hpp and wecom_app.hpp are the entry points;
// this header holds what they share.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/channels/wechat_xml.hpp"
#include "dialogs/message.hpp"
#include "net/decode_error.hpp"

namespace kayou::channels {

// One passive reply carries one text message; ~2048 bytes is the measured OA limit and the
// documented WeCom app text limit ("发送应用消息": text at most 2048 bytes).
inline constexpr std::size_t kWeChatReplyMaxBytes = 2048;

// The body that acknowledges a push without answering it; it stops WeChat's retries (§2.5).
// WeCom also accepts it (an empty 200 body works there too).
inline constexpr std::string_view kWeChatAck = "success";

enum class WeChatKind { text, location, image, voice, video, link, event, other };

struct WeChatInbound {
    // channel, dedupe_key, chat_type single, chat_id = sender_id = reply_handle = FromUserName,
    // mentioned_bot = true (every 1:1 message is addressed to the bot), text, location, time.
    dialogs::Message message;
    WeChatKind kind = WeChatKind::other;
    std::string msg_type;    // MsgType as sent ("text", "event", "shortvideo", ...)
    std::string event;       // Event as sent ("subscribe", "unsubscribe", "LOCATION", "CLICK", ...)
    std::string event_key;   // EventKey: "qrscene_<param>" for a QR-code subscribe, menu keys
    std::string account_id;  // ToUserName: the OA's original id (gh_...) or the WeCom CorpID
    std::string agent_id;    // WeCom AgentID; empty for the OA
    std::string msg_id;      // MsgId as a decimal string (64-bit: keep it a string); "" for events
    std::string media_id;    // MediaId for image / voice / video
    int scale = 0;           // map zoom of a location message
    double precision = 0;    // accuracy of a LOCATION event report, metres

    bool is_event(std::string_view name) const {
        return kind == WeChatKind::event && event == name;
    }
    // False where WeChat shows nothing or forbids content: the periodic LOCATION report (ack with
    // "success" only, §2.3) and unsubscribe (the user has left). The handler then acks.
    bool accepts_reply() const;
};

// The encrypted envelope of safe / compatible mode: OA <ToUserName><Encrypt>, WeCom
// <ToUserName><Encrypt><AgentID>. `encrypt` is the base64 text exactly as received, as
// msg_signature and decryption need it.
struct EncryptedEnvelope {
    std::string to_user;
    std::string encrypt;
    std::string agent_id;  // WeCom only; may be empty
};

// Decodes a plaintext message of either channel. Required: ToUserName, FromUserName, MsgType and
// a numeric CreateTime; a location needs valid Location_X/Location_Y. Errors are bad_request (or
// too_large over kMaxXmlBytes).
// Dedupe key: "<channel>:<FromUserName>:<MsgId>" (MsgId alone collided across users); for
// events "<channel>:<FromUserName>:<Event>@<CreateTime>" (no MsgId; the event name keeps a
// subscribe and the LOCATION report sent in the same second apart).
Result<WeChatInbound> decode_wechat_message(dialogs::Channel channel, std::string_view plain_xml);

// Reads the envelope; requires ToUserName and a non-empty Encrypt (AgentID when require_agent).
Result<EncryptedEnvelope> read_encrypted_envelope(std::string_view body, bool require_agent);

// The plaintext passive text reply (§2.4): <xml><ToUserName/><FromUserName/><CreateTime/>
// <MsgType>text</MsgType><Content/></xml>. `content` is written as given (CDATA-safe).
std::string build_text_reply_xml(std::string_view to_user, std::string_view from_user,
                                 std::int64_t create_time, std::string_view content);

// The reply to `request` carrying `texts` joined into one message within kWeChatReplyMaxBytes
// (join_for_one_message: blank lines between texts, "…" when cut), To/From swapped. nullopt when
// there is nothing to say: answer kWeChatAck instead, because an empty <Content> is not an
// empty reply (§2.5).
std::optional<std::string> build_text_reply(const WeChatInbound& request,
                                            const dialogs::Reply& reply, std::int64_t now);

// The safe-mode response around an already encrypted reply (§2.4), element order as in the
// official samples; TimeStamp is bare digits (it is CDATA only if it is not all digits).
std::string build_encrypted_reply_xml(std::string_view encrypt, std::string_view msg_signature,
                                      std::string_view timestamp, std::string_view nonce);

}  // namespace kayou::channels
