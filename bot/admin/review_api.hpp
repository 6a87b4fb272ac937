#pragma once
// Admin HTTP API of the review console (roles city_admin and district_admin; docs/admin-api.md,
// "Review"). A district_admin sees and acts on its own districts only (403 otherwise).
//   GET  /admin/api/review/districts                 districts with pending and overdue counts
//   GET  /admin/api/review/queue?district=&offset=&limit=   pending, by deadline, masked, with
//                                                    the deadline rule (office hours)
//   GET  /admin/api/review/pool?district=&offset=&limit=    turnover pool (周转池), masked
//   GET  /admin/api/review/stats?from=&to=[&district=]      per district, Beijing dates inclusive,
//                                                     and "alerts" (SMS code budget, Redis memory)
//   GET  /admin/api/review/sms-alerts                 failed SMS to the caller's applicants
//   GET  /admin/api/review/applications/<id>          one application in full (audited)
//   POST /admin/api/review/applications/<id>/approve
//   POST /admin/api/review/applications/<id>/reject-preview  {"reason": "..."}: the SMS the
//                                                    driver would read; changes nothing
//   POST /admin/api/review/applications/<id>/reject    {"reason": "..."}
//   POST /admin/api/review/applications/<id>/move      {"district": "<id>"}: to any district
//                                                    (the caller's district is where it is now)
//   POST /admin/api/review/applications/<id>/transfer  {"union": "<grassroots union>"}
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bot/admin/auth.hpp"
#include "net/http_server.hpp"

namespace kayou::members {
class DistrictCatalog;
}
namespace kayou::members {
class WorkingCalendar;
struct Application;
class ApplicationStore;
class ReviewStore;
}  // namespace kayou::members
namespace kayou::notify {
class RedisSmsOutbox;
class TemplateCatalog;
}  // namespace kayou::notify

namespace kayou::bot::admin {

class ReviewApi {
public:
    using Clock = std::int64_t (*)();  // Unix seconds
    ReviewApi(const Authenticator& auth, AuditLog& audit, members::ApplicationStore& applications,
              members::ReviewStore& review, notify::RedisSmsOutbox& outbox,
              const members::DistrictCatalog& districts, const members::WorkingCalendar& calendar,
              Clock now);
    void install(net::HttpServer& server);
    // Operational alerts shown with the stats (bot/app.cpp: the verification-code budget and
    // Redis memory); without it the stats carry none.
    void set_alerts(std::function<boost::asio::awaitable<nlohmann::json>()> read);
    // The SMS templates the sender renders (config/sms-templates.yaml), for the rejection
    // preview; without them the preview checks the reason and has no text. Must outlive this.
    void set_templates(const notify::TemplateCatalog* templates);

    boost::asio::awaitable<net::HttpResponse> handle(net::HttpRequest& request);

private:
    boost::asio::awaitable<net::HttpResponse> districts(const Principal& who);
    boost::asio::awaitable<net::HttpResponse> list(const Principal& who,
                                                   const net::HttpRequest& request, bool pool);
    boost::asio::awaitable<net::HttpResponse> stats(const Principal& who,
                                                    const net::HttpRequest& request);
    boost::asio::awaitable<net::HttpResponse> sms_alerts(const Principal& who);
    boost::asio::awaitable<net::HttpResponse> application(const Principal& who,
                                                          net::HttpRequest& request,
                                                          std::string_view rest);
    // The rejection SMS for `reason` ({"text", "segments"}), or nullopt with `refusal` set (a
    // Chinese message) when the reason may not be sent.
    std::optional<nlohmann::json> rejection_sms(const members::Application& a,
                                                const std::string& reason,
                                                net::HttpResponse& refusal) const;
    // What the driver would read if rejected with the body's reason; changes nothing.
    net::HttpResponse reject_preview(const members::Application& a, const std::string& id,
                                     const net::HttpRequest& request) const;

    const Authenticator& auth_;
    AuditLog& audit_;
    members::ApplicationStore& applications_;
    members::ReviewStore& review_;
    notify::RedisSmsOutbox& outbox_;
    const members::DistrictCatalog& districts_;
    const members::WorkingCalendar& calendar_;
    Clock now_;
    std::function<boost::asio::awaitable<nlohmann::json>()> alerts_;
    const notify::TemplateCatalog* templates_ = nullptr;
};

}  // namespace kayou::bot::admin
