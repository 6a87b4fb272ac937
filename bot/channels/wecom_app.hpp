#pragma once
// WeCom self-built app (企业微信自建应用) callback codec (WeCom "接收消息与事件"). Always
// encrypted, receiveid = CorpID. Flow: read_wecom_envelope(body) -> verify + decrypt ->
// decode_wecom_app_message -> dialogs -> build_wecom_app_text_reply -> encrypt ->
// build_encrypted_reply_xml. No reply: an empty 200 body (or kWeChatAck).
#include "bot/channels/wechat_message.hpp"

namespace kayou::channels {

// <xml><ToUserName/><Encrypt/><AgentID/></xml>; AgentID may be absent (corp-level events).
Result<EncryptedEnvelope> read_wecom_envelope(std::string_view body);

// Plaintext XML -> Message with channel wecom_app, dedupe key "wecom_app:<UserID>:<MsgId>".
Result<WeChatInbound> decode_wecom_app_message(std::string_view plain_xml);

// ToUserName = the member's UserID, FromUserName = the CorpID (the request's ToUserName).
std::optional<std::string> build_wecom_app_text_reply(const WeChatInbound& request,
                                                      const dialogs::Reply& reply,
                                                      std::int64_t now);

}  // namespace kayou::channels
