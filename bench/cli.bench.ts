/**
 * CLI start-up: each command in a fresh process on a tiny input, as its npm script runs it
 * (`node -r tsx/cjs <file>`; package.json). Goal: under 1 s each (median of 5). The `npm run`
 * wrapper adds its own start-up on top; it is measured once and reported, not counted.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../plan/stack-config";
import type { BenchResult } from "./types";

const GOAL_MS = 1000;
const RUNS = 5;
const FIXTURE = path.join("test", "analysis", "fixtures", "cluster.yaml");

const COMMANDS: { name: string; args: string[] }[] = [
    { name: "npm start -- --help", args: ["plan/main.ts", "--help"] },
    { name: "npm run policy -- --help", args: ["policy-pack/cli.ts", "--help"] },
    { name: "npm run netpol -- --help", args: ["policy-pack/analysis/cli.ts", "--help"] },
    { name: "npm run netpol -- explain (tiny file)", args: ["policy-pack/analysis/cli.ts", "explain", FIXTURE, "--from", "shop/web", "--to", "shop/db", "--port", "5432/TCP"] },
];

function timeOnce(args: string[]): { ms: number; status: number | null } {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-r", "tsx/cjs", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: run.status };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

export async function runCliBench(): Promise<BenchResult[]> {
    const results: BenchResult[] = COMMANDS.map((c) => {
        const runs = Array.from({ length: RUNS }, () => timeOnce(c.args));
        const ms = Math.round(median(runs.map((r) => r.ms)));
        // 0 or 1 (an answer) or 3 (inconclusive) are answers; 2 is a usage error.
        const answered = runs.every((r) => r.status !== null && r.status !== 2);
        return { name: `CLI start-up: ${c.name}`, figures: { medianMs: ms, goalMs: GOAL_MS, exitCode: runs[0].status ?? -1 }, ok: answered && ms < GOAL_MS };
    });
    const started = process.hrtime.bigint();
    spawnSync("npm", ["run", "-s", "netpol", "--", "--help"], { cwd: REPO_ROOT, encoding: "utf8" });
    const npmMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    results.push({ name: "npm run wrapper around netpol --help (reported)", figures: { wallMs: npmMs }, ok: true, notes: ["npm's own start-up, outside the project's control"] });
    return results;
}
