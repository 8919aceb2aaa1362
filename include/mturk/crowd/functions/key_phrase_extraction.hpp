// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_KEY_PHRASE_EXTRACTION_HPP
#define MTURK_CROWD_FUNCTIONS_KEY_PHRASE_EXTRACTION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// `{"text": 1..1600 characters}`
struct key_phrase_extraction_input {
    std::string text;

    void check_limits(detail::limits_check& check) const { check.text("text", text, 1, 1600); }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(key_phrase_extraction_input const&, key_phrase_extraction_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(key_phrase_extraction_input, (), (text))

/** `{"keyPhrases": [span...]}` (empty when there are none); spans wrapped
    (`{"span":{...}}`, documented) or flat (`{"start","end","text"}`, observed). */
struct key_phrase_extraction_result {
    std::vector<span> key_phrases;
    friend bool operator==(key_phrase_extraction_result const&, key_phrase_extraction_result const&) = default;
};

inline boost::json::value mturk_crowd_write_json(key_phrase_extraction_result const& r)
{
    return boost::json::object{{"keyPhrases", detail::span_list(r.key_phrases)}};
}
inline boost::json::value mturk_crowd_json_shape(key_phrase_extraction_result const*)
{
    return boost::json::object{{"keyPhrases", boost::json::array{boost::json::object{{"span", json_shape<span>()}}}}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, key_phrase_extraction_result& out,
                                  crowd::detail::json_failure& failure)
{
    auto const* o = v.if_object();
    if (!o)
        return crowd::detail::wrong_type(v, "an object", failure);
    auto const* list = o->if_contains("keyPhrases");
    if (!list) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        failure.prefix_key("keyPhrases");
        return false;
    }
    if (!detail::read_span_list(*list, out.key_phrases, failure)) {
        failure.prefix_key("keyPhrases");
        return false;
    }
    return true;
}

/** key-phrase-extraction: the phrases that carry a text's meaning.
    Specification: docs/key-phrase-extraction/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using key_phrase_extraction = function<"key-phrase-extraction", key_phrase_extraction_input, key_phrase_extraction_result>;

}  // namespace mturk::crowd::functions

#endif
