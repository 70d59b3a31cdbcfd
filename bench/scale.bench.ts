/**
 * Scale benchmark (issue: 500 application namespaces): the offline plan of a prod-shaped stack with
 * 50, 200 and 500 generated apps, each in a fresh process as `npm start` runs it. Reports wall time,
 * peak memory, output sizes and the policy pack's time, and the 500/200 growth ratio.
 * Goals: 500 apps under 30 s, 500/200 wall-time ratio <= 3 (linear: 2.5), peak RSS under 1 GB,
 * resources.json under 4 KB per resource. The plan caps V8's old space at 900 MB (package.json):
 * after a 500-app run the live heap is ~120 MB; without a cap V8 lets short-lived registration
 * garbage grow the process to ~1.9 GB before collecting.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../plan/stack-config";
import { planNodeArgs } from "./plan-command";
import { writeScaleStack } from "./scale-stack";
import type { BenchResult } from "./types";

const SIZES = [50, 200, 500] as const;
const GOALS = { wallMs500: 30_000, ratio: 3, rssMb: 1024, bytesPerResource: 4096 };

interface PlanJson { elapsedMs: number; peakRssMb: number; phaseMs: Record<string, number>; summary: { resources: number; mandatoryViolations: number } }

function sizeOf(file: string): number {
    return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

export async function runScaleBench(): Promise<BenchResult[]> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scale-bench-"));
    const results: BenchResult[] = [];
    const wall = new Map<number, number>();
    try {
        for (const n of SIZES) {
            const stack = writeScaleStack(tmp, n);
            const started = process.hrtime.bigint();
            // Exactly what `npm start` runs (package.json), on the generated stack.
            const run = spawnSync(process.execPath, [...planNodeArgs(), "--stack", stack, "--stacks-dir", tmp, "--out", tmp, "--format", "json"], {
                cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
            });
            const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
            wall.set(n, ms);
            if (run.status !== 0 && run.status !== 1) {
                results.push({ name: `plan with ${n} apps`, figures: { exitCode: run.status ?? -1 }, ok: false, notes: [run.stderr.trim().split("\n").slice(-3).join(" | ")] });
                continue;
            }
            const plan = JSON.parse(run.stdout) as PlanJson;
            const dir = path.join(tmp, stack);
            const resourcesBytes = sizeOf(path.join(dir, "resources.json"));
            const perResource = Math.round(resourcesBytes / plan.summary.resources);
            const reach = sizeOf(path.join(dir, "reachability.json")) + sizeOf(path.join(dir, "reachability.md"));
            results.push({
                name: `plan with ${n} apps`,
                figures: {
                    resources: plan.summary.resources,
                    wallMs: ms,
                    programMs: plan.phaseMs.program,
                    policyMs: plan.phaseMs.policies,
                    networkMs: plan.phaseMs.network,
                    peakRssMb: plan.peakRssMb,
                    resourcesJsonKb: Math.round(resourcesBytes / 1024),
                    bytesPerResource: perResource,
                    manifestsKb: Math.round(sizeOf(path.join(dir, "manifests.yaml")) / 1024),
                    reachabilityKb: Math.round(reach / 1024),
                    mandatoryViolations: plan.summary.mandatoryViolations,
                },
                ok: plan.peakRssMb < GOALS.rssMb && perResource < GOALS.bytesPerResource && plan.summary.mandatoryViolations === 0 && (n !== 500 || ms < GOALS.wallMs500),
            });
            fs.rmSync(dir, { recursive: true, force: true });
        }
        const w200 = wall.get(200);
        const w500 = wall.get(500);
        if (w200 !== undefined && w500 !== undefined) {
            const ratio = Math.round((w500 / w200) * 100) / 100;
            results.push({ name: "plan growth 500/200 apps (linear would be 2.5)", figures: { ratio, goal: GOALS.ratio }, ok: ratio <= GOALS.ratio });
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    return results;
}
