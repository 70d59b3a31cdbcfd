/**
 * `npm run -s policy -- check FILE [--config POLICY-CONFIG.json] [--format text|json]`
 *
 * Runs every rule of the pack on a plan file (`out/<stack>/resources.json` from the offline plan, or
 * a bare array of resources in the same shape), with the policy config from `--config` (Pulumi's
 * policy config format, the same file `pulumi preview --policy-pack-config` takes) or the pack's
 * defaults. The config is validated as the Pulumi CLI validates it (engine.ts). Prints each finding
 * with its rule, resource and fix. Exit 1 when a mandatory rule is violated, 0 otherwise, 2 on bad
 * usage, an unreadable or empty plan, or a policy config the CLI would refuse.
 */
import * as fs from "fs";
import { HELP_OPTION, oneOf, parseCli, TEXT_OR_JSON, UsageError, usageFailure } from "./cli-args";
import type { EngineResult, Finding, PolicyConfigFile } from "./engine";
import type { PlanResource } from "./plan-resource";

const USAGE = `usage: npm run -s policy -- check FILE [--config POLICY-CONFIG.json] [--format text|json]

Runs every rule of the policy pack on a plan file (out/<stack>/resources.json from npm start).
--config takes the file pulumi preview --policy-pack-config takes; it is validated as the Pulumi CLI does.
Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 usage, plan or config error.`;

const OPTIONS = {
    ...HELP_OPTION,
    config: { type: "string" },
    format: { type: "string" },
} as const;

/** A file that cannot be used: exit 2 with the message. */
class InputError extends Error {}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    // The CLI reads an empty config file as no config (config.go parsePolicyPackConfig).
    if (what === "policy config" && text.trim() === "") return {};
    try {
        return JSON.parse(text) as unknown;
    } catch (e) {
        throw new InputError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

/** Checks the plan file's shape and returns its resources. */
export function parsePlan(data: unknown, file: string): PlanResource[] {
    const list = Array.isArray(data) ? data : typeof data === "object" && data !== null ? (data as { resources?: unknown }).resources : undefined;
    if (!Array.isArray(list)) throw new InputError(`${file}: expected {"resources": [...]} (out/<stack>/resources.json) or an array of resources`);
    // Nothing to check passes nothing: an empty plan is a mistake (a wrong file, a failed plan), not a pass.
    if (list.length === 0) throw new InputError(`${file}: the plan has no resources, so nothing can be checked; point check at out/<stack>/resources.json after npm start`);
    return list.map((r, i) => {
        const o = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
        for (const key of ["type", "name", "urn"]) {
            if (typeof o[key] !== "string") throw new InputError(`${file}: resources[${i}] has no string "${key}"`);
        }
        if (o.props !== undefined && (typeof o.props !== "object" || o.props === null || Array.isArray(o.props))) {
            throw new InputError(`${file}: resources[${i}] (${String(o.urn)}) has "props" that is not an object`);
        }
        return {
            type: o.type as string,
            name: o.name as string,
            urn: o.urn as string,
            props: (o.props ?? {}) as Record<string, unknown>,
            parent: typeof o.parent === "string" ? o.parent : undefined,
            dependencies: Array.isArray(o.dependencies) ? o.dependencies.map(String) : [],
            propertyDependencies: (typeof o.propertyDependencies === "object" && o.propertyDependencies !== null ? o.propertyDependencies : {}) as Record<string, string[]>,
            provider: typeof o.provider === "string" ? o.provider : undefined,
            protect: o.protect === true,
            custom: o.custom !== false,
        };
    });
}

function line(f: Finding): string {
    const level = f.undecided ? "undecided" : f.enforcementLevel;
    const resource = f.resourceType ? `${f.resourceType} "${f.resourceName}"` : "(stack)";
    return [
        `${level.toUpperCase().padEnd(9)}  ${f.policy}  ${resource}`,
        `    ${f.message}`,
        `    docs: ${f.url}`,
    ].join("\n");
}

export function render(result: EngineResult, resources: number): string {
    const order = (f: Finding): number => (f.undecided ? 2 : f.enforcementLevel === "mandatory" ? 0 : 1);
    const sorted = [...result.findings].sort((a, b) => order(a) - order(b) || a.policy.localeCompare(b.policy));
    const mandatory = sorted.filter((f) => order(f) === 0).length;
    const advisory = sorted.filter((f) => order(f) === 1).length;
    const undecided = sorted.filter((f) => order(f) === 2).length;
    return [
        ...sorted.map(line),
        `${sorted.length ? "\n" : ""}${resources} resources checked: ${mandatory} mandatory, ${advisory} advisory violation${advisory === 1 ? "" : "s"}, ${undecided} undecided.`,
    ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
    const cli = parseCli("policy", argv, { usage: USAGE, options: OPTIONS, positionals: true });
    if (cli.stop) return cli.code;
    let format: "text" | "json";
    let file: string;
    try {
        const [command, ...rest] = cli.positionals;
        if (command !== "check") throw new UsageError(command ? `unknown command '${command}'` : "a command is required: check");
        if (rest.length === 0) throw new UsageError("check needs a FILE (e.g. out/dev/resources.json)");
        if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}'`);
        file = rest[0];
        format = oneOf("format", cli.values.format, TEXT_OR_JSON, "text");
    } catch (e) {
        return usageFailure("policy", USAGE, e).code;
    }
    // The pack (and the Pulumi SDKs under it) loads only now: --help and usage errors answer at once.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PolicyConfigError, reconcilePolicyConfig, runPolicies } = require("./engine") as typeof import("./engine");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies } = require("./rules") as typeof import("./rules");
    try {
        const resources = parsePlan(readJson(file, "plan file"), file);
        const policyConfig = (cli.values.config ? readJson(cli.values.config, "policy config") : {}) as PolicyConfigFile;
        const { unknownPolicies } = reconcilePolicyConfig(policies, policyConfig);
        // The CLI accepts config for policies the pack does not have (config.go applyConfig); it configures nothing.
        for (const name of unknownPolicies) console.error(`policy: warning: the policy config names "${name}", which is not a policy of this pack; it configures nothing (policies: ${policies.map((p) => p.name).join(", ")})`);
        const result = await runPolicies(resources, { policyConfig });
        if (format === "json") console.log(JSON.stringify({ resources: resources.length, ...result }, null, 2));
        else console.log(render(result, resources.length));
        return result.findings.some((f) => f.enforcementLevel === "mandatory" && !f.undecided) ? 1 : 0;
    } catch (e) {
        if (e instanceof InputError) console.error(`policy: ${e.message}`);
        else if (e instanceof PolicyConfigError) console.error(`policy: ${cli.values.config ?? "the policy config"}: ${e.message}`);
        else console.error(`policy: ${e instanceof Error ? e.message : String(e)}`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
