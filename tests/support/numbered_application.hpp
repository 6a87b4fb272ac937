#pragma once
// Made-up applications for tests and benches that submit hundreds of them.
#include <string_view>

#include "members/application_store.hpp"

namespace kayou::test {

// The i-th (0 ≤ i < 100,000) of a batch: its own ID number and mobile (137 + i), and the chat
// "bridge:<tag>-<mobile>"; 张三丰, 苏D12345, 武进区, 顺丰速运, submitted now, due a day later.
members::NewApplication numbered_application(int i, std::string_view tag);

}  // namespace kayou::test
