/**
 * `npm run -s policy -- check FILE [--config POLICY-CONFIG.json] [--format text|json]`
 *
 * Runs every rule of the pack on a plan file (`out/<stack>/resources.json` from the offline plan, or
 * a bare array of resources in the same shape), with the policy config from `--config` (Pulumi's
 * policy config format, the same file `pulumi preview --policy-config` takes) or the pack's defaults.
 * Prints each finding with its rule, resource and fix. Exit 1 when a mandatory rule is violated,
 * 0 otherwise, 2 on bad usage or an unreadable file.
 */
import * as fs from "fs";
import { EngineResult, Finding, PolicyConfigFile, runPolicies } from "./engine";
import type { PlanResource } from "./plan-resource";

class UsageError extends Error {}

const USAGE = "usage: npm run -s policy -- check FILE [--config POLICY-CONFIG.json] [--format text|json]";

interface Args { file: string; config?: string; format: "text" | "json" }

function parseArgs(argv: string[]): Args {
    const [command, ...rest] = argv;
    if (command !== "check") throw new UsageError(command ? `unknown command "${command}"` : "");
    let file: string | undefined;
    let config: string | undefined;
    let format: "text" | "json" = "text";
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        const value = (): string => {
            const v = rest[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === "--config") config = value();
        else if (a === "--format") {
            const f = value();
            if (f !== "text" && f !== "json") throw new UsageError(`--format must be text or json, not ${f}`);
            format = f;
        } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
        else if (file === undefined) file = a;
        else throw new UsageError(`unexpected argument ${a}`);
    }
    if (!file) throw new UsageError("check needs a FILE (e.g. out/dev/resources.json)");
    return { file, config, format };
}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (e) {
        throw new UsageError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

/** Checks the plan file's shape and returns its resources. */
export function parsePlan(data: unknown, file: string): PlanResource[] {
    const list = Array.isArray(data) ? data : typeof data === "object" && data !== null ? (data as { resources?: unknown }).resources : undefined;
    if (!Array.isArray(list)) throw new UsageError(`${file}: expected {"resources": [...]} (out/<stack>/resources.json) or an array of resources`);
    return list.map((r, i) => {
        const o = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
        for (const key of ["type", "name", "urn"]) {
            if (typeof o[key] !== "string") throw new UsageError(`${file}: resources[${i}] has no string "${key}"`);
        }
        if (o.props !== undefined && (typeof o.props !== "object" || o.props === null || Array.isArray(o.props))) {
            throw new UsageError(`${file}: resources[${i}] (${String(o.urn)}) has "props" that is not an object`);
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
    try {
        const args = parseArgs(argv);
        const resources = parsePlan(readJson(args.file, "plan file"), args.file);
        let policyConfig: PolicyConfigFile = {};
        if (args.config) {
            const c = readJson(args.config, "policy config");
            if (typeof c !== "object" || c === null || Array.isArray(c)) throw new UsageError(`policy config ${args.config}: expected an object keyed by policy name`);
            policyConfig = c as PolicyConfigFile;
        }
        const result = await runPolicies(resources, { policyConfig });
        if (args.format === "json") console.log(JSON.stringify({ resources: resources.length, ...result }, null, 2));
        else console.log(render(result, resources.length));
        return result.findings.some((f) => f.enforcementLevel === "mandatory" && !f.undecided) ? 1 : 0;
    } catch (e) {
        if (e instanceof UsageError) {
            if (e.message) console.error(`policy: ${e.message}`);
            console.error(USAGE);
            return 2;
        }
        console.error(`policy: ${e instanceof Error ? e.message : String(e)}`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
