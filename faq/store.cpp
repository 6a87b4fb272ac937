#include "faq/store.hpp"

#include "crypto/hash.hpp"
#include "redis/client.hpp"

namespace kayou::faq {
namespace asio = boost::asio;
namespace {

// Version hashes are named from ARGV (not KEYS) because their number is only known inside the
// script; they share the kind's hash tag, so the script stays on one Cluster slot.
constexpr const char* kUploadLua = R"lua(
local n = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. n, 'text', ARGV[2], 'label', ARGV[3], 'sha256', ARGV[4],
           'bytes', ARGV[5], 'by', ARGV[6], 'at', ARGV[7])
redis.call('ZADD', KEYS[2], n, n)
return n
)lua";

constexpr const char* kPublishLua = R"lua(
if redis.call('EXISTS', ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', ARGV[1], 'published_at', ARGV[3], 'published_by', ARGV[4])
return 1
)lua";

constexpr const char* kSeedLua = R"lua(
local published = redis.call('GET', KEYS[3])
if published then return tonumber(published) end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
local n = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. n, 'text', ARGV[2], 'label', ARGV[3], 'sha256', ARGV[4],
           'bytes', ARGV[5], 'by', 'seed', 'at', ARGV[6], 'published_at', ARGV[6],
           'published_by', 'seed')
redis.call('ZADD', KEYS[2], n, n)
redis.call('SET', KEYS[3], n)
return n
)lua";

void throw_if_error(const redis::Reply& reply) {
    if (reply.is_error()) throw std::runtime_error("redis: " + reply.str);
}

}  // namespace

ContentStore::ContentStore(std::shared_ptr<redis::Client> redis, std::string key_prefix)
    : redis_(std::move(redis)),
      prefix_(std::move(key_prefix)),
      upload_script_(kUploadLua),
      publish_script_(kPublishLua),
      seed_script_(kSeedLua) {}

std::string ContentStore::key(ContentKind kind, std::string_view suffix) const {
    return prefix_ + "content:{" + std::string(content_kind_name(kind)) +
           "}:" + std::string(suffix);
}

asio::awaitable<UploadResult> ContentStore::upload(ContentKind kind, std::string text,
                                                   std::string uploaded_by, std::int64_t now) {
    UploadResult result;
    result.problems = validate_content(kind, text);
    if (!result.problems.empty()) co_return result;
    std::vector<std::string> keys{key(kind, "next"), key(kind, "versions")};
    const std::string label = content_label(kind, text);
    const std::string sha = crypto::sha256_hex(text);
    const std::string bytes = std::to_string(text.size());
    std::vector<std::string> args{key(kind, "v:"),        std::move(text),    label, sha, bytes,
                                  std::move(uploaded_by), std::to_string(now)};
    auto reply = co_await redis_->eval(upload_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    result.version = static_cast<int>(reply.as_int());
    co_return result;
}

asio::awaitable<std::vector<VersionInfo>> ContentStore::versions(ContentKind kind,
                                                                 std::size_t limit) {
    std::vector<std::string> range{"ZRANGE", key(kind, "versions"), "0",
                                   std::to_string(static_cast<long long>(limit) - 1), "REV"};
    std::vector<std::string> get_published{"GET", key(kind, "published")};
    std::vector<std::vector<std::string>> first{std::move(range), std::move(get_published)};
    auto replies = co_await redis_->pipeline(std::move(first));
    throw_if_error(replies.at(0));
    const int published = static_cast<int>(replies.at(1).as_int());
    std::vector<VersionInfo> out;
    std::vector<std::vector<std::string>> details;
    for (const auto& element : replies[0].elements) {
        VersionInfo info;
        info.number = static_cast<int>(element.as_int());
        info.published = info.number == published;
        out.push_back(info);
        details.push_back({"HMGET", key(kind, "v:" + element.str), "label", "sha256", "bytes", "by",
                           "at", "published_at", "published_by"});
    }
    if (details.empty()) co_return out;
    auto fields = co_await redis_->pipeline(std::move(details));
    for (std::size_t i = 0; i < out.size() && i < fields.size(); ++i) {
        const auto& f = fields[i].elements;
        if (f.size() < 7) continue;
        out[i].label = f[0].str;
        out[i].sha256 = f[1].str;
        out[i].bytes = f[2].as_int();
        out[i].uploaded_by = f[3].str;
        out[i].uploaded_at = f[4].as_int();
        out[i].published_at = f[5].as_int();
        out[i].published_by = f[6].str;
    }
    co_return out;
}

asio::awaitable<std::optional<std::string>> ContentStore::text(ContentKind kind, int version) {
    std::vector<std::string> command{"HGET", key(kind, "v:" + std::to_string(version)), "text"};
    auto reply = co_await redis_->exec(std::move(command));
    throw_if_error(reply);
    if (reply.is_nil()) co_return std::nullopt;
    co_return std::move(reply.str);
}

asio::awaitable<int> ContentStore::published(ContentKind kind) {
    std::vector<std::string> command{"GET", key(kind, "published")};
    auto reply = co_await redis_->exec(std::move(command));
    throw_if_error(reply);
    co_return static_cast<int>(reply.as_int());
}

asio::awaitable<std::array<int, std::size(kContentKinds)>> ContentStore::published_all() {
    // The kinds have different hash tags: a pipeline of GETs rather than one MGET (Cluster-safe).
    std::vector<std::vector<std::string>> gets;
    for (auto kind : kContentKinds) gets.push_back({"GET", key(kind, "published")});
    auto replies = co_await redis_->pipeline(std::move(gets));
    std::array<int, std::size(kContentKinds)> out{};
    for (std::size_t i = 0; i < out.size() && i < replies.size(); ++i) {
        throw_if_error(replies[i]);
        out[i] = static_cast<int>(replies[i].as_int());
    }
    co_return out;
}

asio::awaitable<bool> ContentStore::publish(ContentKind kind, int version, std::string by,
                                            std::int64_t now) {
    std::vector<std::string> keys{key(kind, "published")};
    std::vector<std::string> args{key(kind, "v:" + std::to_string(version)),
                                  std::to_string(version), std::to_string(now), std::move(by)};
    auto reply = co_await redis_->eval(publish_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    co_return reply.as_int() == 1;
}

asio::awaitable<int> ContentStore::seed(ContentKind kind, std::string text, std::int64_t now) {
    std::vector<std::string> keys{key(kind, "next"), key(kind, "versions"), key(kind, "published")};
    const std::string label = content_label(kind, text);
    const std::string sha = crypto::sha256_hex(text);
    const std::string bytes = std::to_string(text.size());
    std::vector<std::string> args{key(kind, "v:"), std::move(text),    label, sha,
                                  bytes,           std::to_string(now)};
    auto reply = co_await redis_->eval(seed_script_, std::move(keys), std::move(args));
    throw_if_error(reply);
    co_return static_cast<int>(reply.as_int());
}

}  // namespace kayou::faq
