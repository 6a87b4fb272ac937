#pragma once
// A small blocking HTTP/1.1 client for integration tests: every call has a deadline, so a hung
// server fails the test instead of hanging it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kayou::test {

struct HttpResult {
    int status = 0;  // 0 = no response (connection failed or deadline passed)
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string error;
    std::string header(const std::string& lower_name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request on a fresh connection.
HttpResult http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = {}, const Headers& headers = {},
                        std::chrono::milliseconds deadline = std::chrono::seconds(10));

// Several requests over one keep-alive connection.
class HttpConnection {
public:
    explicit HttpConnection(std::uint16_t port,
                            std::chrono::milliseconds deadline = std::chrono::seconds(10));
    ~HttpConnection();
    HttpResult request(const std::string& method, const std::string& target,
                       const std::string& body = {}, const Headers& headers = {});
    // Sends raw bytes and reads one response (for malformed-request tests).
    HttpResult raw(const std::string& bytes);
    bool connected() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::test
