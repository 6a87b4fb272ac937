#pragma once
// The dialog kayou runs for every message: intent routing, the scripted join flow, progress,
// and the group-chat privacy rules. It is the I/O shell around JoinEngine (pure): it takes the
// conversation's lease lock (1:1 only: group turns store nothing), loads the session and the
// draft, runs the engine, executes the effect the engine asks for (send or check an SMS code,
// submit, look up progress, sign a join link), feeds the result back, saves the state under the
// lock's fencing check, and answers. Commit first, then send: the reply leaves only after the
// state it describes is saved.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "dialogs/conversation_store.hpp"
#include "dialogs/dialog.hpp"
#include "dialogs/join_engine.hpp"

namespace kayou::notify {
class SmsOutbox;
class WorkingCalendar;
}  // namespace kayou::notify
namespace kayou::members {
class ApplicationStore;
class PhoneVerification;
}  // namespace kayou::members

namespace kayou::dialogs {

struct RouterServices {
    const FlowScript* script = nullptr;
    const DistrictCatalog* districts = nullptr;
    const notify::WorkingCalendar* calendar = nullptr;
    ConversationStore* conversations = nullptr;
    members::ApplicationStore* applications = nullptr;
    members::PhoneVerification* verification = nullptr;
    notify::SmsOutbox* sms = nullptr;
    // "https://kayou.example.org" (no trailing slash); empty = no join links in groups.
    std::string public_base_url;
    std::string link_key;  // HMAC key for join links
    std::chrono::seconds link_ttl{1800};
    std::chrono::seconds code_ttl{300};
    std::function<std::chrono::sys_seconds()> now;
    // Operational events without personal data ("deadline_calendar_gap", "lock_timeout", ...).
    std::function<void(std::string_view event, std::string_view detail)> log;
    // Join funnel events (TurnOutput::events), e.g. for a Prometheus counter per event.
    std::function<void(std::string_view event)> count;
};

class RouterDialog : public Dialog {
public:
    explicit RouterDialog(RouterServices services);
    boost::asio::awaitable<Reply> handle(const Message& message) override;

    // Beijing yyyymmdd of an instant (ID-card age checks).
    static int beijing_yyyymmdd(std::chrono::sys_seconds t);

private:
    boost::asio::awaitable<EffectResult> run_effect(const Effect& effect,
                                                    const ConversationState& state,
                                                    const Message& message);
    boost::asio::awaitable<Reply> private_turn(const Message& message, const TurnInput& input);
    void count(const std::vector<std::string>& events) const;

    RouterServices services_;
    JoinEngine engine_;
};

}  // namespace kayou::dialogs
