// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_FILE_CACHE_HPP
#define MTURK_CROWD_CREDENTIALS_FILE_CACHE_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/settings/environment.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>
#include <mturk/crowd/credentials/sts.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

/* Assumed-role and web-identity credentials kept across processes, in the aws CLI's
   place and format: ~/.aws/cli/cache/<key>.json, where the key is the hex SHA-1 of the
   call's arguments as botocore writes them (`json.dumps(args, sort_keys=True)`, without
   RoleSessionName), and the file holds {"Credentials": {"AccessKeyId", "SecretAccessKey",
   "SessionToken", "Expiration"}}, as STS's answer has them (the aws CLI's files also
   hold "AssumedRoleUser", whose ARN gives the account). So `crowd` and the aws CLI share what they fetched, and a
   shell loop of `crowd` commands asks STS once until the credentials near expiry (15
   minutes ahead, botocore's window). Files are written whole (a temporary, then a
   rename) with mode 0600, in a folder of mode 0700.

   The SDKs do not cache to disk; only the CLIs do. A library user opts in through
   `client_config::credentials_cache` or the chain's options. */
namespace mturk::crowd {

class credentials_file_cache {
public:
    /// A cache in `folder` (created when first written).
    explicit credentials_file_cache(std::string folder) : folder_(std::move(folder)) {}

    /// The aws CLI's: $HOME/.aws/cli/cache. Errors: `errc::invalid_configuration` without HOME.
    MTURK_CROWD_DECL static result<credentials_file_cache> aws_cli(environment const& env);

    /** The credentials kept under `key`, if they are still good for `window` after `now`
        (botocore refreshes 15 minutes ahead). A file that cannot be read or is not in the
        format is passed over (and rewritten on the next store), as botocore does. */
    MTURK_CROWD_DECL std::optional<sigv4::credentials> load(std::string const& key, sigv4::credentials::time_point now,
                                                            std::chrono::seconds window = std::chrono::minutes(15)) const;

    /// Keeps `creds` (temporary: with an expiry) under `key`; their account goes in as
    /// `Credentials.AccountId`, which botocore passes over. Errors: the file system's, said
    /// with the path.
    MTURK_CROWD_DECL result<void> store(std::string const& key, sigv4::credentials const& creds) const;

    /// The file of `key`.
    std::string path_of(std::string const& key) const { return folder_ + "/" + key + ".json"; }
    std::string const& folder() const noexcept { return folder_; }

private:
    std::string folder_;
};

/** The cache key of an AssumeRole or AssumeRoleWithWebIdentity call for `role`, as the
    aws CLI names its files: the hex SHA-1 of `{"DurationSeconds": N, "ExternalId": "...",
    "RoleArn": "...", "SerialNumber": "..."}` (the keys present, sorted, with Python's
    separators; RoleSessionName and the web identity token left out, as botocore does).
    Errors: `errc::signing_failed` when libcrypto cannot hash. */
MTURK_CROWD_DECL result<std::string> role_cache_key(role_to_assume const& role);

namespace detail {

/** Writes `text` to `path` whole, readable by its owner only (0600 whatever the umask):
    a temporary beside it, then a rename, so a reader never sees half a file. `folder`s
    missing on the way are made, the last one 0700. Errors: the file system's, with the
    path. */
MTURK_CROWD_DECL result<void> write_private_file(std::string const& folder, std::string const& path,
                                                 std::string const& text);

}  // namespace detail

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/file_cache.ipp>
#endif

#endif
