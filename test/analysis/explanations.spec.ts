/**
 * The words of `canReach`'s explanation (netpol explain prints them): which rule and peer let a
 * connection through, why a matching peer did not help (its ports, a named port resolved against the
 * destination's container ports), and the connections no policy governs. Grids by hand, as in
 * semantics.spec.ts.
 */
import { Case, check, cnp, np, ns, Obj, pod, sel } from "./helpers";

const base = (): Obj[] => [
    ns("a"),
    pod("a/web", { app: "web" }, [{ name: "http", port: 8080 }], "10.0.1.1"),
    pod("a/db", { app: "db" }, [{ name: "pg", port: 5432 }, { name: "dns", port: 53, protocol: "UDP" }], "10.0.1.2"),
    pod("a/bare", { app: "bare" }, [], "10.0.1.3"),
];
const E = ["a/web", "a/db", "a/bare"];

const cases: Case[] = [
    {
        name: "a rule without peers admits every source, and says so",
        objects: [...base(), np("a", "db-in", { podSelector: sel({ app: "db" }), policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 5432 }] }] })],
        endpoints: E,
        expect: { "5432/TCP": ["X X X", "X X X", "X X X"], "80/TCP": ["X . X", "X X X", "X . X"] },
        explains: [
            ["a/web", "a/db", "5432/TCP", "every source (no from peers)"],
            ["a/web", "a/db", "80/TCP", "peer matches but 80/TCP is not among its ports (5432/TCP)"],
        ],
    },
    {
        name: "an egress rule without peers reaches every destination, and says so",
        objects: [...base(), np("a", "web-out", { podSelector: sel({ app: "web" }), policyTypes: ["Egress"], egress: [{ ports: [{ port: 5432 }] }] })],
        endpoints: E,
        expect: { "5432/TCP": ["X X X", "X X X", "X X X"] },
        explains: [["a/web", "a/db", "5432/TCP", "every destination (no to peers)"]],
    },
    {
        name: "a named port that does not resolve names the destination's container ports, or none",
        objects: [...base(), np("a", "all-in", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: "metrics" }] }] })],
        endpoints: E,
        expect: { "5432/TCP": ["X . .", ". X .", ". . X"] },
        explains: [
            ["a/web", "a/db", "5432/TCP", "peer matches but 5432/TCP is not among its ports (named port metrics/TCP); named ports resolve against a/db's container ports (pg=5432/TCP, dns=53/UDP)"],
            ["a/web", "a/bare", "5432/TCP", "named ports resolve against a/bare's container ports (none)"],
        ],
    },
    {
        name: "a connection between two outside endpoints is governed by no policy",
        objects: [...base(), np("a", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
        options: { externals: { internet: "203.0.113.9", partner: "198.51.100.7" } },
        endpoints: ["a/web", "internet", "partner"],
        expect: { "443/TCP": ["X . .", ". X X", ". X X"] },
        explains: [["internet", "partner", "443/TCP", "Neither internet nor partner is a pod: no policy governs this connection, so nothing blocks it."]],
    },
    {
        name: "on Cilium with a host policy, node traffic between non-pods is inconclusive, naming the policy",
        objects: [...base(), cnp("kube-system", "host-fw", { nodeSelector: {}, ingress: [{ fromEntities: ["cluster"] }] })],
        options: { dataplane: "cilium", externals: { internet: "203.0.113.9" } },
        endpoints: ["remote-node", "internet"],
        expect: { "443/TCP": ["? ?", "? X"] },
        explains: [["remote-node", "internet", "443/TCP", "Inconclusive: CiliumNetworkPolicy kube-system/host-fw: spec.nodeSelector: host policies are not evaluated"]],
        warnings: [/host-fw: spec\.nodeSelector/],
    },
];

describe("analysis: explanations (netpol explain)", () => {
    for (const c of cases) it(c.name, () => check(c));
});
