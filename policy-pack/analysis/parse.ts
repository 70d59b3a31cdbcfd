/**
 * Reading input: YAML/JSON documents into plain objects, and plain Kubernetes objects into the
 * normalized model (namespaces, endpoints, policies), checking what the API server would reject.
 */
import { parseAllDocuments } from "yaml";
import { AnalysisError, LoadError, objectSources } from "./errors";
import { Cidr, parseCidr } from "../shared/net";
import { Fail, isObject, isUncertain, namespaceMatches, NAMESPACE_NAME_LABEL, parseSelector, ParseSelectorOptions, Warn } from "./selectors";
import {
    AnalyzerOptions,
    EndpointPort,
    Entity,
    isUnknownValue,
    Model,
    ModelEndpoint,
    NamespaceInfo,
    OpaqueScope,
    Peer,
    Policy,
    PortSpec,
    Protocol,
    PROTOCOLS,
    Rule,
    Selector,
    Tri,
} from "./types";

export { NAMESPACE_NAME_LABEL };
export const CILIUM_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
export const CILIUM_SA_LABEL = "io.cilium.k8s.policy.serviceaccount";
export const APISERVER_ID = "kube-apiserver";
/** The `kubernetes` Service address in AKS's default service CIDR (10.0.0.0/16). */
export const DEFAULT_APISERVER_IP = "10.0.0.1";

// ---------------------------------------------------------------- loading

/** Parses YAML or JSON text (several documents allowed) into objects, flattening `List` kinds. */
export function loadObjects(text: string, source: string): unknown[] {
    const out: unknown[] = [];
    let docs;
    try {
        docs = parseAllDocuments(text);
    } catch (e) {
        throw new LoadError(`${source}: cannot parse: ${e instanceof Error ? e.message : String(e)}`);
    }
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, i) => {
        const where = `${source} document ${i + 1}`;
        if (doc.errors.length > 0) throw new LoadError(`${where}: ${doc.errors[0].message.split("\n")[0]}`);
        let value: unknown;
        try {
            value = doc.toJS({ maxAliasCount: 1000 });
        } catch (e) {
            throw new LoadError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (value === null || value === undefined) return;
        if (!isObject(value)) throw new LoadError(`${where}: expected a Kubernetes object (a mapping with apiVersion and kind), got ${Array.isArray(value) ? "a list" : typeof value}`);
        flatten(value, where, out);
    });
    return out;
}

function flatten(value: Record<string, unknown>, where: string, out: unknown[]): void {
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
        value.items.forEach((item: unknown, j: number) => {
            const w = `${where} item ${j + 1}`;
            if (!isObject(item)) throw new LoadError(`${w}: expected a Kubernetes object, got ${typeof item}`);
            flatten(item, w, out);
        });
        return;
    }
    if (typeof value.kind !== "string") throw new LoadError(`${where}: missing "kind"`);
    objectSources.set(value, where);
    out.push(value);
}

// ---------------------------------------------------------------- helpers

function describe(obj: Record<string, unknown>): string {
    const md = isObject(obj.metadata) ? obj.metadata : {};
    const name = typeof md.name === "string" ? md.name : isUnknownValue(md.name) ? "<name unknown>" : "<unnamed>";
    const ns = typeof md.namespace === "string" ? `${md.namespace}/` : isUnknownValue(md.namespace) ? "<namespace unknown>/" : "";
    const src = objectSources.get(obj);
    return `${String(obj.kind)} ${ns}${name}${src ? ` (${src})` : ""}`;
}

function failer(obj: Record<string, unknown>): Fail {
    return (field: string, reason: string): never => {
        throw new AnalysisError(describe(obj), field, reason);
    };
}

function labelsOf(raw: unknown, field: string, fail: Fail): Record<string, string> {
    if (raw === undefined || raw === null) return {};
    if (!isObject(raw)) fail(field, "must be a map of strings");
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        if (isUnknownValue(v)) fail(`${field}[${JSON.stringify(k)}]`, "is unknown; a pod's labels must be known to evaluate policies on it (leave the pod out)");
        if (typeof v !== "string") fail(`${field}[${JSON.stringify(k)}]`, `label values must be strings, got ${JSON.stringify(v)} (${typeof v}); quote it`);
        out[k] = v;
    }
    return out;
}

function listOf(raw: unknown, field: string, fail: Fail): unknown[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) fail(field, "must be a list");
    return raw;
}

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
function validPortName(name: string): boolean {
    return name.length <= 15 && IANA_SVC_NAME.test(name) && /[a-z]/.test(name) && !name.includes("--");
}

function protocolOf(raw: unknown, field: string, fail: Fail): Protocol {
    if (raw === undefined || raw === null) return "TCP";
    if (typeof raw !== "string" || !(PROTOCOLS as readonly string[]).includes(raw)) fail(field, `unsupported protocol ${JSON.stringify(raw)}: must be TCP, UDP or SCTP`);
    return raw as Protocol;
}

function portNumber(raw: unknown, field: string, fail: Fail): number {
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 1 || raw > 65535) fail(field, `must be a port number between 1 and 65535, got ${JSON.stringify(raw)}`);
    return raw as number;
}

function blockOf(raw: unknown, field: string, fail: Fail, allowBare: boolean): Cidr {
    if (typeof raw !== "string") fail(field, `must be a CIDR string, got ${JSON.stringify(raw)}`);
    const c = parseCidr(raw as string, allowBare);
    if (!c) fail(field, `invalid CIDR ${JSON.stringify(raw)}`);
    return c as Cidr;
}

function exceptsOf(raw: unknown, block: Cidr, field: string, fail: Fail, allowBare: boolean): Cidr[] {
    return listOf(raw, field, fail).map((e, i) => {
        const c = blockOf(e, `${field}[${i}]`, fail, allowBare);
        if (c.family !== block.family || c.start < block.start || c.end > block.end || c.prefix <= block.prefix) {
            fail(`${field}[${i}]`, `${JSON.stringify(e)} must be a strict subset of ${block.text}`);
        }
        return c;
    });
}

// ---------------------------------------------------------------- pods and workloads

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController"]);

function containerPorts(spec: Record<string, unknown>, field: string, fail: Fail): EndpointPort[] {
    const out: EndpointPort[] = [];
    for (const list of ["initContainers", "containers"]) {
        listOf(spec[list], `${field}.${list}`, fail).forEach((c, i) => {
            if (!isObject(c)) fail(`${field}.${list}[${i}]`, "must be an object");
            listOf(c.ports, `${field}.${list}[${i}].ports`, fail).forEach((p, j) => {
                const f = `${field}.${list}[${i}].ports[${j}]`;
                if (!isObject(p)) fail(f, "must be an object");
                const port = portNumber(p.containerPort, `${f}.containerPort`, fail);
                const protocol = protocolOf(p.protocol, `${f}.protocol`, fail);
                if (p.name !== undefined && (typeof p.name !== "string" || !validPortName(p.name))) fail(`${f}.name`, `invalid port name ${JSON.stringify(p.name)} (IANA service name: at most 15 lowercase letters, digits and '-', with a letter)`);
                out.push({ ...(typeof p.name === "string" ? { name: p.name } : {}), port, protocol });
            });
        });
    }
    return out;
}

interface RawEndpoint {
    id: string;
    namespace: string;
    name: string;
    labels: Record<string, string>;
    ips: string[];
    ports: EndpointPort[];
    serviceAccount: string;
    source: string;
    obj: Record<string, unknown>;
    /** "ns/Kind/name" of owners named in ownerReferences. */
    owners: string[];
    hostNetwork: boolean;
}

function ownersOf(md: Record<string, unknown>, ns: string): string[] {
    return (Array.isArray(md.ownerReferences) ? md.ownerReferences : [])
        .filter(isObject)
        .map((o) => `${ns}/${String(o.kind)}/${String(o.name)}`);
}

function readPodLike(obj: Record<string, unknown>, kind: string): RawEndpoint {
    const fail: Fail = failer(obj);
    if (!isObject(obj.metadata)) fail("metadata", "is required");
    const md = obj.metadata as Record<string, unknown>;
    if (typeof md.name !== "string" || md.name === "") fail("metadata.name", "is required");
    const ns = typeof md.namespace === "string" && md.namespace !== "" ? md.namespace : "default";
    const name = md.name as string;
    let template: Record<string, unknown> = obj;
    let field = "";
    if (kind !== "Pod") {
        const spec = isObject(obj.spec) ? obj.spec : fail("spec", "is required");
        if (kind === "CronJob") {
            const jt = isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) ? spec.jobTemplate.spec : fail("spec.jobTemplate.spec", "is required");
            template = isObject(jt.template) ? jt.template : fail("spec.jobTemplate.spec.template", "is required");
            field = "spec.jobTemplate.spec.template.";
        } else {
            template = isObject(spec.template) ? spec.template : fail("spec.template", "is required");
            field = "spec.template.";
        }
    }
    const tmd = isObject(template.metadata) ? template.metadata : {};
    const labels = labelsOf(tmd.labels, `${field}metadata.labels`, fail);
    const podSpec = isObject(template.spec) ? template.spec : {};
    const ports = containerPorts(podSpec, `${field}spec`, fail);
    const ips: string[] = [];
    if (kind === "Pod" && isObject(obj.status)) {
        const st = obj.status;
        const add = (ip: unknown, f: string): void => {
            if (ip === undefined || ip === null || ip === "") return;
            if (typeof ip !== "string" || !parseCidr(ip, true) || ip.includes("/")) fail(f, `invalid IP address ${JSON.stringify(ip)}`);
            if (!ips.includes(ip as string)) ips.push(ip as string);
        };
        add(st.podIP, "status.podIP");
        listOf(st.podIPs, "status.podIPs", fail).forEach((p, i) => add(isObject(p) ? p.ip : p, `status.podIPs[${i}].ip`));
    }
    return {
        id: `${ns}/${name}`,
        namespace: ns,
        name,
        labels,
        ips,
        ports,
        serviceAccount: typeof podSpec.serviceAccountName === "string" ? podSpec.serviceAccountName : "default",
        source: kind,
        obj,
        owners: ownersOf(md, ns),
        hostNetwork: podSpec.hostNetwork === true,
    };
}

// ---------------------------------------------------------------- uncertainty

/** Records warnings for one object: `<object>: <field>: <reason>`, each once; returns the text (the reason cells cite). */
function warner(obj: Record<string, unknown>, warnings: Set<string>): Warn {
    return (field: string, reason: string): string => {
        // "<object>: <field> is unknown ..." reads as a sentence; other reasons follow a colon.
        const text = `${describe(obj)}: ${field}${reason.startsWith("is ") ? " " : ": "}${reason}`;
        warnings.add(text);
        return text;
    };
}

const UNKNOWN = "is unknown until the update";

function opaque(scope: OpaqueScope, reason: string, text: string, namespace?: string): Peer {
    return { kind: "opaque", scope, reason, text: `${text} (cannot be evaluated)`, ...(namespace !== undefined ? { namespace } : {}) };
}

/** A rule nothing is known about: it may allow anything. */
function uncertainRule(id: string, reason: string): Rule {
    return { id, peers: [opaque("any", reason, "unknown peers")], ports: "all", uncertain: reason };
}

function uncertainPort(reason: string, protocol?: Protocol): PortSpec {
    return { ...(protocol ? { protocol } : {}), text: `unknown ${protocol ?? ""} port`.replace("  ", " "), uncertain: reason };
}

// ---------------------------------------------------------------- NetworkPolicy

function k8sPorts(raw: unknown, field: string, fail: Fail, warn: Warn): PortSpec[] | "all" {
    if (isUnknownValue(raw)) return [uncertainPort(warn(field, UNKNOWN))];
    const list = listOf(raw, field, fail);
    if (list.length === 0) return "all";
    return list.map((p, i) => {
        const f = `${field}[${i}]`;
        if (isUnknownValue(p)) return uncertainPort(warn(f, UNKNOWN));
        if (!isObject(p)) fail(f, "must be an object");
        if (isUnknownValue(p.protocol)) return uncertainPort(warn(`${f}.protocol`, UNKNOWN));
        const protocol = protocolOf(p.protocol, `${f}.protocol`, fail);
        if (isUnknownValue(p.port)) return uncertainPort(warn(`${f}.port`, UNKNOWN), protocol);
        if (isUnknownValue(p.endPort)) return uncertainPort(warn(`${f}.endPort`, UNKNOWN), protocol);
        const spec: PortSpec = { protocol, text: "" };
        if (p.port === undefined || p.port === null) {
            if (p.endPort !== undefined && p.endPort !== null) fail(`${f}.endPort`, "may not be specified when port is not specified");
            spec.text = `all ${protocol} ports`;
            return spec;
        }
        if (typeof p.port === "string") {
            if (!validPortName(p.port)) fail(`${f}.port`, `${JSON.stringify(p.port)} is neither a port number nor a valid port name (IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter); write numbers without quotes`);
            if (p.endPort !== undefined && p.endPort !== null) fail(`${f}.endPort`, "may not be specified when port is a named port");
            spec.name = p.port;
            spec.text = `named port ${p.port}/${protocol}`;
            return spec;
        }
        spec.port = portNumber(p.port, `${f}.port`, fail);
        if (p.endPort !== undefined && p.endPort !== null) {
            const end = portNumber(p.endPort, `${f}.endPort`, fail);
            if (end < spec.port) fail(`${f}.endPort`, `must be greater than or equal to port (${spec.port})`);
            spec.endPort = end;
            spec.text = `${spec.port}-${end}/${protocol}`;
        } else {
            spec.text = `${spec.port}/${protocol}`;
        }
        return spec;
    });
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

function selectorText(kind: string, sel: Selector, all: string): string {
    return `${kind} ${sel.requirements.length ? `{${sel.key}}` : `{} (${all})`}`;
}

/** ns: the policy's namespace, undefined when unknown. */
function k8sPeers(raw: unknown, field: string, fail: Fail, warn: Warn, ns: string | undefined, nsUnknown: string | undefined): Peer[] | "all" {
    if (isUnknownValue(raw)) return [opaque("any", warn(field, UNKNOWN), field)];
    const list = listOf(raw, field, fail);
    if (list.length === 0) return "all";
    return list.map((p, i): Peer => {
        const f = `${field}[${i}]`;
        if (isUnknownValue(p)) return opaque("any", warn(f, UNKNOWN), f);
        if (!isObject(p)) fail(f, "must be an object");
        for (const k of Object.keys(p)) if (!["podSelector", "namespaceSelector", "ipBlock"].includes(k)) fail(`${f}.${k}`, "unknown field (a peer has podSelector, namespaceSelector or ipBlock)");
        const hasPod = present(p.podSelector);
        const hasNs = present(p.namespaceSelector);
        const hasIp = present(p.ipBlock);
        if (hasIp && (hasPod || hasNs)) fail(f, "may not specify ipBlock together with podSelector or namespaceSelector");
        if (!hasIp && !hasPod && !hasNs) fail(f, "must specify a peer: podSelector, namespaceSelector or ipBlock");
        if (hasIp) {
            const ib = p.ipBlock;
            if (isUnknownValue(ib)) return opaque("cidr", warn(`${f}.ipBlock`, UNKNOWN), `${f}.ipBlock`);
            if (!isObject(ib)) fail(`${f}.ipBlock`, "must be an object");
            if (isUnknownValue(ib.cidr)) return opaque("cidr", warn(`${f}.ipBlock.cidr`, UNKNOWN), `${f}.ipBlock`);
            if (ib.cidr === undefined || ib.cidr === "") fail(`${f}.ipBlock.cidr`, "is required");
            const block = blockOf(ib.cidr, `${f}.ipBlock.cidr`, fail, false);
            if (isUnknownValue(ib.except)) return opaque("cidr", warn(`${f}.ipBlock.except`, UNKNOWN), `ipBlock ${block.text}`);
            const unknownExcept = listOf(ib.except, `${f}.ipBlock.except`, fail).findIndex(isUnknownValue);
            if (unknownExcept >= 0) return opaque("cidr", warn(`${f}.ipBlock.except[${unknownExcept}]`, UNKNOWN), `ipBlock ${block.text}`);
            const except = exceptsOf(ib.except, block, `${f}.ipBlock.except`, fail, false);
            return { kind: "cidr", block, except, text: `ipBlock ${block.text}${except.length ? ` except ${except.map((e) => e.text).join(", ")}` : ""}` };
        }
        const podSelector = hasPod ? parseSelector(p.podSelector, `${f}.podSelector`, fail, warn) : undefined;
        const namespaceSelector = hasNs ? parseSelector(p.namespaceSelector, `${f}.namespaceSelector`, fail, warn) : undefined;
        // A podSelector alone selects pods of the policy's namespace only.
        if (isUncertain(podSelector)) return opaque("pods", podSelector.uncertain, f, hasNs ? undefined : ns);
        if (isUncertain(namespaceSelector)) return opaque("pods", namespaceSelector.uncertain, f);
        if (!namespaceSelector && ns === undefined) return opaque("pods", nsUnknown ?? warn("metadata.namespace", UNKNOWN), f);
        const parts = [
            namespaceSelector ? selectorText("namespaceSelector", namespaceSelector, "all namespaces") : `namespace ${ns ?? ""}`,
            podSelector ? selectorText("podSelector", podSelector, "all pods") : "all pods",
        ];
        return { kind: "k8s", podSelector, namespaceSelector, policyNamespace: ns ?? "", text: parts.join(", ") };
    });
}

interface PolicyMeta {
    name: string;
    /** undefined: unknown. */
    namespace?: string;
    namespaceUnknown?: string;
}

function policyMeta(obj: Record<string, unknown>, fail: Fail, warn: Warn, namespaced: boolean): PolicyMeta {
    if (!isObject(obj.metadata) || isUnknownValue(obj.metadata)) fail("metadata", "is required");
    const md = obj.metadata as Record<string, unknown>;
    const name = isUnknownValue(md.name) ? "<name unknown until the update>" : md.name;
    if (typeof name !== "string" || name === "") fail("metadata.name", "is required");
    if (!namespaced) return { name: name as string };
    if (isUnknownValue(md.namespace)) {
        return { name: name as string, namespaceUnknown: warn("metadata.namespace", `${UNKNOWN}, so the policy may select pods of any namespace`) };
    }
    return { name: name as string, namespace: typeof md.namespace === "string" && md.namespace !== "" ? md.namespace : "default" };
}

/** Isolation of one direction from policyTypes, as known. */
function triOf(listed: boolean, unknown: boolean): Tri {
    return listed ? "yes" : unknown ? "maybe" : "no";
}

function readNetworkPolicy(obj: Record<string, unknown>, warnings: Set<string>): Policy {
    const fail: Fail = failer(obj);
    const warn = warner(obj, warnings);
    if (!isUnknownValue(obj.apiVersion) && obj.apiVersion !== "networking.k8s.io/v1") fail("apiVersion", `expected networking.k8s.io/v1, got ${JSON.stringify(obj.apiVersion)}`);
    const meta = policyMeta(obj, fail, warn, true);
    const ns = meta.namespace;
    const id = `NetworkPolicy ${ns ?? "<namespace unknown>"}/${meta.name}`;
    const base = { id, kind: "NetworkPolicy" as const, namespace: ns, name: meta.name, mayDeny: {} };
    if (isUnknownValue(obj.spec)) {
        const reason = warn("spec", UNKNOWN);
        return { ...base, selectionUncertain: reason, isolatesIngress: "maybe", isolatesEgress: "maybe", isolationUncertain: reason,
            ingress: [uncertainRule(`${id} ingress`, reason)], egress: [uncertainRule(`${id} egress`, reason)] };
    }
    if (!isObject(obj.spec)) fail("spec", "is required");
    const spec = obj.spec as Record<string, unknown>;
    const podSelector = parseSelector(spec.podSelector, "spec.podSelector", fail, warn);
    // policyTypes: the listed types certainly isolate; an unknown list (or entry) may add the others.
    let typesUnknown: string | undefined;
    const listed = new Set<string>();
    const typesGiven = present(spec.policyTypes);
    if (isUnknownValue(spec.policyTypes)) typesUnknown = warn("spec.policyTypes", UNKNOWN);
    else {
        const rawTypes = listOf(spec.policyTypes, "spec.policyTypes", fail);
        rawTypes.forEach((t, i) => {
            if (isUnknownValue(t)) {
                typesUnknown ??= warn(`spec.policyTypes[${i}]`, UNKNOWN);
                return;
            }
            if (t !== "Ingress" && t !== "Egress") fail(`spec.policyTypes[${i}]`, `unknown policy type ${JSON.stringify(t)}: must be Ingress or Egress`);
            if (listed.has(t)) fail(`spec.policyTypes[${i}]`, `duplicate value ${JSON.stringify(t)}`);
            listed.add(t);
        });
    }
    const section = (dir: "ingress" | "egress"): { rules: Rule[]; unknown?: string; empty: boolean } => {
        const raw = spec[dir];
        if (isUnknownValue(raw)) {
            const reason = warn(`spec.${dir}`, UNKNOWN);
            return { rules: [uncertainRule(`${id} ${dir}`, reason)], unknown: reason, empty: false };
        }
        const list = listOf(raw, `spec.${dir}`, fail);
        const rules = list.map((r, i): Rule => {
            const f = `spec.${dir}[${i}]`;
            const rid = `${id} ${dir}[${i}]`;
            if (isUnknownValue(r)) return uncertainRule(rid, warn(f, UNKNOWN));
            if (!isObject(r)) fail(f, "must be an object");
            const peerField = dir === "ingress" ? "from" : "to";
            for (const k of Object.keys(r)) if (k !== peerField && k !== "ports") fail(`${f}.${k}`, `unknown field (an ${dir} rule has ${peerField} and ports)`);
            return { id: rid, peers: k8sPeers(r[peerField], `${f}.${peerField}`, fail, warn, ns, meta.namespaceUnknown), ports: k8sPorts(r.ports, `${f}.ports`, fail, warn) };
        });
        return { rules, empty: list.length === 0 };
    };
    const ingress = section("ingress");
    const egress = section("egress");
    // Defaulting (networking/v1 SetDefaults_NetworkPolicy): no policyTypes means Ingress, plus Egress when there are egress rules.
    let isolatesIngress: Tri;
    let isolatesEgress: Tri;
    let isolationUncertain = typesUnknown;
    if (typesGiven) {
        isolatesIngress = triOf(listed.has("Ingress"), typesUnknown !== undefined);
        isolatesEgress = triOf(listed.has("Egress"), typesUnknown !== undefined);
    } else {
        isolatesIngress = "yes";
        isolatesEgress = egress.unknown !== undefined ? "maybe" : egress.empty ? "no" : "yes";
        isolationUncertain = egress.unknown;
    }
    // Rules of a type the policy does not list do not count; of a type it may list, they may.
    const counted = (rules: Rule[], t: Tri): Rule[] =>
        t === "no" ? [] : t === "yes" ? rules : rules.map((r) => ({ ...r, uncertain: r.uncertain ?? isolationUncertain }));
    return {
        ...base,
        ...(isUncertain(podSelector) ? { selectionUncertain: podSelector.uncertain } : { podSelector }),
        ...(meta.namespaceUnknown ? { selectionUncertain: meta.namespaceUnknown } : {}),
        isolatesIngress,
        isolatesEgress,
        ...(isolationUncertain ? { isolationUncertain } : {}),
        ingress: counted(ingress.rules, isolatesIngress),
        egress: counted(egress.rules, isolatesEgress),
    };
}

// ---------------------------------------------------------------- CiliumNetworkPolicy

/** Cilium's entities (language reference, "Entities based"); the model evaluates each of them. */
const CILIUM_ENTITIES: ReadonlySet<string> = new Set<Entity>(["world", "world-ipv4", "world-ipv6", "cluster", "all", "kube-apiserver", "remote-node", "host", "health", "init", "ingress", "unmanaged"]);

function ciliumKey(key: string): { key: string } | { unsupported: string } {
    let k = key;
    const colon = k.indexOf(":");
    if (colon >= 0) {
        const src = k.slice(0, colon);
        if (src === "k8s" || src === "any") k = k.slice(colon + 1);
        else if (src === "reserved") return { unsupported: `reserved label ${JSON.stringify(key)} is not evaluated (use fromEntities/toEntities)` };
        else return { unsupported: `label source ${JSON.stringify(src)} in ${JSON.stringify(key)} is not evaluated` };
    }
    if (k.startsWith("io.cilium.k8s.namespace.labels.")) return { unsupported: `namespace label ${JSON.stringify(key)}: Cilium ignores io.cilium.k8s.namespace.labels in a namespaced CiliumNetworkPolicy, and what the selector then selects is not evaluated` };
    return { key: k };
}

const L7_FIELDS = ["rules", "listener", "originatingTLS", "terminatingTLS", "serverNames"];

function ciliumPorts(raw: unknown, field: string, fail: Fail, warn: Warn): { ports: PortSpec[] | "all"; uncertain?: string } {
    if (isUnknownValue(raw)) return { ports: [uncertainPort(warn(field, UNKNOWN))] };
    const list = listOf(raw, field, fail);
    if (list.length === 0) return { ports: "all" };
    const out: PortSpec[] = [];
    let uncertain: string | undefined;
    list.forEach((pr, i) => {
        const f = `${field}[${i}]`;
        if (isUnknownValue(pr)) {
            out.push(uncertainPort(warn(f, UNKNOWN)));
            return;
        }
        if (!isObject(pr)) fail(f, "must be an object");
        for (const k of Object.keys(pr)) {
            if (k === "ports") continue;
            if (L7_FIELDS.includes(k)) uncertain ??= warn(`${f}.${k}`, "layer 7 / TLS rules are not evaluated: only some requests on these ports may be allowed");
            else fail(`${f}.${k}`, "unknown field");
        }
        if (isUnknownValue(pr.ports)) {
            out.push(uncertainPort(warn(`${f}.ports`, UNKNOWN)));
            return;
        }
        const ports = listOf(pr.ports, `${f}.ports`, fail);
        if (ports.length === 0) {
            out.push({ text: "all ports" });
            return;
        }
        ports.forEach((p, j) => {
            const pf = `${f}.ports[${j}]`;
            if (isUnknownValue(p)) {
                out.push(uncertainPort(warn(pf, UNKNOWN)));
                return;
            }
            if (!isObject(p)) fail(pf, "must be an object");
            if (isUnknownValue(p.protocol)) {
                out.push(uncertainPort(warn(`${pf}.protocol`, UNKNOWN)));
                return;
            }
            let protocol: Protocol | undefined;
            if (p.protocol !== undefined && p.protocol !== null && p.protocol !== "" && p.protocol !== "ANY") {
                if (typeof p.protocol !== "string" || !(PROTOCOLS as readonly string[]).includes(p.protocol)) fail(`${pf}.protocol`, `unsupported protocol ${JSON.stringify(p.protocol)}: must be TCP, UDP, SCTP or ANY`);
                protocol = p.protocol as Protocol;
            }
            if (isUnknownValue(p.port) || isUnknownValue(p.endPort)) {
                out.push(uncertainPort(warn(`${pf}.${isUnknownValue(p.port) ? "port" : "endPort"}`, UNKNOWN), protocol));
                return;
            }
            const pt = protocol ?? "ANY";
            const spec: PortSpec = { protocol, text: "" };
            const rawPort = p.port;
            if (rawPort === undefined || rawPort === null || rawPort === "" || rawPort === "0" || rawPort === 0) {
                spec.text = `all ${pt} ports`;
            } else if (typeof rawPort === "number" || (typeof rawPort === "string" && /^\d+$/.test(rawPort))) {
                spec.port = portNumber(Number(rawPort), `${pf}.port`, fail);
                spec.text = `${spec.port}/${pt}`;
            } else if (typeof rawPort === "string" && validPortName(rawPort)) {
                spec.name = rawPort;
                spec.text = `named port ${rawPort}/${pt}`;
            } else {
                fail(`${pf}.port`, `${JSON.stringify(rawPort)} is neither a port number nor a valid port name`);
            }
            if (p.endPort !== undefined && p.endPort !== null && p.endPort !== 0) {
                if (spec.port === undefined) fail(`${pf}.endPort`, "may only be used with a numeric port");
                const end = portNumber(p.endPort, `${pf}.endPort`, fail);
                if (end < (spec.port as number)) fail(`${pf}.endPort`, `must be greater than or equal to port (${spec.port})`);
                spec.endPort = end;
                spec.text = `${spec.port}-${end}/${pt}`;
            }
            out.push(spec);
        });
    });
    return { ports: out, ...(uncertain ? { uncertain } : {}) };
}

interface CiliumRuleContext {
    id: string;
    ns: string | undefined;
    nsUnknown: string | undefined;
    fail: Fail;
    warn: Warn;
    selOpts: ParseSelectorOptions;
}

/** One ingress or egress rule of a CiliumNetworkPolicy; `mayDeny` receives fields that restrict every rule of the policy. */
function ciliumRule(r: unknown, dir: "ingress" | "egress", i: number, field: string, c: CiliumRuleContext, mayDeny: (reason: string) => void): Rule {
    const f = `${field}.${dir}[${i}]`;
    const rid = `${c.id} ${dir}[${i}]`;
    const fail: Fail = c.fail;
    const warn: Warn = c.warn;
    if (isUnknownValue(r)) return uncertainRule(rid, warn(f, UNKNOWN));
    if (!isObject(r)) fail(f, "must be an object");
    const pre = dir === "ingress" ? "from" : "to";
    const peers: Peer[] = [];
    let hasL3 = false;
    let uncertain: string | undefined;
    for (const k of Object.keys(r)) {
        const kf = `${f}.${k}`;
        const v = r[k];
        if (k === "toPorts") continue;
        if (k === `${pre}Endpoints`) {
            hasL3 = true;
            if (isUnknownValue(v)) {
                peers.push(opaque("pods", warn(kf, UNKNOWN), kf));
                continue;
            }
            listOf(v, kf, fail).forEach((s, j) => {
                const sel = parseSelector(s, `${kf}[${j}]`, fail, warn, c.selOpts);
                if (isUncertain(sel)) {
                    const namesNs = isObject(s) && JSON.stringify(s).includes(CILIUM_NAMESPACE_LABEL);
                    peers.push(opaque("pods", sel.uncertain, `${k}[${j}]`, namesNs ? undefined : c.ns));
                    return;
                }
                const namesNs = sel.requirements.some((q) => q.key === CILIUM_NAMESPACE_LABEL);
                if (!namesNs && c.ns === undefined) {
                    peers.push(opaque("pods", c.nsUnknown ?? warn("metadata.namespace", UNKNOWN), `${k}[${j}]`));
                    return;
                }
                peers.push({ kind: "cilium", selector: sel, namespace: namesNs ? undefined : c.ns, text: `${k}[${j}] ${sel.requirements.length ? `{${sel.key}}` : "{}"}${namesNs ? "" : ` in namespace ${c.ns ?? ""}`}` });
            });
        } else if (k === `${pre}Entities`) {
            hasL3 = true;
            if (isUnknownValue(v)) {
                peers.push(opaque("any", warn(kf, UNKNOWN), kf));
                continue;
            }
            listOf(v, kf, fail).forEach((e, j) => {
                if (isUnknownValue(e)) {
                    peers.push(opaque("any", warn(`${kf}[${j}]`, UNKNOWN), `${kf}[${j}]`));
                    return;
                }
                if (typeof e !== "string" || !CILIUM_ENTITIES.has(e)) fail(`${kf}[${j}]`, `unknown entity ${JSON.stringify(e)}`);
                peers.push({ kind: "entity", entity: e as Entity, text: `${k} ${e as string}` });
            });
        } else if (k === `${pre}CIDR`) {
            hasL3 = true;
            if (isUnknownValue(v)) {
                peers.push(opaque("cidr", warn(kf, UNKNOWN), kf));
                continue;
            }
            listOf(v, kf, fail).forEach((cidr, j) => {
                if (isUnknownValue(cidr)) {
                    peers.push(opaque("cidr", warn(`${kf}[${j}]`, UNKNOWN), `${kf}[${j}]`));
                    return;
                }
                const block = blockOf(cidr, `${kf}[${j}]`, fail, true);
                peers.push({ kind: "cidr", block, except: [], text: `${k} ${block.text}` });
            });
        } else if (k === `${pre}CIDRSet`) {
            hasL3 = true;
            if (isUnknownValue(v)) {
                peers.push(opaque("cidr", warn(kf, UNKNOWN), kf));
                continue;
            }
            listOf(v, kf, fail).forEach((set, j) => {
                const cf = `${kf}[${j}]`;
                if (isUnknownValue(set)) {
                    peers.push(opaque("cidr", warn(cf, UNKNOWN), cf));
                    return;
                }
                if (!isObject(set)) fail(cf, "must be an object");
                if (set.cidrGroupRef !== undefined || set.cidrGroupSelector !== undefined) {
                    peers.push(opaque("cidr", warn(cf, "CiliumCIDRGroup references are not evaluated (the group's CIDRs are not in the input)"), cf));
                    return;
                }
                const unknownPart = isUnknownValue(set.cidr) ? "cidr" : isUnknownValue(set.except) || (Array.isArray(set.except) && set.except.some(isUnknownValue)) ? "except" : undefined;
                if (unknownPart) {
                    peers.push(opaque("cidr", warn(`${cf}.${unknownPart}`, UNKNOWN), cf));
                    return;
                }
                const block = blockOf(set.cidr, `${cf}.cidr`, fail, true);
                const except = exceptsOf(set.except, block, `${cf}.except`, fail, true);
                peers.push({ kind: "cidr", block, except, text: `${k} ${block.text}${except.length ? ` except ${except.map((e) => e.text).join(", ")}` : ""}` });
            });
        } else if (k === "toFQDNs" && dir === "egress") {
            hasL3 = true;
            // DNS rules select addresses outside the cluster, as CIDR rules do (language reference, "DNS based").
            peers.push(opaque("external", warn(kf, "FQDN rules are not evaluated (which addresses the names resolve to is not in the input)"), kf));
        } else if (k === "toServices" && dir === "egress") {
            hasL3 = true;
            peers.push(opaque("any", warn(kf, "Service rules are not evaluated (the Services' selectors and endpoints are not in the input)"), kf));
        } else if (k === `${pre}Groups`) {
            hasL3 = true;
            peers.push(opaque("external", warn(kf, "cloud provider groups are not evaluated (their addresses are not in the input)"), kf));
        } else if (k === `${pre}Nodes`) {
            hasL3 = true;
            peers.push(opaque("node", warn(kf, "node selectors are not evaluated (node labels are not in the input)"), kf));
        } else if (k === `${pre}Requires`) {
            // Allows nothing itself, and restricts every rule of the policy (language reference, "Additional Label Requirements").
            hasL3 = true;
            mayDeny(warn(kf, `${k} is not evaluated: it may deny what the policy's other rules allow`));
        } else if (k === "icmps") {
            if (!Array.isArray(r.toPorts) || r.toPorts.length === 0) uncertain ??= warn(kf, "ICMP rules are not evaluated: without toPorts the rule's TCP/UDP/SCTP effect is not modelled");
        } else if (k === "authentication") {
            uncertain ??= warn(kf, "mutual authentication is not evaluated: the connection is allowed only when authentication succeeds");
        } else {
            fail(kf, "unknown field");
        }
    }
    const ports = ciliumPorts(r.toPorts, `${f}.toPorts`, fail, warn);
    uncertain ??= ports.uncertain;
    const hasPorts = isUnknownValue(r.toPorts) || (Array.isArray(r.toPorts) && r.toPorts.length > 0);
    // An L4-only rule (toPorts, no peer field) applies to every peer; a rule with neither allows nothing.
    const rulePeers: Peer[] | "all" = hasL3 ? peers : hasPorts ? "all" : [];
    return { id: rid, peers: rulePeers, ports: ports.ports, ...(uncertain ? { uncertain } : {}) };
}

function readCiliumPolicy(obj: Record<string, unknown>, warnings: Set<string>, hostPolicies: Set<string>): Policy[] {
    const fail: Fail = failer(obj);
    const warn = warner(obj, warnings);
    const meta = policyMeta(obj, fail, warn, true);
    const ns = meta.namespace;
    const base = `CiliumNetworkPolicy ${ns ?? "<namespace unknown>"}/${meta.name}`;
    const selOpts: ParseSelectorOptions = { mapKey: ciliumKey };
    const specs: { raw: unknown; field: string; suffix: string }[] = [];
    if (present(obj.spec)) specs.push({ raw: obj.spec, field: "spec", suffix: "" });
    if (isUnknownValue(obj.specs)) specs.push({ raw: obj.specs, field: "specs", suffix: " specs" });
    else listOf(obj.specs, "specs", fail).forEach((s, i) => specs.push({ raw: s, field: `specs[${i}]`, suffix: ` specs[${i}]` }));
    if (specs.length === 0) fail("spec", "is required (spec or specs)");
    const out: Policy[] = [];
    for (const { raw, field, suffix } of specs) {
        const id = base + suffix;
        const policy = { id, kind: "CiliumNetworkPolicy" as const, namespace: ns, name: meta.name };
        if (isUnknownValue(raw)) {
            const reason = warn(field, UNKNOWN);
            out.push({ ...policy, selectionUncertain: reason, isolatesIngress: "maybe", isolatesEgress: "maybe", isolationUncertain: reason,
                ingress: [uncertainRule(`${id} ingress`, reason)], egress: [uncertainRule(`${id} egress`, reason)], mayDeny: { ingress: reason, egress: reason } });
            continue;
        }
        if (!isObject(raw)) fail(field, "must be an object");
        for (const k of Object.keys(raw)) {
            if (!["endpointSelector", "nodeSelector", "ingress", "egress", "ingressDeny", "egressDeny", "enableDefaultDeny", "labels", "description", "log"].includes(k)) fail(`${field}.${k}`, "unknown field");
        }
        if (present(raw.nodeSelector) && !present(raw.endpointSelector)) {
            // Host policies select nodes: the traffic of the remote-node endpoint (and the API server's calls, which arrive through the nodes) may be restricted.
            hostPolicies.add(warn(`${field}.nodeSelector`, "host policies are not evaluated: they may restrict traffic to and from the nodes (remote-node and the API server's calls into pods)"));
            continue;
        }
        if (!present(raw.endpointSelector)) fail(`${field}.endpointSelector`, "is required");
        const podSelector = parseSelector(raw.endpointSelector, `${field}.endpointSelector`, fail, warn, selOpts);
        // enableDefaultDeny: per direction true/false overrides the default; unknown makes it "maybe".
        const dd: Record<"ingress" | "egress", boolean | "unknown" | undefined> = { ingress: undefined, egress: undefined };
        let ddUnknown: string | undefined;
        if (isUnknownValue(raw.enableDefaultDeny)) {
            ddUnknown = warn(`${field}.enableDefaultDeny`, UNKNOWN);
            dd.ingress = dd.egress = "unknown";
        } else if (present(raw.enableDefaultDeny)) {
            if (!isObject(raw.enableDefaultDeny)) fail(`${field}.enableDefaultDeny`, "must be an object with ingress and egress booleans");
            const given = raw.enableDefaultDeny;
            for (const d of ["ingress", "egress"] as const) {
                if (isUnknownValue(given[d])) {
                    ddUnknown ??= warn(`${field}.enableDefaultDeny.${d}`, UNKNOWN);
                    dd[d] = "unknown";
                } else if (given[d] !== undefined && typeof given[d] !== "boolean") fail(`${field}.enableDefaultDeny.${d}`, "must be a boolean");
                else dd[d] = given[d] as boolean | undefined;
            }
        }
        const mayDeny: { ingress?: string; egress?: string } = {};
        const context: CiliumRuleContext = { id, ns, nsUnknown: meta.namespaceUnknown, fail, warn, selOpts };
        const sections = (dir: "ingress" | "egress"): { rules: Rule[]; present: Tri; uncertain?: string } => {
            const rawRules = raw[dir];
            const denyField = dir === "ingress" ? "ingressDeny" : "egressDeny";
            let uncertain: string | undefined;
            let hasDeny: Tri = "no";
            if (isUnknownValue(raw[denyField])) {
                mayDeny[dir] = uncertain = warn(`${field}.${denyField}`, UNKNOWN);
                hasDeny = "maybe";
            } else if (listOf(raw[denyField], `${field}.${denyField}`, fail).length > 0) {
                // Deny rules win over allows (deny.rst); not evaluated here, so what they may deny is inconclusive.
                mayDeny[dir] = warn(`${field}.${denyField}`, "deny rules are not evaluated: they may deny what the allow rules allow");
                hasDeny = "yes";
            }
            if (isUnknownValue(rawRules)) {
                const reason = warn(`${field}.${dir}`, UNKNOWN);
                return { rules: [uncertainRule(`${id} ${dir}`, reason)], present: hasDeny === "yes" ? "yes" : "maybe", uncertain: reason };
            }
            const list = listOf(rawRules, `${field}.${dir}`, fail);
            const rules = list.map((r, i) => ciliumRule(r, dir, i, field, context, (reason) => { mayDeny[dir] = reason; }));
            // A section with rules (allow or deny) puts the selected pods in default deny for that direction.
            const sectionPresent: Tri = list.length > 0 || hasDeny === "yes" ? "yes" : hasDeny;
            return { rules, present: sectionPresent, ...(uncertain ? { uncertain } : {}) };
        };
        const ingress = sections("ingress");
        const egress = sections("egress");
        const isolation = (d: "ingress" | "egress", s: { present: Tri }): Tri =>
            dd[d] === "unknown" ? "maybe" : typeof dd[d] === "boolean" ? (dd[d] ? "yes" : "no") : s.present;
        const isolatesIngress = isolation("ingress", ingress);
        const isolatesEgress = isolation("egress", egress);
        const isolationUncertain = ddUnknown ?? ingress.uncertain ?? egress.uncertain;
        out.push({
            ...policy,
            ...(isUncertain(podSelector) ? { selectionUncertain: podSelector.uncertain } : { podSelector }),
            ...(meta.namespaceUnknown ? { selectionUncertain: meta.namespaceUnknown } : {}),
            isolatesIngress,
            isolatesEgress,
            ...((isolatesIngress === "maybe" || isolatesEgress === "maybe") && isolationUncertain ? { isolationUncertain } : {}),
            ingress: ingress.rules,
            egress: egress.rules,
            mayDeny,
        });
    }
    return out;
}

/** A CiliumClusterwideNetworkPolicy is not evaluated: it may select, allow and deny anything. */
function clusterwidePolicy(obj: Record<string, unknown>, warnings: Set<string>): Policy {
    const fail: Fail = failer(obj);
    const warn = warner(obj, warnings);
    const meta = policyMeta(obj, fail, warn, false);
    const reason = warn("spec", "CiliumClusterwideNetworkPolicies are not evaluated: it may select, allow or deny any pod's traffic");
    const id = `CiliumClusterwideNetworkPolicy ${meta.name}`;
    return { id, kind: "CiliumNetworkPolicy", name: meta.name, selectionUncertain: reason, isolatesIngress: "maybe", isolatesEgress: "maybe", isolationUncertain: reason,
        ingress: [uncertainRule(`${id} ingress`, reason)], egress: [uncertainRule(`${id} egress`, reason)], mayDeny: { ingress: reason, egress: reason } };
}

// ---------------------------------------------------------------- the model

/** The endpoint that stands for every node but the pod's own (Cilium's remote-node identity). */
export const REMOTE_NODE_ID = "remote-node";

function readNamespace(o: Record<string, unknown>, notes: string[]): NamespaceInfo | undefined {
    const fail: Fail = failer(o);
    const md = isObject(o.metadata) && !isUnknownValue(o.metadata) ? o.metadata : fail("metadata", "is required");
    if (isUnknownValue(md.name)) {
        notes.push(`${describe(o)}: metadata.name is unknown until the update; the namespace is left out (its pods cannot be placed)`);
        return undefined;
    }
    if (typeof md.name !== "string" || md.name === "") fail("metadata.name", "is required");
    const name = md.name as string;
    if (isUnknownValue(md.labels)) {
        return { name, labels: { [NAMESPACE_NAME_LABEL]: name }, complete: false, unknownKeys: [], uncertainty: `${describe(o)}: metadata.labels ${"is unknown until the update"}, so selectors on its labels cannot be evaluated` };
    }
    const labels: Record<string, string> = {};
    const unknownKeys: string[] = [];
    if (md.labels !== undefined && md.labels !== null) {
        if (!isObject(md.labels)) fail("metadata.labels", "must be a map of strings");
        for (const [k, v] of Object.entries(md.labels)) {
            if (isUnknownValue(v)) unknownKeys.push(k);
            else if (typeof v !== "string") fail(`metadata.labels[${JSON.stringify(k)}]`, `label values must be strings, got ${JSON.stringify(v)} (${typeof v}); quote it`);
            else labels[k] = v;
        }
    }
    // The API server sets kubernetes.io/metadata.name to the name, whatever the object says.
    labels[NAMESPACE_NAME_LABEL] = name;
    const known = unknownKeys.filter((k) => k !== NAMESPACE_NAME_LABEL);
    return {
        name,
        labels,
        complete: true,
        unknownKeys: known,
        ...(known.length > 0 ? { uncertainty: `${describe(o)}: ${known.map((k) => `metadata.labels[${JSON.stringify(k)}]`).join(", ")} ${"is unknown until the update"}, so selectors on ${known.length === 1 ? "that label" : "those labels"} cannot be evaluated` } : {}),
    };
}

function implicitNamespace(name: string): NamespaceInfo {
    return {
        name,
        labels: { [NAMESPACE_NAME_LABEL]: name },
        complete: false,
        unknownKeys: [],
        uncertainty: `namespace ${name}: no Namespace object in the input, so only its name label is known; namespaceSelectors on its other labels cannot be evaluated for its pods`,
    };
}

export function buildModel(objects: unknown[], options: AnalyzerOptions = {}): Model {
    const dataplane = options.dataplane ?? "kubernetes";
    if (dataplane !== "kubernetes" && dataplane !== "cilium") throw new AnalysisError("options", "dataplane", `must be "kubernetes" or "cilium", got ${JSON.stringify(dataplane)}`);
    if (!Array.isArray(objects)) throw new AnalysisError("input", "objects", "must be a list of Kubernetes objects");
    const namespaces = new Map<string, NamespaceInfo>();
    const raws: RawEndpoint[] = [];
    const policies: Policy[] = [];
    const warnings = new Set<string>();
    const hostPolicies = new Set<string>();
    const notes: string[] = [];
    const workloadKeys = new Set<string>();

    objects.forEach((o, i) => {
        if (!isObject(o) || isUnknownValue(o)) throw new AnalysisError(`object ${i + 1}`, "", `expected a Kubernetes object, got ${o === null ? "null" : Array.isArray(o) ? "a list" : typeof o}`);
        const kind = o.kind;
        if (kind === "Namespace") {
            const n = readNamespace(o, notes);
            if (n) namespaces.set(n.name, n);
        } else if (kind === "Pod" || (typeof kind === "string" && WORKLOAD_KINDS.has(kind))) {
            const r = readPodLike(o, kind as string);
            if (kind !== "Pod") workloadKeys.add(`${r.namespace}/${kind as string}/${r.name}`);
            raws.push(r);
        } else if (kind === "NetworkPolicy") {
            policies.push(readNetworkPolicy(o, warnings));
        } else if (kind === "CiliumNetworkPolicy") {
            if (dataplane === "cilium") policies.push(...readCiliumPolicy(o, warnings, hostPolicies));
            else notes.push(`${describe(o)}: ignored: CiliumNetworkPolicies are only evaluated with dataplane "cilium"`);
        } else if (kind === "CiliumClusterwideNetworkPolicy") {
            if (dataplane === "cilium") policies.push(clusterwidePolicy(o, warnings));
            else notes.push(`${describe(o)}: ignored: CiliumClusterwideNetworkPolicies are only evaluated with dataplane "cilium"`);
        }
    });

    // A workload stands for its pods unless its pods (or a child workload) are in the input too.
    const replaced = new Set<string>();
    for (const r of raws) for (const owner of r.owners) if (workloadKeys.has(owner)) replaced.add(owner);
    let changed = true;
    while (changed) {
        changed = false;
        for (const r of raws) {
            const key = `${r.namespace}/${r.source}/${r.name}`;
            if (r.source !== "Pod" && replaced.has(key)) for (const owner of r.owners) if (workloadKeys.has(owner) && !replaced.has(owner)) { replaced.add(owner); changed = true; }
        }
    }
    const endpoints: ModelEndpoint[] = [];
    const ids = new Set<string>();
    for (const r of raws) {
        const key = `${r.namespace}/${r.source}/${r.name}`;
        if (r.source !== "Pod" && replaced.has(key)) {
            notes.push(`${r.source} ${r.namespace}/${r.name}: its pods (or child workloads) are in the input; they stand for it`);
            continue;
        }
        if (r.hostNetwork) {
            notes.push(`${r.source} ${r.id}: uses host networking; NetworkPolicy does not apply to it, so it is not an endpoint here`);
            continue;
        }
        let id = r.id;
        if (ids.has(id)) id = `${r.id} (${r.source})`;
        for (let n = 2; ids.has(id); n++) id = `${r.id} (${r.source} ${n})`;
        ids.add(id);
        if (!namespaces.has(r.namespace)) namespaces.set(r.namespace, implicitNamespace(r.namespace));
        endpoints.push({
            id,
            kind: "pod",
            namespace: r.namespace,
            labels: r.labels,
            ips: r.ips,
            ports: r.ports,
            source: r.source,
            ciliumLabels: { ...r.labels, [CILIUM_NAMESPACE_LABEL]: r.namespace, [CILIUM_SA_LABEL]: r.serviceAccount },
            cidrs: r.ips.map((ip) => parseCidr(ip, true)).filter((c): c is Cidr => c !== undefined),
        });
    }
    for (const p of policies) {
        if (p.namespace !== undefined && !namespaces.has(p.namespace)) namespaces.set(p.namespace, implicitNamespace(p.namespace));
    }
    // A namespaceSelector that needs labels the input does not give: warn once per namespace (its cells cite it).
    const podNamespaces = new Set(endpoints.map((e) => e.namespace));
    const uncertainNs = [...namespaces.values()].filter((n) => n.uncertainty !== undefined && podNamespaces.has(n.name));
    if (uncertainNs.length > 0) {
        const seen = new Set<string>();
        for (const p of policies) {
            for (const rule of [...p.ingress, ...p.egress]) {
                if (rule.peers === "all") continue;
                for (const peer of rule.peers) {
                    if (peer.kind !== "k8s" || !peer.namespaceSelector || seen.has(peer.namespaceSelector.key)) continue;
                    seen.add(peer.namespaceSelector.key);
                    for (const n of uncertainNs) if (namespaceMatches(peer.namespaceSelector, n) === "maybe") warnings.add(n.uncertainty as string);
                }
            }
        }
    }

    const externals = { ...(options.externals ?? {}) };
    if (dataplane === "cilium") {
        const given = options.apiServerIps ?? (externals[APISERVER_ID] !== undefined ? [externals[APISERVER_ID]] : [DEFAULT_APISERVER_IP]);
        delete externals[APISERVER_ID];
        const cidrs = given.map((ip, i) => {
            const c = parseCidr(ip, true);
            if (!c) throw new AnalysisError("options", `apiServerIps[${i}]`, `invalid IP or CIDR ${JSON.stringify(ip)}`);
            return c;
        });
        for (const reserved of [APISERVER_ID, REMOTE_NODE_ID]) {
            if (ids.has(reserved)) throw new AnalysisError("options", "dataplane", `an endpoint is already named ${reserved}`);
            ids.add(reserved);
        }
        endpoints.push({ id: APISERVER_ID, kind: "apiserver", labels: {}, ips: given.map((g) => g.replace(/\/(32|128)$/, "")), ports: [{ name: "https", port: 443, protocol: "TCP" }], source: "apiserver", ciliumLabels: {}, cidrs });
        endpoints.push({ id: REMOTE_NODE_ID, kind: "node", labels: {}, ips: [], ports: [], source: "node", ciliumLabels: {}, cidrs: [] });
    }
    for (const [name, value] of Object.entries(externals)) {
        const c = parseCidr(value, true);
        if (!c) throw new AnalysisError("options", `externals[${JSON.stringify(name)}]`, `invalid CIDR or IP ${JSON.stringify(value)}`);
        if (ids.has(name)) throw new AnalysisError("options", `externals[${JSON.stringify(name)}]`, `the name is already used by another endpoint`);
        ids.add(name);
        endpoints.push({ id: name, kind: "external", labels: {}, ips: [value], ports: [], source: "external", ciliumLabels: {}, cidrs: [c] });
    }
    const hostPolicy = [...hostPolicies][0];
    return { dataplane, endpoints, namespaces, policies, warnings: [...warnings], notes, uncertain: warnings.size > 0, ...(hostPolicy ? { hostPolicy } : {}) };
}

export type { Selector };
