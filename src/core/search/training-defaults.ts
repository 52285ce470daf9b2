/** The training-knob chooser lives in core/estimate (validate uses it too); re-exported here for the search's users. */
export { estimateTrainingWithDefaults, type OpenKnob, type OpenTrainingRequest } from "../estimate/training-defaults.js";
