/**
 * `npm run preview:local -- --stack <name> [--policy-pack-config FILE] [--format text|json]`:
 * a real `pulumi preview --policy-pack policy-pack` of one stack on a local file backend. The
 * output is the CLI's own and the exit code is the CLI's.
 */
import * as fs from "fs";
import * as path from "path";
import { HELP_OPTION, oneOf, parseCli, TEXT_OR_JSON, TextOrJson, usageFailure, UsageError } from "../policy-pack/cli-args";
import { describeToolchain, ensureToolchain } from "./toolchain";
import { prepareWorkspace, runCli, selectStack, stackPolicyConfig } from "./workspace";

const USAGE = `usage: npm run preview:local -- [--stack NAME] [--policy-pack-config FILE] [--format text|json]

Runs the real Pulumi CLI: pulumi preview --policy-pack policy-pack on a local file backend in
out/engine/ (the stack is created from stacks/Pulumi.<stack>.yaml on first use). The providers
are stand-ins (engine/README.md). The CLI is AKS_PLATFORM_PULUMI_CLI when set, else one built
from the Go module proxy and cached in \${XDG_CACHE_HOME:-~/.cache}/aks-platform/ (minutes, once).
--policy-pack-config defaults to policy-pack/config/<stack>.json when that file exists.
--format json passes --json to the CLI.
Exit code: the CLI's (0 when the preview succeeded, non-zero when it failed); 2 usage error.`;

const OPTIONS = {
    ...HELP_OPTION,
    stack: { type: "string", default: "dev" },
    "policy-pack-config": { type: "string" },
    format: { type: "string", default: "text" },
} as const;

export async function main(argv: string[]): Promise<number> {
    const cli = parseCli("preview:local", argv, { usage: USAGE, options: OPTIONS });
    if (cli.stop) return cli.code;
    let format: TextOrJson;
    let policyConfig: string | undefined;
    try {
        format = oneOf("format", cli.values.format, TEXT_OR_JSON, "text");
        const given = cli.values["policy-pack-config"];
        if (given !== undefined) {
            policyConfig = path.resolve(given);
            if (!fs.existsSync(policyConfig)) throw new UsageError(`--policy-pack-config ${given}: no such file`);
        }
    } catch (e) {
        return usageFailure("preview:local", USAGE, e).code;
    }
    const stack = cli.values.stack ?? "dev";
    const toolchain = ensureToolchain();
    console.error(describeToolchain(toolchain));
    const ws = prepareWorkspace(toolchain);
    await selectStack(toolchain, ws, stack);
    policyConfig ??= stackPolicyConfig(ws.projectDir, stack);
    const args = ["preview", "--stack", stack, "--non-interactive", "--color", "never", "--policy-pack", "policy-pack"];
    if (policyConfig) args.push("--policy-pack-config", policyConfig);
    if (format === "json") args.push("--json");
    console.error(`engine: $ pulumi ${args.join(" ")}   (in ${path.relative(process.cwd(), ws.projectDir)})`);
    const result = await runCli(toolchain, ws, args, true);
    return result.code;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
        console.error(`preview:local: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = 1;
    });
}
