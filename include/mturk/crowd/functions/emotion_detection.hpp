// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_EMOTION_DETECTION_HPP
#define MTURK_CROWD_FUNCTIONS_EMOTION_DETECTION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// The emotion Workers read in a text.
enum class emotion { joy, anger, fear, sadness, surprise, disgust, neutral };

template <>
struct enum_names<emotion> {
    static constexpr std::pair<emotion, std::string_view> table[] = {
        {emotion::joy, "joy"},         {emotion::anger, "anger"},     {emotion::fear, "fear"},
        {emotion::sadness, "sadness"}, {emotion::surprise, "surprise"}, {emotion::disgust, "disgust"},
        {emotion::neutral, "neutral"}};
};

/// `{"text": 1..400 characters}`
struct emotion_detection_input {
    std::string text;

    void check_limits(detail::limits_check& check) const { check.text("text", text, 1, 400); }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(emotion_detection_input const&, emotion_detection_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(emotion_detection_input, (), (text))

/// `{"emotion": "joy" | "anger" | "fear" | "sadness" | "surprise" | "disgust" | "neutral"}`.
/// The reference's full-response example writes the key as "sentiment"; that reads too.
struct emotion_detection_result {
    open_enum<functions::emotion> emotion;
    friend bool operator==(emotion_detection_result const&, emotion_detection_result const&) = default;
};

inline boost::json::value mturk_crowd_write_json(emotion_detection_result const& r)
{
    return boost::json::object{{"emotion", to_json(r.emotion)}};
}
inline boost::json::value mturk_crowd_json_shape(emotion_detection_result const*)
{
    return boost::json::object{{"emotion", json_shape<decltype(emotion_detection_result::emotion)>()}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, emotion_detection_result& out,
                                  crowd::detail::json_failure& failure)
{
    auto const* o = v.if_object();
    if (!o)
        return crowd::detail::wrong_type(v, "an object", failure);
    std::string_view const key = o->contains("emotion") || !o->contains("sentiment") ? "emotion" : "sentiment";
    auto const* value = o->if_contains(key);
    if (!value) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        failure.prefix_key(key);
        return false;
    }
    if (!crowd::detail::read_json(*value, out.emotion, failure)) {
        failure.prefix_key(key);
        return false;
    }
    return true;
}

/** emotion-detection: the emotion of a text. Specification: docs/emotion-detection/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using emotion_detection = function<"emotion-detection", emotion_detection_input, emotion_detection_result>;

}  // namespace mturk::crowd::functions

#endif
