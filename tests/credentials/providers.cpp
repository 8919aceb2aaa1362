// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>
#include <mturk/crowd/credentials/profile_chain.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>
#include <mturk/crowd/credentials/process_provider.hpp>
#include <mturk/crowd/credentials/sts.hpp>

#include "test_data.hpp"

#include "test_environment.hpp"

#include <catch.hpp>

#include <boost/json/parse.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <iterator>
#include <vector>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <mutex>
#include <thread>

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

using test_environment::env_of;

/// A folder of its own under the build tree, removed at the end of the test.
struct scratch_folder {
    fs::path path;
    explicit scratch_folder(std::string const& name)
    {
        static std::atomic<int> counter{0};
        path = fs::temp_directory_path() / ("mturk-crowd-test-" + name + "-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~scratch_folder() { fs::remove_all(path); }
    fs::path write(std::string const& name, std::string const& text) const
    {
        fs::path const file = path / name;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }
    fs::path script(std::string const& name, std::string const& body) const
    {
        fs::path const file = write(name, "#!/bin/sh\n" + body);
        fs::permissions(file, fs::perms::owner_all);
        return file;
    }
};

std::map<std::string, std::string> values_of(crowd::profile const& p)
{
    std::map<std::string, std::string> out;
    for (auto const& [k, v] : p)
        out[k] = v.value;
    return out;
}

std::map<std::string, std::map<std::string, std::string>> expected_profiles(json::object const& o)
{
    std::map<std::string, std::map<std::string, std::string>> out;
    for (auto const& [name, props] : o) {
        auto& p = out[std::string(name)];
        for (auto const& [k, v] : props.as_object())
            p[std::string(k)] = std::string(v.as_string());
    }
    return out;
}

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TEST_CASE("profile files: every case of the parser conformance suite", "[credentials][conformance]")
{
    auto const doc = json::parse(test_data::read(test_data::root() / "aws-profile-files" / "profile-parser-tests.json"));
    auto const& tests = doc.at("tests").as_array();
    REQUIRE(tests.size() == 65);
    for (auto const& t : tests) {
        INFO("case: " << t.at("name").as_string().c_str());
        auto const& input = t.at("input").as_object();
        std::optional<crowd::profile_file_text> config, credentials;
        if (auto const* c = input.if_contains("configFile"))
            config = crowd::profile_file_text{"config", std::string(c->as_string())};
        if (auto const* c = input.if_contains("credentialsFile"))
            credentials = crowd::profile_file_text{"credentials", std::string(c->as_string())};
        auto const parsed = crowd::parse_profile_files(config, credentials);
        auto const& output = t.at("output").as_object();
        if (auto const* expected_error = output.if_contains("errorContaining")) {
            REQUIRE(parsed.has_error());
            CHECK(parsed.error() == crowd::errc::profile_file_invalid);
            std::string const detail(parsed.error().detail());
            INFO("error: " << detail);
            CHECK(lower(detail).find(lower(std::string(expected_error->as_string()))) != std::string::npos);
            CHECK(detail.find(" line ") != std::string::npos);  // file and line are named
            continue;
        }
        REQUIRE(parsed);
        auto const& expected = output.at("config").as_object();
        std::map<std::string, std::map<std::string, std::string>> got;
        for (auto const& [name, p] : parsed->profiles)
            got[name] = values_of(p);
        CHECK(got == expected_profiles(expected.at("profiles").as_object()));
        if (auto const* sso = expected.if_contains("sso_sessions")) {
            std::map<std::string, std::map<std::string, std::string>> got_sso;
            for (auto const& [name, p] : parsed->sso_sessions)
                got_sso[name] = values_of(p);
            CHECK(got_sso == expected_profiles(sso->as_object()));
        }
    }
}

TEST_CASE("profile files: every case of the file-location suite, Windows rules included", "[credentials][conformance]")
{
    auto const doc = json::parse(test_data::read(test_data::root() / "aws-profile-files" / "file-location-tests.json"));
    auto const& tests = doc.at("tests").as_array();
    REQUIRE(tests.size() == 9);
    for (auto const& t : tests) {
        INFO("case: " << t.at("name").as_string().c_str());
        std::map<std::string, std::string> vars;
        for (auto const& [k, v] : t.at("environment").as_object())
            vars[std::string(k)] = std::string(v.as_string());
        auto const on = t.at("platform").as_string() == "windows" ? crowd::platform::windows : crowd::platform::posix;
        auto const located = crowd::locate_profile_files(env_of(vars), on);
        CHECK(located.config_file == t.at("configLocation").as_string().c_str());
        CHECK(located.credentials_file == t.at("credentialsLocation").as_string().c_str());
        if (auto const* profile = t.as_object().if_contains("profile"))
            CHECK(located.profile == profile->as_string().c_str());
    }
}

TEST_CASE("profile property errors name the file and the line", "[credentials]")
{
    auto const parsed = crowd::parse_profile_files(
        crowd::profile_file_text{"/home/u/.aws/config", "[profile a]\nx = 1\n\n[profile b]\nbroken line\n"}, std::nullopt);
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().detail() == "/home/u/.aws/config line 5: Expected an '=' sign defining a property");
}

TEST_CASE("the environment provider", "[credentials]")
{
    auto const full = crowd::environment_credentials_provider(
                          env_of({{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "s3cr3t"}, {"AWS_SESSION_TOKEN", "tok"}}))
                          .get();
    REQUIRE(full);
    CHECK(full->access_key_id() == "AKIAENV");
    CHECK(full->secret_access_key().reveal() == "s3cr3t");
    CHECK(full->session_token().reveal() == "tok");

    auto const none = crowd::environment_credentials_provider(env_of({})).get();
    CHECK(none.error() == crowd::errc::credentials_not_found);
    auto const half = crowd::environment_credentials_provider(env_of({{"AWS_ACCESS_KEY_ID", "AKIAENV"}})).get();
    CHECK(half.error() == crowd::errc::invalid_credentials);
    CHECK(half.error().detail() == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    CHECK(crowd::environment_credentials_provider(env_of({{"AWS_SECRET_ACCESS_KEY", "s"}})).get().error() ==
          crowd::errc::invalid_credentials);
    CHECK(crowd::environment_credentials_provider(env_of({{"AWS_SESSION_TOKEN", "t"}})).get().error() ==
          crowd::errc::invalid_credentials);
}

TEST_CASE("the profile provider reads the selected profile of both files", "[credentials]")
{
    scratch_folder home("profiles");
    home.write(".aws/credentials", "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = def-secret\n"
                                   "[dev]\naws_access_key_id = AKIADEV\n"
                                   "[temp]\naws_access_key_id=AKIATEMP\naws_secret_access_key=t\naws_session_token=tt\n");
    home.write(".aws/config", "[profile sso]\nsso_session = corp\n[profile empty]\nregion = us-east-1\n");
    auto provider = [&](std::map<std::string, std::string> extra) {
        extra["HOME"] = home.path.string();
        return crowd::profile_credentials_provider(env_of(extra));
    };
    auto const def = provider({}).get();
    REQUIRE(def);
    CHECK(def->access_key_id() == "AKIADEFAULT");
    auto const temp = provider({{"AWS_PROFILE", "temp"}}).get();
    REQUIRE(temp);
    CHECK(temp->session_token().reveal() == "tt");

    auto const half = provider({{"AWS_PROFILE", "dev"}}).get();
    REQUIRE(half.has_error());
    CHECK(half.error() == crowd::errc::invalid_credentials);
    CHECK(half.error().detail() == (home.path / ".aws/credentials").string() +
                                       " line 5: profile \"dev\" has aws_access_key_id but no aws_secret_access_key");

    auto const sso = provider({{"AWS_PROFILE", "sso"}}).get();
    CHECK(sso.error() == crowd::errc::invalid_credentials);
    CHECK(sso.error().detail().find("sso-session named `corp` (referenced by profile `sso`) was not found") !=
          std::string_view::npos);

    CHECK(provider({{"AWS_PROFILE", "empty"}}).get().error() == crowd::errc::credentials_not_found);
    auto const missing = provider({{"AWS_PROFILE", "nobody"}}).get();
    CHECK(missing.error() == crowd::errc::invalid_credentials);  // chosen by name: an error, not a shrug
    CHECK(missing.error().detail().find("no profile \"nobody\"") != std::string_view::npos);

    home.write(".aws/config", "[profile broken\n");
    auto const broken = provider({}).get();
    CHECK(broken.error() == crowd::errc::profile_file_invalid);
    CHECK(broken.error().detail() == (home.path / ".aws/config").string() + " line 1: Profile definition must end with ']'");

    CHECK(crowd::profile_credentials_provider(env_of({{"HOME", (home.path / "nothing-here").string()}})).get().error() ==
          crowd::errc::credentials_not_found);
}

TEST_CASE("credential_process: output, expiry and every failure", "[credentials]")
{
    scratch_folder dir("process");
    auto run = [&](std::string const& body, std::chrono::milliseconds timeout = 10s) {
        // Built by appending: g++ 12 at -O3 reports a false -Wrestrict for "literal" + std::string (GCC PR 105329).
        std::string name = std::to_string(std::hash<std::string>{}(body));
        name.insert(0, 1, 'p');
        name += ".sh";
        auto script = dir.script(name, body);
        return crowd::process_credentials_provider(script.string(), timeout).get();
    };
    auto const good = run(
        R"(printf '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2030-01-02T03:04:05Z"}')");
    REQUIRE(good);
    CHECK(good->access_key_id() == "AKIAPROC");
    CHECK(good->session_token().reveal() == "proc-token");
    REQUIRE(good->expiration());
    CHECK(*good->expiration() == std::chrono::sys_days{std::chrono::year{2030} / 1 / 2} + 3h + 4min + 5s);

    struct failure {
        std::string body;
        std::string says;
    };
    failure const failures[] = {
        {"exit 3", "exited with status 3"},
        {"echo not json", "output is not a JSON object"},
        {R"(printf '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "leaked-secret"}')", "\"Version\": 1"},
        {R"(printf '{"Version": 1, "AccessKeyId": "A"}')", "lacks AccessKeyId or SecretAccessKey"},
        {R"(printf '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "leaked-secret", "Expiration": "soon"}')",
         "Expiration is not an ISO 8601"},
    };
    for (auto const& f : failures) {
        INFO(f.body);
        auto const r = run(f.body);
        REQUIRE(r.has_error());
        CHECK(r.error() == crowd::errc::credential_process_failed);
        CHECK(r.error().detail().find(f.says) != std::string_view::npos);
        CHECK(r.error().detail().find("leaked-secret") == std::string_view::npos);  // output is never quoted
    }

    // The shell may exec the script (killed by the signal) or wait for it (exit status
    // 128 + 9); either way the failure is reported as such.
    auto const killed = run("kill -9 $$");
    REQUIRE(killed.has_error());
    CHECK((killed.error().detail().find("killed by signal 9") != std::string_view::npos ||
           killed.error().detail().find("exited with status 137") != std::string_view::npos));

    auto const started = std::chrono::steady_clock::now();
    // The command itself, not a script: a helper's own children are not stopped with it,
    // and a `sleep` left behind by a script would hold the test's output (and CTest
    // with it) open for its 20 s.
    auto const slow = crowd::process_credentials_provider("exec sleep 20", 300ms).get();
    CHECK(std::chrono::steady_clock::now() - started < 10s);  // stopped, not waited for
    REQUIRE(slow.has_error());
    CHECK(slow.error().detail().find("did not finish within 300 ms") != std::string_view::npos);
}

TEST_CASE("credential_process: one deadline for output and exit, and nothing inherited", "[credentials]")
{
    // A helper that writes its answer, closes its stdout and keeps running: the deadline
    // covers its exit too, so the caller (holding the chain's lock) is not held for 20 s.
    auto const started = std::chrono::steady_clock::now();
    auto const lingering = crowd::detail::run_process("printf '{}'; exec >&-; exec sleep 20", 300ms);
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    REQUIRE(lingering.has_error());
    CHECK(lingering.error().detail().find("did not finish within 300 ms") != std::string_view::npos);

    // The helper gets stdin, stdout and stderr and nothing else the program holds: not a
    // descriptor opened without close-on-exec (as Asio opens its sockets), and not the
    // ends of another helper's pipe.
    int const stray = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
    REQUIRE(stray > 2);
    auto const listed = crowd::detail::run_process("ls /proc/$$/fd", 10s);
    ::close(stray);
    REQUIRE(listed);
    std::istringstream fds(*listed);
    std::vector<std::string> open_in_helper{std::istream_iterator<std::string>(fds), {}};
    CHECK(open_in_helper == std::vector<std::string>{"0", "1", "2"});

    // Two threads starting helpers at once: a quick helper never waits for a slow one
    // (it would, for the slow one's whole life, if the slow one had inherited the quick
    // one's write end while both were being set up).
    std::atomic<bool> slow_done{false};
    std::thread slow_thread([&] {
        for (int i = 0; i < 4; ++i)
            CHECK(crowd::detail::run_process("sleep 1; printf slow", 10s).value() == "slow");
        slow_done = true;
    });
    std::chrono::steady_clock::duration longest{};
    int quick_runs = 0;
    while (!slow_done) {
        auto const quick_started = std::chrono::steady_clock::now();
        auto const quick = crowd::detail::run_process("printf quick", 10s);
        longest = std::max(longest, std::chrono::steady_clock::now() - quick_started);
        REQUIRE(quick);
        CHECK(*quick == "quick");
        ++quick_runs;
    }
    slow_thread.join();
    CHECK(quick_runs > 4);
    CHECK(longest < 800ms);
}

TEST_CASE("the default chain: order, caching and refresh ahead of expiry", "[credentials]")
{
    scratch_folder home("chain");
    fs::path const counter = home.path / "runs";
    auto const script = home.script(
        "creds.sh", "echo run >> '" + counter.string() +
                        R"('; printf '{"Version":1,"AccessKeyId":"AKIAPROC","SecretAccessKey":"s","Expiration":"2030-01-01T00:10:00Z"}')");
    home.write(".aws/config", "[default]\ncredential_process = " + script.string() + "\n");
    auto runs = [&] {
        std::ifstream in(counter);
        int n = 0;
        for (std::string line; std::getline(in, line);)
            ++n;
        return n;
    };

    // The environment comes before the profile.
    crowd::default_credentials_chain env_first({.env = env_of({{"HOME", home.path.string()},
                                                                {"AWS_ACCESS_KEY_ID", "AKIAENV"},
                                                                {"AWS_SECRET_ACCESS_KEY", "e"}})});
    CHECK(env_first.get()->access_key_id() == "AKIAENV");
    CHECK(runs() == 0);

    // Explicit credentials come before everything.
    crowd::default_credentials_chain explicit_first(
        {.explicit_credentials = sigv4::credentials::make("AKIACODE", "c").value(),
         .env = env_of({{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SECRET_ACCESS_KEY", "e"}})});
    CHECK(explicit_first.get()->access_key_id() == "AKIACODE");

    // A broken environment stops the chain instead of falling through to the profile.
    crowd::default_credentials_chain broken({.env = env_of({{"HOME", home.path.string()}, {"AWS_ACCESS_KEY_ID", "AKIAENV"}})});
    CHECK(broken.get().error() == crowd::errc::invalid_credentials);
    CHECK(runs() == 0);

    // The profile's process, run once and kept until 5 minutes before expiry.
    auto now = std::chrono::system_clock::time_point(std::chrono::sys_days{std::chrono::year{2030} / 1 / 1});
    crowd::default_credentials_chain chain({.env = env_of({{"HOME", home.path.string()}}), .now = [&] { return now; }});
    REQUIRE(chain.get());
    CHECK(chain.get()->access_key_id() == "AKIAPROC");
    CHECK(runs() == 1);
    now += 4min;
    REQUIRE(chain.get());
    CHECK(runs() == 1);
    now += 2min;  // 4 minutes before expiry: due for refresh, in the background
    REQUIRE(chain.get());
    for (int i = 0; i != 500 && runs() < 2; ++i)
        std::this_thread::sleep_for(10ms);
    CHECK(runs() == 2);

    // A refresh that fails while the kept credentials are still valid keeps them, and
    // says why...
    home.write(".aws/config", "[default]\ncredential_process = false\n");
    auto const kept = chain.get();
    REQUIRE(kept);
    CHECK(kept->access_key_id() == "AKIAPROC");
    for (int i = 0; i != 500 && !chain.last_refresh_error(); ++i) {
        REQUIRE(chain.get());  // starts a refresh when none is under way
        std::this_thread::sleep_for(10ms);
    }
    REQUIRE(chain.last_refresh_error());
    CHECK(*chain.last_refresh_error() == crowd::errc::credential_process_failed);
    CHECK(chain.get()->access_key_id() == "AKIAPROC");
    // ... and fails once they have expired.
    now += 10min;
    CHECK(chain.get().error() == crowd::errc::credential_process_failed);

    crowd::default_credentials_chain nothing({.env = env_of({{"HOME", (home.path / "none").string()}})});
    auto const none = nothing.get();
    CHECK(none.error() == crowd::errc::credentials_not_found);
    CHECK(none.error().detail().find("AWS_ACCESS_KEY_ID is not set") != std::string_view::npos);
}

TEST_CASE("STS answers are read with Expat, and its refusals are named", "[credentials][sts]")
{
    auto answer = [](unsigned status, std::string body) {
        crowd::http_response r;
        r.status = status;
        r.body = std::move(body);
        r.fields.add("x-amzn-RequestId", "req-7");
        return r;
    };
    auto const ok = crowd::detail::read_sts_answer(
        answer(200, R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
  <AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/r/s</Arn></AssumedRoleUser>
  <Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s&amp;cret</SecretAccessKey>
  <SessionToken>tok</SessionToken><Expiration>2030-01-02T03:04:05.123Z</Expiration></Credentials>
</AssumeRoleResult></AssumeRoleResponse>)"),
        "AssumeRole");
    REQUIRE(ok);
    CHECK(ok->secret_access_key().reveal() == "s&cret");  // entities decoded
    CHECK(ok->account_id() == "210987654321");
    CHECK(*ok->expiration() == std::chrono::sys_days{std::chrono::year{2030} / 1 / 2} + 3h + 4min + 5s);

    struct refusal {
        unsigned status;
        char const* code;
        crowd::errc expected;
        char const* says;
    };
    refusal const refusals[] = {
        {403, "AccessDenied", crowd::errc::credentials_refused, "trust policy"},
        {400, "ExpiredToken", crowd::errc::credentials_refused, "has expired"},
        {400, "InvalidIdentityToken", crowd::errc::credentials_refused, "OpenID Connect provider"},
        {400, "IDPRejectedClaim", crowd::errc::credentials_refused, "rejected the token's claims"},
        {503, "ServiceUnavailable", crowd::errc::credentials_service_failed, "answered 503"},
        {400, "Throttling", crowd::errc::credentials_service_failed, "Throttling"},
    };
    for (auto const& r : refusals) {
        INFO(r.code);
        auto const got = crowd::detail::read_sts_answer(
            answer(r.status, std::string("<ErrorResponse><Error><Type>Sender</Type><Code>") + r.code +
                                 "</Code><Message>the message</Message></Error><RequestId>x</RequestId></ErrorResponse>"),
            "AssumeRole");
        REQUIRE(got.has_error());
        CHECK(got.error() == r.expected);
        CHECK(got.error().detail().find(r.says) != std::string_view::npos);
        CHECK(got.error().detail().find("the message") != std::string_view::npos);
        CHECK(got.error().detail().find("[request id req-7]") != std::string_view::npos);
    }

    // What is not STS's XML is refused, never half read.
    for (char const* bad : {"not xml at all", "<a><b>unclosed</a>",
                            "<!DOCTYPE x [<!ENTITY e \"boom\">]><AssumeRoleResponse>&e;</AssumeRoleResponse>",
                            "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
                            "</Credentials></AssumeRoleResult></AssumeRoleResponse>"}) {
        INFO(bad);
        auto const got = crowd::detail::read_sts_answer(answer(200, bad), "AssumeRole");
        REQUIRE(got.has_error());
        CHECK(got.error() == crowd::errc::credentials_answer_invalid);
    }
    auto const doctype = crowd::detail::read_xml_leaves("<!DOCTYPE x><x/>");
    REQUIRE(doctype.has_error());
    CHECK(doctype.error().detail().find("DOCTYPE") != std::string_view::npos);
    std::string deep;
    for (int i = 0; i != 40; ++i)
        deep += "<a>";
    for (int i = 0; i != 40; ++i)
        deep += "</a>";
    auto const too_deep = crowd::detail::read_xml_leaves(deep);
    REQUIRE(too_deep.has_error());
    CHECK(too_deep.error().detail().find("nested more than 32 elements deep") != std::string_view::npos);
    auto const too_big = crowd::detail::read_xml_leaves("<a>" + std::string((1u << 20) + 1, 'x') + "</a>");
    REQUIRE(too_big.has_error());
    CHECK(too_big.error() == crowd::errc::credentials_answer_invalid);
}

TEST_CASE("a refresh in the background never makes a caller wait", "[credentials]")
{
    scratch_folder home("background");
    fs::path const gate = home.path / "slow";
    // Sleeps 2 s on every run but the first, once the test creates the gate file.
    auto const script = home.script(
        "slow.sh", "[ -e '" + gate.string() +
                       R"(' ] && sleep 2; printf '{"Version":1,"AccessKeyId":"AKIAPROC","SecretAccessKey":"s","Expiration":"2030-01-01T00:10:00Z"}')");
    home.write(".aws/config", "[default]\ncredential_process = " + script.string() + "\n");
    auto now = std::chrono::system_clock::time_point(std::chrono::sys_days{std::chrono::year{2030} / 1 / 1});
    std::mutex clock_mutex;
    crowd::default_credentials_chain chain({.env = env_of({{"HOME", home.path.string()}}), .now = [&] {
                                                std::lock_guard<std::mutex> lock(clock_mutex);
                                                return now;
                                            }});
    REQUIRE(chain.get());
    home.write("slow", "");
    {
        std::lock_guard<std::mutex> lock(clock_mutex);
        now += 6min;  // due (4 minutes left), still valid
    }
    auto const started = std::chrono::steady_clock::now();
    for (int i = 0; i != 20; ++i)
        REQUIRE(chain.get());  // the kept credentials, while the slow refresh runs
    CHECK(std::chrono::steady_clock::now() - started < 1s);
    CHECK(chain.source() == "profile \"default\"");
}

TEST_CASE("what fuzzing found stays fixed: times beyond the clock, a profile that is its own source without keys",
          "[credentials]")
{
    // An expiry the system clock cannot hold (its nanoseconds span 1678-2262) is refused,
    // not overflowed.
    auto const ancient = crowd::detail::parse_process_output(
        R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"1015-01-02T03:04:05Z"})");
    REQUIRE(ancient.has_error());
    CHECK(ancient.error().detail().find("Expiration is not an ISO 8601 UTC time") != std::string_view::npos);
    CHECK(crowd::detail::parse_process_output(
              R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"2199-12-31T23:59:59Z"})")
              .has_value());

    // A profile whose source_profile is itself, with no keys of its own: refused, named.
    auto const set = crowd::parse_profile_files(
                         crowd::profile_file_text{"config", "[profile loop]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
                                                            "source_profile = loop\n"},
                         std::nullopt)
                         .value();
    auto const chain = crowd::resolve_profile_chain(set, "loop");
    REQUIRE(chain.has_error());
    CHECK(chain.error() == crowd::errc::invalid_credentials);
    CHECK(chain.error().detail().find("is its own source_profile but has no static keys") != std::string_view::npos);
}
