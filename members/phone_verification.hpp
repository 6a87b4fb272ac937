#pragma once
// Phone ownership by a 6-digit SMS code (DESIGN.md "Join"). Every limit is enforced inside one
// Lua script per operation, so two kayou processes cannot together exceed it:
//   - a code is valid for `code_ttl` (5 min) and `max_tries` (5) attempts, then it is gone;
//   - at most one code per `per_minute_window` (1 min) and `per_hour` (5) per rolling-from-first
//     hour per phone.
// Keys (the phone appears only as its keyed lookup hash, never in a key or value):
//   phone:{<hash>}:code    hash {h: lookup_hash(phone ":" code), tries}, expires with the code
//   phone:{<hash>}:minute  "1" while a new code must wait
//   phone:{<hash>}:hour    codes sent in the current hour window
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
    std::chrono::seconds per_minute_window{60};
    int per_hour = 5;
};

struct CodeIssue {
    std::string outcome;  // ok | rate_minute | rate_hour
    std::string code;     // the 6 digits when ok (to put into the SMS, nowhere else)
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

    // Stores a new code (replacing an older one) unless a limit says no. `code` empty = draw one.
    boost::asio::awaitable<CodeIssue> issue(std::string phone, std::string code = {});
    boost::asio::awaitable<CodeCheck> check(std::string phone, std::string code);

    // The keyed lookup hash that stands for the phone in keys.
    std::string phone_hash(const std::string& phone) const { return box_.lookup_hash(phone); }

private:
    std::string key(const std::string& phone_hash, const char* suffix) const;

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    std::string prefix_;
    VerificationLimits limits_;
};

}  // namespace kayou::members
