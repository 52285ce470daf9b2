/** `npm run bench`: runs every benchmark in bench/ and prints ratios against baselines (start-up: against `node -e 0`). */
import { engineBench } from "./engine.bench.js";
import { printServingBench, servingBench } from "./serving.bench.js";
import { printStartupBench, startupBench } from "./startup.bench.js";
import { systolicBench } from "./systolic.bench.js";
import { printTrainingSearchBench, trainingSearchBench } from "./training-search.bench.js";

const rows = await engineBench();
console.log("engine (Llama 3.1 405B on nvidia-h100-sxm)");
for (const r of rows) console.log(`  ${r.name.padEnd(52)} ${r.mean_ms.toFixed(4).padStart(10)} ms   ×${r.ratio_to_baseline.toFixed(1)} baseline`);
const fwd = rows.find((r) => r.name.startsWith("405B prefill"));
if (fwd) console.log(`\nforward pass: ${fwd.mean_ms.toFixed(3)} ms (target: well under 10 ms)`);

const s = systolicBench();
console.log("\nsystolic: ResNet-50 on a 256×256 WS array (SCALE-Sim google.cfg), --compat scalesim");
console.log(`  xpusim first run ${s.cold_ms.toFixed(1)} ms, warm median ${s.warm_median_ms.toFixed(2)} ms; SCALE-Sim ${s.scalesim_seconds.toFixed(1)} s (${s.scalesim_source})`);
console.log(`  identical reports: ${s.identical_to_scalesim ? "yes" : "NO"}; speed-up ×${Math.round(s.speedup_cold)} cold, ×${Math.round(s.speedup_warm)} warm (target ×1000)`);

console.log("");
printServingBench(await servingBench());

console.log("");
printTrainingSearchBench(await trainingSearchBench());

console.log("");
printStartupBench(startupBench(15), 15);
