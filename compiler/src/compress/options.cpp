// Option parsing and the checks that need no model.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "layers.h"
#include "yono/compiler/error.h"

namespace yono {

const char* layer_group_name(LayerGroup g) {
  return g == LayerGroup::kKxk ? "kxk" : "pointwise";
}

namespace {

uint32_t parse_count(const std::string& text, const std::string& flag, const std::string& arg) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    throw Error(fmt::format("{} {}: expected a non-negative integer", flag, arg));
  }
  return static_cast<uint32_t>(std::stoul(text));
}

}  // namespace

GroupValue parse_group_values(const std::vector<std::string>& args, const std::string& flag) {
  GroupValue out;
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      out.all = parse_count(arg, flag, arg);
      continue;
    }
    std::string group = arg.substr(0, eq);
    const uint32_t value = parse_count(arg.substr(eq + 1), flag, arg);
    uint32_t layer_dim = 0;  // "kxk/d3": the codebook --layer-dim D = 3 gives the group
    if (const size_t slash = group.find('/'); slash != std::string::npos) {
      const std::string d = group.substr(slash + 1);
      if (d.size() < 2 || d[0] != 'd') {
        throw Error(fmt::format("{} {}: expected GROUP/dD=V, e.g. kxk/d3=64", flag, arg));
      }
      layer_dim = parse_count(d.substr(1), flag, arg);
      group.resize(slash);
    }
    LayerGroup g;
    if (group == "kxk") {
      g = LayerGroup::kKxk;
    } else if (group == "pointwise") {
      g = LayerGroup::kPointwise;
    } else {
      throw Error(fmt::format("{} {}: unknown layer group '{}' (groups: kxk, pointwise)", flag, arg,
                              group));
    }
    if (layer_dim != 0) {
      out.per_layer_dim[{g, layer_dim}] = value;
    } else {
      out.per_group[g] = value;
    }
  }
  return out;
}

std::map<std::string, uint32_t> parse_layer_dims(const std::vector<std::string>& args) {
  std::map<std::string, uint32_t> out;
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
      throw Error(fmt::format("--layer-dim {}: expected NAME=D", arg));
    }
    out[arg.substr(0, eq)] = parse_count(arg.substr(eq + 1), "--layer-dim", arg);
  }
  return out;
}

namespace compress {
namespace {

void check_each(const GroupValue& v, const char* flag, uint32_t lo, uint32_t hi) {
  auto check = [&](uint32_t value, const std::string& where) {
    if (value < lo || value > hi) {
      throw Error(fmt::format("{} {}{}: must be in {}..{}", flag, where, value, lo, hi));
    }
  };
  if (v.all) check(*v.all, "");
  for (const auto& [group, value] : v.per_group) {
    check(value, std::string(layer_group_name(group)) + "=");
  }
  for (const auto& [key, value] : v.per_layer_dim) {
    check(value, fmt::format("{}/d{}=", layer_group_name(key.first), key.second));
  }
}

bool is_set(const GroupValue& v) {
  return v.all.has_value() || !v.per_group.empty() || !v.per_layer_dim.empty();
}

}  // namespace

void check_options(const CompressOptions& o) {
  check_each(o.codewords, "--codewords", 2, 65536);
  check_each(o.dim, "--dim", 1, kMaxDim);
  if (o.method != CompressMethod::kPq && (is_set(o.dim) || is_set(o.codewords))) {
    throw Error("--dim and --codewords apply to --method pq only");
  }
  if (!o.dim.per_layer_dim.empty()) {
    throw Error(
        "--dim GROUP/dD: a --layer-dim codebook's D is its name; give its K with --codewords");
  }
  if (o.method == CompressMethod::kPq && o.sharing == CodebookSharing::kShared &&
      (!o.dim.per_group.empty() || !o.codewords.per_group.empty() ||
       !o.codewords.per_layer_dim.empty())) {
    throw Error(
        "--codebooks shared uses one codebook for all groups: give --dim and --codewords "
        "without a group");
  }
  if (o.method == CompressMethod::kKmeansScalar && (o.bits < 1 || o.bits > 16)) {
    throw Error(fmt::format("--bits {}: must be in 1..16", o.bits));
  }
  if (o.keep_min_weights < 0) {
    throw Error(fmt::format("--keep-min-weights {}: must not be negative", o.keep_min_weights));
  }
  if (o.iterations < 1) throw Error("k-means needs at least one iteration");
  if (!o.frozen_codebooks.empty()) {
    const std::string from = "--codebook " + o.frozen_source;
    if (o.method != CompressMethod::kPq) throw Error(from + ": frozen codebooks are --method pq");
    if (o.sharing == CodebookSharing::kPerModel)
      throw Error(from + ": --codebooks per-model learns codebooks; frozen ones are shared");
    if (is_set(o.codewords))
      throw Error(from + ": K is the frozen codebook's; --codewords does not apply");
  }
  if (o.method != CompressMethod::kPq && !o.layer_dims.empty()) {
    throw Error("--layer-dim applies to --method pq only");
  }
  for (const auto& [name, dim] : o.layer_dims) {
    if (dim < 1 || dim > kMaxDim) {
      throw Error(fmt::format("--layer-dim {}={}: must be in 1..{}", name, dim, kMaxDim));
    }
  }
}

}  // namespace compress
}  // namespace yono
