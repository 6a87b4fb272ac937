#pragma once
// Everything the join dialog needs, built from configuration in one place so that bot/app.cpp
// only wires: the flow script, the district list, the working-day calendar, the conversation
// store, the application store, phone verification, the join desk (members/join_desk.hpp: codes,
// submits and join links for the chat and the web page alike) and the router dialog. The web
// join page's HTTP side is bot/join_pages.hpp.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/sealed_box.hpp"
#include "dialogs/conversation_store.hpp"
#include "dialogs/router_dialog.hpp"
#include "members/calendar.hpp"
#include "members/code_desk.hpp"

namespace kayou::redis {
class Client;
}
namespace kayou::notify {
class SmsOutbox;
}  // namespace kayou::notify
namespace kayou::members {
class WorkingCalendar;
class ApplicationStore;
class ChatBinding;
class JoinDesk;
class PromoterStore;
}  // namespace kayou::members
namespace kayou::members {
class DistrictCatalog;
}

namespace kayou::dialogs {

struct JoinSetup {
    std::string flow_file = "config/flows/join.yaml";
    std::string districts_file = "config/districts.yaml";
    std::string calendar_dir = "config/calendar";
    members::OfficeHours office_hours;  // deadlines count inside these (members/calendar.hpp)
    // The intent script used until the content store publishes one (docs/understanding.md).
    std::string intents_file = "faq/data/intents.yaml";
    ConversationTiming timing;
    std::string public_base_url;
    std::chrono::seconds link_ttl{1800};
    std::string key_prefix = "kayou:";
    // Verification codes and their caps, join-link caps (members/code_desk.hpp); its key_prefix
    // is set from key_prefix above.
    members::CodeDeskOptions codes;
    std::function<void(std::string_view event)> count;  // join funnel events (optional)
    // Code and link cap events (members::CodeDesk::Event), e.g. for Prometheus (optional).
    std::function<void(std::string_view event, std::string_view detail)> code_event;
    ChatServices chat;  // legal Q&A, tickets, stations, benefits (optional)
};

// `path` as given when absolute or present relative to the working directory; otherwise the
// same relative path under the source tree kayou was built from, if it exists there.
std::string resolve_data_path(const std::string& path);

class JoinService {
public:
    using Log = std::function<void(std::string_view event, std::string_view detail)>;
    // Throws std::runtime_error (FlowScriptError, CalendarError, ...) naming the bad file.
    JoinService(std::shared_ptr<redis::Client> redis, crypto::SealedBox box, notify::SmsOutbox& sms,
                JoinSetup setup, Log log = {}, std::function<std::chrono::sys_seconds()> now = {});
    ~JoinService();

    // The dialog every chat message goes to: "绑定 <code>" (dialogs/binding_dialog.hpp), then
    // the router.
    Dialog& dialog();
    // The intent script loaded at start (SMS replies are understood with it too).
    std::shared_ptr<const faq::IntentModel> intents() const;
    // What the review console shares with the join dialog (one catalog, one calendar, one store).
    const members::DistrictCatalog& districts() const;
    const members::WorkingCalendar& calendar() const;
    members::ApplicationStore& applications();
    // Verification codes and their caps (the budget for the console and the metrics).
    members::CodeDesk& codes();
    // Promoters and events with their multi-use links (members/promoters.hpp).
    members::PromoterStore& promoters();
    // Reads the calendar directory again (an operator added next year's file). On any error the
    // calendar in use stays and the CalendarError/filesystem error is thrown. Call on the I/O
    // thread: the calendar is replaced in place, so references to it stay valid.
    std::vector<int> reload_calendar();

    // Codes, submits and join links: what the chat flow shares with the web join page.
    members::JoinDesk& desk();
    // Bind codes that link a 1:1 chat to a web application (members/chat_binding.hpp).
    members::ChatBinding& binding();
    // The join flow's script (its texts are the web page's too).
    const FlowScript& script() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kayou::dialogs
