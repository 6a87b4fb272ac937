#pragma once
// Everything the join dialog needs, built from configuration in one place so that bot/app.cpp
// only wires: the flow script, the district list, the working-day calendar, the conversation
// store, the application store, phone verification and the router dialog; plus the web join
// page's handlers (GET /join, POST /join/code, POST /join/submit), which run the same validators
// and the same submit as the chat flow.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/sealed_box.hpp"
#include "dialogs/conversation_store.hpp"
#include "dialogs/router_dialog.hpp"
#include "notify/calendar.hpp"

namespace kayou::redis {
class Client;
}
namespace kayou::notify {
class SmsOutbox;
class WorkingCalendar;
}  // namespace kayou::notify
namespace kayou::members {
class ApplicationStore;
}
namespace kayou::dialogs {
class DistrictCatalog;
}

namespace kayou::dialogs {

struct JoinSetup {
    std::string flow_file = "config/flows/join.yaml";
    std::string districts_file = "config/districts.yaml";
    std::string calendar_dir = "config/calendar";
    notify::OfficeHours office_hours;  // deadlines count inside these (notify/calendar.hpp)
    // The intent script used until the content store publishes one (docs/understanding.md).
    std::string intents_file = "faq/data/intents.yaml";
    ConversationTiming timing;
    std::string public_base_url;
    std::chrono::seconds link_ttl{1800};
    std::string key_prefix = "kayou:";
    std::function<void(std::string_view event)> count;  // join funnel events (optional)
    ChatServices chat;  // legal Q&A, tickets, stations, benefits (optional)
};

// `path` as given when absolute or present relative to the working directory; otherwise the
// same relative path under the source tree kayou was built from, if it exists there.
std::string resolve_data_path(const std::string& path);

struct WebAnswer {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
};

class JoinService {
public:
    using Log = std::function<void(std::string_view event, std::string_view detail)>;
    // Throws std::runtime_error (FlowScriptError, CalendarError, ...) naming the bad file.
    JoinService(std::shared_ptr<redis::Client> redis, crypto::SealedBox box, notify::SmsOutbox& sms,
                JoinSetup setup, Log log = {}, std::function<std::chrono::sys_seconds()> now = {});
    ~JoinService();

    Dialog& dialog();
    // What the review console shares with the join dialog (one catalog, one calendar, one store).
    const DistrictCatalog& districts() const;
    const notify::WorkingCalendar& calendar() const;
    members::ApplicationStore& applications();
    // Reads the calendar directory again (an operator added next year's file). On any error the
    // calendar in use stays and the CalendarError/filesystem error is thrown. Call on the I/O
    // thread: the calendar is replaced in place, so references to it stay valid.
    std::vector<int> reload_calendar();

    // The mobile join page a signed group link opens.
    boost::asio::awaitable<WebAnswer> web_page(std::string token);
    // JSON {"t": token, "mobile": "..."} -> {"ok":true} or {"ok":false,"field":..,"error":..}.
    boost::asio::awaitable<WebAnswer> web_code(std::string body);
    // JSON {"t", "name", "id_card", "mobile", "code", "plate", "district", "employer"} ->
    // {"ok":true,"application_id":..,"deadline":..,"message":..} or an error naming the field.
    boost::asio::awaitable<WebAnswer> web_submit(std::string body);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::dialogs
