// Copyright (c) 2026 The mturk-crowd-cpp authors. Distributed under the Boost Software License, Version 1.0.
// The client's metrics, named as the AWS SDKs name them, kept in a small registry and
// printed in the Prometheus text format (what a /metrics endpoint would answer). Run it
// against crowd-emulator with scripts/with-emulator; docs/observability.md shows the same
// sink feeding an opentelemetry-cpp meter instead.
#include <mturk/crowd/beast_client.hpp>
#include <mturk/crowd/functions.hpp>
#include <mturk/crowd/telemetry/metrics.hpp>

#include <array>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <span>
#include <string>

namespace crowd = mturk::crowd;
namespace fn = mturk::crowd::functions;
namespace telemetry = mturk::crowd::telemetry;
using sentiment = fn::sentiment_analysis::test;  // the free twin: answered at once, no Workers

namespace {

/// Counters, gauges and histograms by name and labels: the part of a Prometheus client
/// this example needs. The sink is called from the threads that run operations: locked.
class registry {
public:
    void record(telemetry::measurement const& m)
    {
        std::string labels;
        for (auto const& a : sorted(m.attributes))
            labels += (labels.empty() ? "" : ",") + prometheus_name(a.first) + "=\"" + a.second + "\"";
        std::string const name = prometheus_name(m.name) + (m.unit == "s" ? "_seconds" : "");
        std::lock_guard<std::mutex> lock(mutex_);
        auto& s = series_[name];
        s.kind = m.kind;
        auto& v = s.values[labels];
        switch (m.kind) {
        case telemetry::instrument::counter: v.sum += m.value; break;
        case telemetry::instrument::gauge: v.sum = m.value; break;
        case telemetry::instrument::histogram:
            v.sum += m.value;
            ++v.count;
            for (std::size_t i = 0; i != bounds.size(); ++i)
                if (m.value <= bounds[i])
                    ++v.buckets[i];
            break;
        }
    }

    /// The text exposition format (version 0.0.4).
    std::string text() const
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::ostringstream out;
        for (auto const& [name, s] : series_) {
            bool const counter = s.kind == telemetry::instrument::counter;
            char const* type = counter ? "counter" : s.kind == telemetry::instrument::gauge ? "gauge" : "histogram";
            out << "# TYPE " << name << (counter ? "_total " : " ") << type << '\n';
            for (auto const& [labels, v] : s.values) {
                if (s.kind != telemetry::instrument::histogram) {
                    out << name << (counter ? "_total" : "") << '{' << labels << "} " << v.sum << '\n';
                    continue;
                }
                std::string const sep = labels.empty() ? "" : ",";
                for (std::size_t i = 0; i != bounds.size(); ++i)
                    out << name << "_bucket{" << labels << sep << "le=\"" << bounds[i] << "\"} " << v.buckets[i] << '\n';
                out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << v.count << '\n';
                out << name << "_sum{" << labels << "} " << v.sum << '\n';
                out << name << "_count{" << labels << "} " << v.count << '\n';
            }
        }
        return out.str();
    }

private:
    static constexpr std::array<double, 8> bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5};
    struct value {
        double sum = 0;
        unsigned long count = 0;
        std::array<unsigned long, bounds.size()> buckets{};
    };
    struct series {
        telemetry::instrument kind = telemetry::instrument::counter;
        std::map<std::string, value> values;  // by label set
    };

    // "smithy.client.call.duration" -> "smithy_client_call_duration"
    static std::string prometheus_name(std::string_view name)
    {
        std::string out(name);
        for (auto& c : out)
            if (c == '.')
                c = '_';
        return out;
    }
    static std::map<std::string, std::string> sorted(std::span<telemetry::attribute const> attributes)
    {
        std::map<std::string, std::string> out;
        for (auto const& a : attributes)
            out[std::string(a.key)] = std::string(a.value);
        return out;
    }

    mutable std::mutex mutex_;
    std::map<std::string, series> series_;
};

}  // namespace

int main()
{
    registry metrics;
    crowd::client_config config;
    config.hooks = telemetry::metric_hooks([&metrics](telemetry::measurement const& m) { metrics.record(m); });
    auto client = crowd::make_client(std::move(config));
    if (!client) {
        std::cerr << client.error() << '\n';
        return 1;
    }
    // Some work: two tasks created, waited for and deleted, and a read of one that is not there.
    constexpr crowd::task_name first{"metrics-1"}, second{"metrics-2"}, missing{"metrics-none"};
    for (crowd::task_name const& name : {first, second}) {
        if (auto created = client->create<sentiment>(name, {.text = "Quick and friendly."}); !created) {
            std::cerr << created.error() << '\n';
            return 1;
        }
        if (auto done = client->wait<sentiment>(name, {.first_delay = std::chrono::milliseconds(50)});
            !done) {
            std::cerr << done.error() << '\n';
            return 1;
        }
        (void)client->remove<sentiment>(name);
    }
    if (client->get<sentiment>(missing))
        return 1;  // it was deleted: a 404 is what this example wants to count
    // A scrape: the pool's gauges now, then everything.
    telemetry::record_pool_gauges(client->transport().pool(), 50,
                                  [&metrics](telemetry::measurement const& m) { metrics.record(m); });
    std::cout << metrics.text();
    return 0;
}
