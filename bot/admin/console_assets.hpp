#pragma once
// The review console's page and script (bot/admin/console.html, console.js), embedded into the
// binary at build time (bot/CMakeLists.txt) so a deployment is one file plus its config.
#include <string_view>

namespace kayou::bot::admin {

std::string_view console_html();
std::string_view console_js();

}  // namespace kayou::bot::admin
