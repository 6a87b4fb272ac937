#include "bot/channels/official_account.hpp"

namespace kayou::channels {

bool is_encrypted_oa_request(const net::Target& target) {
    return target.get("encrypt_type") == "aes" && !target.get("msg_signature").empty();
}

Result<EncryptedEnvelope> read_oa_envelope(std::string_view body) {
    return read_encrypted_envelope(body, /*require_agent=*/false);
}

Result<WeChatInbound> decode_oa_message(std::string_view plain_xml) {
    return decode_wechat_message(dialogs::Channel::official_account, plain_xml);
}

std::optional<std::string> build_oa_text_reply(const WeChatInbound& request,
                                               const dialogs::Reply& reply, std::int64_t now) {
    return build_text_reply(request, reply, now);
}

}  // namespace kayou::channels
