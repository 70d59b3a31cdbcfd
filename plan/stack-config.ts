/** Reads `stacks/Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program. */
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { parseConfig, PlatformConfig, PROJECT } from "../components/config";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const STACKS_DIR = path.join(REPO_ROOT, "stacks");

/** A stack file that cannot be read as YAML: the message names the file, line and column. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** Stack names that have a file in stacks/. */
export function listStacks(dir: string = STACKS_DIR): string[] {
    return fs.readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function stackFile(stack: string, dir: string = STACKS_DIR): string {
    return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** The stack file as YAML, or a StackFileError naming the file, line and column of the first syntax error. */
export function readStackDocument(file: string): { config?: Record<string, unknown> } {
    const shown = path.relative(process.cwd(), file) || file;
    const doc = parseDocument(fs.readFileSync(file, "utf8"), { prettyErrors: true });
    const error = doc.errors[0];
    if (error) {
        const pos = error.linePos?.[0];
        const where = pos ? `${shown}:${pos.line}:${pos.col}` : shown;
        throw new StackFileError(`${where}: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw new StackFileError(`${shown}: must be a YAML map with a config: section`);
    const config = (value as { config?: unknown }).config;
    if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) {
        throw new StackFileError(`${shown}: config: must be a map of keys to values`);
    }
    return { config: (config ?? undefined) as Record<string, unknown> | undefined };
}

/**
 * The stack file's `config:` map, values as Pulumi passes them to a program: strings as they are,
 * every other value (numbers, booleans, lists, maps) as JSON text (pulumi/pulumi
 * sdk/go/common/resource/config: non-string values are stored as their JSON).
 */
export function readStackConfig(stack: string, dir: string = STACKS_DIR): Record<string, string> {
    const file = stackFile(stack, dir);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`no stack file ${path.relative(process.cwd(), file)}; stacks: ${listStacks(dir).join(", ")}`);
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(readStackDocument(file).config ?? {})) {
        out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/** Splits a stack's config into the project's keys (prefix removed) and `azure-native:location`. */
export function projectKeys(config: Readonly<Record<string, string>>): { raw: Record<string, string>; location: string | undefined } {
    const prefix = `${PROJECT}:`;
    const raw = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    return { raw, location: config["azure-native:location"] };
}

/** A stack's validated config, from its stack file (no Pulumi runtime needed). */
export function stackPlatformConfig(stack: string, dir: string = STACKS_DIR): PlatformConfig {
    const { raw, location } = projectKeys(readStackConfig(stack, dir));
    return parseConfig(raw, location);
}
