// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// Where the reference data (tests/data) is, and reading it. A missing folder or file fails the
// test that needs it, loudly: a suite that silently finds no cases proves nothing.
#ifndef MTURK_CROWD_TESTS_TEST_DATA_HPP
#define MTURK_CROWD_TESTS_TEST_DATA_HPP

#include <catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace test_data {

inline std::filesystem::path root()
{
    std::filesystem::path const dir = MTURK_CROWD_TESTDATA_DIR;
    INFO("test data folder: " << dir.string() << " (CMake cache variable MTURK_CROWD_TESTDATA_DIR)");
    REQUIRE(std::filesystem::is_directory(dir));
    return dir;
}

inline std::string read(std::filesystem::path const& file)
{
    INFO("reading " << file.string());
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The sub-folders of `dir`, sorted, so that a run is repeatable.
inline std::vector<std::filesystem::path> folders(std::filesystem::path const& dir)
{
    INFO("folder: " << dir.string());
    REQUIRE(std::filesystem::is_directory(dir));
    std::vector<std::filesystem::path> out;
    for (auto const& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_directory())
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace test_data

#endif
