#include "dialogs/router_dialog.hpp"

#include <algorithm>
#include <cstdio>
#include <span>
#include <utility>

#include "dialogs/chat_requests.hpp"
#include "dialogs/extract.hpp"
#include "dialogs/privacy.hpp"
#include "faq/decide.hpp"
#include "faq/focus.hpp"
#include "faq/follow_up.hpp"
#include "faq/legal_service.hpp"
#include "faq/sums.hpp"
#include "faq/tickets.hpp"
#include "members/application_store.hpp"
#include "members/join_desk.hpp"
#include "net/unavailable.hpp"
#include "redis/reply.hpp"
#include "text/beijing_time.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::dialogs {

namespace asio = boost::asio;

namespace {
// An effect's result can ask for at most one more effect (a code check that completes the
// mobile step, then nothing); the bound only guards against a script loop.
constexpr int kMaxEffectsPerTurn = 4;
// A turn whose lease was lost before it saved is run again from fresh state.
constexpr int kMaxTurnAttempts = 3;

std::string slot_for(const FlowScript& script, std::string_view validator) {
    for (const auto& step : script.steps)
        if (step.kind == StepKind::slot && step.validator == validator) return step.slot;
    return std::string(validator);
}

std::string get(const std::map<std::string, std::string>& slots, const std::string& key) {
    auto found = slots.find(key);
    return found == slots.end() ? std::string() : found->second;
}

// What a group conversation keeps; a save is needed only when it changed.
bool same_group_session(const SessionState& a, const SessionState& b) {
    return a.legal_choices == b.legal_choices && a.grievance_pending == b.grievance_pending &&
           a.legal_misses == b.legal_misses && a.last_question == b.last_question &&
           a.awaiting == b.awaiting && a.legal_context == b.legal_context &&
           a.legal_answered == b.legal_answered && a.office_district == b.office_district;
}
}  // namespace

RouterDialog::RouterDialog(RouterServices services)
    : services_(std::move(services)), engine_(*services_.script, *services_.districts) {}

TurnInput RouterDialog::turn_input(const Message& message) const {
    return TurnInput{message.text, message.in_group(), message.mentioned_bot,
                     text::beijing_yyyymmdd(services_.now())};
}

bool RouterDialog::claims_inline(const Message& message) const { return !message.in_group(); }

asio::awaitable<std::optional<Reply>> RouterDialog::handle_claiming(const Message& message,
                                                                    DedupeClaim& claim) {
    if (message.in_group()) throw std::logic_error("group turns claim on their own");
    const TurnInput input = turn_input(message);
    co_return co_await private_turn(message, input, &claim);
}

asio::awaitable<Reply> RouterDialog::handle(const Message& message) {
    const TurnInput input = turn_input(message);
    if (!message.in_group()) {
        auto reply = co_await private_turn(message, input, nullptr);
        co_return std::move(*reply);
    }

    // Group Q&A keeps only the numbered choices offered to this sender (his own group
    // conversation); pending answers are personal and go to the driver's private chat.
    auto handled = co_await group_chat_services(message, input);
    if (!handled.flow_text) {
        Reply reply;
        reply.texts = std::move(handled.texts);
        reply.follow_ups = std::move(handled.follow_ups);
        if (!reply.texts.empty()) reply.mentions.push_back(message.sender_id);
        co_return reply;
    }
    // Group turns read nothing personal and store nothing: no lock, no state.
    TurnInput group_input = input;
    group_input.text = *handled.flow_text;
    auto out = engine_.on_message({}, group_input);
    // What the router said first (the other question beside "入会"), then the engine.
    std::vector<std::string> texts = std::move(handled.texts);
    texts.insert(texts.end(), out.texts.begin(), out.texts.end());
    std::vector<std::string> private_texts = out.private_texts;
    count(out.events);
    for (int i = 0; i < kMaxEffectsPerTurn && out.effect.kind != EffectKind::none; ++i) {
        auto result = co_await run_effect(out.effect, out.state, message);
        out = engine_.on_effect(out.state, result, input);
        texts.insert(texts.end(), out.texts.begin(), out.texts.end());
        private_texts.insert(private_texts.end(), out.private_texts.begin(),
                             out.private_texts.end());
        count(out.events);
    }
    Reply reply;
    reply.texts = std::move(texts);
    if (message.private_replies) reply.private_texts = std::move(private_texts);
    if (!reply.texts.empty()) reply.mentions.push_back(message.sender_id);
    co_return reply;
}

asio::awaitable<std::optional<Reply>> RouterDialog::private_turn(const Message& message,
                                                                 const TurnInput& input,
                                                                 DedupeClaim* claim) {
    auto& store = *services_.conversations;
    const std::string conversation = conversation_id(message);
    const std::string driver = driver_id(message);
    // Lawyers' answers go before this turn's reply. Taken once: a retried attempt (lost lease)
    // must not drop them.
    const std::string channel(channel_name(message.channel));
    std::vector<std::string> pending;
    bool pending_looked = !services_.chat.take_pending;
    for (int attempt = 1;; ++attempt) {
        std::vector<std::string> count_query;
        if (!pending_looked && services_.chat.pending_count_query)
            count_query = services_.chat.pending_count_query(channel, message.sender_id);
        const bool counted = !count_query.empty();
        // Lock + session + draft (+ the pending count) in one round trip, fenced save + release
        // in another.
        // The claim rides in the first attempt only: a later one (lost lease) is the same delivery.
        DedupeClaim* first_claim = attempt == 1 ? claim : nullptr;
        auto locked =
            co_await store.lock_and_load(conversation, driver, std::move(count_query), first_claim);
        if (claim && claim->state == DedupeClaim::State::theirs) co_return std::nullopt;
        if (!locked) {
            if (services_.log) services_.log("conversation_lock_timeout", "");
            // Nothing was read or changed: the webhook answers 503 and the platform retries.
            throw net::Unavailable("conversation busy");
        }
        const std::string token = std::move(locked->token);
        std::exception_ptr failure;
        Reply reply;
        bool saved = false;
        bool released = false;
        try {
            if (!pending_looked) {
                pending_looked = true;
                if (!counted || locked->count.value_or(1) > 0) {
                    try {
                        pending = co_await services_.chat.take_pending(channel, message.sender_id);
                    } catch (const std::exception&) {
                        if (services_.log) services_.log("pending_answers_failed", "");
                    }
                }
            }
            auto state = std::move(locked->state);
            // A desk's answer arriving names its ticket: the chat knows it again even after its
            // session expired while he waited, so his reply to the answer reaches the ticket.
            if (state.session.open_ticket.empty() && !message.in_group())
                for (const auto& text : pending)
                    if (auto number = faq::find_ticket_number(text))
                        state.session.open_ticket = *number;
            std::vector<std::string> texts = pending;
            if (pending.empty())
                if (auto waiting = co_await waiting_ticket_line(message, state))
                    texts.push_back(std::move(*waiting));
            std::vector<std::string> events;
            bool draft_deleted = false;
            auto handled = co_await chat_services(message, input, state, !pending.empty());
            TurnOutput out;
            texts.insert(texts.end(), handled.texts.begin(), handled.texts.end());
            if (handled.reject) {
                out = engine_.reject_answer(std::move(state), *handled.reject, input);
                texts.insert(texts.end(), out.texts.begin(), out.texts.end());
                events = out.events;
            } else if (handled.flow_text) {
                TurnInput flow_input = input;
                flow_input.text = *handled.flow_text;
                flow_input.said = message.text;
                out = engine_.on_message(std::move(state), flow_input);
                texts.insert(texts.end(), out.texts.begin(), out.texts.end());
                events = out.events;
                draft_deleted = out.draft_deleted;
            } else {
                // A detour from the join flow: answer it, then ask the pending step again.
                if (handled.resume && !handled.texts.empty()) {
                    const auto reminder = engine_.reminder(state);
                    // The reminder is "我们继续：" and then the step's prompt.
                    const std::size_t skipped =
                        handled.resume_quietly && reminder.size() > 1 ? 1 : 0;
                    texts.insert(texts.end(), reminder.begin() + skipped, reminder.end());
                }
                out.state = std::move(state);
            }
            for (int i = 0; i < kMaxEffectsPerTurn && out.effect.kind != EffectKind::none; ++i) {
                co_await store.renew(conversation, token);
                auto result = co_await run_effect(out.effect, out.state, message);
                out = engine_.on_effect(out.state, result, input);
                texts.insert(texts.end(), out.texts.begin(), out.texts.end());
                events.insert(events.end(), out.events.begin(), out.events.end());
                draft_deleted = draft_deleted || out.draft_deleted;
            }
            // True: saved and released. False: the lease was lost, so the lock is not ours.
            saved = co_await store.save_and_unlock(conversation, driver, token, out.state,
                                                   draft_deleted);
            released = true;
            reply.texts = std::move(texts);
            reply.follow_ups = std::move(handled.follow_ups);
            if (saved) count(events);  // only what was committed counts
        } catch (...) {
            failure = std::current_exception();
        }
        if (!released) {
            try {
                co_await store.unlock(conversation, token);
            } catch (...) {
                // The lease expires by itself.
            }
        }
        if (failure) std::rethrow_exception(failure);
        if (saved) co_return std::move(reply);
        if (services_.log) services_.log("conversation_lease_lost", std::to_string(attempt));
        if (attempt >= kMaxTurnAttempts) throw net::Unavailable("conversation lease lost");
    }
}

asio::awaitable<RouterDialog::Handled> RouterDialog::group_chat_services(const Message& message,
                                                                         const TurnInput& input) {
    auto& store = *services_.conversations;
    const std::string conversation = conversation_id(message);
    const std::string no_driver;  // a group turn never reads or writes the draft
    auto state = co_await store.load(conversation, no_driver);
    const SessionState before = state.session;
    auto handled = co_await chat_services(message, input, state);
    if (same_group_session(before, state.session)) co_return handled;
    // Saved under the conversation's lock (the store's fencing check); this sender's two
    // messages racing in one group at worst lose an offer of choices.
    auto token = co_await store.lock(conversation);
    if (!token) {
        if (services_.log) services_.log("conversation_lock_timeout", "group");
        co_return handled;
    }
    bool saved = false;
    try {
        saved = co_await store.save(conversation, no_driver, *token, std::move(state), false);
    } catch (const std::exception&) {
        saved = false;
    }
    if (!saved && services_.log) services_.log("group_session_save_failed", "");
    try {
        co_await store.unlock(conversation, *token);
    } catch (...) {
        // The lease expires by itself.
    }
    co_return handled;
}

namespace {

// The help menu's choices, kept in the session like FAQ choices so that "1" picks one.
constexpr std::string_view kMenuPrefix = "menu:";
const char* const kMenuIntents[] = {"join", "question", "benefits", "progress", "person"};
// The driver's last messages kept for a handoff.
// Enough for a story and the follow-ups after it: the desk read only "人工" and three short
// follow-ups when a driver's 150-character story came four messages earlier.
constexpr std::size_t kRecentTurns = 8;
// A story of 150 characters is about 450 bytes.
constexpr std::size_t kRecentBytes = 600;

const char* const kEmergencyText =
    "如果现场有人受伤或有危险，请立刻拨打：120（急救）、122（交通事故报警）、110（报警）、"
    "119（火警）。先保证自己安全：打开双闪、在车后放警示牌，人员撤到护栏外。"
    "处理完以后需要法律帮助，回复“人工”转律师值班。";
// Words of despair ("不想活了"): care and the crisis line before anything else; a person next.
const char* const kSelfHarmText =
    "听您这么说，我们很担心您。再难的事都有办法，您不用一个人扛：现在就可以拨打心理援助热线12356"
    "（24小时），有危险请马上打110或120。欠薪、赔偿这些事，工会和律师会帮您一起要回来：回复“人工”"
    "马上转工作人员，也可以拨打职工服务热线12351。";
// Words of revenge ("把老板车砸了"): what it would cost him, and the lawful way. Not only over
// money: "对面那家子人天天上门闹 … 明天我就开车去撞他们家大门" was told "欠的钱依法能要回来"
// (danger helper, session 29).
const char* const kThreatText =
    "先别冲动：砸车、打人要承担法律责任，轻的拘留、罚款、赔钱，重的构成故意毁坏财物罪、故意伤害罪要"
    "坐牢，有理也会变成没理。您受的委屈依法能讨回来：欠工资打12333投诉或申请劳动仲裁，欠运费可以起"
    "诉，"
    "对方上门闹、骚扰、威胁您的打110报警；回复“人工”转律师值班，帮您出主意。";
// Despair and revenge together ("同归于尽"): care and the crisis line first, then why not.
const char* const kDespairAndRevengeText =
    "听您这么说，我们很担心您。先别冲动，别拿自己的命去拼：您出了事，家里人怎么办？现在就可以拨打"
    "心理援助热线12356（24小时）说说心里话；对方上门闹、威胁您的，打110报警，让警察来管。"
    "砸车、撞人要坐牢，有理也会变成没理。您受的委屈，工会和律师帮您依法讨：回复“人工”马上转工作"
    "人员，也可以拨打职工服务热线12351。";
// Someone threatens him or holds him ("对方家属说要弄死我", "不然让我走不出这个村", "堵在医院门口要
// 打我"): they got a legal menu, the roadside text or "等救援的时候" (danger helper, session 29).
// Threats to his person are for the police (治安管理处罚法; demanding money under threat may be
// 敲诈勒索, 刑法 第274条); what an accident costs is settled by the police, an insurer or a court.
const char* const kThreatenedText =
    "有人威胁要打您、弄死您，或者堵着不让您走，先保证自己安全：\n"
    "1. 马上打110报警，说清楚在哪、对方几个人；\n"
    "2. 锁好车门别下车，别单独去见他们，尽量待在人多、有监控的地方；\n"
    "3. 留好证据：通话录音、短信和微信截图，记下对方的人和车；\n"
    "4. 别在威胁下给钱、签字、交车钥匙，事故赔偿由交警调解、保险公司或法院来定。\n"
    "有人受伤打120。安全了以后，回复“人工”转律师值班。";
// The message after that, when it asks nothing else ("我现在人在车里不敢下去 他们来了好几个人").
const char* const kStillHereWhenThreatenedText =
    "我在。锁好车门别下车，马上打110，告诉警察您在哪、对方几个人，等警察来；别和他们争，"
    "手机开着录音。安全了再说赔偿的事，回复“人工”转律师值班。";
// An accident and the thought of leaving it ("撞了人 要不要跑"): stay first, then why
// (道路交通安全法实施条例 第92条, 道路交通安全法 第101条, 刑法 第133条; reporting and waiting
// counts as giving oneself up: 最高人民法院《关于处理自首和立功若干具体问题的意见》).
const char* const kFlightText =
    "千万别走！撞了人离开现场就是肇事逃逸：事故全部责任由您承担，吊销驾驶证、终生不能再考；"
    "构成交通肇事罪的，逃逸要判3年以上7年以下，因逃逸致人死亡的判7年以上。现在请：\n"
    "1. 马上打120救人、打122报警；\n"
    "2. 开双闪、在车后放警示牌，人撤到安全的地方，在现场等交警；\n"
    "3. 能救人先救人，移动伤员前先拍照、标好位置。\n"
    "主动报警、在现场等候处理，可以认定为自首，依法可以从轻。需要律师，回复“人工”转律师值班。";
// The message after an emergency or words of despair, when it asks nothing else: "报了 警察还没来
// 我现在干啥", "120打了", "算了 不说了" got the menu, "没看懂" or a legal text (danger helper,
// session 28). What to do while help comes; and for despair, someone stays.
const char* const kWhileHelpComesText =
    "等救援的时候：\n"
    "1. 别挪动伤员（着火、爆炸这类更危险的情况除外），出血的用干净的布用力按住；\n"
    "2. 人别离开现场，站到护栏外安全的地方，开双闪、放好警示牌；\n"
    "3. 拍下现场、车辆位置和对方车牌，记下目击的人的电话；\n"
    "4. 别急着认责任、别私下给钱，等交警来处理；\n"
    "5. 给保险公司打电话报案；\n"
    "6. 人没了呼吸、叫不醒的，再打120，让调度员在电话里一步步教您做胸外按压，按他说的做。\n"
    "人安顿好了、交警处理完，赔偿和责任的事再问我，或回复“人工”转律师值班。";
const char* const kStillHereAfterEmergencyText =
    "我在。急救打120，事故报警打122，有危险打110。处理完了赔偿和责任的事随时问我，"
    "回复“人工”转律师值班。";
const char* const kStayWithHimText =
    "我在这儿，您慢慢说。心里憋得慌就说出来，不丢人。想找人说说话，现在就可以拨打心理援助热线12356"
    "（24小时）；有危险马上打110或120。要不要我帮您转工会工作人员？回复“人工”就行。您遇到的难处，"
    "欠钱也好、车贷也好，我们一件一件帮您想办法。";
const char* const kStillHereAfterDespairText =
    "我一直在，您想说什么都可以。回复“人工”我马上帮您转工会工作人员；"
    "心理援助热线12356二十四小时有人接。";
// "这日子没法过了", "跑车太难了": a gripe, no question and no danger (it got "没看懂" and the
// menu; danger helper, session 29). What he can bring, said warmly.
const char* const kHardTimesText =
    "跑车不容易，辛苦了。遇到啥难处了？欠薪欠运费、罚款扣分、平台扣钱、出了事故，说说经过我帮您出"
    "主意；家里实在困难的，工会有困难帮扶（回复“帮扶”）；想找人说说话，回复“人工”。";
const char* const kNothingWaiting =
    "您现在没有等人答复的工单。要找工会工作人员，回复“人工”；法律问题找律师，回复“找律师”。工作日"
    "上班时间回复，晚上和节假日的留言上班后处理；急事请拨打职工服务热线12351。";
// A private person (no business licence) who hires a driver is no 用人单位 (劳动合同法 第2条 names
// who is: enterprises, 个体经济组织 and the like); the relation is 劳务 (民法典 第1192条 for an
// injury at work), and a dispute over it goes to a court, not to labour arbitration.
const char* const kPrivateEmployerLine =
    "注意：您说雇您的是个人老板、不是公司，也没办个体户营业执照的，一般算劳务关系，不是劳动关系："
    "经济补偿、二倍工资、工伤待遇这些劳动法上的钱一般要不了，劳动仲裁也不受理；欠的工钱照样能要，"
    "直接到法院起诉，时效3年；干活受了伤，按过错找老板赔。老板办了营业执照（个体户）的，按劳动关系"
    "办。";
const char* const kSeriousOffer =
    "您的情况比较严重，建议尽快和值班律师直接谈：回复“人工”马上转律师值班，"
    "也可以拨打12348法律援助热线。";
const char* const kSeriousOfferInGroup =
    "您的情况比较严重，建议加小助手好友私聊发“人工”转律师值班，也可以拨打12348法律援助热线。";
const char* const kNotUnderstood = "抱歉，这句我没看懂。";
const char* const kNotUnderstoodInFlow = "抱歉，这句我没看懂，我们先把入会申请填完。";
const char* const kThanks = "不客气！还有问题随时问我。";
// "好了 回来了 继续", "接着填": back after a pause, not a pause.
bool goes_on(std::string_view text) {
    constexpr std::string_view kOn[] = {"继续", "回来了", "接着", "好了"};
    return std::any_of(std::begin(kOn), std::end(kOn), [&](std::string_view word) {
        return text.find(word) != std::string_view::npos;
    });
}

// "人工", "找律师": a request and nothing more (not "找律师 常州金通物流欠我运费三万八").
bool is_bare_request(std::string_view text) {
    constexpr std::size_t kBareRequestChars = 8;
    return faq::asks_for_person(text) && text::code_point_count(text) <= kBareRequestChars;
}

// Enough to be a reply to a desk's answer: "[抱拳]", "嗯" and "👌" are not.
bool says_something(std::string_view text) {
    constexpr std::size_t kReplyChars = 4;
    std::size_t count = 0;
    bool in_code = false;  // WeChat's "[抱拳]" emoticon codes
    for (char32_t cp : text::decode_utf8(text)) {
        if (cp == U'[') in_code = true;
        if (!in_code && !text::is_edge_punctuation(cp)) ++count;
        if (cp == U']') in_code = false;
    }
    return count >= kReplyChars;
}

// What a group member is told when his story went to the ticket already waiting.
std::string group_note_text(const std::string& number) {
    return "已补充到您的工单" + number +
           "，律师会一起看到，不用再开新工单。答复只发给您本人：稍后私聊我（发任意一句话）就能看到"
           "。"
           "群里别发身份证号和电话。";
}

// The first private message after "@卡友小助手 找律师 …" in a group got the menu and no word of
// the ticket it had been told to come here for (legal helper, session 23).
std::string waiting_ticket_text(const std::string& number) {
    return "您的工单" + number +
           "还在等律师（工作人员）答复，答复会发在这里；想补充情况，直接发给我。";
}

// What the driver is told when his message went to his open ticket.
std::string ticket_note_text(const std::string& number, bool reopened, bool phone) {
    std::string text;
    if (reopened)
        text = "已把您的回复转给工作人员（工单" + number + "），答复后会在这里告诉您。";
    else
        text = "已补充到您的工单" + number + "，工作人员会一起看到，答复后会在这里告诉您。";
    if (phone) text += "您留的电话也一并转给了工作人员。";
    return text;
}

// A ticket opened or added to for a driver who asked for a call (dialogs::asks_for_a_call): the
// story the desk reads says so; the number is what may be missing.
const char* const kCallWithPhone = "（您要电话联系：工单里有您留的电话，律师会一起看到。）";
const char* const kCallNeedsPhone =
    "（要电话联系的，请把手机号发在这里，只补充到您的工单、转给律师值班。）";
const char* const kCallFromGroup = "（要电话联系的，请私聊我留手机号，群里别发电话。）";

// The line for a driver who asked for a call, when `texts` opened or added to a ticket; "" when he
// did not ask or no ticket was involved.
std::string call_back_line(const std::string& text, bool in_group, bool phone_given,
                           const std::vector<std::string>& texts) {
    if (!asks_for_a_call(text)) return {};
    const bool ticket = std::any_of(texts.begin(), texts.end(), [](const std::string& said) {
        return said.find("工单") != std::string::npos;
    });
    if (!ticket) return {};
    if (in_group) return kCallFromGroup;
    return phone_given ? kCallWithPhone : kCallNeedsPhone;
}

// `message` is what he sent, `text` the turn's text without the @-mention.
void add_call_back_line(const std::string& message, const std::string& text, bool in_group,
                        int today, std::vector<std::string>& texts) {
    const bool phone_given = extract_answer("mobile", message, today).found();
    const bool phone_said = std::any_of(texts.begin(), texts.end(), [](const std::string& said) {
        return said.find("您留的电话") != std::string::npos;
    });
    if (phone_said) return;
    std::string line = call_back_line(text, in_group, phone_given, texts);
    if (!line.empty()) texts.push_back(std::move(line));
}

// Before the answer to a legal question that carried his ID number.
const char* const kIdNotNeeded = "（问法律问题不用发身份证号，为了您的安全，以后别在聊天里发。）\n";
const char* const kAnswerAbove = "答复就在上面。还有不清楚的，直接发在这里，会补充到您的工单里。";
const char* const kNoTicketHere =
    "这个聊天里没有查到您的工单。记得工单号的，直接发给我（FL开头）就能查进度；"
    "要找律师，回复\"找律师\"。";
const char* const kSmallTalk = "这个我帮不上忙😄 ";
const char* const kSmallTalkShort =
    "这个我帮不上忙😄 有欠薪欠运费、工伤、事故、罚款的事，或者要入会、问福利，直接跟我说。";
const char* const kAlreadyFilling = "您的入会申请正在填写中，我们接着填就行。";
const char* const kAlreadyApplied = "您已经提交过入会申请，不用重新填写。";
const char* const kChangeApplied =
    "您已经提交过入会申请，已提交的申请在这里不能撤回或修改。"
    "要撤回或改信息（比如换了手机号），请回复“人工”，区县工会的工作人员会帮您处理。";
// Beside a join request, a question the scripts could not answer at once.
const char* const kQuestionAfterJoin =
    "您说的另一件事，我先记着：入会填完后再跟我说一遍，我帮您看（急的话回复“人工”）。先办入会：";
// The same for a question beside a step's answer: the form goes on right after it, or is done.
const char* const kQuestionAfterStep =
    "您问的另一件事我这里答不好：入会办完后回复“人工”，请工作人员帮您看。";
// "你帮我查查 我入没入过会 身份证3204…": an ID number proves nothing.
const char* const kNoLookupById =
    "为了保护个人信息，不能凭身份证号查是不是会员、有没有申请过（别人的身份证号谁都可能拿到）。"
    "在这个聊天里申请过的，回复“进度”就能查；在网页或别处申请的，用申请时填的手机号回复验证码短信"
    "“进度”。想入会的直接回复“入会”：这个身份证号已经有申请的，提交时会告诉您。以后别在聊天里发身份"
    "证号。";
// "@卡友小助手 我入会申请想撤回 手机号换了" in a group.
// "@卡友小助手 同问": the room's last question is not kept (it is a driver's free text), so the
// answer above is pointed to rather than repeated.
const char* const kSameHere =
    "上面的回答对您一样适用。您的情况有不一样的地方，@我把您的情况说一下；要入会的，@我说“入会”，"
    "每人发一个自己的链接，别人的链接您用不了。";
const char* const kChangeInGroup =
    "已提交的入会申请要撤回或改信息（比如换了手机号），请加小助手好友私聊我，回复“人工”，"
    "区县工会的工作人员会帮您处理。群里别发身份证号和电话。";
// SessionState::office_district after benefits for no district in particular.
constexpr std::string_view kOfficeNotKnown = "?";
// SessionState::office_district after the benefits of a district: this, then its name ("新北的呢"
// next asks for that district's benefits, not its office).
constexpr std::string_view kAfterBenefits = "benefits:";

// What SessionState::office_district says of the reply before it.
struct OfficeShown {
    std::string_view district;    // whose office it named ("" for none)
    bool after_benefits = false;  // a benefits reply named it, or none (kOfficeNotKnown)
    bool no_district = false;     // benefits for no district in particular
};
OfficeShown office_shown(std::string_view stored) {
    if (stored == kOfficeNotKnown) return {{}, true, true};
    if (stored.starts_with(kAfterBenefits)) return {stored.substr(kAfterBenefits.size()), true};
    return {stored};
}

// What to bring to the district union.
constexpr std::string_view kBringToTheOffice =
    "带上身份证；已经入会的，再带上会员电子卡（领福利要出示）。";
// Beside a legal question, a join request.
const char* const kJoinAfterQuestion = "您还说想入会：回复“入会”就开始办理，大约2分钟。";
const char* const kJoinAfterQuestionInGroup =
    "您还说想入会：入会请私聊我发“入会”，或在群里@我发“入会”拿链接。";
// A progress question about another driver's application.
const char* const kSomeoneElsesApplication =
    "为了保护申请人的信息，入会申请只能本人查：请他（她）私聊我发“进度”，或者用申请时填的手机号"
    "回复验证码短信“进度”。审核结果也会短信通知申请时填的手机号。";
// "@卡友小助手 人工" with nothing else, in a group.
const char* const kGroupPersonPrivately =
    "请加小助手好友，私聊我说说您的情况（什么事、在哪、对方是谁），我马上转给律师值班或工作人员。"
    "群里不要发身份证号和电话。急事请拨打职工服务热线12351。";
// An application number typed in a chat that did not make that application: a number alone
// proves nothing (it is printed on a page anyone in a group may have seen), so it shows no status.
const char* const kNumberNotBound =
    "这个申请编号不是在这个聊天里办的。为了保护申请人的信息，只凭编号不能查进度。\n"
    "在群里的链接网页上申请的，请发“绑定”加网页上显示的绑定码（例如：绑定 ABCD-2345），"
    "就能在这里查进度；也可以用申请时填的手机号，回复收到的验证码短信“进度”。"
    "审核结果会短信通知申请时填的手机号。";

// Whether route() needs his application's status: to join or restart (he may have applied), to
// resend, cancel or edit, or a question about his own review or phone.
bool needs_application_status(const Understanding& understood, const std::string& text) {
    const std::string& intent = understood.intent;
    if (intent == "join" || intent == "restart" || intent == "resend" || intent == "cancel" ||
        intent == "edit")
        return true;
    return (intent == "question" || intent == "progress") &&
           (asks_about_own_review(text) || asks_to_change_phone(text));
}

// What the answers counter and the missed-questions inbox call a turn ("" = not a question).
std::string outcome_of(Do action, const std::string& legal_outcome) {
    switch (action) {
        case Do::legal:
            if (legal_outcome == "answer") return "answered";
            // Two answers sent: answered, but an editor should see which one the driver meant.
            if (legal_outcome == "both") return "two_answers";
            if (legal_outcome == "choices" || legal_outcome == "handoff") return legal_outcome;
            return {};  // silence in a group, or no FAQ configured
        case Do::benefits:
        case Do::stations:
        case Do::pick:
        case Do::union_office:
            return "answered";
        case Do::person:
            return "handoff";
        case Do::not_understood:
            return "not_understood";
        default:
            return {};
    }
}

// "是", "对 删了吧", "确定": a short yes to what was just asked (not "不", "别", "没").
bool agrees(std::string_view text) {
    constexpr std::size_t kShortYes = 6;
    return text::code_point_count(text) <= kShortYes &&
           text::contains_any(
               text, {"是", "对", "嗯", "确定", "确认", "删", "好", "行", "ok", "OK", "取消"}) &&
           !text::contains_any(text, {"不", "别", "没", "继续"});
}

// The answer to "确定要取消入会申请吗": "是", "确定" cancel; "不是 点错了" keeps the form (what is
// filled, the step again); anything else is read as it was.
void take_cancel_answer(std::string_view text, Understanding& understood) {
    constexpr std::size_t kShortNo = 8;
    if (agrees(text)) {
        understood.intent = "cancel";
        understood.command = true;
    } else if (text::code_point_count(text) <= kShortNo &&
               text::contains_any(text, {"不", "别", "点错", "按错", "错了"})) {
        understood.intent = "where";
        understood.command = true;
    }
}

// The field named right after "想修改哪一项？": "车牌号", "所在区县", "手机".
void take_field_picked(std::string_view text, Understanding& understood) {
    constexpr std::size_t kShortPick = 8;
    if (text::code_point_count(text) > kShortPick) return;
    std::string field = field_named(text);
    if (field.empty()) return;
    understood.intent = "edit";
    understood.command = true;
    understood.slots["field"] = std::move(field);
}

constexpr std::string_view kWhatTheSmsSays =
    "审核有了结果，会给您验证过的手机发一条短信，开头是【卡友工会】：通过的写“您的入会申请（申请号"
    "）"
    "已通过审核，欢迎加入工会！…”；没通过的写明原因，改好后在这里回复“入会”重新申请。交申请时不发"
    "短信。工会的短信不会让您点链接、转账或说验证码。";

// "批了短信说啥", "短信上写的啥 我咋知道是你们发的": what the result's SMS will say.
bool asks_what_the_sms_says(std::string_view text) {
    return text::contains_any(text, {"短信"}) &&
           text::contains_any(text, {"说啥", "写啥", "写的啥", "说什么", "写什么", "内容", "会发啥",
                                     "发啥", "咋知道", "怎么知道", "是你们", "真的假的"});
}

// Whether the form holds anything he typed: a field filled or a value kept for its step.
bool has_filled_in(const DraftState& draft) {
    const auto filled = [](const auto& slot) { return !slot.second.empty(); };
    return std::any_of(draft.slots.begin(), draft.slots.end(), filled) ||
           std::any_of(draft.waiting.begin(), draft.waiting.end(), filled);
}

bool is_menu(const std::vector<std::string>& offered) {
    return !offered.empty() && offered.front().rfind(kMenuPrefix, 0) == 0;
}

// Two answers were sent (①②, "回复1看全文"), not choices: no "都不是 → 转人工" was offered, so
// "3" next is not the desk ("3" for the main menu's 福利 opened a lawyer's ticket; fines helper,
// session 30). Two answers are the entries answered, choices are not.
bool two_answers_offered(const std::vector<std::string>& offered,
                         const std::vector<std::string>& answered) {
    return !offered.empty() && offered == answered;
}

// FAQ choices end with "都不是 → 转人工", one past the entries offered; the menu and two answers
// offer no desk.
bool desk_offered(const std::vector<std::string>& offered,
                  const std::vector<std::string>& answered) {
    return !offered.empty() && !is_menu(offered) && !two_answers_offered(offered, answered);
}

// Channels on which a driver can share his location (WeChat OA and WeCom 1:1 chats).
bool can_send_location(const Message& message) {
    return !message.in_group() &&
           (message.channel == Channel::official_account || message.channel == Channel::wecom_app);
}

// A clear other request: a short answer to what the last reply asked (a district, a town) is
// not taken from these.
bool leaves_what_was_awaited(const std::string& intent) {
    return intent == "join" || intent == "progress" || intent == "person" || intent == "emergency";
}

// Right after a list of stations, "有吃饭的地方没 食堂啥的", "能洗澡的有吗" ask for the list again
// with that service (the first got small talk; benefits helper, session 25). Whether it costs
// ("洗澡要钱不") is a question about the stations, not a filter.
bool asks_for_station_service(std::string_view text) {
    const bool cost = text::contains_any(text, {"钱", "收费", "免费", "花钱", "几块"});
    return !cost && !names_a_legal_matter(text) &&
           text::contains_any(
               text, {"洗澡", "冲澡", "淋浴", "吃饭", "食堂", "饭菜", "热饭", "停车", "过夜",
                      "睡觉", "充电", "洗衣", "热水", "开水", "修车", "补胎", "微波炉"});
}

// The list again for the service he names right after a list (asks_for_station_service).
void take_station_service(std::string_view awaiting, bool in_group, std::string_view text,
                          Understanding& understood) {
    if (awaiting == "stations_more" && !in_group && !leaves_what_was_awaited(understood.intent) &&
        asks_for_station_service(text))
        understood.intent = "stations";
}

// The stations a list just showed: "第二个…" next picks among them (answer_listed_stations). A
// location's list has no place, so "江阴" next is another look only when something was listed.
void remember_listed_stations(SessionState& session, std::vector<std::string> listed) {
    if (!listed.empty()) session.awaiting = "stations_more";
    session.stations_listed = std::move(listed);
    session.stations_picked = -1;
}

// One district union's service centre, as config/districts.yaml gives it.
std::string office_line(const members::District& district) {
    const members::Office& office = district.office;
    std::string line = office.name.empty() ? district.name + "工会" : office.name;
    if (!office.address.empty()) line += "：" + office.address;
    if (!office.phone.empty()) line += "；电话" + office.phone;
    if (!office.hours.empty()) line += "；" + office.hours;
    return line + "。";
}

// The district whose office Do::union_office shows: the one he names, else the one of his form,
// else the one of the stations he was shown; nullptr when none is known. `district_slot`: the
// form's slot that holds the district (slot_for).
const members::District* office_district_of(const members::DistrictCatalog& districts,
                                            std::string_view text, const ConversationState& state,
                                            const std::string& district_slot) {
    const members::District* district = nullptr;
    if (const auto named = districts.match(text);
        named.kind == members::DistrictCatalog::Match::Kind::unique)
        district = named.candidates.front();
    if (!district && state.draft)
        if (const auto slot = state.draft->slots.find(district_slot);
            slot != state.draft->slots.end())
            district = districts.find(slot->second);
    if (!district && !state.session.stations_place.empty())
        if (const auto near = districts.match(state.session.stations_place);
            near.kind == members::DistrictCatalog::Match::Kind::unique)
            district = near.candidates.front();
    return district;
}

// Do::union_office: that district's service centre, or every district's when none is known.
std::string union_office_text(const members::DistrictCatalog& districts,
                              const members::District* district) {
    constexpr std::string_view kCallFirst =
        "去之前可以先打电话问清要带什么材料；也可以拨打职工服务热线12351。";
    if (district) return office_line(*district) + "\n" + std::string(kCallFirst);
    std::string lines = "各区县工会的职工服务中心：";
    for (const members::District& each : districts.all()) lines += "\n" + office_line(each);
    return lines + "\n" + std::string(kCallFirst);
}

// After the benefits of no district in particular: what he asks of "the district union", and
// that his district gets its address and phone.
std::string any_office_text(OfficeAsk ask) {
    constexpr std::string_view kWhichDistrict =
        "告诉我您在哪个区县，我把那里工会的地址和电话发给您；也可以打职工服务热线12351。";
    switch (ask) {
        case OfficeAsk::hours:
            return "区县工会一般工作日上班，周末、节假日不一定有人。" + std::string(kWhichDistrict);
        case OfficeAsk::unreachable:
            return "区县工会的电话打不通的，在办公时间再打。" + std::string(kWhichDistrict);
        case OfficeAsk::bring:
            return std::string(kBringToTheOffice) + std::string(kWhichDistrict);
        case OfficeAsk::payout:
            return "发放时间以区县工会的通知为准。" + std::string(kWhichDistrict);
        case OfficeAsk::none:
            break;
    }
    return {};
}

// "新北的呢" right after a district's benefits: that district's benefits (it got the office).
void take_other_district_benefits(const members::DistrictCatalog& districts,
                                  std::string_view office_district, std::string_view text,
                                  Understanding& understood) {
    constexpr std::size_t kShortAsk = 8;
    const OfficeShown shown = office_shown(office_district);
    if (!shown.after_benefits || shown.no_district || text::code_point_count(text) > kShortAsk ||
        text.find("呢") == std::string_view::npos || understood.intent == "join")
        return;
    const auto named = districts.match(text);
    if (named.kind != members::DistrictCatalog::Match::Kind::unique) return;
    understood.intent = "benefits";
    understood.slots["district"] = named.candidates.front()->name;
}

// The choices a pick names: "numbers" ("1,2") when he picked several, else the one.
std::vector<int> picked_numbers(const Understanding& understood, int picked) {
    std::vector<int> numbers;
    const std::string all = understood.slot("numbers");
    for (std::size_t at = 0; at < all.size();) {
        const std::size_t comma = std::min(all.find(',', at), all.size());
        numbers.push_back(std::stoi(all.substr(at, comma - at)));
        at = comma + 1;
    }
    if (numbers.empty()) numbers.push_back(picked);
    return numbers;
}

// The answer to what a short message asks of the office just named (chat_requests office_ask),
// or "" when it asks nothing of it. "钟楼的呢" names another district: its office, which
// `office_district` becomes.
std::string office_follow_up_text(const members::DistrictCatalog& districts,
                                  std::string& office_district, std::string_view text) {
    constexpr std::size_t kFollowUpChars = 16;
    if (office_district.empty() || text::code_point_count(text) > kFollowUpChars) return {};
    const OfficeShown before = office_shown(office_district);
    const auto named = districts.match(text);
    const bool other = named.kind == members::DistrictCatalog::Match::Kind::unique &&
                       text.find("呢") != std::string_view::npos;
    if (other && before.after_benefits && !before.no_district) return {};
    if (!other && before.no_district) return any_office_text(office_ask(text));
    const auto place = other ? named : districts.match(before.district);
    if (place.kind != members::DistrictCatalog::Match::Kind::unique) return {};
    office_district = place.candidates.front()->name;
    const std::string line = office_line(*place.candidates.front());
    switch (other ? OfficeAsk::hours : office_ask(text)) {
        case OfficeAsk::hours:
            return line +
                   "\n周末、节假日不一定有人，去之前先打电话问一下；急事可以打职工服务热线12351。";
        case OfficeAsk::unreachable:
            return line +
                   "\n打不通的，在办公时间再打，或者打职工服务热线12351；也可以回复“人工”，"
                   "由工会工作人员联系您。";
        case OfficeAsk::bring:
            return std::string(kBringToTheOffice) + "\n" + line +
                   "\n不确定的，去之前先打电话问清楚。";
        case OfficeAsk::payout:
            return "发放时间以区县工会的通知为准，想问进度可以打电话：\n" + line +
                   "\n也可以打职工服务热线12351。";
        case OfficeAsk::none:
            break;
    }
    return {};
}

// What a message with a danger word gets first (Understanding slot "danger"). Right after an
// emergency or a threat (`awaiting`), a new emergency word is the same scene: "他不喘气了 我要不要
// 给他按胸口" gets what to do while help comes, "他们还在拍我车门 我不敢下车" to stay in the cab
// (they got the roadside text again, which tells him to get out; danger helper, session 29).
const char* danger_text(const Understanding& understood, std::string_view awaiting = {}) {
    const std::string danger = understood.slot("danger");
    if (danger == "emergency" && awaiting.starts_with("after_threatened"))
        return kStillHereWhenThreatenedText;
    if (danger == "emergency" && awaiting.starts_with("after_emergency"))
        return kWhileHelpComesText;
    if (danger == "self_harm_threat") return kDespairAndRevengeText;
    if (danger == "self_harm") return kSelfHarmText;
    if (danger == "threat") return kThreatText;
    if (danger == "threatened") return kThreatenedText;
    if (danger == "flight") return kFlightText;
    return kEmergencyText;
}

// What the message after a danger reply gets, while `awaiting` remembers that reply
// ("after_emergency", "after_self_harm", then "…_told" once this was said): nullptr when the
// message asks for something else (a service, a person, a clear legal question, a new danger).
const char* after_danger_text(const std::string& awaiting, const Understanding& understood,
                              std::string_view text) {
    if (!awaiting.starts_with("after_")) return nullptr;
    if (!understood.slot("danger").empty()) return nullptr;
    static constexpr std::string_view kOwnWay[] = {"join",     "progress", "person", "cancel",
                                                   "benefits", "stations", "choice", "edit"};
    // After despair "算了 不说了" and "不想干了" are no cancelled form (they got "您目前没有正在
    // 办理的事项").
    const bool despair = awaiting.starts_with("after_self_harm");
    if (std::find(std::begin(kOwnWay), std::end(kOwnWay), understood.intent) != std::end(kOwnWay) &&
        !(despair && understood.intent == "cancel"))
        return nullptr;
    const auto& hits = understood.legal_search.hits;
    const bool clear_question = understood.intent == "question" && !hits.empty() &&
                                hits.front().score >= faq::Thresholds{}.answer;
    // "车停服务区了 那八万运费还能要回来不" after despair is his trouble, asked: it goes its way
    // (it got "我一直在"; danger helper, session 29).
    if (despair && names_a_legal_matter(text) && faq::asks_something(text)) return nullptr;
    constexpr std::size_t kShortFollowUp = 30;
    if (clear_question || text::code_point_count(text) > kShortFollowUp) return nullptr;
    const bool told = awaiting.ends_with("_told");
    if (despair) return told ? kStillHereAfterDespairText : kStayWithHimText;
    if (awaiting.starts_with("after_threatened")) return kStillHereWhenThreatenedText;
    // Once told what to do, a question of his goes its way ("警察来了说要扣车 扣多久啊").
    if (told && faq::asks_something(text)) return nullptr;
    return told ? kStillHereAfterEmergencyText : kWhileHelpComesText;
}

// A danger text as a group reads it: a ticket is asked for in private there ("人工" in the group
// got "请加小助手好友" after the text had said to reply "人工"; danger helper, session 29).
std::string danger_text_for(const Understanding& understood, std::string_view awaiting,
                            bool in_group) {
    std::string text = danger_text(understood, awaiting);
    if (!in_group) return text;
    constexpr std::string_view kReplyPerson = "回复“人工”";
    for (auto at = text.find(kReplyPerson); at != std::string::npos;
         at = text.find(kReplyPerson, at + 1))
        text.replace(at, kReplyPerson.size(), "加小助手好友私聊我发“人工”");
    return text;
}

// "这日子没法过了", "跑车太难了", "受够了": a gripe about his lot.
bool says_times_are_hard(std::string_view text) {
    return text::contains_any(text, {"没法过了", "没法过", "太难了", "真难", "不容易", "受够了",
                                     "熬不住", "苦啊", "太苦了", "难熬", "累死了", "干不下去"});
}

// The awaiting a danger reply leaves for the next message (after_danger_text).
std::string awaiting_after_danger(const Understanding& understood) {
    const std::string danger = understood.slot("danger");
    if (danger == "self_harm" || danger == "self_harm_threat") return "after_self_harm";
    if (danger == "threat") return {};
    if (danger == "threatened") return "after_threatened";
    return "after_emergency";
}

void remember(SessionState& session, const std::string& text) {
    session.recent.push_back(text.substr(0, text::utf8_prefix_length(text, kRecentBytes)));
    while (session.recent.size() > kRecentTurns) session.recent.erase(session.recent.begin());
}

}  // namespace

std::string RouterDialog::step_kind(const ConversationState& state) const {
    if (!state.draft || state.draft->step.empty()) return {};
    const FlowStep* step = services_.script->find_step(state.draft->step);
    if (!step) return {};
    if (step->kind == StepKind::sms_code) return "sms_code";
    if (step->kind == StepKind::confirm) return "confirm";
    return step->validator;
}

// The menu names only benefits that run all year: it advertised the health check after its
// period had ended, and every question about it got "本期已截止" (benefits helper, session 24).
// What is on now is the catalogue's answer (Do::benefits).
std::string RouterDialog::menu_text(ConversationState& state) const {
    state.session.legal_choices.clear();
    for (const char* intent : kMenuIntents)
        state.session.legal_choices.push_back(std::string(kMenuPrefix) + intent);
    return "我可以帮您：\n1. 入会 —— 两分钟办好工会会员，1个工作日内办结\n"
           "2. 法律咨询 —— 欠薪欠运费、事故、工伤、罚款、平台扣钱\n"
           "3. 福利 —— 入会礼包、加油优惠、互助保障、困难帮扶\n"
           "4. 进度 —— 查询入会申请进度\n5. 找工作人员\n回复数字，或直接说您的问题。";
}

Understanding RouterDialog::understand(const Message& message, const TurnInput& input,
                                       const ConversationState& state, int offered) const {
    std::shared_ptr<const faq::IntentModel> model;
    if (services_.chat.intents) model = services_.chat.intents();
    if (!model) model = services_.intents;
    std::shared_ptr<const faq::Index> legal;
    if (services_.chat.legal_index) legal = services_.chat.legal_index();
    UnderstandContext context;
    context.channel = std::string(channel_name(message.channel));
    context.in_group = message.in_group();
    context.mentioned = input.mentioned;
    context.offered = offered;
    context.today = input.today;
    context.step = step_kind(state);
    if (!model) {
        Understanding unknown;
        unknown.intent = "out_of_scope";
        return unknown;
    }
    const Understander understander(model, services_.districts);
    auto understood = understander.understand(message.text, context, legal.get());
    if (!understood.legal_search.text.empty()) understood.legal_search.index = std::move(legal);
    return understood;
}

asio::awaitable<std::string> RouterDialog::application_status(const Message& message) {
    std::string status = "none";
    if (message.in_group() || !services_.applications) co_return status;
    try {
        auto found = co_await services_.applications->latest_for_driver(driver_id(message));
        if (found) status = found->status;
    } catch (const std::exception&) {
        if (services_.log) services_.log("application_status_failed", "");
        status.clear();
    }
    co_return status;
}

asio::awaitable<std::vector<std::string>> RouterDialog::hand_off(const Message& message,
                                                                 const ConversationState& state,
                                                                 std::string desk,
                                                                 std::string* opened_ticket) {
    std::vector<std::string> texts;
    const ChatServices& chat = services_.chat;
    if (!chat.open_handoff) {
        texts.push_back(services_.script->text("human"));
        co_return texts;
    }
    Handoff handoff;
    handoff.desk = std::move(desk);
    handoff.question = state.session.last_question;
    if (handoff.question.empty())
        handoff.question = desk_question(state.session.recent, message.text, is_bare_request);
    handoff.recent = state.session.recent;
    if (state.draft) {
        handoff.district = get(state.draft->slots, slot_for(*services_.script, "district"));
        // Only a confirmed number: a typed one may be anybody's.
        handoff.phone = state.draft->verified_mobile;
    }
    handoff.channel = std::string(channel_name(message.channel));
    handoff.chat_id = message.chat_id;
    handoff.sender_id = message.sender_id;
    handoff.in_group = message.in_group();
    try {
        auto opened = co_await chat.open_handoff(std::move(handoff));
        texts.push_back(std::move(opened.text));
        if (opened_ticket) *opened_ticket = std::move(opened.ticket);
    } catch (const std::exception&) {
        if (services_.log) services_.log("handoff_failed", "");
        texts.push_back("暂时没能转给工作人员，请稍后再试，或拨打职工服务热线12351。");
    }
    co_return texts;
}

// Choices, a pending grievance, what was awaited and the miss streak are valid for the next
// message only; any other message drops them (a group member's conversation is his own: another
// member's "2" never reaches these).
RouterDialog::ChatTurn RouterDialog::take_turn(const Message& message, const TurnInput& input,
                                               ConversationState& state) {
    ChatTurn turn;
    turn.offered = std::move(state.session.legal_choices);
    state.session.legal_choices.clear();
    turn.grievance_pending = std::exchange(state.session.grievance_pending, false);
    turn.misses = std::exchange(state.session.legal_misses, 0);
    turn.last_question = std::move(state.session.last_question);
    state.session.last_question.clear();
    turn.awaiting = std::exchange(state.session.awaiting, std::string());
    turn.awaiting_benefit = std::exchange(state.session.awaiting_benefit, std::string());
    turn.office_district = std::exchange(state.session.office_district, std::string());
    turn.legal_context = std::exchange(state.session.legal_context, false);
    turn.legal_answered = std::exchange(state.session.legal_answered, {});
    turn.text = JoinEngine::clean_input(message.text);
    turn.in_group = message.in_group();
    turn.asked = !turn.in_group || input.mentioned;
    return turn;
}

// Whether the answer just sent rests on labour law (劳动合同法, 劳动争议调解仲裁法, 工伤保险条例),
// which a private person who hires a driver is not bound by (kPrivateEmployerLine).
bool RouterDialog::answered_with_labour_law(const std::vector<std::string>& answered) const {
    if (answered.empty() || !services_.chat.legal_index) return false;
    const auto index = services_.chat.legal_index();
    if (!index) return false;
    for (const std::string& id : answered) {
        const faq::Entry* entry = index->script().find(id);
        if (!entry || id == "individual_employer") return false;
        for (const faq::LegalBasis& basis : entry->legal_basis)
            if (basis.law.starts_with("劳动合同法") || basis.law == "劳动争议调解仲裁法" ||
                basis.law == "工伤保险条例")
                return true;
    }
    return false;
}

// Whether the benefit just answered (its FAQ entry) lists papers to hand in.
bool RouterDialog::names_papers(const ChatTurn& turn) const {
    if (turn.legal_answered.empty() || !services_.chat.legal_index) return false;
    const auto index = services_.chat.legal_index();
    const faq::Entry* entry = index ? index->script().find(turn.legal_answered.front()) : nullptr;
    return entry && text::contains_any(entry->answer, {"发票", "病历", "诊断证明", "申请表"});
}

// Right after an office was named: what he asks of it (office_follow_up_text). "电话打不通啊"
// reads as asking for a person; it asks how else to reach that office.
bool RouterDialog::answer_office_follow_up(const ChatTurn& turn, const Understanding& understood,
                                           ConversationState& state, Handled& handled) const {
    const bool unreachable =
        understood.intent == "person" && office_ask(turn.text) == OfficeAsk::unreachable;
    if (!turn.asked || (leaves_what_was_awaited(understood.intent) && !unreachable)) return false;
    // "要带啥" right after a benefit is that benefit's papers (the mutual aid's 发票和病历), which
    // its FAQ entry says; the office's "身份证和会员电子卡" left them out (benefits helper, round
    // 3).
    if (office_shown(turn.office_district).after_benefits &&
        office_ask(turn.text) == OfficeAsk::bring && names_papers(turn))
        return false;
    std::string office_district = turn.office_district;
    std::string office = office_follow_up_text(*services_.districts, office_district, turn.text);
    if (office.empty()) return false;
    handled.texts.push_back(std::move(office));
    state.session.office_district = std::move(office_district);
    // The catalogue's question for his district still stands ("武进" next).
    if (turn.awaiting == "benefits_district") {
        state.session.awaiting = turn.awaiting;
        state.session.awaiting_benefit = turn.awaiting_benefit;
    }
    handled.resume = true;  // mid-form the step is asked again
    return true;
}

// Right after a station list, a message about one of them ("第二个能停半挂不", "最近那个电话多
// 少", "牛塘那个几点关门") or about all ("几点关门"): they had got the list again, or the FAQ's
// word on 司机之家 in general (benefits helper, session 28). A longer message, or one that leaves
// for joining, a person or danger, goes its way.
bool RouterDialog::answer_listed_stations(const ChatTurn& turn, const Understanding& understood,
                                          ConversationState& state, Handled& handled) const {
    constexpr std::size_t kAboutAStationChars = 24;
    const auto& chat = services_.chat;
    if (turn.awaiting != "stations_more" || turn.in_group || !chat.about_listed_stations ||
        state.session.stations_listed.empty() || leaves_what_was_awaited(understood.intent) ||
        understood.intent == "cancel" || text::code_point_count(turn.text) > kAboutAStationChars)
        return false;
    auto answer = chat.about_listed_stations(state.session.stations_listed,
                                             state.session.stations_picked, turn.text);
    if (!answer) return false;
    handled.texts.push_back(std::move(answer->text));
    state.session.stations_picked = answer->picked;
    state.session.awaiting = "stations_more";  // "那第一个呢" next
    handled.resume = true;                     // mid-form the step is asked again
    return true;
}

// "第二个咋领", "第2个是啥" right after a numbered list of benefits: that benefit (it got a
// drink-driving menu; benefits helper, session 29).
bool RouterDialog::answer_picked_benefit(const ChatTurn& turn, ConversationState& state,
                                         Handled& handled) const {
    constexpr std::size_t kAboutABenefitChars = 16;
    const auto& chat = services_.chat;
    const bool after_list =
        turn.awaiting == "benefits_listed" || turn.awaiting == "benefits_district";
    if (!after_list || turn.in_group || !chat.picked_benefit ||
        state.session.benefits_listed.empty() ||
        text::code_point_count(turn.text) > kAboutABenefitChars)
        return false;
    auto picked = chat.picked_benefit(state.session.benefits_listed, state.session.benefits_status,
                                      turn.text);
    if (!picked) return false;
    handled.texts.push_back(std::move(*picked));
    state.session.awaiting = turn.awaiting;  // "第三个呢" next
    handled.resume = true;                   // mid-form the step is asked again
    return true;
}

// A short message about what the last reply left open: the union office it named, the stations
// or the benefits it listed, the danger it answered.
bool RouterDialog::answer_what_was_left_open(const ChatTurn& turn, const Understanding& understood,
                                             ConversationState& state, Handled& handled) const {
    if (answer_office_follow_up(turn, understood, state, handled) ||
        answer_listed_stations(turn, understood, state, handled) ||
        answer_picked_benefit(turn, state, handled))
        return true;
    const std::string& awaiting = turn.awaiting;
    const char* stay = after_danger_text(awaiting, understood, turn.text);
    if (!stay || turn.in_group) return false;
    handled.texts.push_back(stay);
    state.session.awaiting = awaiting.ends_with("_told") ? awaiting : awaiting + "_told";
    handled.resume = true;  // mid-form the step is asked again
    return true;
}

// Answers that need no understand(): the category of a pending grievance, a ticket's status, a
// grievance request, a shared location.
// "算了不用律师了 我自己去仲裁 取消吧" while his private ticket waits: it is closed, not added to
// (the lawyer would have worked on it; legal helper, session 23). What he is told, or nullopt.
asio::awaitable<std::optional<std::string>> RouterDialog::withdraw_ticket(const Message& message,
                                                                          ConversationState& state,
                                                                          const ChatTurn& turn) {
    const ChatServices& chat = services_.chat;
    if (turn.in_group || state.session.open_ticket.empty() || !chat.withdraw_ticket ||
        !withdraws_ticket(turn.text))
        co_return std::nullopt;
    const std::string number = state.session.open_ticket;
    bool closed = false;
    try {
        closed = co_await chat.withdraw_ticket(number, message.text);
    } catch (const std::exception&) {
        if (services_.log) services_.log("ticket_withdraw_failed", "");
    }
    if (!closed) co_return std::nullopt;
    state.session.open_ticket.clear();
    co_return std::optional<std::string>(
        "好的，工单" + number +
        "已撤销，不再处理。以后有事随时找我，回复“人工”或“找律师”可以重新转。");
}

asio::awaitable<void> RouterDialog::note_call_with_status(const Message& message,
                                                          const TurnInput& input,
                                                          ConversationState& state,
                                                          Handled& handled) {
    const bool phone = extract_answer("mobile", message.text, input.today).found();
    if (!phone && !asks_for_a_call(message.text)) co_return;
    auto noted = co_await note_for_ticket(message, input, state, false);
    if (noted) handled.texts.push_back(std::move(*noted));
}

// "要等多久", "啥时候有人回" in a private chat: his waiting ticket's state, only while one waits
// (after an answer, "工伤认定要等多久" is a question); with nothing waiting, "有人回" is told so
// (it got the benefit list; danger helper, session 28). nullopt: not answered here.
asio::awaitable<std::optional<RouterDialog::Handled>> RouterDialog::answer_when_answered(
    const Message& message, const TurnInput& input, ConversationState& state,
    const std::string& about) {
    Handled handled;
    handled.resume = true;
    if (auto waiting = co_await ticket_still_waiting(message, state)) {
        handled.texts.push_back(std::move(*waiting));
        co_await note_call_with_status(message, input, state, handled);
        co_return std::optional<Handled>(std::move(handled));
    }
    if (!asks_for_a_reply(about)) co_return std::nullopt;
    handled.texts.push_back(kNothingWaiting);
    co_return std::optional<Handled>(std::move(handled));
}

asio::awaitable<std::optional<RouterDialog::Handled>> RouterDialog::answer_before_understanding(
    const Message& message, const TurnInput& input, ConversationState& state, const ChatTurn& turn,
    int number) {
    const ChatServices& chat = services_.chat;
    Handled handled;
    if (turn.grievance_pending && chat.open_grievance && number > 0) {
        const std::string_view category = grievance_category(number);
        if (category.empty()) {
            state.session.grievance_pending = true;
            state.session.last_question = turn.last_question;
            handled.texts.push_back("请回复 1-3 之间的数字。");
            co_return std::optional<Handled>(std::move(handled));
        }
        std::string chosen(category);
        handled.texts = co_await grievance(message, std::move(chosen), turn.last_question);
        co_return std::optional<Handled>(std::move(handled));
    }
    // "FL2026… 进度" or the number alone: the ticket's state (details only to its owner).
    if (turn.asked && chat.ticket_status) {
        std::string channel(channel_name(message.channel));
        auto status = co_await chat.ticket_status(message.text, std::move(channel),
                                                  message.sender_id, turn.in_group);
        if (status) {
            handled.texts.push_back(std::move(*status));
            handled.resume = true;
            co_return std::optional<Handled>(std::move(handled));
        }
    }
    // Session 23's join helper got "没看懂" and the menu.
    const bool mid_flow = state.draft && !state.draft->step.empty();
    if (!turn.in_group && !mid_flow && asks_membership_by_id(turn.text)) {
        handled.texts.push_back(kNoLookupById);
        co_return std::optional<Handled>(std::move(handled));
    }
    if (auto withdrawn = co_await withdraw_ticket(message, state, turn)) {
        handled.texts.push_back(std::move(*withdrawn));
        co_return std::optional<Handled>(std::move(handled));
    }
    // "我的工单呢", "律师回了没", and while one waits "要等多久": the ticket this private chat
    // opened, waiting or answered.
    // "律师啥时候回我 我电话139… 直接打给我": asked without the number (it made the message too
    // long to read as one about his ticket, and two legal answers came; legal helper, session 27).
    const std::string about = without_call_request(turn.text);
    bool about_ticket = asks_about_ticket(about);
    if (!about_ticket && !turn.in_group && asks_when_answered(about))
        if (auto when = co_await answer_when_answered(message, input, state, about)) co_return when;
    const bool asks_after_ticket = about_ticket || asks_when_answered(about);
    if (turn.in_group && turn.asked && asks_after_ticket && chat.ticket_status &&
        chat.latest_ticket) {
        auto status = co_await group_ticket_status(message, turn);
        if (status) {
            handled.texts.push_back(std::move(*status));
            co_return std::optional<Handled>(std::move(handled));
        }
    }
    if (!turn.in_group && chat.ticket_status && about_ticket) {
        // "律师回了没" as the answer arrives: it is right above, not shown twice.
        if (turn.answer_delivered) {
            handled.texts.push_back(kAnswerAbove);
            co_return std::optional<Handled>(std::move(handled));
        }
        auto status = co_await ticket_still_waiting(message, state);
        if (!status && !state.session.open_ticket.empty()) {
            std::string channel(channel_name(message.channel));
            status = co_await chat.ticket_status(state.session.open_ticket, std::move(channel),
                                                 message.sender_id, false);
        }
        if (!status && turn.text.find("工单") != std::string::npos) status = kNoTicketHere;
        if (status) {
            handled.texts.push_back(std::move(*status));
            handled.resume = true;
            if (!state.session.open_ticket.empty())
                co_await note_call_with_status(message, input, state, handled);
            co_return std::optional<Handled>(std::move(handled));
        }
    }
    // "我要投诉 乱罚款": a grievance ticket; the category asked with numbered choices when the
    // words do not say. Groups are told to use the private chat.
    if (chat.open_grievance) {
        if (auto request = grievance_request(turn.text)) {
            if (turn.in_group) {
                if (turn.asked)
                    handled.texts.push_back(
                        "投诉和诉求请私聊我，我帮您登记工单，群里不方便说细节。");
                co_return std::optional<Handled>(std::move(handled));
            }
            if (request->category.empty()) {
                state.session.grievance_pending = true;
                state.session.last_question = message.text;
                handled.texts.push_back(grievance_choices_text());
                co_return std::optional<Handled>(std::move(handled));
            }
            handled.texts = co_await grievance(message, std::move(request->category), message.text);
            co_return std::optional<Handled>(std::move(handled));
        }
    }
    if (message.location && !turn.in_group && chat.stations_near) {
        auto near =
            co_await chat.stations_near(message.location->latitude, message.location->longitude);
        handled.texts.push_back(std::move(near.text));
        remember_listed_stations(state.session, std::move(near.listed));
        handled.resume = true;
        co_return std::optional<Handled>(std::move(handled));
    }
    co_return std::nullopt;
}

// "…你说这个怎么弄啊 还有就是我想入个会": the part of a two-question message (faq::two_questions)
// that is not the join request, or nullopt when neither or both parts ask to join.
namespace {

// "我想入个会", "另外我想入会": a request to join. "入会要交钱不" asks about joining: a question
// (it was taken for a join request, and "等下 入会要交钱不？会费多少" searched without its
// 入会 got "我还答不好"; join helper, session 22).
bool asks_to_join(std::string_view part) {
    if (says_he_is_a_member(part)) return false;
    const auto has = [&](std::string_view word) {
        return part.find(word) != std::string_view::npos;
    };
    const bool names_joining =
        has("入会") || has("入个会") || has("入工会") || has("加入工会") || has("参加工会");
    // "我想入个会 咋入" asks how, but wants to join all the same.
    const bool wants = has("想入") || has("要入") || has("申请入") || has("办入") ||
                       has("想加入") || has("要加入") || has("想参加");
    // "入会要钱不 要交会费吗 我想入一个": the clause says 入一个, the one before names 入会
    // (benefits helper, session 26: only the fee was answered).
    const bool wants_one = (has("想入一个") || has("要入一个") || has("想办一个") ||
                            has("给我办一个") || has("也入一个"));
    return (names_joining && (wants || !faq::asks_something(part))) || wants_one;
}

std::optional<std::string> question_beside_join(std::string_view text) {
    constexpr std::size_t kLeastQuestion = 4;
    const faq::TwoQuestions parts = faq::two_questions(text);
    if (!parts.first.empty()) {
        if (asks_to_join(parts.first) == asks_to_join(parts.second)) return std::nullopt;
        return std::string(asks_to_join(parts.first) ? parts.second : parts.first);
    }
    // "工伤认定要多久 另外我想入会": the join request is its own clause, the rest the question.
    std::string other;
    bool joined = false;
    constexpr std::string_view kMarks[] = {" ", "，", "。", "？", "！", ",", "?", "!"};
    for (const std::string_view clause : text::clauses_between(text, kMarks)) {
        if (asks_to_join(clause)) {
            joined = true;
        } else if (!clause.empty()) {
            other += other.empty() ? "" : " ";
            other += clause;
        }
    }
    if (!joined || text::code_point_count(other) < kLeastQuestion) return std::nullopt;
    // "你好 我想入会 怎么弄" asks how to join, which the form answers: "您说的另一件事，我先记着"
    // was the first thing he read (join helper, session 23).
    std::string rest = other;
    for (const std::string_view word :
         {"你好", "您好", "在吗", "请问", "怎么弄", "咋弄", "怎么搞", "咋搞", "怎么办理", "咋办理",
          "如何办理", "怎么入", "咋入", "怎么办", "咋办", "怎么操作", "啊", "呢", " "})
        for (auto at = rest.find(word); at != std::string::npos; at = rest.find(word))
            rest.erase(at, word.size());
    if (text::code_point_count(rest) < kLeastQuestion) return std::nullopt;
    // "你好 我想入个会 我叫… 身份证…": the rest is his details, not a question.
    for (const std::string_view word : {"吗", "么", "咋", "啥", "怎", "什么", "多少", "多久", "哪",
                                        "谁", "能不能", "是不是", "有没有", "要不要", "？", "?"})
        if (other.find(word) != std::string::npos) return other;
    return std::nullopt;
}

}  // namespace

// The answer already tells him to reply "入会" (the union's own entries do).
bool RouterDialog::says_how_to_join(const Handled& handled) {
    const auto tells = [](const std::string& text) {
        return text.find("回复“入会”") != std::string::npos;
    };
    return std::any_of(handled.texts.begin(), handled.texts.end(), tells) ||
           std::any_of(handled.follow_ups.begin(), handled.follow_ups.end(), tells);
}

// Do::legal: the legal service's answer; returns its outcome for record_outcome.
asio::awaitable<std::string> RouterDialog::answer_legal(const Message& message,
                                                        ConversationState& state,
                                                        const ChatTurn& turn,
                                                        const Understanding& understood,
                                                        const Route& decided, Handled& handled) {
    const ChatServices& chat = services_.chat;
    state.session.legal_context = !turn.in_group;
    if (!chat.ask) {
        handled.texts.push_back(services_.script->text("legal"));
        co_return std::string();
    }
    // "@卡友小助手 找律师 <story>" again in a group: the ticket that waits gets it (each post
    // opened a ticket; group helper, session 21).
    if (turn.in_group && turn.asked && faq::asks_for_person(turn.text)) {
        if (auto noted = co_await note_to_group_ticket(message)) {
            handled.texts.push_back(std::move(*noted));
            co_return std::string("handoff");
        }
    }
    LegalAsk ask;
    ask.text = message.text;
    ask.searched = understood.legal_search;
    // "工伤认定要多久 另外我想入会": the question alone is searched (the whole drew the how-to-join
    // entry into numbered choices); the join request gets its own line (below).
    const auto beside_join = question_beside_join(turn.text);
    if (beside_join) {
        ask.text = *beside_join;
        ask.searched = {};
    }
    // "那我先问个别的 交强险保险公司拒赔咋办": the lead-in tells the search nothing (it sank the
    // question to numbered choices).
    if (const auto asked = after_new_question_lead(turn.text); !asked.empty()) {
        ask.text = std::string(asked);
        ask.searched = {};
    }
    if (declines_a_person(ask.text)) {
        ask.text = without_declined_person(ask.text);
        ask.searched = {};
    }
    // "洗澡要钱不", "晚上十点以后还能进吗" right after a list of stations ask about them (they
    // got choices on arbitration fees and joining; benefits helper, session 25).
    constexpr std::size_t kStationQuestionChars = 20;
    if (turn.awaiting == "stations_more" && !turn.in_group &&
        text::code_point_count(ask.text) <= kStationQuestionChars) {
        ask.text = "司机之家 " + ask.text;
        ask.searched = {};
    }
    ask.in_group = turn.in_group;
    ask.mentioned = turn.asked;
    ask.channel = std::string(channel_name(message.channel));
    ask.chat_id = message.chat_id;
    ask.sender_id = message.sender_id;
    // In the middle of the join form the step's prompt must be the last thing he reads: no second
    // answer sent after it as its own message (two answers share the one reply instead).
    const bool mid_flow = state.draft && !state.draft->step.empty();
    ask.follow_up = message.follow_ups && !mid_flow;
    ask.max_bytes = message.answer_bytes;
    // Mid-form a question is a detour: a short answer (one entry, its point first), then the step.
    // ("入会要交钱不 一年多少钱" at step 2 got about 900 characters before the step.)
    constexpr std::size_t kDetourBytes = 900;
    if (mid_flow) ask.max_bytes = std::min(ask.max_bytes, kDetourBytes);
    // "要交钱吗" at step 1 got the court fee of a property freeze (join helper, session 28): a
    // short question mid-form with no case of its own is asked about joining.
    if (mid_flow && !turn.in_group && asks_about_the_form(ask.text)) {
        ask.text = "入会 " + ask.text;
        ask.searched = {};
    }
    if (!turn.in_group) {
        // Mid-form a miss opens no lawyer's ticket: "那先填无吧 回头问了老板再说" at the plate step
        // did, and the form stayed stuck (join helper, session 28).
        ask.misses_before = mid_flow ? 0 : turn.misses;
        ask.previous_question = turn.last_question;
        // remember() put this message last; the ones before it are the topic's candidates. An
        // answer of the union's own ends the legal context (人工 goes to the staff) but is still
        // the topic: "要准备啥材料" after the scholarship answer asks about it.
        const auto& recent = state.session.recent;
        const bool after_answer = turn.legal_context || !turn.legal_answered.empty();
        if (after_answer && recent.size() >= 2)
            ask.topic = faq::topic_of(std::span(recent.data(), recent.size() - 1));
        ask.answered_before = turn.legal_answered;
        // Newest first: the first figure found is the one he gave last; a figure he corrected
        // is read as corrected.
        if (recent.size() >= 2)
            ask.said_before = faq::figures_said_before(
                std::vector<std::string>(recent.begin(), recent.end() - 1));
    } else {
        // A group keeps no messages, only what the bot answered him last ("@卡友小助手 要是老板
        // 不认呢" after his freight question read as a work-injury question).
        ask.answered_before = turn.legal_answered;
    }
    if (state.draft)
        ask.district = get(state.draft->slots, slot_for(*services_.script, "district"));
    auto answer = co_await chat.ask(std::move(ask));
    // A miss offers nothing to pick: the choices before it stay for one more message, so that
    // "1" after "我还答不好" picks from them (it got the main menu, whose 1 starts the form;
    // legal helper, session 27).
    const bool missed_without_choices = answer.missed && answer.entry_ids.empty();
    state.session.legal_choices = missed_without_choices ? turn.offered : answer.entry_ids;
    if (!turn.in_group && answer.missed) {
        state.session.legal_misses = turn.misses + 1;
        state.session.last_question = message.text;
    }
    handled.texts = std::move(answer.texts);
    handled.follow_ups = std::move(answer.follow_ups);
    handled.asked_as = std::move(answer.asked_as);
    // "我身份证3204… 老板欠我工资 咋办" in private got its answer and not a word about the ID
    // (legal helper, session 22). A group gets its warning before anything is searched.
    if (!turn.in_group && !mid_flow && find_personal_data(message.text).id_card &&
        !handled.texts.empty())
        handled.texts.front().insert(0, kIdNotNeeded);
    // "加油优惠在哪个加油站能用" then "人工": the district's staff, not the lawyers (benefits
    // helper, session 21).
    if (!answer.legal) state.session.legal_context = false;
    if (!turn.in_group && !answer.ticket.empty()) state.session.open_ticket = answer.ticket;
    state.session.legal_answered = std::move(answer.answered);
    // A serious case the scripts cannot answer: the desk's offer alone, not "我还答不好" before it.
    // With a ticket open or just opened the lawyer is already on it: "回复人工" right after the
    // ticket's number read as if it were not (legal helper, session 23).
    const bool said_something = !handled.texts.empty();
    const bool ticket_open = !answer.ticket.empty() || !state.session.open_ticket.empty();
    const bool offer_desk = decided.offer_desk && !ticket_open;
    if (offer_desk && answer.outcome == "handoff" && !answer.confident) handled.texts.clear();
    // After the last answer: between "①" and a "②" sent as a message of its own it split the two
    // answers (legal helper, session 26).
    // In a group it goes with the answer, to him (a message of its own went to the room without
    // an @, and "人工" there only says to chat in private; victims and fines helpers, session 30).
    if (offer_desk && said_something && turn.in_group && !handled.texts.empty()) {
        handled.texts.back() += std::string("\n") + kSeriousOfferInGroup;
    } else if (offer_desk && said_something) {
        auto& last = handled.follow_ups.empty() ? handled.texts : handled.follow_ups;
        last.emplace_back(kSeriousOffer);
    }
    // "工伤认定要多久 另外我想入会": how to join, unless the answer says so.
    if (!mid_flow && !handled.texts.empty() && beside_join && !says_how_to_join(handled)) {
        // After the second answer when it comes as a message of its own.
        auto& last = handled.follow_ups.empty() ? handled.texts : handled.follow_ups;
        last.emplace_back(turn.in_group ? kJoinAfterQuestionInGroup : kJoinAfterQuestion);
    }
    co_return answer.outcome;
}

asio::awaitable<std::vector<std::string>> RouterDialog::answer_aside(const Message& message,
                                                                     const ChatTurn& turn,
                                                                     std::string question,
                                                                     bool before_form) {
    std::vector<std::string> texts;
    const ChatServices& chat = services_.chat;
    if (!chat.ask || question.empty()) co_return texts;
    LegalAsk ask;
    ask.text = std::move(question);
    ask.in_group = turn.in_group;
    ask.mentioned = turn.asked;
    ask.channel = std::string(channel_name(message.channel));
    ask.chat_id = message.chat_id;
    ask.sender_id = message.sender_id;
    // A detour before the form's first step, as mid-form (answer_legal).
    constexpr std::size_t kBesideJoinBytes = 900;
    ask.max_bytes = std::min(message.answer_bytes, kBesideJoinBytes);
    auto answer = co_await chat.ask(std::move(ask));
    // Numbered choices would take the form's first answer for a pick: he is told it waits.
    if (answer.outcome == "answer")
        texts = std::move(answer.texts);
    else if (before_form)
        texts.emplace_back(kQuestionAfterJoin);
    else
        texts.emplace_back(kQuestionAfterStep);
    co_return texts;
}

// The stations near the place he named; for a town the station list does not know ("雪堰",
// "前黄": a legal ticket once, after two "没看懂"), those of its district, said as such: the
// distances are from the district's centre, not from him.
asio::awaitable<std::optional<faq::PlaceStations>> RouterDialog::stations_near_place_or_district(
    const std::string& text) {
    const ChatServices& chat = services_.chat;
    if (!chat.stations_near_place) co_return std::nullopt;
    auto near = co_await chat.stations_near_place(text);
    if (near || !services_.districts) co_return near;
    const auto match = services_.districts->match(text);
    if (match.kind != members::DistrictCatalog::Match::Kind::unique) co_return near;
    const std::string& district = match.candidates.front()->name;
    near = co_await chat.stations_near_place(district);
    if (near)
        near->text = "这个地方不在我的站点地图上，先按" + district + "给您找（距离按" + district +
                     "中心算，不是离您的距离；发位置能找得更准）：\n" + near->text;
    co_return near;
}

// Do::person: a ticket for the desk (from a group, through the legal service; nothing personal).
asio::awaitable<std::vector<std::string>> RouterDialog::answer_person(const Message& message,
                                                                      const TurnInput& input,
                                                                      ConversationState& state,
                                                                      const ChatTurn& turn,
                                                                      const Route& decided) {
    const ChatServices& chat = services_.chat;
    if (turn.in_group) {
        // "@卡友小助手 人工" alone opened a ticket holding only "人工": the desk learns nothing,
        // and his story belongs in the private chat, not in the group (group helper, session 21).
        // The menu's "5. 找工作人员" picked in the group ("5", "@卡友小助手 5") is such a request
        // too: the "5" went on to the legal service and was searched (五级伤残; group helper,
        // session 22).
        if (is_bare_request(turn.text) || choice_number(turn.text) > 0) {
            std::vector<std::string> texts;
            texts.emplace_back(kGroupPersonPrivately);
            co_return texts;
        }
        // The same story posted again opened a ticket each time (group helper, session 21).
        if (auto noted = co_await note_to_group_ticket(message)) {
            std::vector<std::string> texts;
            texts.push_back(std::move(*noted));
            co_return texts;
        }
        // The legal service opens a ticket for an addressed "人工" with the message (the numbers
        // in it, if any, already took the warning path).
        if (chat.ask) {
            LegalAsk ask;
            ask.text = message.text;
            ask.in_group = true;
            ask.mentioned = turn.asked;
            ask.channel = std::string(channel_name(message.channel));
            ask.chat_id = message.chat_id;
            ask.sender_id = message.sender_id;
            auto answer = co_await chat.ask(std::move(ask));
            // Its numbered choices are his to pick ("@卡友小助手 1" got the main menu; group
            // helper, session 27).
            state.session.legal_choices = answer.entry_ids;
            co_return std::move(answer.texts);
        }
        co_return std::vector<std::string>();
    }
    // "律师啥时候联系我" after "找律师": the ticket already waiting, not a second one.
    if (auto waiting = co_await ticket_still_waiting(message, state)) {
        std::vector<std::string> texts;
        texts.push_back(std::move(*waiting));
        // "找律师 老板又欠了两万": the new case goes to the ticket too.
        if (!is_bare_request(message.text)) {
            auto noted = co_await note_for_ticket(message, input, state, false);
            if (noted) texts.push_back(std::move(*noted));
        }
        co_return texts;
    }
    ConversationState for_desk = state;
    for_desk.session.last_question = turn.last_question;
    auto texts = co_await hand_off(message, for_desk, decided.desk, &state.session.open_ticket);
    state.session.recent.clear();  // handed over with the ticket
    co_return texts;
}

asio::awaitable<std::optional<std::string>> RouterDialog::note_to_group_ticket(
    const Message& message) {
    const ChatServices& chat = services_.chat;
    if (!chat.ticket_waiting || !chat.add_to_ticket) co_return std::nullopt;
    auto number = co_await latest_ticket_of(message);
    if (!number) co_return std::nullopt;
    TicketNoteResult result = TicketNoteResult::gone;
    try {
        auto waiting = co_await chat.ticket_waiting(*number);
        if (!waiting) co_return std::nullopt;
        result = co_await chat.add_to_ticket(*number, message.text, false);
    } catch (const std::exception&) {
        if (services_.log) services_.log("ticket_note_failed", "");
        co_return std::nullopt;
    }
    if (result != TicketNoteResult::added) co_return std::nullopt;
    co_return std::optional<std::string>(group_note_text(*number));
}

// The sender's latest ticket (30 days, faq::TicketDesk::latest_for); nullopt when none, or when
// the lookup failed (logged).
asio::awaitable<std::optional<std::string>> RouterDialog::latest_ticket_of(const Message& message) {
    const ChatServices& chat = services_.chat;
    if (!chat.latest_ticket) co_return std::nullopt;
    try {
        std::string channel(channel_name(message.channel));
        co_return co_await chat.latest_ticket(std::move(channel), message.sender_id);
    } catch (const std::exception&) {
        if (services_.log) services_.log("latest_ticket_failed", "");
    }
    co_return std::nullopt;
}

asio::awaitable<void> RouterDialog::recall_ticket(const Message& message,
                                                  ConversationState& state) {
    if (message.in_group() || !state.session.open_ticket.empty()) co_return;
    auto number = co_await latest_ticket_of(message);
    if (number) state.session.open_ticket = std::move(*number);
}

// "@卡友小助手 我的工单呢" in a group: his latest ticket's state, without its details (those go to
// him alone, in the private chat).
asio::awaitable<std::optional<std::string>> RouterDialog::group_ticket_status(
    const Message& message, const ChatTurn& turn) {
    std::optional<std::string> status;
    if (auto number = co_await latest_ticket_of(message)) {
        try {
            std::string channel(channel_name(message.channel));
            status = co_await services_.chat.ticket_status(std::move(*number), std::move(channel),
                                                           message.sender_id, true);
        } catch (const std::exception&) {
            if (services_.log) services_.log("latest_ticket_failed", "");
        }
    }
    if (status) co_return status;
    // No ticket: "我的工单呢" is told so, and so is "律师啥时候回" (it got a legal menu; people
    // helper, session 29); "律师呢" alone goes on as any other message.
    if (turn.text.find("工单") != std::string::npos ||
        (asks_when_answered(turn.text) && turn.text.find("律师") != std::string::npos))
        co_return std::optional<std::string>(kNoTicketHere);
    co_return std::nullopt;
}

asio::awaitable<std::optional<std::string>> RouterDialog::waiting_ticket_line(
    const Message& message, ConversationState& state) {
    if (message.in_group() || !state.session.open_ticket.empty() || !state.session.recent.empty())
        co_return std::nullopt;
    // An answered or closed ticket is forgotten, as before.
    const auto waiting = co_await ticket_still_waiting(message, state);
    if (!waiting) {
        state.session.open_ticket.clear();
        co_return std::nullopt;
    }
    co_return std::optional<std::string>(waiting_ticket_text(state.session.open_ticket));
}

asio::awaitable<std::optional<std::string>> RouterDialog::ticket_still_waiting(
    const Message& message, ConversationState& state) {
    const ChatServices& chat = services_.chat;
    co_await recall_ticket(message, state);
    if (state.session.open_ticket.empty() || !chat.ticket_waiting) co_return std::nullopt;
    try {
        co_return co_await chat.ticket_waiting(state.session.open_ticket);
    } catch (const std::exception&) {
        if (services_.log) services_.log("ticket_waiting_failed", "");
    }
    co_return std::nullopt;
}

// A legal question while his ticket waits was also added to it (`noted`, what he is told): what
// the scripts cannot answer, or only guess at with choices ("老板叫刘德福 电话不知道" is his case,
// not a question), is the ticket's: no "我还答不好", no miss towards a second ticket; an answer
// says the question was kept. Choices for what he asks ("欠条丢了还能要吗") stay: filing a
// question left him without the answer the scripts have (legal helper, session 22).
void RouterDialog::keep_with_ticket(std::optional<std::string> noted, const std::string& outcome,
                                    const std::string& text, SessionState& session,
                                    Handled& handled) {
    if (!noted) return;
    const bool asked_choices = outcome == "choices" && faq::asks_something(text);
    if (outcome == "handoff" || (outcome == "choices" && !asked_choices)) {
        handled.texts.assign(1, std::move(*noted));
        handled.follow_ups.clear();
        session.legal_misses = 0;
        session.last_question.clear();
        session.legal_choices.clear();
        return;
    }
    handled.texts.push_back("（这条也已补充到您的工单" + session.open_ticket + "。）");
}

asio::awaitable<std::optional<std::string>> RouterDialog::note_for_ticket(const Message& message,
                                                                          const TurnInput& input,
                                                                          ConversationState& state,
                                                                          bool may_reopen) {
    const ChatServices& chat = services_.chat;
    const std::string number = state.session.open_ticket;
    if (number.empty() || !chat.add_to_ticket) co_return std::nullopt;
    // "我电话13912345678": the desk can call him back (it stays in the note, sealed).
    const bool phone = extract_answer("mobile", message.text, input.today).found();
    TicketNoteResult result = TicketNoteResult::gone;
    try {
        result = co_await chat.add_to_ticket(number, message.text, may_reopen);
    } catch (const std::exception&) {
        if (services_.log) services_.log("ticket_note_failed", "");
        co_return std::nullopt;
    }
    if (result == TicketNoteResult::gone) state.session.open_ticket.clear();
    if (result == TicketNoteResult::gone || result == TicketNoteResult::left)
        co_return std::nullopt;
    co_return ticket_note_text(number, result == TicketNoteResult::reopened, phone);
}

// Do::pick: the numbered FAQ choice picked; one past the entries is the desk.
asio::awaitable<std::vector<std::string>> RouterDialog::answer_pick(const Message& message,
                                                                    ConversationState& state,
                                                                    const ChatTurn& turn,
                                                                    const Understanding& understood,
                                                                    int choices) {
    const ChatServices& chat = services_.chat;
    const int picked = std::stoi(understood.slot("number"));
    // "都不是 → 转人工" follows FAQ choices only: "6" after the five-item menu opened a lawyer's
    // ticket (people helper, session 28).
    if (picked == static_cast<int>(turn.offered.size()) + 1 &&
        desk_offered(turn.offered, turn.legal_answered)) {
        ConversationState for_desk = state;
        for_desk.session.last_question = turn.last_question;
        // A named pointer, not ?: inside co_await (docs/coroutines.md).
        std::string* opened = nullptr;
        if (!turn.in_group) opened = &state.session.open_ticket;
        auto texts = co_await hand_off(message, for_desk, "legal", opened);
        co_return texts;
    }
    std::vector<std::string> texts;
    // "1和2": each answer picked, one message each; the choices stay for another pick ("3" next
    // got the main menu; legal helper, session 26).
    for (const int number : picked_numbers(understood, picked)) {
        std::optional<std::string> answer;
        if (chat.answer_choice) answer = chat.answer_choice(turn.offered, number, turn.in_group);
        if (answer) texts.push_back(std::move(*answer));
    }
    if (!texts.empty()) {
        // The choices stay for another pick, as they were for this one.
        if (!turn.in_group) state.session.legal_choices = turn.offered;
        co_return texts;
    }
    // Out of range, or the entry was removed since: offer the same choices again.
    state.session.legal_choices = turn.offered;
    if (two_answers_offered(turn.offered, turn.legal_answered))
        texts.push_back(
            "刚才发的是两条回答：回复1或2看那一条的全文；要转人工请回复“人工”，看主菜单请回复“菜单”"
            "。");
    else
        texts.push_back("请回复 1-" + std::to_string(choices) + " 之间的数字。");
    co_return texts;
}

// "进度": a waiting ticket's status first ("进度" after "找律师" may mean the ticket), then the
// application's through the flow.
asio::awaitable<void> RouterDialog::answer_status(const Message& message, ConversationState& state,
                                                  const ChatTurn& turn,
                                                  const Understanding& understood,
                                                  Handled& handled) {
    // "帮我查下老王的入会批了没": only the applicant can see his application; "没有查到您…" read
    // as "老王 has none" (group helper, session 21).
    if (asks_about_someone_else(turn.text)) {
        handled.texts.push_back(kSomeoneElsesApplication);
        co_return;
    }
    // "批了短信说啥", "短信啥时候到 会发啥", "我咋知道是你们发的": what the result's SMS says, then
    // the status (the status alone came four times; join helper, session 30). The wording is
    // config/sms-templates.yaml's approval and rejection.
    if (asks_what_the_sms_says(turn.text)) handled.texts.push_back(std::string(kWhatTheSmsSays));
    std::optional<std::string> waiting;
    if (!turn.in_group) waiting = co_await ticket_still_waiting(message, state);
    // "咋还没回" while his ticket waits: that, not also "没有查到您…的入会申请".
    std::string application;
    const bool names_number = !understood.slot("application_number").empty();
    if (waiting || names_number) application = co_await application_status(message);
    if (waiting) handled.texts.push_back(std::move(*waiting));
    if (names_number && application == "none" && !turn.in_group) {
        handled.texts.push_back(kNumberNotBound);
        co_return;
    }
    if (!waiting || application != "none") handled.flow_text = std::string("进度");
}

// A cancel with something filled in is asked once (`cancel_confirm`); "确定取消", "确定", "是" or
// "取消" again next deletes it (take_cancel_answer). Anything else goes on as it would. Also
// remembers that "修改" alone asked which field.
bool RouterDialog::ask_before_cancelling(const ChatTurn& turn, ConversationState& state,
                                         const Route& decided, bool mid_flow,
                                         Handled& handled) const {
    if (decided.flow_text == "取消" && mid_flow && turn.awaiting != "cancel_confirm" &&
        state.draft && has_filled_in(*state.draft)) {
        handled.texts.push_back(services_.script->text("cancel_confirm"));
        state.session.awaiting = "cancel_confirm";
        return true;
    }
    if (turn.awaiting == "cancel_confirm" && decided.flow_text == "确认") {
        handled.flow_text = std::string("取消");
        return true;
    }
    // "修改" alone lists the fields: "车牌号" next is the one he picks (it got the privacy answer
    // and the summary; join helper, session 30). take_field_picked reads it.
    if (decided.flow_text == "修改") state.session.awaiting = "edit_which";
    return false;
}

// The action route() decided, into `handled`; returns the legal service's outcome, if it ran.
asio::awaitable<std::string> RouterDialog::answer_route(
    const Message& message, const TurnInput& input, ConversationState& state, const ChatTurn& turn,
    const Understanding& understood, const Route& decided, int choices, bool mid_flow,
    Handled& handled) {
    std::string last_legal_outcome;
    switch (decided.action) {
        case Do::flow:
            if (understood.intent == "answer" && !understood.slot("error").empty()) {
                handled.reject = understood.slot("error");
                break;
            }
            if (ask_before_cancelling(turn, state, decided, mid_flow, handled)) break;
            handled.flow_text = decided.flow_text;
            if (const std::string beside = understood.slot("beside"); !beside.empty())
                handled.texts = co_await answer_aside(message, turn, beside, false);
            break;
        case Do::group_join:
            // "我入会填到哪了" in a group got a new link: the form he started is in his private
            // chat, which a group turn never sees (group helper, session 21).
            if (asks_about_form_in_progress(turn.text)) {
                handled.texts.push_back(services_.script->text("group_form_private"));
                break;
            }
            [[fallthrough]];
        case Do::start_join: {
            std::string other = question_beside_join(turn.text).value_or(std::string());
            handled.texts = co_await answer_aside(message, turn, std::move(other), true);
            handled.flow_text = std::string("入会");
            break;
        }
        case Do::join_status:
            handled.texts.push_back(kAlreadyApplied);
            handled.flow_text = std::string("进度");
            break;
        case Do::status:
            co_await answer_status(message, state, turn, understood, handled);
            break;
        case Do::change_applied:
            // A group never sees his application, nor runs the form.
            if (turn.in_group) {
                handled.texts.push_back(kChangeInGroup);
                break;
            }
            handled.texts.push_back(kChangeApplied);
            handled.flow_text = std::string("进度");
            break;
        case Do::benefits: {
            auto benefits = co_await benefits_text(message, input, understood, state);
            handled.texts.push_back(std::move(benefits));
            remember_benefit_entry(turn, understood, state);
            break;
        }
        case Do::stations:
            co_await answer_stations(message, state, turn, handled);
            break;
        case Do::legal:
            last_legal_outcome =
                co_await answer_legal(message, state, turn, understood, decided, handled);
            // "先问个别的 …": a new question of his, not more of the case his ticket holds.
            if (decided.adds_to_ticket && after_new_question_lead(turn.text).empty()) {
                // A question the scripts answered reopens an answered ticket only soon after its
                // answer (a reply to the lawyer), not days later.
                const bool may_reopen =
                    last_legal_outcome == "handoff" || last_legal_outcome == "choices";
                auto noted = co_await note_for_ticket(message, input, state, may_reopen);
                keep_with_ticket(std::move(noted), last_legal_outcome, turn.text, state.session,
                                 handled);
            }
            add_call_back_line(message.text, turn.text, turn.in_group, input.today, handled.texts);
            // "给私人老板开车 不是公司 … 能要经济补偿吗" got severance and the double wage as if
            // a company had hired him (legal helper, session 28).
            if (!turn.in_group && says_boss_is_a_private_person(state.session.recent) &&
                answered_with_labour_law(state.session.legal_answered))
                handled.texts.insert(handled.texts.begin(), kPrivateEmployerLine);
            // A question with a danger word in it: the emergency numbers first, even where the
            // FAQ stays silent (a group chat).
            if (understood.slot("emergency") == "1") {
                handled.texts.insert(handled.texts.begin(),
                                     danger_text_for(understood, turn.awaiting, turn.in_group));
                if (!turn.in_group) state.session.awaiting = awaiting_after_danger(understood);
            }
            break;
        case Do::person:
            handled.texts = co_await answer_person(message, input, state, turn, decided);
            add_call_back_line(message.text, turn.text, turn.in_group, input.today, handled.texts);
            break;
        case Do::emergency:
            handled.texts.push_back(danger_text_for(understood, turn.awaiting, turn.in_group));
            if (!turn.in_group) state.session.awaiting = awaiting_after_danger(understood);
            break;
        case Do::pick:
            handled.texts = co_await answer_pick(message, state, turn, understood, choices);
            break;
        case Do::ticket_note: {
            const bool may_reopen = says_something(message.text);
            auto noted = co_await note_for_ticket(message, input, state, may_reopen);
            if (noted)
                handled.texts.push_back(std::move(*noted));
            else
                handled.texts.push_back(std::string(kNotUnderstood) + menu_text(state));
            break;
        }
        case Do::silence:
            break;
        default:
            handled.texts.push_back(
                reply_text(decided.action, state, understood, mid_flow, turn.in_group));
            // "等下 我在装货 一会弄" got "不着急" and at once "我们继续：…" (join helper, session
            // 23): after a pause the step it stopped at is shown, not pressed.
            if (decided.action == Do::wait && !goes_on(understood.text))
                handled.resume_quietly = true;
            break;
    }
    co_return last_legal_outcome;
}

// Do::stations: the stations near the place he named, or near the place of the list before ("有洗澡
// 的吗" after a list for 湖塘), or the question where he is.
asio::awaitable<void> RouterDialog::answer_stations(const Message& message,
                                                    ConversationState& state, const ChatTurn& turn,
                                                    Handled& handled) {
    const ChatServices& chat = services_.chat;
    auto near = co_await stations_near_place_or_district(turn.text);
    // "有洗澡的吗" after a list for 湖塘: near 湖塘 again.
    if (!near && chat.stations_near_place && !turn.in_group &&
        !state.session.stations_place.empty()) {
        std::string again = state.session.stations_place + " " + turn.text;
        near = co_await chat.stations_near_place(std::move(again));
    }
    if (near) {
        handled.texts.push_back(std::move(near->text));
        // "江阴" or "奔牛那边呢" next is another place to look (next message only).
        if (!turn.in_group) {
            state.session.awaiting = "stations_more";
            state.session.stations_place = std::move(near->place);
            remember_listed_stations(state.session, std::move(near->listed));
        }
    } else if (can_send_location(message)) {
        handled.texts.push_back(chat.ask_for_location_text.empty() ? std::string(kAskTown)
                                                                   : chat.ask_for_location_text);
    } else {
        handled.texts.push_back(kAskTown);
    }
    // Asked for his town: the next message may be just "湖塘" (in a group too: his group
    // session keeps it for his next message; "湖塘" there got the how-to again).
    if (!near) state.session.awaiting = "stations_place";
}

// The replies that are text alone: the menu, a greeting, thanks, an opt-out, not understood and
// small talk.
std::string RouterDialog::reply_text(Do action, ConversationState& state,
                                     const Understanding& understood, bool mid_flow,
                                     bool in_group) const {
    switch (action) {
        case Do::greet:
            return "您好，我是卡友小助手。" + menu_text(state);
        case Do::union_office: {
            const members::District* district =
                office_district_of(*services_.districts, understood.text, state,
                                   slot_for(*services_.script, "district"));
            if (district) state.session.office_district = district->name;
            return union_office_text(*services_.districts, district);
        }
        case Do::thanks:
            return mid_flow && understood.intent == "join" ? kAlreadyFilling : kThanks;
        case Do::opt_out:
            return "好的，已为您退订通知短信。";
        case Do::not_understood:
            if (mid_flow) return kNotUnderstoodInFlow;
            if (says_times_are_hard(understood.text)) return kHardTimesText;
            return std::string(kNotUnderstood) + menu_text(state);
        case Do::same_here:
            return kSameHere;
        case Do::small_talk:
            // Mid-flow the step's prompt follows (resume); a group gets no menu of private steps.
            if (mid_flow || in_group) return kSmallTalkShort;
            return std::string(kSmallTalk) + menu_text(state);
        case Do::wait:
            // Mid-flow the reminder of the step follows (resume).
            if (mid_flow && goes_on(understood.text)) return "好的。";
            if (mid_flow)
                return "好的，不着急，填过的都给您存着（不想办了回复“取消”，填的会删掉）。"
                       "回来后从这一步接着填：";
            if (goes_on(understood.text)) return menu_text(state);
            return "好的，有事随时找我。";
        default:
            return menu_text(state);
    }
}

// "困难帮扶咋申请" answered from the catalogue, then "要准备啥材料 病历要不要": a follow-up about
// a benefit leans on the FAQ's entry for it, as after an FAQ answer. It got the freight
// lawsuit's materials, and "新一期啥时候开始" the limitation periods (benefits helper, session 24).
void RouterDialog::remember_benefit_entry(const ChatTurn& turn, const Understanding& understood,
                                          ConversationState& state) const {
    constexpr double kBenefitEntryScore = 0.5;
    std::shared_ptr<const faq::Index> index = understood.legal_search.index;
    std::vector<faq::Hit> hits = understood.legal_search.hits;
    if (!index && services_.chat.legal_index) {
        index = services_.chat.legal_index();
        if (index) hits = index->search(turn.text, {}, 1);
    }
    const bool found = index && !hits.empty() && hits.front().entry && !hits.front().entry->legal &&
                       hits.front().score >= kBenefitEntryScore;
    if (found) {
        state.session.legal_answered = {hits.front().entry->id};
        return;
    }
    // "武进" answering the catalogue's question names no benefit: the one asked before stands.
    if (turn.awaiting == "benefits_district") state.session.legal_answered = turn.legal_answered;
}

// The district the benefit catalogue asked for: "武进", "我在武进", "武进区"; the benefit he
// asked about then ("加油卡怎么领" … "武进": the fuel card for 武进).
void RouterDialog::take_benefits_district(const ChatTurn& turn, Understanding& understood) const {
    if (turn.awaiting != "benefits_district") return;
    // "我在溧阳" is short enough to be his answer even when the FAQ finds something in it.
    constexpr std::size_t kDistrictAnswerChars = 8;
    const bool short_answer = text::code_point_count(turn.text) <= kDistrictAnswerChars;
    const std::string& intent = understood.intent;
    if (leaves_what_was_awaited(intent) || (intent == "question" && !short_answer)) return;
    const auto match = services_.districts->match(turn.text);
    if (match.kind != members::DistrictCatalog::Match::Kind::unique) return;
    understood.intent = "benefits";
    understood.slots["district"] = match.candidates.front()->name;
    // "武进区有啥福利 都列一下" after the health check asks for them all (it got the health
    // check again; join helper, session 30).
    const bool asks_all = text::contains_any(
        turn.text, {"有啥福利", "哪些福利", "什么福利", "啥福利", "都列", "所有福利", "全部福利",
                    "福利都有", "都有啥", "都有什么", "有哪些"});
    if (understood.slot("benefit").empty() && !turn.awaiting_benefit.empty() && !asks_all)
        understood.slots["benefit"] = turn.awaiting_benefit;
}

// Addressed to the bot in a group, a message with an ID or phone number gets the warning and an
// answer to what he asked, read without the numbers ("@卡友小助手 我叫… 电话… 老板欠我运费三万八
// 咋弄" got the warning alone, and his question was lost). nullopt for any other message.
asio::awaitable<std::optional<RouterDialog::Handled>> RouterDialog::warned_and_answered(
    const Message& message, const TurnInput& input, ConversationState& state,
    bool answer_delivered) {
    if (!message.in_group() || !input.mentioned) co_return std::nullopt;
    const auto found = find_personal_data(message.text);
    if (!found.id_card && !found.mobile) co_return std::nullopt;
    Message without = message;
    without.text = without_personal_data_or_labels(message.text);
    // "我叫王建军" goes with them: it tells the answer nothing and, as words no entry holds, sank
    // "…老板欠我运费三万八 咋弄" from 0.46 to 0.26.
    // Read on the message as sent: "张建国 3204…" names him by the number that follows (without it
    // the name stayed, and "没看懂" and the menu followed the warning; group helper, session 28).
    const auto values = other_values(message.text, "", 0);
    if (const auto name = values.find("name"); name != values.end()) {
        for (const std::string_view cue : {"我叫", "我是", "名字是", "名字叫", "姓名是"})
            without.text = text::replace_with_space(without.text, std::string(cue) + name->second);
        without.text = text::replace_with_space(without.text, name->second);
    }
    // "@卡友小助手 身份证3204…": the numbers were all he sent; the warning is the whole reply.
    if (only_field_labels(without.text)) {
        Handled warned;
        warned.texts.push_back(services_.script->text("group_personal_data"));
        co_return std::optional<Handled>(std::move(warned));
    }
    TurnInput without_input = input;
    without_input.text = without.text;
    auto rest = co_await chat_services(without, without_input, state, answer_delivered);
    // Ending in the join flow ("我要入会 电话…", "进度 电话…"), the engine warns on the message as
    // typed and adds what it does (the private link); texts here would be dropped.
    if (rest.flow_text) {
        Handled engine_warns;
        engine_warns.flow_text = message.text;
        co_return std::optional<Handled>(std::move(engine_warns));
    }
    rest.texts.insert(rest.texts.begin(), services_.script->text("group_personal_data"));
    co_return std::optional<Handled>(std::move(rest));
}

namespace {

// A menu pick is the intent it names. In a group it is his answer to the menu he was shown:
// addressed, @-mention or not ("3" was dropped there, and the menu with it).
bool take_menu_pick(const std::vector<std::string>& menu, Understanding& understood) {
    if (understood.intent != "choice") return false;
    const int picked = std::stoi(understood.slot("number"));
    if (picked < 1 || picked > static_cast<int>(menu.size())) return false;
    understood.intent = menu[static_cast<std::size_t>(picked) - 1].substr(kMenuPrefix.size());
    understood.slots.clear();
    return true;
}

Understanding joins(Understanding understood) {
    understood.intent = "join";
    understood.slots.clear();
    return understood;
}

}  // namespace

asio::awaitable<RouterDialog::Handled> RouterDialog::chat_services(const Message& message,
                                                                   const TurnInput& input,
                                                                   ConversationState& state,
                                                                   bool answer_delivered) {
    const ChatServices& chat = services_.chat;
    if (auto warned = co_await warned_and_answered(message, input, state, answer_delivered))
        co_return std::move(*warned);
    Handled handled;
    ChatTurn turn = take_turn(message, input, state);
    turn.answer_delivered = answer_delivered;
    const auto& offered = turn.offered;
    const auto& misses = turn.misses;
    const auto& awaiting = turn.awaiting;
    const auto& legal_context = turn.legal_context;
    const auto& text = turn.text;
    const auto& in_group = turn.in_group;
    const auto& asked = turn.asked;
    // Privacy first in groups: the engine warns about an ID number, and about a phone number
    // given to kayou. A phone in a load ad not meant for kayou ("常州到上海 9米6 明早装 联系我
    // 139…") is how drivers find work: warning every one made kayou noise (group helper,
    // session 28).
    if (in_group) {
        const auto found = find_personal_data(message.text);
        if (found.id_card || (found.mobile && asked)) {
            handled.flow_text = message.text;
            co_return handled;
        }
    } else {
        remember(state.session, message.text);
    }
    const bool mid_flow = state.draft && !state.draft->step.empty();
    const int number = choice_number(text);

    auto early = co_await answer_before_understanding(message, input, state, turn, number);
    if (early) co_return std::move(*early);

    // FAQ choices end with "都不是 → 转人工", one more than the entries offered.
    const int choices =
        static_cast<int>(offered.size()) + (desk_offered(offered, turn.legal_answered) ? 1 : 0);
    Understanding understood = understand(message, input, state, choices);
    take_benefits_district(turn, understood);
    if (awaiting == "cancel_confirm" && mid_flow) take_cancel_answer(text, understood);
    if (awaiting == "edit_which" && mid_flow) take_field_picked(text, understood);
    take_station_service(awaiting, in_group, text, understood);
    take_other_district_benefits(*services_.districts, turn.office_district, text, understood);
    if (answer_what_was_left_open(turn, understood, state, handled)) co_return handled;
    // The town the station finder asked for: "湖塘", "奔牛那边" (searched alone, "湖塘" reached
    // the FAQ's how-to). A clear other request, or a longer message ("我在湖塘被扣车了 咋办"),
    // still goes its way.
    constexpr std::size_t kPlaceAnswerChars = 10;
    // After a list, another place ("江阴", "奔牛那边呢") is another look, unless it answers the
    // form's step ("武进" at the district step).
    const bool another_look = awaiting == "stations_more" && understood.intent != "answer";
    // "武进牛塘" reads as benefits to the intent script (district names are in its benefit
    // examples); asked for his town, it is his town (benefits helper, session 25: the district's
    // benefits came instead of stations). Benefits he names are still benefits.
    const bool asks_benefits = understood.intent == "benefits" &&
                               (!understood.slot("benefit").empty() || names_benefits_at_all(text));
    if ((awaiting == "stations_place" || another_look) && chat.stations_near_place &&
        text::code_point_count(text) <= kPlaceAnswerChars &&
        !leaves_what_was_awaited(understood.intent) && !asks_benefits &&
        understood.intent != "cancel") {
        auto near = co_await stations_near_place_or_district(text);
        if (near) {
            handled.texts.push_back(std::move(near->text));
            state.session.stations_place = std::move(near->place);
            remember_listed_stations(state.session, std::move(near->listed));
            state.session.awaiting = "stations_more";
            handled.resume = true;  // mid-form the step is asked again
            co_return handled;
        }
    }
    const bool picked_from_menu = is_menu(offered) && take_menu_pick(offered, understood);
    if (picked_from_menu && understood.intent == "question") {
        handled.texts.push_back(services_.script->text("legal"));
        handled.resume = true;
        co_return handled;
    }

    // "那就弄吧" right after "个体司机能入会" was answered: the form (it got "没看懂", and his
    // name next opened a staff ticket; join helper, session 28).
    if (!in_group && !mid_flow && goes_ahead(text) && answered_about_the_union(turn.legal_answered))
        understood = joins(std::move(understood));
    RouteView view;
    view.in_group = in_group;
    view.mentioned = input.mentioned || picked_from_menu;
    view.only_a_name = !in_group && !mid_flow && says_only_a_name(text);
    view.sms = message.channel == Channel::sms;
    view.misses_before = misses;
    view.choices_offered = !offered.empty();
    view.legal_context = legal_context;
    view.ticket_open = !in_group && !state.session.open_ticket.empty();
    view.asks_the_group = in_group && asks_the_group(message.text);
    view.asks = asks_or_follows_up(text);
    view.step = step_kind(state);
    // A step removed from the script since the draft was saved: the flow engine restarts the walk.
    if (mid_flow && view.step.empty()) view.step = state.draft->step;
    if (!mid_flow && !in_group && needs_application_status(understood, text))
        view.application = co_await application_status(message);
    const Route decided = route(understood, view);
    if (decided.counts_miss) {
        state.session.legal_misses = misses + 1;
        state.session.last_question = message.text;
    }
    handled.resume = decided.resume;

    const std::string last_legal_outcome = co_await answer_route(
        message, input, state, turn, understood, decided, choices, mid_flow, handled);
    std::string outcome = outcome_of(decided.action, last_legal_outcome);
    if (!outcome.empty() && chat.record_outcome && asked) {
        std::string question = message.text;
        if (!handled.asked_as.empty()) question = handled.asked_as;
        try {
            co_await chat.record_outcome(std::move(outcome), std::move(question));
        } catch (const std::exception&) {
            if (services_.log) services_.log("record_outcome_failed", "");
        }
    }
    co_return handled;
}

asio::awaitable<std::vector<std::string>> RouterDialog::grievance(const Message& message,
                                                                  std::string category,
                                                                  std::string question) {
    GrievanceTicket ticket;
    ticket.category = std::move(category);
    ticket.question = std::move(question);
    ticket.channel = std::string(channel_name(message.channel));
    ticket.chat_id = message.chat_id;
    ticket.sender_id = message.sender_id;
    auto told = co_await services_.chat.open_grievance(std::move(ticket));
    std::vector<std::string> texts;
    texts.push_back(std::move(told));
    co_return texts;
}

asio::awaitable<std::string> RouterDialog::benefits_text(const Message& message,
                                                         const TurnInput& input,
                                                         const Understanding& understood,
                                                         ConversationState& state) {
    // Membership status and district from the driver's application; in a group it would tell
    // others whether he applied, so groups get the general list.
    if (!services_.chat.benefits) co_return services_.script->text("benefits");
    std::string status = "none";
    std::string district = understood.slot("district");
    if (!message.in_group() && services_.applications) {
        try {
            auto found = co_await services_.applications->latest_for_driver(driver_id(message));
            if (found && found->status == "approved") status = "member";
            if (found && found->status == "received") status = "applicant";
            // Applications keep the district id; replies and the catalogue use its name.
            if (found && district.empty()) {
                const members::District* known = services_.districts->find(found->district);
                district = known ? known->name : std::string();
            }
        } catch (const std::exception&) {
            if (services_.log) services_.log("benefits_status_failed", "");
        }
    }
    if (district.empty() && state.draft) {
        const members::District* known = services_.districts->find(
            get(state.draft->slots, slot_for(*services_.script, "district")));
        if (known) district = known->name;
    }
    // Without a district the city-wide list comes with a question; the answer is understood
    // next turn ("武进", "我在武进").
    if (district.empty() && !message.in_group()) {
        state.session.awaiting = "benefits_district";
        state.session.awaiting_benefit = understood.slot("benefit");
    }
    char today[16];
    std::snprintf(today, sizeof today, "%04d-%02d-%02d", input.today / 10000,
                  input.today / 100 % 100, input.today % 100);
    std::string kind = understood.slot("benefit");
    // Claims are handed in at the district union: where it is, once his district is known (every
    // claim said "向所在区县工会提交" and nothing more; benefits helper, session 25).
    std::string office;
    if (!district.empty())
        if (const auto place = services_.districts->match(district);
            place.kind == members::DistrictCatalog::Match::Kind::unique &&
            !place.candidates.front()->office.name.empty()) {
            office = "\n" + office_line(*place.candidates.front());
            if (!message.in_group())
                state.session.office_district =
                    std::string(kAfterBenefits) + place.candidates.front()->name;
        }
    // No district yet: "多久能到账" next is still about the district union (it got an insurer's
    // deadlines; benefits helper, session 26).
    if (district.empty() && !message.in_group()) state.session.office_district = kOfficeNotKnown;
    // "第二个咋领" next picks from the numbered list (answer_picked_benefit).
    if (!message.in_group() && services_.chat.listed_benefits) {
        state.session.benefits_listed =
            services_.chat.listed_benefits(district, status, today, kind);
        state.session.benefits_status = status;
        if (!state.session.benefits_listed.empty() && state.session.awaiting.empty())
            state.session.awaiting = "benefits_listed";
    }
    std::string text =
        services_.chat.benefits(std::move(district), std::move(status), today, std::move(kind));
    if (!office.empty() && text.find("区县工会") != std::string::npos) text += office;
    co_return text;
}

void RouterDialog::count(const std::vector<std::string>& events) const {
    if (!services_.count) return;
    for (const auto& event : events) services_.count(event);
}

asio::awaitable<EffectResult> RouterDialog::run_effect(const Effect& effect,
                                                       const ConversationState& state,
                                                       const Message& message) {
    EffectResult result;
    result.kind = effect.kind;
    const FlowScript& script = *services_.script;
    const auto slots = state.draft ? state.draft->slots : std::map<std::string, std::string>{};
    const std::string mobile = get(slots, slot_for(script, "mobile"));
    switch (effect.kind) {
        case EffectKind::none:
            break;
        case EffectKind::send_code: {
            auto sent = co_await services_.desk->send_code(
                mobile, members::chat_requester(driver_id(message)));
            result.outcome = sent.chat_outcome();
            break;
        }
        case EffectKind::check_code: {
            auto checked = co_await services_.desk->check_code(
                mobile, members::chat_requester(driver_id(message)), effect.code);
            result.outcome = checked.outcome;
            result.remaining = checked.remaining;
            break;
        }
        case EffectKind::submit: {
            if (state.draft && state.draft->verified_mobile != mobile) {
                // The engine never submits an unconfirmed number; refuse rather than trust it.
                result.outcome = "failed";
                break;
            }
            members::NewApplication application;
            application.name = get(slots, slot_for(script, "name"));
            application.id_card = get(slots, slot_for(script, "id_card"));
            application.mobile = mobile;
            application.plate = get(slots, slot_for(script, "plate"));
            application.district = get(slots, slot_for(script, "district"));
            application.employer = get(slots, slot_for(script, "employer"));
            application.channel = std::string(channel_name(message.channel));
            application.driver = driver_id(message);
            try {
                auto submitted = co_await services_.desk->submit(std::move(application));
                result.outcome = submitted.created          ? "new"
                                 : submitted.same_applicant ? "existing"
                                                            : "existing_other";
                result.application_id = submitted.application.id;
                result.deadline = submitted.application.deadline_text;
                result.status_text = members::status_text(submitted.application.status);
            } catch (const std::exception&) {
                if (services_.log) services_.log("application_submit_failed", "");
                result.outcome = "failed";
            }
            break;
        }
        case EffectKind::progress: {
            auto found = co_await services_.applications->latest_for_driver(driver_id(message));
            if (!found) {
                result.outcome = "none";
            } else {
                result.outcome = found->status == "approved"   ? "approved"
                                 : found->status == "rejected" ? "rejected"
                                                               : "received";
                result.application_id = found->id;
                result.deadline = found->deadline_text;
                result.reason = found->reason;
                result.status_text = members::status_text(found->status);
            }
            break;
        }
        case EffectKind::group_link: {
            if (services_.public_base_url.empty() || services_.desk->options().link_key.empty()) {
                result.outcome = "off";
                break;
            }
            // Links are minted at a bounded rate per member and per group; past it the driver
            // is sent to the private chat instead (members/join_desk.hpp). The link goes 1:1
            // where the channel can send there.
            auto group = std::string(channel_name(message.channel)) + ":" + message.chat_id;
            auto token =
                co_await services_.desk->group_link_token(driver_id(message), std::move(group));
            if (!token) {
                result.outcome = "limited";
                break;
            }
            result.outcome = message.private_replies ? "private" : "ok";
            result.link = services_.public_base_url + "/join?t=" + *token;
            break;
        }
    }
    co_return result;
}

}  // namespace kayou::dialogs
