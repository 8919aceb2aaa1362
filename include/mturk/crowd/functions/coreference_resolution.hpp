// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_COREFERENCE_RESOLUTION_HPP
#define MTURK_CROWD_FUNCTIONS_COREFERENCE_RESOLUTION_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/// `{"text": 1..1600 characters}`
struct coreference_resolution_input {
    std::string text;

    void check_limits(detail::limits_check& check) const { check.text("text", text, 1, 1600); }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(coreference_resolution_input const&, coreference_resolution_input const&) = default;
};
BOOST_DESCRIBE_STRUCT(coreference_resolution_input, (), (text))

/// The mentions of one entity.
struct coreference {
    std::vector<span> references;
    friend bool operator==(coreference const&, coreference const&) = default;
};

/** `{"coreferences": [{"references": [span...]}...]}`, one entry per entity (empty when
    there are none). Also read: the map form production once sent,
    `{"references": {"ref-1": [span...], ...}}` (one entry per key, in order), and
    `{"references": []}`. */
struct coreference_resolution_result {
    std::vector<coreference> coreferences;
    friend bool operator==(coreference_resolution_result const&, coreference_resolution_result const&) = default;
};

inline boost::json::value mturk_crowd_write_json(coreference_resolution_result const& r)
{
    boost::json::array clusters;
    for (auto const& c : r.coreferences)
        clusters.push_back(boost::json::object{{"references", detail::span_list(c.references)}});
    return boost::json::object{{"coreferences", std::move(clusters)}};
}
inline boost::json::value mturk_crowd_json_shape(coreference_resolution_result const*)
{
    boost::json::object const span{{"span", json_shape<functions::span>()}};
    return boost::json::object{{"coreferences", boost::json::array{boost::json::object{{"references", boost::json::array{span}}}}}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, coreference_resolution_result& out,
                                  crowd::detail::json_failure& failure)
{
    auto const* o = v.if_object();
    if (!o)
        return crowd::detail::wrong_type(v, "an object", failure);
    out.coreferences.clear();
    if (auto const* list = o->if_contains("coreferences")) {
        auto const* clusters = list->if_array();
        if (!clusters) {
            crowd::detail::wrong_type(*list, "an array", failure);
            failure.prefix_key("coreferences");
            return false;
        }
        for (std::size_t i = 0; i != clusters->size(); ++i) {
            auto const* cluster = (*clusters)[i].if_object();
            auto const* refs = cluster ? cluster->if_contains("references") : nullptr;
            auto& into = out.coreferences.emplace_back();
            if (!cluster || !refs) {
                failure.code = cluster ? errc::missing_field : errc::wrong_type;
                failure.problem = cluster ? "missing" : "expected an object";
                if (cluster)
                    failure.prefix_key("references");
                failure.prefix_index(i);
                failure.prefix_key("coreferences");
                return false;
            }
            if (!detail::read_span_list(*refs, into.references, failure)) {
                failure.prefix_key("references");
                failure.prefix_index(i);
                failure.prefix_key("coreferences");
                return false;
            }
        }
        return true;
    }
    auto const* refs = o->if_contains("references");
    if (!refs) {
        failure.code = errc::missing_field;
        failure.problem = "missing (nor the older references map)";
        failure.prefix_key("coreferences");
        return false;
    }
    if (auto const* empty = refs->if_array(); empty && empty->empty())
        return true;
    auto const* map = refs->if_object();
    if (!map) {
        crowd::detail::wrong_type(*refs, "an object of reference lists", failure);
        failure.prefix_key("references");
        return false;
    }
    for (auto const& [key, list] : *map) {
        if (!detail::read_span_list(list, out.coreferences.emplace_back().references, failure)) {
            failure.prefix_key(key);
            failure.prefix_key("references");
            return false;
        }
    }
    return true;
}

/** coreference-resolution: which words of a text refer to the same entity.
    Specification: docs/coreference-resolution/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using coreference_resolution =
    function<"coreference-resolution", coreference_resolution_input, coreference_resolution_result>;

}  // namespace mturk::crowd::functions

#endif
