/** Public types of the analyzer and the normalized model both evaluators share. */
import type { Cidr } from "../shared/net";

export type Dataplane = "kubernetes" | "cilium";
export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/**
 * The three verdicts. `inconclusive`: the answer depends on something the analyzer cannot know
 * (a value unknown until the update, a Cilium feature it does not model, the labels of a namespace
 * that is not in the input); it is never reported as allowed or denied.
 */
export type Status = "allowed" | "denied" | "inconclusive";

/** Three-valued match: a peer, selector or port certainly matches, certainly does not, or may. */
export type Tri = "yes" | "no" | "maybe";

/**
 * A value the caller cannot know yet (a preview-time unknown). Put it anywhere in a NetworkPolicy,
 * CiliumNetworkPolicy or a Namespace's labels: only what depends on it becomes inconclusive.
 */
export class UnknownValue {
    constructor(
        /** Where the caller read it, for messages (e.g. `.spec.ingress.0.from.0.ipBlock.cidr`). */
        readonly path: string,
    ) {}

    /** In JSON (cache keys, dumps) it stays distinguishable from any Kubernetes value. */
    toJSON(): Record<string, string> {
        return { "<unknown until the update>": this.path };
    }
}

export function isUnknownValue(v: unknown): v is UnknownValue {
    return v instanceof UnknownValue;
}

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
    /** Pods and workloads: "namespace/name"; externals: their name; Cilium mode: "kube-apiserver" and "remote-node". */
    id: string;
    kind: "pod" | "external" | "apiserver" | "node";
    namespace?: string;
    labels: Record<string, string>;
    ips: string[];
    ports: EndpointPort[];
    /** Where it came from: "Pod", "Deployment", ..., "external", "apiserver", "node". */
    source?: string;
}

export interface Side {
    /** Whether this side lets the connection through. */
    status: Status;
    /** Policies that certainly isolate the endpoint in this direction. */
    isolatedBy: string[];
    /** The first rule that certainly allows it (absent when not isolated or not allowed). */
    allowedBy?: string;
}

export interface Verdict {
    status: Status;
    from: string;
    to: string;
    probe: Probe;
    egress: Side;
    ingress: Side;
    explanation: string[];
    /** Why it is inconclusive: each object and feature the answer depends on (empty otherwise). */
    inconclusive: string[];
}

/** { "80/TCP": { from: { to: status } } } */
export type Matrix = Record<string, Record<string, Record<string, Status>>>;

export interface MatrixOptions {
    from?: string[];
    to?: string[];
}

/** One probe's evaluated cells as bitsets: bit (i * to.length + j) is set when from[i] → to[j] is certainly (possibly) allowed. */
export interface Cells {
    allowed: Uint32Array;
    possible: Uint32Array;
}

export interface Analysis {
    endpoints: Endpoint[];
    /**
     * Everything the analyzer could not evaluate exactly (object, field and why), each once: a cell
     * that depends on one of them is inconclusive.
     */
    warnings: string[];
    /** Other things worth knowing about the input (objects skipped, workloads replaced by their pods). */
    notes: string[];
    dataplane: Dataplane;
    canReach(from: string, to: string, probe: Probe): Verdict;
    matrix(probes: Probe[], options?: MatrixOptions): Matrix;
    /** The evaluated cells of one probe (the fast path under matrix()); endpoints are ids. */
    cells(probe: Probe, from: string[], to: string[]): Cells;
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

/** Cilium entities the model evaluates (language reference, "Entities based"). */
export type Entity = "world" | "world-ipv4" | "world-ipv6" | "cluster" | "all" | "kube-apiserver" | "remote-node" | "host" | "health" | "init" | "ingress" | "unmanaged";

/**
 * Which endpoints an opaque peer may match: `external` (addresses outside the cluster: FQDN and
 * CIDR-group rules), `cidr` (what a CIDR could select on this dataplane), `pods` (of `namespace`
 * when set), `node` (other nodes: node selectors), `any`.
 */
export type OpaqueScope = "external" | "cidr" | "pods" | "node" | "any";

export type Peer =
    /** NetworkPolicy podSelector and/or namespaceSelector (at least one present). */
    | { kind: "k8s"; podSelector?: Selector; namespaceSelector?: Selector; policyNamespace: string; text: string }
    /** CiliumNetworkPolicy fromEndpoints/toEndpoints entry, over Cilium's label view of a pod; `namespace` set when the selector does not name one. */
    | { kind: "cilium"; selector: Selector; namespace?: string; text: string }
    /** NetworkPolicy ipBlock or Cilium fromCIDR/toCIDR/CIDRSet. */
    | { kind: "cidr"; block: Cidr; except: Cidr[]; text: string }
    /** Cilium entity. */
    | { kind: "entity"; entity: Entity; text: string }
    /** A peer the analyzer cannot evaluate (unknown value or unmodelled feature): it may match anything in its scope. */
    | { kind: "opaque"; scope: OpaqueScope; reason: string; text: string; namespace?: string };

export interface PortSpec {
    /** undefined = any protocol (Cilium ANY, or unknown). */
    protocol?: Protocol;
    port?: number;
    endPort?: number;
    name?: string;
    text: string;
    /** Set when the port cannot be known: it may match any port of its protocol. */
    uncertain?: string;
}

export interface Rule {
    /** "NetworkPolicy ns/name ingress[0]". */
    id: string;
    /** "all" = every peer (missing or empty from/to); [] = no peer. */
    peers: Peer[] | "all";
    /** "all" = every port and protocol. */
    ports: PortSpec[] | "all";
    /** Set when a matching rule may still not allow (layer 7 rules, mutual authentication, unknown policyTypes): why. */
    uncertain?: string;
}

export interface Policy {
    /** "NetworkPolicy ns/name" or "CiliumNetworkPolicy ns/name" (plus " specs[i]" for a CNP's specs list). */
    id: string;
    kind: "NetworkPolicy" | "CiliumNetworkPolicy";
    /** undefined: unknown, so the policy may select pods of any namespace. */
    namespace?: string;
    name: string;
    /** Selects pods of `namespace` (over real labels for NetworkPolicy, Cilium's label view for CNP); undefined: may select any of them. */
    podSelector?: Selector;
    /** Why the selection is uncertain (unknown namespace or selector). */
    selectionUncertain?: string;
    isolatesIngress: Tri;
    isolatesEgress: Tri;
    /** Why isolation is "maybe". */
    isolationUncertain?: string;
    /** Rules that count for each direction (a NetworkPolicy's rules of a type it does not list do not). */
    ingress: Rule[];
    egress: Rule[];
    /** Unmodelled rules that may deny what the rules allow (Cilium deny rules), by direction: why. */
    mayDeny: { ingress?: string; egress?: string };
}

export interface NamespaceInfo {
    name: string;
    labels: Record<string, string>;
    /** False when the input has no Namespace object for it: only its name label is known. */
    complete: boolean;
    /** Label keys whose values are unknown. */
    unknownKeys: string[];
    /** The warning a selector that needs its unknown labels cites. */
    uncertainty?: string;
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
    warnings: string[];
    notes: string[];
    /** False when nothing in the model is uncertain: the evaluators then skip the "possible" half. */
    uncertain: boolean;
    /** Set when a Cilium host policy exists: what the nodes send and receive is then inconclusive (why). */
    hostPolicy?: string;
}
