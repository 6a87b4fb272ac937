#pragma once
// Made-up applications: one known application, and numbered ones for tests and benches that
// submit hundreds.
#include <string>
#include <string_view>

#include "members/application_store.hpp"

namespace kayou::test {

// The i-th (0 ≤ i < 100,000) of a batch: its own ID number and mobile (137 + i), and the chat
// "bridge:<tag>-<mobile>"; 张三丰, 苏D12345, 武进区, 顺丰速运, submitted now, due a day later.
members::NewApplication numbered_application(int i, std::string_view tag);

// 张三's application for 武进区 (ID 320412198501011233, mobile 13800138000, 苏D12345), submitted
// 2026-11-23 10:00 Beijing time through `channel`, due a day later.
members::NewApplication known_application(std::string channel);

}  // namespace kayou::test
