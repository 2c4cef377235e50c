// A user's sensor folders: each file is one recording (sensor_table_reader.h),
// cut into windows by the sensor front end the HMP task uses. Windows keep
// their recording as their group, so splits never divide a recording.
#include <algorithm>

#include "user_loaders.h"
#include "yono/compiler/data/sensor_table_reader.h"
#include "yono/compiler/error.h"
#include "yono/compiler/frontend/sensor_frontend.h"

namespace yono::data {
namespace {

constexpr int kDefaultWindow = 128;

struct Windows {
  Dataset data;
  std::vector<size_t> groups;
};

Windows cut(const ClassFiles& files, const frontend::SensorFrontendConfig& config, size_t* columns,
            std::string* first_file) {
  Windows w;
  w.data.class_names = files.class_names;
  w.data.sample_dims = {frontend::sensor_channels(config), config.window};
  const size_t numel = w.data.sample_numel();
  for (size_t f = 0; f < files.files.size(); ++f) {
    const std::string& path = files.files[f];
    const SensorTable table = read_sensor_table(path);
    if (table.columns != *columns)
      throw Error(path + ": " + std::to_string(table.columns) + " columns, but " + *first_file +
                  " has " + std::to_string(*columns) + "; every recording needs the same channels");
    const int count = frontend::sensor_window_count(config, table.rows());
    for (int i = 0; i < count; ++i) {
      w.data.samples.resize(w.data.samples.size() + numel);
      frontend::sensor_window(config, table.values.data(), table.rows(), i,
                              w.data.samples.data() + w.data.samples.size() - numel);
      w.data.labels.push_back(files.labels[f]);
      w.data.sources.push_back(path + "#" + std::to_string(i));
      w.groups.push_back(f);
    }
  }
  return w;
}

}  // namespace

UserCorpus load_sensor_folders(const DataLayout& layout, const UserDataOptions& options) {
  frontend::SensorFrontendConfig config;
  config.window = options.window > 0 ? options.window : kDefaultWindow;
  config.hop = options.hop > 0 ? options.hop : std::max(1, config.window / 2);
  // The values go in as recorded: their unit and range are the user's, and
  // the batch norm after the presets' first conv absorbs the scale.
  config.normalise = false;
  config.magnitude = false;
  std::string first_file = layout.train.files.front();
  config.axes = static_cast<int>(read_sensor_table(first_file).columns);
  size_t columns = static_cast<size_t>(config.axes);

  UserCorpus corpus;
  corpus.modality = Modality::kSensor;
  corpus.unit = "recordings";
  Windows train = cut(layout.train, config, &columns, &first_file);
  corpus.train = std::move(train.data);
  corpus.train_groups = std::move(train.groups);
  for (const std::string& name : layout.train.class_names)
    corpus.class_places.push_back(layout.train_dir + "/" + name);
  if (!layout.test_dir.empty()) {
    corpus.has_test = true;
    corpus.test_origin = "test/";
    corpus.test = cut(layout.test, config, &columns, &first_file).data;
  }
  return corpus;
}

}  // namespace yono::data
