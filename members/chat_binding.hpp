#pragma once
// Linking a chat to an application made on the web join page. The page is opened from a link
// that may have been posted in a group of strangers, so nothing about the chat that asked for
// the link says whose application it is. The applicant is whoever proved his phone number by SMS
// code on the page; after the submit the page shows him a bind code, and he links his own 1:1
// chat by sending "绑定 <code>" there (dialogs/binding_dialog.hpp). The code is single-use and
// expires; it is stored only as its keyed lookup hash. (His phone links the application too: an
// SMS "进度" from that number finds it, bot/sms_webhooks.cpp.)
//
// Keys (prefix "kayou:"):
//   bind:{<lookup hash of the code>}  string: the application id, expires after kBindCodeTtl
//   bind:fail:{<driver>}              wrong codes sent from one chat in the last hour
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/sealed_box.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::members {

inline constexpr std::chrono::seconds kBindCodeTtl{7 * 24 * 3600};
// Wrong codes one chat may send per hour: 32^8 codes make guessing hopeless, this makes it slow.
inline constexpr int kBindFailuresPerHour = 5;
// Letters and digits that cannot be mistaken for one another on a phone screen (no 0/O, 1/I/L).
inline constexpr std::string_view kBindCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

// Eight characters of kBindCodeAlphabet from the CSPRNG, shown as "ABCD-2345".
std::string random_bind_code();
// "abcd-2345", "ABCD 2345", "abcd2345" -> "ABCD2345"; nullopt unless exactly eight characters
// of the alphabet remain after removing spaces and hyphens (ASCII only: fold width first).
std::optional<std::string> normalize_bind_code(std::string_view text);

class ChatBinding {
public:
    ChatBinding(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                std::string key_prefix = "kayou:");

    // A fresh code for the application (shown once, to its applicant). Throws redis::Error.
    boost::asio::awaitable<std::string> issue(std::string application_id);

    enum class Outcome { linked, unknown, limited };
    struct Redeemed {
        Outcome outcome = Outcome::unknown;
        std::string application_id;  // linked
    };
    // Takes the code (it works once) and makes the application the latest of `driver_key`
    // (ApplicationStore::driver_key of the chat); `driver` ("<channel>:<sender id>") counts the
    // chat's wrong codes.
    boost::asio::awaitable<Redeemed> redeem(std::string code, std::string driver_key,
                                            std::string driver);

    // The code stops working (it was shown where others could read it).
    boost::asio::awaitable<void> revoke(std::string code);

private:
    std::string code_key(const std::string& normalized) const;

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    std::string prefix_;
};

}  // namespace kayou::members
