#pragma once
// The admin console's page and scripts (bot/admin/console.html, console.js, console_content.js),
// embedded into the binary at build time (bot/CMakeLists.txt) so a deployment is one file plus its
// config.
#include <string_view>

namespace kayou::bot::admin {

std::string_view console_html();
std::string_view console_js();
std::string_view console_content_js();   // the content tab (内容, 漏答)
std::string_view console_accounts_js();  // the accounts tab (账号)

}  // namespace kayou::bot::admin
