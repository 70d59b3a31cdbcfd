/**
 * The stack as the NetworkPolicy analyzer (`policy-pack/analysis/`) sees it: the stack's Namespaces,
 * workloads, NetworkPolicies and CiliumNetworkPolicies as plain objects, plus probe pods synthesized
 * from the config's `endpoints` for pods the stack does not declare (Helm chart pods are opaque at
 * preview, kube-dns and Prometheus live outside the stack).
 *
 * Unknown values: policies and Namespaces go to the analyzer with their preview-time unknowns marked
 * (`withUnknowns`), so a check that depends on one is inconclusive and every other check is decided.
 * A workload whose pod labels are unknown cannot be placed: it is left out, and undecided.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { EndpointSpec, PackConfig } from "../../config";
import {
    get,
    helmNamespace,
    isHelm,
    isObj,
    isUnknownValue,
    Obj,
    podTemplateOf,
    Probe,
    ResourceLike,
    subjectOf,
    T,
    unknownPaths,
    withUnknowns,
    WORKLOAD_TYPES,
} from "./k8s";
import { Reporter, Subject } from "./rule";

import { analyze, APISERVER_ID } from "../../analysis";
import type { Analysis, Probe as AnalyzerProbe, Protocol, Status, Verdict } from "../../analysis";
export type { Analysis, Verdict } from "../../analysis";

/** Cilium's reserved identity for the API server; the analyzer names that endpoint the same. */
export const API_SERVER = APISERVER_ID;
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface PodInfo {
    /** Analyzer endpoint name, `namespace/name`. */
    id: string;
    namespace: string;
    labels: Record<string, string>;
    ports: { name?: string; port: number; protocol: string }[];
    /** The stack resource that declares it (workloads), or undefined for synthesized pods. */
    resource?: ResourceLike;
    /** The config endpoint it stands for, if synthesized. */
    endpoint?: string;
}

export interface Model {
    analysis: Analysis;
    pods: PodInfo[];
    /** Config endpoint name → analyzer id, for endpoints present in this stack. */
    endpointIds: Map<string, string>;
    /** Namespaces the stack creates → their resource (labels as known; unknown values left out). */
    namespaces: Map<string, ResourceLike & { labels: Record<string, string> }>;
    /** What building the model could not decide (unknown values), replayed into each rule's reporter. */
    undecided: string[];
    dataplane: "kubernetes" | "cilium";
}

/** Container ports of a pod spec (a `withUnknowns` copy); ports with an unknown part are left out and their paths returned. */
function containerPorts(spec: unknown): { ports: PodInfo["ports"]; unknown: string[] } {
    const ports: PodInfo["ports"] = [];
    const unknown = unknownPaths(get(spec, "containers")).concat(unknownPaths(get(spec, "initContainers")));
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
    for (const c of [...list(get(spec, "containers")), ...list(get(spec, "initContainers"))]) {
        for (const p of list(get(c, "ports"))) {
            const port = get(p, "containerPort");
            const name = get(p, "name");
            const protocol = get(p, "protocol");
            if (typeof port !== "number" || !Number.isInteger(port) || isUnknownValue(name) || isUnknownValue(protocol)) continue;
            ports.push({ name: typeof name === "string" ? name : undefined, port, protocol: typeof protocol === "string" ? protocol : "TCP" });
        }
    }
    return { ports, unknown };
}

function podObject(id: string, e: Pick<EndpointSpec, "labels" | "ports">, serviceAccountName?: string): Obj {
    const [namespace, name] = id.split("/");
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: { ...e.labels } },
        spec: {
            ...(serviceAccountName ? { serviceAccountName } : {}),
            containers: [{ name: "main", ports: e.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.port, protocol: p.protocol })) }],
        },
    };
}

/** Where a workload's pod template lives (a CronJob's under jobTemplate; a Pod is its own). */
function templateOf(type: string, o: Obj): unknown {
    const kind = WORKLOAD_TYPES[type];
    if (kind === "Pod") return o;
    return kind === "CronJob" ? get(o, "spec", "jobTemplate", "spec", "template") : get(o, "spec", "template");
}

/** The analyzer refused the stack's objects. */
export class InvalidPolicies extends Error {}

/** Reports an analyzer refusal as a violation (the API server would reject the object as well). */
export function reportInvalid(e: unknown, rep: Reporter): boolean {
    if (!(e instanceof InvalidPolicies)) return false;
    rep.violation({ label: "the stack's network policies" }, `they cannot be analyzed: ${e.message}`, "correct the object and field the error names (the API server would reject it too)");
    return true;
}

/** The model, or undefined when the policies cannot be analyzed (already reported as a violation). */
export async function modelOrReport(resources: PolicyResource[], cfg: PackConfig, rep: Reporter, options: ModelOptions = {}): Promise<Model | undefined> {
    try {
        return await buildModel(resources, cfg, rep, options);
    } catch (e) {
        if (reportInvalid(e, rep)) return undefined;
        throw e;
    }
}

export function toProbe(p: Probe): AnalyzerProbe {
    return { port: p.port, protocol: p.protocol.toUpperCase() as Protocol };
}

export interface ModelOptions {
    /** Add a label-less pod per stack namespace (`ns/any-pod`): "every pod", including ones added later. */
    anyPodProbes?: boolean;
}

/** The analyzer's input and options as a string: two rules given equal stacks share one analysis. */
const analyses = new Map<string, Analysis>();
const ANALYSES_KEPT = 8;

/**
 * The analyzer model of the stack; unknown parts are reported undecided through `rep`. The analysis
 * (the expensive part) is cached by its input's content: @pulumi/policy hands every stack rule a
 * freshly deserialized resource list, so two reachability rules of one preview see equal content in
 * different objects, and share one analysis.
 */
export async function buildModel(resources: PolicyResource[], cfg: PackConfig, rep: Reporter, options: ModelOptions = {}): Promise<Model> {
    const m = await Promise.resolve().then(() => buildModelUncached(resources, cfg, options));
    rep.addUndecided(m.undecided);
    return m;
}

/**
 * Drops the shared analyses. For a host that changes the analyzer's code between runs in one
 * process: StrykerJS switches mutants in place, and an analysis made by other code must not answer.
 */
export function forgetAnalyses(): void {
    analyses.clear();
}

function analysisOf(objects: unknown[], cfg: PackConfig): Analysis {
    const key = JSON.stringify([objects, cfg.dataplane, cfg.externals]);
    let analysis = analyses.get(key);
    if (!analysis) {
        try {
            analysis = analyze(objects, { dataplane: cfg.dataplane, externals: { ...cfg.externals } });
        } catch (e) {
            // Invalid objects (a bad CIDR, an unknown operator): the API server would reject them too.
            throw new InvalidPolicies(e instanceof Error ? e.message : String(e));
        }
        if (analyses.size >= ANALYSES_KEPT) analyses.delete(analyses.keys().next().value ?? "");
        analyses.set(key, analysis);
    }
    return analysis;
}

function buildModelUncached(resources: PolicyResource[], cfg: PackConfig, options: ModelOptions): Model {
    const rep = new Reporter("reachability model", () => undefined);
    const objects: unknown[] = [];
    const pods: PodInfo[] = [];
    const namespaces = new Map<string, ResourceLike & { labels: Record<string, string> }>();
    const helmNamespaces = new Set<string>();
    const seenNs = new Set<string>();

    for (const r of resources) {
        const isPolicy = r.type === T.networkPolicy || r.type === T.ciliumNetworkPolicy;
        if (r.type !== T.namespace && !isHelm(r.type) && !isPolicy && WORKLOAD_TYPES[r.type] === undefined) continue;
        if (isPolicy) {
            const o = withUnknowns(r.props) as Obj;
            const meta = isObj(o.metadata) && !isUnknownValue(o.metadata) ? o.metadata : {};
            objects.push({ ...o, metadata: { ...meta, name: meta.name ?? r.name, namespace: meta.namespace ?? "default" } });
            continue;
        }
        // Naming a resource reads its props through the proxy: only for the kinds the model reads.
        const subject = subjectOf(r);
        if (r.type === T.namespace) {
            rep.guard(subject, () => {
                const o = withUnknowns(r.props) as Obj;
                const name = get(o, "metadata", "name");
                if (isUnknownValue(name)) {
                    rep.undecided(subject, `${name.path} is unknown until the update, so its pods and policies cannot be placed`);
                    return;
                }
                if (typeof name !== "string" || name === "") return;
                const labels = get(o, "metadata", "labels");
                const known: Record<string, string> = {};
                if (isObj(labels) && !isUnknownValue(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === "string") known[k] = v;
                namespaces.set(name, { ...r, labels: known });
                seenNs.add(name);
                // Unknown label values stay marked: the analyzer leaves selectors on them undecided.
                objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: isObj(labels) || isUnknownValue(labels) ? labels : {} } });
            });
        } else if (isHelm(r.type)) {
            rep.guard(subject, () => helmNamespaces.add(helmNamespace(r)));
        } else if (WORKLOAD_TYPES[r.type] !== undefined) {
            rep.guard(subject, () => {
                const o = withUnknowns(r.props) as Obj;
                const template = templateOf(r.type, o);
                const placement = [get(o, "metadata"), get(o, "metadata", "name"), get(o, "metadata", "namespace"), isUnknownValue(template) ? template : get(template, "metadata"),
                    get(template, "metadata", "labels"), get(template, "spec"), get(template, "spec", "serviceAccountName")];
                const unknown = placement.flatMap((v) => (isUnknownValue(v) ? [v.path] : [])).concat(unknownPaths(get(template, "metadata", "labels")));
                if (unknown.length > 0) {
                    rep.undecided(subject, `${[...new Set(unknown)].join(", ")} ${unknown.length === 1 ? "is" : "are"} unknown until the update, so its pods cannot be placed or selected`);
                    return;
                }
                const tpl = podTemplateOf({ ...r, props: o });
                const meta = isObj(o.metadata) ? o.metadata : {};
                const name = String(meta.name ?? r.name);
                const namespace = String(meta.namespace ?? "default");
                const { ports, unknown: unknownPorts } = containerPorts(tpl?.spec);
                if (unknownPorts.length > 0) rep.undecided(subject, `${unknownPorts.join(", ")} ${unknownPorts.length === 1 ? "is" : "are"} unknown until the update, so checks on its container ports are incomplete`);
                const sa = get(tpl?.spec, "serviceAccountName");
                // Only what the analyzer reads: labels, container ports, service account (an unknown image or env does not matter).
                objects.push(podObject(`${namespace}/${name}`, { labels: tpl?.labels ?? {}, ports: ports.map((p) => ({ ...p, protocol: p.protocol as Protocol })) }, typeof sa === "string" ? sa : undefined));
                pods.push({ id: `${namespace}/${name}`, namespace, labels: tpl?.labels ?? {}, ports, resource: r });
            });
        }
    }

    const endpointIds = new Map<string, string>();
    for (const [name, e] of Object.entries(cfg.endpoints)) {
        const present = e.present === "always" || seenNs.has(e.namespace) || helmNamespaces.has(e.namespace);
        if (!present) continue;
        const id = `${e.namespace}/${name}`;
        endpointIds.set(name, id);
        objects.push(podObject(id, e));
        pods.push({ id, namespace: e.namespace, labels: { ...e.labels }, ports: e.ports.map((p) => ({ ...p })), endpoint: name });
    }
    if (options.anyPodProbes) {
        for (const ns of seenNs) {
            const id = `${ns}/any-pod`;
            objects.push({ apiVersion: "v1", kind: "Pod", metadata: { name: "any-pod", namespace: ns, labels: {} }, spec: { containers: [{ name: "main" }] } });
            pods.push({ id, namespace: ns, labels: {}, ports: [] });
        }
    }
    // Namespaces the stack does not create (kube-system, monitoring, ...) get no Namespace object:
    // the analyzer then knows only their name label, and anything that needs more is inconclusive.

    return { analysis: analysisOf(objects, cfg), pods, endpointIds, namespaces, undecided: rep.undecidedReasonsList(), dataplane: cfg.dataplane };
}

/** The resource a finding about a namespace is attached to: the stack's Namespace, else the stack. */
export function namespaceSubject(model: Model, ns: string, fallback?: ResourceLike): Subject {
    const r = model.namespaces.get(ns) ?? fallback;
    return r ? subjectOf(r) : { label: `namespace ${ns}` };
}

export function probeText(p: Probe): string {
    return `${p.port}/${p.protocol}`;
}

export interface Check {
    from: string;
    to: string;
    probe: Probe;
    subject: Subject;
}

/**
 * Many reachability questions at once: the fast cells per probe over every source and destination,
 * then `canReach` (with its explanation) only for the cells that are not allowed. Returns the
 * verdict of each such check, by index (denied or inconclusive); allowed checks are absent.
 */
export function notAllowed(model: Model, checks: readonly Check[]): Map<number, Verdict> {
    const out = new Map<number, Verdict>();
    if (checks.length === 0) return out;
    const byProbe = new Map<string, number[]>();
    checks.forEach((c, i) => {
        const key = probeText({ port: c.probe.port, protocol: c.probe.protocol.toUpperCase() });
        byProbe.set(key, [...(byProbe.get(key) ?? []), i]);
    });
    for (const indexes of byProbe.values()) {
        const from = [...new Set(indexes.map((i) => checks[i].from))];
        const to = [...new Set(indexes.map((i) => checks[i].to))];
        const probe = toProbe(checks[indexes[0]].probe);
        const { allowed } = model.analysis.cells(probe, from, to);
        const row = new Map(from.map((id, k) => [id, k]));
        const col = new Map(to.map((id, k) => [id, k]));
        for (const i of indexes) {
            const b = (row.get(checks[i].from) ?? 0) * to.length + (col.get(checks[i].to) ?? 0);
            if ((allowed[b >>> 5] & (1 << (b & 31))) !== 0) continue;
            out.set(i, model.analysis.canReach(checks[i].from, checks[i].to, probe));
        }
    }
    return out;
}

/** The analyzer's explanation of the side that denies, for messages (without the sides that let it through). */
export function why(v: Verdict): string {
    return v.explanation
        .filter((l) => !/ is not a pod | is not isolated for |^(Denied|Allowed|Inconclusive): /.test(l))
        .slice(0, 4)
        .map((l) => l.replace(/\.$/, ""))
        .join("; ");
}

/** What an inconclusive verdict depends on, for an undecided message. */
export function dependsOn(v: Verdict): string {
    return v.inconclusive.join("; ");
}

export type { Status };
