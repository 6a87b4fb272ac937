#pragma once
// Versioned content in Redis: every upload becomes an immutable version N; publishing N makes it
// the one every process serves; rolling back is publishing an earlier N. Validation happens here
// before anything is written, so a broken text changes nothing.
//
// Keys, for kind K in {faq, benefits, stations} (hash tag {K}: one kind, one Cluster slot):
//   <prefix>content:{K}:next        INCR counter of version numbers
//   <prefix>content:{K}:v:<n>       hash: text, label, sha256, bytes, by, at, published_at,
//                                   published_by
//   <prefix>content:{K}:versions    sorted set of version numbers (score = number)
//   <prefix>content:{K}:published   the published version number (what processes poll)
//
// Threading: like redis::Client, call from the client's executor only.
#include <array>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faq/content.hpp"
#include "faq/script.hpp"
#include "redis/script.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::faq {

struct VersionInfo {
    int number = 0;
    std::string label;  // the text's own `version:` field
    std::string sha256;
    std::int64_t bytes = 0;
    std::string uploaded_by;
    std::int64_t uploaded_at = 0;   // Unix seconds
    std::int64_t published_at = 0;  // last time it was published, 0 = never
    std::string published_by;       // who published it last ("seed" for the first start)
    bool published = false;         // it is the published version now
};

struct UploadResult {
    int version = 0;                      // > 0 when stored
    std::vector<ScriptProblem> problems;  // non-empty when rejected (nothing stored)
};

class ContentStore {
public:
    ContentStore(std::shared_ptr<redis::Client> redis, std::string key_prefix);

    // Validates, then stores the text as the next version. Does not publish. Throws redis::Error.
    boost::asio::awaitable<UploadResult> upload(ContentKind kind, std::string text,
                                                std::string uploaded_by, std::int64_t now);

    // Newest first, at most `limit`.
    boost::asio::awaitable<std::vector<VersionInfo>> versions(ContentKind kind,
                                                              std::size_t limit = 100);
    boost::asio::awaitable<std::optional<std::string>> text(ContentKind kind, int version);
    // 0 when nothing is published.
    boost::asio::awaitable<int> published(ContentKind kind);
    // Every kind's published version in one round trip, indexed like kContentKinds.
    boost::asio::awaitable<std::array<int, std::size(kContentKinds)>> published_all();
    // False (and nothing changes) when the version does not exist.
    boost::asio::awaitable<bool> publish(ContentKind kind, int version, std::string by,
                                         std::int64_t now);
    // First start with an empty store: stores `text` as version 1 and publishes it, atomically,
    // so two processes starting together seed once. Returns the published version afterwards
    // (0 when versions exist but none is published: an editor's choice, left alone). The caller
    // validated the text.
    boost::asio::awaitable<int> seed(ContentKind kind, std::string text, std::int64_t now);

    std::string key(ContentKind kind, std::string_view suffix) const;

private:
    std::shared_ptr<redis::Client> redis_;
    std::string prefix_;
    redis::Script upload_script_;
    redis::Script publish_script_;
    redis::Script seed_script_;
};

}  // namespace kayou::faq
