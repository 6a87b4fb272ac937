// Vectors V1-V7 and the derived keys come from Tencent's WXBizMsgCrypt samples and the
// @wecom/crypto reference (tests/reference); P1-P7 name the pitfalls each test pins down.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <set>
#include <string>

#include "crypto/aes.hpp"
#include "crypto/base64.hpp"
#include "crypto/hash.hpp"
#include "crypto/wx_msg_crypt.hpp"

namespace {

using namespace kayou::crypto;

WxMsgCrypt make(std::string token, std::string_view key, std::string receive_id) {
    auto crypt = WxMsgCrypt::create(std::move(token), key, std::move(receive_id));
    EXPECT_TRUE(crypt.has_value()) << key;
    return *crypt;
}

std::string h(std::string_view hex) {
    auto raw = hex_decode(hex);
    EXPECT_TRUE(raw.has_value()) << hex;
    return raw.value_or("");
}

// Raw CBC decryption with the scheme's key and IV, bypassing WxMsgCrypt, to look at the padding.
std::string raw_plain(std::string_view encoding_aes_key, std::string_view encrypt_b64) {
    const std::string key = base64_decode(std::string(encoding_aes_key) + "=").value_or("");
    const std::string ct = base64_decode(encrypt_b64).value_or("");
    return aes256_cbc_decrypt_nopad(key, key.substr(0, 16), ct).value_or("");
}

// Builds rand16 || be32(declared_len) || body || trailer and encrypts it as-is (no padding added),
// so tests can feed decrypt() plaintexts that a correct encoder would never produce.
std::string forge(std::string_view encoding_aes_key, std::uint32_t declared_len,
                  std::string_view rest) {
    std::string p(16, 'R');
    p.push_back(static_cast<char>(declared_len >> 24));
    p.push_back(static_cast<char>(declared_len >> 16));
    p.push_back(static_cast<char>(declared_len >> 8));
    p.push_back(static_cast<char>(declared_len));
    p.append(rest);
    const std::string key = base64_decode(std::string(encoding_aes_key) + "=").value_or("");
    const auto ct = aes256_cbc_encrypt_nopad(key, key.substr(0, 16), p);
    EXPECT_TRUE(ct.has_value()) << "forged plaintext must be whole blocks, got " << p.size();
    return base64_encode(ct.value_or(""));
}

std::string pad_bytes(std::size_t n, unsigned char value) {
    return std::string(n, static_cast<char>(value));
}

// ---- Derived keys ----

TEST(WxKeys, DerivedAesKeysMatchSpec) {
    const std::pair<const char*, const char*> keys[] = {
        {"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
         "8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760"},
        {"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
         "69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051"},
    };
    for (const auto& [encoding, expected_hex] : keys) {
        const WxMsgCrypt crypt = make("t", encoding, "id");
        // Decrypting WxMsgCrypt's own output with the expected key and IV = key[0..16) proves it
        // derived exactly that key.
        const std::string key = h(expected_hex);
        const std::string ct = *base64_decode(crypt.encrypt("hello", "0123456789abcdef"));
        const auto plain = aes256_cbc_decrypt_nopad(key, key.substr(0, 16), ct);
        ASSERT_TRUE(plain.has_value());
        EXPECT_EQ(plain->substr(0, 27), std::string("0123456789abcdef\0\0\0\x05hello", 25) + "id")
            << encoding;
    }
}

TEST(WxKeys, CreateRejectsBadKeys) {
    const std::string good = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    EXPECT_TRUE(WxMsgCrypt::create("t", good, "id").has_value());
    EXPECT_FALSE(WxMsgCrypt::create("t", "", "id").has_value());
    EXPECT_FALSE(WxMsgCrypt::create("t", good.substr(0, 42), "id").has_value());
    EXPECT_FALSE(WxMsgCrypt::create("t", good + "A", "id").has_value());
    EXPECT_FALSE(WxMsgCrypt::create("t", good + "=", "id").has_value());
    std::string bad_char = good;
    bad_char[10] = '!';
    EXPECT_FALSE(WxMsgCrypt::create("t", bad_char, "id").has_value());
    std::string inner_pad = good;
    inner_pad[42] = '=';
    EXPECT_FALSE(WxMsgCrypt::create("t", inner_pad, "id").has_value());
}

TEST(WxKeys, AccessorsReturnConfiguration) {
    const WxMsgCrypt crypt = make("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "corp");
    EXPECT_EQ(crypt.token(), "QDG6eK");
    EXPECT_EQ(crypt.receive_id(), "corp");
}

// ---- Signatures ----

TEST(WxSignature, V1PlainSignature) {
    EXPECT_EQ(wx_plain_signature("789", "456", "123"), "f7c3bc1d808e04732adf679965ccc34ca7ae3441");
    EXPECT_EQ(wx_plain_signature("spamtest", "1409735669", "1320562132"),
              "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a");
    // The inputs are sorted, so their order must not matter.
    EXPECT_EQ(wx_plain_signature("123", "789", "456"), wx_plain_signature("789", "456", "123"));
}

TEST(WxSignature, V2MsgSignatureTrivialInputs) {
    EXPECT_EQ(wx_msg_signature("RMNlACHlV5ThzfRlVS4D4", "timestamp", "nonce", "encrypt"),
              "8edac0945683c119ee71c9f6256d76c48aa08a96");
}

TEST(WxSignature, SortIsBytewiseNotNumeric) {
    // Numeric order would put "9" before "10"; byte order puts "10" first.
    EXPECT_EQ(wx_plain_signature("9", "10", "x"), sha1_hex("109x"));
    EXPECT_EQ(wx_msg_signature("b", "a", "B", "A"), sha1_hex("ABab"));
}

// ---- V3: Tencent official OA sample ----

const char* const kV3Encrypt =
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQ"
    "HFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+"
    "h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tC"
    "Op3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhv"
    "Ql+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
const char* const kV3Plain =
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n"
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n"
    "<CreateTime>1409735668</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[abcdteT]]></Content>\n"
    "<MsgId>6054768590064713728</MsgId>\n"
    "</xml>";

TEST(WxV3, OfficialAccountSample) {
    const WxMsgCrypt crypt =
        make("spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2");
    EXPECT_EQ(wx_msg_signature("spamtest", "1409735669", "1320562132", kV3Encrypt),
              "5d197aaffba7e9b25a30732f161a50dee96bd5fa");
    EXPECT_TRUE(crypt.verify("1409735669", "1320562132", kV3Encrypt,
                             "5d197aaffba7e9b25a30732f161a50dee96bd5fa"));

    const auto d = crypt.decrypt(kV3Encrypt);
    ASSERT_EQ(d.error, WxError::ok) << wx_error_name(d.error);
    EXPECT_EQ(d.message, kV3Plain);
    EXPECT_EQ(d.receive_id, "wx2c2769f8efd9abc2");

    const std::string raw = raw_plain("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", kV3Encrypt);
    ASSERT_EQ(raw.size(), 320u);
    EXPECT_EQ(raw.substr(318), pad_bytes(2, 2));
}

// ---- V4: WeCom official sample ----

const char* const kV4Key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const char* const kV4Echostr =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
const char* const kV4Encrypt =
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj9"
    "11L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DO"
    "dnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+"
    "KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9"
    "o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pD"
    "BS8R07+qN+E7Q==";

WxMsgCrypt v4() { return make("QDG6eK", kV4Key, "wx5823bf96d3bd56c7"); }

TEST(WxV4, GetEchostr) {
    const WxMsgCrypt crypt = v4();
    EXPECT_EQ(wx_msg_signature("QDG6eK", "1409659589", "263014780", kV4Echostr),
              "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3");
    EXPECT_TRUE(crypt.verify("1409659589", "263014780", kV4Echostr,
                             "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"));
    const auto d = crypt.decrypt(kV4Echostr);
    ASSERT_EQ(d.error, WxError::ok) << wx_error_name(d.error);
    EXPECT_EQ(d.message, "1616140317555161061");
    EXPECT_EQ(d.receive_id, "wx5823bf96d3bd56c7");
    const std::string raw = raw_plain(kV4Key, kV4Echostr);
    ASSERT_EQ(raw.size(), 64u);
    EXPECT_EQ(raw.substr(57), pad_bytes(7, 7));
}

TEST(WxV4, PostWithPad30) {
    const WxMsgCrypt crypt = v4();
    EXPECT_TRUE(crypt.verify("1409659813", "1372623149", kV4Encrypt,
                             "477715d11cdb4164915debcba66cb864d751f3e6"));
    const auto d = crypt.decrypt(kV4Encrypt);
    // A pad check against 16 (pitfall P2) rejects this message.
    ASSERT_EQ(d.error, WxError::ok) << wx_error_name(d.error);
    EXPECT_EQ(d.message,
              "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
              "<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
              "<CreateTime>1409659813</CreateTime>\n"
              "<MsgType><![CDATA[text]]></MsgType>\n"
              "<Content><![CDATA[hello]]></Content>\n"
              "<MsgId>4561255354251345929</MsgId>\n"
              "<AgentID>218</AgentID>\n"
              "</xml>");
    const std::string raw = raw_plain(kV4Key, kV4Encrypt);
    ASSERT_EQ(raw.size(), 352u);
    EXPECT_EQ(raw.substr(322), pad_bytes(30, 30));
}

TEST(WxV4, SignatureMismatchesAreRejected) {
    const WxMsgCrypt crypt = v4();
    const std::string good = "477715d11cdb4164915debcba66cb864d751f3e6";
    EXPECT_FALSE(crypt.verify("1409659814", "1372623149", kV4Encrypt, good));  // timestamp
    EXPECT_FALSE(crypt.verify("1409659813", "1372623148", kV4Encrypt, good));  // nonce
    std::string body = kV4Encrypt;
    body[5] = body[5] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(crypt.verify("1409659813", "1372623149", body, good));  // body
    std::string sig = good;
    sig[39] = '7';
    EXPECT_FALSE(crypt.verify("1409659813", "1372623149", kV4Encrypt, sig));
    EXPECT_FALSE(crypt.verify("1409659813", "1372623149", kV4Encrypt, good.substr(0, 39)));
    EXPECT_FALSE(crypt.verify("1409659813", "1372623149", kV4Encrypt, ""));
    // WeChat sends lowercase; an upper-case copy is not the same signature text.
    EXPECT_FALSE(crypt.verify("1409659813", "1372623149", kV4Encrypt,
                              "477715D11CDB4164915DEBCBA66CB864D751F3E6"));
    // The token is part of the signature.
    const WxMsgCrypt other_token = make("QDG6eL", kV4Key, "wx5823bf96d3bd56c7");
    EXPECT_FALSE(other_token.verify("1409659813", "1372623149", kV4Encrypt, good));
}

// ---- V5: WeCom Python sample with a Chinese body ----

const char* const kV5Key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
const char* const kV5Token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";

TEST(WxV5, GetEchostr) {
    const WxMsgCrypt crypt = make(kV5Token, kV5Key, "ww1436e0e65a779aee");
    const char* echostr =
        "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
    EXPECT_EQ(wx_msg_signature(kV5Token, "1476416373", "47744683", echostr),
              "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb");
    EXPECT_TRUE(crypt.verify("1476416373", "47744683", echostr,
                             "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb"));
    const auto d = crypt.decrypt(echostr);
    ASSERT_EQ(d.error, WxError::ok) << wx_error_name(d.error);
    EXPECT_EQ(d.message, "1288432023552776189");
}

TEST(WxV5, PostWithChineseBody) {
    const WxMsgCrypt crypt = make(kV5Token, kV5Key, "ww1436e0e65a779aee");
    const char* encrypt =
        "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAg"
        "Gz"
        "BhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+"
        "3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR"
        "4i"
        "QHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+"
        "/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";
    EXPECT_TRUE(crypt.verify("1476422779", "1597212914", encrypt,
                             "0c3914025cb4b4d68103f6bfc8db550f79dcf48e"));
    const auto d = crypt.decrypt(encrypt);
    ASSERT_EQ(d.error, WxError::ok) << wx_error_name(d.error);
    EXPECT_EQ(d.message,
              "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</"
              "FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</"
              "MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</"
              "AgentID></xml>");
    const std::string raw = raw_plain(kV5Key, encrypt);
    ASSERT_EQ(raw.size(), 288u);
    EXPECT_EQ(raw.substr(266), pad_bytes(22, 22));
}

// ---- V6: deterministic encrypt, byte for byte (wechatpy) ----

const char* const kV6Key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

TEST(WxV6, DeterministicEncrypt) {
    const WxMsgCrypt crypt = make("123456", kV6Key, "wx49f0ab532d5d035a");
    const std::string msg =
        "<xml>\n"
        "<MsgType><![CDATA[text]]></MsgType>\n"
        "<Content><![CDATA[test]]></Content>\n"
        "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n"
        "<ToUserName><![CDATA[messense]]></ToUserName>\n"
        "<AgentID>1</AgentID>\n"
        "<CreateTime>1411525903</CreateTime>\n"
        "</xml>";
    ASSERT_EQ(msg.size(), 247u);
    const std::string expected =
        "9s4gMv99m88kKTh/"
        "H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGs"
        "L8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/"
        "QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/"
        "WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+"
        "2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+"
        "mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8"
        "kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3";
    const std::string encrypt = crypt.encrypt(msg, "1234567890123456");
    EXPECT_EQ(encrypt, expected);
    EXPECT_EQ(wx_msg_signature("123456", "1411525903", "461056294", encrypt),
              "407518b7649e86ef23978113f92d27afa9296533");

    const auto d = crypt.decrypt(encrypt);
    ASSERT_EQ(d.error, WxError::ok);
    EXPECT_EQ(d.message, msg);
}

TEST(WxV6, EchostrSignatureAndFailCase) {
    const WxMsgCrypt crypt = make("123456", kV6Key, "wx49f0ab532d5d035a");
    const char* echostr =
        "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
    const char* sig = "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96";
    EXPECT_EQ(wx_msg_signature("123456", "1411443780", "437374425", echostr), sig);
    EXPECT_TRUE(crypt.verify("1411443780", "437374425", echostr, sig));
    EXPECT_FALSE(crypt.verify("1411443780", "437374424", echostr, sig));
    const auto d = crypt.decrypt(echostr);
    ASSERT_EQ(d.error, WxError::ok) << wx_error_name(d.error);
    EXPECT_EQ(d.receive_id, "wx49f0ab532d5d035a");
    EXPECT_EQ(d.message.size(), 19u);  // WeCom echostrs are 19-digit numbers
}

// ---- V7: edge cases (spec-computed, cross-checked with openssl enc) ----

TEST(WxV7, AlignedPlaintextGetsAFullBlockOfPadding) {
    const WxMsgCrypt crypt = v4();
    const std::string encrypt = crypt.encrypt("abcdefghijklmnopqrstuvwxyz", "0123456789abcdef");
    EXPECT_EQ(encrypt,
              "sKqRbbiSUnDhFHOvPjtUMZGyoR1r/GzKAbbgquGlaOgIlt+xQAi/"
              "JKk90aBApUWQUg5O+k5ZufIRKoqgtkAVwJKF1H3y/"
              "sfk7izzwSIp1tYTy01NHOGT9sTJ2jdv5sCT");
    EXPECT_EQ(wx_msg_signature("QDG6eK", "1700000000", "123456", encrypt),
              "f9aea029fb002234bd3c88517fd3d07322aaabc9");
    const std::string raw = raw_plain(kV4Key, encrypt);
    ASSERT_EQ(raw.size(), 96u);
    EXPECT_EQ(raw.substr(64), pad_bytes(32, 0x20));  // pitfall P3
    const auto d = crypt.decrypt(encrypt);
    ASSERT_EQ(d.error, WxError::ok);
    EXPECT_EQ(d.message, "abcdefghijklmnopqrstuvwxyz");
}

TEST(WxV7, Utf8LengthIsInBytes) {
    const WxMsgCrypt crypt = v4();
    const std::string msg = "你好🚚";
    ASSERT_EQ(msg.size(), 10u);
    const std::string encrypt = crypt.encrypt(msg, "0123456789abcdef");
    EXPECT_EQ(encrypt,
              "sKqRbbiSUnDhFHOvPjtUMfGr12WedkpO+kHgaCQTgBfxxJBRLCWwT8YUJSa+3I7pmNfSFYL8YPFrDh5EvgN/"
              "ew==");
    EXPECT_EQ(wx_msg_signature("QDG6eK", "1700000000", "123456", encrypt),
              "01384e6d4105e4e3bfd813722d4698c0140b7600");
    EXPECT_EQ(raw_plain(kV4Key, encrypt).substr(16, 4), std::string("\0\0\0\x0a", 4));  // P5
    EXPECT_EQ(crypt.decrypt(encrypt).message, msg);
}

TEST(WxV7, SmartRobotEmptyReceiveId) {
    const WxMsgCrypt robot = make("QDG6eK", kV4Key, "");
    const std::string encrypt = robot.encrypt(R"({"msgtype":"text"})", "0123456789abcdef");
    EXPECT_EQ(encrypt,
              "sKqRbbiSUnDhFHOvPjtUMXwcNQzHVFNeLGShu75XAxnlReSDiqIMxFSwaGouVQm/TLf+"
              "6IgUPvQBjguiS7rgiw==");
    EXPECT_EQ(raw_plain(kV4Key, encrypt).substr(38), pad_bytes(26, 26));
    const auto d = robot.decrypt(encrypt);
    ASSERT_EQ(d.error, WxError::ok);
    EXPECT_EQ(d.message, R"({"msgtype":"text"})");
    EXPECT_EQ(d.receive_id, "");
    // A robot must not accept an app's message (non-empty receive id), and vice versa (P6).
    EXPECT_EQ(robot.decrypt(kV4Echostr).error, WxError::validate_receive_id);
    EXPECT_EQ(v4().decrypt(encrypt).error, WxError::validate_receive_id);
}

// ---- Padding boundaries ----

// The message length that makes rand16 || len4 || msg || receive_id need exactly `pad` bytes.
std::size_t msg_len_for_pad(std::size_t pad, std::size_t receive_id_len) {
    const std::size_t fixed = 16 + 4 + receive_id_len;
    const std::size_t target_mod = (32 - pad) % 32;
    return (target_mod + 64 - fixed % 32) % 32 + 32;  // +32 keeps it non-trivial
}

TEST(WxPadding, BoundaryPadsRoundTrip) {
    for (const std::string& receive_id : {std::string("wx5823bf96d3bd56c7"), std::string()}) {
        const WxMsgCrypt crypt = make("QDG6eK", kV4Key, receive_id);
        for (std::size_t pad : {1u, 16u, 17u, 30u, 31u, 32u}) {
            const std::size_t len = msg_len_for_pad(pad, receive_id.size());
            std::string msg(len, 'm');
            msg.front() = '<';
            msg.back() = '>';
            const std::string encrypt = crypt.encrypt(msg, "0123456789abcdef");
            const std::string raw = raw_plain(kV4Key, encrypt);
            ASSERT_EQ(raw.size(), 20 + len + receive_id.size() + pad) << "pad " << pad;
            EXPECT_EQ(raw.size() % 32, 0u);
            EXPECT_EQ(raw.substr(raw.size() - pad), pad_bytes(pad, static_cast<unsigned char>(pad)))
                << "pad " << pad;
            if (pad < 32) {
                EXPECT_NE(static_cast<unsigned char>(raw[raw.size() - pad - 1]), pad);
            }
            const auto d = crypt.decrypt(encrypt);
            ASSERT_EQ(d.error, WxError::ok) << "pad " << pad << " " << wx_error_name(d.error);
            EXPECT_EQ(d.message, msg) << "pad " << pad;
            EXPECT_EQ(d.receive_id, receive_id);
        }
    }
}

TEST(WxPadding, EmptyAndLongMessagesRoundTrip) {
    const WxMsgCrypt crypt = v4();
    for (std::size_t len : {0u, 1u, 2047u, 2048u, 65536u}) {
        std::string msg(len, 'x');
        for (std::size_t i = 0; i < len; ++i) msg[i] = static_cast<char>('a' + i % 26);
        const auto d = crypt.decrypt(crypt.encrypt(msg));
        ASSERT_EQ(d.error, WxError::ok) << len;
        EXPECT_EQ(d.message, msg);
    }
}

TEST(WxEncrypt, RandomPrefixIsFreshAndAlphanumeric) {
    const WxMsgCrypt crypt = v4();
    const std::string a = crypt.encrypt("same");
    const std::string b = crypt.encrypt("same");
    EXPECT_NE(a, b);
    for (const auto& e : {a, b}) {
        const std::string prefix = raw_plain(kV4Key, e).substr(0, 16);
        for (char c : prefix) {
            EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
        }
        EXPECT_EQ(crypt.decrypt(e).message, "same");
    }
}

TEST(WxEncrypt, PrefixesStayDistinctAcrossPoolRefills) {
    // Prefixes come from a per-thread pool of 64; 300 replies cross several refills.
    const WxMsgCrypt crypt = v4();
    std::set<std::string> prefixes;
    for (int i = 0; i < 300; ++i)
        prefixes.insert(raw_plain(kV4Key, crypt.encrypt("x")).substr(0, 16));
    EXPECT_EQ(prefixes.size(), 300u);
}

TEST(WxEncrypt, ForkedChildDoesNotRepeatParentPrefixes) {
    const WxMsgCrypt crypt = v4();
    crypt.encrypt("prime the pool");  // so the child inherits a partly used pool
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        const std::string e = crypt.encrypt("x");
        const ssize_t n = write(fds[1], e.data(), e.size());
        _exit(n == static_cast<ssize_t>(e.size()) ? 0 : 1);
    }
    close(fds[1]);
    std::string from_child;
    char buf[256];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) from_child.append(buf, n);
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const std::string from_parent = crypt.encrypt("x");
    ASSERT_EQ(crypt.decrypt(from_child).message, "x");
    EXPECT_NE(raw_plain(kV4Key, from_child).substr(0, 16),
              raw_plain(kV4Key, from_parent).substr(0, 16));
}

TEST(WxEncrypt, Rand16MustBeSixteenBytes) {
    const WxMsgCrypt crypt = v4();
    EXPECT_THROW(crypt.encrypt("x", "short"), std::invalid_argument);
    EXPECT_THROW(crypt.encrypt("x", "0123456789abcdefg"), std::invalid_argument);
    // Any 16 bytes work, not just letters.
    const std::string binary("\0\xff\x01\x80\0\0\0\0\0\0\0\0\0\0\0\x20", 16);
    EXPECT_EQ(crypt.decrypt(crypt.encrypt("x", binary)).message, "x");
}

// ---- Decrypt failures ----

TEST(WxDecrypt, WrongReceiveIdIs40005) {
    const WxMsgCrypt crypt = make("QDG6eK", kV4Key, "wx5823bf96d3bd56c8");
    const auto d = crypt.decrypt(kV4Echostr);
    EXPECT_EQ(d.error, WxError::validate_receive_id);
    EXPECT_EQ(static_cast<int>(d.error), -40005);
    EXPECT_EQ(d.message, "");                       // never hand out a message we rejected
    EXPECT_EQ(d.receive_id, "wx5823bf96d3bd56c7");  // but show which id it carried
    // A prefix of the right id is still wrong.
    EXPECT_EQ(make("QDG6eK", kV4Key, "wx5823bf96d3bd56c").decrypt(kV4Echostr).error,
              WxError::validate_receive_id);
}

TEST(WxDecrypt, WrongKeyFails) {
    const WxMsgCrypt crypt =
        make("QDG6eK", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx5823bf96d3bd56c7");
    EXPECT_NE(crypt.decrypt(kV4Encrypt).error, WxError::ok);
    EXPECT_NE(crypt.decrypt(kV4Echostr).error, WxError::ok);
}

TEST(WxDecrypt, BadBase64) {
    const WxMsgCrypt crypt = v4();
    const std::string echostr = kV4Echostr;
    EXPECT_EQ(crypt.decrypt(echostr.substr(0, echostr.size() - 1)).error, WxError::decode_base64);
    EXPECT_EQ(crypt.decrypt(echostr + "\n").error, WxError::decode_base64);
    // Form-style URL decoding turns '+' into ' ' (pitfall P7).
    std::string spaced = echostr;
    spaced[spaced.find('+')] = ' ';
    EXPECT_EQ(crypt.decrypt(spaced).error, WxError::decode_base64);
    EXPECT_EQ(static_cast<int>(WxError::decode_base64), -40010);
}

TEST(WxDecrypt, TruncatedCiphertext) {
    const WxMsgCrypt crypt = v4();
    const std::string ct = *base64_decode(kV4Encrypt);
    EXPECT_EQ(crypt.decrypt("").error, WxError::decrypt_aes);
    EXPECT_EQ(crypt.decrypt(base64_encode(ct.substr(0, ct.size() - 1))).error,
              WxError::decrypt_aes);
    EXPECT_EQ(crypt.decrypt(base64_encode(ct.substr(0, 15))).error, WxError::decrypt_aes);
    // Whole blocks cut off: the last byte is now message text, not a valid pad.
    for (std::size_t blocks = 1; blocks < ct.size() / 16; ++blocks) {
        const auto d = crypt.decrypt(base64_encode(ct.substr(0, blocks * 16)));
        EXPECT_NE(d.error, WxError::ok) << blocks;
    }
}

TEST(WxDecrypt, TamperedCiphertextNeverCrashesAndIsCaughtBySignature) {
    const WxMsgCrypt crypt = v4();
    const std::string ct = *base64_decode(kV4Encrypt);
    const std::string original = crypt.decrypt(kV4Encrypt).message;
    for (std::size_t i = 0; i < ct.size(); ++i) {
        std::string bad = ct;
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
        const std::string encrypt = base64_encode(bad);
        // CBC has no integrity: msg_signature is what rejects a tampered body.
        EXPECT_FALSE(crypt.verify("1409659813", "1372623149", encrypt,
                                  "477715d11cdb4164915debcba66cb864d751f3e6"));
        const auto d = crypt.decrypt(encrypt);
        if (d.error == WxError::ok) {
            EXPECT_NE(d.message, original) << i;
        } else {
            EXPECT_TRUE(d.message.empty());
        }
    }
    // Flipping ciphertext byte 0 flips plaintext byte 16, the top byte of the length field.
    std::string bad = ct;
    bad[0] = static_cast<char>(bad[0] ^ 0x01);
    EXPECT_EQ(crypt.decrypt(base64_encode(bad)).error, WxError::illegal_buffer);
    // Flipping the second-to-last block garbles the pad byte in the last one.
    bad = ct;
    bad[ct.size() - 17] = static_cast<char>(bad[ct.size() - 17] ^ 0x40);  // pad 30 -> 94
    EXPECT_EQ(crypt.decrypt(base64_encode(bad)).error, WxError::illegal_buffer);
}

TEST(WxDecrypt, PadByteZeroOrAbove32IsIllegalBuffer) {
    const WxMsgCrypt crypt = v4();
    const std::string rid = "wx5823bf96d3bd56c7";
    // 20 + 6 + 18 = 44 bytes; 20 more make 64.
    for (unsigned pad : {0u, 33u, 64u, 0x80u, 0xffu}) {
        const auto d = crypt.decrypt(forge(kV4Key, 6, "hello!" + rid + pad_bytes(20, pad)));
        EXPECT_EQ(d.error, WxError::illegal_buffer) << pad;
        EXPECT_EQ(static_cast<int>(d.error), -40008);
    }
    // The same forged layout with a legal pad decrypts, so the cases above fail only on the pad.
    const auto ok = crypt.decrypt(forge(kV4Key, 6, "hello!" + rid + pad_bytes(20, 20)));
    ASSERT_EQ(ok.error, WxError::ok);
    EXPECT_EQ(ok.message, "hello!");
    // Tencent's samples trust the last byte only; so do we (see wx_msg_crypt.cpp).
    const auto lax = crypt.decrypt(forge(kV4Key, 6, "hello!" + rid + pad_bytes(19, 'z') + "\x14"));
    EXPECT_EQ(lax.error, WxError::ok);
}

TEST(WxDecrypt, PadLongerThanPlaintextBodyIsIllegalBuffer) {
    const WxMsgCrypt crypt = v4();
    // 32 bytes whose pad of 32 leaves nothing, not even the 20-byte header.
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 0, pad_bytes(12, 32))).error, WxError::illegal_buffer);
    // A pad of 16 leaves 16 bytes: still shorter than rand16 + len4.
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 0, pad_bytes(12, 16))).error, WxError::illegal_buffer);
}

TEST(WxDecrypt, LengthFieldBeyondBufferIsIllegalBuffer) {
    const WxMsgCrypt crypt = v4();
    const std::string rid = "wx5823bf96d3bd56c7";
    const std::string body = "hello!" + rid + pad_bytes(20, 20);  // 24 bytes after the length
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 25, body)).error, WxError::illegal_buffer);
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 1000, body)).error, WxError::illegal_buffer);
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 0xFFFFFFFFu, body)).error, WxError::illegal_buffer);
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 0x80000000u, body)).error, WxError::illegal_buffer);
    // Exactly up to the end of the unpadded data: message is everything, receive id is empty.
    const auto whole = crypt.decrypt(forge(kV4Key, 24, body));
    EXPECT_EQ(whole.error, WxError::validate_receive_id);
    EXPECT_EQ(whole.receive_id, "");
    // One byte less than declared-correct shifts a byte into the receive id.
    EXPECT_EQ(crypt.decrypt(forge(kV4Key, 5, body)).error, WxError::validate_receive_id);
}

TEST(WxError, NamesAndCodes) {
    EXPECT_EQ(wx_error_name(WxError::ok), "ok");
    EXPECT_EQ(wx_error_name(WxError::validate_signature), "validate_signature");
    EXPECT_EQ(wx_error_name(WxError::validate_receive_id), "validate_receive_id");
    EXPECT_EQ(wx_error_name(WxError::decrypt_aes), "decrypt_aes");
    EXPECT_EQ(wx_error_name(WxError::illegal_buffer), "illegal_buffer");
    EXPECT_EQ(wx_error_name(WxError::decode_base64), "decode_base64");
    EXPECT_EQ(wx_error_name(WxError::gen_return), "gen_return");
    EXPECT_EQ(wx_error_name(static_cast<WxError>(-1)), "unknown");
    EXPECT_EQ(static_cast<int>(WxError::validate_signature), -40001);
    EXPECT_EQ(static_cast<int>(WxError::illegal_aes_key), -40004);
    EXPECT_EQ(static_cast<int>(WxError::decrypt_aes), -40007);
    EXPECT_EQ(static_cast<int>(WxError::gen_return), -40011);
}

}  // namespace
