#pragma once
// The web join page's HTTP side: GET /join (the page a signed join link opens), GET /join/p (a
// promoter's poster link), GET /join/page.js, POST /join/code and POST /join/submit. Requests
// are read and answers built here; codes, submits and links are the join desk's, the same as
// the chat flow's (members/join_desk.hpp), and the fields go through the chat's validators
// (dialogs/validators.hpp). bot/app.cpp routes the paths here.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace kayou::members {
class ChatBinding;
class DistrictCatalog;
class JoinDesk;
class PromoterStore;
}  // namespace kayou::members
namespace kayou::dialogs {
class FlowScript;
}

namespace kayou::bot {

class JoinPages {
public:
    using Log = std::function<void(std::string_view event, std::string_view detail)>;
    // `script`: the join flow's texts the page shares with the chat ("submitted", "existing",
    // "existing_other"). `trust_forwarded_for`: members::client_address().
    JoinPages(members::JoinDesk& desk, const members::DistrictCatalog& districts,
              members::PromoterStore& promoters, members::ChatBinding& binding,
              const dialogs::FlowScript& script, bool trust_forwarded_for, Log log = {});

    // GET /join?t=<join token>: the mobile join page; 403 on a bad or expired link, 409 when a
    // submit used it.
    boost::asio::awaitable<net::HttpResponse> page(net::HttpRequest& request);
    // GET /join/p?t=<promo token>: a promoter's or event's poster link. Mints a fresh
    // single-use join link carrying the promoter's id (capped per promoter and per client
    // address) and answers 303 to /join?t=<it>; 403 on a bad or expired link, 404 when the
    // promoter is gone, 429 past a cap (Chinese pages).
    boost::asio::awaitable<net::HttpResponse> promo(net::HttpRequest& request);
    // GET /join/page.js: the page's script (no inline script, so the page's CSP forbids it).
    boost::asio::awaitable<net::HttpResponse> script(net::HttpRequest& request);
    // JSON {"t": token, "mobile": "..." [, "challenge", "nonce"]} -> 200 {"ok":true,"message"},
    // 400/429/503 {"ok":false,"field":..,"error":..}, or 428 {"ok":false,"challenge","bits"}: solve
    // the proof of work and post again with it.
    boost::asio::awaitable<net::HttpResponse> code(net::HttpRequest& request);
    // JSON {"t", "name", "id_card", "mobile", "code", "plate", "district", "employer"} ->
    // {"ok":true,"application_id":..,"deadline":..,"bind_code":..,"message":..} or an error
    // naming the field; 409 when the link was used before (nothing is stored).
    boost::asio::awaitable<net::HttpResponse> submit(net::HttpRequest& request);

    // What a handler decided, before the headers every join answer carries are added.
    struct Answer {
        int status = 200;
        std::string content_type = "application/json; charset=utf-8";
        std::string body;
        std::string location;  // a redirect's Location header, or ""
    };

private:
    boost::asio::awaitable<Answer> page_for(std::string token);
    boost::asio::awaitable<Answer> promo_for(std::string token, std::string client_address);
    boost::asio::awaitable<Answer> code_for(std::string body, std::string client_address);
    boost::asio::awaitable<Answer> submit_for(std::string body);
    // The bind code line the submit answer carries, "" when none could be issued.
    boost::asio::awaitable<std::string> bind_code_for(std::string application_id);
    std::string client_address(const net::HttpRequest& request) const;

    members::JoinDesk& desk_;
    const members::DistrictCatalog& districts_;
    members::PromoterStore& promoters_;
    members::ChatBinding& binding_;
    const dialogs::FlowScript& script_;
    bool trust_forwarded_for_;
    Log log_;
};

}  // namespace kayou::bot
