#include "bot/channels/wecom_app.hpp"

namespace kayou::channels {

Result<EncryptedEnvelope> read_wecom_envelope(std::string_view body) {
    return read_encrypted_envelope(body, /*require_agent=*/false);
}

Result<WeChatInbound> decode_wecom_app_message(std::string_view plain_xml) {
    return decode_wechat_message(dialogs::Channel::wecom_app, plain_xml);
}

std::optional<std::string> build_wecom_app_text_reply(const WeChatInbound& request,
                                                      const dialogs::Reply& reply,
                                                      std::int64_t now) {
    return build_text_reply(request, reply, now);
}

}  // namespace kayou::channels
