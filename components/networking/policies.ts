/**
 * Flows → policy specs. Pure: plain Kubernetes objects, no Pulumi.
 *
 * Per managed namespace: `default-deny` (every pod isolated both ways, no rules) and `allow-dns`
 * (egress to kube-dns in kube-system, 53/UDP+TCP). Then per flow, one policy on each side the
 * platform manages: the source's egress and the destination's ingress, each selecting the exact
 * pods by their chart labels and opening exactly the flow's ports. A flow whose both ends are
 * managed workloads yields `<flow>-egress` and `<flow>-ingress`; otherwise the policy is named
 * after the flow.
 *
 * Flows to or from the API server become CiliumNetworkPolicies: egress `toEntities: kube-apiserver`
 * (on Cilium an ipBlock for the API server's address never matches it), and its calls into webhooks
 * `fromEntities` remote-node and host (on AKS they arrive from the nodes; see flows.ts). Cilium adds
 * CiliumNetworkPolicies and NetworkPolicies together, so default deny (a NetworkPolicy) still
 * isolates those pods and each CiliumNetworkPolicy only allows.
 */
import { managedNamespaces } from "../kubernetes/namespace-specs";
import { PlatformConfig } from "../config";
import { cilium, NAMESPACE_NAME_LABEL, policyMetadata, Protocol } from "../facts";
import {
    ApiServerEndpoint,
    DNS_PORTS,
    Endpoint,
    Flow,
    FlowPort,
    KUBE_DNS,
    platformFlows,
    WorkloadEndpoint,
} from "./flows";

export type Labels = Record<string, string>;

/** What a policy is for, as its role label says. */
export type PolicyRole = "default-deny" | "allow-dns" | "flow";

export interface PolicyMetadata {
    name: string;
    namespace: string;
    labels: Labels;
    annotations?: Labels;
}

export interface LabelSelector {
    matchLabels?: Labels;
}

export interface NetworkPolicyPort {
    port: number;
    protocol: Protocol;
}

export interface NetworkPolicyPeer {
    namespaceSelector?: LabelSelector;
    podSelector?: LabelSelector;
    ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyIngressRule {
    /** Absent: every source. */
    from?: NetworkPolicyPeer[];
    ports: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
    to: NetworkPolicyPeer[];
    ports: NetworkPolicyPort[];
}

export interface NetworkPolicyObject {
    apiVersion: "networking.k8s.io/v1";
    kind: "NetworkPolicy";
    metadata: PolicyMetadata;
    spec: {
        podSelector: LabelSelector;
        policyTypes: ("Ingress" | "Egress")[];
        ingress?: NetworkPolicyIngressRule[];
        egress?: NetworkPolicyEgressRule[];
    };
}

export interface CiliumPortRule {
    ports: { port: string; protocol: Protocol }[];
}

export interface CiliumIngressRule {
    fromEntities: string[];
    toPorts: CiliumPortRule[];
}

export interface CiliumEgressRule {
    toEntities: string[];
    toPorts: CiliumPortRule[];
}

export interface CiliumNetworkPolicyObject {
    apiVersion: typeof cilium.apiVersion;
    kind: typeof cilium.kind;
    metadata: PolicyMetadata;
    spec: {
        endpointSelector: { matchLabels: Labels };
        ingress?: CiliumIngressRule[];
        egress?: CiliumEgressRule[];
    };
}

export type PolicyObject = NetworkPolicyObject | CiliumNetworkPolicyObject;

function metadata(name: string, namespace: string, role: PolicyRole, flow?: Flow): PolicyMetadata {
    const meta: PolicyMetadata = { name, namespace, labels: { [policyMetadata.roleLabel]: role } };
    if (flow) meta.annotations = { [policyMetadata.flowAnnotation]: flow.name, [policyMetadata.whyAnnotation]: flow.why };
    return meta;
}

function k8sPorts(ports: readonly FlowPort[]): NetworkPolicyPort[] {
    return ports.map((p) => ({ port: p.port, protocol: p.protocol }));
}

function ciliumPorts(ports: readonly FlowPort[]): CiliumPortRule[] {
    return [{ ports: ports.map((p) => ({ port: String(p.port), protocol: p.protocol })) }];
}

/** Pods of a namespace: the namespace by its name label AND the pods by their labels. */
function workloadPeer(w: WorkloadEndpoint): NetworkPolicyPeer {
    return {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: w.namespace } },
        podSelector: { matchLabels: { ...w.podLabels } },
    };
}

/** The standard peers of an endpoint; undefined means "any" (an absent `from`). */
function peers(e: Endpoint, flow: Flow): NetworkPolicyPeer[] | undefined {
    switch (e.kind) {
        case "workload":
            return [workloadPeer(e)];
        case "cidr":
            return e.cidrs.map((cidr) => ({ ipBlock: e.except.length > 0 ? { cidr, except: [...e.except] } : { cidr } }));
        case "any":
            return undefined;
        case "apiserver":
            throw new Error(`flow ${flow.name}: the API server is not a NetworkPolicy peer (use a CiliumNetworkPolicy)`);
    }
}

/** `default-deny`: every pod of the namespace isolated in both directions, nothing allowed. */
export function defaultDenyPolicy(namespace: string): NetworkPolicyObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: metadata("default-deny", namespace, "default-deny"),
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    };
}

/** `allow-dns`: every pod of the namespace may ask kube-dns, and nothing else in kube-system. */
export function allowDnsPolicy(namespace: string): NetworkPolicyObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: metadata("allow-dns", namespace, "allow-dns"),
        spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [workloadPeer(KUBE_DNS)], ports: k8sPorts(DNS_PORTS) }],
        },
    };
}

function apiServerIngressRules(api: ApiServerEndpoint, ports: readonly FlowPort[]): CiliumIngressRule[] {
    return [{ fromEntities: [...api.callerEntities], toPorts: ciliumPorts(ports) }];
}

function egressPolicy(flow: Flow, source: WorkloadEndpoint, name: string): PolicyObject {
    const meta = metadata(name, source.namespace, "flow", flow);
    const dest = flow.destination;
    if (dest.kind === "apiserver") {
        return {
            apiVersion: cilium.apiVersion,
            kind: cilium.kind,
            metadata: meta,
            spec: {
                endpointSelector: { matchLabels: { ...source.podLabels } },
                egress: [{ toEntities: [dest.entity], toPorts: ciliumPorts(flow.ports) }],
            },
        };
    }
    const to = peers(dest, flow);
    if (to === undefined) throw new Error(`flow ${flow.name}: egress to any destination is never allowed; name the destination`);
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta,
        spec: {
            podSelector: { matchLabels: { ...source.podLabels } },
            policyTypes: ["Egress"],
            egress: [{ to, ports: k8sPorts(flow.ports) }],
        },
    };
}

function ingressPolicy(flow: Flow, dest: WorkloadEndpoint, name: string): PolicyObject {
    const meta = metadata(name, dest.namespace, "flow", flow);
    const source = flow.source;
    if (source.kind === "apiserver") {
        return {
            apiVersion: cilium.apiVersion,
            kind: cilium.kind,
            metadata: meta,
            spec: {
                endpointSelector: { matchLabels: { ...dest.podLabels } },
                ingress: apiServerIngressRules(source, flow.ports),
            },
        };
    }
    const from = peers(source, flow);
    const rule: NetworkPolicyIngressRule = from === undefined ? { ports: k8sPorts(flow.ports) } : { from, ports: k8sPorts(flow.ports) };
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta,
        spec: {
            podSelector: { matchLabels: { ...dest.podLabels } },
            policyTypes: ["Ingress"],
            ingress: [rule],
        },
    };
}

function managedSide(e: Endpoint): WorkloadEndpoint | undefined {
    return e.kind === "workload" && e.managed ? e : undefined;
}

/** The policies one flow needs: its source's egress and its destination's ingress, where the platform manages them. */
export function flowPolicies(flow: Flow): PolicyObject[] {
    if (flow.ports.length === 0) throw new Error(`flow ${flow.name} opens no port; every flow names its ports`);
    const source = managedSide(flow.source);
    const dest = managedSide(flow.destination);
    if (!source && !dest) throw new Error(`flow ${flow.name} touches no managed namespace; it would emit no policy`);
    const both = source !== undefined && dest !== undefined;
    const out: PolicyObject[] = [];
    if (source) out.push(egressPolicy(flow, source, both ? `${flow.name}-egress` : flow.name));
    if (dest) out.push(ingressPolicy(flow, dest, both ? `${flow.name}-ingress` : flow.name));
    return out;
}

/**
 * The whole set: baseline per namespace, then the flows' policies. Throws when a flow's managed
 * side lies outside `namespaces` (its pods would be default-denied with nobody creating the
 * namespace) or when two policies would share a namespace and name.
 */
export function buildPolicies(namespaces: readonly string[], flows: readonly Flow[]): PolicyObject[] {
    const managed = new Set(namespaces);
    const out: PolicyObject[] = namespaces.flatMap((ns) => [defaultDenyPolicy(ns), allowDnsPolicy(ns)]);
    for (const flow of flows) {
        for (const p of flowPolicies(flow)) {
            if (!managed.has(p.metadata.namespace)) {
                throw new Error(`flow ${flow.name}: namespace ${p.metadata.namespace} is not managed by the platform (managed: ${namespaces.join(", ")})`);
            }
            out.push(p);
        }
    }
    const seen = new Set<string>();
    for (const p of out) {
        const key = `${p.metadata.namespace}/${p.metadata.name}`;
        if (seen.has(key)) throw new Error(`two policies are named ${key}; flow names must be unique`);
        seen.add(key);
    }
    return out;
}

/** Every policy the platform emits for this config. */
export function platformPolicies(config: PlatformConfig): PolicyObject[] {
    return buildPolicies(managedNamespaces(config).map((n) => n.name), platformFlows(config));
}
