#pragma once
// The clock behind the 1-working-day promise: every sweep_interval one kayou process (a Redis
// lease, so several processes do not each send) looks at every district's pending queue and
//   - reminds the district's reviewers (SMS "reminder") of applications whose reminder time has
//     come: reminder_lead before the deadline, moved back into working hours by the calendar;
//   - tells the city admins (SMS "escalation", 督办) of applications past their deadline.
// Each application is reminded once and escalated once (marked in Redis in the same Lua step as
// the SMS enqueue); a district's batch becomes one SMS per person ("RH…等12件").
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::members {
class DistrictCatalog;
class WorkingCalendar;
class ReviewStore;
}  // namespace kayou::members
namespace kayou::notify {
class RedisSmsOutbox;
}  // namespace kayou::notify

namespace kayou::members {

// Review console: reminders to district reviewers before a deadline, escalation to city admins at
// it (members/review_store.hpp). Phones are staff numbers: keep them in
// environment variables (${NAME}) rather than in a committed file.
struct ReviewContactConfig {
    std::string phone;                   // 11-digit mainland mobile
    std::vector<std::string> districts;  // reviewers: the districts they review
};

struct ReviewConfig {
    std::chrono::minutes reminder_lead{120};  // before the deadline, moved into working hours
    std::chrono::seconds sweep_interval{60};
    bool sweep_enabled = true;
    // Reminders and escalations only inside members.office_hours on working days.
    bool only_in_office_hours = true;
    std::vector<ReviewContactConfig> reviewers;    // reminder SMS for their districts
    std::vector<ReviewContactConfig> city_admins;  // escalation SMS for every district
};

struct SweepCounts {
    std::int64_t reminded = 0;   // applications
    std::int64_t escalated = 0;  // applications
    std::int64_t sms = 0;        // messages enqueued
};

class ReviewSweeper {
public:
    // (event, district id, applications) for logs and metrics.
    using Report =
        std::function<void(std::string_view event, std::string_view district, std::int64_t count)>;
    using Clock = std::int64_t (*)();

    ReviewSweeper(boost::asio::any_io_executor executor, members::ReviewStore& review,
                  notify::RedisSmsOutbox& outbox, const members::WorkingCalendar& calendar,
                  const members::DistrictCatalog& districts, ReviewConfig config, Clock now,
                  Report report);
    ~ReviewSweeper();

    void start();
    void stop();

    // One pass over every district (no lease): what the timer runs. Throws redis::Error.
    boost::asio::awaitable<SweepCounts> sweep_once(std::int64_t now);

private:
    boost::asio::awaitable<void> loop();

    boost::asio::any_io_executor executor_;
    members::ReviewStore& review_;
    notify::RedisSmsOutbox& outbox_;
    const members::WorkingCalendar& calendar_;
    const members::DistrictCatalog& districts_;
    ReviewConfig config_;
    Clock now_;
    Report report_;
    std::string owner_;
    std::shared_ptr<bool> stopped_;
    boost::asio::steady_timer timer_;
};

}  // namespace kayou::members
