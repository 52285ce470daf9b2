/**
 * The views, in menu order. Each is one file under views/ with a component taking the engine, loaded
 * when first shown (its own chunk; the opening view's chunk is fetched beside the engine); its inputs live in the URL (state/url-state.ts) under its id.
 */
import { type LazyViewComponent, lazyView } from "./lazy-view.js";

export interface ViewEntry {
  id: string;
  title: string;
  /** One line under the title: what the view answers. */
  blurb: string;
  component: LazyViewComponent;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: "compare", title: "Compare", blurb: "One workload on several chips: ranked, with every factor and adjustable weights.", component: lazyView(() => import("./compare-view.js"), "CompareView") },
  { id: "roofline", title: "Roofline", blurb: "A chip's roofline per dtype with the workload's ops placed on it.", component: lazyView(() => import("./roofline-view.js"), "RooflineView") },
  { id: "training", title: "Training planner", blurb: "Model, chips, batch → the best parallel layouts, memory per chip, step time and scaling.", component: lazyView(() => import("./training-view.js"), "TrainingView") },
  { id: "serving", title: "Serving planner", blurb: "Model, SLO and request rate → ranked deployments, latency distributions and a timeline.", component: lazyView(() => import("./serving-view.js"), "ServingView") },
  { id: "designer", title: "Chip designer", blurb: "A chip's architecture and sourced figures; edit a variant every view can use.", component: lazyView(() => import("./designer-view.js"), "DesignerView") },
  { id: "pipeline", title: "Pipeline", blurb: "A heterogeneous pipeline of units: each stage's rate and utilisation, the bottleneck.", component: lazyView(() => import("./pipeline-view.js"), "PipelineView") },
];

export const viewById = (id: string): ViewEntry => VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
