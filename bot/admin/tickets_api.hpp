#pragma once
// Admin HTTP API of the legal-aid desk (roles legal_desk and city_admin; docs/admin-api.md):
//   GET  /admin/api/tickets?state=open|answered|closed|all   the queue (open: oldest first)
//   POST /admin/api/tickets                  open a ticket for a driver who phoned or walked in
//   GET  /admin/api/tickets/stats            per category: opened, answered, closed, median time
//   GET  /admin/api/tickets/<number>         one ticket (phone masked)
//   POST /admin/api/tickets/<number>/answer  {"text": ...} → stored and delivered to the driver
//   POST /admin/api/tickets/<number>/close
#include <boost/asio/awaitable.hpp>

#include "bot/admin/auth.hpp"
#include "bot/http_server.hpp"

namespace kayou::faq {
class TicketDesk;
}

namespace kayou::bot::admin {

class TicketsApi {
public:
    TicketsApi(const Authenticator& auth, AuditLog& audit, faq::TicketDesk& desk);
    void install(HttpServer& server);

    boost::asio::awaitable<HttpResponse> collection(HttpRequest& request);
    boost::asio::awaitable<HttpResponse> item(HttpRequest& request);

private:
    const Authenticator& auth_;
    AuditLog& audit_;
    faq::TicketDesk& desk_;
};

}  // namespace kayou::bot::admin
