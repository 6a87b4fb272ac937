#include "redis/script.hpp"

#include <openssl/sha.h>

#include <iterator>

namespace kayou::redis {

std::string sha1_hex(const std::string& data) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(2 * SHA_DIGEST_LENGTH, '\0');
    for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0x0f];
    }
    return out;
}

std::vector<std::string> evalsha_command(const Script& script, std::vector<std::string> keys,
                                         std::vector<std::string> args) {
    std::vector<std::string> command;
    command.reserve(3 + keys.size() + args.size());
    command.emplace_back("EVALSHA");
    command.push_back(script.sha1());
    command.push_back(std::to_string(keys.size()));
    std::move(keys.begin(), keys.end(), std::back_inserter(command));
    std::move(args.begin(), args.end(), std::back_inserter(command));
    return command;
}

Script::Script(std::string lua) : source_(std::move(lua)), sha1_(sha1_hex(source_)) {}

}  // namespace kayou::redis
