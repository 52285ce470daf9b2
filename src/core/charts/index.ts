/** Charts as self-contained SVG strings (plain data in, SVG out; vega loaded on the first chart). */
export { architectureDiagram, type ArchitectureInput, type ArchitectureLink, type ArchitectureMemoryLevel } from "./architecture-diagram.js";
export { breakdownChart, breakdownSpec, type BreakdownInput } from "./breakdown-chart.js";
export { costChart, type CostBreakdownInput } from "./cost-chart.js";
export { factorChart, type FactorCell, type FactorChartInput } from "./factor-chart.js";
export { factorSpec } from "./factor-chart.js";
export { OKABE_ITO } from "./palette.js";
export { precisionChart, type PrecisionChartInput, type PrecisionPoint } from "./precision-chart.js";
export { rooflineChart, rooflinePoints, type RooflineInput, type RooflineOp } from "./roofline-chart.js";
export { rooflineSpec, type RooflineSpecOptions } from "./roofline-chart.js";
export { metricBarChart, metricBarSpec, type MetricBarInput } from "./metric-bar-chart.js";
export { powerThermalChart, type TimelineInput } from "./timeline-chart.js";
export { renderVegaLite, type VegaLiteSpec } from "./vega-render.js";
export { SYSTOLIC_HEATMAP_METRICS, systolicHeatmapCells, systolicHeatmapChart, systolicHeatmapSpec, type SystolicHeatmapInput, type SystolicHeatmapLayer } from "./systolic-heatmap.js";
export { pipelineDiagram, type PipelineDiagramInput, type PipelineDiagramLink, type PipelineDiagramStage } from "./pipeline-diagram.js";
export { scalingChart, scalingSpec, type ScalingChartInput, type ScalingSeries } from "./scaling-chart.js";
export { latencyChart, latencySpec, type LatencyChartInput, type LatencyQuantile } from "./latency-chart.js";
export { servingTimelineChart, servingTimelineSpec, type ServingTimelineInput } from "./serving-timeline-chart.js";
