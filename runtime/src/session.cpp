#include "yono/session.h"

#include "ops/op_table.h"

namespace yono {

Session::Session(const Pack& pack, uint8_t* arena, size_t arena_size)
    : pack_(&pack), arena_(arena), arena_size_(arena_size), model_(kNone) {}

Status Session::select(uint32_t model) {
  if (model >= pack_->model_count()) return Status::kInvalidArgument;
  if (arena_ == nullptr) return Status::kInvalidArgument;
  if (reinterpret_cast<uintptr_t>(arena_) % kSectionAlign != 0) return Status::kBadAlignment;
  const ModelRecord& m = pack_->models()[model];
  if (arena_size_ < m.arena_size) return Status::kArenaTooSmall;
  model_ = model;
  record_ = &m;
  segment_ = &pack_->model_segment(model);
  return Status::kOk;
}

TensorView Session::view(uint32_t tensor_index) {
  const TensorRecord& t = segment_->tensors[record_->first_tensor + tensor_index];
  return TensorView{reinterpret_cast<float*>(arena_ + t.offset), t.size / 4u};
}

TensorView Session::input(uint32_t i) {
  if (record_ == nullptr || i >= record_->input_count) return TensorView{nullptr, 0};
  return view(segment_->op_io[record_->io_first + i]);
}

TensorView Session::output(uint32_t i) {
  if (record_ == nullptr || i >= record_->output_count) return TensorView{nullptr, 0};
  return view(segment_->op_io[record_->io_first + record_->input_count + i]);
}

Status Session::invoke() {
  if (record_ == nullptr) return Status::kNoModelSelected;
  const TensorRecord* tensors = segment_->tensors + record_->first_tensor;
  for (uint32_t i = 0; i < record_->op_count; ++i) {
    const OpRecord& op = segment_->ops[record_->first_op + i];
    const uint32_t* io = segment_->op_io + op.io_first;
    // Pack::open validated the type, tensors and params of every op.
    const ops::OpContext ctx{tensors,
                             io,
                             op.input_count,
                             io[op.input_count],
                             segment_->params + op.param_offset,
                             op.param_size,
                             arena_,
                             segment_->weights,
                             segment_->code_blocks,
                             pack_,
                             record_};
    const ops::OpEntry* entry = ops::op_entry(op.type);
    (ops::runs_s8(tensors[io[0]], tensors[ctx.output]) ? entry->eval_s8 : entry->eval)(ctx);
  }
  return Status::kOk;
}

}  // namespace yono
