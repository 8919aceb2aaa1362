// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The credential settings the SDKs read beyond the conformance data, against a scripted
// HTTP client: instance metadata's time-out, attempts and IMDSv1 policy; a role with
// mfa_serial; the chain's report of each resolution.
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>
#include <mturk/crowd/credentials/profile_provider.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>

#include "test_environment.hpp"

#include <catch.hpp>

#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace crowd = mturk::crowd;
namespace fs = std::filesystem;
using crowd::errc;
using namespace std::chrono_literals;

namespace {

using test_environment::env_of;

/// An HTTP client that answers from a script and keeps what it was asked.
struct scripted_fetch {
    struct asked {
        crowd::http_method method;
        std::string target;
        std::map<std::string, std::string> fields;
        std::string body;
        std::chrono::milliseconds timeout;
    };
    std::shared_ptr<std::deque<crowd::result<crowd::http_response>>> answers =
        std::make_shared<std::deque<crowd::result<crowd::http_response>>>();
    std::shared_ptr<std::vector<asked>> log = std::make_shared<std::vector<asked>>();

    scripted_fetch& answer(unsigned status, std::string body = {})
    {
        crowd::http_response r;
        r.status = status;
        r.body = std::move(body);
        answers->push_back(std::move(r));
        return *this;
    }
    scripted_fetch& fail(crowd::request_progress progress)
    {
        answers->push_back(crowd::error(make_error_code(boost::system::errc::timed_out), "scripted").set_progress(progress));
        return *this;
    }
    crowd::http_fetch fetch() const
    {
        return [answers = answers, log = log](crowd::fetch_request const& r) -> crowd::result<crowd::http_response> {
            asked a{r.message.method, r.message.target, {}, r.message.body, r.timeout};
            for (auto const& f : r.message.fields)
                a.fields[std::string(f.name)] = std::string(f.value);
            log->push_back(std::move(a));
            if (answers->empty())
                return crowd::error(make_error_code(boost::system::errc::connection_refused), "nothing scripted")
                    .set_progress(crowd::request_progress::not_sent);
            auto next = std::move(answers->front());
            answers->pop_front();
            return next;
        };
    }
};

std::string const role_credentials =
    R"({"Code":"Success","AccessKeyId":"AKIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"})";

crowd::instance_metadata_credentials_provider imds(scripted_fetch const& script, std::map<std::string, std::string> env,
                                                   crowd::profile selected = {})
{
    return crowd::instance_metadata_credentials_provider(
        crowd::network_context{.env = env_of(std::move(env)), .fetch = script.fetch(), .pause = [](auto) {}}, {},
        std::move(selected));
}

}  // namespace

TEST_CASE("instance metadata: the time-out and attempts the environment or the profile set", "[credentials][imds]")
{
    scripted_fetch script;
    script.answer(500).answer(500).answer(500).answer(500).answer(500);
    auto const r = imds(script, {{"AWS_METADATA_SERVICE_TIMEOUT", "2.5"}, {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "5"}}).get();
    CHECK(r.error() == errc::credentials_service_failed);
    CHECK(r.error().detail().find("answered 500 5 times") != std::string_view::npos);
    REQUIRE(script.log->size() == 5);
    CHECK(script.log->at(0).timeout == 2500ms);

    // The profile's keys, when the environment says nothing.
    crowd::profile p;
    p["metadata_service_timeout"] = {"3", "/home/u/.aws/config", 4};
    p["metadata_service_num_attempts"] = {"1", "/home/u/.aws/config", 5};
    scripted_fetch once;
    once.answer(503);
    CHECK(imds(once, {}, p).get().error() == errc::credentials_service_failed);
    REQUIRE(once.log->size() == 1);
    CHECK(once.log->at(0).timeout == 3s);

    // The defaults: 1 s, 3 attempts.
    scripted_fetch defaults;
    auto const settings = imds(defaults, {}).settings().value();
    CHECK(settings.timeout == 1s);
    CHECK(settings.max_attempts == 3);
    CHECK_FALSE(settings.v1_disabled);

    // Bad values are refused, naming where they came from.
    CHECK(imds(defaults, {{"AWS_METADATA_SERVICE_TIMEOUT", "soon"}}).get().error().detail() ==
          "env AWS_METADATA_SERVICE_TIMEOUT: the instance metadata time-out \"soon\" is not a number of seconds from "
          "0.001 to 3600");
    CHECK(imds(defaults, {{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"}}).get().error().detail() ==
          "env AWS_METADATA_SERVICE_NUM_ATTEMPTS: the instance metadata attempts \"0\" are not a number from 1 to 10");
    crowd::profile bad;
    bad["ec2_metadata_v1_disabled"] = {"maybe", "/home/u/.aws/config", 7};
    CHECK(imds(defaults, {}, bad).get().error().detail() == "/home/u/.aws/config line 7: \"maybe\" is not true or false");
    CHECK(defaults.log->empty());  // nothing was asked with a bad setting
}

TEST_CASE("instance metadata: IMDSv1 when no token is to be had, unless it is disabled", "[credentials][imds]")
{
    SECTION("an IMDS without tokens (404): asked without one")
    {
        scripted_fetch script;
        script.answer(404).answer(200, "crowd-role\n").answer(200, role_credentials);
        auto const r = imds(script, {}).get();
        REQUIRE(r);
        CHECK(r->access_key_id() == "AKIAIMDS");
        REQUIRE(script.log->size() == 3);
        CHECK(script.log->at(1).target == "/latest/meta-data/iam/security-credentials/");
        CHECK_FALSE(script.log->at(1).fields.contains("x-aws-ec2-metadata-token"));
        CHECK_FALSE(script.log->at(2).fields.contains("x-aws-ec2-metadata-token"));
    }
    SECTION("a token request whose answer never comes (a container past the hop limit)")
    {
        scripted_fetch script;
        script.fail(crowd::request_progress::sent_no_answer).answer(200, "crowd-role").answer(200, role_credentials);
        REQUIRE(imds(script, {}).get());
        CHECK_FALSE(script.log->at(2).fields.contains("x-aws-ec2-metadata-token"));
    }
    SECTION("disabled by the environment: the error says so and names the setting")
    {
        scripted_fetch script;
        script.answer(405);
        auto const r = imds(script, {{"AWS_EC2_METADATA_V1_DISABLED", "true"}}).get();
        CHECK(r.error() == errc::credentials_not_found);
        CHECK(r.error().detail().ends_with(
            " answered 405 to the token request, and IMDSv1 is disabled (env AWS_EC2_METADATA_V1_DISABLED)"));
        CHECK(script.log->size() == 1);
    }
    SECTION("disabled by the profile")
    {
        crowd::profile p;
        p["ec2_metadata_v1_disabled"] = {"True", "/etc/aws/config", 2};
        scripted_fetch script;
        script.fail(crowd::request_progress::sent_no_answer);
        auto const r = imds(script, {}, p).get();
        CHECK(r.error().detail().ends_with("IMDSv1 is disabled (/etc/aws/config line 2)"));
    }
    SECTION("a token: IMDSv2 throughout")
    {
        scripted_fetch script;
        script.answer(200, "session-token").answer(200, "crowd-role").answer(200, role_credentials);
        REQUIRE(imds(script, {{"AWS_EC2_METADATA_V1_DISABLED", "true"}}).get());
        CHECK(script.log->at(2).fields.at("x-aws-ec2-metadata-token") == "session-token");
    }
    SECTION("nothing listening: not found, and not asked again without a token")
    {
        scripted_fetch script;  // connection refused, nothing sent
        CHECK(imds(script, {}).get().error() == errc::credentials_not_found);
        CHECK(script.log->size() == 1);
    }
}

namespace {

/// A folder of its own with a config file, removed at the end.
struct config_folder {
    fs::path path;
    explicit config_folder(std::string const& text)
    {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() /
               ("mturk-crowd-settings-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(path);
        std::ofstream(path / "config") << text;
    }
    ~config_folder() { fs::remove_all(path); }
};

std::string const assumed_role_answer = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/crowd/s</Arn></AssumedRoleUser>
<Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>rs</SecretAccessKey><SessionToken>rt</SessionToken>
<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>)";

}  // namespace

TEST_CASE("a role with mfa_serial asks the token callback for the device's code", "[credentials][mfa]")
{
    config_folder files("[profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = b\n"
                        "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/crowd\nsource_profile = base\n"
                        "mfa_serial = arn:aws:iam::123456789012:mfa/operator\n");
    auto env = env_of({{"AWS_CONFIG_FILE", (files.path / "config").string()},
                       {"AWS_SHARED_CREDENTIALS_FILE", (files.path / "none").string()},
                       {"AWS_ENDPOINT_URL_STS", "http://sts.local"}});
    scripted_fetch script;
    auto provider = [&](std::function<crowd::result<std::string>(std::string_view)> mfa) {
        return crowd::profile_credentials_provider(crowd::profile_provider_options{
            .context = {.env = env, .fetch = script.fetch(), .pause = [](auto) {}},
            .profile = "admin",
            .mfa_token = std::move(mfa)});
    };

    std::vector<std::string> asked_for;
    script.answer(200, assumed_role_answer);
    auto const assumed = provider([&](std::string_view serial) -> crowd::result<std::string> {
                             asked_for.emplace_back(serial);
                             return std::string("123456");
                         }).get();
    REQUIRE(assumed);
    CHECK(assumed->access_key_id() == "ASIAROLE");
    CHECK(asked_for == std::vector<std::string>{"arn:aws:iam::123456789012:mfa/operator"});
    REQUIRE(script.log->size() == 1);
    auto const& body = script.log->at(0).body;
    CHECK(body.find("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Foperator") != std::string::npos);
    CHECK(body.find("TokenCode=123456") != std::string::npos);

    // Nothing to ask with: a clear error, and STS is not called.
    auto const no_callback = provider({}).get();
    CHECK(no_callback.error() == errc::invalid_configuration);
    CHECK(no_callback.error().detail().find("needs the code of the MFA device arn:aws:iam::123456789012:mfa/operator") !=
          std::string_view::npos);
    // A code that is not six digits, and a callback that fails, are said as such.
    auto const wrong = provider([](std::string_view) -> crowd::result<std::string> { return std::string("12a456"); }).get();
    CHECK(wrong.error().detail().ends_with("is not six digits"));
    auto const refused = provider([](std::string_view) -> crowd::result<std::string> {
                             return crowd::error(errc::invalid_configuration, "stdin is not a terminal");
                         }).get();
    CHECK(refused.error().detail().ends_with(": stdin is not a terminal"));
    CHECK(script.log->size() == 1);
}

TEST_CASE("the chain tells each resolution: source, duration, expiry, failure", "[credentials]")
{
    std::vector<std::string> told;
    auto options = [&](std::map<std::string, std::string> vars) {
        return crowd::credentials_chain_options{
            .env = env_of(std::move(vars)), .on_resolved = [&](crowd::credentials_resolution const& r) {
                told.push_back(std::string(r.source) + " " + (r.failure ? "failed" : "..." + std::string(r.access_key_tail)) +
                               (r.expiration ? " expires" : "") + (r.background ? " background" : ""));
                CHECK(r.duration >= 0ms);
            }};
    };
    crowd::default_credentials_chain from_env(options({{"AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY1"},
                                                       {"AWS_SECRET_ACCESS_KEY", "s"},
                                                       {"AWS_EC2_METADATA_DISABLED", "true"}}));
    REQUIRE(from_env.get());
    REQUIRE(from_env.get());  // kept: not resolved again
    crowd::default_credentials_chain nothing(options({{"AWS_EC2_METADATA_DISABLED", "true"},
                                                      {"AWS_CONFIG_FILE", "/nonexistent"},
                                                      {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"}}));
    REQUIRE_FALSE(nothing.get());
    CHECK(told == std::vector<std::string>{"environment ...KEY1", "instance metadata failed"});
}

TEST_CASE("SSO: a session's token is refreshed within 15 minutes of expiry and written back, as botocore does",
          "[credentials][sso]")
{
    config_folder home("");
    fs::create_directories(home.path / ".aws/sso/cache");
    // The cache file of sso-session "corp": the hex SHA-1 of its name.
    auto const file = home.path / ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
    auto const now = std::chrono::system_clock::time_point(std::chrono::sys_days{std::chrono::year{2030} / 1 / 1});
    auto write_cache = [&](std::string expires, std::string registration) {
        std::ofstream(file) << R"({"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"old-token",)"
                            << R"("expiresAt":")" << expires << R"(","clientId":"client-1","clientSecret":"client-secret",)"
                            << R"("registrationExpiresAt":")" << registration << R"(","refreshToken":"refresh-1"})";
    };
    auto const role = R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"s","sessionToken":"t","expiration":1893459600000}})";
    auto provider = [&](scripted_fetch const& script) {
        return crowd::sso_credentials_provider(
            crowd::network_context{.env = env_of({{"AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc.local"},
                                                  {"AWS_ENDPOINT_URL_SSO", "http://portal.local"}}),
                                   .fetch = script.fetch(),
                                   .now = [now] { return now; },
                                   .pause = [](auto) {}},
            {.session_name = "corp", .start_url = "https://corp.awsapps.com/start", .region = "us-east-1",
             .account_id = "123456789012", .role_name = "CrowdUser"},
            {.home = home.path.string()});
    };
    auto read_file = [&] {
        std::ifstream in(file);
        return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    };
    crowd::sso_settings const corp{.session_name = "corp", .start_url = "", .region = "", .account_id = "", .role_name = ""};
    REQUIRE(crowd::sso_credentials_provider(crowd::network_context{}, corp, {.home = home.path.string()}).token_file().value() ==
            file.string());

    SECTION("10 minutes before expiry: CreateToken, the new token used and written back")
    {
        write_cache("2030-01-01T00:10:00Z", "2030-03-01T00:00:00Z");
        scripted_fetch script;
        script.answer(200, R"({"accessToken":"new-token","expiresIn":28800,"refreshToken":"refresh-2","tokenType":"Bearer"})")
            .answer(200, role);
        auto const creds = provider(script).get();
        REQUIRE(creds);
        CHECK(creds->access_key_id() == "ASIASSO");
        REQUIRE(script.log->size() == 2);
        auto const& create = script.log->at(0);
        CHECK(create.method == crowd::http_method::post);
        CHECK(create.target == "/token");
        CHECK(create.fields.at("Host") == "oidc.local");
        CHECK(create.body == R"({"grantType":"refresh_token","clientId":"client-1","clientSecret":"client-secret","refreshToken":"refresh-1"})");
        CHECK(script.log->at(1).fields.at("x-amz-sso_bearer_token") == "new-token");
        auto const cached = read_file();
        CHECK(cached.find(R"("accessToken":"new-token")") != std::string::npos);
        CHECK(cached.find(R"("expiresAt":"2030-01-01T08:00:00Z")") != std::string::npos);
        CHECK(cached.find(R"("refreshToken":"refresh-2")") != std::string::npos);
        CHECK(cached.find(R"("clientSecret":"client-secret")") != std::string::npos);
        CHECK((fs::status(file).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    }
    SECTION("an hour before expiry: no refresh")
    {
        write_cache("2030-01-01T01:00:00Z", "2030-03-01T00:00:00Z");
        scripted_fetch script;
        script.answer(200, role);
        REQUIRE(provider(script).get());
        REQUIRE(script.log->size() == 1);
        CHECK(script.log->at(0).fields.at("x-amz-sso_bearer_token") == "old-token");
    }
    SECTION("a refresh that fails while the token is valid: the old token is used")
    {
        write_cache("2030-01-01T00:05:00Z", "2030-03-01T00:00:00Z");
        scripted_fetch script;
        script.answer(400, R"({"error":"invalid_grant"})").answer(200, role);
        REQUIRE(provider(script).get());
        CHECK(script.log->at(1).fields.at("x-amz-sso_bearer_token") == "old-token");
        CHECK(read_file().find("old-token") != std::string::npos);
    }
    SECTION("expired, and the refresh fails: the error says both, and what to do")
    {
        write_cache("2029-12-31T23:00:00Z", "2030-03-01T00:00:00Z");
        scripted_fetch script;
        script.answer(400, R"({"error":"invalid_grant"})");
        auto const r = provider(script).get();
        CHECK(r.error() == errc::credentials_refused);
        CHECK(r.error().detail().find("has expired and refreshing it failed (SSO-OIDC CreateToken answered 400 "
                                      "invalid_grant); run `aws sso login --sso-session corp`") != std::string_view::npos);
    }
    SECTION("a client registration that has expired: no refresh is tried")
    {
        write_cache("2029-12-31T23:00:00Z", "2029-12-01T00:00:00Z");
        scripted_fetch script;
        auto const r = provider(script).get();
        CHECK(r.error().detail().find("the client registration of the cached token has expired") != std::string_view::npos);
        CHECK(script.log->empty());
    }
}
