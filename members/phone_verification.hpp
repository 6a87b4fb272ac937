#pragma once
// Phone ownership by a 6-digit SMS code (DESIGN.md "Join"). A code is valid for `code_ttl`
// (5 min) and `max_tries` (5) attempts, then it is gone; each operation is one Lua script.
// A code belongs to whoever asked for it (the owner: a chat sender, or one join link), and only
// the owner's guesses count against it: someone else guessing at the same number reaches no
// code at all, so he cannot lock the driver's. How many codes may be sent at all is decided
// before a code is issued (members/code_desk.hpp).
// Key (the phone and the owner appear only as keyed lookup hashes, never in a key or value):
//   phone:{<hash>}:code:<owner hash>   hash {h: lookup_hash(phone ":" code), tries}, expires
//                                      with the code
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "crypto/sealed_box.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::members {

struct VerificationLimits {
    std::chrono::seconds code_ttl{300};
    int max_tries = 5;
};

struct CodeCheck {
    std::string outcome;  // ok | wrong | expired | locked
    int remaining = 0;    // wrong: tries left
};

// Six uniformly random digits from the CSPRNG.
std::string random_code();

class PhoneVerification {
public:
    PhoneVerification(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                      std::string key_prefix = "kayou:", VerificationLimits limits = {});

    // Stores a new code for (phone, owner), replacing that owner's older one, and returns it (to
    // put into the SMS, nowhere else). `code` empty = draw one.
    boost::asio::awaitable<std::string> issue(std::string phone, std::string owner,
                                              std::string code = {});
    // Only the owner's code is looked at: for anyone else the answer is "expired".
    boost::asio::awaitable<CodeCheck> check(std::string phone, std::string owner, std::string code);

    // The keyed lookup hash that stands for the phone in keys.
    std::string phone_hash(const std::string& phone) const { return box_.lookup_hash(phone); }

private:
    std::string code_key(const std::string& phone, const std::string& owner) const;

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    std::string prefix_;
    VerificationLimits limits_;
};

}  // namespace kayou::members
