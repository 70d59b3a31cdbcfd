/** Kubernetes label selectors: parsing (with the API server's checks) and matching. */
import { isUnknownValue } from "./types";
import type { NamespaceInfo, Requirement, Selector, SelectorOp, Tri } from "./types";

/** Label every namespace carries; the API server sets it to the namespace's name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
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

/** A part the analyzer cannot evaluate: `reason` is the warning that names the object, field and why. */
export interface Uncertain {
    uncertain: string;
}

export function isUncertain(v: unknown): v is Uncertain {
    return isObject(v) && typeof v.uncertain === "string";
}

/** Records a warning for `field` of the object being read and returns its text. */
export type Warn = (field: string, reason: string) => string;

export interface ParseSelectorOptions {
    /** Rewrites a key (Cilium strips `k8s:`/`any:`); `unsupported` makes the selector uncertain. */
    mapKey?: (key: string) => { key: string } | { unsupported: string };
}

/**
 * Parses a LabelSelector. A selector that holds an unknown value or something unsupported cannot be
 * evaluated: the result is `Uncertain` (with the warning recorded through `warn`).
 */
export function parseSelector(raw: unknown, field: string, fail: Fail, warn: Warn, options: ParseSelectorOptions = {}): Selector | Uncertain {
    if (raw === undefined || raw === null) return EVERYTHING;
    if (isUnknownValue(raw)) return { uncertain: warn(field, "is unknown until the update") };
    if (!isObject(raw)) fail(field, "must be a label selector object");
    const reqs: Requirement[] = [];
    let uncertain: string | undefined;
    const unknown = (v: unknown, f: string): boolean => {
        if (!isUnknownValue(v)) return false;
        uncertain ??= warn(f, "is unknown until the update");
        return true;
    };
    const key = (k: string, f: string): string | undefined => {
        let out = k;
        if (options.mapKey) {
            const m = options.mapKey(k);
            if ("unsupported" in m) {
                uncertain ??= warn(f, m.unsupported);
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
    if (raw.matchLabels !== undefined && raw.matchLabels !== null && !unknown(raw.matchLabels, `${field}.matchLabels`)) {
        if (!isObject(raw.matchLabels)) fail(`${field}.matchLabels`, "must be a map of label keys to string values");
        for (const [k, v] of Object.entries(raw.matchLabels)) {
            const f = `${field}.matchLabels[${JSON.stringify(k)}]`;
            if (unknown(v, f)) continue;
            if (typeof v !== "string") fail(f, `label values must be strings, got ${JSON.stringify(v)} (${typeof v}); quote it`);
            if (!validLabelValue(v)) fail(f, `invalid label value ${JSON.stringify(v)}`);
            const kk = key(k, f);
            if (kk !== undefined) reqs.push({ key: kk, op: "In", values: [v] });
        }
    }
    if (raw.matchExpressions !== undefined && raw.matchExpressions !== null && !unknown(raw.matchExpressions, `${field}.matchExpressions`)) {
        if (!Array.isArray(raw.matchExpressions)) fail(`${field}.matchExpressions`, "must be a list");
        raw.matchExpressions.forEach((e: unknown, i: number) => {
            const f = `${field}.matchExpressions[${i}]`;
            if (unknown(e, f)) return;
            if (!isObject(e)) fail(f, "must be an object with key, operator and values");
            if ((["key", "operator", "values"] as const).some((k) => unknown(e[k], `${f}.${k}`))) return;
            if (Array.isArray(e.values) && e.values.some((v: unknown, j: number) => unknown(v, `${f}.values[${j}]`))) return;
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
    return uncertain !== undefined ? { uncertain } : makeSelector(reqs);
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
        case "In":
            return has && r.values.includes(labels[r.key]);
        case "NotIn":
            return !(has && r.values.includes(labels[r.key]));
        case "Exists":
            return has;
        case "DoesNotExist":
            return !has;
    }
}

export function matches(sel: Selector, labels: Record<string, string>): boolean {
    for (const r of sel.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
}

/**
 * A namespaceSelector against a namespace whose labels may be partly unknown: a requirement on a
 * label the input does not give (no Namespace object, or an unknown value) may go either way; the
 * name label is always known (the API server sets it).
 */
export function namespaceMatches(sel: Selector, ns: NamespaceInfo): Tri {
    let maybe = false;
    for (const r of sel.requirements) {
        const known = r.key === NAMESPACE_NAME_LABEL || (ns.complete && !ns.unknownKeys.includes(r.key));
        if (!known) {
            maybe = true;
            continue;
        }
        if (!requirementMatches(r, ns.labels)) return "no";
    }
    return maybe ? "maybe" : "yes";
}
