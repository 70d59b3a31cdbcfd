/** Kubernetes label selectors: parsing (with the API server's checks) and matching. */
import type { Requirement, Selector, SelectorOp } from "./types";
import { isLabelKey, isLabelValue } from "../shared/names";

export type Fail = (field: string, reason: string) => never;

const OPS: readonly SelectorOp[] = ["In", "NotIn", "Exists", "DoesNotExist"];

export function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const validLabelKey = isLabelKey;
export const validLabelValue = isLabelValue;

export function selectorKey(requirements: Requirement[]): string {
    return requirements.map((r) => `${r.key} ${r.op} ${r.values.join(",")}`).sort().join(" && ");
}

export function makeSelector(requirements: Requirement[]): Selector {
    return { requirements, key: selectorKey(requirements) };
}

/** Every label selector matches everything. */
export const EVERYTHING: Selector = makeSelector([]);

export interface ParseSelectorOptions {
    /** Rewrites a key (Cilium strips `k8s:`/`any:`); returning undefined rejects it with `reason`. */
    mapKey?: (key: string) => { key: string } | { unsupported: string };
    /** Receives an unsupported key's message; the selector then matches nothing. */
    onUnsupported?: (field: string, reason: string) => void;
}

/** Parses a LabelSelector; returns undefined when it uses something unsupported (reported through options). */
export function parseSelector(raw: unknown, field: string, fail: Fail, options: ParseSelectorOptions = {}): Selector | undefined {
    if (raw === undefined || raw === null) return EVERYTHING;
    if (!isObject(raw)) fail(field, "must be a label selector object");
    const reqs: Requirement[] = [];
    let unsupported = false;
    const key = (k: string, f: string): string | undefined => {
        let out = k;
        if (options.mapKey) {
            const m = options.mapKey(k);
            if ("unsupported" in m) {
                options.onUnsupported?.(f, m.unsupported);
                unsupported = true;
                return undefined;
            }
            out = m.key;
        }
        if (!validLabelKey(out)) fail(f, `invalid label key ${JSON.stringify(k)}`);
        return out;
    };
    for (const f of Object.keys(raw)) {
        if (f !== "matchLabels" && f !== "matchExpressions") fail(`${field}.${f}`, "unknown field (a label selector has matchLabels and matchExpressions)");
    }
    if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
        if (!isObject(raw.matchLabels)) fail(`${field}.matchLabels`, "must be a map of label keys to string values");
        for (const [k, v] of Object.entries(raw.matchLabels)) {
            const f = `${field}.matchLabels[${JSON.stringify(k)}]`;
            if (typeof v !== "string") fail(f, `label values must be strings, got ${JSON.stringify(v)} (${typeof v}); quote it`);
            if (!validLabelValue(v)) fail(f, `invalid label value ${JSON.stringify(v)}`);
            const kk = key(k, f);
            if (kk !== undefined) reqs.push({ key: kk, op: "In", values: [v] });
        }
    }
    if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
        if (!Array.isArray(raw.matchExpressions)) fail(`${field}.matchExpressions`, "must be a list");
        raw.matchExpressions.forEach((e: unknown, i: number) => {
            const f = `${field}.matchExpressions[${i}]`;
            if (!isObject(e)) fail(f, "must be an object with key, operator and values");
            if (typeof e.key !== "string" || e.key === "") fail(`${f}.key`, "is required");
            if (typeof e.operator !== "string" || !(OPS as readonly string[]).includes(e.operator)) {
                fail(`${f}.operator`, `unknown operator ${JSON.stringify(e.operator)}: must be one of ${OPS.join(", ")}`);
            }
            const op = e.operator as SelectorOp;
            const values = e.values === undefined || e.values === null ? [] : e.values;
            if (!Array.isArray(values)) fail(`${f}.values`, "must be a list of strings");
            values.forEach((v: unknown, j: number) => {
                if (typeof v !== "string") fail(`${f}.values[${j}]`, `must be a string, got ${JSON.stringify(v)}`);
                if (!validLabelValue(v)) fail(`${f}.values[${j}]`, `invalid label value ${JSON.stringify(v)}`);
            });
            if ((op === "In" || op === "NotIn") && values.length === 0) fail(`${f}.values`, `must be non-empty when operator is ${op}`);
            if ((op === "Exists" || op === "DoesNotExist") && values.length > 0) fail(`${f}.values`, `must be empty when operator is ${op}`);
            const kk = key(e.key, `${f}.key`);
            if (kk !== undefined) reqs.push({ key: kk, op, values: [...new Set(values as string[])].sort() });
        });
    }
    return unsupported ? undefined : makeSelector(reqs);
}

export function matches(sel: Selector, labels: Record<string, string>): boolean {
    for (const r of sel.requirements) {
        const has = Object.prototype.hasOwnProperty.call(labels, r.key);
        switch (r.op) {
            case "In":
                if (!has || !r.values.includes(labels[r.key])) return false;
                break;
            case "NotIn":
                if (has && r.values.includes(labels[r.key])) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
        }
    }
    return true;
}

export function describeSelector(sel: Selector): string {
    return sel.requirements.length === 0 ? "{} (everything)" : `{${sel.key}}`;
}
