// The board around the SoC (DESIGN.md §3 platform/board): LEDs on GPIO outputs and buttons
// driving GPIO inputs, from the board file's `board.leds` and `board.buttons`.
//
// An LED follows its pin (inverted when active low) and logs every change with its simulated
// time ("board.leds: usr0 on"); its wire can be recorded in the VCD. A button drives its pin
// at the times the board file (or --set) gives: idle level = not pressed.
#pragma once

#include <systemc>

#include <memory>
#include <string>
#include <vector>

#include "models/core/log.h"
#include "models/core/stats.h"
#include "models/core/wire.h"
#include "platform/config/platform_config.h"

namespace vp {
class Gpio;
}

namespace vp::platform {

class Board : public sc_core::sc_module {
  public:
    struct Led {
        std::string name;
        unsigned bank, pin;
        bool active_low;
        std::unique_ptr<Wire> lit;  // high = LED on
        std::unique_ptr<stats::Counter> toggles;
    };
    struct Button {
        std::string name;
        unsigned bank, pin;
        bool active_low;
        std::vector<config::ButtonPress> presses;
        std::unique_ptr<Wire> pressed;  // high = pressed
    };

    // `gpios[bank]` may be null for a bank the SoC does not model: a ConfigError then names
    // the LED or button.
    Board(sc_core::sc_module_name name, const config::PlatformConfig& cfg,
          const std::vector<Gpio*>& gpios);

    const std::vector<Led>& leds() const { return leds_; }
    const std::vector<Button>& buttons() const { return buttons_; }

  private:
    void run_buttons();

    Logger log_;
    std::vector<Led> leds_;
    std::vector<Button> buttons_;
    std::vector<Gpio*> gpios_;
};

}  // namespace vp::platform
