/**
 * Offline plan benchmark: `npm start -- --stack <stack>` for every stack, as a newcomer runs it
 * (a fresh Node process, as package.json runs it), writing to a temporary folder. Goal: under 15 s each.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, REPO_ROOT } from "../plan/stack-config";
import { planNodeArgs } from "./plan-command";

export interface PlanBenchResult {
    name: string;
    figures: Record<string, number | string>;
    ok: boolean;
    notes?: string[];
}

const GOAL_MS = 15_000;

export async function runPlanBench(): Promise<PlanBenchResult[]> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
    const results: PlanBenchResult[] = [];
    try {
        for (const stack of listStacks()) {
            const started = process.hrtime.bigint();
            const run = spawnSync(process.execPath, [...planNodeArgs(), "--stack", stack, "--out", out, "--format", "json"], {
                cwd: REPO_ROOT, encoding: "utf8"
            });
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            const files = run.status === 0 ? (JSON.parse(run.stdout) as { files: string[] }).files.length : 0;
            results.push({
                name: `offline plan, ${stack} stack`,
                figures: { wallMs: Math.round(ms), goalMs: GOAL_MS, files, exitCode: run.status ?? -1 },
                ok: run.status === 0 && ms < GOAL_MS,
                notes: run.status === 0 ? undefined : [run.stderr.trim().split("\n").slice(-3).join(" | ")],
            });
        }
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
    return results;
}
