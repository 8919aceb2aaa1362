// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Fuzz targets for signing and credentials: the SigV4 canonical form, the shared
// config and credentials files with the profile chain, the credential services'
// answers (instance metadata, container, STS, SSO), and endpoint and proxy URLs.
#include "fuzz_target.hpp"

#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/credentials_json.hpp>
#include <mturk/crowd/credentials/http_fetch.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>
#include <mturk/crowd/credentials/profile_chain.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>
#include <mturk/crowd/credentials/sts.hpp>
#include <mturk/crowd/endpoint.hpp>
#include <mturk/crowd/proxy.hpp>
#include <mturk/crowd/settings/profile_file.hpp>
#include <mturk/crowd/sigv4/signer.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

crowd::environment environment_of(std::map<std::string, std::string, std::less<>> vars)
{
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        if (auto it = vars.find(name); it != vars.end())
            return it->second;
        return std::nullopt;
    };
}

std::vector<std::pair<std::string_view, std::string_view>> header_lines(std::string_view text)
{
    std::vector<std::pair<std::string_view, std::string_view>> out;
    while (!text.empty()) {
        auto const end = text.find('\n');
        auto line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        auto const colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        out.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    return out;
}

/// Fields: the method (its first byte), the target, "name:value" lines, the body, the
/// region, the service, "token" for a session token.
void sigv4_canonical(std::string_view input)
{
    auto const parts = fuzz::fields(input);
    crowd::http_request request;
    auto const method = fuzz::field(parts, 0);
    request.method = static_cast<crowd::http_method>((method.empty() ? 0u : static_cast<unsigned char>(method[0])) % 4u);
    request.target = std::string(fuzz::field(parts, 1));
    for (auto [name, value] : header_lines(fuzz::field(parts, 2)))
        request.fields.add(name, value);
    request.body = std::string(fuzz::field(parts, 3));
    std::string const region(fuzz::field(parts, 4));
    std::string const service(fuzz::field(parts, 5));
    auto const creds = sigv4::credentials::make("AKIDEXAMPLE", std::string(secret_key),
                                                fuzz::field(parts, 6) == "token" ? "session-token-value" : "");
    FUZZ_CHECK(creds.has_value());
    sigv4::signing_params const params{
        .region = region, .service = service, .time = std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + 16h};

    sigv4::signer cold;
    sigv4::signature_details details;
    crowd::http_request signed_once = request;
    auto const signed_ok = cold.sign(signed_once, *creds, params, &details);
    if (!signed_ok)
        return;
    // The string to sign ends with the canonical request's hash.
    auto const canonical_hash = cold.payload_hash(details.canonical_request);
    FUZZ_CHECK(details.string_to_sign.size() > canonical_hash.size());
    FUZZ_CHECK(details.string_to_sign.substr(details.string_to_sign.size() - canonical_hash.size()) == canonical_hash);
    auto const authorization = signed_once.fields.find("Authorization");
    FUZZ_CHECK(authorization.has_value());
    if (input.find(secret_key) == std::string_view::npos)  // unless the caller put it in the scope itself
        FUZZ_CHECK(authorization->find(secret_key) == std::string_view::npos);
    // Signing is a function of the request: again with the same signer (its key cache
    // warm) and with a new one, from the signed request (its old signature replaced).
    crowd::http_request signed_twice = signed_once;
    FUZZ_CHECK(cold.sign(signed_twice, *creds, params).has_value());
    FUZZ_CHECK(signed_twice.fields.find("Authorization") == authorization);
    sigv4::signer fresh;
    crowd::http_request signed_fresh = request;
    FUZZ_CHECK(fresh.sign(signed_fresh, *creds, params).has_value());
    FUZZ_CHECK(signed_fresh.fields.find("Authorization") == authorization);
    // A presigned form of the same request is made or refused, never a crash.
    crowd::http_request presigned = request;
    (void)fresh.presign(presigned, *creds, params, 300s);
}

/// Fields: the config file, the credentials file, the selected profile.
void profile_files(std::string_view input)
{
    auto const parts = fuzz::fields(input);
    auto const set = crowd::parse_profile_files(crowd::profile_file_text{"config", std::string(fuzz::field(parts, 0))},
                                                crowd::profile_file_text{"credentials", std::string(fuzz::field(parts, 1))});
    if (!set) {
        FUZZ_CHECK(!set.error().detail().empty());
        return;
    }
    (void)crowd::resolve_profile_chain(*set, std::string(fuzz::field(parts, 2)));
    for (auto const& [name, profile] : set->profiles) {
        auto const chain = crowd::resolve_profile_chain(*set, name);
        if (!chain)
            FUZZ_CHECK(!chain.error().detail().empty());
        for (auto const& [key, property] : profile)
            (void)crowd::sub_property(property, "endpoint_url");
    }
}

/// A fake network: each field is one answer ("STATUS\nbody"; a first line that is not a
/// number is a connection that fails), handed out in order, then failures.
struct replayed_answers {
    std::vector<std::string_view> answers;
    std::shared_ptr<std::size_t> next = std::make_shared<std::size_t>(0);

    crowd::result<crowd::http_response> operator()(crowd::fetch_request const&) const
    {
        if (*next >= answers.size())
            return crowd::error(boost::system::errc::make_error_code(boost::system::errc::connection_refused), "replay over");
        auto const text = answers[(*next)++];
        auto const end = text.find('\n');
        auto const status_text = text.substr(0, end);
        unsigned status = 0;
        auto const [p, ec] = std::from_chars(status_text.data(), status_text.data() + status_text.size(), status);
        if (ec != std::errc{} || p != status_text.data() + status_text.size())
            return crowd::error(boost::system::errc::make_error_code(boost::system::errc::connection_reset), "replayed");
        crowd::http_response response;
        response.status = status;
        response.body = end == std::string_view::npos ? std::string() : std::string(text.substr(end + 1));
        return response;
    }
};

crowd::network_context context_of(std::vector<std::string_view> const& answers, crowd::environment env)
{
    crowd::network_context context;
    context.env = std::move(env);
    context.fetch = replayed_answers{answers};
    context.now = [] { return std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + 16h; };
    context.pause = [](std::chrono::milliseconds) {};
    return context;
}

/// A home folder with a cached SSO token that has not expired, made once.
std::string const& sso_home(crowd::sso_settings const& settings)
{
    static std::string const home = [&] {
        char folder[] = "/tmp/crowd-fuzz-sso-XXXXXX";
        FUZZ_CHECK(::mkdtemp(folder) != nullptr);
        std::string const path = folder;
        crowd::sso_credentials_provider probe(context_of({}, environment_of({})), settings, {.home = path});
        auto const file = probe.token_file();
        FUZZ_CHECK(file.has_value());
        ::mkdir((path + "/.aws").c_str(), 0700);
        ::mkdir((path + "/.aws/sso").c_str(), 0700);
        ::mkdir((path + "/.aws/sso/cache").c_str(), 0700);
        std::ofstream(*file) << R"({"accessToken": "sso-access-token", "expiresAt": "2030-01-01T00:00:00Z"})";
        return path;
    }();
    return home;
}

/// Fields: answers, given in turn to instance metadata, the container endpoint, STS
/// (AssumeRole, then with a web identity) and the SSO portal, each from the first.
void provider_answers(std::string_view input)
{
    auto const answers = fuzz::fields(input);
    (void)crowd::detail::read_xml_leaves(fuzz::field(answers, 0));
    (void)crowd::detail::read_credentials_json(fuzz::field(answers, 0), "fuzz");

    (void)crowd::instance_metadata_credentials_provider(context_of(answers, environment_of({}))).get();
    (void)crowd::container_credentials_provider(
        context_of(answers, environment_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/credentials"}})))
        .get();

    auto const where = crowd::parse_endpoint("https://sts.us-east-1.amazonaws.com");
    FUZZ_CHECK(where.has_value());
    auto const source = sigv4::credentials::make("AKIDSOURCE", std::string(secret_key));
    FUZZ_CHECK(source.has_value());
    crowd::role_to_assume const role{"arn:aws:iam::123456789012:role/fuzz", "fuzz-session"};
    (void)crowd::assume_role({context_of(answers, environment_of({})), *where}, *source, role);
    (void)crowd::assume_role_with_web_identity({context_of(answers, environment_of({})), *where}, "oidc-token", role);

    crowd::sso_settings const sso{std::nullopt, "https://fuzz.awsapps.com/start", "us-east-1", "123456789012", "fuzz"};
    (void)crowd::sso_credentials_provider(context_of(answers, environment_of({})), sso, {.home = sso_home(sso)}).get();
}

/// Fields: an endpoint URL, a region, a NO_PROXY list, a host, a port, a proxy URL.
void urls(std::string_view input)
{
    auto const parts = fuzz::fields(input);
    auto const url = fuzz::field(parts, 0);
    auto const parsed = crowd::parse_endpoint(url);
    if (parsed) {
        // What an endpoint says of itself reads back as the same endpoint.
        auto const again = crowd::parse_endpoint(parsed->url());
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->secure == parsed->secure && again->host == parsed->host && again->port == parsed->port &&
                   again->base_path == parsed->base_path);
    }
    (void)crowd::resolve_endpoint(url, fuzz::field(parts, 1), environment_of({}));
    (void)crowd::resolve_endpoint("", fuzz::field(parts, 1), environment_of({{"AWS_ENDPOINT_URL", std::string(url)}}));
    (void)crowd::detail::split_url(url, "fuzz");

    auto const list = fuzz::field(parts, 2);
    auto const port_text = fuzz::field(parts, 4);
    std::uint16_t port = 443;
    (void)std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    (void)crowd::no_proxy_matches(list, fuzz::field(parts, 3), port);

    crowd::endpoint const target = parsed ? *parsed : crowd::endpoint{true, std::string(fuzz::field(parts, 3)), port, ""};
    std::string const proxy_url(fuzz::field(parts, 5));
    auto const configured = crowd::proxy_for(target, crowd::proxy_settings{proxy_url, std::string(list)}, environment_of({}));
    auto const from_env = crowd::proxy_for(
        target, std::nullopt,
        environment_of({{"https_proxy", proxy_url}, {"http_proxy", proxy_url}, {"no_proxy", std::string(list)}}));
    // A proxy's password never reaches what is logged.
    auto const at = proxy_url.rfind('@');
    auto const scheme_end = proxy_url.find("://");
    if (at != std::string::npos && scheme_end != std::string::npos && scheme_end < at) {
        auto const user_info = std::string_view(proxy_url).substr(scheme_end + 3, at - scheme_end - 3);
        auto const colon = user_info.find(':');
        auto const password = colon == std::string_view::npos ? std::string_view{} : user_info.substr(colon + 1);
        // (A password that the URL also holds elsewhere, in the user's name say, may be shown there.)
        bool const once = proxy_url.find(password) == proxy_url.rfind(password);
        for (auto const* resolved : {&configured, &from_env}) {
            if (password.size() < 8 || !once || !*resolved || !resolved->value())
                continue;
            // The marker itself is not the password ("ed>@host:3128" is in "<redacted>@host:3128").
            std::string logged = resolved->value()->url_for_logs;
            if (auto const marker = logged.find("<redacted>"); marker != std::string::npos)
                logged.replace(marker, 10, "\x01");
            FUZZ_CHECK(logged.find(password) == std::string::npos);
        }
    }
}

fuzz::target const targets[] = {
    {"sigv4_canonical", &sigv4_canonical},
    {"profile_files", &profile_files},
    {"provider_answers", &provider_answers},
    {"urls", &urls},
};

}  // namespace

std::span<fuzz::target const> fuzz::credential_targets()
{
    return targets;
}
