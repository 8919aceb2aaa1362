// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_CREDENTIALS_CREDENTIALS_JSON_HPP
#define MTURK_CROWD_CREDENTIALS_CREDENTIALS_JSON_HPP

#include <mturk/crowd/detail/config.hpp>
#include <mturk/crowd/error.hpp>
#include <mturk/crowd/sigv4/credentials.hpp>

#include <string>
#include <string_view>

namespace mturk::crowd::detail {

/** Reads the JSON credentials that instance metadata and container endpoints answer
    with: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` (ISO 8601), optional
    `AccountId`, and for instance metadata `Code` ("Success", else `Message` says why).
    `source` names the service in errors; secrets are never quoted.
    Errors: `errc::credentials_answer_invalid`, `errc::credentials_refused` (a `Code` that is not Success). */
MTURK_CROWD_DECL result<sigv4::credentials> read_credentials_json(std::string_view body, std::string const& source);

}  // namespace mturk::crowd::detail

#if !defined(MTURK_CROWD_SEPARATE_COMPILATION)
#include <mturk/crowd/credentials/impl/credentials_json.ipp>
#endif

#endif
