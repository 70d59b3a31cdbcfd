/** Renders captured resources as the tree `pulumi preview` shows (parents above children). */
import type { PlanResource } from "../policy-pack/plan-resource";

export function renderTree(resources: readonly PlanResource[]): string {
    const children = new Map<string, PlanResource[]>();
    const roots: PlanResource[] = [];
    const byUrn = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        if (r.parent && byUrn.has(r.parent)) {
            const list = children.get(r.parent) ?? [];
            list.push(r);
            children.set(r.parent, list);
        } else roots.push(r);
    }
    const lines: string[] = [];
    const walk = (r: PlanResource, prefix: string, last: boolean, top: boolean): void => {
        const flags = r.protect ? " [protected]" : "";
        lines.push(`${top ? "" : `${prefix}${last ? "└─ " : "├─ "}`}${r.type}  ${r.name}${flags}`);
        const kids = children.get(r.urn) ?? [];
        kids.forEach((k, i) => walk(k, top ? "" : `${prefix}${last ? "   " : "│  "}`, i === kids.length - 1, false));
    };
    roots.forEach((r) => walk(r, "", true, true));
    return lines.join("\n") + "\n";
}

/** Counts resources by type, most first. */
export function countByType(resources: readonly PlanResource[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
