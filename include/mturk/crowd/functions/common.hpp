// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_COMMON_HPP
#define MTURK_CROWD_FUNCTIONS_COMMON_HPP

// What the 13 function headers share, one concern a header.
#include <mturk/crowd/function.hpp>            // function<>, the descriptor
#include <mturk/crowd/functions/limits.hpp>     // input_limit, validate()'s checks
#include <mturk/crowd/functions/open_enum.hpp>  // values of closed sets that keep unknown ones
#include <mturk/crowd/functions/values.hpp>     // image, examples, targets, spans, label matches

#include <boost/describe/class.hpp>

#endif
