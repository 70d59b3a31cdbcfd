/** The offline plan's work, loaded only once the command line is valid (see main.ts). */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../components/config";
import { StackFileError } from "./stack-config";
import { runProgram } from "./program";
import { PHASES, PlanContext } from "./phases";

export interface PlanArgs {
    stack: string;
    format: "text" | "json";
    out: string;
    stacksDir: string;
}

/** Plans one stack into `out/<stack>/`; returns the exit code (0 planned, 1 bad config or a mandatory violation). */
export async function runPlan(args: PlanArgs): Promise<number> {
    const json = args.format === "json";
    const progress = (line: string): void => { if (!json) console.log(line); };
    const started = Date.now();
    const dir = path.join(args.out, args.stack);
    try {
        progress(`plan: stack ${args.stack}, running the program under mocks ...`);
        const run = await runProgram(args.stack, { stacksDir: args.stacksDir });
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        const ctx: PlanContext = { stack: args.stack, stacksDir: args.stacksDir, dir, run, files: [], summary: {} };
        const phaseMs: Record<string, number> = { program: Date.now() - started };
        for (const phase of PHASES) {
            const t = Date.now();
            await phase.run(ctx);
            phaseMs[phase.name] = Date.now() - t;
            progress(`plan: ${phase.name.padEnd(14)} ${String(phaseMs[phase.name]).padStart(5)} ms  ${phase.describe(ctx)}`);
        }
        const elapsed = Date.now() - started;
        if (json) {
            // Peak memory of the whole run, for the scale benchmark (resourceUsage().maxRSS is in KiB).
            const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
            console.log(JSON.stringify({ stack: args.stack, dir, elapsedMs: elapsed, phaseMs, peakRssMb, files: ctx.files, summary: ctx.summary }, null, 2));
        } else {
            for (const phase of PHASES) {
                const text = phase.report?.(ctx);
                if (text) console.log(`\n${text}`);
            }
            console.log(`\nWrote ${ctx.files.length} files to ${path.relative(process.cwd(), dir) || dir} in ${elapsed} ms.`);
        }
        return ctx.summary.mandatoryViolations ? 1 : 0;
    } catch (e) {
        if (e instanceof StackFileError) {
            console.error(`plan: ${e.message}`);
            return 1;
        }
        if (e instanceof ConfigError) {
            console.error(`plan: stack ${args.stack} has invalid configuration; nothing was planned.\n${e.message}`);
            return 1;
        }
        const message = e instanceof Error ? e.message : String(e);
        console.error(`plan: stack ${args.stack} failed: ${message}`);
        return 1;
    }
}
