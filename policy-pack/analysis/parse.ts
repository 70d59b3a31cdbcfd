/**
 * Reading input: YAML/JSON documents into plain objects, and plain Kubernetes objects into the
 * normalized model (namespaces, endpoints, policies), checking what the API server would reject.
 */
import { parseAllDocuments } from "yaml";
import { AnalysisError, LoadError, objectSources } from "./errors";
import { Cidr, parseCidr } from "../shared/net";
import { EVERYTHING, Fail, isObject, parseSelector, ParseSelectorOptions } from "./selectors";
import {
    AnalyzerOptions,
    EndpointPort,
    Model,
    ModelEndpoint,
    NamespaceInfo,
    Peer,
    Policy,
    PortSpec,
    Protocol,
    PROTOCOLS,
    Rule,
    Selector,
} from "./types";

export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
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
    const name = typeof md.name === "string" ? md.name : "<unnamed>";
    const ns = typeof md.namespace === "string" ? `${md.namespace}/` : "";
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

// ---------------------------------------------------------------- NetworkPolicy

function k8sPorts(raw: unknown, field: string, fail: Fail): PortSpec[] | "all" {
    const list = listOf(raw, field, fail);
    if (list.length === 0) return "all";
    return list.map((p, i) => {
        const f = `${field}[${i}]`;
        if (!isObject(p)) fail(f, "must be an object");
        const protocol = protocolOf(p.protocol, `${f}.protocol`, fail);
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

function k8sPeers(raw: unknown, field: string, fail: Fail, ns: string): Peer[] | "all" {
    const list = listOf(raw, field, fail);
    if (list.length === 0) return "all";
    return list.map((p, i) => {
        const f = `${field}[${i}]`;
        if (!isObject(p)) fail(f, "must be an object");
        for (const k of Object.keys(p)) if (!["podSelector", "namespaceSelector", "ipBlock"].includes(k)) fail(`${f}.${k}`, "unknown field (a peer has podSelector, namespaceSelector or ipBlock)");
        const hasPod = p.podSelector !== undefined && p.podSelector !== null;
        const hasNs = p.namespaceSelector !== undefined && p.namespaceSelector !== null;
        const hasIp = p.ipBlock !== undefined && p.ipBlock !== null;
        if (hasIp && (hasPod || hasNs)) fail(f, "may not specify ipBlock together with podSelector or namespaceSelector");
        if (!hasIp && !hasPod && !hasNs) fail(f, "must specify a peer: podSelector, namespaceSelector or ipBlock");
        if (hasIp) {
            if (!isObject(p.ipBlock)) fail(`${f}.ipBlock`, "must be an object");
            const ib = p.ipBlock as Record<string, unknown>;
            if (ib.cidr === undefined || ib.cidr === "") fail(`${f}.ipBlock.cidr`, "is required");
            const block = blockOf(ib.cidr, `${f}.ipBlock.cidr`, fail, false);
            const except = exceptsOf(ib.except, block, `${f}.ipBlock.except`, fail, false);
            return { kind: "cidr", block, except, text: `ipBlock ${block.text}${except.length ? ` except ${except.map((e) => e.text).join(", ")}` : ""}` };
        }
        const podSelector = hasPod ? parseSelector(p.podSelector, `${f}.podSelector`, fail) : undefined;
        const namespaceSelector = hasNs ? parseSelector(p.namespaceSelector, `${f}.namespaceSelector`, fail) : undefined;
        const parts = [
            namespaceSelector ? `namespaceSelector ${namespaceSelector.requirements.length ? `{${namespaceSelector.key}}` : "{} (all namespaces)"}` : `namespace ${ns}`,
            podSelector ? `podSelector ${podSelector.requirements.length ? `{${podSelector.key}}` : "{} (all pods)"}` : "all pods",
        ];
        return { kind: "k8s", podSelector, namespaceSelector, policyNamespace: ns, text: parts.join(", ") };
    });
}

function readNetworkPolicy(obj: Record<string, unknown>): Policy {
    const fail: Fail = failer(obj);
    if (obj.apiVersion !== "networking.k8s.io/v1") fail("apiVersion", `expected networking.k8s.io/v1, got ${JSON.stringify(obj.apiVersion)}`);
    if (!isObject(obj.metadata)) fail("metadata", "is required");
    const md = obj.metadata as Record<string, unknown>;
    if (typeof md.name !== "string" || md.name === "") fail("metadata.name", "is required");
    const ns = typeof md.namespace === "string" && md.namespace !== "" ? md.namespace : "default";
    const id = `NetworkPolicy ${ns}/${md.name as string}`;
    if (!isObject(obj.spec)) fail("spec", "is required");
    const spec = obj.spec as Record<string, unknown>;
    const podSelector = parseSelector(spec.podSelector, "spec.podSelector", fail) ?? EVERYTHING;
    const rawTypes = listOf(spec.policyTypes, "spec.policyTypes", fail);
    rawTypes.forEach((t, i) => {
        if (t !== "Ingress" && t !== "Egress") fail(`spec.policyTypes[${i}]`, `unknown policy type ${JSON.stringify(t)}: must be Ingress or Egress`);
        if (rawTypes.indexOf(t) !== i) fail(`spec.policyTypes[${i}]`, `duplicate value ${JSON.stringify(t)}`);
    });
    const ingressRaw = listOf(spec.ingress, "spec.ingress", fail);
    const egressRaw = listOf(spec.egress, "spec.egress", fail);
    // Defaulting (networking/v1 SetDefaults_NetworkPolicy): no policyTypes means Ingress, plus Egress when there are egress rules.
    const types = rawTypes.length > 0 ? (rawTypes as string[]) : ["Ingress", ...(egressRaw.length > 0 ? ["Egress"] : [])];
    const rules = (list: unknown[], dir: "ingress" | "egress"): Rule[] =>
        list.map((r, i) => {
            const f = `spec.${dir}[${i}]`;
            if (!isObject(r)) fail(f, "must be an object");
            const peerField = dir === "ingress" ? "from" : "to";
            for (const k of Object.keys(r)) if (k !== peerField && k !== "ports") fail(`${f}.${k}`, `unknown field (an ${dir} rule has ${peerField} and ports)`);
            return { id: `${id} ${dir}[${i}]`, peers: k8sPeers(r[peerField], `${f}.${peerField}`, fail, ns), ports: k8sPorts(r.ports, `${f}.ports`, fail) };
        });
    const ingress = rules(ingressRaw, "ingress");
    const egress = rules(egressRaw, "egress");
    const isolatesIngress = types.includes("Ingress");
    const isolatesEgress = types.includes("Egress");
    return {
        id,
        kind: "NetworkPolicy",
        namespace: ns,
        name: md.name as string,
        podSelector,
        isolatesIngress,
        isolatesEgress,
        ingress: isolatesIngress ? ingress : [],
        egress: isolatesEgress ? egress : [],
    };
}

// ---------------------------------------------------------------- CiliumNetworkPolicy

const CILIUM_ENTITIES = new Set(["world", "world-ipv4", "world-ipv6", "cluster", "all", "kube-apiserver"]);
const CILIUM_OTHER_ENTITIES = new Set(["host", "remote-node", "health", "init", "ingress", "unmanaged", "none"]);

function ciliumKey(key: string): { key: string } | { unsupported: string } {
    let k = key;
    const colon = k.indexOf(":");
    if (colon >= 0) {
        const src = k.slice(0, colon);
        if (src === "k8s" || src === "any") k = k.slice(colon + 1);
        else if (src === "reserved") return { unsupported: `reserved label ${JSON.stringify(key)} (use fromEntities/toEntities)` };
        else return { unsupported: `label source ${JSON.stringify(src)} in ${JSON.stringify(key)}` };
    }
    if (k.startsWith("io.cilium.k8s.namespace.labels.")) return { unsupported: `namespace label ${JSON.stringify(key)}: Cilium ignores io.cilium.k8s.namespace.labels in a namespaced CiliumNetworkPolicy` };
    return { key: k };
}

function ciliumPorts(raw: unknown, field: string, fail: Fail, unsupported: (f: string, r: string) => void): PortSpec[] | "all" {
    const list = listOf(raw, field, fail);
    if (list.length === 0) return "all";
    const out: PortSpec[] = [];
    list.forEach((pr, i) => {
        const f = `${field}[${i}]`;
        if (!isObject(pr)) fail(f, "must be an object");
        for (const k of Object.keys(pr)) {
            if (k === "ports") continue;
            if (["rules", "listener", "originatingTLS", "terminatingTLS", "serverNames"].includes(k)) unsupported(`${f}.${k}`, "layer 7 / TLS settings are not evaluated: the rule is evaluated at layer 4 only (it may allow less than shown)");
            else fail(`${f}.${k}`, "unknown field");
        }
        const ports = listOf(pr.ports, `${f}.ports`, fail);
        if (ports.length === 0) {
            out.push({ text: "all ports" });
            return;
        }
        ports.forEach((p, j) => {
            const pf = `${f}.ports[${j}]`;
            if (!isObject(p)) fail(pf, "must be an object");
            let protocol: Protocol | undefined;
            if (p.protocol !== undefined && p.protocol !== null && p.protocol !== "" && p.protocol !== "ANY") {
                if (typeof p.protocol !== "string" || !(PROTOCOLS as readonly string[]).includes(p.protocol)) fail(`${pf}.protocol`, `unsupported protocol ${JSON.stringify(p.protocol)}: must be TCP, UDP, SCTP or ANY`);
                protocol = p.protocol as Protocol;
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
    return out;
}

function readCiliumPolicy(obj: Record<string, unknown>, unsupportedOut: string[]): Policy[] {
    const fail: Fail = failer(obj);
    if (!isObject(obj.metadata)) fail("metadata", "is required");
    const md = obj.metadata as Record<string, unknown>;
    if (typeof md.name !== "string" || md.name === "") fail("metadata.name", "is required");
    const ns = typeof md.namespace === "string" && md.namespace !== "" ? md.namespace : "default";
    const base = `CiliumNetworkPolicy ${ns}/${md.name as string}`;
    const unsupported = (field: string, reason: string): void => {
        unsupportedOut.push(`${describe(obj)}: ${field}: ${reason}`);
    };
    const selOpts: ParseSelectorOptions = { mapKey: ciliumKey, onUnsupported: unsupported };
    const specs: { raw: unknown; field: string; suffix: string }[] = [];
    if (obj.spec !== undefined && obj.spec !== null) specs.push({ raw: obj.spec, field: "spec", suffix: "" });
    listOf(obj.specs, "specs", fail).forEach((s, i) => specs.push({ raw: s, field: `specs[${i}]`, suffix: ` specs[${i}]` }));
    if (specs.length === 0) fail("spec", "is required (spec or specs)");
    const out: Policy[] = [];
    for (const { raw, field, suffix } of specs) {
        if (!isObject(raw)) fail(field, "must be an object");
        const id = base + suffix;
        for (const k of Object.keys(raw)) {
            if (["endpointSelector", "ingress", "egress", "enableDefaultDeny", "labels", "description", "log"].includes(k)) continue;
            if (["nodeSelector", "ingressDeny", "egressDeny"].includes(k)) unsupported(`${field}.${k}`, k === "nodeSelector" ? "host policies (nodeSelector) are not modelled; this rule is skipped" : "deny rules are not evaluated (the analyzer may show as allowed what they deny)");
            else fail(`${field}.${k}`, "unknown field");
        }
        if (raw.nodeSelector !== undefined && raw.endpointSelector === undefined) continue;
        if (raw.endpointSelector === undefined || raw.endpointSelector === null) fail(`${field}.endpointSelector`, "is required");
        const podSelector = parseSelector(raw.endpointSelector, `${field}.endpointSelector`, fail, selOpts);
        let dd: Record<string, unknown> = {};
        if (raw.enableDefaultDeny !== undefined && raw.enableDefaultDeny !== null) {
            if (!isObject(raw.enableDefaultDeny)) fail(`${field}.enableDefaultDeny`, "must be an object with ingress and egress booleans");
            dd = raw.enableDefaultDeny;
            for (const d of ["ingress", "egress"]) if (dd[d] !== undefined && typeof dd[d] !== "boolean") fail(`${field}.enableDefaultDeny.${d}`, "must be a boolean");
        }
        const rules = (dir: "ingress" | "egress"): Rule[] =>
            listOf(raw[dir], `${field}.${dir}`, fail).map((r, i) => {
                const f = `${field}.${dir}[${i}]`;
                if (!isObject(r)) fail(f, "must be an object");
                const pre = dir === "ingress" ? "from" : "to";
                const peers: Peer[] = [];
                let hasL3 = false;
                for (const k of Object.keys(r)) {
                    const kf = `${f}.${k}`;
                    const v = r[k];
                    if (k === "toPorts") continue;
                    if (k === `${pre}Endpoints`) {
                        hasL3 = true;
                        listOf(v, kf, fail).forEach((s, j) => {
                            const sel = parseSelector(s, `${kf}[${j}]`, fail, selOpts);
                            if (!sel) return;
                            const namesNs = sel.requirements.some((q) => q.key === CILIUM_NAMESPACE_LABEL);
                            peers.push({ kind: "cilium", selector: sel, namespace: namesNs ? undefined : ns, text: `${k}[${j}] ${sel.requirements.length ? `{${sel.key}}` : "{}"}${namesNs ? "" : ` in namespace ${ns}`}` });
                        });
                    } else if (k === `${pre}Entities`) {
                        hasL3 = true;
                        listOf(v, kf, fail).forEach((e, j) => {
                            if (typeof e !== "string" || (!CILIUM_ENTITIES.has(e) && !CILIUM_OTHER_ENTITIES.has(e))) fail(`${kf}[${j}]`, `unknown entity ${JSON.stringify(e)}`);
                            if (CILIUM_ENTITIES.has(e as string)) peers.push({ kind: "entity", entity: e as "world", text: `${k} ${e as string}` });
                            else unsupported(`${kf}[${j}]`, `entity ${JSON.stringify(e)} is not modelled (no such endpoint); it matches nothing here`);
                        });
                    } else if (k === `${pre}CIDR`) {
                        hasL3 = true;
                        listOf(v, kf, fail).forEach((c, j) => {
                            const block = blockOf(c, `${kf}[${j}]`, fail, true);
                            peers.push({ kind: "cidr", block, except: [], text: `${k} ${block.text}` });
                        });
                    } else if (k === `${pre}CIDRSet`) {
                        hasL3 = true;
                        listOf(v, kf, fail).forEach((c, j) => {
                            const cf = `${kf}[${j}]`;
                            if (!isObject(c)) fail(cf, "must be an object");
                            if (c.cidrGroupRef !== undefined || c.cidrGroupSelector !== undefined) {
                                unsupported(cf, "cidrGroupRef/cidrGroupSelector are not modelled; it matches nothing here");
                                return;
                            }
                            const block = blockOf(c.cidr, `${cf}.cidr`, fail, true);
                            const except = exceptsOf(c.except, block, `${cf}.except`, fail, true);
                            peers.push({ kind: "cidr", block, except, text: `${k} ${block.text}${except.length ? ` except ${except.map((e) => e.text).join(", ")}` : ""}` });
                        });
                    } else if ([`${pre}Requires`, `${pre}Services`, `${pre}FQDNs`, `${pre}Groups`, `${pre}Nodes`, "icmps", "authentication"].includes(k)) {
                        if (k !== "icmps" && k !== "authentication") hasL3 = true;
                        unsupported(kf, k === "icmps" ? "ICMP rules are not modelled" : k === "authentication" ? "mutual authentication is not modelled" : `${k} is outside the supported subset; it matches nothing here`);
                    } else {
                        fail(kf, "unknown field");
                    }
                }
                const ports = ciliumPorts(r.toPorts, `${f}.toPorts`, fail, unsupported);
                const hasPorts = Array.isArray(r.toPorts) && r.toPorts.length > 0;
                // An L4-only rule (toPorts, no peer field) applies to every peer; a rule with neither allows nothing.
                const rulePeers: Peer[] | "all" = hasL3 ? peers : hasPorts ? "all" : [];
                return { id: `${id} ${dir}[${i}]`, peers: rulePeers, ports };
            });
        const ingress = rules("ingress");
        const egress = rules("egress");
        if (!podSelector) continue; // unsupported endpointSelector: reported, selects nothing
        const hasIngress = ingress.length > 0;
        const hasEgress = egress.length > 0;
        out.push({
            id,
            kind: "CiliumNetworkPolicy",
            namespace: ns,
            name: md.name as string,
            podSelector,
            isolatesIngress: typeof dd.ingress === "boolean" ? dd.ingress : hasIngress,
            isolatesEgress: typeof dd.egress === "boolean" ? dd.egress : hasEgress,
            ingress,
            egress,
        });
    }
    return out;
}

// ---------------------------------------------------------------- the model

export function buildModel(objects: unknown[], options: AnalyzerOptions = {}): Model {
    const dataplane = options.dataplane ?? "kubernetes";
    if (dataplane !== "kubernetes" && dataplane !== "cilium") throw new AnalysisError("options", "dataplane", `must be "kubernetes" or "cilium", got ${JSON.stringify(dataplane)}`);
    if (!Array.isArray(objects)) throw new AnalysisError("input", "objects", "must be a list of Kubernetes objects");
    const namespaces = new Map<string, NamespaceInfo>();
    const raws: RawEndpoint[] = [];
    const policies: Policy[] = [];
    const unsupported: string[] = [];
    const notes: string[] = [];
    const workloadKeys = new Set<string>();

    objects.forEach((o, i) => {
        if (!isObject(o)) throw new AnalysisError(`object ${i + 1}`, "", `expected a Kubernetes object, got ${o === null ? "null" : Array.isArray(o) ? "a list" : typeof o}`);
        const kind = o.kind;
        if (kind === "Namespace") {
            const fail: Fail = failer(o);
            const md = isObject(o.metadata) ? o.metadata : fail("metadata", "is required");
            if (typeof md.name !== "string" || md.name === "") fail("metadata.name", "is required");
            const name = md.name as string;
            namespaces.set(name, { name, labels: { ...labelsOf(md.labels, "metadata.labels", fail), [NAMESPACE_NAME_LABEL]: name } });
        } else if (kind === "Pod" || (typeof kind === "string" && WORKLOAD_KINDS.has(kind))) {
            const r = readPodLike(o, kind as string);
            if (kind !== "Pod") workloadKeys.add(`${r.namespace}/${kind as string}/${r.name}`);
            raws.push(r);
        } else if (kind === "NetworkPolicy") {
            policies.push(readNetworkPolicy(o));
        } else if (kind === "CiliumNetworkPolicy") {
            if (dataplane === "cilium") policies.push(...readCiliumPolicy(o, unsupported));
            else unsupported.push(`${describe(o)}: ignored: CiliumNetworkPolicies are only evaluated with dataplane "cilium"`);
        } else if (kind === "CiliumClusterwideNetworkPolicy") {
            unsupported.push(`${describe(o)}: CiliumClusterwideNetworkPolicy is outside the supported subset; ignored`);
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
        if (!namespaces.has(r.namespace)) namespaces.set(r.namespace, { name: r.namespace, labels: { [NAMESPACE_NAME_LABEL]: r.namespace } });
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
        if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, { name: p.namespace, labels: { [NAMESPACE_NAME_LABEL]: p.namespace } });
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
        if (ids.has(APISERVER_ID)) throw new AnalysisError("options", "dataplane", `an endpoint is already named ${APISERVER_ID}`);
        ids.add(APISERVER_ID);
        endpoints.push({ id: APISERVER_ID, kind: "apiserver", labels: {}, ips: given.map((g) => g.replace(/\/(32|128)$/, "")), ports: [{ name: "https", port: 443, protocol: "TCP" }], source: "apiserver", ciliumLabels: {}, cidrs });
    }
    for (const [name, value] of Object.entries(externals)) {
        const c = parseCidr(value, true);
        if (!c) throw new AnalysisError("options", `externals[${JSON.stringify(name)}]`, `invalid CIDR or IP ${JSON.stringify(value)}`);
        if (ids.has(name)) throw new AnalysisError("options", `externals[${JSON.stringify(name)}]`, `the name is already used by another endpoint`);
        ids.add(name);
        endpoints.push({ id: name, kind: "external", labels: {}, ips: [value], ports: [], source: "external", ciliumLabels: {}, cidrs: [c] });
    }
    return { dataplane, endpoints, namespaces, policies, unsupported, notes };
}

export type { Selector };
