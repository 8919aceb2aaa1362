// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_NAMED_ENTITY_RECOGNITION_HPP
#define MTURK_CROWD_FUNCTIONS_NAMED_ENTITY_RECOGNITION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// The kinds of entity Workers mark.
enum class entity_type { person, location, organization, event, date, brand };

template <>
struct enum_names<entity_type> {
    static constexpr std::pair<entity_type, std::string_view> table[] = {
        {entity_type::person, "person"}, {entity_type::location, "location"}, {entity_type::organization, "organization"},
        {entity_type::event, "event"},   {entity_type::date, "date"},         {entity_type::brand, "brand"}};
};

/// `{"text": 1..1600 characters}`
struct named_entity_recognition_input {
    std::string text;

    void check_limits(detail::limits_check& check) const { check.text("text", text, 1, 1600); }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(named_entity_recognition_input const&, named_entity_recognition_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(named_entity_recognition_input, (), (text))

/// One entity: where it is in the text, and its type.
struct entity {
    functions::span span;
    open_enum<entity_type> type;
    friend bool operator==(entity const&, entity const&) = default;
};

/** `{"entities": [entity...]}` (empty when there are none). Entities have been sent flat
    (`{"start","end","text","type"}`), wrapped with the type beside the span
    (`{"span":{"start","end","text"},"type"}`) and wrapped with the type inside
    (`{"span":{"startIndex","endIndex","text","type"}}`, the reference's form, which is
    what this writes). */
struct named_entity_recognition_result {
    std::vector<entity> entities;
    friend bool operator==(named_entity_recognition_result const&, named_entity_recognition_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(named_entity_recognition_result, (), (entities))

inline boost::json::value mturk_crowd_write_json(entity const& e)
{
    auto inner = detail::span_object(e.span);
    inner.emplace("type", e.type.name());
    return boost::json::object{{"span", std::move(inner)}};
}
inline boost::json::value mturk_crowd_json_shape(entity const*)
{
    auto inner = json_shape<span>();
    inner.as_object().emplace("type", json_shape<decltype(entity::type)>());
    return boost::json::object{{"span", std::move(inner)}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, entity& out, crowd::detail::json_failure& failure)
{
    boost::json::value const* type = nullptr;
    if (!detail::read_span(v, out.span, failure, &type))
        return false;
    if (!type) {
        failure.code = errc::missing_field;
        failure.problem = "missing";
        failure.prefix_key("type");
        return false;
    }
    if (!crowd::detail::read_json(*type, out.type, failure)) {
        failure.prefix_key("type");
        return false;
    }
    return true;
}

/** named-entity-recognition: people, places, organisations, events, dates and brands in
    a text. Specification: docs/named-entity-recognition/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using named_entity_recognition =
    function<"named-entity-recognition", named_entity_recognition_input, named_entity_recognition_result>;

}  // namespace mturk::crowd::functions

#endif
