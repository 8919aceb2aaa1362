// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
#ifndef MTURK_CROWD_FUNCTIONS_BOUNDING_BOX_HPP
#define MTURK_CROWD_FUNCTIONS_BOUNDING_BOX_HPP

#include <mturk/crowd/functions/common.hpp>

namespace mturk::crowd::functions {

/** `{"image": {"url": up to 400 characters}, "labels": 1..10 of {"label": 1..100 characters}}`.

    The reference contradicts itself on the key of the list: its table says "targets",
    its own Python example sends "labels", and every observed real call (production and
    `-test`) sent "labels" and completed. This sends "labels" and reads either. */
struct bounding_box_input {
    functions::image image;
    std::vector<target> labels;

    void check_limits(detail::limits_check& check) const
    {
        check.url("image.url", image.url).count("labels", labels.size(), 1, 10);
        for (std::size_t i = 0; i != labels.size(); ++i)
            check.text(detail::indexed("labels", i) + ".label", labels[i].label, 1, 100);
    }
    result<void> validate() const { return detail::checked(*this); }
    friend bool operator==(bounding_box_input const&, bounding_box_input const&) = default;
};

inline boost::json::value mturk_crowd_write_json(bounding_box_input const& in)
{
    return boost::json::object{{"image", to_json(in.image)}, {"labels", to_json(in.labels)}};
}
inline boost::json::value mturk_crowd_json_shape(bounding_box_input const*)
{
    return boost::json::object{{"image", json_shape<functions::image>()}, {"labels", json_shape<std::vector<target>>()}};
}
inline bool mturk_crowd_read_json(boost::json::value const& v, bounding_box_input& out,
                                  crowd::detail::json_failure& failure)
{
    auto const* o = v.if_object();
    if (!o)
        return crowd::detail::wrong_type(v, "an object", failure);
    auto const* image = o->if_contains("image");
    std::string_view const key = o->contains("labels") || !o->contains("targets") ? "labels" : "targets";
    auto const* labels = o->if_contains(key);
    for (auto [value, name] : {std::pair{image, std::string_view("image")}, std::pair{labels, key}}) {
        if (!value) {
            failure.code = errc::missing_field;
            failure.problem = "missing";
            failure.prefix_key(name);
            return false;
        }
    }
    if (!crowd::detail::read_json(*image, out.image, failure)) {
        failure.prefix_key("image");
        return false;
    }
    if (!crowd::detail::read_json(*labels, out.labels, failure)) {
        failure.prefix_key(key);
        return false;
    }
    return true;
}

/// An upright box in image pixels; `left` and `top` are its top-left corner.
struct box {
    std::int64_t height = 0;
    std::int64_t left = 0;
    std::int64_t top = 0;
    std::int64_t width = 0;
    friend bool operator==(box const&, box const&) = default;
};
BOOST_DESCRIBE_STRUCT(box, (), (height, left, top, width))

/// One object found: its box and which label it is.
struct annotation {
    box bounding_box;
    std::string label;
    friend bool operator==(annotation const&, annotation const&) = default;
};
BOOST_DESCRIBE_STRUCT(annotation, (), (bounding_box, label))

/// `{"annotations": [{"boundingBox": {"height","left","top","width"}, "label"}...]}`,
/// one entry per object found.
struct bounding_box_result {
    std::vector<annotation> annotations;
    friend bool operator==(bounding_box_result const&, bounding_box_result const&) = default;
};
BOOST_DESCRIBE_STRUCT(bounding_box_result, (), (annotations))

/** bounding-box: a box around each object of the given labels in an image.
    Specification: docs/bounding-box/readme.md of awslabs/mturk-crowd-beta-client-python; docs/functions.md. */
using bounding_box = function<"bounding-box", bounding_box_input, bounding_box_result>;

}  // namespace mturk::crowd::functions

#endif
