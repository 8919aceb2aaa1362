// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_HPP
#define MTURK_CROWD_HPP

// Everything the library offers. Include the single headers instead to compile less.
#include <mturk/crowd/core.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/http_text.hpp>
#include <mturk/crowd/log_redaction.hpp>
#include <mturk/crowd/sigv4/credential_providers.hpp>
#include <mturk/crowd/sigv4/signer.hpp>
#include <mturk/crowd/sigv4/signing_context.hpp>

#endif
