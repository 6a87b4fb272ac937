#include "notify/signing/json_fields.hpp"

namespace kayou::notify::signing::detail {
namespace {

const Json* find(const Json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

[[noreturn]] void fail(std::string_view where, std::string_view key, std::string_view problem) {
    throw ParseError(path(where, key) + ": " + std::string(problem));
}

}  // namespace

Json parse_json(std::string_view body, std::string_view what) {
    Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        throw ParseError(std::string(what) + ": body is not valid JSON (" +
                         std::to_string(body.size()) + " bytes)");
    }
    return doc;
}

std::string path(std::string_view where, std::string_view key) {
    if (where.empty()) return std::string(key);
    return std::string(where) + "." + std::string(key);
}

std::string required_string(const Json& obj, std::string_view key, std::string_view where) {
    const Json* v = find(obj, key);
    if (v == nullptr) fail(where, key, "missing");
    if (!v->is_string()) fail(where, key, "must be a string");
    return v->get<std::string>();
}

std::string optional_string(const Json& obj, std::string_view key, std::string_view where) {
    const Json* v = find(obj, key);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) fail(where, key, "must be a string");
    return v->get<std::string>();
}

std::int64_t required_integer(const Json& obj, std::string_view key, std::string_view where) {
    const Json* v = find(obj, key);
    if (v == nullptr) fail(where, key, "missing");
    if (v->is_number_unsigned()) {
        const auto u = v->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(INT64_MAX)) fail(where, key, "integer out of range");
        return static_cast<std::int64_t>(u);
    }
    if (!v->is_number_integer()) fail(where, key, "must be an integer");
    return v->get<std::int64_t>();
}

std::int64_t optional_integer(const Json& obj, std::string_view key, std::string_view where,
                              std::int64_t fallback) {
    const Json* v = find(obj, key);
    if (v == nullptr || v->is_null()) return fallback;
    return required_integer(obj, key, where);
}

bool required_bool(const Json& obj, std::string_view key, std::string_view where) {
    const Json* v = find(obj, key);
    if (v == nullptr) fail(where, key, "missing");
    if (!v->is_boolean()) fail(where, key, "must be true or false");
    return v->get<bool>();
}

}  // namespace kayou::notify::signing::detail
