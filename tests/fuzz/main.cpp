// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// crowd-fuzz: every fuzz target of the project behind libFuzzer, one chosen by name.
#include "fuzz_target.hpp"

#include <cstring>
#include <string>

namespace {

fuzz::target const* chosen = nullptr;

fuzz::target const* find_target(std::string_view name)
{
    for (auto list : {fuzz::document_targets(), fuzz::credential_targets(), fuzz::network_targets()})
        for (auto const& t : list)
            if (t.name == name)
                return &t;
    return nullptr;
}

[[noreturn]] void usage()
{
    std::fputs("usage: crowd-fuzz TARGET [libFuzzer options] [corpus folders or inputs]\ntargets:", stderr);
    for (auto list : {fuzz::document_targets(), fuzz::credential_targets(), fuzz::network_targets()})
        for (auto const& t : list)
            std::fprintf(stderr, " %.*s", static_cast<int>(t.name.size()), t.name.data());
    std::fputs("\n", stderr);
    std::exit(2);
}

}  // namespace

// libFuzzer calls this before it reads its options: the target's name is taken out of
// the arguments, and kept in the environment for the processes libFuzzer starts itself
// (-fork, -jobs), which it gives its own options only.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    if (*argc >= 2 && (*argv)[1][0] != '-' && (chosen = find_target((*argv)[1]))) {
        ::setenv("CROWD_FUZZ_TARGET", (*argv)[1], 1);
        for (int i = 1; i + 1 < *argc; ++i)
            (*argv)[i] = (*argv)[i + 1];
        --*argc;
        (*argv)[*argc] = nullptr;
        return 0;
    }
    if (char const* named = std::getenv("CROWD_FUZZ_TARGET"); named && (chosen = find_target(named)))
        return 0;
    usage();
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    chosen->run(std::string_view(reinterpret_cast<char const*>(data), size));
    return 0;
}
