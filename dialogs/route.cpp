#include "dialogs/route.hpp"

#include <algorithm>
#include <string_view>

#include "dialogs/chat_requests.hpp"
#include "faq/sums.hpp"
#include "text/words.hpp"

namespace kayou::dialogs {
namespace {

Route to(Do action) {
    Route route;
    route.action = action;
    return route;
}

Route flow(std::string text) {
    Route route;
    route.action = Do::flow;
    route.flow_text = std::move(text);
    return route;
}

// A question for the FAQ; a serious one also offers the desk.
Route legal(const Understanding& understanding) {
    Route route = to(Do::legal);
    route.offer_desk = !understanding.slot("serious").empty();
    return route;
}

Route person(std::string desk) {
    Route route;
    route.action = Do::person;
    route.desk = std::move(desk);
    return route;
}

// Who a driver asking for a person gets: the legal desk when he names a lawyer ("找律师" — the
// desk is what he asked for, even before any legal question) or right after a legal question;
// otherwise his district's staff. Both desks' inboxes scope by category
// (bot/admin/tickets_api.hpp).
std::string person_desk(const Understanding& understanding, bool legal_context) {
    if (legal_context || understanding.text.find("律师") != std::string::npos) return "legal";
    return "staff";
}

// Not understood: the second time in a row a person takes over (staff inside the join, the legal
// desk after a legal question).
Route lost(const RouteView& view) {
    if (view.misses_before >= 1 && !view.in_group && !view.only_a_name) {
        Route route = person(view.step.empty() && view.legal_context ? "legal" : "staff");
        route.counts_miss = false;
        return route;
    }
    Route route = to(Do::not_understood);
    route.counts_miss = true;
    return route;
}

// Small talk the intent script recognised: answered without counting a miss, so "哈哈哈" after a
// message kayou did not understand never opens a ticket for the staff.
bool is_chit_chat(const Understanding& understanding) {
    return understanding.intent == "out_of_scope" && !understanding.slot("chit_chat").empty();
}

// "申诉没通过还能咋办", "多久能批下来", "咋知道他是哪种", "女的呢" right after a legal answer ask
// about it, though their words alone read as the application's progress, thanks or nothing
// (blind follow-up set, session 22). Words of the union's own keep their intent: "入会批了没".
bool asks_after_legal_answer(const Understanding& understanding, const RouteView& view) {
    if (!view.legal_context || view.in_group || !view.asks || !view.step.empty()) return false;
    const std::string& intent = understanding.intent;
    // "找谁办 在哪里办" after the death-benefit answer read as benefits (legal helper, session 25):
    // benefits that name no benefit are a reading of its words, not his request.
    const bool unnamed_benefit =
        intent == "benefits" && understanding.slot("benefit").empty() &&
        !names_benefits_at_all(understanding.text) &&
        text::contains_any(understanding.text, {"找谁", "在哪", "去哪", "哪里", "哪儿", "咋办",
                                                "怎么办", "怎么弄", "咋弄"});
    const bool other_reading = intent == "progress" || intent == "thanks" || intent == "confirm" ||
                               unnamed_benefit ||
                               (intent == "out_of_scope" && !is_chit_chat(understanding));
    if (!other_reading) return false;
    return !text::contains_any(understanding.text,
                               {"入会", "会员", "工会", "短信", "验证码", "绑定", "进度"});
}

// "溧阳工会在哪 要带啥" read as a question, benefits, a person or stations: the district union's
// office (dialogs::asks_for_union_office), not what those would give.
bool asks_where_the_union_is(const Understanding& understanding) {
    const std::string& intent = understanding.intent;
    const bool may_be = intent == "question" || intent == "benefits" || intent == "person" ||
                        intent == "stations" || intent == "out_of_scope" || intent == "greeting" ||
                        intent == "help";
    return may_be && asks_for_union_office(understanding.text);
}

// Whether a group message that cancels or edits says what: his application (入会, 申请, the
// phone on it), not a fact of his story.
bool names_an_application_word(const std::string& text) {
    return text::contains_any(text, {"入会", "申请", "会员", "报名", "手机号", "电话号", "号码",
                                     "名字", "姓名", "身份证", "撤回", "取消"});
}

bool has_application(const RouteView& view) {
    return view.application == "received" || view.application == "approved";
}

// "申请到哪了", "现在到哪一步了": where something he started stands (a form he is still filling
// in says "填到哪", dialogs::asks_about_form_in_progress).
bool asks_where_it_stands(const std::string& text) {
    if (text.find("填到") != std::string::npos) return false;
    constexpr std::string_view kWhere[] = {"到哪了", "到哪儿了", "到哪一步", "到什么程度",
                                           "到哪步"};
    return std::any_of(std::begin(kWhere), std::end(kWhere),
                       [&](std::string_view word) { return text.find(word) != std::string::npos; });
}

Route group_route(const Understanding& understanding, const RouteView& view) {
    const std::string& intent = understanding.intent;
    // "@卡友小助手 我的入会申请到哪了" asks where it stands: a new join link was the reply
    // (group helper, session 22). Addressed only, as any progress question in a group.
    if (intent == "join" && view.mentioned && asks_where_it_stands(understanding.text))
        return to(Do::status);
    if (intent == "join") return to(Do::group_join);
    // Session 23's join helper, each of them "没看懂" or numbered choices before: "我刚才私聊填到
    // 一半 进度呢" (the form waits in private), "老李说的那个链接再发一个 我也弄" (a join link),
    // and below "我入会申请想撤回 手机号换了" (who can change a submitted application).
    if (view.mentioned &&
        (asks_about_form_in_progress(understanding.text) || asks_for_join_link(understanding.text)))
        return to(Do::group_join);
    if (view.mentioned && echoes_another(understanding.text)) return to(Do::same_here);
    // The sender's own choices: his "第二个" picks one without a new @-mention.
    if (intent == "choice" && view.choices_offered) return to(Do::pick);
    if (view.mentioned && asks_where_the_union_is(understanding)) return to(Do::union_office);
    // The FAQ answers a clear question even unaddressed (it decides silence itself), but only one
    // put to the group: statements, advice and one member's words to another are their talk.
    if (intent == "question" && !view.mentioned && !view.asks_the_group) return to(Do::silence);
    if (intent == "question") return legal(understanding);
    if (!view.mentioned) return to(Do::silence);
    // "@卡友小助手" and nothing else: "are you there?", not a message it failed to understand.
    if (understanding.text.empty()) return to(Do::menu);
    // "@卡友小助手 不对 不是交警扣的 是车队老板扣着我的驾驶证" corrects his story, not an
    // application: it got how to change one (fines helper, session 31).
    if (intent == "cancel" || intent == "edit")
        return names_an_application_word(understanding.text) ? to(Do::change_applied)
                                                             : legal(understanding);
    if (is_chit_chat(understanding)) return to(Do::small_talk);
    if (intent == "choice" && view.choices_offered) return to(Do::pick);
    if (intent == "progress") return to(Do::status);
    if (intent == "benefits") return to(Do::benefits);
    if (intent == "stations") return to(Do::stations);
    if (intent == "person") return person("legal");
    if (intent == "greeting" || intent == "help" || intent == "choice") return to(Do::menu);
    if (intent == "thanks") return to(Do::thanks);
    return to(Do::not_understood);
}

Route flow_route(const Understanding& understanding, const RouteView& view) {
    const std::string& intent = understanding.intent;
    auto detour = [](Route route) {
        route.resume = true;
        return route;
    };
    if (intent == "answer") {
        const std::string value = understanding.slot("value");
        if (!value.empty()) return flow(value);
        return flow(understanding.slot("raw"));
    }
    if (const std::string command = flow_command_text(understanding); !command.empty())
        return flow(command);
    if (intent == "choice") {
        // The district step's own numbered choices, or a number typed as the answer.
        if (!view.choices_offered || view.step == "district")
            return flow(understanding.slot("number"));
        return detour(to(Do::pick));
    }
    // "我先问个别的 溧阳工会几点下班" mid-form: the office, then the step (溧阳 was kept for the
    // district step; benefits helper, session 26).
    if (asks_where_the_union_is(understanding)) return detour(to(Do::union_office));
    if (intent == "join") return detour(to(Do::thanks));  // already filling it in
    if (intent == "progress") return detour(to(Do::status));
    if (intent == "benefits") return detour(to(Do::benefits));
    if (intent == "stations") return detour(to(Do::stations));
    if (intent == "question") return detour(legal(understanding));
    if (intent == "person") return detour(person(person_desk(understanding, false)));
    if (intent == "greeting") return detour(to(Do::greet));
    if (intent == "thanks") return detour(to(Do::thanks));
    if (intent == "help") return detour(to(Do::menu));
    if (intent == "opt_out") return detour(to(Do::not_understood));
    if (is_chit_chat(understanding)) return detour(to(Do::small_talk));
    if (intent == "wait") return detour(to(Do::wait));
    // At a step with a fixed shape (numbers, a plate, a district, the confirmation) whatever
    // else was typed is a try at it: the flow says what the step wants and counts the failure.
    // Free-text steps (name, employer) never get it: it would be stored.
    if (view.step != "name" && view.step != "employer" && !understanding.text.empty())
        return flow(understanding.text);
    Route route = lost(view);
    route.resume = true;
    return route;
}

}  // namespace

std::string flow_command_text(const Understanding& understanding) {
    const std::string& intent = understanding.intent;
    if (intent == "cancel") return "取消";
    if (intent == "restart") return "重新填写";
    if (intent == "resend") return "重发";
    if (intent == "confirm") return "确认";
    if (intent == "keep") return "不改了";
    if (intent == "where") return "填到哪了";
    if (intent == "edit") {
        static const std::pair<const char*, const char*> words[] = {
            {"name", "修改姓名"},  {"id_card", "修改身份证"}, {"mobile", "修改手机"},
            {"plate", "修改车牌"}, {"district", "修改区县"},  {"employer", "修改单位"}};
        const std::string field = understanding.slot("field");
        for (const auto& [slot, word] : words)
            if (field == slot) return word;
        return "修改";
    }
    return {};
}

Route route(const Understanding& understanding, const RouteView& view) {
    const std::string& intent = understanding.intent;
    // Danger first, in every state and channel.
    if (intent == "emergency") return to(Do::emergency);
    if (view.in_group) return group_route(understanding, view);
    if (intent == "opt_out" && view.sms) return to(Do::opt_out);
    if (!view.step.empty()) return flow_route(understanding, view);

    if (intent == "choice") return view.choices_offered ? to(Do::pick) : to(Do::menu);
    // "说错了 修了12天不是8天" right after a legal answer is that case corrected (it got "没看懂"
    // and the menu; legal helper, session 25): the legal service works it again.
    const bool corrects_case = view.legal_context && intent != "person" && intent != "join" &&
                               intent != "emergency" && faq::corrects_a_figure(understanding.text);
    // "我是1974年的 男的" after the pension answer asked for his birth got "帮不上忙" (legal
    // helper, session 27): figures of his case, given right after a legal answer, are for it.
    const bool gives_figures = view.legal_context && !view.asks &&
                               (intent == "out_of_scope" || intent == "thanks" ||
                                intent == "greeting" || intent == "confirm") &&
                               faq::figures_in(understanding.text).any();
    if (corrects_case || gives_figures || asks_after_legal_answer(understanding, view)) {
        Route route = to(Do::legal);
        route.adds_to_ticket = view.ticket_open;
        return route;
    }
    if (intent == "join") return has_application(view) ? to(Do::join_status) : to(Do::start_join);
    if (intent == "restart")
        return has_application(view) ? to(Do::join_status) : to(Do::start_join);
    if (intent == "progress") return to(Do::status);
    if (intent == "resend") return has_application(view) ? to(Do::status) : to(Do::menu);
    if (asks_where_the_union_is(understanding)) return to(Do::union_office);
    if (intent == "benefits") return to(Do::benefits);
    if (intent == "stations") return to(Do::stations);
    // His own application, asked about as a question: the change only staff may make, or its
    // deadline (the general rule, or choices, answered neither).
    if ((intent == "question" || intent == "progress") && has_application(view)) {
        if (asks_to_change_phone(understanding.text)) return to(Do::change_applied);
        if (asks_about_own_review(understanding.text)) return to(Do::status);
    }
    if (intent == "question") {
        Route route = legal(understanding);
        route.adds_to_ticket = view.ticket_open;
        return route;
    }
    if (intent == "person") return person(person_desk(understanding, view.legal_context));
    // A submitted application is no longer the chat's to cancel or change: "没有正在办理的事项"
    // would be false.
    if ((intent == "cancel" || intent == "edit") && has_application(view))
        return to(Do::change_applied);
    if (intent == "cancel") return flow("取消");  // the flow says there is nothing to cancel
    if (intent == "greeting") return to(Do::greet);
    if (intent == "thanks" || intent == "confirm") return to(Do::thanks);
    if (intent == "help" || intent == "edit") return to(Do::menu);
    if (is_chit_chat(understanding)) return to(Do::small_talk);
    if (intent == "wait") return to(Do::wait);
    // Whatever else he sends while his ticket waits is for the desk ("我在常州 欠了两万"): kept
    // with the ticket, never a miss that opens a second one.
    if (view.ticket_open) return to(Do::ticket_note);
    return lost(view);
}

}  // namespace kayou::dialogs
