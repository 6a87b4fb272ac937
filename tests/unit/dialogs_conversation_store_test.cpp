// The conversation store's pure parts: identities and the sealed draft encoding (no Redis).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dialogs/conversation_store.hpp"

namespace kayou::dialogs {
namespace {

const crypto::SealedBox& box() {
    static const auto sealed = *crypto::SealedBox::from_key(std::string(32, 'k'));
    return sealed;
}

DraftState sample() {
    DraftState draft;
    draft.step = "plate";
    draft.slots = {{"name", "张三"}, {"id_card", "320412198501011233"}, {"mobile", "13800138000"}};
    draft.failures = {{"id_card", 2}};
    draft.choices = {"wujin", "jingkai"};
    draft.return_to = "confirm";
    draft.verified_mobile = "13800138000";
    return draft;
}

TEST(ConversationStore, DraftRoundTripsAndHidesPersonalData) {
    ConversationStore store(nullptr, box());
    const auto encoded = store.encode_draft(sample(), "bridge:wxid_a");
    EXPECT_EQ(encoded.find("320412198501011233"), std::string::npos);
    EXPECT_EQ(encoded.find("13800138000"), std::string::npos);
    EXPECT_EQ(encoded.find("张三"), std::string::npos);
    const auto decoded = store.decode_draft(encoded, "bridge:wxid_a");
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, sample());
}

TEST(ConversationStore, DraftOfAnotherDriverDoesNotOpen) {
    ConversationStore store(nullptr, box());
    const auto encoded = store.encode_draft(sample(), "bridge:wxid_a");
    EXPECT_FALSE(store.decode_draft(encoded, "bridge:wxid_b"));
    EXPECT_FALSE(store.decode_draft("not json", "bridge:wxid_a"));
    EXPECT_FALSE(store.decode_draft("{}", "bridge:wxid_a"));
    auto tampered = nlohmann::json::parse(encoded);
    std::string sealed = tampered["sealed"];
    sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
    tampered["sealed"] = sealed;
    EXPECT_FALSE(store.decode_draft(tampered.dump(), "bridge:wxid_a"));
}

TEST(ConversationStore, IdentitiesAndKeys) {
    Message one;
    one.channel = Channel::bridge;
    one.chat_type = ChatType::single;
    one.chat_id = "wxid_a";
    one.sender_id = "wxid_a";
    EXPECT_EQ(conversation_id(one), "bridge:wxid_a");
    EXPECT_EQ(driver_id(one), "bridge:wxid_a");
    Message group = one;
    group.chat_type = ChatType::group;
    group.chat_id = "room1";
    EXPECT_EQ(conversation_id(group), "bridge:g:room1:wxid_a");
    EXPECT_EQ(driver_id(group), "bridge:wxid_a");
    Message oa = one;
    oa.channel = Channel::official_account;
    EXPECT_NE(driver_id(oa), driver_id(one));  // different drivers unless linked

    ConversationStore store(nullptr, box());
    // One hash tag for a 1:1 conversation's session, lock and the driver's draft.
    EXPECT_EQ(store.session_key("bridge:wxid_a"), "kayou:conv:{bridge:wxid_a}:session");
    EXPECT_EQ(store.lock_key("bridge:wxid_a"), "kayou:conv:{bridge:wxid_a}:lock");
    EXPECT_EQ(store.draft_key("bridge:wxid_a"), "kayou:conv:{bridge:wxid_a}:draft");
    EXPECT_EQ(store.timing().session_ttl, std::chrono::minutes(30));
    EXPECT_EQ(store.timing().draft_ttl, std::chrono::hours(24 * 7));
}

}  // namespace
}  // namespace kayou::dialogs

namespace kayou::dialogs {
namespace {

TEST(ConversationStore, SessionKeepsChoicesMissesAndASealedQuestion) {
    ConversationStore store(nullptr, box());
    SessionState session;
    session.version = 4;
    session.legal_choices = {"wage-arrears", "freight-arrears"};
    session.legal_misses = 1;
    session.last_question = "车挂靠在公司名下 13800138000 出事谁赔";
    session.grievance_pending = true;
    const auto encoded = store.encode_session(session, "bridge:wxid_a");
    EXPECT_EQ(encoded.find("13800138000"), std::string::npos) << encoded;
    EXPECT_EQ(encoded.find("挂靠"), std::string::npos) << encoded;
    const auto decoded = store.decode_session(encoded, "bridge:wxid_a");
    EXPECT_EQ(decoded.version, 5);
    EXPECT_EQ(decoded.legal_choices, session.legal_choices);
    EXPECT_EQ(decoded.legal_misses, 1);
    EXPECT_EQ(decoded.last_question, session.last_question);
    EXPECT_TRUE(decoded.grievance_pending);
    // Another conversation's session does not open: the question stays unread, the rest stands.
    const auto other = store.decode_session(encoded, "bridge:wxid_b");
    EXPECT_EQ(other.last_question, "");
    EXPECT_EQ(other.legal_misses, 1);
}

TEST(ConversationStore, OldSessionsWithoutTheNewFieldsLoad) {
    ConversationStore store(nullptr, box());
    const auto decoded = store.decode_session(R"({"flow":"join","version":3})", "bridge:wxid_a");
    EXPECT_EQ(decoded.flow, "join");
    EXPECT_EQ(decoded.legal_misses, 0);
    EXPECT_FALSE(decoded.grievance_pending);
    EXPECT_TRUE(decoded.legal_choices.empty());
    EXPECT_EQ(store.decode_session("not json", "x").version, 0);
}

}  // namespace
}  // namespace kayou::dialogs
