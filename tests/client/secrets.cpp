// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// No secret in any output: with a known secret key, session token, SSO access token and
// proxy password in play, every printed form the library makes (operator<<, errors'
// what(), the hooks' views as the library logs them, the settings as `crowd config`
// shows them, the proxy as logged) is collected, and none of the four is found in it.
// The tools' side is tests/cli/secrets.sh.
#include <mturk/crowd/client.hpp>
#include <mturk/crowd/credentials/credentials_json.hpp>
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>
#include <mturk/crowd/credentials/sts.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/log_redaction.hpp>
#include <mturk/crowd/proxy.hpp>
#include <mturk/crowd/resolved_settings.hpp>
#include <mturk/crowd/testing/fake_transport.hpp>
#include <mturk/crowd/testing/manual_clock.hpp>

#include "test_environment.hpp"

#include <catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <unistd.h>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
using namespace std::chrono_literals;

namespace {

// A named constant, not a temporary in the initializer: clang 14 crashes generating code
// for a consteval temporary inside a larger expression (docs/testing.md).
constexpr mturk::crowd::account_id test_account{"123456789012"};

std::string const secret_key = "SecretKey-wJalrXUtnFEMI-K7MDENG-known";
std::string const session_token = "SessionToken-FQoGZXIvYXdzEJr-known";
std::string const sso_token = "SsoAccessToken-aoaAAAAAGVsb-known";
std::string const proxy_password = "ProxyPassword-hunter2-known";

using test_environment::env_of;

/// Everything printed, and the check that none of the secrets is in it.
struct printed {
    std::string all;
    template <class T>
    printed& operator<<(T const& value)
    {
        std::ostringstream out;
        out << value;
        all += out.str();
        all += '\n';
        return *this;
    }
    void check() const
    {
        REQUIRE(all.size() > 2000);  // the collection saw the outputs it is meant to
        for (auto const& s : {secret_key, session_token, sso_token, proxy_password}) {
            INFO(s);
            CHECK(all.find(s) == std::string::npos);
        }
    }
};

}  // namespace

TEST_CASE("no secret in any output: operator<<, errors, hooks' views, settings, proxies, providers", "[secrets]")
{
    printed seen;
    auto const creds = crowd::sigv4::credentials::make("AKIDKNOWN", secret_key, session_token,
                                                       std::chrono::sys_days{std::chrono::year{2030} / 1 / 1})
                           .value()
                           .with_account_id("123456789012");
    seen << creds << creds.secret_access_key() << creds.session_token();

    // A client whose every attempt the hooks log as the library formats them.
    crowd::testing::fake_transport fake;
    fake.respond(403, R"({"message":"The request signature we calculated does not match"})")
        .respond(500, R"({"message":"internal"})")
        .respond(201, R"({"taskName":"t1","input":{"text":"hi"},"state":"processing"})")
        .respond(200, R"({"taskName":"t1","input":{"text":"hi"},"state":"completed","result":{"sentiment":"POSITIVE"}})")
        .respond(404, R"({"message":"no task"})");
    crowd::client_config config{.account = test_account,
                                .credentials = [creds] { return creds; },
                                .env = env_of({{"AWS_SECRET_ACCESS_KEY", secret_key}, {"AWS_SESSION_TOKEN", session_token}}),
                                .random = [] { return 0.0; }};
    config.hooks.before_attempt = [&](crowd::attempt_started const& a) { seen << crowd::to_loggable_text(a.request); };
    config.hooks.after_attempt = [&](crowd::attempt_finished const& a) {
        if (a.response)
            seen << crowd::to_loggable_text(*a.response);
        if (a.failure)
            seen << *a.failure;
    };
    config.hooks.on_retry_decision = [&](crowd::retry_decided const& d) { seen << d.failure << d.reason; };
    auto client = crowd::basic_client<crowd::testing::fake_transport, crowd::testing::manual_clock,
                                      crowd::standard_retry>::make(config, fake)
                      .value();
    constexpr crowd::task_name t1{"t1"};
    seen << client.get<fn::sentiment_analysis>(t1).error();  // 403, not retried
    auto const created = client.create<fn::sentiment_analysis>(t1, {.text = "hi"});  // 500, then 201
    REQUIRE(created);
    seen << created->task.name << client.get<fn::sentiment_analysis>(t1)->raw;
    seen << client.get<fn::sentiment_analysis>(t1).error();  // 404

    // The settings as `crowd config` shows them, with the secrets in the environment.
    auto const settings = crowd::resolve_settings(config).value();
    for (auto const& [name, s] : settings.settings())
        seen << name << s->value << s->origin.text();

    // Proxies: as logged, and the errors of unusable proxy URLs.
    crowd::endpoint const target{true, "crowd.us-east-1.amazonaws.com", 443, ""};
    auto const proxy = crowd::proxy_for(target, std::nullopt,
                                        env_of({{"https_proxy", "http://user:" + proxy_password + "@proxy.internal:3128"}}));
    REQUIRE(proxy);
    REQUIRE(*proxy);
    seen << (*proxy)->url_for_logs;
    for (std::string bad : {"https://user:" + proxy_password + "@proxy:3128", "http://user:" + proxy_password + "@proxy:99999",
                            "http://user:" + proxy_password + "@proxy:3128/path", "http://user:%zz" + proxy_password + "@p"}) {
        auto const refused = crowd::proxy_for(target, crowd::proxy_settings{bad}, env_of({}));
        REQUIRE(refused.has_error());
        seen << refused.error();
        auto const from_env = crowd::proxy_for(target, std::nullopt, env_of({{"HTTPS_PROXY", bad}}));
        REQUIRE(from_env.has_error());
        seen << from_env.error();
    }

    // Providers' answers that hold secrets and are refused.
    seen << crowd::detail::parse_process_output(R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":")" + secret_key +
                                                R"(","SessionToken":")" + session_token + R"(","Expiration":"soon"})")
                .error();
    seen << crowd::detail::parse_process_output(R"({"Version":2,"SecretAccessKey":")" + secret_key + R"("})").error();
    seen << crowd::detail::read_credentials_json(R"({"AccessKeyId":"A","SecretAccessKey":")" + secret_key +
                                                     R"(","Token":")" + session_token + R"(","Expiration":"later"})",
                                                 "instance metadata")
                .error();
    crowd::http_response sts;
    sts.status = 200;
    sts.body = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>" +
               secret_key + "</SecretAccessKey><SessionToken>" + session_token +
               "</SessionToken><Expiration>never</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>";
    seen << crowd::detail::read_sts_answer(sts, "AssumeRole").error();

    // SSO: the cached token is sent to the portal (as the fetch logs it) and refused.
    auto const home = std::filesystem::temp_directory_path() / ("mturk-crowd-secrets-" + std::to_string(::getpid()));
    crowd::sso_settings const sso{std::nullopt, "https://known.awsapps.com/start", "us-east-1", "123456789012", "role"};
    crowd::network_context context{.env = env_of({}), .fetch = [&](crowd::fetch_request const& r) -> crowd::result<crowd::http_response> {
        seen << crowd::to_loggable_text(r.message);
        crowd::http_response refused;
        refused.status = 403;
        refused.body = R"({"message":"Session token not found or invalid"})";
        return refused;
    }};
    context.pause = [](std::chrono::milliseconds) {};
    crowd::sso_credentials_provider provider(context, sso, {.home = home.string()});
    auto const file = provider.token_file().value();
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    std::ofstream(file) << R"({"accessToken":")" + sso_token + R"(","expiresAt":"2099-01-01T00:00:00Z"})";
    seen << provider.get().error();
    std::ofstream(file) << R"({"accessToken":")" + sso_token + R"(","expiresAt":"not a time"})";
    seen << provider.get().error();
    std::filesystem::remove_all(home);

    // The default chain with the secrets in the environment: its source and errors.
    crowd::default_credentials_chain chain({.env = env_of({{"AWS_ACCESS_KEY_ID", "AKIDKNOWN"},
                                                           {"AWS_SECRET_ACCESS_KEY", secret_key},
                                                           {"AWS_SESSION_TOKEN", session_token}})});
    seen << chain.get().value() << chain.source();
    crowd::default_credentials_chain half({.env = env_of({{"AWS_SECRET_ACCESS_KEY", secret_key}})});
    seen << half.get().error();
    seen.check();
}
