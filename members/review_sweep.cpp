#include "members/review_sweep.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "crypto/random.hpp"
#include "members/calendar.hpp"
#include "members/districts.hpp"
#include "members/review_store.hpp"
#include "redis/reply.hpp"

namespace kayou::members {
namespace asio = boost::asio;

namespace {

// Far enough ahead to see every deadline whose reminder moves back over a long holiday (春节
// with its weekends is at most 9 days).
constexpr std::int64_t kReminderHorizonSeconds = 12 * 86'400;

// A submit or decision whose steps take longer than this was abandoned: a live one takes a few
// Redis round trips, each bounded by the client's command timeout.
constexpr std::chrono::seconds kUnfinishedAfter{30};

// One SMS per person per batch; the key makes a retried sweep step send nothing twice.
std::vector<notify::SmsMessage> messages_for(const std::vector<const ReviewContactConfig*>& people,
                                             const notify::RedisSmsOutbox& outbox,
                                             const std::string& template_name,
                                             std::vector<std::string> params,
                                             const std::string& key) {
    std::vector<notify::SmsMessage> messages;
    for (const auto* person : people) {
        notify::SmsMessage message;
        message.phone = person->phone;
        message.template_name = template_name;
        message.params = params;
        message.idempotency_key = key + ":" + outbox.phone_hash(person->phone).substr(0, 16);
        message.kind = notify::SmsMessage::Kind::reminder;
        messages.push_back(std::move(message));
    }
    return messages;
}

}  // namespace

ReviewSweeper::ReviewSweeper(asio::any_io_executor executor, members::ReviewStore& review,
                             notify::RedisSmsOutbox& outbox,
                             const members::WorkingCalendar& calendar,
                             const members::DistrictCatalog& districts, ReviewConfig config,
                             Clock now, Report report)
    : executor_(executor),
      review_(review),
      outbox_(outbox),
      calendar_(calendar),
      districts_(districts),
      config_(std::move(config)),
      now_(now),
      report_(std::move(report)),
      owner_(crypto::random_alnum(16)),
      stopped_(std::make_shared<bool>(false)),
      timer_(executor) {}

ReviewSweeper::~ReviewSweeper() { stop(); }

void ReviewSweeper::start() { asio::co_spawn(executor_, loop(), asio::detached); }

void ReviewSweeper::stop() {
    *stopped_ = true;
    timer_.cancel();
}

asio::awaitable<void> ReviewSweeper::loop() {
    const auto stopped = stopped_;
    const auto lease = config_.sweep_interval * 3;
    while (!*stopped) {
        // A failed pass (Redis not connected yet, or down) is retried soon rather than after a
        // whole interval; a step half done is repeated (every step is idempotent).
        auto wait = config_.sweep_interval;
        try {
            if (co_await review_.acquire_sweep_lease(owner_, lease) && !*stopped) {
                // Submits and decisions a process began and never finished (it died between
                // their steps): finished here, whatever the office hours.
                const auto recovered = co_await review_.recover_unfinished(kUnfinishedAfter);
                if (report_ && recovered > 0)
                    report_("review_steps_recovered", "", static_cast<std::int64_t>(recovered));
                co_await sweep_once(now_());
                if (report_) report_("review_sweep_done", "", 0);
            }
        } catch (const std::exception& e) {
            if (report_) report_("review_sweep_failed", e.what(), 0);
            wait = std::min<std::chrono::seconds>(wait, std::chrono::seconds(5));
        }
        if (*stopped) break;
        timer_.expires_after(wait);
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<SweepCounts> ReviewSweeper::sweep_once(std::int64_t now) {
    SweepCounts counts;
    // Reviewers are texted at work, never at night: what came due meanwhile goes out at the
    // next opening (members/calendar.hpp).
    if (config_.only_in_office_hours &&
        !calendar_.in_office_hours(std::chrono::sys_seconds(std::chrono::seconds(now))))
        co_return counts;
    std::vector<const ReviewContactConfig*> city_admins;  // the same for every district
    for (const auto& person : config_.city_admins) city_admins.push_back(&person);
    for (const auto& district : districts_.all()) {
        std::vector<const ReviewContactConfig*> reviewers;
        for (const auto& person : config_.reviewers)
            for (const auto& id : person.districts)
                if (id == district.id) reviewers.push_back(&person);

        const auto candidates =
            co_await review_.not_yet_reminded(district.id, now, kReminderHorizonSeconds);
        const auto due = members::due_reminders(candidates, now, config_.reminder_lead, calendar_);
        if (!due.ids.empty()) {
            const std::string deadline_text = members::beijing_minute_text(
                std::chrono::sys_seconds(std::chrono::seconds(due.deadlines.front())));
            std::vector<std::string> params{members::batch_label(due.ids), deadline_text};
            auto messages = messages_for(reviewers, outbox_, "reminder", std::move(params),
                                         "reminder:" + district.id + ":" + due.ids.front());
            counts.sms += static_cast<std::int64_t>(messages.size());
            co_await review_.mark_batch(district.id, false, due, now, std::move(messages));
            counts.reminded += static_cast<std::int64_t>(due.ids.size());
            if (report_)
                report_("review_reminded", district.id, static_cast<std::int64_t>(due.ids.size()));
        }

        const auto overdue = co_await review_.not_yet_escalated(district.id, now);
        if (!overdue.ids.empty()) {
            std::vector<std::string> params{district.name, std::to_string(overdue.ids.size())};
            auto messages = messages_for(city_admins, outbox_, "escalation", std::move(params),
                                         "escalation:" + district.id + ":" + overdue.ids.front());
            counts.sms += static_cast<std::int64_t>(messages.size());
            co_await review_.mark_batch(district.id, true, overdue, now, std::move(messages));
            counts.escalated += static_cast<std::int64_t>(overdue.ids.size());
            if (report_)
                report_("review_escalated", district.id,
                        static_cast<std::int64_t>(overdue.ids.size()));
        }
    }
    co_return counts;
}

}  // namespace kayou::members
