// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SETTINGS_PROFILE_FILE_HPP
#define MTURK_CROWD_SETTINGS_PROFILE_FILE_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/settings/environment.hpp>

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/* The AWS shared configuration files, ~/.aws/config and ~/.aws/credentials, read the
   way every AWS SDK reads them (Specification: the SDKs' shared config/credentials
   file conformance suites, tests/data/aws-profile-files). */
namespace mturk::crowd {

/// One property, with where it was defined (for error messages).
struct profile_property {
    std::string value;
    std::string file;
    int line = 0;
};

/// A profile's properties by lower-cased name.
using profile = std::map<std::string, profile_property>;

struct profile_set {
    std::map<std::string, profile> profiles;
    std::map<std::string, profile> sso_sessions;  ///< [sso-session NAME] sections of the config file, kept apart
    /// [services NAME] sections of the config file: per-service settings, each service's
    /// as sub-properties ("sts =" then indented "endpoint_url = ..."), which
    /// `sub_property` reads. A profile names its section with `services = NAME`.
    std::map<std::string, profile> services;
};

/// One sub-property of a property whose value is a block of indented `key = value`
/// lines (`[services]` sections); empty when absent.
MTURK_CROWD_DECL std::optional<std::string> sub_property(profile_property const& property, std::string_view key);

/// The text of one file and the name to use for it in messages.
struct profile_file_text {
    std::string name;
    std::string text;
};

namespace detail {

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

constexpr std::string_view trim_blanks(std::string_view s) noexcept
{
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

/// Profile and property names: letters, digits and `_ - / . % @ : +`.
constexpr bool is_identifier(std::string_view s) noexcept
{
    if (s.empty())
        return false;
    for (char c : s) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-' || c == '/' || c == '.' || c == '%' || c == '@' || c == ':' || c == '+';
        if (!ok)
            return false;
    }
    return true;
}

/// A property value ends where " #" or " ;" (a comment after white space) begins.
constexpr std::string_view strip_value_comment(std::string_view value) noexcept
{
    for (std::size_t i = 1; i < value.size(); ++i)
        if ((value[i] == '#' || value[i] == ';') && is_blank(value[i - 1]))
            return value.substr(0, i);
    return value;
}

MTURK_CROWD_DECL std::string lower(std::string_view s);

enum class file_kind { config, credentials };

/// One file's sections in order; the merge rules are applied afterwards.
struct parsed_section {
    enum class kind { profile, default_unprefixed, sso_session, services, ignored } type;
    std::string name;
    profile properties;
};

MTURK_CROWD_DECL result<std::vector<parsed_section>> parse_one_file(profile_file_text const& file, file_kind kind);

MTURK_CROWD_DECL void merge_into(profile& target, profile const& source);

}  // namespace detail

/** Parses the config and credentials files (either may be absent) and merges them:
    profiles of one name merge, the last definition of a property wins, credentials-file
    properties win over config-file ones, and in the config file `[profile default]`
    replaces `[default]`. Invalid profile or property names are ignored, as the SDKs do.

    Errors: `errc::profile_file_invalid`, whose detail names the file, the line and the problem.
*/
MTURK_CROWD_DECL result<profile_set> parse_profile_files(std::optional<profile_file_text> const& config,
                                               std::optional<profile_file_text> const& credentials);

/// Where the shared files are, and which profile is selected.
struct profile_locations {
    std::string config_file;
    std::string credentials_file;
    std::string profile;
};

enum class platform { posix, windows };

/** The SDKs' rules: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` override
    `<home>/.aws/config` and `<home>/.aws/credentials`; home is `HOME`, and on Windows
    then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`; a leading `~/` is the home folder;
    the profile is `AWS_PROFILE` or "default". Without a home folder, a path that needs
    it is left empty (no file is read). */
MTURK_CROWD_DECL profile_locations locate_profile_files(environment const& env, platform on = platform::posix);

/// Reads one profile file. A missing file is no error (most machines have neither); one
/// that exists but cannot be read is. Errors: `errc::profile_file_invalid`.
MTURK_CROWD_DECL result<std::optional<profile_file_text>> read_profile_file(std::string const& path);

/// The shared files where `env` says they are, read and parsed. Errors: those of
/// `read_profile_file` and `parse_profile_files`.
MTURK_CROWD_DECL result<profile_set> load_profile_files(profile_locations const& where);

/// A setting found the SDKs' way, and where: `origin` is the variable's name when
/// `from_environment`, else "<file> line <n>" of the profile.
struct located_setting {
    std::string value;
    bool from_environment = false;
    std::string origin;
};

/// The first of `variables` set (and not empty) in `env`, else `key` of `selected` (when
/// given and not empty), else nothing.
MTURK_CROWD_DECL std::optional<located_setting> env_or_profile(environment const& env, profile const* selected,
                                                               std::initializer_list<char const*> variables,
                                                               std::string_view key);

/// One setting of the selected profile (`AWS_PROFILE`, else "default"), with the file and
/// line it came from; empty when the files, the profile or the key are absent.
MTURK_CROWD_DECL result<std::optional<profile_property>> selected_profile_setting(environment const& env, std::string_view key);

}  // namespace mturk::crowd

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/settings/impl/profile_file.ipp>
#endif

#endif
