/**
 * The stack as the NetworkPolicy analyzer (`policy-pack/analysis/`) sees it: the stack's Namespaces,
 * workloads, NetworkPolicies and CiliumNetworkPolicies as plain objects, plus probe pods synthesized
 * from the config's `endpoints` for pods the stack does not declare (Helm chart pods are opaque at
 * preview, kube-dns and Prometheus live outside the stack).
 *
 * Unknown values: a policy whose spec is unknown at preview is left out of the model and recorded;
 * a flow that is closed in such a partial model is "undecided", not a violation (the missing policy
 * could be the one that opens it).
 */
import type { PolicyResource } from "@pulumi/policy";
import type { EndpointSpec, PackConfig } from "../../config";
import {
    get,
    helmNamespace,
    isHelm,
    isObj,
    metaName,
    Obj,
    podTemplateOf,
    Probe,
    ResourceLike,
    subjectOf,
    T,
    toPlain,
    WORKLOAD_TYPES,
} from "./k8s";
import { Reporter, Subject } from "./rule";

import type { Analysis, Probe as AnalyzerProbe, Protocol, Verdict } from "../../analysis";
export type { Analysis, Verdict } from "../../analysis";
import * as analyzerModule from "../../analysis";

/** Cilium's reserved identity for the API server; the analyzer names that endpoint the same. */
export const API_SERVER = "kube-apiserver";
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
    /** Namespaces the stack creates → their resource. */
    namespaces: Map<string, ResourceLike & { labels: Record<string, string> }>;
    /** Policies left out because part of them is unknown at preview. */
    partial: string[];
    /** What building the model could not decide (unknown values), replayed into each rule's reporter. */
    undecided: string[];
    dataplane: "kubernetes" | "cilium";
}

function containerPorts(spec: Obj): PodInfo["ports"] {
    const out: PodInfo["ports"] = [];
    for (const c of [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])]) {
        for (const p of Array.isArray(get(c, "ports")) ? (get(c, "ports") as unknown[]) : []) {
            const port = Number(get(p, "containerPort"));
            if (!Number.isInteger(port)) continue;
            const name = get(p, "name");
            out.push({ name: typeof name === "string" ? name : undefined, port, protocol: String(get(p, "protocol") ?? "TCP") });
        }
    }
    return out;
}

function namespaceObject(name: string, labels: Record<string, string>): Obj {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name } } };
}

function podObject(id: string, e: EndpointSpec): Obj {
    const [namespace, name] = id.split("/");
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: { ...e.labels } },
        spec: { containers: [{ name: "main", ports: e.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.port, protocol: p.protocol })) }] },
    };
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

/**
 * The analyzer model of the stack; unknown parts are reported undecided through `rep`. Models are
 * cached per resource list and config, so the two reachability rules share one (the engine hands
 * every stack rule the same list; Pulumi's runtime builds a new list per rule, which just misses).
 */
export async function buildModel(resources: PolicyResource[], cfg: PackConfig, rep: Reporter, options: ModelOptions = {}): Promise<Model> {
    const key = `${JSON.stringify(cfg)}|${options.anyPodProbes === true}`;
    let byKey = modelCache.get(resources);
    if (!byKey) {
        byKey = new Map();
        modelCache.set(resources, byKey);
    }
    let model = byKey.get(key);
    if (!model) {
        model = buildModelUncached(resources, cfg, options);
        byKey.set(key, model);
    }
    const m = await model;
    rep.addUndecided(m.undecided);
    return m;
}

const modelCache = new WeakMap<PolicyResource[], Map<string, Promise<Model>>>();

async function buildModelUncached(resources: PolicyResource[], cfg: PackConfig, options: ModelOptions): Promise<Model> {
    const rep = new Reporter("reachability model", () => undefined);
    const objects: Obj[] = [];
    const pods: PodInfo[] = [];
    const partial: string[] = [];
    const namespaces = new Map<string, ResourceLike & { labels: Record<string, string> }>();
    const helmNamespaces = new Set<string>();
    const seenNs = new Set<string>();

    for (const r of resources) {
        const subject = subjectOf(r);
        if (r.type === T.namespace) {
            rep.guard(subject, () => {
                const name = metaName(r);
                if (!name) return;
                const labels = (toPlain(get(r.props, "metadata", "labels")) ?? {}) as Record<string, string>;
                namespaces.set(name, { ...r, labels });
                seenNs.add(name);
                objects.push(namespaceObject(name, labels));
            });
        } else if (isHelm(r.type)) {
            rep.guard(subject, () => helmNamespaces.add(helmNamespace(r)));
        } else if (r.type === T.networkPolicy || r.type === T.ciliumNetworkPolicy) {
            try {
                const o = toPlain(r.props) as Obj;
                const meta = isObj(o.metadata) ? o.metadata : {};
                objects.push({ ...o, metadata: { ...meta, name: meta.name ?? r.name, namespace: meta.namespace ?? "default" } });
            } catch (e) {
                partial.push(subject.label);
                rep.guard(subject, () => { throw e; });
            }
        } else if (WORKLOAD_TYPES[r.type] !== undefined) {
            rep.guard(subject, () => {
                const o = toPlain(r.props) as Obj;
                const meta = isObj(o.metadata) ? o.metadata : {};
                const name = String(meta.name ?? r.name);
                const namespace = String(meta.namespace ?? "default");
                objects.push({ ...o, metadata: { ...meta, name, namespace } });
                const tpl = podTemplateOf(r);
                pods.push({ id: `${namespace}/${name}`, namespace, labels: tpl?.labels ?? {}, ports: tpl ? containerPorts(tpl.spec) : [], resource: r });
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
    // Namespaces the pods live in but the stack does not create (kube-system, monitoring, ...).
    for (const p of pods) {
        if (seenNs.has(p.namespace)) continue;
        seenNs.add(p.namespace);
        objects.push(namespaceObject(p.namespace, {}));
    }

    const analyzer = analyzerModule;
    let analysis: Analysis;
    try {
        analysis = analyzer.analyze(objects, { dataplane: cfg.dataplane, externals: { ...cfg.externals } });
    } catch (e) {
        // Invalid objects (a bad CIDR, an unknown operator): the API server would reject them too.
        throw new InvalidPolicies(e instanceof Error ? e.message : String(e));
    }
    return { analysis, pods, endpointIds, namespaces, partial, undecided: rep.undecidedReasonsList(), dataplane: cfg.dataplane };
}

/** The resource a finding about a namespace is attached to: the stack's Namespace, else the stack. */
export function namespaceSubject(model: Model, ns: string, fallback?: ResourceLike): Subject {
    const r = model.namespaces.get(ns) ?? fallback;
    return r ? subjectOf(r) : { label: `namespace ${ns}` };
}

export function probeText(p: Probe): string {
    return `${p.port}/${p.protocol}`;
}

/**
 * `canReach` that never throws: an endpoint the analyzer does not know (e.g. `kube-apiserver` on the
 * plain Kubernetes dataplane) makes the check undecided.
 */
export function reach(model: Model, rep: Reporter, subject: Subject, from: string, to: string, probe: Probe): Verdict | undefined {
    try {
        return model.analysis.canReach(from, to, toProbe(probe));
    } catch (e) {
        rep.undecided(subject, `the analyzer cannot evaluate ${from} → ${to} on ${probe.port}/${probe.protocol}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
    }
}

/** Parts of the stack's policies the analyzer does not model: reported, never silently ignored. */
export function reportUnsupported(model: Model, rep: Reporter): void {
    const unsupported = model.analysis.unsupported;
    if (unsupported.length > 0) {
        rep.undecided({ label: "the stack's network policies" }, `the analyzer does not model ${unsupported.length} part(s), so verdicts may be incomplete: ${unsupported.slice(0, 5).join("; ")}`);
    }
}

/**
 * Many reachability questions at once: one fast matrix over every source, destination and probe,
 * then `canReach` (with its explanation) only for the closed ones. Returns the verdict of each
 * closed check, by index; open checks are absent.
 */
export function closedChecks(model: Model, rep: Reporter, checks: { from: string; to: string; probe: Probe; subject: Subject }[]): Map<number, Verdict> {
    const closed = new Map<number, Verdict>();
    if (checks.length === 0) return closed;
    const known = new Set(model.analysis.endpoints.map((e) => e.id));
    const probes = new Map<string, AnalyzerProbe>();
    for (const c of checks) probes.set(`${c.probe.port}/${c.probe.protocol.toUpperCase()}`, toProbe(c.probe));
    const from = [...new Set(checks.map((c) => c.from).filter((id) => known.has(id)))];
    const to = [...new Set(checks.map((c) => c.to).filter((id) => known.has(id)))];
    const matrix = from.length > 0 && to.length > 0 ? model.analysis.matrix([...probes.values()], { from, to }) : {};
    checks.forEach((c, i) => {
        if (matrix[`${c.probe.port}/${c.probe.protocol.toUpperCase()}`]?.[c.from]?.[c.to] === true) return;
        const v = reach(model, rep, c.subject, c.from, c.to, c.probe);
        if (v && !v.allowed) closed.set(i, v);
    });
    return closed;
}

/** First lines of the analyzer's explanation, for messages. */
export function why(v: Verdict): string {
    return v.explanation.slice(0, 3).join("; ");
}
