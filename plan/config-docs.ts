/** The README's configuration reference, generated from the key table in components/config.ts. */
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
