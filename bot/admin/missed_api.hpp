#pragma once
// Admin HTTP API of the missed-questions inbox (faq/missed.hpp, docs/admin-api.md):
//   GET  /admin/api/missed?limit=N               the questions kayou did not answer, grouped
//   POST /admin/api/missed/<id>/dismiss          drop one
//   POST /admin/api/missed/<id>/promote          {"entry": "<id>"} as a new variant of an entry,
//                                                or {"new": {id, answer, legal_basis, tags,
//                                                legal}} as a new entry; "question" overrides the
//                                                stored text, "publish": true publishes at once.
//                                                A new FAQ version either way (422 with the
//                                                script's line messages when it does not parse).
// Roles: faq_editor, city_admin. Every write is audited.
#include <cstdint>
#include <functional>

#include "bot/admin/auth.hpp"
#include "net/http_server.hpp"

namespace kayou::faq {
class ContentStore;
class MissedInbox;
}  // namespace kayou::faq

namespace kayou::bot::admin {

class MissedApi {
public:
    MissedApi(const Authenticator& auth, AuditLog& audit, faq::MissedInbox& inbox,
              faq::ContentStore& store, std::function<std::int64_t()> clock);

    void install(net::HttpServer& server);
    boost::asio::awaitable<net::HttpResponse> handle(net::HttpRequest& request);

private:
    boost::asio::awaitable<net::HttpResponse> promote(std::string id,
                                                      const net::HttpRequest& request,
                                                      const Principal& who);

    const Authenticator& auth_;
    AuditLog& audit_;
    faq::MissedInbox& inbox_;
    faq::ContentStore& store_;
    std::function<std::int64_t()> clock_;
};

}  // namespace kayou::bot::admin
