// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_TESTS_FUZZ_TARGET_HPP
#define MTURK_CROWD_TESTS_FUZZ_TARGET_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

/* The fuzz targets: one binary (crowd-fuzz), one target a run, chosen by name
   (`crowd-fuzz <target> [libFuzzer options] [corpus folders]`), so that a dozen targets
   cost one link and share one instrumented copy of the library. */
namespace fuzz {

struct target {
    std::string_view name;
    void (*run)(std::string_view input);
};

std::span<target const> document_targets();
std::span<target const> credential_targets();
std::span<target const> network_targets();

/// An input as fields separated by a line "~~" (readable seed files; a field may hold
/// anything but that line).
inline std::vector<std::string_view> fields(std::string_view input)
{
    std::vector<std::string_view> out;
    constexpr std::string_view separator = "\n~~\n";
    for (;;) {
        auto const at = input.find(separator);
        if (at == std::string_view::npos) {
            out.push_back(input);
            return out;
        }
        out.push_back(input.substr(0, at));
        input.remove_prefix(at + separator.size());
    }
}

/// The `i`th field, or empty.
inline std::string_view field(std::vector<std::string_view> const& all, std::size_t i)
{
    return i < all.size() ? all[i] : std::string_view{};
}

}  // namespace fuzz

/// A property every input must keep; its failure is a finding like a crash.
#define FUZZ_CHECK(condition)                                                                          \
    do {                                                                                               \
        if (!(condition)) {                                                                            \
            std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #condition);     \
            std::abort();                                                                              \
        }                                                                                              \
    } while (false)

#endif
