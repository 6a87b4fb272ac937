#pragma once
// Independent tools the integration tests check kayou against (tests/reference, npm packages
// installed by scripts/test.sh). Tencent's own WXBizMsgCrypt implementation (npm @wecom/crypto,
// installed by scripts/test.sh into tests/reference), so integration tests encrypt requests exactly
// as WeChat would and decrypt kayou's replies independently of kayou's crypto.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kayou::test {

struct ReferenceEncrypted {
    std::string encrypt;
    std::string signature;
};
struct ReferenceDecrypted {
    std::string message;
    std::string receive_id;
    bool signature_ok = false;
};

// Where wx.js lives (KAYOU_REFERENCE_DIR or the source tree); empty if node_modules is missing.
std::string reference_dir();

ReferenceEncrypted reference_encrypt(const std::string& aes_key, const std::string& receive_id,
                                     const std::string& token, const std::string& timestamp,
                                     const std::string& nonce, const std::string& message);
ReferenceDecrypted reference_decrypt(const std::string& aes_key, const std::string& token,
                                     const std::string& timestamp, const std::string& nonce,
                                     const std::string& signature, const std::string& encrypt);

// Drives kayou's review console page in headless chromium (tests/reference/console_review.js):
// log in with `token`, then `action` = "approve" | "reject" (with the typed reason `extra`) |
// "move" (to the district named `extra`), at `mode` = "desktop" (1366x768) | "phone" (390x844).
// Returns what the page showed (see the script) with "console", "csp", "refused" and "overflow",
// or {"failure": why, "step": where}.
nlohmann::json reference_console(std::uint16_t port, const std::string& token,
                                 const std::string& action, const std::string& mode = "phone",
                                 const std::string& extra = "");

// Drives the console's 账号 tab (tests/reference/console_accounts.js) as the city admin with
// `token`: makes a district reviewer `name`, reads its token, revokes it. `mode` as above.
nlohmann::json reference_accounts_console(std::uint16_t port, const std::string& token,
                                          const std::string& mode, const std::string& name);

// Drives kayou's web join page in headless chromium at 390x844 (tests/reference/join_page.js):
// for each mobile, types it and taps 获取验证码; the page's own script solves any proof of work.
// Returns {"messages": [what the page showed after each tap], "challenged": n, "console": [...],
// "csp": [...]} or {"failure": why}.
nlohmann::json reference_join_page(std::uint16_t port, const std::string& token,
                                   const std::vector<std::string>& mobiles);

}  // namespace kayou::test
