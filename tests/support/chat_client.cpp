#include "tests/support/chat_client.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "bot/channels/bridge.hpp"
#include "bot/channels/wechat_xml.hpp"
#include "crypto/sealed_box.hpp"
#include "crypto/wx_msg_crypt.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string unique_id(const std::string& prefix) {
    static std::atomic<int> counter{0};
    return prefix + std::to_string(::getpid()) + "_" + std::to_string(unix_now()) + "_" +
           std::to_string(++counter);
}

std::string oa_text_xml(const std::string& openid, const std::string& msg_id,
                        const std::string& text) {
    // WeChat escapes "]]>" inside CDATA the standard way; so do we, with kayou's writer helper.
    std::string content;
    channels::append_cdata_content(content, text);
    return "<xml><ToUserName><![CDATA[gh_kayoutest01]]></ToUserName><FromUserName><![CDATA[" +
           openid + "]]></FromUserName><CreateTime>" + std::to_string(unix_now()) +
           "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + content +
           "]]></Content><MsgId>" + msg_id + "</MsgId></xml>";
}

Said oa_post(std::uint16_t port, const std::string& token, const std::string& openid,
             const std::string& text, const std::string& msg_id) {
    static std::atomic<long long> fresh_id{1000000};
    const std::string id =
        msg_id.empty() ? std::to_string(++fresh_id) + std::to_string(::getpid()) : msg_id;
    const auto timestamp = std::to_string(unix_now());
    const std::string nonce = "4242";
    const auto signature = crypto::wx_plain_signature(token, timestamp, nonce);
    auto response = http_request(port, "POST",
                                 "/wx/oa?signature=" + signature + "&timestamp=" + timestamp +
                                     "&nonce=" + nonce + "&openid=" + openid,
                                 oa_text_xml(openid, id, text), {{"Content-Type", "text/xml"}},
                                 std::chrono::seconds(20));
    Said said;
    said.status = response.status;
    if (response.status != 200) return said;
    auto reply = channels::parse_wechat_xml(response.body);
    if (reply.ok()) said.texts.emplace_back(reply->get("Content"));
    return said;
}

std::string Said::all() const {
    std::string out;
    for (const auto& text : texts) out += text + "\n";
    return out;
}

nlohmann::json bridge_message(const std::string& sender, const std::string& text,
                              const std::string& room, bool mentioned) {
    nlohmann::json body{{"message_id", unique_id("m")},
                        {"timestamp", unix_now()},
                        {"sender", {{"id", sender}, {"name", "老李"}}},
                        {"text", text},
                        {"mentioned_bot", mentioned}};
    if (!room.empty()) body["room"] = {{"id", room}, {"name", "卡友群"}};
    return body;
}

Said bridge_post(std::uint16_t port, const std::string& secret, const nlohmann::json& body) {
    const std::string payload = body.dump();
    const auto ts = std::to_string(unix_now());
    auto response =
        http_request(port, "POST", "/bridge/message", payload,
                     {{"Content-Type", "application/json"},
                      {"X-Kayou-Timestamp", ts},
                      {"X-Kayou-Signature", channels::bridge_signature(secret, ts, payload)}},
                     std::chrono::seconds(20));
    Said said;
    said.status = response.status;
    if (response.status != 200) {
        ADD_FAILURE() << "bridge answered " << response.status << ": " << response.body;
        return said;
    }
    // Named: a range-for must not iterate a member of a temporary.
    const auto parsed = nlohmann::json::parse(response.body);
    for (const auto& reply : parsed.at("replies")) {
        said.texts.push_back(reply.at("text").get<std::string>());
        if (reply.contains("mentions"))
            for (const auto& m : reply.at("mentions"))
                said.mentions.push_back(m.get<std::string>());
    }
    return said;
}

std::vector<std::string> redis_cli(std::uint16_t port, const std::string& args) {
    // A test cluster of three primaries (tests/support/redis_server.hpp): -c follows -MOVED, and
    // --scan, which sees one node's keys only, runs on every node.
    const auto nodes = RedisServer::cluster_ports_of(port);
    if (!nodes.empty() && args.rfind("--scan", 0) == 0) {
        std::vector<std::string> all;
        for (const auto node : nodes) {
            auto lines = redis_cli_on_node(node, args);
            all.insert(all.end(), lines.begin(), lines.end());
        }
        return all;
    }
    std::string node_args = args;
    if (!nodes.empty()) node_args = "-c " + args;
    return redis_cli_on_node(port, node_args);
}

std::vector<std::string> redis_cli_on_node(std::uint16_t port, const std::string& args) {
    const std::string command = "redis-cli -p " + std::to_string(port) + " --raw " + args;
    std::vector<std::string> lines;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return lines;
    std::array<char, 65536> buffer;
    std::string current;
    while (std::fgets(buffer.data(), buffer.size(), pipe)) {
        current += buffer.data();
        if (!current.empty() && current.back() == '\n') {
            current.pop_back();
            lines.push_back(current);
            current.clear();
        }
    }
    if (!current.empty()) lines.push_back(current);
    ::pclose(pipe);
    return lines;
}

std::string redis_cli1(std::uint16_t port, const std::string& args) {
    auto lines = redis_cli(port, args);
    return lines.empty() ? std::string() : lines.front();
}

std::map<std::string, std::string> redis_hgetall(std::uint16_t port, const std::string& key) {
    auto lines = redis_cli(port, "HGETALL '" + key + "'");
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i + 1 < lines.size(); i += 2) out[lines[i]] = lines[i + 1];
    return out;
}

std::string latest_code(std::uint16_t redis_port, const std::string& data_key,
                        const std::string& phone) {
    const auto box = crypto::SealedBox::from_base64_key(data_key);
    if (!box) return {};
    const std::string pattern = "kayou:{sms}:idem:verify:" + box->lookup_hash(phone) + ":*";
    std::string best_code;
    long long best_at = -1;
    for (const auto& idem : redis_cli(redis_port, "--scan --pattern '" + pattern + "'")) {
        const std::string id = redis_cli1(redis_port, "GET '" + idem + "'");
        auto record = redis_hgetall(redis_port, "kayou:{sms}:msg:" + id);
        auto params = box->open(record["params"], "sms:" + id + ":params");
        if (!params) continue;
        const auto json = nlohmann::json::parse(*params);
        const long long at = std::stoll(record["created_ms"]);
        if (at > best_at) {
            best_at = at;
            best_code = json.at(0).get<std::string>();
        }
    }
    return best_code;
}

}  // namespace kayou::test
