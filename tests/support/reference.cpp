#include "tests/support/reference.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kayou::test {

namespace {

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out.push_back(c);
    }
    return out + "'";
}

// Runs `node <script> <arguments> < input` from the reference directory and parses the one JSON
// line it prints. A non-zero exit throws unless `allow_failure` (the script reports why in JSON).
nlohmann::json run_node(const std::string& script, const std::string& arguments,
                        const std::string& input, bool allow_failure = false) {
    const std::string dir = reference_dir();
    if (dir.empty())
        throw std::runtime_error(
            "reference tools missing: run scripts/test.sh (npm ci in tests/reference)");
    char input_path[] = "/tmp/kayou-reference-XXXXXX";
    const int fd = ::mkstemp(input_path);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    std::ofstream(input_path, std::ios::binary) << input;
    const std::string command =
        "node " + shell_quote(dir + "/" + script) + " " + arguments + " < " + input_path;
    std::string output;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
        const int status = ::pclose(pipe);
        std::filesystem::remove(input_path);
        if (status != 0 && !allow_failure)
            throw std::runtime_error("reference tool failed: " + command);
    } else {
        throw std::runtime_error("cannot run node");
    }
    return nlohmann::json::parse(output);
}

nlohmann::json run_reference(const std::string& arguments, const std::string& input) {
    return run_node("wx.js", arguments, input);
}

}  // namespace

nlohmann::json reference_console(std::uint16_t port, const std::string& token,
                                 const std::string& action, const std::string& mode,
                                 const std::string& extra) {
    return run_node("console_review.js",
                    std::to_string(port) + " " + shell_quote(token) + " " + shell_quote(action) +
                        " " + shell_quote(mode) + " " + shell_quote(extra),
                    "", true);
}

nlohmann::json reference_accounts_console(std::uint16_t port, const std::string& token,
                                          const std::string& mode, const std::string& name) {
    return run_node("console_accounts.js",
                    std::to_string(port) + " " + shell_quote(token) + " " + shell_quote(mode) +
                        " " + shell_quote(name),
                    "", true);
}

nlohmann::json reference_join_page(std::uint16_t port, const std::string& token,
                                   const std::vector<std::string>& mobiles) {
    std::string arguments = std::to_string(port) + " " + shell_quote(token);
    for (const auto& mobile : mobiles) arguments += " " + shell_quote(mobile);
    return run_node("join_page.js", arguments, "", true);
}

std::string reference_dir() {
    std::string dir = KAYOU_SOURCE_DIR "/tests/reference";
    if (const char* env = std::getenv("KAYOU_REFERENCE_DIR")) dir = env;
    if (!std::filesystem::exists(dir + "/node_modules/@wecom/crypto")) return {};
    return dir;
}

ReferenceEncrypted reference_encrypt(const std::string& aes_key, const std::string& receive_id,
                                     const std::string& token, const std::string& timestamp,
                                     const std::string& nonce, const std::string& message) {
    auto json = run_reference("encrypt " + shell_quote(aes_key) + " " + shell_quote(receive_id) +
                                  " " + shell_quote(token) + " " + shell_quote(timestamp) + " " +
                                  shell_quote(nonce),
                              message);
    return {json.at("encrypt"), json.at("signature")};
}

ReferenceDecrypted reference_decrypt(const std::string& aes_key, const std::string& token,
                                     const std::string& timestamp, const std::string& nonce,
                                     const std::string& signature, const std::string& encrypt) {
    auto json = run_reference("decrypt " + shell_quote(aes_key) + " " + shell_quote(token) + " " +
                                  shell_quote(timestamp) + " " + shell_quote(nonce) + " " +
                                  shell_quote(signature),
                              encrypt);
    return {json.at("message"), json.at("id"), json.at("signature_ok")};
}

}  // namespace kayou::test
