// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_STS_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_STS_IPP

#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/sigv4/canonical.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/credentials/sts.hpp>

#include <expat.h>

#include <algorithm>
#include <memory>

namespace mturk::crowd {
namespace detail {

namespace xml {

constexpr std::size_t max_document_bytes = 1024 * 1024;
constexpr std::size_t max_depth = 32;

// What the Expat callbacks build: the open elements' names, and the text of the
// innermost one.
struct reader_state {
    XML_Parser parser = nullptr;
    std::vector<std::string> open;
    std::string text;
    bool text_is_leaf = true;  // no child element began since the text started
    std::vector<xml_leaf> leaves;
    std::optional<std::string> refused;  // why the reader stopped the parser
};

inline void stop(reader_state& s, std::string why)
{
    if (!s.refused)
        s.refused = std::move(why);
    XML_StopParser(s.parser, XML_FALSE);
}

// Expat calls these through C function pointers, so they have C linkage; C linkage
// ignores namespaces, hence the prefixed names.
extern "C" inline void mturk_crowd_xml_on_start(void* data, XML_Char const* name, XML_Char const** /*attributes*/)
{
    auto& s = *static_cast<reader_state*>(data);
    if (s.open.size() == max_depth)
        return stop(s, "nested more than 32 elements deep");
    s.open.emplace_back(name);
    s.text.clear();
    s.text_is_leaf = true;
}

extern "C" inline void mturk_crowd_xml_on_end(void* data, XML_Char const* /*name*/)
{
    auto& s = *static_cast<reader_state*>(data);
    if (s.text_is_leaf) {
        std::string path;
        for (auto const& element : s.open) {
            if (!path.empty())
                path += '/';
            path += element;
        }
        s.leaves.push_back({std::move(path), std::move(s.text)});
    }
    s.open.pop_back();
    s.text.clear();
    s.text_is_leaf = false;  // the parent now has a child: its own text is not a leaf's
}

extern "C" inline void mturk_crowd_xml_on_text(void* data, XML_Char const* text, int length)
{
    auto& s = *static_cast<reader_state*>(data);
    s.text.append(text, static_cast<std::size_t>(length));
}

extern "C" inline void mturk_crowd_xml_on_doctype(void* data, XML_Char const* /*name*/, XML_Char const* /*system_id*/,
                                  XML_Char const* /*public_id*/, int /*has_internal_subset*/)
{
    stop(*static_cast<reader_state*>(data), "it has a DOCTYPE, which this reader refuses");
}

}  // namespace xml

MTURK_CROWD_DECL auto read_xml_leaves(std::string_view document) -> result<std::vector<xml_leaf>>
{
    if (document.size() > xml::max_document_bytes)
        return error(errc::credentials_answer_invalid, "the XML answer is over 1 MiB");
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                                         &XML_ParserFree);
    if (!parser)
        return error(errc::credentials_answer_invalid, "Expat could not create a parser (out of memory)");
    xml::reader_state state;
    state.parser = parser.get();
    XML_SetUserData(parser.get(), &state);
    XML_SetElementHandler(parser.get(), &xml::mturk_crowd_xml_on_start, &xml::mturk_crowd_xml_on_end);
    XML_SetCharacterDataHandler(parser.get(), &xml::mturk_crowd_xml_on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), &xml::mturk_crowd_xml_on_doctype);
    auto const status = XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE);
    if (state.refused)
        return error(errc::credentials_answer_invalid, "the XML answer is refused: " + *state.refused);
    if (status != XML_STATUS_OK)
        return error(errc::credentials_answer_invalid,
                     std::string("the answer is not XML: ") + XML_ErrorString(XML_GetErrorCode(parser.get())) +
                         " at line " + std::to_string(XML_GetCurrentLineNumber(parser.get())));
    return std::move(state.leaves);
}

namespace sts {

inline std::string const* find(std::vector<xml_leaf> const& leaves, std::string_view path)
{
    for (auto const& leaf : leaves)
        if (leaf.path == path)
            return &leaf.text;
    return nullptr;
}

// What a caller should do about STS's refusal, by its code (STS API Reference, "Errors").
inline std::string explain(std::string_view code)
{
    if (code == "ExpiredToken" || code == "ExpiredTokenException")
        return "the token given to STS has expired: get a new one (a web identity token file is rewritten by its "
               "platform; long-lived source credentials may need a new session)";
    if (code == "InvalidIdentityToken" || code == "InvalidIdentityTokenException")
        return "STS does not accept the web identity token: the role's trust policy or the account's OpenID "
               "Connect provider does not match its issuer";
    if (code == "IDPRejectedClaim" || code == "IDPRejectedClaimException")
        return "the identity provider rejected the token's claims";
    if (code == "AccessDenied")
        return "the source identity may not assume this role (check the role's trust policy and the caller's "
               "sts:AssumeRole permission)";
    if (code == "RegionDisabledException")
        return "STS is not enabled in this region for the account";
    return {};
}

}  // namespace sts

MTURK_CROWD_DECL auto read_sts_answer(http_response const& answer, std::string_view action) -> result<sigv4::credentials>
{
    auto leaves = read_xml_leaves(answer.body);
    if (answer.status < 200 || answer.status >= 300) {
        std::string code;
        std::string message;
        if (leaves) {
            if (auto const* c = sts::find(*leaves, "ErrorResponse/Error/Code"))
                code = *c;
            if (auto const* m = sts::find(*leaves, "ErrorResponse/Error/Message"))
                message = *m;
        }
        std::string detail = "STS " + std::string(action) + " answered " + std::to_string(answer.status);
        if (!code.empty())
            detail += " " + code;
        if (!message.empty())
            detail += ": " + message;
        if (auto const why = sts::explain(code); !why.empty())
            detail += " (" + why + ")";
        if (auto id = answer.request_id())
            detail += " [request id " + std::string(*id) + "]";
        return error(answer.status >= 500 || answer.status == 429 || code == "Throttling"
                         ? errc::credentials_service_failed
                         : errc::credentials_refused,
                     detail);
    }
    if (!leaves)
        return error(errc::credentials_answer_invalid,
                     "STS " + std::string(action) + ": " + std::string(leaves.error().detail()));
    std::string const base = std::string(action) + "Response/" + std::string(action) + "Result/";
    auto const* key = sts::find(*leaves, base + "Credentials/AccessKeyId");
    auto const* secret = sts::find(*leaves, base + "Credentials/SecretAccessKey");
    auto const* token = sts::find(*leaves, base + "Credentials/SessionToken");
    auto const* expiration = sts::find(*leaves, base + "Credentials/Expiration");
    if (!key || !secret || !token || !expiration)
        return error(errc::credentials_answer_invalid,
                     "STS " + std::string(action) +
                         ": the answer lacks Credentials/AccessKeyId, SecretAccessKey, SessionToken or Expiration");
    auto const expires = crowd::detail::parse_iso8601_utc(*expiration);
    if (!expires)
        return error(errc::credentials_answer_invalid,
                     "STS " + std::string(action) + ": Expiration is not an ISO 8601 UTC time");
    auto made = sigv4::credentials::make(*key, *secret, *token, *expires);
    if (!made)
        return error(errc::credentials_answer_invalid, "STS " + std::string(action) + ": " +
                                                           std::string(made.error().detail()));
    if (auto const* arn = sts::find(*leaves, base + "AssumedRoleUser/Arn"))
        if (auto account = account_of_arn(*arn))
            return made->with_account_id(std::move(*account));
    return made;
}

MTURK_CROWD_DECL auto form_encode(std::vector<std::pair<std::string_view, std::string_view>> const& fields)
    -> std::string
{
    std::string out;
    sigv4::detail::string_sink sink{out};
    for (auto const& [name, value] : fields) {
        if (!out.empty())
            out += '&';
        sigv4::detail::uri_encode(sink, name, false);
        out += '=';
        sigv4::detail::uri_encode(sink, value, false);
    }
    return out;
}

MTURK_CROWD_DECL auto account_of_arn(std::string_view arn) -> std::optional<std::string>
{
    // arn:partition:service:region:account:resource
    std::size_t start = 0;
    for (int field = 0; field != 4; ++field) {
        auto const colon = arn.find(':', start);
        if (colon == std::string_view::npos)
            return std::nullopt;
        start = colon + 1;
    }
    auto const end = arn.find(':', start);
    if (end == std::string_view::npos || !arn.starts_with("arn:"))
        return std::nullopt;
    std::string_view const account = arn.substr(start, end - start);
    if (account.size() != 12 || !std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::string(account);
}

// One STS call with the SDKs' retries on 5xx, throttling and connection failures.
inline result<sigv4::credentials> call_sts(sts_options const& sts, std::string_view action, std::string body,
                                    sigv4::credentials const* signer_credentials)
{
    if (!sts.context.fetch)
        return error(errc::invalid_configuration, "STS " + std::string(action) + " needs an HTTP client (sts_options::fetch)");
    // Each attempt is signed anew (its X-Amz-Date), and retried while STS's answer is a
    // failure of the service (5xx, throttling) or none came.
    std::optional<result<sigv4::credentials>> read;
    std::optional<error> not_signed;
    auto answer = fetch_with_retries(
        sts.context, std::max(1u, sts.max_attempts),
        [&]() -> result<fetch_request> {
            fetch_request request{sts.where, {}, sts.timeout};
            request.message.method = http_method::post;
            request.message.target = sts.where.base_path.empty() ? "/" : sts.where.base_path;
            request.message.fields.add("Host", sts.where.host_header());
            request.message.fields.add("Content-Type", "application/x-www-form-urlencoded");
            request.message.fields.add("Accept", "text/xml");
            request.message.body = body;
            if (signer_credentials) {
                sigv4::signer s;
                auto const now = std::chrono::floor<std::chrono::seconds>(sts.context.now());
                if (auto signed_ok = s.sign(request.message, *signer_credentials,
                                            {.region = sts.region, .service = "sts", .time = now});
                    !signed_ok) {
                    not_signed = signed_ok.error();
                    return signed_ok.error();
                }
            }
            return request;
        },
        [&](result<http_response> const& a) {
            read.reset();
            if (!a)
                return true;
            read = read_sts_answer(*a, action);
            return !*read && read->error() == errc::credentials_service_failed;
        });
    if (not_signed)  // nothing was sent
        return *not_signed;
    if (read)  // what STS answered last
        return std::move(*read);
    return error(errc::credentials_service_failed,
                 "STS " + std::string(action) + " at " + sts.where.url() + ": " + answer.error().what());
}

inline std::string default_session_name(sts_options const& sts)
{
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(sts.context.now().time_since_epoch()).count();
    return "mturk-crowd-cpp-" + std::to_string(ms);
}

}  // namespace detail

MTURK_CROWD_DECL auto assume_role(sts_options const& sts, sigv4::credentials const& source, role_to_assume const& role,
                                  std::string_view mfa_code) -> result<sigv4::credentials>
{
    std::string const session = role.session_name.empty() ? detail::default_session_name(sts) : role.session_name;
    std::vector<std::pair<std::string_view, std::string_view>> fields{
        {"Action", "AssumeRole"}, {"Version", "2011-06-15"}, {"RoleArn", role.role_arn}, {"RoleSessionName", session}};
    std::string const duration = role.duration ? std::to_string(role.duration->count()) : std::string();
    if (role.duration)
        fields.emplace_back("DurationSeconds", duration);
    if (role.external_id)
        fields.emplace_back("ExternalId", *role.external_id);
    if (role.mfa_serial) {
        fields.emplace_back("SerialNumber", *role.mfa_serial);
        fields.emplace_back("TokenCode", mfa_code);
    }
    return detail::call_sts(sts, "AssumeRole", detail::form_encode(fields), &source);
}

MTURK_CROWD_DECL auto assume_role_with_web_identity(sts_options const& sts, std::string const& token,
                                                    role_to_assume const& role) -> result<sigv4::credentials>
{
    std::string const session = role.session_name.empty() ? detail::default_session_name(sts) : role.session_name;
    std::vector<std::pair<std::string_view, std::string_view>> fields{{"Action", "AssumeRoleWithWebIdentity"},
                                                                      {"Version", "2011-06-15"},
                                                                      {"RoleArn", role.role_arn},
                                                                      {"RoleSessionName", session},
                                                                      {"WebIdentityToken", token}};
    std::string const duration = role.duration ? std::to_string(role.duration->count()) : std::string();
    if (role.duration)
        fields.emplace_back("DurationSeconds", duration);
    return detail::call_sts(sts, "AssumeRoleWithWebIdentity", detail::form_encode(fields), nullptr);
}

MTURK_CROWD_DECL auto resolve_service_endpoint(std::string_view service_key, std::string_view host_prefix,
                                               std::string_view region, environment const& env,
                                               profile_set const* profiles, profile const* selected,
                                               std::string_view configured, std::string* from) -> result<endpoint>
{
    auto parse = [from](std::string_view url, std::string const& origin) -> result<endpoint> {
        auto parsed = parse_endpoint(url);
        if (!parsed)
            return error(errc::invalid_configuration, origin + ": " + std::string(parsed.error().detail()));
        if (from)
            *from = origin;
        return parsed;
    };
    if (!configured.empty())
        return parse(configured, "code");
    auto property = [&](std::string_view key) -> profile_property const* {
        if (!selected)
            return nullptr;
        auto const it = selected->find(std::string(key));
        return it == selected->end() ? nullptr : &it->second;
    };
    auto flag = [&](char const* variable, char const* key) {
        auto const found = env_or_profile(env, selected, {variable}, key);
        return found && detail::is_true_setting(found->value);
    };
    if (!flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls")) {
        std::string const service_variable = "AWS_ENDPOINT_URL_" + std::string(service_key);
        if (auto v = env(service_variable); v && !v->empty())
            return parse(*v, "env " + service_variable);
        if (auto v = env("AWS_ENDPOINT_URL"); v && !v->empty())
            return parse(*v, "env AWS_ENDPOINT_URL");
        if (auto const* services = property("services"); services && profiles) {
            auto const section = profiles->services.find(services->value);
            if (section != profiles->services.end()) {
                auto const service = section->second.find(detail::lower(service_key));
                if (service != section->second.end())
                    if (auto url = sub_property(service->second, "endpoint_url"))
                        return parse(*url, service->second.file + " line " + std::to_string(service->second.line));
            }
        }
        if (auto const* url = property("endpoint_url"))
            return parse(url->value, url->file + " line " + std::to_string(url->line));
    }
    if (region.empty())
        return error(errc::invalid_configuration, "no region for " + std::string(host_prefix) +
                                                      ": set AWS_REGION or the profile's region");
    for (char c : region)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return error(errc::invalid_configuration, "region \"" + std::string(region) + "\" is not like us-east-1");
    // FIPS and dual-stack variants (AWS General Reference, "Dual-stack and FIPS endpoints").
    bool const fips = flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    bool const dual_stack = flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
    return parse("https://" + std::string(host_prefix) + (fips ? "-fips." : ".") + std::string(region) +
                     (dual_stack ? ".api.aws" : ".amazonaws.com"),
                 "default");
}

}  // namespace mturk::crowd

#endif
