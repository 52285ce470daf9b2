import type { Bound } from "../../cost/contract.js";
import type { System } from "../../network/build-system.js";
import type { ModelSpec } from "../../spec/model-spec.js";
import type { SoftwareUsed } from "../../spec/software-spec.js";
import type { Precision } from "../../workload/precision.js";

/** The request and result of a training-step estimate (estimate-training.ts documents the model). */
export interface TrainingRequest {
  model: ModelSpec;
  precision: Precision;
  global_batch: number;
  seq_len: number;
  image_size?: number;
  recompute: "none" | "selective" | "full";
  chips: number;
  tp: number;
  pp: number;
  dp: number;
  ep: number;
  cp: number;
  zero: number;
  microbatch: number;
  /** Megatron sequence parallelism (with tp > 1). */
  sp?: boolean;
  /** Interleaved virtual pipeline chunks per rank (1 = plain 1F1B). */
  interleave?: number;
  /** The cluster; required when chips > 1. */
  system?: System;
  /** Gradient bucket size for the overlapped reduction, bytes (default 25 MB, PyTorch DDP's bucket_cap_mb). */
  grad_bucket_bytes?: number;
  /** Overlap the data-parallel gradient reduction with the last backward (default true). */
  overlap_grad_reduce?: boolean;
  /**
   * ZeRO-3 / FSDP: layers whose parameter all-gathers are issued ahead of the compute (FSDP
   * forward_prefetch / backward_prefetch, DeepSpeed stage3 prefetch); 0 = each gather waits for the
   * layer that needs it. Default 1.
   */
  zero_prefetch_layers?: number;
  /**
   * ZeRO-3 under full recompute: the weights are gathered again for the backward after the recomputed
   * forward freed them (DeepSpeed's module hooks), instead of the recompute and backward sharing one
   * gather (FSDP). Default false.
   */
  zero_recompute_regather?: boolean;
  /** ZeRO-1/2: overlap the post-step parameter all-gather with the next forward (Megatron --overlap-param-gather; default: as overlap_grad_reduce). */
  overlap_param_gather?: boolean;
  /** FlashAttention-style fused attention (default true). */
  flash_attention?: boolean;
  /** Dropout masks kept for backward (GPT-3-era training; default false). */
  dropout?: boolean;
  /** Token budget for time-to-train. */
  tokens?: number;
  /** Price of one chip-hour for the training cost (default: the chip's cloud price). */
  usd_per_chip_hour?: number;
}

export interface TrainingEstimate {
  kind: "training";
  model: string;
  chip: string;
  chips: number;
  system?: string;
  layout: { tp: number; pp: number; dp: number; ep: number; cp: number; sp: boolean; zero: number; microbatch: number; interleave: number; recompute: string };
  step_time_s: number;
  step_breakdown_s: {
    forward: number;
    backward: number;
    recompute: number;
    optimizer: number;
    /** Tensor-parallel collectives (on the critical path). */
    tensor_parallel_comm: number;
    /** Expert-parallel all-to-alls (dispatch and combine, forward and backward; on the critical path). */
    expert_parallel_comm: number;
    /** Ring-attention sends of context parallelism not hidden behind the attention blocks. */
    context_parallel_comm: number;
    /** Pipeline point-to-point transfers. */
    pipeline_p2p: number;
    /** Data-parallel gradient reduction not hidden behind compute. */
    data_parallel_exposed: number;
    /** Compute slowed by communication overlapped with it (interference; library data). */
    overlap_slowdown: number;
    /** All communication on the critical path (sum of the five above). */
    communication_exposed: number;
    pipeline_bubble: number;
  };
  tokens_per_s: number;
  samples_per_s: number;
  model_flops_per_step: number;
  hardware_flops_per_step: number;
  model_flops_per_s_per_chip: number;
  hardware_flops_per_s_per_chip: number;
  mfu: number;
  hfu: number;
  memory_per_chip_bytes: number;
  memory_breakdown_bytes: { weights: number; gradients: number; optimizer: number; activations: number; kv_cache: number; other: number };
  memory_capacity_bytes: number;
  fits: boolean;
  shortfall_bytes: number;
  microbatches_per_step: number;
  energy_j?: number;
  energy_per_step_j?: number;
  time_to_train_s?: number;
  chip_hours?: number;
  cost_usd?: number;
  bound: Bound;
  warnings: string[];
  /** Layout knobs the request left unset and the job chose (best feasible), with why. */
  chosen_defaults?: ChosenDefault[];
  /** The software stack the estimate assumed (set by the application layer: catalog/software presets). */
  software?: SoftwareUsed;
}

/** A layout knob the request left unset, the value chosen, and why. */
export interface ChosenDefault {
  field: string;
  value: number | boolean | string;
  why: string;
}

export type Recompute = TrainingRequest["recompute"];


/** The fields a {@link TrainingPricer} is bound to; the layout fields of each request may vary. */
export type TrainingWorkload = Pick<TrainingRequest, "model" | "precision" | "seq_len" | "image_size" | "flash_attention" | "dropout" | "system">;

/** The model's shape as the layout checks see it. */
export interface TrainingStructure {
  layers: number;
  heads?: number;
  kv_heads?: number;
  hidden: number;
  /** Whether the model counts tokens (decoder LLM, encoder) rather than samples. */
  token_model: boolean;
  model: string;
}
