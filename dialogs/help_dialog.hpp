#pragma once
// The placeholder dialog that proves the whole path end to end: help text, or an echo in 1:1
// chats. The scripted join / legal / benefits flows replace it.
#include "dialogs/dialog.hpp"

namespace kayou::dialogs {

class HelpDialog : public Dialog {
public:
    boost::asio::awaitable<Reply> handle(const Message& message) override;

    // Pure core of handle(), for tests.
    static Reply answer(const Message& message);
};

}  // namespace kayou::dialogs
