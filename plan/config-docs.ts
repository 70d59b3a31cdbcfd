/** The README's configuration reference, generated from the key table in components/config.ts. */
import { stringify as toYaml } from "yaml";
import { CONFIG_KEYS, ConfigKeySpec, PROJECT } from "../components/config";

export const CONFIG_START_MARKER = "<!-- config:start -->";
export const CONFIG_END_MARKER = "<!-- config:end -->";

function defaultCell(spec: ConfigKeySpec): string {
    if (spec.required) return "**required**";
    if (spec.default !== undefined) return `\`${JSON.stringify(spec.default)}\``;
    return spec.defaultText ?? "unset";
}

export function renderConfigTable(): string {
    const rows = Object.entries(CONFIG_KEYS as Record<string, ConfigKeySpec>).map(([key, spec]) =>
        `| \`${PROJECT}:${key}\` | ${spec.type} | ${defaultCell(spec)} | ${spec.description.replace(/\|/g, "\\|")} |`);
    return [
        "",
        "<!-- Generated from components/config.ts by `npm run docs`; do not edit by hand. -->",
        "",
        "| key | type | default | meaning |",
        "| --- | --- | --- | --- |",
        "| `azure-native:location` | string | **required** | Azure region of every resource. |",
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

/**
 * Pulumi.yaml's `config:` block: every simple key that is required or has a static default.
 * The Pulumi CLI treats a declared key without `default` as required on every stack
 * (pulumi/pulumi pkg/workspace/config.go, mergeConfig: "Stack '<name>' is missing configuration
 * values"), so optional keys whose default depends on the environment stay undeclared here and
 * are documented in the README's table instead.
 */
export function renderProjectConfig(): string {
    const config: Record<string, Record<string, unknown>> = {};
    for (const [key, spec] of Object.entries(CONFIG_KEYS as Record<string, ConfigKeySpec>)) {
        if (spec.type === "structured") continue;
        if (!spec.required && spec.default === undefined) continue;
        const d: Record<string, unknown> = { type: spec.type };
        if (spec.type === "array") d.items = { type: "string" };
        d.description = spec.description + (spec.defaultText ? ` Default: ${spec.defaultText}.` : "") + (spec.required ? " Required." : "");
        if (spec.default !== undefined) d.default = spec.default;
        config[key] = d;
    }
    return toYaml({ config }, { lineWidth: 0 });
}

/** Pulumi.yaml with its `config:` block regenerated (everything before it is kept). */
export function withProjectConfig(projectFile: string): string {
    const i = projectFile.indexOf("\nconfig:\n");
    if (i < 0) throw new Error("Pulumi.yaml has no top-level config: block");
    return projectFile.slice(0, i + 1) + renderProjectConfig();
}
