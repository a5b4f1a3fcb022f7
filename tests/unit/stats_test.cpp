// Statistics registry: gem5-style dotted names, counters, histograms, formulas, JSON
// (DESIGN.md §8).
#define BOOST_TEST_MODULE stats
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "models/core/stats.h"

using namespace vp::stats;

BOOST_AUTO_TEST_CASE(counters_histograms_formulas_and_json) {
    Counter hits{"cpu.dtlb.hits", "hits"};
    Counter misses{"cpu.dtlb.misses", "misses"};
    Formula rate{"cpu.dtlb.miss_rate", "misses / lookups", [&] {
                     double n = static_cast<double>(hits.get() + misses.get());
                     return n ? static_cast<double>(misses.get()) / n : 0.0;
                 }};
    Histogram lat{"cpu.walker.latency", "cycles", 10, 4};
    hits += 3;
    ++misses;
    for (double v : {5.0, 15.0, 17.0, 100.0})
        lat.sample(v);

    BOOST_TEST(rate.value() == 0.25);
    BOOST_TEST(lat.count() == 4u);
    BOOST_TEST(lat.buckets()[0] == 1u);
    BOOST_TEST(lat.buckets()[1] == 2u);
    BOOST_TEST(lat.buckets().back() == 1u);  // overflow
    BOOST_TEST(lat.min() == 5.0);
    BOOST_TEST(lat.max() == 100.0);

    auto& reg = Registry::global();
    BOOST_TEST(reg.find("cpu.dtlb.misses") == &misses);
    BOOST_TEST(reg.list("cpu.dtlb").size() == 3u);
    BOOST_TEST(reg.list("cpu.dt").empty());  // prefixes match whole name components
    auto j = nlohmann::json::parse(reg.dump_json({{"sim.seconds", "0.5"}}));
    BOOST_TEST(j["cpu.dtlb.hits"].get<int>() == 3);
    BOOST_TEST(j["cpu.dtlb.miss_rate"].get<double>() == 0.25);
    BOOST_TEST(j["cpu.walker.latency"]["count"].get<int>() == 4);
    BOOST_TEST(j["sim.seconds"].get<double>() == 0.5);
    BOOST_CHECK_THROW(Counter("cpu.dtlb.hits", "again"), std::logic_error);
    reg.reset_all();
    BOOST_TEST(hits.get() == 0u);
}

BOOST_AUTO_TEST_CASE(statistics_leave_the_registry_when_destroyed) {
    { Counter c{"tmp.counter", ""}; }
    BOOST_TEST(Registry::global().find("tmp.counter") == nullptr);
}
