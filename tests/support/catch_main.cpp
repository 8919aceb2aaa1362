// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The main of every Catch2 test binary (v2 and v3), compiled once.
#if __has_include(<catch2/catch_session.hpp>)
#include <catch2/catch_session.hpp>
#else
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#endif

#include <cstdlib>

int main(int argc, char* argv[])
{
    // The tests never reach instance metadata, a container endpoint or a developer's
    // proxy: the ones that exercise those give them fakes on 127.0.0.1 explicitly. (CTest
    // sets the same, but a binary may be run by hand.)
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    for (char const* name : {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                             "AWS_WEB_IDENTITY_TOKEN_FILE", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"})
        ::unsetenv(name);
    return Catch::Session().run(argc, argv);
}
