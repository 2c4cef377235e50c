#include "yono/pack.h"

#include "mem.h"
#include "pack_validator.h"

namespace yono {

Status Pack::open(const uint8_t* data, size_t size, Pack* out, PackFault* fault) {
  PackFault where;
  const Status s = PackValidator::run(data, size, out, &where);
  if (fault != nullptr) *fault = s == Status::kOk ? PackFault{} : where;
  return s;
}

const char* PackSegment::string_at(uint32_t offset) const {
  // The validator guarantees the section ends with NUL.
  if (strings == nullptr || offset >= strings_size) return nullptr;
  return strings + offset;
}

const char* Pack::codebook_name(uint32_t codebook) const {
  return codebook < codebook_count_ ? segments_[0].string_at(codebooks_[codebook].name) : nullptr;
}

Status Pack::find_model(const char* name, uint32_t* index) const {
  if (name == nullptr || index == nullptr) return Status::kInvalidArgument;
  for (uint32_t i = 0; i < model_count_; ++i) {
    if (rt::same_string(model_name(i), name)) {
      *index = i;
      return Status::kOk;
    }
  }
  return Status::kNotFound;
}

const char* Pack::model_name(uint32_t model) const {
  return model < model_count_ ? model_segment(model).string_at(models_[model].name) : nullptr;
}

uint32_t Pack::arena_size(uint32_t model) const {
  return model < model_count_ ? models_[model].arena_size : 0;
}

uint32_t Pack::scratch_size(uint32_t model) const {
  return model < model_count_ ? models_[model].scratch_size : 0;
}

uint32_t Pack::input_count(uint32_t model) const {
  return model < model_count_ ? models_[model].input_count : 0;
}

uint32_t Pack::output_count(uint32_t model) const {
  return model < model_count_ ? models_[model].output_count : 0;
}

namespace {

void fill_info(const PackSegment& segment, const TensorRecord& t, TensorInfo* out) {
  out->name = segment.string_at(t.name);
  out->rank = t.rank;
  out->dims = t.dims;
  out->element_count = t.size / 4u;
}

}  // namespace

Status Pack::input_info(uint32_t model, uint32_t i, TensorInfo* out) const {
  if (out == nullptr || model >= model_count_ || i >= models_[model].input_count) {
    return Status::kInvalidArgument;
  }
  const ModelRecord& m = models_[model];
  const PackSegment& seg = model_segment(model);
  fill_info(seg, seg.tensors[m.first_tensor + seg.op_io[m.io_first + i]], out);
  return Status::kOk;
}

Status Pack::output_info(uint32_t model, uint32_t i, TensorInfo* out) const {
  if (out == nullptr || model >= model_count_ || i >= models_[model].output_count) {
    return Status::kInvalidArgument;
  }
  const ModelRecord& m = models_[model];
  const PackSegment& seg = model_segment(model);
  fill_info(seg, seg.tensors[m.first_tensor + seg.op_io[m.io_first + m.input_count + i]], out);
  return Status::kOk;
}

}  // namespace yono
