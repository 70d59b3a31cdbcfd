/**
 * `npm start [-- --stack prod] [--format json] [--out DIR]`: the offline plan. Runs the real
 * program under mocks and writes what `pulumi up` would build to out/<stack>/.
 */
import * as path from "path";
import { HELP_OPTION, oneOf, parseCli, TEXT_OR_JSON, TextOrJson, usageFailure } from "../policy-pack/cli-args";

const REPO_ROOT = path.resolve(__dirname, "..");

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
        stacksDir: path.resolve(cli.values["stacks-dir"] ?? path.join(REPO_ROOT, "stacks")),
    };
    // The program, the providers' SDKs and the pack load only now: --help and usage errors answer at once.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runPlan } = require("./run-plan") as typeof import("./run-plan");
    return runPlan(args);
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
        console.error(`plan: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = 1;
    });
}
