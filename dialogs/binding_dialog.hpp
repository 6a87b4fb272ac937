#pragma once
// "绑定 ABCD-2345": links the sender's own 1:1 chat to the web application whose bind code it is
// (members/chat_binding.hpp), so that 进度 there shows it. Runs before the router and passes every
// other message on unchanged. In a group the code is never redeemed: everyone saw it, so it is
// revoked and the driver is told how else to find his application.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dialogs/dialog.hpp"

namespace kayou::members {
class ApplicationStore;
class ChatBinding;
}  // namespace kayou::members

namespace kayou::dialogs {

// Pure: the code of a bind request ("绑定 abcd-2345", "绑定码：ＡＢＣＤ２３４５", "绑定ABCD2345"),
// "" for "绑定" alone, nullopt when the text is not a bind request.
std::optional<std::string> bind_request(std::string_view text);

class BindingDialog : public Dialog {
public:
    using Log = std::function<void(std::string_view event, std::string_view detail)>;
    BindingDialog(Dialog& next, members::ChatBinding& binding,
                  members::ApplicationStore& applications, Log log = {});

    boost::asio::awaitable<Reply> handle(const Message& message) override;
    bool claims_inline(const Message& message) const override;
    boost::asio::awaitable<std::optional<Reply>> handle_claiming(const Message& message,
                                                                 DedupeClaim& claim) override;

private:
    boost::asio::awaitable<Reply> bind(const Message& message, std::string code);

    Dialog& next_;
    members::ChatBinding& binding_;
    members::ApplicationStore& applications_;
    Log log_;
};

}  // namespace kayou::dialogs
