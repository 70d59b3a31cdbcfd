/**
 * Validation: raw stack values (as the Pulumi CLI hands them to the program, or typed) → one frozen
 * `PlatformConfig`, or one `ConfigError` listing every problem with its path, value and fix.
 * Nothing is created before this succeeds, so bad input never half-applies.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ByEnvironment, Environment, ENVIRONMENTS, fullKey, KeyDef, KeyName, KEYS, PROJECT, SameAs, Values } from "./keys";
import { CROSS_RULES } from "./rules";
import { buildPlatformConfig, PlatformConfig } from "./types";

/** A key's raw values: strings as Pulumi config holds them (structured values as JSON text), or typed values. */
export type RawConfig = Readonly<Record<string, unknown>>;

export interface ConfigProblem {
    /** Path below the namespace: `apps[0].egress[1].protocol`, or `azure-native:location`. */
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

/**
 * Every problem of a stack's config, as one error. A RunError: the Pulumi CLI prints its message
 * without a stack trace (pulumi/pulumi sdk/nodejs/cmd/run/run.ts: "Always hide the stack for RunErrors").
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${displayKey(p.key)} = ${show(p.value)}: ${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function displayKey(key: string): string {
    return key.includes(":") ? key : `${PROJECT}:${key}`;
}

function show(value: unknown): string {
    if (value === undefined) return "(not set)";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// The JSON type of each key, read from its schema: how a Pulumi config string is decoded.

type JsonType = "string" | "integer" | "number" | "boolean" | "array" | "object";

export function jsonTypeOf(name: KeyName): JsonType {
    return JSON_TYPES[name];
}

/**
 * Pulumi passes every config value as a string: scalars as their text, lists and maps as JSON
 * (pulumi/pulumi sdk/nodejs/config.ts reads them with JSON.parse for getObject). Decode by the
 * key's schema type; a value that does not decode is kept, so validation reports it as it is.
 */
export function decode(value: unknown, type: JsonType): unknown {
    if (typeof value !== "string") return value;
    switch (type) {
        case "integer":
        case "number":
            return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
        case "boolean":
            return value === "true" ? true : value === "false" ? false : value;
        case "array":
        case "object":
            if (!/^\s*[[{]/.test(value)) return value;
            try {
                return JSON.parse(value) as unknown;
            } catch {
                return value;
            }
        default:
            return value;
    }
}

/** Not set at all. An empty string is a value (and is validated like any other). */
function isUnset(v: unknown): boolean {
    return v === undefined || v === null;
}

// ---------------------------------------------------------------------------------------------
// Suggestions for unknown keys.

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The known name a typo most likely meant, if one is close enough. */
export function closest(name: string, known: readonly string[]): string | undefined {
    const lower = name.toLowerCase();
    const exact = known.find((k) => k.toLowerCase() === lower);
    if (exact) return exact;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of known) {
        const dist = editDistance(lower, k.toLowerCase());
        if (dist < bestDistance) [best, bestDistance] = [k, dist];
    }
    // Prefixes count too: `hostname` for `host`, `replica` for `replicas`.
    const prefix = known.find((k) => lower.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(lower));
    if (bestDistance <= Math.max(1, Math.floor(name.length / 3))) return best;
    return prefix;
}

/** The object keys a strict object schema knows at `path` inside `schema`. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let s: z.ZodType | undefined = schema;
    const unwrap = (t: z.ZodType): z.ZodType => {
        let cur = t;
        for (;;) {
            const def = cur._zod.def as { type: string; innerType?: z.ZodType };
            if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) cur = def.innerType;
            else return cur;
        }
    };
    for (const step of path) {
        if (!s) return [];
        const t = unwrap(s);
        if (t instanceof z.ZodArray && typeof step === "number") s = t.element as z.ZodType;
        else if (t instanceof z.ZodObject && typeof step === "string") s = t.shape[step] as z.ZodType | undefined;
        else return [];
    }
    const t = s ? unwrap(s) : undefined;
    return t instanceof z.ZodObject ? Object.keys(t.shape) : [];
}

function pathText(name: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, step) => {
        if (typeof step === "number") return `${acc}[${step}]`;
        const key = String(step);
        return /^[A-Za-z_$][\w$]*$/.test(key) ? `${acc}.${key}` : `${acc}[${JSON.stringify(key)}]`;
    }, name);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
    let v = value;
    for (const step of path) {
        if (typeof v !== "object" || v === null) return undefined;
        v = (v as Record<PropertyKey, unknown>)[step];
    }
    return v;
}

function problemsOfIssues(name: KeyName, value: unknown, given: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
    const key = name === "location" ? fullKey(name) : name;
    const out: ConfigProblem[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            const known = knownKeysAt(KEYS[name].schema as z.ZodType, issue.path);
            for (const k of issue.keys) {
                const guess = closest(k, known);
                out.push({
                    key: pathText(key, [...issue.path, k]),
                    value: valueAt(value, [...issue.path, k]),
                    message: `is not a known key${guess ? `; did you mean \`${guess}\`?` : ""} (known: ${known.join(", ")})`,
                });
            }
            continue;
        }
        // The key's own value is shown as the stack gave it ("1.5", not 1.5); nested values decoded.
        const at = issue.path.length === 0 ? given : valueAt(value, issue.path);
        const message = at === undefined && issue.path.length > 0 ? `is required: it ${issue.message}` : issue.message;
        out.push({ key: pathText(key, issue.path), value: at, message });
    }
    return out;
}

// ---------------------------------------------------------------------------------------------

/** A key's default for an environment, given the values read so far (for `same-as` defaults). */
export function defaultOf(name: KeyName, env: Environment, values: Partial<Values>): unknown {
    const d = (KEYS[name] as KeyDef).default;
    if (isByEnvironment(d)) return d.values[env];
    if (isSameAs(d)) return values[d.key as KeyName];
    return d;
}

export function isByEnvironment(d: unknown): d is ByEnvironment<unknown> {
    return typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "by-environment";
}
export function isSameAs(d: unknown): d is SameAs {
    return typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "same-as";
}

const KEY_NAMES = Object.keys(KEYS) as KeyName[];

// Read once when the module loads: every parse needs every key's type, so a lazy cache saved nothing.
const JSON_TYPES = Object.fromEntries(KEY_NAMES.map((name) => {
    const schema = z.toJSONSchema(KEYS[name].schema as z.ZodType, { io: "input", unrepresentable: "any" }) as { type?: JsonType };
    return [name, schema.type ?? "string"];
})) as Record<KeyName, JsonType>;

/**
 * Pure: validates raw key values into a frozen PlatformConfig, or throws one ConfigError listing
 * every problem. `raw` holds the project's keys without the `aks-platform:` prefix; `location` is
 * `azure-native:location`.
 */
export function parseConfig(raw: RawConfig, location: string | undefined): PlatformConfig {
    const problems: ConfigProblem[] = [];
    const input: Record<string, unknown> = { ...raw, location };
    const projectKeys = KEY_NAMES.filter((k) => (KEYS[k] as KeyDef).namespace === undefined);

    for (const k of Object.keys(raw)) {
        if (!(projectKeys as string[]).includes(k)) {
            const guess = closest(k, projectKeys);
            problems.push({
                key: k,
                value: raw[k],
                message: `is not a known key${guess ? `; did you mean \`${guess}\`?` : "; the keys are listed in docs/configuration.md and stacks/stack-config.schema.json"}`,
            });
        }
    }

    // Each key on its own: a key's problems never hide another's.
    const parsed: Partial<Values> = {};
    const invalid = new Set<KeyName>();
    const set = new Set<KeyName>();
    for (const name of KEY_NAMES) {
        const def: KeyDef = KEYS[name];
        const value = decode(input[name], jsonTypeOf(name));
        if (isUnset(value)) {
            if (def.required) {
                problems.push({ key: name === "location" ? fullKey(name) : name, value: undefined, message: `is required: ${def.required.hint}` });
                invalid.add(name);
            }
            continue;
        }
        const result = (def.schema as z.ZodType).safeParse(value);
        if (result.success) {
            (parsed as Record<string, unknown>)[name] = result.data;
            set.add(name);
        } else {
            problems.push(...problemsOfIssues(name, value, input[name], result.error.issues));
            invalid.add(name);
        }
    }

    // Defaults, in table order so `same-as` defaults see the key they copy.
    const env: Environment = parsed.environment !== undefined && (ENVIRONMENTS as readonly string[]).includes(parsed.environment) ? parsed.environment : "dev";
    for (const name of KEY_NAMES) {
        if (set.has(name) || invalid.has(name)) continue;
        const d = defaultOf(name, env, parsed);
        if (d !== undefined) (parsed as Record<string, unknown>)[name] = d;
    }

    for (const rule of CROSS_RULES) {
        if (rule.keys.some((k) => invalid.has(k))) continue;
        for (const p of rule.check(parsed as Values, { env, set })) problems.push(p);
    }

    if (problems.length > 0) throw new ConfigError(problems);
    return deepFreeze(buildPlatformConfig(parsed as Values));
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
}
