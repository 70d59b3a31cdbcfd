/**
 * Engine benchmark: the real Pulumi CLI's `pulumi preview --policy-pack policy-pack` wall time
 * per stack (a fresh local backend, the stand-in providers; engine/README.md), next to the
 * offline plan's for the same stack. Goal: a real preview under 60 s per stack on this 2-core
 * machine (it type-checks the program with ts-node, as the CLI does by default). Needs the CLI:
 * AKS_PLATFORM_PULUMI_CLI, or the cached build (built here on first use, minutes).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, REPO_ROOT } from "../plan/stack-config";
import { ensureToolchain } from "../engine/toolchain";
import { ENGINE_OUT, prepareWorkspace, runCli, selectStack, stackPolicyConfig } from "../engine/workspace";
import type { BenchResult } from "./types";

const GOAL_MS = 60_000;

export async function runEngineBench(): Promise<BenchResult[]> {
    const toolchain = ensureToolchain();
    fs.rmSync(path.join(ENGINE_OUT, "bench"), { recursive: true, force: true });
    const ws = prepareWorkspace(toolchain, "bench");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "engine-bench-"));
    const results: BenchResult[] = [];
    try {
        for (const stack of listStacks()) {
            const planStarted = process.hrtime.bigint();
            const plan = spawnSync(process.execPath, ["-r", "tsx/cjs", "plan/main.ts", "--stack", stack, "--out", out, "--format", "json"], { cwd: REPO_ROOT, encoding: "utf8" });
            const planMs = Number(process.hrtime.bigint() - planStarted) / 1e6;
            await selectStack(toolchain, ws, stack);
            const policyConfig = stackPolicyConfig(ws.projectDir, stack);
            const args = ["preview", "--stack", stack, "--non-interactive", "--color", "never", "--policy-pack", "policy-pack", ...(policyConfig ? ["--policy-pack-config", policyConfig] : [])];
            const preview = await runCli(toolchain, ws, args);
            results.push({
                name: `real preview (${toolchain.version}), ${stack} stack`,
                figures: {
                    previewWallMs: preview.ms,
                    offlinePlanWallMs: Math.round(planMs),
                    ratio: `${(preview.ms / planMs).toFixed(1)}x`,
                    goalMs: GOAL_MS,
                    exitCode: preview.code,
                },
                ok: preview.code === 0 && plan.status === 0 && preview.ms < GOAL_MS,
                notes: [
                    `language host: ${toolchain.languageHost}`,
                    ...(preview.code === 0 ? [] : [preview.stderr.trim().split("\n").slice(-3).join(" | ")]),
                ],
            });
        }
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
    return results;
}
