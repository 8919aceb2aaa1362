// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_SETTINGS_IMPL_PROFILE_FILE_IPP
#define MTURK_CROWD_SETTINGS_IMPL_PROFILE_FILE_IPP

#include <mturk/crowd/settings/profile_file.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace mturk::crowd {
namespace detail {

MTURK_CROWD_DECL std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

MTURK_CROWD_DECL result<std::vector<parsed_section>> parse_one_file(profile_file_text const& file, file_kind kind)
{
    std::vector<parsed_section> sections;
    parsed_section* current = nullptr;
    std::string current_property;  // empty: no property yet in this section
    bool sub_properties = false;
    bool ignore_property = false;
    int line_number = 0;
    auto fail = [&](std::string const& problem) -> error {
        return {errc::profile_file_invalid, file.name + " line " + std::to_string(line_number) + ": " + problem};
    };

    std::string_view text = file.text;
    while (!text.empty() || line_number == 0) {
        ++line_number;
        auto const end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);

        if (trim_blanks(line).empty())
            continue;
        if (line.front() == '#' || line.front() == ';')
            continue;

        if (is_blank(line.front())) {  // a continuation
            if (!current)
                return fail("Expected a profile definition, found a continuation line");
            if (current_property.empty())
                return fail("Expected a property definition, found continuation");
            std::string_view const content = trim_blanks(line);
            if (sub_properties) {
                auto const eq = content.find('=');
                if (eq == std::string_view::npos)
                    return fail("Expected an '=' sign defining a sub-property");
                if (trim_blanks(content.substr(0, eq)).empty())
                    return fail("Sub-property did not have a name");
            }
            if (ignore_property)
                continue;
            auto& value = current->properties[current_property].value;
            value += '\n';
            value += content;
            continue;
        }

        if (line.front() == '[') {
            auto const close = line.find(']');
            if (close == std::string_view::npos)
                return fail("Profile definition must end with ']'");
            std::string_view const after = trim_blanks(line.substr(close + 1));
            if (!after.empty() && after.front() != '#' && after.front() != ';')
                return fail("Profile definition must end with ']' (found text after it)");
            std::string_view const inside = trim_blanks(line.substr(1, close - 1));
            parsed_section section{parsed_section::kind::ignored, {}, {}};
            auto prefixed = [&](std::string_view prefix) -> std::optional<std::string_view> {
                if (inside.size() > prefix.size() && inside.substr(0, prefix.size()) == prefix &&
                    is_blank(inside[prefix.size()]))
                    return trim_blanks(inside.substr(prefix.size()));
                return std::nullopt;
            };
            if (kind == file_kind::config) {
                if (auto name = prefixed("profile")) {
                    if (is_identifier(*name))
                        section = {parsed_section::kind::profile, std::string(*name), {}};
                } else if (auto sso = prefixed("sso-session")) {
                    if (is_identifier(*sso))
                        section = {parsed_section::kind::sso_session, std::string(*sso), {}};
                } else if (auto services = prefixed("services")) {
                    if (is_identifier(*services))
                        section = {parsed_section::kind::services, std::string(*services), {}};
                } else if (inside == "default") {
                    section = {parsed_section::kind::default_unprefixed, "default", {}};
                }
            } else if (!prefixed("profile") && is_identifier(inside)) {
                section = {parsed_section::kind::profile, std::string(inside), {}};
            }
            sections.push_back(std::move(section));
            current = &sections.back();
            current_property.clear();
            sub_properties = false;
            continue;
        }

        // A property definition.
        if (!current)
            return fail("Expected a profile definition");
        auto const eq = line.find('=');
        if (eq == std::string_view::npos)
            return fail("Expected an '=' sign defining a property");
        std::string_view const name = trim_blanks(line.substr(0, eq));
        if (name.empty())
            return fail("Property did not have a name");
        std::string_view const value = trim_blanks(strip_value_comment(trim_blanks(line.substr(eq + 1))));
        current_property = lower(name);
        sub_properties = value.empty();
        // A property of an invalid name is dropped, with its continuation lines.
        ignore_property = current->type == parsed_section::kind::ignored || !is_identifier(name);
        if (!ignore_property)
            current->properties[current_property] = {std::string(value), file.name, line_number};
    }
    return sections;
}

MTURK_CROWD_DECL void merge_into(profile& target, profile const& source)
{
    for (auto const& [name, property] : source)
        target[name] = property;
}

}  // namespace
}  // namespace

namespace mturk::crowd {

MTURK_CROWD_DECL std::optional<located_setting> env_or_profile(environment const& env, profile const* selected,
                                                               std::initializer_list<char const*> variables,
                                                               std::string_view key)
{
    for (char const* variable : variables)
        if (auto v = env(variable); v && !v->empty())
            return located_setting{std::move(*v), true, variable};
    if (selected)
        if (auto const it = selected->find(std::string(key)); it != selected->end() && !it->second.value.empty())
            return located_setting{it->second.value, false, it->second.file + " line " + std::to_string(it->second.line)};
    return std::nullopt;
}

MTURK_CROWD_DECL std::optional<std::string> sub_property(profile_property const& property, std::string_view key)
{
    std::string_view rest = property.value;
    while (!rest.empty()) {
        auto const end = rest.find('\n');
        std::string_view const line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        auto const eq = line.find('=');
        if (eq == std::string_view::npos)
            continue;
        if (detail::lower(detail::trim_blanks(line.substr(0, eq))) == key)
            return std::string(detail::trim_blanks(detail::strip_value_comment(detail::trim_blanks(line.substr(eq + 1)))));
    }
    return std::nullopt;
}

MTURK_CROWD_DECL result<profile_set> parse_profile_files(std::optional<profile_file_text> const& config,
                                               std::optional<profile_file_text> const& credentials)
{
    profile_set out;
    if (config) {
        auto sections = detail::parse_one_file(*config, detail::file_kind::config);
        if (!sections)
            return sections.error();
        bool const has_prefixed_default = std::any_of(sections->begin(), sections->end(), [](auto const& s) {
            return s.type == detail::parsed_section::kind::profile && s.name == "default";
        });
        for (auto const& s : *sections) {
            using kind = detail::parsed_section::kind;
            if (s.type == kind::profile || (s.type == kind::default_unprefixed && !has_prefixed_default))
                detail::merge_into(out.profiles[s.name], s.properties);
            else if (s.type == kind::sso_session)
                detail::merge_into(out.sso_sessions[s.name], s.properties);
            else if (s.type == kind::services)
                detail::merge_into(out.services[s.name], s.properties);
        }
    }
    if (credentials) {
        auto sections = detail::parse_one_file(*credentials, detail::file_kind::credentials);
        if (!sections)
            return sections.error();
        for (auto const& s : *sections)
            if (s.type == detail::parsed_section::kind::profile)
                detail::merge_into(out.profiles[s.name], s.properties);
    }
    return out;
}

MTURK_CROWD_DECL profile_locations locate_profile_files(environment const& env, platform on)
{
    char const sep = on == platform::windows ? '\\' : '/';
    auto get = [&](std::string_view name) -> std::string {
        auto v = env(name);
        return v ? *v : std::string();
    };
    std::string home = get("HOME");
    if (home.empty() && on == platform::windows) {
        home = get("USERPROFILE");
        if (home.empty() && !get("HOMEDRIVE").empty())
            home = get("HOMEDRIVE") + get("HOMEPATH");
    }
    auto in_home = [&](std::string_view file) -> std::string {
        if (home.empty())
            return {};
        return home + sep + ".aws" + sep + std::string(file);
    };
    auto expand = [&](std::string path) -> std::string {
        if (path.size() >= 2 && path[0] == '~' && (path[1] == '/' || path[1] == sep))
            return home.empty() ? std::string() : home + path.substr(1);
        return path;
    };
    profile_locations out;
    std::string const config_override = get("AWS_CONFIG_FILE");
    std::string const credentials_override = get("AWS_SHARED_CREDENTIALS_FILE");
    out.config_file = config_override.empty() ? in_home("config") : expand(config_override);
    out.credentials_file = credentials_override.empty() ? in_home("credentials") : expand(credentials_override);
    std::string const selected = get("AWS_PROFILE");
    out.profile = selected.empty() ? "default" : selected;
    return out;
}

MTURK_CROWD_DECL result<std::optional<profile_file_text>> read_profile_file(std::string const& path)
{
    if (path.empty())
        return std::optional<profile_file_text>();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return std::optional<profile_file_text>();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return error(errc::profile_file_invalid, path + ": exists but cannot be read");
    return std::optional<profile_file_text>(
        profile_file_text{path, std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())});
}

MTURK_CROWD_DECL result<profile_set> load_profile_files(profile_locations const& where)
{
    auto config = read_profile_file(where.config_file);
    if (!config)
        return config.error();
    auto credentials = read_profile_file(where.credentials_file);
    if (!credentials)
        return credentials.error();
    return parse_profile_files(*config, *credentials);
}

MTURK_CROWD_DECL result<std::optional<profile_property>> selected_profile_setting(environment const& env, std::string_view key)
{
    auto const where = locate_profile_files(env);
    auto files = load_profile_files(where);
    if (!files)
        return files.error();
    auto const profile = files->profiles.find(where.profile);
    if (profile == files->profiles.end())
        return std::optional<profile_property>();
    auto const property = profile->second.find(std::string(key));
    if (property == profile->second.end() || property->second.value.empty())
        return std::optional<profile_property>();
    return std::optional<profile_property>(property->second);
}

}  // namespace

#endif
