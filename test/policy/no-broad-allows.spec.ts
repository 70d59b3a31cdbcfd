/**
 * Rule no-broad-allows, case by case: each peer form (Kubernetes and Cilium), each port form, the
 * ingress-controller exception and each unknown part, with the words the message must carry.
 *
 * Semantics the cases rely on:
 * - Kubernetes NetworkPolicy: an empty or absent `from`/`to` means every peer, absent `ports` every
 *   port, a port without `protocol` is TCP, `endPort` opens a range; `podSelector` alone selects pods
 *   of the policy's own namespace (kubernetes.io/docs/concepts/services-networking/network-policies/).
 * - CiliumNetworkPolicy: a rule with no peer field (only `toPorts`) applies to every peer; a port
 *   without protocol is ANY (TCP, UDP and SCTP); port "0" is every port (cilium/cilium
 *   pkg/policy/api/l4.go, PortProtocol; docs.cilium.io "Layer 4 Examples").
 */
import * as assert from "node:assert/strict";
import type { PackConfig } from "../../policy-pack/config";
import { DEFAULTS } from "../../policy-pack/config";
import { coversAllAddresses } from "../../policy-pack/rules/08-no-broad-allows";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { expectClean, expectUndecided, expectViolations, k, runRule, UNKNOWN, violations } from "./helpers";

const IC = DEFAULTS.endpoints[DEFAULTS.ingressControllerEndpoint];
const icSel = { matchLabels: IC.labels };
const world = { ipBlock: { cidr: "0.0.0.0/0" } };
const PUBLIC = DEFAULTS.publicIngressPorts.join(", ");
const BROAD_OUT = DEFAULTS.allowedBroadEgressPorts.join(", ");

const egress = (ns: string, name: string, rule: Record<string, unknown>, podSelector: unknown = {}): PlanResource =>
    k.networkPolicy(ns, name, { podSelector, policyTypes: ["Egress"], egress: [rule] });
const ingress = (ns: string, name: string, rule: Record<string, unknown>, podSelector: unknown = {}): PlanResource =>
    k.networkPolicy(ns, name, { podSelector, policyTypes: ["Ingress"], ingress: [rule] });
const cnpEgress = (name: string, rule: unknown): PlanResource => k.cnp("a", name, { endpointSelector: {}, egress: [rule] });
const tcp = (port: number) => ({ port, protocol: "TCP" });

type Expect = "clean" | { violation: string[]; not?: string[] } | { undecided: string[] };
interface Case { why: string; policy: PlanResource; cfg?: Partial<PackConfig>; expect: Expect }

async function check(c: Case): Promise<void> {
    const r = await runRule("no-broad-allows", [c.policy], c.cfg ?? {});
    if (c.expect === "clean") return expectClean(r);
    if ("undecided" in c.expect) {
        assert.equal(violations(r).length, 0, r.findings.map((f) => f.message).join("\n"));
        return expectUndecided(r, ...c.expect.undecided);
    }
    const [v] = expectViolations(r, 1, ...c.expect.violation);
    for (const absent of c.expect.not ?? []) assert.ok(!v.message.includes(absent), `"${absent}" in ${v.message}`);
}

describe("no-broad-allows: Kubernetes peers", () => {
    const cases: Case[] = [
        { why: "a podSelector alone is the policy's own namespace: all ports from it is fine", policy: ingress("a", "same-ns", { from: [{ podSelector: {} }] }), expect: "clean" },
        { why: "every namespace's labelled pods are not every pod", policy: egress("a", "labelled", { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "db" } } }], ports: [tcp(5432)] }), expect: "clean" },
        { why: "every pod of every namespace on a private port is broad", policy: egress("a", "every-pod", { to: [{ namespaceSelector: {} }], ports: [tcp(5432)] }),
            expect: { violation: ["NetworkPolicy a/every-pod", "egress[0] opens 5432/TCP to every pod of every namespace", `only ${BROAD_OUT} may go to any address`] } },
        { why: "every pod plus every address, on all ports, is the same as no peer", policy: egress("a", "both", { to: [{ namespaceSelector: {} }, world] }),
            expect: { violation: ["egress[0] allows all destinations on all ports", "Fix: name the destinations (podSelector/namespaceSelector) and the ports in egress[0]"] } },
        { why: "all sources to all ports names the sources in the fix", policy: ingress("a", "open", {}),
            expect: { violation: ["ingress[0] allows all sources to all ports", "Fix: name the sources (podSelector/namespaceSelector) and the ports in ingress[0], or list \"a/open\" in broadAllowExceptions"] } },
        { why: "no peer but a port: that port from every address", policy: ingress("a", "any-source", { ports: [tcp(8080)] }),
            expect: { violation: ["ingress[0] opens 8080/TCP to every address, and the policy does not select the ingress controller's pods"] } },
        { why: "two /1 blocks add up to every address", policy: egress("a", "halves", { to: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }], ports: [tcp(5432)] }),
            expect: { violation: ["egress[0] opens 5432/TCP to ipBlocks covering 0.0.0.0/0"] } },
        { why: "an except in one half leaves a hole", policy: egress("a", "holed", { to: [{ ipBlock: { cidr: "0.0.0.0/1", except: ["10.0.0.0/8"] } }, { ipBlock: { cidr: "128.0.0.0/1" } }], ports: [tcp(5432)] }), expect: "clean" },
        { why: "a port without protocol is TCP; an endPort opens a range", policy: egress("a", "range", { to: [world], ports: [{ port: 443 }, { port: 1000, endPort: 2000, protocol: "udp" }] }),
            expect: { violation: ["egress[0] opens 1000-2000/UDP to 0.0.0.0/0"], not: ["443/TCP,"] } },
        { why: "a port entry without a port is every port", policy: egress("a", "all-tcp", { to: [world], ports: [{ protocol: "TCP" }] }),
            expect: { violation: ["egress[0] opens all ports to 0.0.0.0/0"] } },
        { why: "0.0.0.0/0 egress on 80 is broad even from the ingress controller (80 is public only inbound)", policy: egress("nginx-ingress", "out-80", { to: [world], ports: [tcp(80)] }, icSel),
            expect: { violation: ["egress[0] opens 80/TCP to 0.0.0.0/0"] } },
        { why: "a podSelector alone stays in its namespace even when its labels are unknown", policy: egress("a", "own", { to: [{ podSelector: { matchLabels: { app: UNKNOWN } } }], ports: [tcp(5432)] }), expect: "clean" },
        { why: "the allowed broad egress ports are listed in the message", policy: egress("a", "db", { to: [world], ports: [tcp(5432)] }), cfg: { allowedBroadEgressPorts: ["443/TCP", "53/UDP"] },
            expect: { violation: ["egress[0] opens 5432/TCP to 0.0.0.0/0; only 443/TCP, 53/UDP may go to any address"] } },
        { why: "all ports from every address into other pods", policy: ingress("a", "all", { from: [world] }),
            expect: { violation: ["ingress[0] opens all ports to 0.0.0.0/0, and the policy does not select the ingress controller's pods"] } },
        { why: "several ports from every address into other pods", policy: ingress("a", "web", { from: [world], ports: [tcp(80), tcp(443)] }),
            expect: { violation: ["ingress[0] opens 80/TCP, 443/TCP to 0.0.0.0/0, and the policy does not select"] } },
        { why: "with no broad egress port configured the message says so", policy: egress("a", "https", { to: [world], ports: [tcp(443)] }), cfg: { allowedBroadEgressPorts: [] },
            expect: { violation: ["only no ports may go to any address"] } },
    ];
    for (const c of cases) it(c.why, () => check(c));
});

describe("no-broad-allows: the ingress controller's public ports", () => {
    const fromWorld = (ns: string, podSelector: unknown, ports?: unknown[]) => ingress(ns, "public", ports ? { from: [world], ports } : { from: [world] }, podSelector);
    const cases: Case[] = [
        { why: "its own pods on 80 and 443 are public", policy: fromWorld(IC.namespace, icSel, [tcp(80), tcp(443)]), expect: "clean" },
        { why: "selected by matchExpressions only, still its own pods", policy: fromWorld(IC.namespace, { matchExpressions: Object.entries(IC.labels).map(([key, v]) => ({ key, operator: "In", values: [v] })) }, [tcp(443)]), expect: "clean" },
        { why: "every pod of its namespace includes the ACME solver pods", policy: fromWorld(IC.namespace, {}, [tcp(443)]),
            expect: { violation: ["does not select the ingress controller's pods"] } },
        { why: "other pods of its namespace", policy: fromWorld(IC.namespace, { matchLabels: { app: "solver" } }, [tcp(443)]),
            expect: { violation: ["does not select the ingress controller's pods"] } },
        { why: "the controller's labels in another namespace are other pods", policy: fromWorld("a", icSel, [tcp(443)]),
            expect: { violation: ["does not select the ingress controller's pods"] } },
        { why: "all ports into the controller: only the public ones may be", policy: fromWorld(IC.namespace, icSel),
            expect: { violation: [`ingress[0] opens all ports to 0.0.0.0/0; only ${PUBLIC} may be public`] } },
        { why: "an unknown selector and a public port: depends on the selector", policy: fromWorld(IC.namespace, { matchLabels: { app: UNKNOWN } }, [tcp(443)]),
            expect: { undecided: ["ingress[0] opens 443/TCP to 0.0.0.0/0; whether that is allowed depends on the policy's namespace or podSelector (unknown until the update)"] } },
        { why: "an unknown selector and a private port: no policy may open it", policy: fromWorld(IC.namespace, { matchLabels: { app: UNKNOWN } }, [tcp(8081)]),
            expect: { violation: ["ingress[0] opens 8081/TCP to 0.0.0.0/0, which no policy may make public"] } },
        { why: "no podSelector at all is every pod of its namespace", policy: k.networkPolicy(IC.namespace, "public", { policyTypes: ["Ingress"], ingress: [{ from: [world], ports: [tcp(443)] }] }),
            expect: { violation: ["does not select the ingress controller's pods"] } },
        { why: "each private port into the controller is named", policy: fromWorld(IC.namespace, icSel, [tcp(8081), tcp(9113)]),
            expect: { violation: [`ingress[0] opens 8081/TCP, 9113/TCP to 0.0.0.0/0; only ${PUBLIC} may be public`] } },
        { why: "each private port behind an unknown selector is named", policy: fromWorld(IC.namespace, { matchLabels: { app: UNKNOWN } }, [tcp(8081), tcp(9113)]),
            expect: { violation: ["ingress[0] opens 8081/TCP, 9113/TCP to 0.0.0.0/0, which no policy may make public"] } },
        { why: "egress of the controller's namespace does not depend on whether it selects the controller", policy: egress(IC.namespace, "out", { to: [world], ports: [{ port: UNKNOWN }] }, { matchLabels: { app: UNKNOWN } }),
            expect: { undecided: ["egress[0] opens ports unknown until the update to 0.0.0.0/0; whether that is allowed depends on .spec.egress.0.ports.0.port (unknown until the update)"] } },
        { why: "a CiliumNetworkPolicy selects the controller through endpointSelector", policy: k.cnp(IC.namespace, "public", { endpointSelector: icSel, ingress: [{ fromEntities: ["world"], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }] }), expect: "clean" },
    ];
    for (const c of cases) it(c.why, () => check(c));
});

describe("no-broad-allows: Cilium peers and ports", () => {
    const ports = (...list: Record<string, unknown>[]) => [{ ports: list }];
    const cases: Case[] = [
        { why: "a rule with only toPorts applies to every destination", policy: cnpEgress("ports-only", { toPorts: ports({ port: "5432", protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens 5432/TCP to every address"] } },
        { why: "toEndpoints without toPorts is every port to those pods only", policy: cnpEgress("endpoints", { toEndpoints: [{ matchLabels: { app: "db" } }] }), expect: "clean" },
        { why: "fromEntities world on a private port", policy: k.cnp("a", "in", { endpointSelector: {}, ingress: [{ fromEntities: ["world"], toPorts: ports({ port: "5432", protocol: "TCP" }) }] }),
            expect: { violation: ["ingress[0] opens 5432/TCP to fromEntities: world"] } },
        { why: "toCIDR 0.0.0.0/0", policy: cnpEgress("cidr", { toCIDR: ["0.0.0.0/0"], toPorts: ports({ port: "5432", protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens 5432/TCP to 0.0.0.0/0"] } },
        { why: "toCIDRSet 0.0.0.0/0 with an except is still the internet", policy: cnpEgress("cidrset", { toCIDRSet: [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }], toPorts: ports({ port: "5432", protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens 5432/TCP to 0.0.0.0/0"] } },
        { why: "of two catch-alls the message names the one without an except", policy: cnpEgress("two", { toCIDRSet: [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }, { cidr: "::/0" }], toPorts: ports({ port: "5432", protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens 5432/TCP to ::/0"] } },
        { why: "toCIDRSet halves add up", policy: cnpEgress("halves", { toCIDRSet: [{ cidr: "0.0.0.0/1" }, { cidr: "128.0.0.0/1" }], toPorts: ports({ port: "5432", protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens 5432/TCP to CIDRs covering 0.0.0.0/0"] } },
        { why: "toCIDRSet halves with a hole", policy: cnpEgress("holed", { toCIDRSet: [{ cidr: "0.0.0.0/1", except: ["10.0.0.0/8"] }, { cidr: "128.0.0.0/1" }], toPorts: ports({ port: "5432", protocol: "TCP" }) }), expect: "clean" },
        { why: "a CIDR group reference names no addresses the rule can judge", policy: cnpEgress("group", { toCIDRSet: [{ cidrGroupRef: "partners" }], toPorts: ports({ port: "5432", protocol: "TCP" }) }), expect: "clean" },
        { why: "a malformed rule entry (not an object) is not judged broad", policy: cnpEgress("malformed", "everything"), expect: "clean" },
        { why: "world on 443/TCP is an allowed broad egress port", policy: cnpEgress("https", { toEntities: ["world"], toPorts: ports({ port: "443", protocol: "tcp" }) }), expect: "clean" },
        { why: "a port without protocol is ANY: UDP and SCTP too", policy: cnpEgress("any", { toEntities: ["world"], toPorts: ports({ port: "443" }) }),
            expect: { violation: ["egress[0] opens 443/UDP, 443/SCTP to toEntities: world"], not: ["443/TCP to"] } },
        { why: "port 0 is every port", policy: cnpEgress("zero", { toEntities: ["world"], toPorts: ports({ port: "0", protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens all ports to toEntities: world"] } },
        { why: "a port entry without a port is every port", policy: cnpEgress("no-port", { toEntities: ["world"], toPorts: ports({ protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens all ports to toEntities: world"] } },
        { why: "a toPorts entry without ports is every port", policy: cnpEgress("empty", { toEntities: ["world"], toPorts: [{}] }),
            expect: { violation: ["egress[0] opens all ports to toEntities: world"] } },
        { why: "an endPort opens a range beyond the allowed port", policy: cnpEgress("range", { toEntities: ["world"], toPorts: ports({ port: "443", endPort: 445, protocol: "TCP" }) }),
            expect: { violation: ["egress[0] opens 443-445/TCP to toEntities: world"] } },
    ];
    for (const c of cases) it(c.why, () => check(c));
});

describe("no-broad-allows: unknown at preview", () => {
    const withMetadata = (policy: PlanResource, metadata: unknown): PlanResource => ({ ...policy, props: { ...policy.props, metadata } });
    const cases: Case[] = [
        { why: "a whole rule entry", policy: k.networkPolicy("a", "u", { podSelector: {}, ingress: [UNKNOWN] }),
            expect: { undecided: ["NetworkPolicy a/u", "ingress[0] (.spec.ingress.0) is unknown until the update"] } },
        { why: "a whole peer list", policy: ingress("a", "u", { from: UNKNOWN, ports: [tcp(8080)] }),
            expect: { undecided: ["ingress[0] may open 8080/TCP to every address: .spec.ingress.0.from is unknown until the update"] } },
        { why: "one peer", policy: egress("a", "u", { to: [UNKNOWN], ports: [tcp(5432)] }),
            expect: { undecided: ["egress[0] may open 5432/TCP to every address: .spec.egress.0.to.0 is unknown until the update"] } },
        { why: "two peers: the message says are", policy: egress("a", "u", { to: [UNKNOWN, UNKNOWN], ports: [tcp(5432)] }),
            expect: { undecided: [".spec.egress.0.to.0, .spec.egress.0.to.1 are unknown until the update"] } },
        { why: "a peer's namespaceSelector", policy: egress("a", "u", { to: [{ namespaceSelector: UNKNOWN }], ports: [tcp(5432)] }),
            expect: { undecided: [".spec.egress.0.to.0.namespaceSelector is unknown"] } },
        { why: "a peer's podSelector beside an every-namespace selector", policy: egress("a", "u", { to: [{ namespaceSelector: {}, podSelector: UNKNOWN }], ports: [tcp(5432)] }),
            expect: { undecided: [".spec.egress.0.to.0.podSelector is unknown"] } },
        { why: "the ports list", policy: egress("a", "u", { to: [world], ports: UNKNOWN }),
            expect: { undecided: ["egress[0] opens ports unknown until the update to 0.0.0.0/0; whether that is allowed depends on .spec.egress.0.ports"] } },
        { why: "two port numbers", policy: egress("a", "u", { to: [world], ports: [{ port: UNKNOWN }, { port: UNKNOWN }] }),
            expect: { undecided: ["depends on .spec.egress.0.ports.0.port, .spec.egress.0.ports.1.port (unknown until the update)"] } },
        { why: "Cilium toPorts", policy: cnpEgress("u", { toEntities: ["world"], toPorts: UNKNOWN }),
            expect: { undecided: ["depends on .spec.egress.0.toPorts (unknown"] } },
        { why: "Cilium ports of one toPorts entry", policy: cnpEgress("u", { toEntities: ["world"], toPorts: [{ ports: UNKNOWN }] }),
            expect: { undecided: ["depends on .spec.egress.0.toPorts.0.ports (unknown"] } },
        { why: "a Cilium port number", policy: cnpEgress("u", { toEntities: ["world"], toPorts: [{ ports: [{ port: UNKNOWN, protocol: "TCP" }] }] }),
            expect: { undecided: ["depends on .spec.egress.0.toPorts.0.ports.0.port (unknown"] } },
        { why: "Cilium toCIDR", policy: cnpEgress("u", { toCIDR: UNKNOWN, toPorts: [{ ports: [tcp(5432)] }] }),
            expect: { undecided: [".spec.egress.0.toCIDR is unknown"] } },
        { why: "one Cilium CIDR", policy: cnpEgress("u", { toCIDR: [UNKNOWN], toPorts: [{ ports: [tcp(5432)] }] }),
            expect: { undecided: [".spec.egress.0.toCIDR.0 is unknown"] } },
        { why: "Cilium toCIDRSet", policy: cnpEgress("u", { toCIDRSet: UNKNOWN, toPorts: [{ ports: [tcp(5432)] }] }),
            expect: { undecided: [".spec.egress.0.toCIDRSet is unknown"] } },
        { why: "a Cilium CIDR set's cidr", policy: cnpEgress("u", { toCIDRSet: [{ cidr: UNKNOWN }], toPorts: [{ ports: [tcp(5432)] }] }),
            expect: { undecided: [".spec.egress.0.toCIDRSet.0.cidr is unknown"] } },
        { why: "Cilium entities", policy: cnpEgress("u", { toEntities: UNKNOWN, toPorts: [{ ports: [tcp(5432)] }] }),
            expect: { undecided: [".spec.egress.0.toEntities is unknown"] } },
        { why: "the spec", policy: { ...k.networkPolicy("a", "u", {}), props: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "u", namespace: "a" }, spec: UNKNOWN } },
            expect: { undecided: [".spec is unknown until the update, so whether its rules are broad cannot be decided"] } },
        { why: "the ingress list", policy: k.networkPolicy("a", "u", { podSelector: {}, ingress: UNKNOWN }),
            expect: { undecided: [".spec.ingress is unknown until the update, so whether its ingress rules are broad cannot be decided"] } },
        { why: "the whole metadata, when an exception could match", policy: withMetadata(ingress("a", "open", {}), UNKNOWN), cfg: { broadAllowExceptions: ["legacy/*"] },
            expect: { undecided: ["ingress[0] allows all sources to all ports, unless it is in broadAllowExceptions (.metadata, .metadata unknown)"] } },
    ];
    for (const c of cases) it(c.why, () => check(c));
    it("an unknown namespace or name: the fix names it with *, and only a pattern whose * covers it excepts it", async () => {
        const open = (meta: Record<string, unknown>) => withMetadata(ingress("a", "open", {}), meta);
        expectViolations(await runRule("no-broad-allows", [open({ name: "open", namespace: UNKNOWN })]), 1, `or list "*/open" in broadAllowExceptions`);
        expectViolations(await runRule("no-broad-allows", [open({ name: UNKNOWN, namespace: "a" })]), 1, `or list "a/*" in broadAllowExceptions`);
        expectClean(await runRule("no-broad-allows", [open({ name: "open", namespace: UNKNOWN })], { broadAllowExceptions: ["*/open"] }));
        expectUndecided(await runRule("no-broad-allows", [open({ name: "open", namespace: UNKNOWN })], { broadAllowExceptions: ["legacy*/open"] }), "unless it is in broadAllowExceptions (.metadata.namespace unknown)");
    });
    it("a policy without a namespace is in `default`, for exceptions too", async () => {
        const open = withMetadata(ingress("a", "open", {}), { name: "open" });
        expectViolations(await runRule("no-broad-allows", [open]), 1, "all sources to all ports");
        expectClean(await runRule("no-broad-allows", [open], { broadAllowExceptions: ["default/open"] }));
    });
    it("only network policies are judged", async () => {
        const lookalike = { ...ingress("a", "open", {}), type: "kubernetes:core/v1:ConfigMap" };
        expectClean(await runRule("no-broad-allows", [lookalike]));
    });
});

describe("no-broad-allows: address unions at the edges", () => {
    const b = (cidr: string, ...except: string[]) => ({ cidr, except });
    const cases: [string, { cidr: string; except: string[] }[], string | undefined][] = [
        ["one IPv6 half alone does not cover IPv6", [b("::/1")], undefined],
        ["an IPv6 except does not cut an IPv4 block", [b("0.0.0.0/0", "::/1")], "0.0.0.0/0"],
        ["blocks given in reverse order", [b("192.0.0.0/2"), b("128.0.0.0/2"), b("64.0.0.0/2"), b("0.0.0.0/2")], "0.0.0.0/0"],
        ["a block inside an earlier one does not shorten the covered range", [b("0.0.0.0/0"), b("10.0.0.0/8")], "0.0.0.0/0"],
        ["missing only the last address", [b("0.0.0.0/0", "255.255.255.255/32")], undefined],
        ["an except outside its block (below) removes nothing else", [b("128.0.0.0/1", "10.0.0.0/8"), b("0.0.0.0/4")], undefined],
        ["an except outside its block (above) removes nothing else", [b("0.0.0.0/1", "200.0.0.0/8"), b("200.0.0.0/5"), b("208.0.0.0/4"), b("224.0.0.0/3")], undefined],
        ["an except at the start of a block, refilled", [b("0.0.0.0/0", "0.0.0.0/8"), b("0.0.0.0/8")], "0.0.0.0/0"],
        ["the first two addresses of an except left open", [b("0.0.0.0/0", "10.0.0.0/8"), b("10.0.0.0/8", "10.0.0.0/31")], undefined],
        ["an except outside its block keeps the whole block", [b("0.0.0.0/1"), b("128.0.0.0/1", "10.0.0.0/8")], "0.0.0.0/0"],
        ["an except sharing only the block's first address still removes it", [b("0.0.0.0/0", "10.0.0.0/8"), b("10.0.0.0/8", "10.0.0.0/32")], undefined],
        ["a range reaching one address further extends the cover", [b("0.0.0.0/1", "127.255.255.255/32"), b("127.255.255.254/31"), b("128.0.0.0/1")], "0.0.0.0/0"],
        ["the last two addresses of an except left open", [b("0.0.0.0/0", "10.0.0.0/8"), b("10.0.0.0/8", "10.255.255.254/31")], undefined],
    ];
    for (const [why, blocks, expected] of cases) it(why, () => assert.strictEqual(coversAllAddresses(blocks), expected));
});
