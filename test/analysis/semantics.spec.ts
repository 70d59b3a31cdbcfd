/**
 * Table-driven semantics of the analyzer. Every expected grid is written by hand from the Kubernetes
 * NetworkPolicy API reference and concept page (and the Cilium policy docs for the Cilium cases),
 * not produced by the code. Rows are sources, columns destinations, in `endpoints` order;
 * X = allowed, . = denied. Each cell is checked through matrix(), canReach() and the reference evaluator.
 */
import { Case, check, cilium, cnp, np, ns, Obj, pod, sel } from "./helpers";

const E = ["a/web", "a/db", "b/web", "b/client"];
const base = (): Obj[] => [
    ns("a", { team: "x" }),
    ns("b", { team: "y" }),
    pod("a/web", { app: "web", tier: "front" }, [{ name: "http", port: 8080 }, { name: "metrics", port: 9100 }], "10.0.1.1"),
    pod("a/db", { app: "db", tier: "back" }, [{ name: "http", port: 9090 }, { name: "dns", port: 53, protocol: "UDP" }], "10.0.1.2"),
    pod("b/web", { app: "web" }, [{ name: "http", port: 80 }], "10.0.2.1"),
    pod("b/client", { app: "client", tier: "front" }, [], "10.0.2.2"),
];
const OPEN = ["X X X X", "X X X X", "X X X X", "X X X X"];
/** Only a/db is closed (to everyone but itself). */
const DB_CLOSED = ["X . X X", "X X X X", "X . X X", "X . X X"];
/** a/db accepts a/web only. */
const DB_FROM_A_WEB = ["X X X X", "X X X X", "X . X X", "X . X X"];
const dbIngress = (ingress: unknown[], name = "db-in"): Obj => np("a", name, { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"], ingress });

const cases: Case[] = [
    { name: "no policies: every pod reaches every pod", objects: base(), endpoints: E, expect: { "80/TCP": OPEN } },
    {
        name: "policyTypes omitted, no rules: default deny ingress for the namespace",
        objects: [...base(), np("a", "deny", { podSelector: {} })],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", ". X X X", ". . X X", ". . X X"] },
    },
    {
        name: "default deny egress",
        objects: [...base(), np("a", "deny", { podSelector: {}, policyTypes: ["Egress"] })],
        endpoints: E,
        expect: { "80/TCP": ["X . . .", ". X . .", "X X X X", "X X X X"] },
    },
    {
        name: "an egress-only policy does not isolate ingress",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ podSelector: sel({ app: "db" }) }] }] })],
        endpoints: E,
        expect: { "80/TCP": ["X X . .", "X X X X", "X X X X", "X X X X"] },
    },
    {
        name: "podSelector alone selects pods of the policy's namespace only",
        objects: [...base(), dbIngress([{ from: [{ podSelector: sel({ app: "web" }) }] }])],
        endpoints: E,
        expect: { "80/TCP": DB_FROM_A_WEB },
    },
    {
        name: "namespaceSelector alone selects every pod of the matching namespaces",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: sel({ team: "y" }) }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X X X X", "X X X X"] },
    },
    {
        name: "namespaceSelector {} selects all pods in all namespaces, but no external endpoint",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: {} }] }])],
        options: { externals: { outside: "203.0.113.9" } },
        endpoints: [...E, "outside"],
        expect: { "80/TCP": ["X X X X X", "X X X X X", "X X X X X", "X X X X X", "X . X X X"] },
    },
    {
        name: "namespaceSelector and podSelector in ONE peer: both must match (AND)",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: sel({ team: "y" }), podSelector: sel({ app: "web" }) }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X X X X", "X . X X"] },
    },
    {
        name: "two peers: either may match (OR)",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: sel({ team: "y" }), podSelector: sel({ app: "client" }) }, { podSelector: sel({ app: "web" }) }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X X X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "from: [] (empty list) means every source, external ones included",
        objects: [...base(), dbIngress([{ from: [] }])],
        options: { externals: { outside: "203.0.113.9" } },
        endpoints: [...E, "outside"],
        expect: { "80/TCP": ["X X X X X", "X X X X X", "X X X X X", "X X X X X", "X X X X X"] },
    },
    {
        name: "a rule with neither from nor ports allows everything",
        objects: [...base(), dbIngress([{}])],
        options: { externals: { outside: "203.0.113.9" } },
        endpoints: [...E, "outside"],
        expect: { "5432/TCP": ["X X X X X", "X X X X X", "X X X X X", "X X X X X", "X X X X X"] },
    },
    {
        name: "ingress: [] isolates and allows nothing",
        objects: [...base(), dbIngress([])],
        endpoints: E,
        expect: { "80/TCP": DB_CLOSED },
    },
    {
        name: "matchExpressions In",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["client", "nope"] }] } }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "matchExpressions NotIn also matches pods without the key",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] } }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X X X X", "X . X X"] },
    },
    {
        name: "matchExpressions Exists",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "tier", operator: "Exists" }] } }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X X X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "matchExpressions DoesNotExist",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] } }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X X X X", "X . X X"] },
    },
    {
        name: "numeric port: only that port",
        objects: [...base(), dbIngress([{ ports: [{ port: 5432 }] }])],
        endpoints: E,
        expect: { "5432/TCP": OPEN, "80/TCP": DB_CLOSED, "5432/UDP": DB_CLOSED },
    },
    {
        name: "named port resolves to a different number on each destination pod",
        objects: [...base(), np("a", "http-in", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: "http" }] }] })],
        endpoints: E,
        expect: {
            "8080/TCP": ["X . X X", "X X X X", "X . X X", "X . X X"],
            "9090/TCP": ["X X X X", ". X X X", ". X X X", ". X X X"],
        },
        explains: [["b/web", "a/db", "8080/TCP", "named ports resolve against a/db's container ports"]],
    },
    {
        name: "named port on egress resolves against the destination pod",
        objects: [...base(), np("b", "client-out", { podSelector: sel({ app: "client" }), policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: "http" }] }] })],
        endpoints: E,
        expect: {
            "80/TCP": ["X X X X", "X X X X", "X X X X", ". . X X"],
            "8080/TCP": ["X X X X", "X X X X", "X X X X", "X . . X"],
        },
    },
    {
        name: "named port without protocol means TCP: a UDP port of that name does not match",
        objects: [...base(), dbIngress([{ ports: [{ port: "dns" }] }])],
        endpoints: E,
        expect: { "53/UDP": DB_CLOSED, "53/TCP": DB_CLOSED },
    },
    {
        name: "named UDP port",
        objects: [...base(), dbIngress([{ ports: [{ port: "dns", protocol: "UDP" }] }])],
        endpoints: E,
        expect: { "53/UDP": OPEN, "53/TCP": DB_CLOSED },
    },
    {
        name: "endPort: an inclusive range",
        objects: [...base(), dbIngress([{ ports: [{ port: 8000, endPort: 8100 }] }])],
        endpoints: E,
        expect: { "8000/TCP": OPEN, "8100/TCP": OPEN, "8050/TCP": OPEN, "7999/TCP": DB_CLOSED, "8101/TCP": DB_CLOSED },
    },
    {
        name: "SCTP",
        objects: [...base(), dbIngress([{ ports: [{ port: 3868, protocol: "SCTP" }] }])],
        endpoints: E,
        expect: { "3868/SCTP": OPEN, "3868/TCP": DB_CLOSED },
    },
    {
        name: "a protocol without a port: every port of that protocol",
        objects: [...base(), dbIngress([{ ports: [{ protocol: "UDP" }] }])],
        endpoints: E,
        expect: { "53/UDP": OPEN, "5353/UDP": OPEN, "53/TCP": DB_CLOSED },
    },
    {
        name: "a rule without ports: every port and protocol",
        objects: [...base(), dbIngress([{ from: [{ podSelector: sel({ app: "web" }) }] }])],
        endpoints: E,
        expect: { "1/TCP": DB_FROM_A_WEB, "65535/UDP": DB_FROM_A_WEB, "9/SCTP": DB_FROM_A_WEB },
    },
    {
        name: "ipBlock matches pod IPs (kubernetes dataplane)",
        objects: [...base(), dbIngress([{ from: [{ ipBlock: { cidr: "10.0.2.0/24" } }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X X X X", "X X X X"] },
    },
    {
        name: "ipBlock except removes addresses",
        objects: [...base(), dbIngress([{ from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.2.0/24"] } }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X X X X", "X X X X", "X . X X", "X . X X"] },
    },
    {
        name: "ipBlock to external endpoints: except carves out private addresses",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }] }] })],
        options: { externals: { internet: "93.184.216.34", private: "10.9.9.9" } },
        endpoints: ["a/web", "internet", "private", "a/db"],
        expect: { "443/TCP": ["X X . .", "X X X X", "X X X X", "X X X X"], "80/TCP": ["X . . .", "X X X X", "X X X X", "X X X X"] },
    },
    {
        name: "IPv6 ipBlock",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/32" } }] }] })],
        options: { externals: { v6: "2001:db8::5", v4: "198.51.100.7" } },
        endpoints: ["a/web", "v6", "v4"],
        expect: { "443/TCP": ["X X .", "X X X", "X X X"] },
    },
    {
        name: "an external range only partly inside an ipBlock is not matched",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/16" } }] }] })],
        options: { externals: { range: "10.0.0.0/8" } },
        endpoints: ["a/web", "range"],
        expect: { "443/TCP": ["X .", "X X"] },
        explains: [["a/web", "range", "443/TCP", "covers only part"]],
    },
    {
        name: "a workload without a pod IP cannot match an ipBlock",
        objects: [
            ...base(),
            { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "b" }, spec: { template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "c" }] } } } },
            dbIngress([{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }]),
        ],
        endpoints: ["a/web", "a/db", "b/api"],
        expect: { "80/TCP": ["X X X", "X X X", "X . X"] },
        explains: [["b/api", "a/db", "80/TCP", "no known pod IP"]],
    },
    {
        name: "a policy in another namespace does not select these pods",
        objects: [...base(), np("b", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
        endpoints: E,
        expect: { "80/TCP": ["X X . .", "X X . .", ". . X .", ". . . X"] },
    },
    {
        name: "policies are additive",
        objects: [...base(), dbIngress([{ from: [{ podSelector: sel({ app: "web" }) }] }], "one"), dbIngress([{ from: [{ namespaceSelector: {}, podSelector: sel({ app: "client" }) }] }], "two")],
        endpoints: E,
        expect: { "80/TCP": ["X X X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "egress at the source and ingress at the destination must both allow",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ podSelector: sel({ app: "db" }) }] }] }), dbIngress([])],
        endpoints: E,
        expect: { "80/TCP": ["X . . .", "X X X X", "X . X X", "X . X X"] },
        explains: [["a/web", "a/db", "80/TCP", "isolated for ingress by NetworkPolicy a/db-in"]],
    },
    {
        name: "policyTypes [Ingress]: egress rules in the policy are ignored",
        objects: [...base(), np("a", "p", { podSelector: sel({ app: "web" }), policyTypes: ["Ingress"], ingress: [{}], egress: [{ to: [{ podSelector: sel({ app: "db" }) }] }] })],
        endpoints: E,
        expect: { "80/TCP": OPEN },
        explains: [["a/web", "b/web", "80/TCP", "not isolated for egress"]],
    },
    {
        name: "policyTypes omitted with egress rules: isolates ingress and egress",
        objects: [...base(), np("a", "p", { podSelector: sel({ app: "web" }), egress: [{ to: [{ podSelector: sel({ app: "db" }) }] }] })],
        endpoints: E,
        expect: { "80/TCP": ["X X . .", ". X X X", ". X X X", ". X X X"] },
    },
    {
        name: "policyTypes omitted with egress: [] (no egress rules): ingress only",
        objects: [...base(), np("a", "p", { podSelector: sel({ app: "web" }), egress: [] })],
        endpoints: E,
        expect: { "80/TCP": ["X X X X", ". X X X", ". X X X", ". X X X"] },
    },
    {
        name: "a pod always reaches itself, even under default deny",
        objects: [...base(), np("a", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
        endpoints: E,
        expect: { "80/TCP": ["X . . .", ". X . .", ". . X X", ". . X X"] },
        explains: [["a/web", "a/web", "80/TCP", "itself"]],
    },
    {
        name: "a namespace that is not declared still has kubernetes.io/metadata.name",
        objects: [...base(), pod("c/x", { app: "x" }), dbIngress([{ from: [{ namespaceSelector: sel({ "kubernetes.io/metadata.name": "c" }) }] }])],
        endpoints: ["a/db", "c/x", "a/web"],
        expect: { "80/TCP": ["X X X", "X X X", ". X X"] },
    },
    {
        name: "a declared namespace gets kubernetes.io/metadata.name from its name",
        objects: [...base(), dbIngress([{ from: [{ namespaceSelector: sel({ "kubernetes.io/metadata.name": "b" }) }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X . X X", "X X X X", "X X X X", "X X X X"] },
    },
    {
        name: "workloads (Deployment, StatefulSet, CronJob) stand for one pod each",
        objects: [
            ...base(),
            { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "dep", namespace: "a" }, spec: { template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c" }] } } } },
            { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "sts", namespace: "b" }, spec: { template: { metadata: { labels: { app: "sts" } }, spec: { containers: [{ name: "c" }] } } } },
            { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cron", namespace: "b" }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: "cron" } }, spec: { containers: [{ name: "c" }] } } } } } },
            dbIngress([{ from: [{ podSelector: sel({ app: "web" }) }, { namespaceSelector: {}, podSelector: sel({ app: "cron" }) }] }]),
        ],
        endpoints: ["a/dep", "a/db", "b/cron", "b/sts"],
        expect: { "80/TCP": ["X X X X", "X X X X", "X X X X", "X . X X"] },
    },
    {
        name: "within a rule, peers AND ports; rules OR",
        objects: [...base(), dbIngress([{ from: [{ podSelector: sel({ app: "web" }) }], ports: [{ port: 80 }] }, { from: [{ namespaceSelector: {}, podSelector: sel({ app: "client" }) }], ports: [{ port: 443 }] }])],
        endpoints: E,
        expect: { "80/TCP": ["X X X X", "X X X X", "X . X X", "X . X X"], "443/TCP": ["X . X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "selectors never match external endpoints",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] })],
        options: { externals: { outside: "203.0.113.9" } },
        endpoints: ["a/web", "a/db", "outside"],
        expect: { "80/TCP": ["X X .", "X X X", "X X X"] },
    },
    {
        name: "a Pod owned by a Deployment in the input replaces the Deployment",
        objects: [
            ...base(),
            { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "b" }, spec: { template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "c" }] } } } },
            { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "api-5f7", namespace: "b", ownerReferences: [{ kind: "Deployment", name: "api" }] }, spec: { template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "c" }] } } } },
            { ...pod("b/api-5f7-xk2", { app: "api" }, [], "10.0.2.9"), metadata: { name: "api-5f7-xk2", namespace: "b", labels: { app: "api" }, ownerReferences: [{ kind: "ReplicaSet", name: "api-5f7" }] } },
            dbIngress([{ from: [{ ipBlock: { cidr: "10.0.2.0/24" } }] }]),
        ],
        endpoints: ["b/api-5f7-xk2", "a/db"],
        expect: { "80/TCP": ["X X", "X X"] },
    },
];

// ---------------------------------------------------------------- Cilium mode

const api443 = { toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] };

const ciliumCases: Case[] = [
    {
        name: "cilium: the API server is reachable through toEntities kube-apiserver (and only on its ports)",
        objects: [...base(), np("a", "deny-out", { podSelector: {}, policyTypes: ["Egress"] }), cnp("a", "web-api", { endpointSelector: sel({ app: "web" }), egress: [{ toEntities: ["kube-apiserver"], ...api443 }] })],
        options: cilium(),
        endpoints: ["a/web", "a/db", "kube-apiserver"],
        expect: { "443/TCP": ["X . X", ". X .", "X X X"], "80/TCP": ["X . .", ". X .", "X X X"] },
        explains: [["a/web", "kube-apiserver", "443/TCP", "CiliumNetworkPolicy a/web-api egress[0] allows it"]],
    },
    {
        name: "cilium: an ipBlock on the API server's address does not open it",
        objects: [...base(), np("a", "deny-out", { podSelector: {}, policyTypes: ["Egress"] }), np("a", "web-api", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.1/32" } }], ports: [{ port: 443 }] }] })],
        options: cilium(),
        endpoints: ["a/web", "kube-apiserver"],
        expect: { "443/TCP": ["X .", "X X"] },
        explains: [["a/web", "kube-apiserver", "443/TCP", "never select the API server"]],
    },
    {
        name: "kubernetes: the same ipBlock does match an endpoint at that address",
        objects: [...base(), np("a", "deny-out", { podSelector: {}, policyTypes: ["Egress"] }), np("a", "web-api", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.1/32" } }], ports: [{ port: 443 }] }] })],
        options: { externals: { apiserver: "10.0.0.1" } },
        endpoints: ["a/web", "apiserver"],
        expect: { "443/TCP": ["X X", "X X"] },
    },
    {
        name: "cilium: CiliumNetworkPolicy and NetworkPolicy combine additively",
        objects: [
            ...base(),
            dbIngress([{ from: [{ podSelector: sel({ app: "web" }) }] }]),
            cnp("a", "db-client", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "b", app: "client" } }] }] }),
        ],
        options: cilium(),
        endpoints: E,
        expect: { "80/TCP": ["X X X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "cilium: a CiliumNetworkPolicy alone isolates; fromEndpoints without a namespace label means the policy's namespace",
        objects: [...base(), cnp("a", "db-web", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [sel({ app: "web" })] }] })],
        options: cilium(),
        endpoints: E,
        expect: { "80/TCP": DB_FROM_A_WEB },
    },
    {
        name: "cilium: fromEndpoints [{}] is every pod of the policy's namespace",
        objects: [...base(), cnp("a", "db-ns", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [{}] }] })],
        options: cilium(),
        endpoints: E,
        expect: { "80/TCP": DB_FROM_A_WEB },
    },
    {
        name: "cilium: the namespace label with Exists selects pods of every namespace, not the API server",
        objects: [...base(), cnp("a", "db-all", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: "k8s:io.kubernetes.pod.namespace", operator: "Exists" }] }] }] })],
        options: cilium(),
        endpoints: ["a/web", "a/db", "b/client", "kube-apiserver"],
        expect: { "80/TCP": ["X X X X", "X X X X", "X X X X", "X . X X"] },
    },
    {
        name: "cilium: fromEntities cluster is pods and the API server, not the world",
        objects: [...base(), cnp("a", "db-cluster", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEntities: ["cluster"] }] })],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "kube-apiserver", "outside"],
        expect: { "80/TCP": ["X X X X", "X X X X", "X X X X", "X . X X"] },
    },
    {
        name: "cilium: fromEntities world is outside the cluster only",
        objects: [...base(), cnp("a", "db-world", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEntities: ["world"] }] })],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "kube-apiserver", "outside"],
        expect: { "80/TCP": ["X . X X", "X X X X", "X . X X", "X X X X"] },
    },
    {
        name: "cilium: toCIDRSet with except matches external addresses, never pods or the API server",
        objects: [...base(), cnp("a", "web-out", { endpointSelector: sel({ app: "web" }), egress: [{ toCIDRSet: [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }] }] })],
        options: cilium({ internet: "93.184.216.34", private: "10.9.9.9" }),
        endpoints: ["a/web", "a/db", "internet", "private", "kube-apiserver"],
        expect: { "443/TCP": ["X . X . .", "X X X X X", "X X X X X", "X X X X X", "X X X X X"] },
    },
    {
        name: "cilium: a NetworkPolicy ipBlock does not select pod IPs",
        objects: [...base(), dbIngress([{ from: [{ ipBlock: { cidr: "10.0.2.0/24" } }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "80/TCP": DB_CLOSED },
        explains: [["b/web", "a/db", "80/TCP", "never select pods"]],
    },
    {
        name: "cilium: a toPorts-only rule applies to every peer; an empty rule isolates and allows nothing",
        objects: [
            ...base(),
            cnp("a", "db-port", { endpointSelector: sel({ app: "db" }), ingress: [{ toPorts: [{ ports: [{ port: "5432", protocol: "TCP" }] }] }] }),
            cnp("a", "web-deny", { endpointSelector: sel({ app: "web" }), ingress: [{}] }),
        ],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "b/client", "outside"],
        expect: { "5432/TCP": ["X X X X", ". X X X", ". X X X", ". X X X"], "80/TCP": ["X . X X", ". X X X", ". . X X", ". . X X"] },
    },
    {
        name: "cilium: enableDefaultDeny false: the rules allow but do not isolate",
        objects: [...base(), cnp("a", "db-soft", { endpointSelector: sel({ app: "db" }), enableDefaultDeny: { ingress: false }, ingress: [{ fromEndpoints: [sel({ app: "web" })] }] })],
        options: cilium(),
        endpoints: E,
        expect: { "80/TCP": OPEN },
    },
    {
        name: "cilium: named port in toPorts with protocol ANY",
        objects: [...base(), cnp("a", "db-http", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: "http" }] }] }] })],
        options: cilium(),
        endpoints: ["a/web", "a/db"],
        expect: { "9090/TCP": ["X X", "X X"], "8080/TCP": ["X .", "X X"] },
    },
    {
        name: "cilium: a toFQDNs rule may select outside addresses only: inconclusive to them, denied to pods",
        objects: [...base(), cnp("a", "web-fqdn", { endpointSelector: sel({ app: "web" }), egress: [{ toFQDNs: [{ matchName: "example.com" }], ...api443 }] })],
        options: cilium({ internet: "93.184.216.34" }),
        endpoints: ["a/web", "a/db", "internet"],
        expect: { "443/TCP": ["X . ?", "X X X", "X X X"], "80/TCP": ["X . .", "X X X", "X X X"] },
        explains: [["a/web", "internet", "443/TCP", "spec.egress[0].toFQDNs: FQDN rules are not evaluated"]],
        warnings: [/CiliumNetworkPolicy a\/web-fqdn: spec\.egress\[0\]\.toFQDNs/],
    },
    {
        name: "cilium: toServices may select anything, so what it could open is inconclusive",
        objects: [...base(), cnp("a", "web-svc", { endpointSelector: sel({ app: "web" }), egress: [{ toServices: [{ k8sService: { serviceName: "db", namespace: "a" } }] }] })],
        options: cilium(),
        endpoints: ["a/web", "a/db", "kube-apiserver"],
        expect: { "80/TCP": ["X ? ?", "X X X", "X X X"] },
        warnings: [/toServices: Service rules are not evaluated/],
    },
    {
        name: "cilium: io.cilium.k8s.namespace.labels in a namespaced policy is ignored by Cilium; what it then selects in the policy's namespace is inconclusive",
        objects: [...base(), cnp("a", "db-nslabel", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [{ matchLabels: { "io.cilium.k8s.namespace.labels.team": "y" } }] }] })],
        options: cilium(),
        endpoints: E,
        // Without a namespace label the selector stays within the policy's namespace (kubernetes.rst, "Namespaces").
        expect: { "80/TCP": ["X ? X X", "X X X X", "X . X X", "X . X X"] },
        warnings: [/io\.cilium\.k8s\.namespace\.labels/],
    },
    {
        name: "cilium: layer 7 rules allow only some requests: a matching rule is inconclusive, a non-matching one still denies",
        objects: [...base(), cnp("a", "db-http", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [sel({ app: "web" })], toPorts: [{ ports: [{ port: "9090", protocol: "TCP" }], rules: { http: [{ method: "GET" }] } }] }] })],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": ["X ? X X", "X X X X", "X . X X", "X . X X"], "80/TCP": ["X . X X", "X X X X", "X . X X", "X . X X"] },
        explains: [["a/web", "a/db", "9090/TCP", "layer 7 / TLS rules are not evaluated"]],
        warnings: [/toPorts\[0\]\.rules/],
    },
    {
        name: "cilium: deny rules isolate, and what the allow rules open may be denied (inconclusive)",
        objects: [...base(), cnp("a", "db-deny", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [{}] }], ingressDeny: [{ fromEndpoints: [sel({ app: "web" })] }] })],
        options: cilium(),
        endpoints: E,
        expect: { "80/TCP": ["X ? X X", "X X X X", "X . X X", "X . X X"] },
        warnings: [/ingressDeny: deny rules are not evaluated/],
    },
    {
        name: "cilium: a CiliumClusterwideNetworkPolicy may do anything to any pod: every pod's cells are inconclusive",
        objects: [...base(), { apiVersion: "cilium.io/v2", kind: "CiliumClusterwideNetworkPolicy", metadata: { name: "global" }, spec: { endpointSelector: {}, ingress: [{}] } }],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "outside"],
        expect: { "80/TCP": ["X ? ?", "? X ?", "? ? X"] },
        warnings: [/CiliumClusterwideNetworkPolicy global.*not evaluated/],
    },
    {
        name: "cilium (AKS): the API server's calls into pods arrive as remote-node, so fromEntities kube-apiserver does not open a webhook and remote-node does",
        objects: [
            ...base(),
            cnp("a", "db-from-apiserver", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEntities: ["kube-apiserver"], toPorts: [{ ports: [{ port: "9090", protocol: "TCP" }] }] }] }),
            cnp("a", "web-from-nodes", { endpointSelector: sel({ app: "web" }), ingress: [{ fromEntities: ["remote-node", "host"], toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }] }] }),
        ],
        options: cilium(),
        endpoints: ["a/web", "a/db", "b/client", "kube-apiserver", "remote-node"],
        expect: {
            "9090/TCP": ["X . X X X", ". X X X X", ". . X X X", ". . X X X", ". . X X X"],
            "8080/TCP": ["X . X X X", ". X X X X", ". . X X X", "X . X X X", "X . X X X"],
        },
        explains: [["kube-apiserver", "a/db", "9090/TCP", "arrive from the nodes with the remote-node identity"]],
    },
    {
        name: "cilium: toEntities remote-node reaches the other nodes, not the API server; toEntities kube-apiserver the reverse",
        objects: [...base(), np("a", "deny-out", { podSelector: {}, policyTypes: ["Egress"] }), cnp("a", "web-nodes", { endpointSelector: sel({ app: "web" }), egress: [{ toEntities: ["remote-node"] }] })],
        options: cilium(),
        endpoints: ["a/web", "kube-apiserver", "remote-node"],
        expect: { "10250/TCP": ["X . X", "X X X", "X X X"] },
    },
    {
        name: "cilium: a host policy may restrict the nodes' traffic: remote-node and the API server's calls are inconclusive",
        objects: [...base(), cnp("kube-system", "host-fw", { nodeSelector: {}, ingress: [{ fromEntities: ["cluster"] }] })],
        options: cilium(),
        endpoints: ["a/web", "kube-apiserver", "remote-node"],
        expect: { "443/TCP": ["X X ?", "? ? ?", "? ? ?"] },
        warnings: [/host-fw: spec\.nodeSelector: host policies are not evaluated/],
    },
    {
        name: "kubernetes: CiliumNetworkPolicies are ignored, with a note",
        objects: [...base(), cnp("a", "db-deny", { endpointSelector: sel({ app: "db" }), ingress: [{}] })],
        endpoints: E,
        expect: { "80/TCP": OPEN },
        notes: [/db-deny.*only evaluated with dataplane "cilium"/],
    },
];

describe("analysis: NetworkPolicy semantics (hand-written matrices)", () => {
    it("has at least 40 semantic cases", () => {
        if (cases.length + ciliumCases.length < 40) throw new Error(`${cases.length + ciliumCases.length} cases`);
    });
    for (const c of cases) it(c.name, () => check(c));
    describe("Cilium mode", () => {
        for (const c of ciliumCases) it(c.name, () => check(c));
    });
});
