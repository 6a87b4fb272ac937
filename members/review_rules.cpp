#include "members/review_rules.hpp"

#include "members/application_store.hpp"
#include "members/calendar.hpp"
#include "text/utf8.hpp"

namespace kayou::members {

std::optional<TimeRange> beijing_date_range(std::string_view from, std::string_view to,
                                            std::string* error) {
    auto fail = [&](std::string message) -> std::optional<TimeRange> {
        if (error) *error = std::move(message);
        return std::nullopt;
    };
    const auto first = text::parse_date(from);
    if (!first) return fail("from must be a date YYYY-MM-DD");
    const auto last = text::parse_date(to);
    if (!last) return fail("to must be a date YYYY-MM-DD");
    const std::chrono::sys_days first_day{*first};
    const std::chrono::sys_days last_day{*last};
    if (last_day < first_day) return fail("to is before from");
    if (last_day - first_day >= std::chrono::days(366)) return fail("at most 366 days at once");
    const auto start = text::from_beijing(std::chrono::local_seconds{
        std::chrono::local_days{first_day.time_since_epoch()}.time_since_epoch()});
    const auto end = text::from_beijing(std::chrono::local_seconds{
        std::chrono::local_days{(last_day + std::chrono::days(1)).time_since_epoch()}
            .time_since_epoch()});
    return TimeRange{start.time_since_epoch().count(), end.time_since_epoch().count()};
}

namespace {

bool has_line_break_or_control(std::string_view text) {
    for (const unsigned char c : text)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

bool looks_like_link(std::string_view text) {
    std::string lower(text);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* marker : {"http:", "https:", "www.", ".com", ".cn", "://"})
        if (lower.find(marker) != std::string::npos) return true;
    return false;
}

}  // namespace

namespace {

enum class ReasonProblem { none, empty, control, too_long, link };

ReasonProblem reason_problem(std::string_view reason) {
    if (reason.empty()) return ReasonProblem::empty;
    if (has_line_break_or_control(reason)) return ReasonProblem::control;
    if (text::code_point_count(reason) > kMaxRejectReasonChars) return ReasonProblem::too_long;
    if (looks_like_link(reason)) return ReasonProblem::link;
    return ReasonProblem::none;
}

}  // namespace

std::string reject_reason_problem(std::string_view reason) {
    switch (reason_problem(reason)) {
        case ReasonProblem::none:
            return {};
        case ReasonProblem::empty:
            return "reason is required";
        case ReasonProblem::control:
            return "reason must be one line without control characters";
        case ReasonProblem::too_long:
            return "reason is at most 30 characters (it goes into the SMS)";
        case ReasonProblem::link:
            return "reason must not contain a link (providers refuse them)";
    }
    return {};
}

std::string reject_reason_message(std::string_view reason) {
    switch (reason_problem(reason)) {
        case ReasonProblem::none:
            return {};
        case ReasonProblem::empty:
            return "请填写不通过的原因（会发短信告诉司机）";
        case ReasonProblem::control:
            return "原因只能写一行，不能换行";
        case ReasonProblem::too_long:
            return "原因最多30个字（会放进短信里）";
        case ReasonProblem::link:
            return "原因里不能有网址（短信服务商会拒发）";
    }
    return {};
}

std::string union_name_problem(std::string_view name) {
    if (has_line_break_or_control(name)) return "union must be one line without control characters";
    const auto length = text::code_point_count(name);
    if (length < 2 || length > 50) return "union must be 2 to 50 characters";
    return {};
}

std::string batch_label(const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    if (ids.size() == 1) return ids.front();
    return ids.front() + "等" + std::to_string(ids.size()) + "件";
}

std::string application_of_sms_key(std::string_view key) {
    for (std::string_view prefix : {"approval:", "rejection:", "progress:"}) {
        if (key.substr(0, prefix.size()) != prefix) continue;
        auto rest = key.substr(prefix.size());
        rest = rest.substr(0, rest.find(':'));
        if (is_application_id(rest)) return std::string(rest);
    }
    return {};
}

std::optional<double> on_time_rate(std::int64_t decided, std::int64_t late) {
    if (decided <= 0) return std::nullopt;
    if (late < 0) late = 0;
    if (late > decided) late = decided;
    return static_cast<double>(decided - late) / static_cast<double>(decided);
}

}  // namespace kayou::members

namespace kayou::members {

SweepBatch due_reminders(const SweepBatch& candidates, std::int64_t now, std::chrono::minutes lead,
                         const members::WorkingCalendar& calendar) {
    SweepBatch due;
    for (std::size_t i = 0; i < candidates.ids.size() && i < candidates.deadlines.size(); ++i) {
        const std::chrono::sys_seconds deadline{std::chrono::seconds(candidates.deadlines[i])};
        if (calendar.reminder_time(deadline, lead).time_since_epoch().count() <= now) {
            due.ids.push_back(candidates.ids[i]);
            due.deadlines.push_back(candidates.deadlines[i]);
        }
    }
    return due;
}

}  // namespace kayou::members
