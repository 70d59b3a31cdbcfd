/**
 * Reading resources: type tokens, safe accessors over the runtime's props (plain data or the
 * unknown-checking proxy), label selectors, and how a resource is named in messages.
 */
import { UnknownValueError } from "@pulumi/policy";
import { isUnknownValue, UnknownValue } from "../../analysis/types";
import type { Subject } from "./rule";

export { isUnknownValue, UnknownValue };

export const T = {
    namespace: "kubernetes:core/v1:Namespace",
    service: "kubernetes:core/v1:Service",
    pod: "kubernetes:core/v1:Pod",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ciliumNetworkPolicy: "kubernetes:cilium.io/v2:CiliumNetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    clusterIssuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
    issuer: "kubernetes:cert-manager.io/v1:Issuer",
    certificate: "kubernetes:cert-manager.io/v1:Certificate",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    helmChartV4: "kubernetes:helm.sh/v4:Chart",
    dnsZone: "azure-native:dns:Zone",
} as const;

/** Workload types whose pod template stands for their pods. */
export const WORKLOAD_TYPES: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:Deployment": "Deployment",
    "kubernetes:apps/v1:StatefulSet": "StatefulSet",
    "kubernetes:apps/v1:DaemonSet": "DaemonSet",
    "kubernetes:apps/v1:ReplicaSet": "ReplicaSet",
    "kubernetes:batch/v1:Job": "Job",
    "kubernetes:batch/v1:CronJob": "CronJob",
    "kubernetes:core/v1:Pod": "Pod",
};

/** `azure-native:<module>[/<version>]:<Type>`, any API version. */
export function isAzureType(type: string, module: string, name: string): boolean {
    const m = /^azure-native:([^:/]+)(\/[^:]+)?:([^:]+)$/.exec(type);
    return m !== null && m[1] === module && m[3] === name;
}

/** The minimal resource shape rules read (PolicyResource and ResourceValidationArgs both have it). */
export interface ResourceLike {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a path; undefined when any step is missing. Unknown values throw (through the proxy). */
export function get(v: unknown, ...path: (string | number)[]): unknown {
    let cur: unknown = v;
    for (const key of path) {
        if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
        cur = (cur as Record<string | number, unknown>)[key];
    }
    return cur;
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? [...v] : [];
}

export function obj(v: unknown): Obj {
    return isObj(v) ? v : {};
}

export function strMap(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(obj(v))) if (typeof x === "string") out[k] = x;
    return out;
}

/**
 * The runtime's sentinels for values unknown at preview (@pulumi/policy 1.21.0, proxy.js: string,
 * number, boolean, array, asset, archive, object); its proxy throws UnknownValueError on reading one.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/**
 * The key the runtime's proxy answers with its raw target (@pulumi/policy 1.21.0, proxy.js
 * `getSpecialProxyTarget`, internal to the SDK, which the pack pins exactly). Reading the raw object
 * once is far cheaper than a proxy per property; without it (plain objects, another SDK) the copy
 * reads through the proxy instead, with the same result.
 */
const PROXY_TARGET = "__getSpecialProxyTarget";

function markUnknowns(v: unknown, path: string): unknown {
    if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? new UnknownValue(path) : v;
    if (Array.isArray(v)) return v.map((x, i) => markUnknowns(x, `${path}.${i}`));
    if (isObj(v)) {
        const out: Obj = {};
        for (const k of Object.keys(v)) out[k] = markUnknowns(v[k], `${path}.${k}`);
        return out;
    }
    return v;
}

/**
 * A deep plain copy in which every value unknown at preview becomes an `UnknownValue` naming its
 * path (e.g. `.spec.ingress.0.from.0.ipBlock.cidr`), so a rule (and the analyzer) can decide what
 * the known parts decide and leave undecided only what depends on an unknown.
 */
export function withUnknowns(v: unknown, path = ""): unknown {
    const target = proxyTarget(v);
    return target === undefined ? withUnknownsThroughProxy(v, path) : markUnknowns(target, path);
}

/** The raw object behind the runtime's proxy, or undefined when `v` is no such proxy. */
function proxyTarget(v: unknown): object | undefined {
    if (typeof v !== "object" || v === null) return undefined;
    const target = (v as Record<string, unknown>)[PROXY_TARGET];
    return typeof target === "object" && target !== null ? target : undefined;
}

/** The same copy, read property by property through the runtime's proxy (catching its UnknownValueError). */
export function withUnknownsThroughProxy(v: unknown, path = ""): unknown {
    if (Array.isArray(v)) {
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) out.push(childWithUnknowns(v, i, `${path}.${i}`));
        return out;
    }
    if (isObj(v)) {
        const out: Obj = {};
        for (const k of Object.keys(v)) out[k] = childWithUnknowns(v, k, `${path}.${k}`);
        return out;
    }
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v) ? new UnknownValue(path) : v;
}

function childWithUnknowns(parent: unknown, key: string | number, path: string): unknown {
    let value: unknown;
    try {
        value = (parent as Record<string | number, unknown>)[key];
    } catch (e) {
        if (e instanceof UnknownValueError) return new UnknownValue(path);
        throw e;
    }
    return withUnknownsThroughProxy(value, path);
}

/** The paths of the unknown values inside a `withUnknowns` copy. */
export function unknownPaths(v: unknown): string[] {
    if (isUnknownValue(v)) return [v.path];
    if (Array.isArray(v)) return v.flatMap(unknownPaths);
    if (isObj(v)) return Object.values(v).flatMap(unknownPaths);
    return [];
}

/** Namespace of a namespaced Kubernetes object (the provider's default namespace is `default`). */
export function namespaceOf(r: ResourceLike): string {
    return str(get(r.props, "metadata", "namespace")) || "default";
}

export function metaName(r: ResourceLike): string | undefined {
    return str(get(r.props, "metadata", "name"));
}

export function labelsOf(r: ResourceLike): Record<string, string> {
    return strMap(get(r.props, "metadata", "labels"));
}

export function annotationsOf(r: ResourceLike): Record<string, string> {
    return strMap(get(r.props, "metadata", "annotations"));
}

const CLUSTER_SCOPED = new Set([T.namespace, T.clusterIssuer]);

/** `Kind ns/name (resource "pulumi-name")`; never throws, even on unknown names. */
/**
 * A resource's props without the runtime's proxy, for reads that only label a finding (read raw,
 * they cost no proxy per property); a caller must treat unknown sentinels itself.
 */
export function rawProps(r: ResourceLike): unknown {
    return proxyTarget(r.props) ?? r.props;
}

/** A known string at the path of raw props: undefined when missing, not a string, or unknown at preview. */
function knownStr(raw: unknown, ...path: string[]): string | undefined {
    const s = str(get(raw, ...path));
    return s === undefined || UNKNOWN_SENTINELS.has(s) ? undefined : s;
}

export function subjectOf(r: ResourceLike): Subject {
    // Labels only: read raw, an unknown value counts as missing (the proxy would throw on it).
    const raw = rawProps(r);
    const kind = knownStr(raw, "kind") ?? (WORKLOAD_TYPES[r.type] || r.type.split(":").pop() || r.type);
    const name = knownStr(raw, "metadata", "name");
    const ns = knownStr(raw, "metadata", "namespace");
    const k8s = r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh");
    let label: string;
    const helm = r.type === T.helmRelease || r.type === T.helmChartV4;
    const release = helm ? knownStr(raw, "name") : undefined;
    const releaseNs = helm ? knownStr(raw, "namespace") : undefined;
    if (helm) label = `Helm ${r.type === T.helmRelease ? "release" : "chart"} ${releaseNs ?? "default"}/${release ?? r.name} (resource "${r.name}")`;
    else if (k8s && name) label = `${kind} ${CLUSTER_SCOPED.has(r.type as typeof T.namespace) || !ns ? "" : `${ns}/`}${name} (resource "${r.name}")`;
    else label = `${kind} "${r.name}"`;
    return { urn: r.urn, label };
}

export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** True when the selector selects everything (`{}`, or no constraints at all). */
export function selectsAll(sel: unknown): boolean {
    if (!isObj(sel)) return false;
    return Object.keys(obj(sel.matchLabels)).length === 0 && arr(sel.matchExpressions).length === 0;
}

/** Kubernetes label-selector semantics (matchLabels AND every matchExpression). */
export function selectorMatches(sel: unknown, labels: Record<string, string>): boolean {
    if (!isObj(sel)) return false;
    for (const [k, v] of Object.entries(obj(sel.matchLabels))) if (labels[k] !== v) return false;
    for (const e of arr(sel.matchExpressions)) {
        const key = str(get(e, "key")) ?? "";
        const values = arr(get(e, "values")).map(String);
        const has = Object.prototype.hasOwnProperty.call(labels, key);
        switch (str(get(e, "operator"))) {
            case "In": if (!has || !values.includes(labels[key])) return false; break;
            case "NotIn": if (has && values.includes(labels[key])) return false; break;
            case "Exists": if (!has) return false; break;
            case "DoesNotExist": if (has) return false; break;
            default: return false;
        }
    }
    return true;
}

/** `*` wildcard match of `namespace/name` patterns. */
export function matchesPattern(value: string, patterns: readonly string[]): boolean {
    return patterns.some((p) => patternRegex(p).test(value));
}

// Built per call: allowlists are a few short patterns, and a regex costs microseconds.
function patternRegex(p: string): RegExp {
    return new RegExp(`^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** The pod template of a workload: labels and containers (a CronJob's lives under jobTemplate). */
export function podTemplateOf(r: ResourceLike): { labels: Record<string, string>; spec: Obj } | undefined {
    const kind = WORKLOAD_TYPES[r.type];
    if (!kind) return undefined;
    if (kind === "Pod") return { labels: labelsOf(r), spec: obj(get(r.props, "spec")) };
    const tpl = kind === "CronJob" ? get(r.props, "spec", "jobTemplate", "spec", "template") : get(r.props, "spec", "template");
    return { labels: strMap(get(tpl, "metadata", "labels")), spec: obj(get(tpl, "spec")) };
}

export interface Probe {
    port: number;
    protocol: string;
}

export function parsePortProto(p: string): Probe {
    const m = /^(\d{1,5})\/(TCP|UDP|SCTP)$/i.exec(p.trim());
    if (!m) throw new Error(`bad probe "${p}": expected PORT/PROTOCOL, e.g. 443/TCP`);
    return { port: Number(m[1]), protocol: m[2].toUpperCase() };
}

/** Helm release or v4 chart helpers. */
export function isHelm(type: string): boolean {
    return type === T.helmRelease || type === T.helmChartV4;
}

/** Namespace a Helm release installs into. */
export function helmNamespace(r: ResourceLike): string {
    return str(get(r.props, "namespace")) || "default";
}

/** The chart's bare name (`oci://ghcr.io/nginx/charts/nginx-ingress` → `nginx-ingress`, `jetstack/cert-manager` → `cert-manager`). */
export function chartName(r: ResourceLike): string {
    const chart = str(get(r.props, "chart")) ?? "";
    return chart.split("/").pop() ?? chart;
}
