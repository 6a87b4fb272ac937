#pragma once
// WeChat Official Account (公众号) callback codec (WeChat "消息管理" docs). The handler verifies
// signatures and decrypts (crypto/wx_msg_crypt.hpp); these functions only read and write the XML.
//
// POST flow, safe mode: read_oa_envelope(body) -> verify msg_signature over envelope.encrypt ->
// decrypt -> decode_oa_message(plaintext) -> dialogs -> build_oa_text_reply(...) -> encrypt ->
// build_encrypted_reply_xml(...). Plaintext mode: decode_oa_message(body) and return the reply
// XML as is. No reply: answer kWeChatAck ("success").
#include "bot/channels/wechat_message.hpp"
#include "net/query.hpp"

namespace kayou::channels {

// Whether a request (GET check or POST push) uses the encrypted scheme: both encrypt_type=aes
// and msg_signature in the query, as node-webot decides (§2.2, §2.3). Otherwise it is plaintext
// mode: the plain signature over (token, timestamp, nonce) and, for GET, echostr echoed as is.
bool is_encrypted_oa_request(const net::Target& target);

// Safe mode body <xml><ToUserName/><Encrypt/></xml>; also reads compatible-mode bodies.
Result<EncryptedEnvelope> read_oa_envelope(std::string_view body);

// Plaintext XML -> Message with channel official_account, dedupe key "oa:<openid>:<MsgId>".
Result<WeChatInbound> decode_oa_message(std::string_view plain_xml);

// See build_text_reply: ToUserName = the user's openid, FromUserName = the account (gh_...).
std::optional<std::string> build_oa_text_reply(const WeChatInbound& request,
                                               const dialogs::Reply& reply, std::int64_t now);

}  // namespace kayou::channels
