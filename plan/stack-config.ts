/** Reads `stacks/Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program. */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parseConfig, PlatformConfig, PROJECT } from "../components/config";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const STACKS_DIR = path.join(REPO_ROOT, "stacks");

/** Stack names that have a file in stacks/. */
export function listStacks(dir: string = STACKS_DIR): string[] {
    return fs.readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** The stack file's `config:` map, values as Pulumi passes them (structured values as JSON text). */
export function readStackConfig(stack: string, dir: string = STACKS_DIR): Record<string, string> {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${path.relative(process.cwd(), file)}; stacks: ${listStacks(dir).join(", ")}`);
    }
    const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/** A stack's validated config, from its stack file (no Pulumi runtime needed). */
export function stackPlatformConfig(stack: string, dir: string = STACKS_DIR): PlatformConfig {
    const raw = readStackConfig(stack, dir);
    const prefix = `${PROJECT}:`;
    const own = Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    return parseConfig(own, raw["azure-native:location"]);
}
