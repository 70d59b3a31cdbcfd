/**
 * `npm start [-- --stack prod] [--format json] [--out DIR]`: the offline plan. Runs the real
 * program under mocks and writes what `pulumi up` would build to out/<stack>/.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../components/config";
import { listStacks, REPO_ROOT, STACKS_DIR } from "./stack-config";
import { runProgram } from "./program";
import { PHASES, PlanContext } from "./phases";

interface Args { stack: string; format: "text" | "json"; out: string; stacksDir: string }

function parseArgs(argv: string[]): Args {
    const args: Args = { stack: "dev", format: "text", out: path.join(REPO_ROOT, "out"), stacksDir: STACKS_DIR };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === "--stack") args.stack = value();
        else if (a === "--format") {
            const f = value();
            if (f !== "text" && f !== "json") throw new UsageError(`--format must be text or json, not ${f}`);
            args.format = f;
        } else if (a === "--out") args.out = path.resolve(value());
        else if (a === "--stacks-dir") args.stacksDir = path.resolve(value());
        else if (a === "--help" || a === "-h") throw new UsageError("");
        else throw new UsageError(`unknown argument ${a}`);
    }
    return args;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        if (e.message) console.error(`error: ${e.message}`);
        console.error(`usage: npm start -- [--stack ${listStacks().join("|")}] [--format text|json] [--out DIR] [--stacks-dir DIR]`);
        return 2;
    }
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
        for (const phase of PHASES) {
            const t = Date.now();
            await phase.run(ctx);
            progress(`plan: ${phase.name.padEnd(14)} ${String(Date.now() - t).padStart(5)} ms  ${phase.describe(ctx)}`);
        }
        const elapsed = Date.now() - started;
        if (json) {
            console.log(JSON.stringify({ stack: args.stack, dir, elapsedMs: elapsed, files: ctx.files, summary: ctx.summary }, null, 2));
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
