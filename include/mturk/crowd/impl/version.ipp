// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_IMPL_VERSION_IPP
#define MTURK_CROWD_IMPL_VERSION_IPP

#include <mturk/crowd/version.hpp>

#define MTURK_CROWD_DETAIL_STRINGIZE2(x) #x
#define MTURK_CROWD_DETAIL_STRINGIZE(x) MTURK_CROWD_DETAIL_STRINGIZE2(x)

namespace mturk::crowd {

MTURK_CROWD_DECL library_version version() noexcept { return header_version; }

MTURK_CROWD_DECL std::string_view version_string() noexcept
{
    return MTURK_CROWD_DETAIL_STRINGIZE(MTURK_CROWD_VERSION_MAJOR) "." MTURK_CROWD_DETAIL_STRINGIZE(
        MTURK_CROWD_VERSION_MINOR) "." MTURK_CROWD_DETAIL_STRINGIZE(MTURK_CROWD_VERSION_PATCH);
}

}  // namespace mturk::crowd

#undef MTURK_CROWD_DETAIL_STRINGIZE
#undef MTURK_CROWD_DETAIL_STRINGIZE2

#endif
