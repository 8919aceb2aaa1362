// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_IMPL_FILE_CACHE_IPP
#define MTURK_CROWD_CREDENTIALS_IMPL_FILE_CACHE_IPP

#include <mturk/crowd/credentials/file_cache.hpp>
#include <mturk/crowd/detail/iso8601.hpp>
#include <mturk/crowd/detail/json_text.hpp>
#include <mturk/crowd/detail/utf8.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace mturk::crowd {

namespace detail {

MTURK_CROWD_DECL result<void> write_private_file(std::string const& folder, std::string const& target,
                                                 std::string const& document)
{
    // Each folder of the path, the last one private: it holds secrets.
    for (std::size_t at = 1; at <= folder.size(); ++at) {
        if (at != folder.size() && folder[at] != '/')
            continue;
        std::string const prefix = folder.substr(0, at);
        if (::mkdir(prefix.c_str(), at == folder.size() ? 0700 : 0755) != 0 && errno != EEXIST)
            return error(errc::invalid_configuration, "the folder " + prefix + " cannot be made: " + std::strerror(errno));
    }
    // Written whole, then renamed over the old one: a reader never sees half a file.
    std::string const temporary = target + ".tmp" + std::to_string(::getpid());
    int const fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return error(errc::invalid_configuration, "the file " + temporary +
                                                      " cannot be written: " + std::strerror(errno));
    ::fchmod(fd, 0600);  // whatever the umask
    bool written = true;
    for (std::size_t done = 0; done < document.size();) {
        auto const n = ::write(fd, document.data() + done, document.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            written = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    int const error_number = errno;
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), target.c_str()) != 0) {
        ::unlink(temporary.c_str());
        return error(errc::invalid_configuration, "the file " + target +
                                                      " cannot be written: " + std::strerror(written ? errno : error_number));
    }
    return {};
}

}  // namespace detail

MTURK_CROWD_DECL result<std::string> role_cache_key(role_to_assume const& role)
{
    // Sorted keys: DurationSeconds, ExternalId, RoleArn, SerialNumber. The values are
    // printable ASCII (what IAM allows in ARNs, external ids and MFA serials), which
    // JSON writes as Python's json.dumps does.
    std::string args = "{";
    auto field = [&](char const* name) {
        if (args.size() > 1)
            args += ", ";
        args += '"';
        args += name;
        args += "\": ";
    };
    if (role.duration) {
        field("DurationSeconds");
        args += std::to_string(role.duration->count());
    }
    if (role.external_id) {
        field("ExternalId");
        crowd::detail::append_json_string(args, *role.external_id);
    }
    field("RoleArn");
    crowd::detail::append_json_string(args, role.role_arn);
    if (role.mfa_serial) {
        field("SerialNumber");
        crowd::detail::append_json_string(args, *role.mfa_serial);
    }
    args += '}';
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(args.data(), args.size(), digest, &length, EVP_sha1(), nullptr) != 1)
        return error(errc::signing_failed, "libcrypto could not compute the SHA-1 of a credentials cache key");
    std::string key;
    for (unsigned i = 0; i != length; ++i)
        crowd::detail::append_hex(key, digest[i]);
    return key;
}

MTURK_CROWD_DECL auto credentials_file_cache::aws_cli(environment const& env) -> result<credentials_file_cache>
{
    auto home = env("HOME");
    if (!home || home->empty())
        return error(errc::invalid_configuration, "the aws CLI's credentials cache needs a home folder: HOME is not set");
    return credentials_file_cache(*home + "/.aws/cli/cache");
}

MTURK_CROWD_DECL auto credentials_file_cache::load(std::string const& key, sigv4::credentials::time_point now,
                                                   std::chrono::seconds window) const -> std::optional<sigv4::credentials>
{
    std::ifstream in(path_of(key), std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string const text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    boost::system::error_code ec;
    auto const doc = boost::json::parse(text, ec);
    auto const* object = !ec ? doc.if_object() : nullptr;
    auto const* c = object && object->if_contains("Credentials") ? object->at("Credentials").if_object() : nullptr;
    if (!c)
        return std::nullopt;
    auto text_of = [&](boost::json::object const& o, char const* name) -> std::string {
        auto const* v = o.if_contains(name);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    auto const expires = crowd::detail::parse_iso8601_utc(text_of(*c, "Expiration"));
    if (!expires || *expires - window <= now)
        return std::nullopt;  // expired, or within botocore's window: fetched again
    auto made = sigv4::credentials::make(text_of(*c, "AccessKeyId"), text_of(*c, "SecretAccessKey"),
                                         text_of(*c, "SessionToken"), *expires);
    if (!made)
        return std::nullopt;
    // The account: ours (Credentials' AccountId), or the aws CLI's (AssumedRoleUser's ARN).
    if (auto account = text_of(*c, "AccountId"); account.size() == 12)
        return made->with_account_id(std::move(account));
    auto const* user = object->if_contains("AssumedRoleUser") ? object->at("AssumedRoleUser").if_object() : nullptr;
    if (user)
        if (auto account = detail::account_of_arn(text_of(*user, "Arn")))
            return made->with_account_id(std::move(*account));
    return *made;
}

MTURK_CROWD_DECL auto credentials_file_cache::store(std::string const& key, sigv4::credentials const& creds) const
    -> result<void>
{
    if (!creds.expiration())
        return error(errc::invalid_credentials, "only temporary credentials (with an expiry) are cached");
    std::string document = "{\"Credentials\": {\"AccessKeyId\": ";
    crowd::detail::append_json_string(document, creds.access_key_id());
    document += ", \"SecretAccessKey\": ";
    crowd::detail::append_json_string(document, creds.secret_access_key().reveal());
    document += ", \"SessionToken\": ";
    crowd::detail::append_json_string(document, creds.session_token().reveal());
    document += ", \"Expiration\": \"" + crowd::detail::format_iso8601_utc(*creds.expiration()) + "\"";
    if (creds.account_id()) {  // a member botocore passes over: the account the role's ARN said
        document += ", \"AccountId\": ";
        crowd::detail::append_json_string(document, *creds.account_id());
    }
    document += "}}";
    return detail::write_private_file(folder_, path_of(key), document);
}

}  // namespace mturk::crowd

#endif
