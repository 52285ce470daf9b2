/**
 * The views, in menu order. Each is one file under views/ with a component taking the engine; its
 * inputs live in the URL (state/url-state.ts) under its id.
 */
import type { FunctionComponent } from "preact";
import type { Engine } from "../engine/engine.js";
import { CompareView } from "./compare-view.js";
import { DesignerView } from "./designer-view.js";
import { PipelineView } from "./pipeline-view.js";
import { RooflineView } from "./roofline-view.js";
import { ServingView } from "./serving-view.js";
import { TrainingView } from "./training-view.js";

export interface ViewEntry {
  id: string;
  title: string;
  /** One line under the title: what the view answers. */
  blurb: string;
  component: FunctionComponent<{ engine: Engine }>;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: "compare", title: "Compare", blurb: "One workload on several chips: ranked, with every factor and adjustable weights.", component: CompareView },
  { id: "roofline", title: "Roofline", blurb: "A chip's roofline per dtype with the workload's ops placed on it.", component: RooflineView },
  { id: "training", title: "Training planner", blurb: "Model, chips, batch → the best parallel layouts, memory per chip, step time and scaling.", component: TrainingView },
  { id: "serving", title: "Serving planner", blurb: "Model, SLO and request rate → ranked deployments, latency distributions and a timeline.", component: ServingView },
  { id: "designer", title: "Chip designer", blurb: "A chip's architecture and sourced figures; edit a variant every view can use.", component: DesignerView },
  { id: "pipeline", title: "Pipeline", blurb: "A heterogeneous pipeline of units: each stage's rate and utilisation, the bottleneck.", component: PipelineView },
];

export const viewById = (id: string): ViewEntry => VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
