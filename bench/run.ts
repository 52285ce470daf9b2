/** `npm run bench`: runs every benchmark in bench/ and prints ratios against in-process baselines. */
import { engineBench } from "./engine.bench.js";

const rows = await engineBench();
console.log("engine (Llama 3.1 405B on nvidia-h100-sxm)");
for (const r of rows) console.log(`  ${r.name.padEnd(52)} ${r.mean_ms.toFixed(4).padStart(10)} ms   ×${r.ratio_to_baseline.toFixed(1)} baseline`);
const fwd = rows.find((r) => r.name.startsWith("405B prefill"));
if (fwd) console.log(`\nforward pass: ${fwd.mean_ms.toFixed(3)} ms (target: well under 10 ms)`);
