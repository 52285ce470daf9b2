import { buildWorkload } from "../../workload/build-workload.js";
import { graphTotals, opFlops, opParams } from "../../workload/op-metrics.js";
import type { Block } from "../../workload/op.js";
import type { TrainingWorkload } from "./training-types.js";
import { isLayerBlock } from "../../workload/graph-semantics.js";

/**
 * The forward graph of one training micro-batch on one rank, split the way a pipeline sees it:
 * the pre-layer blocks (embedding), the repeated transformer layers, the post-layer blocks (head,
 * loss). A model without layers (a CNN) is one body of blocks on one stage.
 */
export interface GraphInfo {
  graph: ReturnType<typeof buildWorkload>;
  layerBlocks: Block[];
  layerSet: Set<Block>;
  layers: number;
  heads?: number;
  kvHeads?: number;
  pre: Block[];
  post: Block[];
  body: Block[];
  flops: number;
  attnFlops: number;
  embeddingParams?: number;
}


/** The forward graph of one micro-batch on one rank: s/cp tokens per sequence under context parallelism. */
export function trainingGraph(w: TrainingWorkload, microbatch: number, cp = 1): GraphInfo {
  const seq = w.seq_len / cp;
  const graph = buildWorkload(
    w.model,
    { batch: microbatch, new_tokens: seq, context_tokens: seq, phase: "forward", training: true, fused_attention: w.flash_attention ?? true, ...(w.image_size ? { image_size: w.image_size } : {}) },
    w.precision,
  );
  const layerBlocks = graph.blocks.filter(isLayerBlock);
  const attn = layerBlocks.flatMap((b) => b.ops).find((o) => o.kind === "attention");
  const first = graph.blocks.indexOf(layerBlocks[0] ?? graph.blocks[0]!);
  const lastLayer = layerBlocks.length ? graph.blocks.indexOf(layerBlocks[layerBlocks.length - 1]!) : graph.blocks.length - 1;
  const pre = layerBlocks.length ? graph.blocks.slice(0, first) : [];
  const emb = pre.flatMap((b) => b.ops).find((o) => o.kind === "embedding");
  return {
    graph,
    layerBlocks,
    layerSet: new Set(layerBlocks),
    layers: layerBlocks.reduce((s, b) => s + b.repeat, 0),
    ...(attn?.kind === "attention" ? { heads: attn.heads, kvHeads: attn.kv_heads } : {}),
    pre,
    post: layerBlocks.length ? graph.blocks.slice(lastLayer + 1) : [],
    body: layerBlocks.length ? layerBlocks : graph.blocks,
    flops: graphTotals(graph).flops,
    attnFlops: graph.blocks.reduce((s, b) => s + b.ops.filter((o) => o.kind === "attention").reduce((x, o) => x + opFlops(o), 0) * b.repeat, 0),
    ...(emb ? { embeddingParams: opParams(emb) } : {}),
  };
}
