// A Lua script for EVALSHA, with its SHA1 computed once at construction.
#pragma once

#include <string>
#include <vector>

namespace kayou::redis {

// Build scripts once (e.g. as static or member objects) and run them with Client::eval(), which
// sends EVALSHA and falls back to EVAL on NOSCRIPT (after a Redis restart or SCRIPT FLUSH).
class Script {
public:
    explicit Script(std::string lua);

    const std::string& sha1() const { return sha1_; }  // 40 lowercase hex digits
    const std::string& source() const { return source_; }

private:
    std::string source_;
    std::string sha1_;
};

// EVALSHA <sha1> <number of keys> keys... args...: what Client::eval sends first.
std::vector<std::string> evalsha_command(const Script& script, std::vector<std::string> keys,
                                         std::vector<std::string> args);

// Lowercase hex SHA1 of `data`, the digest Redis uses to name scripts.
std::string sha1_hex(const std::string& data);

}  // namespace kayou::redis
