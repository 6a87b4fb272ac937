#include "dialogs/join_service.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/random.hpp"
#include "dialogs/binding_dialog.hpp"
#include "dialogs/validators.hpp"
#include "members/application_store.hpp"
#include "members/calendar.hpp"
#include "members/chat_binding.hpp"
#include "members/join_desk.hpp"
#include "members/phone_verification.hpp"
#include "members/promoters.hpp"
#include "notify/sms_outbox.hpp"
#include "redis/client.hpp"

#ifndef KAYOU_DATA_SOURCE_DIR
#define KAYOU_DATA_SOURCE_DIR ""
#endif

namespace kayou::dialogs {

namespace {

std::string read_text(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error(path + ": cannot open");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

std::string resolve_data_path(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ignored;
    if (fs::path(path).is_absolute() || fs::exists(path, ignored)) return path;
    const std::string source(KAYOU_DATA_SOURCE_DIR);
    if (!source.empty() && fs::exists(fs::path(source) / path, ignored))
        return (fs::path(source) / path).string();
    return path;
}

struct JoinService::Impl {
    JoinSetup setup;
    crypto::SealedBox box;
    FlowScript script;
    members::DistrictCatalog districts;
    members::WorkingCalendar calendar;
    std::shared_ptr<const faq::IntentModel> intents;
    ConversationStore conversations;
    members::ApplicationStore applications;
    members::PhoneVerification verification;
    members::ChatBinding binding;
    members::PromoterStore promoters;
    notify::SmsOutbox& sms;
    members::CodeDesk codes;
    Log log;
    std::function<std::chrono::sys_seconds()> now;
    // Codes, submits and join links, for the chat flow and the web page alike.
    members::JoinDesk desk;
    std::unique_ptr<RouterDialog> router;
    // "绑定 <code>" links a 1:1 chat to a web application before the router sees anything.
    std::unique_ptr<BindingDialog> dialog;
    std::shared_ptr<redis::Client> redis;

    Impl(std::shared_ptr<redis::Client> redis, crypto::SealedBox b, notify::SmsOutbox& s,
         JoinSetup js, Log l, std::function<std::chrono::sys_seconds()> n)
        : setup(std::move(js)),
          box(std::move(b)),
          script(FlowScript::load_file(resolve_data_path(setup.flow_file))),
          districts(members::DistrictCatalog::from_yaml(
              read_text(resolve_data_path(setup.districts_file)))),
          calendar(members::WorkingCalendar::load_directory(resolve_data_path(setup.calendar_dir))),
          intents(faq::IntentModel::build(faq::parse_intent_script(
              read_text(resolve_data_path(setup.intents_file)), setup.intents_file))),
          conversations(redis, box, setup.key_prefix, setup.timing),
          applications(redis, box, setup.key_prefix),
          verification(redis, box, setup.key_prefix,
                       members::VerificationLimits{setup.codes.code_ttl, 5}),
          binding(redis, box, setup.key_prefix),
          promoters(redis, box, setup.key_prefix),
          sms(s),
          codes(redis, box, verification, sms, code_options(setup), now_or_clock(n),
                setup.code_event),
          log(std::move(l)),
          now(now_or_clock(std::move(n))),
          desk(redis, codes, applications, calendar, desk_options(setup, box), log, now) {
        calendar.set_office_hours(setup.office_hours);
        RouterServices services;
        services.script = &script;
        services.districts = &districts;
        services.conversations = &conversations;
        services.applications = &applications;
        services.desk = &desk;
        services.public_base_url = setup.public_base_url;
        services.now = now;
        services.log = log;
        services.count = setup.count;
        services.chat = setup.chat;
        services.intents = intents;
        router = std::make_unique<RouterDialog>(std::move(services));
        dialog = std::make_unique<BindingDialog>(*router, binding, applications, log);
    }

    static std::function<std::chrono::sys_seconds()> now_or_clock(
        std::function<std::chrono::sys_seconds()> given) {
        if (given) return given;
        return [] {
            return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        };
    }
    static members::CodeDeskOptions code_options(const JoinSetup& setup) {
        auto options = setup.codes;
        options.key_prefix = setup.key_prefix;
        return options;
    }
    static members::JoinDeskOptions desk_options(const JoinSetup& setup,
                                                 const crypto::SealedBox& box) {
        members::JoinDeskOptions options;
        options.key_prefix = setup.key_prefix;
        // A link key derived from the data key under its own label: one secret to manage, and
        // the encryption key itself is never used as a MAC key.
        options.link_key = box.lookup_hash("kayou-join-link-key-v1");
        options.link_ttl = setup.link_ttl;
        return options;
    }
};

JoinService::JoinService(std::shared_ptr<redis::Client> redis, crypto::SealedBox box,
                         notify::SmsOutbox& sms, JoinSetup setup, Log log,
                         std::function<std::chrono::sys_seconds()> now)
    : impl_(std::make_unique<Impl>(redis, std::move(box), sms, std::move(setup), std::move(log),
                                   std::move(now))) {
    impl_->redis = std::move(redis);
}

JoinService::~JoinService() = default;

Dialog& JoinService::dialog() { return *impl_->dialog; }
std::shared_ptr<const faq::IntentModel> JoinService::intents() const { return impl_->intents; }
const members::DistrictCatalog& JoinService::districts() const { return impl_->districts; }
const members::WorkingCalendar& JoinService::calendar() const { return impl_->calendar; }
members::ApplicationStore& JoinService::applications() { return impl_->applications; }
members::CodeDesk& JoinService::codes() { return impl_->codes; }
members::PromoterStore& JoinService::promoters() { return impl_->promoters; }
members::JoinDesk& JoinService::desk() { return impl_->desk; }
members::ChatBinding& JoinService::binding() { return impl_->binding; }
const FlowScript& JoinService::script() const { return impl_->script; }

std::vector<int> JoinService::reload_calendar() {
    auto fresh =
        members::WorkingCalendar::load_directory(resolve_data_path(impl_->setup.calendar_dir));
    fresh.set_office_hours(impl_->calendar.office_hours());
    impl_->calendar = std::move(fresh);
    return impl_->calendar.covered_years();
}

}  // namespace kayou::dialogs
