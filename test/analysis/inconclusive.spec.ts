/**
 * The third verdict: cells that depend on something the analyzer cannot know are inconclusive, and
 * only those. Unknown values (preview-time, passed as UnknownValue), namespaces whose labels the
 * input does not give, and the Cilium features it does not evaluate (see semantics.spec.ts for those).
 * Grids are written by hand: X allowed, . denied, ? inconclusive.
 */
import * as assert from "assert";
import { analyze, UnknownValue } from "../../policy-pack/analysis";
import { Case, check, cnp, np, ns, Obj, pod, sel } from "./helpers";

const U = (path: string): UnknownValue => new UnknownValue(path);
const E = ["a/web", "a/db", "b/web", "outside"];
const base = (): Obj[] => [
    ns("a", { team: "x" }),
    ns("b", { team: "y" }),
    pod("a/web", { app: "web" }, [{ name: "http", port: 8080 }], "10.0.1.1"),
    pod("a/db", { app: "db" }, [{ name: "pg", port: 5432 }], "10.0.1.2"),
    pod("b/web", { app: "web" }, [{ name: "http", port: 80 }], "10.0.2.1"),
];
const ext = { outside: "203.0.113.9" };
const dbPolicy = (spec: Obj): Obj => np("a", "db", { podSelector: sel({ app: "db" }), ...spec });

const cases: Case[] = [
    {
        name: "an unknown ipBlock CIDR in ingress and egress [{}]: egress is certainly open, ingress only from what a CIDR could match is inconclusive",
        objects: [...base(), dbPolicy({ policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ ipBlock: { cidr: U(".spec.ingress.0.from.0.ipBlock.cidr") } }] }], egress: [{}] })],
        options: { externals: ext },
        endpoints: E,
        // kubernetes: an ipBlock may match pod IPs and outside addresses
        expect: { "5432/TCP": ["X ? X X", "X X X X", "X ? X X", "X ? X X"] },
        explains: [["outside", "a/db", "5432/TCP", "NetworkPolicy a/db: spec.ingress[0].from[0].ipBlock.cidr is unknown until the update"]],
        warnings: [/NetworkPolicy a\/db: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr is unknown/],
    },
    {
        name: "the same on Cilium: a CIDR never selects pods, so only the outside address is inconclusive",
        objects: [...base(), dbPolicy({ policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ ipBlock: { cidr: U("cidr") } }] }], egress: [{}] })],
        options: { dataplane: "cilium", externals: ext },
        endpoints: E,
        expect: { "5432/TCP": ["X . X X", "X X X X", "X . X X", "X ? X X"] },
        warnings: [/ipBlock\.cidr is unknown/],
    },
    {
        name: "an unknown peer among known ones: a known matching peer still certainly allows",
        objects: [...base(), dbPolicy({ policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: sel({ app: "web" }) }, U("peer")] }] })],
        options: { externals: ext },
        endpoints: E,
        expect: { "5432/TCP": ["X X X X", "X X X X", "X ? X X", "X ? X X"] },
        warnings: [/spec\.ingress\[0\]\.from\[1\] is unknown/],
    },
    {
        name: "an unknown port: the rule may allow any port of its protocol, never another protocol",
        objects: [...base(), dbPolicy({ policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: sel({ app: "web" }) }], ports: [{ port: U("port"), protocol: "TCP" }] }] })],
        endpoints: ["a/web", "a/db"],
        expect: { "5432/TCP": ["X ?", "X X"], "5432/UDP": ["X .", "X X"] },
        warnings: [/ports\[0\]\.port is unknown/],
    },
    {
        name: "unknown policyTypes: the policy may isolate either direction, and its rules may or may not count",
        objects: [...base(), dbPolicy({ policyTypes: U("types"), ingress: [{ from: [{ podSelector: sel({ app: "web" }) }] }] })],
        options: { externals: ext },
        endpoints: E,
        // Whether the rule counts depends on the same unknown list, so even a/web's cell is inconclusive.
        expect: { "5432/TCP": ["X ? X X", "? X ? ?", "X ? X X", "X ? X X"] },
        warnings: [/spec\.policyTypes is unknown/],
    },
    {
        name: "an unknown namespace: the policy may select its pods in any namespace",
        objects: [...base(), { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny-web", namespace: U("ns") }, spec: { podSelector: sel({ app: "web" }), policyTypes: ["Ingress"] } }],
        options: { externals: ext },
        endpoints: E,
        expect: { "80/TCP": ["X X ? X", "? X ? X", "? X X X", "? X ? X"] },
        warnings: [/NetworkPolicy <namespace unknown>\/deny-web: metadata\.namespace is unknown until the update, so the policy may select pods of any namespace/],
    },
    {
        name: "an unknown spec: every pod of the namespace may be isolated and allowed anything",
        objects: [...base(), { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "x", namespace: "b" }, spec: U("spec") }],
        options: { externals: ext },
        endpoints: E,
        expect: { "80/TCP": ["X X ? X", "X X ? X", "? ? X ?", "X X ? X"] },
        warnings: [/NetworkPolicy b\/x: spec is unknown/],
    },
    {
        name: "an unknown podSelector in a peer may match pods of the policy's namespace only",
        objects: [...base(), dbPolicy({ policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: U("app") } } }] }] })],
        options: { externals: ext },
        endpoints: E,
        expect: { "5432/TCP": ["X ? X X", "X X X X", "X . X X", "X . X X"] },
        warnings: [/podSelector\.matchLabels\["app"\] is unknown/],
    },
    {
        name: "a namespaceSelector on labels of a namespace with no Namespace object is inconclusive for its pods; by name it is exact",
        objects: [
            ns("a", { team: "x" }),
            pod("a/db", { app: "db" }, [], "10.0.1.2"),
            pod("c/web", { app: "web" }, [], "10.0.3.1"),
            pod("d/web", { app: "web" }, [], "10.0.4.1"),
            dbPolicy({ policyTypes: ["Ingress"], ingress: [
                { from: [{ namespaceSelector: sel({ team: "y" }) }], ports: [{ port: 5432 }] },
                { from: [{ namespaceSelector: sel({ "kubernetes.io/metadata.name": "d" }) }], ports: [{ port: 6432 }] },
            ] }),
        ],
        endpoints: ["a/db", "c/web", "d/web"],
        expect: { "5432/TCP": ["X X X", "? X X", "? X X"], "6432/TCP": ["X X X", ". X X", "X X X"] },
        explains: [["c/web", "a/db", "5432/TCP", "namespace c: no Namespace object in the input"]],
        warnings: [/^namespace c: no Namespace object/, /^namespace d: no Namespace object/],
    },
    {
        name: "a Namespace whose label value is unknown: selectors on that label are inconclusive, on others exact",
        objects: [
            ns("a", { team: "x" }),
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "b", labels: { team: U("team"), env: "prod" } } },
            pod("a/db", { app: "db" }, [], "10.0.1.2"),
            pod("b/web", { app: "web" }, [], "10.0.2.1"),
            dbPolicy({ policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: sel({ team: "y" }) }], ports: [{ port: 5432 }] }, { from: [{ namespaceSelector: sel({ env: "dev" }) }], ports: [{ port: 6432 }] }] }),
        ],
        endpoints: ["a/db", "b/web"],
        expect: { "5432/TCP": ["X X", "? X"], "6432/TCP": ["X X", ". X"] },
        warnings: [/Namespace b: metadata\.labels\["team"\] is unknown/],
    },
    {
        name: "an unknown Cilium entity list and an unknown toPorts",
        objects: [
            ...base(),
            cnp("a", "web-out", { endpointSelector: sel({ app: "web" }), egress: [{ toEntities: U("entities"), toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }] }),
            cnp("a", "db-in", { endpointSelector: sel({ app: "db" }), ingress: [{ fromEntities: ["world"], toPorts: U("ports") }] }),
        ],
        options: { dataplane: "cilium", externals: ext },
        endpoints: E,
        // a/db's ingress admits the world only, so a/web -> a/db is denied whatever a/web's egress is.
        expect: { "443/TCP": ["X . ? ?", "X X X X", "X . X X", "X ? X X"], "80/TCP": ["X . . .", "X X X X", "X . X X", "X ? X X"] },
        warnings: [/toEntities is unknown/, /toPorts is unknown/],
    },
];

describe("analysis: inconclusive verdicts (hand-written matrices)", () => {
    for (const c of cases) it(c.name, () => check(c));

    it("a warning is listed once however many cells depend on it", () => {
        const objects = [...base(), ...Array.from({ length: 5 }, (_, i) => pod(`c/p${i}`, { app: "x" }, [], `10.0.5.${i + 1}`)),
            dbPolicy({ policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: sel({ team: "y" }) }] }] })];
        const a = analyze(objects);
        const m = a.matrix([{ port: 5432, protocol: "TCP" }]);
        const inconclusive = Object.values(m["5432/TCP"]).filter((row) => row["a/db"] === "inconclusive").length;
        assert.strictEqual(inconclusive, 5);
        assert.deepStrictEqual(a.warnings.filter((w) => w.startsWith("namespace c:")).length, 1);
    });

    it("a cell that does not depend on the unknown stays decided, and says nothing about it", () => {
        const a = analyze([...base(), dbPolicy({ policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: U("c") } }] }] })], { externals: ext });
        const v = a.canReach("a/web", "b/web", { port: 80, protocol: "TCP" });
        assert.strictEqual(v.status, "allowed");
        assert.deepStrictEqual(v.inconclusive, []);
    });
});
