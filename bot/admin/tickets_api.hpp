#pragma once
// Admin HTTP API of the desks' inboxes (docs/admin-api.md "Tickets"): the legal desk works legal
// tickets and grievances, staff the join handoffs of their districts, the city admin everything
// (may_work_ticket). Every read that shows a driver's words is audited first, and not served
// when the audit log cannot be written.
//   GET  /admin/api/tickets?state=open|answered|closed|all   the queue (open: oldest first)
//   POST /admin/api/tickets                  open a ticket for a driver who phoned or walked in
//   GET  /admin/api/tickets/stats            per category: opened, answered, closed, median time
//   GET  /admin/api/tickets/<number>         one ticket (phone masked)
//   POST /admin/api/tickets/<number>/answer  {"text": ...} → stored and delivered to the driver
//   POST /admin/api/tickets/<number>/close
#include <boost/asio/awaitable.hpp>

#include "bot/admin/auth.hpp"
#include "net/http_server.hpp"

namespace kayou::faq {
class TicketDesk;
}

namespace kayou::bot::admin {

// Whether `who` may see and work a ticket of this category: city_admin every ticket; legal_desk
// `legal` and `grievance`; staff `staff` tickets of its districts, and those whose district is
// not known yet (a driver who asked for a person before naming his district must not wait for
// nobody). Pure: tests/unit/bot_ticket_scope_test.cpp.
bool may_work_ticket(const Principal& who, std::string_view category, std::string_view subcategory);
// The stats key ("legal", "staff:wujin", "grievance:fines") is one `who` may read.
bool may_read_stats(const Principal& who, std::string_view category_key);

class TicketsApi {
public:
    TicketsApi(const Authenticator& auth, AuditLog& audit, faq::TicketDesk& desk);
    void install(net::HttpServer& server);

    boost::asio::awaitable<net::HttpResponse> collection(net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> item(net::HttpRequest& request);

private:
    const Authenticator& auth_;
    AuditLog& audit_;
    faq::TicketDesk& desk_;
};

}  // namespace kayou::bot::admin
