/**
 * `npm start [-- --stack prod] [--format json] [--out DIR]`: the offline plan. Runs the real
 * program under mocks and writes what `pulumi up` would build to out/<stack>/.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../components/config";
import { REPO_ROOT, STACKS_DIR } from "./stack-config";
import { HELP_OPTION, oneOf, parseCli, TEXT_OR_JSON, TextOrJson, usageFailure } from "../policy-pack/cli-args";
import { runProgram } from "./program";
import { PHASES, PlanContext } from "./phases";

const USAGE = `usage: npm start -- [--stack NAME] [--format text|json] [--out DIR] [--stacks-dir DIR]

Runs the program for one stack under Pulumi mocks (no Azure account, no Pulumi CLI) and writes
what \`pulumi up\` would build to DIR/<stack>/ (default out/). Stacks: the files in stacks/.
--format json prints one JSON summary on stdout (use npm start -s to keep npm's banner off it).
Exit codes: 0 planned, 1 invalid config or a mandatory policy violation, 2 usage error.`;

const OPTIONS = {
    ...HELP_OPTION,
    stack: { type: "string", default: "dev" },
    format: { type: "string", default: "text" },
    out: { type: "string" },
    "stacks-dir": { type: "string" },
} as const;

export async function main(argv: string[]): Promise<number> {
    // tsx turns source maps on, which makes every `new Error().stack` expensive; the Pulumi runtime
    // takes one per promise and per resource (runtime/debuggable.js), which tripled the plan's time
    // at 200 apps. The plan never shows a stack trace to users, so they are off.
    process.setSourceMapsEnabled(false);
    const cli = parseCli("plan", argv, { usage: USAGE, options: OPTIONS });
    if (cli.stop) return cli.code;
    let format: TextOrJson;
    try {
        format = oneOf("format", cli.values.format, TEXT_OR_JSON, "text");
    } catch (e) {
        return usageFailure("plan", USAGE, e).code;
    }
    const args = {
        stack: cli.values.stack ?? "dev",
        format,
        out: path.resolve(cli.values.out ?? path.join(REPO_ROOT, "out")),
        stacksDir: path.resolve(cli.values["stacks-dir"] ?? STACKS_DIR),
    };
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
        if (e instanceof ConfigError) {
            console.error(`plan: stack ${args.stack} has invalid configuration; nothing was planned.\n${e.message}`);
            return 1;
        }
        const message = e instanceof Error ? e.message : String(e);
        console.error(`plan: stack ${args.stack} failed: ${message}`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
        console.error(`plan: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = 1;
    });
}
