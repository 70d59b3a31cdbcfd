/**
 * `npm run bench`: the performance targets (they live here, not in timed tests).
 * - analyzer: full matrix of 1,000 pods x 2,000 policies x 4 probes under 1 s, >= 50x the reference evaluator
 * - policy pack: every rule over a 2,000-resource stack under 1 s
 * - offline plan: each stack under 15 s
 * - engine: the real CLI's preview per stack under 60 s, next to the offline plan's time (`npm run bench engine`)
 * Prints a table, writes out/bench.json, exits 1 when a goal is missed.
 */
import * as fs from "fs";
import * as path from "path";
import { runAnalysisBench } from "./analysis.bench";
import { runPolicyBench } from "./policy.bench";
import { runPlanBench } from "./plan.bench";
import { runScaleBench } from "./scale.bench";
import { runMutationBench } from "./mutation.bench";
import { runCliBench } from "./cli.bench";
import { runEngineBench } from "./engine.bench";

interface Result { name: string; figures: Record<string, number | string>; ok: boolean; notes?: string[] }

async function main(): Promise<number> {
    const only = process.argv.slice(2);
    const suites: [string, () => Promise<Result[]>][] = [
        ["analysis", runAnalysisBench],
        ["policy", runPolicyBench],
        ["plan", runPlanBench],
        ["scale", runScaleBench],
        ["cli", runCliBench],
        ["engine", runEngineBench],
        ["mutation", runMutationBench],
    ];
    const results: Result[] = [];
    for (const [name, run] of suites) {
        if (only.length > 0 && !only.includes(name)) continue;
        console.log(`bench: ${name} ...`);
        const rs = await run();
        for (const r of rs) {
            console.log(`  ${r.ok ? "ok  " : "MISS"} ${r.name}`);
            console.log(`       ${Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join("  ")}`);
            for (const n of r.notes ?? []) console.log(`       note: ${n}`);
        }
        results.push(...rs);
    }
    const out = path.join(__dirname, "..", "out");
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "bench.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + "\n");
    const missed = results.filter((r) => !r.ok).length;
    console.log(`\n${results.length - missed} goals met, ${missed} missed (out/bench.json)`);
    return missed === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
});
