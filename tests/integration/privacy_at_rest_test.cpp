// Personal data sealed everywhere (issue 12, item 5): a scripted session types a name, an ID
// number and a phone number into every place a driver can type free text — a grievance, a legal
// question that misses twice (a ticket with the turns before it), a request for a person, a
// message nobody understands, a group message — then every key kayou wrote and the whole AOF of
// its embedded Redis are scanned: none of the three may appear in clear, nor in the log.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/chat_client.hpp"
#include "tests/support/kayou_process.hpp"

namespace kayou::test {
namespace {

constexpr const char* kBridgeSecret = "bridge-secret-for-privacy-test-0";
constexpr const char* kName = "王小明";
constexpr const char* kPhone = "13912345678";
constexpr const char* kIdCard = "320102198001011234";

std::string run(const std::string& command) {
    std::string out;
    if (FILE* pipe = ::popen((command + " 2>&1").c_str(), "r")) {
        char buffer[4096];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
        ::pclose(pipe);
    }
    return out;
}

TEST(PrivacyAtRest, NoNameIdOrPhoneInClearInAnyKeyOrTheAof) {
    KayouProcess::Options options;
    options.extra_yaml = std::string("privacy:\n  data_key: \"") +
                         "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"\n" +
                         "bridge:\n  enabled: true\n  secret: " + kBridgeSecret + "\n";
    KayouProcess kayou(options);
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    const std::string who = std::string("我叫") + kName + " 电话" + kPhone + " 身份证" + kIdCard;
    const std::string driver = unique_id("privacy");
    const std::vector<std::string> private_texts{
        "我要投诉 乱罚款 " + who,                       // a grievance
        "老板拖欠工资三个月不给怎么办 " + who,          // a legal question
        "那个运输合同上面的违约金条款算不算数 " + who,  // its follow-up (a second miss?)
        "转人工 " + who,                                // a person, with the turns before
        "阿巴阿巴 " + who,                              // not understood
        "1",                                            // answers to whatever was asked
        who,
    };
    for (const auto& text : private_texts)
        bridge_post(kayou.port(), kBridgeSecret, bridge_message(driver, text));
    bridge_post(kayou.port(), kBridgeSecret,
                bridge_message(driver, "@卡友小助手 " + who, unique_id("room"), true));

    const std::string socket = kayou.embedded_redis_socket();
    ASSERT_FALSE(socket.empty());
    // Every key and every value, as text.
    const std::string keys = run("redis-cli -s '" + socket + "' --scan");
    ASSERT_FALSE(keys.empty());
    std::string values;
    std::istringstream lines(keys);
    for (std::string key; std::getline(lines, key);) {
        if (key.empty()) continue;
        const std::string type = run("redis-cli -s '" + socket + "' type '" + key + "'");
        std::string read;
        if (type.rfind("string", 0) == 0) read = "get";
        if (type.rfind("hash", 0) == 0) read = "hgetall";
        if (type.rfind("list", 0) == 0) read = "lrange";
        if (type.rfind("set", 0) == 0) read = "smembers";
        if (type.rfind("zset", 0) == 0) read = "zrange";
        if (type.rfind("stream", 0) == 0) read = "xrange";
        std::string args = "'" + key + "'";
        if (read == "lrange" || read == "zrange") args += " 0 -1";
        if (read == "xrange") args += " - +";
        if (!read.empty())
            values += key + " " + run("redis-cli -s '" + socket + "' --raw " + read + " " + args);
    }
    run("redis-cli -s '" + socket + "' bgrewriteaof");
    std::string aof;
    const auto dir = std::filesystem::path(socket).parent_path();
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() ||
            entry.path().filename().string().find("appendonly") == std::string::npos)
            continue;
        std::ifstream file(entry.path(), std::ios::binary);
        aof +=
            std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    }
    ASSERT_FALSE(aof.empty()) << "no AOF under " << dir;
    for (const char* secret : {kName, kPhone, kIdCard}) {
        EXPECT_EQ(values.find(secret), std::string::npos) << secret << " in a key:\n" << values;
        EXPECT_EQ(aof.find(secret), std::string::npos) << secret << " in the AOF";
        EXPECT_EQ(kayou.log().find(secret), std::string::npos) << secret << " in the log";
    }
}

}  // namespace
}  // namespace kayou::test
