#include "platform/board/board.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/gpio/gpio.h"

namespace vp::platform {

using config::ConfigError;

namespace {
Gpio& gpio_of(const std::vector<Gpio*>& gpios, unsigned bank, const config::Location& where,
              const std::string& key) {
    if (bank >= gpios.size() || !gpios[bank])
        throw ConfigError(where, key,
                          fmt::format("GPIO bank {} is not modelled on this SoC", bank));
    return *gpios[bank];
}
}  // namespace

Board::Board(sc_core::sc_module_name name, const config::PlatformConfig& cfg,
             const std::vector<Gpio*>& gpios)
    : sc_module(name), log_("board"), gpios_(gpios) {
    for (const config::LedConfig& l : cfg.board.leds) {
        const std::string key = "board.leds." + l.name;
        Gpio& g = gpio_of(gpios, l.bank, l.location, key);
        Led led{l.name,
                l.bank,
                l.pin,
                l.active_low,
                std::make_unique<Wire>(l.name),
                std::make_unique<stats::Counter>("board.leds." + l.name + ".toggles",
                                                 "times the LED changed state")};
        Wire* lit = led.lit.get();
        stats::Counter* toggles = led.toggles.get();
        const bool inverted = l.active_low;
        const std::string led_name = l.name;
        Logger* log = &log_;
        g.pin_out(l.pin).on_change([=](bool level, const sc_core::sc_time& offset) {
            const bool on = level != inverted;
            if (on == lit->read()) return;
            ++*toggles;
            lit->write(on, offset);
            VP_LOG(*log, info, "LED {} {} at {}", led_name, on ? "on" : "off",
                   (sc_core::sc_time_stamp() + offset).to_string());
        });
        lit->write(g.pin_out(l.pin).read() != inverted);
        leds_.push_back(std::move(led));
    }
    for (const config::ButtonConfig& b : cfg.board.buttons) {
        const std::string key = "board.buttons." + b.name;
        Gpio& g = gpio_of(gpios, b.bank, b.location, key);
        Button button{b.name,       b.bank,    b.pin,
                      b.active_low, b.presses, std::make_unique<Wire>(b.name)};
        // Idle: not pressed (a pull-up holds an active-low button high).
        g.pin_in(b.pin).write(b.active_low);
        buttons_.push_back(std::move(button));
    }
    if (!buttons_.empty()) {
        SC_HAS_PROCESS(Board);
        SC_THREAD(run_buttons);
    }
}

void Board::run_buttons() {
    struct Edge {
        sc_core::sc_time at;
        size_t button;
        bool pressed;
    };
    std::vector<Edge> edges;
    for (size_t i = 0; i < buttons_.size(); ++i)
        for (const auto& p : buttons_[i].presses) {
            const sc_core::sc_time at(static_cast<double>(p.at_ps), sc_core::SC_PS);
            edges.push_back({at, i, true});
            edges.push_back(
                {at + sc_core::sc_time(static_cast<double>(p.duration_ps), sc_core::SC_PS), i,
                 false});
        }
    std::stable_sort(edges.begin(), edges.end(),
                     [](const Edge& a, const Edge& b) { return a.at < b.at; });
    for (const Edge& e : edges) {
        if (e.at > sc_core::sc_time_stamp()) wait(e.at - sc_core::sc_time_stamp());
        Button& b = buttons_[e.button];
        b.pressed->write(e.pressed);
        gpios_[b.bank]->pin_in(b.pin).write(e.pressed != b.active_low);
        VP_LOG(log_, info, "button {} {}", b.name, e.pressed ? "pressed" : "released");
    }
}

}  // namespace vp::platform
