// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// What `crowd --version` and `crowd-emulator --version` print: the tool's version in the
// GNU form help2man reads (first line), then the versions that decide its behaviour: the
// library that runs (the compiled copy's, if the tool was linked with one), the Boost it
// was compiled with, and the OpenSSL it runs with beside the one it was compiled with.
#ifndef MTURK_CROWD_TOOLS_COMMON_VERSION_TEXT_HPP
#define MTURK_CROWD_TOOLS_COMMON_VERSION_TEXT_HPP

#include <mturk/crowd/version.hpp>

#include <boost/version.hpp>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include <string>
#include <string_view>

namespace crowd_tools {

inline std::string version_text(std::string_view tool)
{
    auto const number = [](mturk::crowd::library_version v) {
        return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
    };
    std::string text(tool);
    text += " (mturk-crowd-cpp) " + number(mturk::crowd::header_version);
    text += "\nlibrary: mturk-crowd-cpp " + number(mturk::crowd::version());
    text += "\nBoost: " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
            std::to_string(BOOST_VERSION % 100);
    text += "\nOpenSSL: ";
    text += ::OpenSSL_version(OPENSSL_VERSION);
    text += " (built with " OPENSSL_VERSION_TEXT ")\n";
    return text;
}

}  // namespace crowd_tools

#endif
