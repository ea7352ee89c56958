#include "sim/core/units.hpp"

#include "sim/core/echo.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace dcsim {
namespace {

struct UnitDef {
  std::string_view name;
  double scale;
  Dimension dim;
  bool prefixable;
  double offset = 0.0;
  bool affine = false;
};

constexpr Dimension kTime{0, 0, 1, 0};
constexpr Dimension kLength{1, 0, 0, 0};
constexpr Dimension kMass{0, 1, 0, 0};
constexpr Dimension kTemp{0, 0, 0, 1};
constexpr Dimension kEnergy{2, 1, -2, 0};
constexpr Dimension kPower{2, 1, -3, 0};
constexpr Dimension kPressure{-1, 1, -2, 0};
constexpr Dimension kVolume{3, 0, 0, 0};
constexpr Dimension kRate{0, 0, -1, 0};
constexpr Dimension kNone{};
constexpr Dimension kInformation{0, 0, 0, 0, 1};
constexpr Dimension kMoney{0, 0, 0, 0, 0, 1};

// clang-format off
constexpr std::array kUnits = {
  UnitDef{"s", 1.0, kTime, true}, UnitDef{"sec", 1.0, kTime, false}, UnitDef{"second", 1.0, kTime, false},
  UnitDef{"seconds", 1.0, kTime, false},
  UnitDef{"min", 60.0, kTime, false}, UnitDef{"minute", 60.0, kTime, false}, UnitDef{"minutes", 60.0, kTime, false},
  UnitDef{"h", 3600.0, kTime, false}, UnitDef{"hr", 3600.0, kTime, false}, UnitDef{"hour", 3600.0, kTime, false},
  UnitDef{"hours", 3600.0, kTime, false},
  UnitDef{"d", 86400.0, kTime, false}, UnitDef{"day", 86400.0, kTime, false}, UnitDef{"days", 86400.0, kTime, false},
  UnitDef{"week", 604800.0, kTime, false}, UnitDef{"weeks", 604800.0, kTime, false},
  UnitDef{"wk", 604800.0, kTime, false},
  UnitDef{"yr", 31557600.0, kTime, false}, UnitDef{"year", 31557600.0, kTime, false},
  UnitDef{"years", 31557600.0, kTime, false},
  UnitDef{"m", 1.0, kLength, true}, UnitDef{"ft", 0.3048, kLength, false},
  UnitDef{"g", 1e-3, kMass, true}, UnitDef{"t", 1000.0, kMass, false},
  UnitDef{"gCO2", 1e-3, kMass, true}, UnitDef{"gCO2e", 1e-3, kMass, true},
  UnitDef{"tCO2", 1000.0, kMass, false}, UnitDef{"tCO2e", 1000.0, kMass, false},
  UnitDef{"L", 1e-3, kVolume, true}, UnitDef{"l", 1e-3, kVolume, true},
  UnitDef{"J", 1.0, kEnergy, true}, UnitDef{"Wh", 3600.0, kEnergy, true},
  UnitDef{"eV", 1.602176634e-19, kEnergy, true},
  UnitDef{"W", 1.0, kPower, true},
  UnitDef{"Hz", 1.0, kRate, true},
  UnitDef{"Pa", 1.0, kPressure, true}, UnitDef{"bar", 1e5, kPressure, false},
  UnitDef{"psi", 6894.757293168, kPressure, false},
  UnitDef{"K", 1.0, kTemp, false},
  UnitDef{"degC", 1.0, kTemp, false, 273.15, true}, UnitDef{"\xC2\xB0" "C", 1.0, kTemp, false, 273.15, true},
  UnitDef{"degF", 5.0 / 9.0, kTemp, false, 273.15 - 32.0 * 5.0 / 9.0, true},
  UnitDef{"\xC2\xB0" "F", 5.0 / 9.0, kTemp, false, 273.15 - 32.0 * 5.0 / 9.0, true},
  UnitDef{"%", 0.01, kNone, false},
  UnitDef{"1", 1.0, kNone, false},
  UnitDef{"req", 1.0, kNone, false}, UnitDef{"request", 1.0, kNone, false}, UnitDef{"requests", 1.0, kNone, false},
  UnitDef{"user", 1.0, kNone, false}, UnitDef{"users", 1.0, kNone, false},
  UnitDef{"image", 1.0, kNone, false}, UnitDef{"images", 1.0, kNone, false}, UnitDef{"img", 1.0, kNone, false},
  UnitDef{"query", 1.0, kNone, false}, UnitDef{"queries", 1.0, kNone, false},
  UnitDef{"token", 1.0, kNone, false}, UnitDef{"tokens", 1.0, kNone, false},
  UnitDef{"GPU", 1.0, kNone, false}, UnitDef{"GPUs", 1.0, kNone, false},
  UnitDef{"B", 1.0, kInformation, false}, UnitDef{"kB", 1e3, kInformation, false},
  UnitDef{"MB", 1e6, kInformation, false}, UnitDef{"GB", 1e9, kInformation, false},
  UnitDef{"TB", 1e12, kInformation, false}, UnitDef{"KiB", 1024.0, kInformation, false},
  UnitDef{"MiB", 1048576.0, kInformation, false}, UnitDef{"GiB", 1073741824.0, kInformation, false},
  UnitDef{"TiB", 1099511627776.0, kInformation, false},
  UnitDef{"USD", 1.0, kMoney, true},
};
// clang-format on

struct Prefix {
  std::string_view text;
  double scale;
};
constexpr std::array kPrefixes = {
    Prefix{"T", 1e12}, Prefix{"G", 1e9}, Prefix{"M", 1e6},  Prefix{"k", 1e3},       Prefix{"c", 1e-2},
    Prefix{"m", 1e-3}, Prefix{"u", 1e-6}, Prefix{"\xC2\xB5", 1e-6}, Prefix{"\xCE\xBC", 1e-6}, Prefix{"n", 1e-9},
};

const UnitDef* find_exact(std::string_view name) {
  for (const auto& u : kUnits) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

Dimension scaled(Dimension d, int k) {
  return Dimension{static_cast<std::int8_t>(d.length * k), static_cast<std::int8_t>(d.mass * k),
                   static_cast<std::int8_t>(d.time * k), static_cast<std::int8_t>(d.temperature * k),
                   static_cast<std::int8_t>(d.information * k), static_cast<std::int8_t>(d.money * k)};
}

Dimension add(Dimension a, Dimension b) {
  return Dimension{static_cast<std::int8_t>(a.length + b.length), static_cast<std::int8_t>(a.mass + b.mass),
                   static_cast<std::int8_t>(a.time + b.time),
                   static_cast<std::int8_t>(a.temperature + b.temperature),
                   static_cast<std::int8_t>(a.information + b.information),
                   static_cast<std::int8_t>(a.money + b.money)};
}

// One factor: a unit name with an optional exponent ("m3", "m^3", "m²", "s^-1").
Unit parse_factor(std::string_view f, std::string_view whole) {
  int exponent = 1;
  std::string_view name = f;
  if (const auto caret = f.find('^'); caret != std::string_view::npos) {
    name = f.substr(0, caret);
    const std::string_view e = f.substr(caret + 1);
    int v = 0;
    const auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), v);
    if (ec != std::errc() || p != e.data() + e.size() || v == 0) {
      throw UnitError("bad exponent '" + echo(e) + "' in unit '" + echo(whole) + "'");
    }
    exponent = v;
  } else if (f.size() > 2 && f.substr(f.size() - 2) == "\xC2\xB2") {
    name = f.substr(0, f.size() - 2);
    exponent = 2;
  } else if (f.size() > 2 && f.substr(f.size() - 2) == "\xC2\xB3") {
    name = f.substr(0, f.size() - 2);
    exponent = 3;
  } else if (f.size() > 1 && (f.back() == '2' || f.back() == '3') && f != "gCO2" && f != "tCO2" &&
             !(f.size() > 4 && f.substr(f.size() - 4) == "gCO2")) {
    // "m3", "m2": a trailing digit is an exponent, except in the CO2 mass units.
    name = f.substr(0, f.size() - 1);
    exponent = f.back() - '0';
  }
  if (name.empty()) throw UnitError("empty unit name in '" + echo(whole) + "'");

  const UnitDef* def = find_exact(name);
  double prefix = 1.0;
  if (!def) {
    for (const auto& p : kPrefixes) {
      if (name.size() > p.text.size() && name.substr(0, p.text.size()) == p.text) {
        const UnitDef* base = find_exact(name.substr(p.text.size()));
        if (base && base->prefixable) {
          def = base;
          prefix = p.scale;
          break;
        }
      }
    }
  }
  if (!def) throw UnitError("unknown unit '" + echo(name) + "' in '" + echo(whole) + "'");
  if (def->affine && exponent != 1) {
    throw UnitError("'" + echo(name) + "' cannot be raised to a power; use K for temperature differences");
  }
  Unit u;
  u.scale = std::pow(def->scale * prefix, exponent);
  u.offset = def->offset;
  u.affine = def->affine;
  u.dim = scaled(def->dim, exponent);
  return u;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string with_article(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiouAEIOU").find(noun.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

Unit parse_unit(std::string_view text) {
  const std::string_view whole = trim(text);
  if (whole.empty()) throw UnitError("empty unit");
  // Normalise: '·' is '*'; spaces around operators vanish; other spaces multiply ("kW h").
  std::string norm;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (whole.compare(i, 2, "\xC2\xB7") == 0) {
      norm += '*';
      ++i;
    } else {
      norm += whole[i];
    }
  }
  std::string ops;
  for (std::size_t i = 0; i < norm.size(); ++i) {
    const char c = norm[i];
    if (c == ' ' || c == '\t') {
      const bool near_op = (!ops.empty() && (ops.back() == '/' || ops.back() == '*')) ||
                           (i + 1 < norm.size() && (norm[i + 1] == '/' || norm[i + 1] == '*' || norm[i + 1] == ' '));
      if (!near_op && !ops.empty()) ops += '*';
    } else {
      ops += c;
    }
  }
  Unit result;
  int factors = 0;
  bool divide = false;
  std::size_t i = 0;
  while (true) {
    std::size_t j = i;
    while (j < ops.size() && ops[j] != '/' && ops[j] != '*') ++j;
    const std::string_view f(ops.data() + i, j - i);
    if (f.empty()) {
      // Only "/h" (an empty numerator) is allowed.
      if (!(i == 0 && j < ops.size() && ops[j] == '/')) {
        throw UnitError("malformed unit '" + echo(whole) + "'");
      }
    } else {
      const Unit u = parse_factor(f, whole);
      if (u.affine && (factors > 0 || divide || j < ops.size())) {
        throw UnitError("'" + echo(f) + "' cannot be combined with other units");
      }
      result.scale = divide ? result.scale / u.scale : result.scale * u.scale;
      result.dim = add(result.dim, divide ? scaled(u.dim, -1) : u.dim);
      result.offset = u.offset;
      result.affine = u.affine;
      ++factors;
    }
    if (j >= ops.size()) break;
    divide = ops[j] == '/';
    i = j + 1;
    if (i >= ops.size()) throw UnitError("malformed unit '" + echo(whole) + "' (nothing after '" + ops[j] + "')");
  }
  if (factors == 0) throw UnitError("malformed unit '" + echo(whole) + "'");
  return result;
}

std::string to_string(const Dimension& d) {
  if (d == Dimension{}) return "1";
  std::string num, den;
  auto part = [&](const char* sym, int e) {
    if (e == 0) return;
    std::string& s = e > 0 ? num : den;
    if (!s.empty()) s += "·";
    s += sym;
    const int a = e > 0 ? e : -e;
    if (a > 1) s += "^" + std::to_string(a);
  };
  part("kg", d.mass);
  part("m", d.length);
  part("s", d.time);
  part("K", d.temperature);
  part("B", d.information);
  part("USD", d.money);
  if (num.empty()) num = "1";
  return den.empty() ? num : num + "/" + den;
}

std::string_view dimension_name(const Dimension& d) {
  static constexpr const QuantityKind* kinds[] = {
      &qty::time,         &qty::rate,          &qty::power,         &qty::energy,
      &qty::temperature,  &qty::thermal_conductance, &qty::thermal_resistance, &qty::heat_capacity,
      &qty::pressure,     &qty::volume,        &qty::volume_flow,   &qty::mass,
      &qty::length,       &qty::carbon_intensity, &qty::water_intensity, &qty::memory,
      &qty::money,        &qty::energy_price,  &qty::volume_price,  &qty::mass_price,
      &qty::time_price,   &qty::power_price,   &qty::dimensionless};
  for (const auto* k : kinds) {
    if (k->dim == d) return k->name;
  }
  return "";
}

double parse_quantity(std::string_view text, const QuantityKind& kind) {
  const std::string_view s = trim(text);
  const std::string expected = with_article(kind.name) + " such as " + std::string(kind.example);
  // The number: std::from_chars accepts no leading '+', so skip one.
  std::string_view num = s;
  if (!num.empty() && num.front() == '+') num.remove_prefix(1);
  double v = 0;
  const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  if (ec == std::errc::result_out_of_range) {
    throw UnitError("'" + echo(s) + "' is beyond the range of a double; expected " + expected);
  }
  if (ec != std::errc() || p == num.data()) {
    throw UnitError("'" + echo(s) + "' does not start with a number; expected " + expected);
  }
  if (!std::isfinite(v)) throw UnitError("'" + echo(s) + "' is not a finite number");
  const std::string_view rest = trim(std::string_view(p, static_cast<std::size_t>(num.data() + num.size() - p)));
  if (rest.empty()) {
    if (kind.dim == Dimension{}) return v;
    throw UnitError("'" + echo(s) + "' has no unit; expected " + expected +
                    " (a bare number, not a string, means " + std::string(kind.unit) + ")");
  }
  Unit u;
  try {
    u = parse_unit(rest);
  } catch (const UnitError& e) {
    throw UnitError(std::string(e.what()) + "; expected " + expected);
  }
  if (!(u.dim == kind.dim)) {
    const std::string_view got = dimension_name(u.dim);
    throw UnitError("'" + echo(s) + "' is " +
                    (got.empty() ? "in " + to_string(u.dim) : with_article(got)) + ", but expected " +
                    expected);
  }
  if (u.affine && !kind.absolute_temperature) {
    // °C or °F for a difference: a difference of one degree Celsius is one kelvin.
    if (u.scale != 1.0) throw UnitError("use K for a temperature difference, not '" + echo(rest) + "'");
    return v;
  }
  const double si = v * u.scale + u.offset;
  if (kind.absolute_temperature) {
    const double k = u.affine ? si : v * u.scale;  // "300 K" is absolute
    if (k < 0) throw UnitError("'" + echo(s) + "' is below absolute zero");
    return k - 273.15;
  }
  return si / kind.unit_scale;
}

}  // namespace dcsim
