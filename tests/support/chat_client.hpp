#pragma once
// What end-to-end chat tests share: talking to kayou through the signed group-bridge webhook
// (docs/bridge-protocol.md) as a bridge would, unique ids, and reading Redis the way an operator
// would (redis-cli), for checks only.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kayou::test {

std::int64_t unix_now();
// prefix + pid + time + a counter: unique across the tests of one run and across processes.
std::string unique_id(const std::string& prefix);

// kayou's replies to one message.
struct Said {
    int status = 0;
    std::vector<std::string> texts;
    std::vector<std::string> mentions;
    std::string all() const;  // the texts, one per line
};

// A bridge message: 1:1 unless `room` is given; `mentioned` = the bot was @-mentioned.
nlohmann::json bridge_message(const std::string& sender, const std::string& text,
                              const std::string& room = "", bool mentioned = false);
// Signs `body` with `secret` (HMAC of timestamp + "." + body) and posts it; a non-200 answer is
// a test failure (ADD_FAILURE) and an empty Said with its status.
Said bridge_post(std::uint16_t port, const std::string& secret, const nlohmann::json& body);

// An Official Account text message from `openid` as WeChat writes it, before any encryption.
std::string oa_text_xml(const std::string& openid, const std::string& msg_id,
                        const std::string& text);
// Posts `text` from `openid` to /wx/oa in plaintext mode, signed with the account's `token`, as
// message `msg_id` ("" = a fresh one). The passive reply's Content is Said::texts (none when
// kayou only acknowledged); any status is returned, not judged.
Said oa_post(std::uint16_t port, const std::string& token, const std::string& openid,
             const std::string& text, const std::string& msg_id = "");

// redis-cli -p <port> --raw <args>: its output lines.
std::vector<std::string> redis_cli(std::uint16_t port, const std::string& args);
// The same on exactly that node, following no redirection.
std::vector<std::string> redis_cli_on_node(std::uint16_t port, const std::string& args);
std::string redis_cli1(std::uint16_t port, const std::string& args);  // the first line
std::map<std::string, std::string> redis_hgetall(std::uint16_t port, const std::string& key);

// The newest verification code the durable SMS outbox holds for `phone` (opened with the
// configured data key, base64), or "" when none.
std::string latest_code(std::uint16_t redis_port, const std::string& data_key,
                        const std::string& phone);

}  // namespace kayou::test
