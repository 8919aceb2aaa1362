// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The credential providers against the AWS SDK for Rust's conformance data
// (tests/data/aws-credential-chains, see its README): each case's environment and files,
// its recorded HTTP traffic replayed through a fake fetch, and its expected credentials or
// error. Errors are matched by meaning (our code and our words), listed case by case.
#include <mturk/crowd/credentials/container_provider.hpp>
#include <mturk/crowd/credentials/default_chain.hpp>
#include <mturk/crowd/credentials/instance_metadata_provider.hpp>
#include <mturk/crowd/credentials/profile_chain.hpp>
#include <mturk/crowd/credentials/sso_provider.hpp>
#include <mturk/crowd/credentials/sts.hpp>

#include "test_data.hpp"
#include "test_environment.hpp"

#include <catch.hpp>

#include <boost/json.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crowd = mturk::crowd;
namespace sigv4 = mturk::crowd::sigv4;
namespace fs = std::filesystem;
using crowd::errc;

namespace {

fs::path chains_dir()
{
    return test_data::root() / "aws-credential-chains";
}

// One recorded exchange: what the provider must ask, and what it is answered.
struct exchange {
    std::string method;
    std::string uri;
    std::map<std::string, std::string> headers;  // lower-case names, first value
    std::string request_body;
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> response_headers;
    std::string response_body;
};

std::vector<exchange> read_traffic(fs::path const& file)
{
    auto const doc = boost::json::parse(test_data::read(file));
    std::map<std::int64_t, exchange> by_connection;
    for (auto const& event : doc.at("events").as_array()) {
        auto& x = by_connection[event.at("connection_id").as_int64()];
        auto const& action = event.at("action").as_object();
        if (auto const* request = action.if_contains("Request")) {
            auto const& r = request->at("request");
            x.method = r.at("method").as_string();
            x.uri = r.at("uri").as_string();
            for (auto const& [name, values] : r.at("headers").as_object()) {
                std::string lower(name);
                for (auto& c : lower)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                x.headers[lower] = values.as_array().at(0).as_string();
            }
        } else if (auto const* response = action.if_contains("Response")) {
            auto const& ok = response->at("response").at("Ok");
            x.status = static_cast<unsigned>(ok.at("status").as_int64());
            for (auto const& [name, values] : ok.at("headers").as_object())
                x.response_headers.emplace_back(name, values.as_array().at(0).as_string());
        } else if (auto const* data = action.if_contains("Data")) {
            std::string const text(data->at("data").at("Utf8").as_string());
            if (data->at("direction") == "Request")
                x.request_body += text;
            else
                x.response_body += text;
        }
    }
    std::vector<exchange> out;
    for (auto& [id, x] : by_connection)
        out.push_back(std::move(x));
    return out;
}

// "https://host/path?b=2&a=1" with the query's parameters sorted and a bare origin given
// its "/": the SDKs do not agree on parameter order, and HTTP gives it no meaning.
std::string normal_uri(std::string uri)
{
    auto const scheme_end = uri.find("://");
    if (uri.find('/', scheme_end + 3) == std::string::npos)
        uri += '/';
    auto const q = uri.find('?');
    if (q == std::string::npos)
        return uri;
    std::vector<std::string> params;
    std::string rest = uri.substr(q + 1);
    for (std::size_t start = 0; start <= rest.size();) {
        auto const amp = rest.find('&', start);
        params.push_back(rest.substr(start, amp - start));
        if (amp == std::string::npos)
            break;
        start = amp + 1;
    }
    std::sort(params.begin(), params.end());
    std::string out = uri.substr(0, q + 1);
    for (std::size_t i = 0; i != params.size(); ++i)
        out += (i ? "&" : "") + params[i];
    return out;
}

std::string form_field(std::string const& body, std::string const& name)
{
    std::size_t start = 0;
    while (start <= body.size()) {
        auto const amp = body.find('&', start);
        std::string const pair = body.substr(start, amp - start);
        if (pair.starts_with(name + "="))
            return pair.substr(name.size() + 1);
        if (amp == std::string::npos)
            break;
        start = amp + 1;
    }
    return {};
}

// Plays the recording back: each request must be the next recorded one (method, URI,
// the IMDS and SSO token headers, STS's Action); a request after the last that repeats
// it (a retry of an answered failure) gets the last answer again.
struct replay {
    std::vector<exchange> recorded;
    std::size_t next = 0;
    std::vector<std::string> mismatches;

    crowd::result<crowd::http_response> operator()(crowd::fetch_request const& r)
    {
        std::string const uri = normal_uri((r.where.secure ? "https://" : "http://") + r.where.host_header() +
                                           r.message.target);
        std::string const method(crowd::to_string(r.message.method));
        exchange const* x = nullptr;
        if (next < recorded.size())
            x = &recorded[next++];
        else if (!recorded.empty() && recorded.back().method == method && normal_uri(recorded.back().uri) == uri &&
                 recorded.back().status >= 500)
            x = &recorded.back();
        if (!x) {
            mismatches.push_back("unexpected request " + method + " " + uri);
            return crowd::error(make_error_code(boost::system::errc::connection_refused), "nothing recorded")
                .set_progress(crowd::request_progress::not_sent);
        }
        if (x->method != method || normal_uri(x->uri) != uri)
            mismatches.push_back("asked " + method + " " + uri + ", recorded " + x->method + " " + normal_uri(x->uri));
        for (char const* name : {"x-aws-ec2-metadata-token-ttl-seconds", "x-aws-ec2-metadata-token", "x-amz-sso_bearer_token"}) {
            auto const expected = x->headers.find(name);
            auto const sent = r.message.fields.find(name);
            if (expected != x->headers.end() && (!sent || *sent != expected->second))
                mismatches.push_back(std::string(name) + " sent " + std::string(sent.value_or("nothing")) + ", recorded " +
                                     expected->second);
        }
        if (!x->request_body.empty() && form_field(x->request_body, "Action") != form_field(r.message.body, "Action"))
            mismatches.push_back("STS Action " + form_field(r.message.body, "Action") + ", recorded " +
                                 form_field(x->request_body, "Action"));
        crowd::http_response answer;
        answer.status = x->status;
        for (auto const& [name, value] : x->response_headers)
            answer.fields.add(name, value);
        answer.body = x->response_body;
        return answer;
    }
};

// A case's file system under a scratch root: absolute paths in the environment and in
// the files' values point into it.
struct case_files {
    fs::path root;
    std::map<std::string, std::string> env;

    explicit case_files(fs::path const& dir)
    {
        static int counter = 0;
        root = fs::temp_directory_path() /
               ("mturk-crowd-chains-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(root);
        fs::create_directories(root);
        if (fs::is_directory(dir / "fs")) {
            for (auto const& entry : fs::recursive_directory_iterator(dir / "fs")) {
                if (!entry.is_regular_file())
                    continue;
                fs::path const target = root / fs::relative(entry.path(), dir / "fs");
                fs::create_directories(target.parent_path());
                std::string text = test_data::read(entry.path());
                // "web_identity_token_file = /token.jwt" and the like.
                for (std::size_t at = 0; (at = text.find("= /", at)) != std::string::npos; at += 3)
                    text.insert(at + 2, root.string());
                std::ofstream(target, std::ios::binary) << text;
            }
        }
        auto const doc = boost::json::parse(test_data::read(dir / "env.json"));
        for (auto const& [name, value] : doc.as_object()) {
            std::string v(value.as_string());
            // Only the variables that name files move under the root; a relative URI such
            // as AWS_CONTAINER_CREDENTIALS_RELATIVE_URI starts with '/' too.
            std::string_view const n = name;
            if (v.starts_with("/") && (n == "HOME" || n.ends_with("_FILE")))
                v = root.string() + v;
            env[std::string(name)] = v;
        }
    }
    ~case_files() { fs::remove_all(root); }

    crowd::environment environment() const
    {
        return test_environment::env_of(env);
    }
};

// The moment the recordings were made against (the Rust harness's clock): the
// credentials they return are valid then.
std::chrono::system_clock::time_point recording_time()
{
    return std::chrono::system_clock::time_point(std::chrono::seconds(1234567890));
}

struct expected_error {
    errc code;
    std::string says;  // in our words
};

// What each error case means here. The data's own text is Rust's wording.
std::map<std::string, expected_error> const expected_errors{
    {"eks_pod_identity_no_token_file", {errc::invalid_configuration, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"}},
    {"imds_default_chain_error", {errc::credentials_not_found, "the instance has no IAM role"}},
    {"imds_disabled", {errc::credentials_not_found, "instance metadata is disabled (AWS_EC2_METADATA_DISABLED)"}},
    {"imds_no_iam_role", {errc::invalid_credentials, "credential_source Ec2InstanceMetadata: the instance has no IAM role"}},
    {"imds_token_fail", {errc::credentials_refused, "IMDS is disabled"}},
    {"profile_overrides_web_identity", {errc::invalid_credentials, "credential_source Environment"}},
    {"sso_no_token_file", {errc::invalid_credentials, "no SSO token is cached"}},
    {"sso_server_error", {errc::credentials_service_failed, "answered 503"}},
    {"web_identity_source_profile_no_env",
     {errc::invalid_credentials, "`web_identity_token_file` was specified but `role_arn` was missing"}},
    {"web_identity_token_invalid_jwt", {errc::credentials_refused, "InvalidIdentityToken"}},
    {"credential_process_failure", {errc::credential_process_failed, "exited with status 1"}},
    {"credential_process_invalid", {errc::credential_process_failed, "not a JSON object"}},
    {"empty_config", {errc::credentials_not_found, "no profile \"default\""}},
    {"invalid_config", {errc::profile_file_invalid, "Property did not have a name"}},
    {"invalid_sso_credentials_config", {errc::invalid_credentials, "access token instead of credentials"}},
    {"sso_token", {errc::invalid_credentials, "access token instead of credentials"}},
};

void run_case(fs::path const& dir, bool whole_chain)
{
    std::string const name = dir.filename().string();
    INFO("case " << name);
    case_files files(dir);
    replay fetch{read_traffic(dir / "http-traffic.json"), 0, {}};
    crowd::network_context context{.env = files.environment(),
                                   .fetch = std::ref(fetch),
                                   .now = recording_time,
                                   .pause = [](std::chrono::milliseconds) {}};
    crowd::result<sigv4::credentials> got = crowd::error(errc::credentials_not_found, "not run");
    if (whole_chain) {
        crowd::default_credentials_chain chain({.env = context.env, .now = context.now, .fetch = context.fetch,
                                                .pause = context.pause});
        got = chain.get();
    } else {
        got = crowd::profile_credentials_provider(crowd::profile_provider_options{.context = context}).get();
    }
    INFO((got ? "got credentials " + std::string(got->access_key_id())
              : "got error " + got.error().code().message() + ": " + std::string(got.error().detail())));
    for (auto const& m : fetch.mismatches)
        UNSCOPED_INFO("traffic: " << m);
    CHECK(fetch.mismatches.empty());

    auto const expected = boost::json::parse(test_data::read(dir / "test-case.json")).at("result").as_object();
    if (auto const* ok = expected.if_contains("Ok")) {
        REQUIRE(got);
        auto const& o = ok->as_object();
        CHECK(got->access_key_id() == o.at("access_key_id").as_string());
        CHECK(got->secret_access_key().reveal() == o.at("secret_access_key").as_string());
        if (auto const* token = o.if_contains("session_token"))
            CHECK(got->session_token().reveal() == token->as_string());
        else
            CHECK(got->session_token().reveal().empty());
        if (auto const* account = o.if_contains("account_id")) {
            REQUIRE(got->account_id());
            CHECK(*got->account_id() == account->as_string());
        }
        if (auto const* expiry = o.if_contains("expiry")) {
            REQUIRE(got->expiration());
            CHECK(std::chrono::duration_cast<std::chrono::seconds>(got->expiration()->time_since_epoch()).count() ==
                  expiry->as_int64());
        }
        CHECK(fetch.next == fetch.recorded.size());  // every recorded exchange was asked for
    } else {
        REQUIRE(got.has_error());
        auto const it = expected_errors.find(name);
        INFO("the data says: " << expected.at("ErrorContains").as_string());
        REQUIRE(it != expected_errors.end());
        CHECK(got.error() == it->second.code);
        CHECK(got.error().detail().find(it->second.says) != std::string_view::npos);
    }
}

// A profile chain as the data writes it: one JSON object per step.
boost::json::array chain_as_json(crowd::profile_chain const& chain)
{
    boost::json::array out;
    auto const& b = chain.base;
    auto role_fields = [](crowd::role_to_assume const& role, boost::json::object& o) {
        o["role_arn"] = role.role_arn;
        if (!role.session_name.empty())
            o["role_session_name"] = role.session_name;
        if (role.external_id)
            o["external_id"] = *role.external_id;
    };
    using kind = crowd::profile_base::kind;
    switch (b.what) {
    case kind::static_keys: {
        boost::json::object o{{"access_key_id", b.access_key_id}, {"secret_access_key", b.secret_access_key}};
        if (b.account_id)
            o["account_id"] = *b.account_id;
        out.push_back(boost::json::object{{"AccessKey", o}});
        break;
    }
    case kind::named_source: out.push_back(boost::json::object{{"NamedSource", b.source_name}}); break;
    case kind::web_identity: {
        boost::json::object o;
        role_fields(b.role, o);
        o["web_identity_token_file"] = b.token_file;
        out.push_back(boost::json::object{{"WebIdentityToken", o}});
        break;
    }
    case kind::sso: {
        boost::json::object o{{"sso_region", b.sso_region}, {"sso_start_url", b.sso_start_url}};
        if (b.sso_session)
            o["sso_session"] = *b.sso_session;
        if (b.sso_account_id)
            o["sso_account_id"] = *b.sso_account_id;
        if (b.sso_role_name)
            o["sso_role_name"] = *b.sso_role_name;
        out.push_back(boost::json::object{{"Sso", o}});
        break;
    }
    case kind::credential_process: out.push_back(boost::json::object{{"CredentialProcess", b.command}}); break;
    }
    for (auto const& role : chain.roles) {
        boost::json::object o;
        role_fields(role, o);
        out.push_back(boost::json::object{{"AssumeRole", o}});
    }
    return out;
}

crowd::profile as_profile(boost::json::value const& properties)
{
    crowd::profile p;
    for (auto const& [key, value] : properties.as_object())
        p[std::string(key)] = {std::string(value.as_string()), "config", 1};
    return p;
}

// Where our words differ from the data's (Rust's) for the same meaning.
std::map<std::string, std::string> const our_words{
    {"profile must contain `source_profile`", "must contain `source_profile` or `credential_source`"},
    {"profile missing aws_secret_access_key", "has aws_access_key_id but no aws_secret_access_key"},
    {"profile missing aws_access_key_id", "has aws_secret_access_key but no aws_access_key_id"},
    {"profile `B` did not contain credential information", "profile `B`: did not contain credential information"},
    {"profile `A` did not contain credential information", "profile `A`: did not contain credential information"},
    {"profile formed an infinite loop", "formed an infinite loop"},
};

}  // namespace

TEST_CASE("the default chain passes the AWS SDK for Rust's 29 conformance cases", "[credentials][conformance]")
{
    auto const cases = test_data::folders(chains_dir() / "default-credential-provider-chain");
    CHECK(cases.size() == 29);
    for (auto const& dir : cases)  // every case: none is left out
        run_case(dir, true);
}

TEST_CASE("the profile provider passes the AWS SDK for Rust's 18 conformance cases", "[credentials][conformance]")
{
    auto const cases = test_data::folders(chains_dir() / "profile-provider");
    CHECK(cases.size() == 18);
    for (auto const& dir : cases)
        run_case(dir, false);
}

TEST_CASE("profiles resolve to the assume-role chains of the AWS SDK for Rust's 28 cases", "[credentials][conformance]")
{
    auto const cases = boost::json::parse(test_data::read(chains_dir() / "assume-role-tests.json")).as_array();
    CHECK(cases.size() == 28);
    for (auto const& c : cases) {
        INFO(c.at("docs").as_string());
        auto const& input = c.at("input").as_object();
        crowd::profile_set set;
        for (auto const& [name, properties] : input.at("profiles").as_object())
            set.profiles[std::string(name)] = as_profile(properties);
        if (auto const* sessions = input.if_contains("sso_sessions"))
            for (auto const& [name, properties] : sessions->as_object())
                set.sso_sessions[std::string(name)] = as_profile(properties);
        auto const chain = crowd::resolve_profile_chain(set, std::string(input.at("selected_profile").as_string()));
        auto const& output = c.at("output").as_object();
        if (auto const* expected = output.if_contains("ProfileChain")) {
            INFO((chain ? std::string("resolved") : std::string(chain.error().detail())));
            REQUIRE(chain);
            boost::json::value const got = chain_as_json(*chain);
            INFO("got " << boost::json::serialize(got) << "\nexpected " << boost::json::serialize(*expected));
            CHECK(got == *expected);  // objects compare without regard to key order
        } else {
            REQUIRE(chain.has_error());
            std::string const theirs(output.at("Error").as_string());
            auto const ours = our_words.contains(theirs) ? our_words.at(theirs) : theirs;
            INFO("got: " << chain.error().detail());
            CHECK(chain.error().detail().find(ours) != std::string_view::npos);
        }
    }
}

TEST_CASE("container credential URIs are taken or refused as the AWS SDK for Rust's table says", "[credentials][conformance]")
{
    auto const cases = boost::json::parse(test_data::read(chains_dir() / "ecs-tests.json")).at("tests").as_array();
    CHECK(cases.size() == 11);
    auto run = [](std::map<std::string, std::string> env) {
        return crowd::container_credentials_provider({.env = test_environment::env_of(std::move(env))}).endpoint_url();
    };
    for (auto const& c : cases) {
        INFO(c.at("docs").as_string());
        std::map<std::string, std::string> env;
        for (auto const& [name, value] : c.at("env").as_object())
            env[std::string(name)] = value.as_string();
        auto const url = run(env);
        auto const& expected = c.at("result").as_object();
        if (auto const* ok = expected.if_contains("Ok")) {
            INFO((url ? *url : std::string(url.error().detail())));
            REQUIRE(url);
            CHECK(*url == ok->as_string());
        } else {
            REQUIRE(url.has_error());
            INFO(url.error().detail());
            std::string const theirs(expected.at("ErrorContains").as_string());
            if (theirs.starts_with("No environment variables"))
                CHECK(url.error() == errc::credentials_not_found);
            else
                CHECK(url.error().detail().find("not a URL") != std::string_view::npos);  // "did not specify a host"
        }
    }
    // Plain HTTP goes only where nobody else can listen; the data has no such row.
    for (char const* refused : {"http://example.com/credentials", "http://169.254.169.254/credentials",
                                "http://127.0.0.1.example.com/c", "http://128.0.0.1/c"}) {
        INFO(refused);
        auto const url = run({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", refused}});
        REQUIRE(url.has_error());
        CHECK(url.error() == errc::invalid_configuration);
        CHECK(url.error().detail().find("plain http is allowed only to loopback") != std::string_view::npos);
    }
    for (char const* allowed : {"http://127.0.0.2:9/c", "http://[::1]:8080/c", "https://example.com/c"}) {
        INFO(allowed);
        CHECK(run({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed}}));
    }
}

TEST_CASE("the instance metadata endpoint follows the AWS SDK for Rust's table", "[credentials][conformance]")
{
    auto const cases =
        boost::json::parse(test_data::read(chains_dir() / "imds-config" / "imds-endpoint-tests.json")).at("tests").as_array();
    CHECK(cases.size() == 14);
    for (auto const& c : cases) {
        INFO(c.at("docs").as_string());
        fs::path const dir = fs::temp_directory_path() / ("mturk-crowd-imds-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        std::map<std::string, std::string> env;
        for (auto const& [name, value] : c.at("env").as_object())
            env[std::string(name)] = value.as_string();
        crowd::profile selected;
        for (auto const& [name, text] : c.at("fs").as_object()) {
            std::ofstream(dir / std::string(name)) << std::string_view(text.as_string());
            auto const parsed = crowd::parse_profile_files(
                crowd::profile_file_text{std::string(name), std::string(text.as_string())}, std::nullopt);
            REQUIRE(parsed);
            if (parsed->profiles.contains("default"))
                selected = parsed->profiles.at("default");
        }
        crowd::instance_metadata_options options;
        if (auto const* e = c.as_object().if_contains("endpoint_override"))
            options.endpoint = std::string(e->as_string());
        if (auto const* m = c.as_object().if_contains("mode_override"))
            options.endpoint_mode = std::string(m->as_string());
        crowd::instance_metadata_credentials_provider const provider(
            {.env = test_environment::env_of(env)},
            options, selected);
        auto const url = provider.endpoint_url();
        auto const& expected = c.at("result").as_object();
        if (auto const* ok = expected.if_contains("Ok")) {
            INFO((url ? *url : std::string(url.error().detail())));
            REQUIRE(url);
            CHECK(*url + "/latest/api/token" == ok->as_string());
        } else {
            REQUIRE(url.has_error());
            INFO(url.error().detail());
            CHECK(url.error() == errc::invalid_configuration);
            std::string const theirs(expected.at("Err").as_string());
            CHECK(url.error().detail().find(theirs == "invalid uri character" ? "not a URL" : theirs) !=
                  std::string_view::npos);
        }
        fs::remove_all(dir);
    }
}
