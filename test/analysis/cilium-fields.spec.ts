/**
 * CiliumNetworkPolicy fields one by one, grids written by hand from Cilium's policy language
 * reference (docs.cilium.io, "Layer 3 Examples", "Layer 4 Examples", "Additional Label
 * Requirements", "Deny Policies"; CRD api/v1 PortProtocol: `port` a number or a port name, `endPort`
 * only with a numeric port and not below it, protocol TCP, UDP, SCTP or ANY, `port` "0" or none
 * meaning every port) and the analyzer's contract: what it does not evaluate is inconclusive with a
 * warning naming the field, never allowed or denied. X allowed, . denied, ? inconclusive.
 */
import * as assert from "assert";
import { AnalysisError, analyze } from "../../policy-pack/analysis";
import { Case, check, cilium, cnp, ns, Obj, pod, sel } from "./helpers";

const base = (): Obj[] => [
    ns("a", { team: "x" }),
    ns("b", { team: "y" }),
    pod("a/web", { app: "web" }, [{ name: "http", port: 8080 }], "10.0.1.1"),
    pod("a/db", { app: "db" }, [{ name: "http", port: 9090 }, { name: "dns", port: 53, protocol: "UDP" }], "10.0.1.2"),
    pod("b/web", { app: "web" }, [{ name: "http", port: 80 }], "10.0.2.1"),
];
const dbIn = (ingress: unknown[]): Obj => cnp("a", "db-in", { endpointSelector: sel({ app: "db" }), ingress });
const webOut = (egress: unknown[]): Obj => cnp("a", "web-out", { endpointSelector: sel({ app: "web" }), egress });
const E = ["a/web", "a/db", "b/web"];
/** a/db takes a/web only (its own namespace); b/web is refused. */
const DB_FROM_A = ["X X X", "X X X", "X . X"];
const DB_CLOSED = ["X . X", "X X X", "X . X"];
const DB_MAYBE_FROM_A = ["X ? X", "X X X", "X . X"];

const cases: Case[] = [
    {
        name: "toPorts endPort: an inclusive numeric range of one protocol",
        objects: [...base(), dbIn([{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: "9000", endPort: 9100, protocol: "TCP" }] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9000/TCP": DB_FROM_A, "9100/TCP": DB_FROM_A, "9101/TCP": DB_CLOSED, "8999/TCP": DB_CLOSED, "9050/UDP": DB_CLOSED },
        explains: [["a/web", "a/db", "9050/TCP", "9000-9100/TCP"]],
    },
    {
        name: "toPorts without a port: every port of the protocol; port 0 the same",
        objects: [...base(), dbIn([{ fromEndpoints: [{}], toPorts: [{ ports: [{ protocol: "UDP" }, { port: "0", protocol: "SCTP" }] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "53/UDP": DB_FROM_A, "9/SCTP": DB_FROM_A, "9090/TCP": DB_CLOSED },
        explains: [["a/web", "a/db", "53/UDP", "all UDP ports"]],
    },
    {
        name: "toPorts with an empty ports list: every port of every protocol",
        objects: [...base(), dbIn([{ fromEndpoints: [{}], toPorts: [{ ports: [] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": DB_FROM_A, "53/UDP": DB_FROM_A },
        explains: [["a/web", "a/db", "9090/TCP", "all ports"]],
    },
    {
        name: "a numeric port without a protocol is ANY: TCP and UDP both",
        objects: [...base(), dbIn([{ fromEndpoints: [sel({ app: "web" })], toPorts: [{ ports: [{ port: "53" }] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "53/UDP": DB_FROM_A, "53/TCP": DB_FROM_A, "54/UDP": DB_CLOSED },
        explains: [["a/web", "a/db", "53/UDP", "53/ANY"], ["a/web", "a/db", "53/UDP", "fromEndpoints[0] {app In web} in namespace a"]],
    },
    {
        name: "a selector's requirements are named in one order, whatever order they are written in",
        objects: [...base(), dbIn([{ fromEndpoints: [{ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }, { key: "app", operator: "In", values: ["web", "api"] }] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": DB_FROM_A },
        explains: [["a/web", "a/db", "9090/TCP", "fromEndpoints[0] {app In api,web && tier DoesNotExist"]],
    },
    {
        name: "fromEndpoints naming the namespace label reaches into that namespace only",
        objects: [...base(), dbIn([{ fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "b" } }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": ["X . X", "X X X", "X X X"] },
        explains: [["b/web", "a/db", "9090/TCP", "fromEndpoints[0] {io.kubernetes.pod.namespace In b}"]],
    },
    {
        name: "toCIDRSet with except: the explanation names the block and its exceptions",
        objects: [...base(), webOut([{ toCIDRSet: [{ cidr: "203.0.113.0/24", except: ["203.0.113.128/25", "203.0.113.64/26"] }] }])],
        options: cilium({ allowed: "203.0.113.9", excepted: "203.0.113.200" }),
        endpoints: ["a/web", "allowed", "excepted"],
        expect: { "443/TCP": ["X X .", "X X X", "X X X"] },
        explains: [["a/web", "allowed", "443/TCP", "toCIDRSet 203.0.113.0/24 except 203.0.113.128/25, 203.0.113.64/26"]],
    },
    {
        name: "toCIDRSet through a CiliumCIDRGroup: its addresses are not in the input, so outside cells are inconclusive",
        objects: [...base(), webOut([{ toCIDRSet: [{ cidrGroupRef: "partners" }] }])],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "outside"],
        expect: { "443/TCP": ["X . ?", "X X X", "X X X"] },
        warnings: [/web-out: spec\.egress\[0\]\.toCIDRSet\[0\]: CiliumCIDRGroup references are not evaluated/],
    },
    {
        name: "toGroups (cloud provider groups) may select outside addresses only",
        objects: [...base(), webOut([{ toGroups: [{ aws: { securityGroupsIds: ["sg-1"] } }] }])],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "outside"],
        expect: { "443/TCP": ["X . ?", "X X X", "X X X"] },
        warnings: [/spec\.egress\[0\]\.toGroups: cloud provider groups are not evaluated/],
    },
    {
        name: "toNodes may select the nodes only",
        objects: [...base(), webOut([{ toNodes: [sel({ pool: "system" })] }])],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "remote-node", "outside"],
        expect: { "10250/TCP": ["X . ? .", "X X X X", "X X X X", "X X X X"] },
        warnings: [/spec\.egress\[0\]\.toNodes: node selectors are not evaluated/],
    },
    {
        name: "fromRequires allows nothing and may deny what the policy's other rules allow",
        objects: [...base(), dbIn([{ fromEndpoints: [{}] }, { fromRequires: [sel({ env: "prod" })] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": DB_MAYBE_FROM_A },
        warnings: [/spec\.ingress\[1\]\.fromRequires: fromRequires is not evaluated: it may deny what the policy's other rules allow/],
    },
    {
        name: "icmps without toPorts: the rule's TCP/UDP effect is not modelled",
        objects: [...base(), dbIn([{ fromEndpoints: [{}], icmps: [{ fields: [{ type: 8 }] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": DB_MAYBE_FROM_A },
        warnings: [/spec\.ingress\[0\]\.icmps: ICMP rules are not evaluated/],
    },
    {
        name: "icmps beside toPorts: the ports decide, with no warning",
        objects: [...base(), dbIn([{ fromEndpoints: [{}], icmps: [{ fields: [{ type: 8 }] }], toPorts: [{ ports: [{ port: "9090", protocol: "TCP" }] }] }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": DB_FROM_A, "8080/TCP": DB_CLOSED },
    },
    {
        name: "authentication: allowed only when mutual authentication succeeds, which is not evaluated",
        objects: [...base(), dbIn([{ fromEndpoints: [{}], authentication: { mode: "required" } }])],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": DB_MAYBE_FROM_A },
        warnings: [/spec\.ingress\[0\]\.authentication: mutual authentication is not evaluated/],
    },
    {
        name: "specs: each entry is a policy of its own",
        objects: [
            ...base(),
            { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: "two", namespace: "a" }, specs: [
                { endpointSelector: sel({ app: "db" }), ingress: [{ fromEndpoints: [sel({ app: "web" })] }] },
                { endpointSelector: sel({ app: "web" }), ingress: [{}] },
            ] },
        ],
        options: cilium(),
        endpoints: E,
        expect: { "9090/TCP": ["X X X", ". X X", ". . X"] },
        explains: [["a/web", "a/db", "9090/TCP", "CiliumNetworkPolicy a/two specs[0]"], ["a/db", "a/web", "9090/TCP", "CiliumNetworkPolicy a/two specs[1]"]],
    },
    {
        name: "toEntities world-ipv4 reaches IPv4 addresses outside the cluster only",
        objects: [...base(), webOut([{ toEntities: ["world-ipv4"] }])],
        options: cilium({ v4: "203.0.113.9", v6: "2001:db8::9" }),
        endpoints: ["a/web", "a/db", "v4", "v6", "remote-node"],
        expect: { "443/TCP": ["X . X . .", "X X X X X", "X X X X X", "X X X X X", "X X X X X"] },
    },
    {
        name: "toEntities world-ipv6 reaches IPv6 addresses outside the cluster only",
        objects: [...base(), webOut([{ toEntities: ["world-ipv6"] }])],
        options: cilium({ v4: "203.0.113.9", v6: "2001:db8::9" }),
        endpoints: ["a/web", "a/db", "v4", "v6"],
        expect: { "443/TCP": ["X . . X", "X X X X", "X X X X", "X X X X"] },
    },
    {
        name: "toEntities all reaches everything; cluster everything but the outside",
        objects: [...base(), webOut([{ toEntities: ["all"] }]), cnp("b", "web-out", { endpointSelector: sel({ app: "web" }), egress: [{ toEntities: ["cluster"] }] })],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "b/web", "kube-apiserver", "remote-node", "outside"],
        expect: { "443/TCP": ["X X X X X", "X X X X .", "X X X X X", "X X X X X", "X X X X X"] },
    },
    {
        name: "toEntities host, health, init, ingress and unmanaged match none of the modelled endpoints",
        objects: [...base(), webOut([{ toEntities: ["host", "health", "init", "ingress", "unmanaged"] }])],
        options: cilium({ outside: "203.0.113.9" }),
        endpoints: ["a/web", "a/db", "kube-apiserver", "remote-node", "outside"],
        expect: { "443/TCP": ["X . . . .", "X X X X X", "X X X X X", "X X X X X", "X X X X X"] },
    },
];

describe("analysis: CiliumNetworkPolicy fields (hand-written matrices)", () => {
    for (const c of cases) it(c.name, () => check(c));
});

const invalid: { name: string; object: Obj; field: string; reason: RegExp }[] = [
    { name: "endPort with a named port", object: dbIn([{ toPorts: [{ ports: [{ port: "http", endPort: 90 }] }] }]), field: "spec.ingress[0].toPorts[0].ports[0].endPort", reason: /^may only be used with a numeric port$/ },
    { name: "endPort below port", object: dbIn([{ toPorts: [{ ports: [{ port: "9100", endPort: 9000 }] }] }]), field: "spec.ingress[0].toPorts[0].ports[0].endPort", reason: /^must be greater than or equal to port \(9100\)$/ },
    { name: "a port that is neither a number nor a name", object: dbIn([{ toPorts: [{ ports: [{ port: "http-$" }] }] }]), field: "spec.ingress[0].toPorts[0].ports[0].port", reason: /^"http-\$" is neither a port number nor a valid port name$/ },
    { name: "an unknown protocol", object: dbIn([{ toPorts: [{ ports: [{ port: "80", protocol: "ICMP" }] }] }]), field: "spec.ingress[0].toPorts[0].ports[0].protocol", reason: /^unsupported protocol "ICMP": must be TCP, UDP, SCTP or ANY$/ },
    { name: "a port entry that is not an object", object: dbIn([{ toPorts: [{ ports: ["80"] }] }]), field: "spec.ingress[0].toPorts[0].ports[0]", reason: /^must be an object$/ },
    { name: "a rule that is not an object", object: dbIn(["all"]), field: "spec.ingress[0]", reason: /^must be an object$/ },
    { name: "an unknown rule field", object: dbIn([{ fromPods: [{}] }]), field: "spec.ingress[0].fromPods", reason: /^unknown field$/ },
    { name: "a toCIDRSet entry that is not an object", object: webOut([{ toCIDRSet: ["10.0.0.0/8"] }]), field: "spec.egress[0].toCIDRSet[0]", reason: /^must be an object$/ },
    { name: "an unknown spec field", object: cnp("a", "db-in", { endpointSelector: {}, ingres: [] }), field: "spec.ingres", reason: /^unknown field$/ },
    { name: "neither spec nor specs", object: { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: "db-in", namespace: "a" } }, field: "spec", reason: /^is required \(spec or specs\)$/ },
];

describe("analysis: invalid CiliumNetworkPolicy fields", () => {
    for (const c of invalid) {
        it(`rejects ${c.name}, naming the field`, () => {
            assert.throws(() => analyze([...base(), c.object], cilium()), (e: unknown) => {
                assert.ok(e instanceof AnalysisError, `AnalysisError, got ${String(e)}`);
                assert.match(e.object, /CiliumNetworkPolicy a\/(db-in|web-out)/);
                assert.strictEqual(e.field, c.field);
                assert.match(e.reason, c.reason);
                return true;
            });
        });
    }
});
