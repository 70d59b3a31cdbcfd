/**
 * Everything generated from the config key table (components/config/keys.ts): the configuration
 * reference in docs/configuration.md, Pulumi.yaml's `config:` block and the JSON Schema of stack files.
 * `npm run docs` writes them; tests check the committed copies are current.
 */
import { stringify as toYaml } from "yaml";
import { z } from "zod";
import { ENVIRONMENTS, fullKey, KeyDef, KeyName, KEYS } from "../components/config";
import { isByEnvironment, isSameAs } from "../components/config/parse";

/** The page that carries the configuration table, between the markers below. */
export const CONFIG_DOC_FILE = "docs/configuration.md";
export const CONFIG_START_MARKER = "<!-- config:start -->";
export const CONFIG_END_MARKER = "<!-- config:end -->";
/** Where the stack-file schema lives; each stack file's first line points at it. */
export const STACK_SCHEMA_FILE = "stacks/stack-config.schema.json";
export const STACK_SCHEMA_HEADER = "# yaml-language-server: $schema=./stack-config.schema.json";

type JsonSchema = Record<string, unknown> & { type?: string; enum?: unknown[]; minimum?: number; maximum?: number; items?: JsonSchema; minItems?: number };

const KEY_NAMES = Object.keys(KEYS) as KeyName[];

/** A key's value schema as JSON Schema (input side: defaulted fields are optional). */
export function keyJsonSchema(name: KeyName): JsonSchema {
    const def: KeyDef = KEYS[name];
    const schema = z.toJSONSchema(def.schema as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
    delete schema.$schema;
    const d = def.default;
    return {
        ...schema,
        description: def.description,
        ...(d !== undefined && !isByEnvironment(d) && !isSameAs(d) ? { default: d } : {}),
        examples: [def.example],
    };
}

function code(v: unknown): string {
    return `\`${JSON.stringify(v)}\``;
}

function defaultCell(def: KeyDef): string {
    if (def.required) return "**required**";
    const d = def.default;
    if (d === undefined) return "unset";
    if (isSameAs(d)) return `\`${d.key}\``;
    if (isByEnvironment(d)) {
        const byValue = new Map<string, string[]>();
        for (const env of ENVIRONMENTS) {
            const text = JSON.stringify(d.values[env]);
            byValue.set(text, [...(byValue.get(text) ?? []), env]);
        }
        return [...byValue].map(([v, envs]) => `\`${v}\` (${envs.join(", ")})`).join(", ");
    }
    return code(d);
}

/** Type and allowed values, from the schema: `integer 1-100`, `dev \| staging \| prod`, `list of string`. */
export function typeCell(s: JsonSchema): string {
    if (s.enum) return s.enum.map((v) => String(v)).join(" \\| ");
    if (s.type === "integer" && s.minimum !== undefined && s.maximum !== undefined) return `integer ${s.minimum}-${s.maximum}`;
    if (s.type === "array") {
        const item = s.items ? (s.items.enum ? s.items.enum.map(String).join("/") : s.items.type === "object" ? "objects" : String(s.items.type)) : "values";
        return `list of ${item}${s.minItems ? ` (${s.minItems}+)` : ""}`;
    }
    if (s.type === "object") return "map";
    return String(s.type ?? "value");
}

export function renderConfigTable(): string {
    const rows = KEY_NAMES.map((name) => {
        const def: KeyDef = KEYS[name];
        return `| \`${fullKey(name)}\` | ${typeCell(keyJsonSchema(name))} | ${defaultCell(def)} | ${def.description.replace(/\|/g, "\\|")} |`;
    });
    return [
        "",
        "<!-- Generated from components/config/keys.ts by `npm run docs`; do not edit by hand. -->",
        "",
        "| key | type | default | meaning |",
        "| --- | --- | --- | --- |",
        ...rows,
        "",
    ].join("\n");
}

/** Replaces the text between the markers; throws when they are missing. */
export function replaceBetween(text: string, start: string, end: string, block: string): string {
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`markers ${start} ... ${end} not found`);
    return text.slice(0, a + start.length) + block + text.slice(b);
}

/** Pulumi.yaml can type a key as string, integer, boolean or a list of those (pulumi/pulumi pkg/workspace/project.go, ProjectConfigType). */
function pulumiDeclarable(s: JsonSchema): boolean {
    if (s.type === "string" || s.type === "integer" || s.type === "boolean") return true;
    return s.type === "array" && (s.items?.type === "string" || s.items?.type === "integer" || s.items?.type === "boolean");
}

/**
 * Pulumi.yaml's `config:` block: the required keys (declared without a default, so the CLI asks for
 * them), and the keys whose default is the same in every environment (declared with it). The CLI
 * treats a declared key without `default` as required on every stack (pulumi/pulumi
 * pkg/workspace/config.go, mergeConfig: "Stack '<name>' is missing configuration values"), so keys
 * whose default depends on the environment or on another key stay undeclared and are documented
 * in docs/configuration.md's table; maps and lists of objects cannot be typed there at all.
 */
export function renderProjectConfig(): string {
    const config: Record<string, Record<string, unknown>> = {};
    for (const name of KEY_NAMES) {
        const def: KeyDef = KEYS[name];
        if (def.namespace !== undefined) continue; // provider keys belong to the provider's schema
        const s = keyJsonSchema(name);
        const staticDefault = def.default !== undefined && !isByEnvironment(def.default) && !isSameAs(def.default);
        if (!pulumiDeclarable(s) || (!def.required && !staticDefault)) continue;
        const d: Record<string, unknown> = { type: s.type };
        if (s.type === "array") d.items = { type: s.items?.type };
        d.description = def.description;
        if (staticDefault) d.default = def.default;
        config[name] = d;
    }
    return toYaml({ config }, { lineWidth: 0 });
}

/** Pulumi.yaml with its `config:` block regenerated (everything before it is kept). */
export function withProjectConfig(projectFile: string): string {
    const i = projectFile.indexOf("\nconfig:\n");
    if (i < 0) throw new Error("Pulumi.yaml has no top-level config: block");
    return projectFile.slice(0, i + 1) + renderProjectConfig();
}

/**
 * JSON Schema (draft 2020-12) of a stack file: every key with its type, range, default and
 * description, unknown `aks-platform:` keys refused, other namespaces (provider settings) allowed.
 * The stack files name it on their first line, so editors complete and check keys.
 */
export function stackFileSchema(): Record<string, unknown> {
    const properties: Record<string, JsonSchema> = {};
    for (const name of KEY_NAMES) properties[fullKey(name)] = keyJsonSchema(name);
    const known = KEY_NAMES.map(fullKey);
    return {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "https://github.com/aks-platform/aks-platform/stacks/stack-config.schema.json",
        title: "aks-platform stack file (stacks/Pulumi.<stack>.yaml)",
        description: "Generated from components/config/keys.ts by `npm run docs`; do not edit by hand.",
        type: "object",
        properties: {
            config: {
                type: "object",
                properties,
                required: KEY_NAMES.filter((n) => (KEYS[n] as KeyDef).required).map(fullKey),
                propertyNames: { anyOf: [{ enum: known }, { not: { pattern: "^aks-platform:" } }] },
            },
            encryptionsalt: { type: "string" },
            encryptedkey: { type: "string" },
            secretsprovider: { type: "string" },
            environment: {},
        },
        required: ["config"],
        additionalProperties: false,
    };
}

export function renderStackFileSchema(): string {
    return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}
