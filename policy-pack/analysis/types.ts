/** Public types of the analyzer and the normalized model both evaluators share. */
import type { Cidr } from "../shared/net";

export type Dataplane = "kubernetes" | "cilium";
export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

export interface Probe {
    port: number;
    protocol: Protocol;
}

export interface AnalyzerOptions {
    /** Which enforcement semantics to apply; default "kubernetes". */
    dataplane?: Dataplane;
    /** Endpoints outside the cluster: name -> CIDR or IP. In cilium mode the name `kube-apiserver` sets the API server's address instead. */
    externals?: Record<string, string>;
    /** Cilium mode: the API server's addresses (default: `externals["kube-apiserver"]`, else 10.0.0.1, the `kubernetes` Service address of AKS's default service CIDR). */
    apiServerIps?: string[];
}

export interface EndpointPort {
    name?: string;
    port: number;
    protocol: Protocol;
}

export interface Endpoint {
    /** Pods and workloads: "namespace/name"; externals: their name; the API server in cilium mode: "kube-apiserver". */
    id: string;
    kind: "pod" | "external" | "apiserver";
    namespace?: string;
    labels: Record<string, string>;
    ips: string[];
    ports: EndpointPort[];
    /** Where it came from: "Pod", "Deployment", ..., "external", "apiserver". */
    source?: string;
}

export interface Side {
    isolated: boolean;
    isolatedBy: string[];
    allowedBy?: string;
}

export interface Verdict {
    allowed: boolean;
    from: string;
    to: string;
    probe: Probe;
    egress: Side;
    ingress: Side;
    explanation: string[];
}

/** { "80/TCP": { from: { to: allowed } } } */
export type Matrix = Record<string, Record<string, Record<string, boolean>>>;

export interface MatrixOptions {
    from?: string[];
    to?: string[];
}

export interface Analysis {
    endpoints: Endpoint[];
    /** One message per unsupported feature found (object + field); such parts allow nothing. */
    unsupported: string[];
    /** Other things worth knowing about the input (objects skipped, workloads replaced by their pods). */
    notes: string[];
    dataplane: Dataplane;
    canReach(from: string, to: string, probe: Probe): Verdict;
    matrix(probes: Probe[], options?: MatrixOptions): Matrix;
}

// ---------------------------------------------------------------- normalized model

export type SelectorOp = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface Requirement {
    key: string;
    op: SelectorOp;
    values: string[];
}

/** A label selector as a list of ANDed requirements (matchLabels become `In` with one value). Empty = everything. */
export interface Selector {
    requirements: Requirement[];
    /** Canonical text, used as a cache key and in explanations. */
    key: string;
}

export type Peer =
    /** NetworkPolicy podSelector and/or namespaceSelector (at least one present). */
    | { kind: "k8s"; podSelector?: Selector; namespaceSelector?: Selector; policyNamespace: string; text: string }
    /** CiliumNetworkPolicy fromEndpoints/toEndpoints entry, over Cilium's label view of a pod; `namespace` set when the selector does not name one. */
    | { kind: "cilium"; selector: Selector; namespace?: string; text: string }
    /** NetworkPolicy ipBlock or Cilium fromCIDR/toCIDR/CIDRSet. */
    | { kind: "cidr"; block: Cidr; except: Cidr[]; text: string }
    /** Cilium entity. */
    | { kind: "entity"; entity: "world" | "world-ipv4" | "world-ipv6" | "cluster" | "all" | "kube-apiserver"; text: string };

export interface PortSpec {
    /** undefined = any protocol (Cilium ANY). */
    protocol?: Protocol;
    port?: number;
    endPort?: number;
    name?: string;
    text: string;
}

export interface Rule {
    /** "NetworkPolicy ns/name ingress[0]". */
    id: string;
    /** "all" = every peer (missing or empty from/to); [] = no peer. */
    peers: Peer[] | "all";
    /** "all" = every port and protocol. */
    ports: PortSpec[] | "all";
}

export interface Policy {
    /** "NetworkPolicy ns/name" or "CiliumNetworkPolicy ns/name" (plus " specs[i]" for a CNP's specs list). */
    id: string;
    kind: "NetworkPolicy" | "CiliumNetworkPolicy";
    namespace: string;
    name: string;
    /** Selects pods of `namespace` (over real labels for NetworkPolicy, Cilium's label view for CNP). */
    podSelector: Selector;
    isolatesIngress: boolean;
    isolatesEgress: boolean;
    /** Rules that count for each direction (a NetworkPolicy's rules of a type it does not list do not). */
    ingress: Rule[];
    egress: Rule[];
}

export interface NamespaceInfo {
    name: string;
    labels: Record<string, string>;
}

export interface ModelEndpoint extends Endpoint {
    /** Cilium's label view of a pod: its labels (prefix-free) plus io.kubernetes.pod.namespace and the service account. */
    ciliumLabels: Record<string, string>;
    /** Parsed addresses (pods: host blocks of pod IPs; externals: their block). */
    cidrs: Cidr[];
}

export interface Model {
    dataplane: Dataplane;
    endpoints: ModelEndpoint[];
    namespaces: Map<string, NamespaceInfo>;
    policies: Policy[];
    unsupported: string[];
    notes: string[];
}
