#include "tests/support/numbered_application.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>

namespace kayou::test {

members::NewApplication numbered_application(int i, std::string_view tag) {
    members::NewApplication a;
    a.name = "张三丰";
    char id_card[32];
    std::snprintf(id_card, sizeof id_card, "3201021990010%05d", i);
    a.id_card = id_card;
    char mobile[16];
    std::snprintf(mobile, sizeof mobile, "137%08d", i);
    a.mobile = mobile;
    a.plate = "苏D12345";
    a.district = "wujin";
    a.employer = "顺丰速运";
    a.channel = "bridge";
    a.driver = "bridge:" + std::string(tag) + "-" + mobile;
    a.submitted = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    a.deadline = a.submitted + std::chrono::hours(24);
    return a;
}

members::NewApplication known_application(std::string channel) {
    using namespace std::chrono_literals;
    members::NewApplication a;
    a.name = "张三";
    a.id_card = "320412198501011233";
    a.mobile = "13800138000";
    a.plate = "苏D12345";
    a.district = "wujin";
    a.channel = std::move(channel);
    a.submitted = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 2h;
    a.deadline = a.submitted + 24h;
    return a;
}

}  // namespace kayou::test
