/**
 * Rule required-flows in detail: which side closes a flow, how an Ingress backend becomes a probe
 * (Service port → container port), PodMonitor scrapes, and the app-isolation report.
 *
 * Kubernetes facts the cases rely on: a Service's named targetPort resolves to the container port
 * with that name and the Service port's protocol (kubernetes/kubernetes pkg/api/v1/pod/util.go,
 * FindPort); a Service without a selector has no pods of its own (docs: "Services without
 * selectors"); a PodMonitor without namespaceSelector selects pods in its own namespace
 * (prometheus-operator Documentation/api-reference PodMonitorSpec).
 */
import * as assert from "node:assert/strict";
import type { PackConfig } from "../../policy-pack/config";
import { DEFAULTS, METRICS_COLLECTOR_ENDPOINT } from "../../policy-pack/config";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { expectClean, expectUndecided, expectViolations, k, resource, runRule, undecided, UNKNOWN, violations } from "./helpers";
import { app, CFG, IC_LABELS, ingressController, nsSel, WEBHOOK_LABELS } from "./reach-stacks";

const IC_ID = `${DEFAULTS.endpoints[DEFAULTS.ingressControllerEndpoint].namespace}/${DEFAULTS.ingressControllerEndpoint}`;
const LABELS = { "app.kubernetes.io/name": "shop" };

/** Namespace shop: one Deployment with ports http 8080 and admin 9090, a Service over both, ingress from the controller on 8080 only. */
function shop(opts: { service?: Record<string, unknown>; ingress?: Record<string, unknown>; extra?: PlanResource[] } = {}): PlanResource[] {
    return [
        k.namespace("shop", { "aks-platform/role": "app" }), k.defaultDeny("shop"), k.allowDns("shop"),
        // 7070 has no name: a lookup by an absent port name must not land on it.
        k.deployment("shop", "shop", LABELS, [{ name: "http", containerPort: 8080 }, { name: "admin", containerPort: 9090 }, { containerPort: 7070 }]),
        k.service("shop", "shop", opts.service ?? { selector: LABELS, ports: [{ name: "web", port: 80, targetPort: "http" }, { name: "admin", port: 81, targetPort: 9090 }] }),
        k.ingress("shop", "shop", opts.ingress ?? { defaultBackend: { service: { name: "shop", port: { number: 80 } } } }),
        k.networkPolicy("shop", "from-ingress", { podSelector: { matchLabels: LABELS }, policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: nsSel("nginx-ingress"), podSelector: { matchLabels: IC_LABELS } }], ports: [{ port: 8080, protocol: "TCP" }] }] }),
        ...(opts.extra ?? []),
        ...ingressController(["shop"]).map((r) => r.name === "nginx-ingress-to-apps" ? widenToAllPorts(r) : r),
    ];
}

/** The controller's egress to the app namespaces on every port, so only the app side decides. */
function widenToAllPorts(r: PlanResource): PlanResource {
    const spec = r.props.spec as { egress: Record<string, unknown>[] };
    return { ...r, props: { ...r.props, spec: { ...spec, egress: spec.egress.map(({ to }) => ({ to })) } } };
}

const backend = (port: Record<string, unknown>, name = "shop") => ({ defaultBackend: { service: { name, port } } });

describe("required-flows: which side closes a flow", () => {
    it("only the controller's egress missing: closed at the source, reported on the source namespace", async () => {
        const rs = [...app("a"), ...ingressController([])];
        expectViolations(await runRule("required-flows", rs, CFG), 1, "Namespace nginx-ingress",
            `required flow ingress-controller-to-a-a (${IC_ID} → a/a on 8080/TCP) is closed at the source:`,
            "Fix: allow ingress to the pods of Service a/a from the ingress controller's pods on 8080/TCP, and egress from the controller to them");
    });
    it("both sides missing: closed at the source and destination, reported on the destination", async () => {
        const rs = [...app("a", { fromIngress: false }), ...ingressController([])];
        expectViolations(await runRule("required-flows", rs, CFG), 1, "Namespace a", "is closed at the source and destination:");
    });
});

describe("required-flows: Ingress backends", () => {
    it("a default backend by Service port number, resolved through a named targetPort, open", async () => expectClean(await runRule("required-flows", shop(), CFG)));
    it("a default backend on a port whose target is closed names that container port", async () => {
        expectViolations(await runRule("required-flows", shop({ ingress: backend({ number: 81 }) }), CFG), 1, "Namespace shop",
            `required flow ingress-controller-to-shop-shop (${IC_ID} → shop/shop on 9090/TCP) is closed at the destination`);
    });
    it("a backend by Service port name", async () => {
        expectViolations(await runRule("required-flows", shop({ ingress: backend({ name: "admin" }) }), CFG), 1, "shop/shop on 9090/TCP");
        expectClean(await runRule("required-flows", shop({ ingress: backend({ name: "web" }) }), CFG));
    });
    it("a backend port the Service lacks is not a network question", async () => expectClean(await runRule("required-flows", shop({ ingress: backend({ number: 82 }) }), CFG)));
    it("a Service port without targetPort targets its own port number", async () => {
        expectClean(await runRule("required-flows", shop({ service: { selector: LABELS, ports: [{ name: "direct", port: 8080 }] }, ingress: backend({ number: 8080 }) }), CFG));
        expectViolations(await runRule("required-flows", shop({ service: { selector: LABELS, ports: [{ name: "direct", port: 9090 }] }, ingress: backend({ number: 9090 }) }), CFG), 1, "shop/shop on 9090/TCP");
    });
    it("a backend without a Service name is undecided, naming what it looked for", async () => {
        const r = await runRule("required-flows", shop({ ingress: { defaultBackend: { service: { port: { number: 80 } } } } }), CFG);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "backend Service shop/ is not in the stack");
    });
    it("a backend Service outside the stack is undecided", async () => {
        const r = await runRule("required-flows", shop({ ingress: backend({ number: 80 }, "elsewhere") }), CFG);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "backend Service shop/elsewhere is not in the stack, so its pods are unknown");
    });
    it("a named targetPort resolves only to a container port of the Service port's protocol (FindPort)", async () => {
        const udp = { selector: LABELS, ports: [{ name: "web", port: 80, targetPort: "admin", protocol: "UDP" }] };
        expectClean(await runRule("required-flows", shop({ service: udp }), CFG));
        const tcp = { selector: LABELS, ports: [{ name: "web", port: 80, targetPort: "admin", protocol: "TCP" }] };
        expectViolations(await runRule("required-flows", shop({ service: tcp }), CFG), 1, "shop/shop on 9090/TCP");
    });
    it("a Service without a selector has no pods to check", async () => {
        expectClean(await runRule("required-flows", shop({ service: { ports: [{ name: "admin", port: 80, targetPort: 9090 }] } }), CFG));
    });
    it("only the Service's own pods: not other pods of its namespace, nor same-labelled pods elsewhere", async () => {
        const others = [k.deployment("shop", "worker", { role: "worker" }, [{ name: "http", containerPort: 8080 }]),
            k.namespace("copy"), k.defaultDeny("copy"), k.deployment("copy", "shop", LABELS, [{ name: "http", containerPort: 8080 }])];
        expectClean(await runRule("required-flows", shop({ extra: others }), CFG));
    });
});

describe("required-flows: PodMonitor scrapes by the metrics add-on", () => {
    const COLLECTOR = DEFAULTS.endpoints[METRICS_COLLECTOR_ENDPOINT];
    const cfg: Partial<PackConfig> = { ...CFG, endpoints: { ...CFG.endpoints, [METRICS_COLLECTOR_ENDPOINT]: COLLECTOR } };
    const podMonitor = (selector: Record<string, string>, port = "metrics") => resource("kubernetes:azmonitoring.coreos.com/v1:PodMonitor", "shop-scrape",
        { apiVersion: "azmonitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: "scrape", namespace: "shop" }, spec: { selector: { matchLabels: selector }, podMetricsEndpoints: [{ port }] } });
    const exporter = (ns: string, extra: PlanResource[] = []) => [k.namespace(ns), k.defaultDeny(ns), k.allowDns(ns),
        k.deployment(ns, "exporter", LABELS, [{ name: "metrics", containerPort: 9102 }]), ...extra];
    const fromCollector = k.networkPolicy("shop", "from-collector", { podSelector: { matchLabels: LABELS }, policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: nsSel(COLLECTOR.namespace), podSelector: { matchLabels: COLLECTOR.labels } }], ports: [{ port: 9102, protocol: "TCP" }] }] });
    const collectorId = `${COLLECTOR.namespace}/${METRICS_COLLECTOR_ENDPOINT}`;

    it("a closed scrape names the PodMonitor's pod and port", async () => {
        expectViolations(await runRule("required-flows", exporter("shop", [podMonitor(LABELS)]), cfg), 1, "Namespace shop",
            `required flow metrics-collector-to-shop-scrape (${collectorId} → shop/exporter on 9102/TCP) is closed at the destination`,
            "Fix: allow ingress to shop/exporter on 9102/TCP from the metrics add-on's collector pods");
    });
    it("a scrape closed by the collector's own egress is reported on its namespace", async () => {
        const collectorDeny = k.networkPolicy(COLLECTOR.namespace, "deny-egress", { podSelector: {}, policyTypes: ["Egress"] });
        expectViolations(await runRule("required-flows", exporter("shop", [podMonitor(LABELS), fromCollector, collectorDeny]), cfg), 1,
            `namespace ${COLLECTOR.namespace}: required flow metrics-collector-to-shop-scrape`, "is closed at the source");
    });
    it("an open scrape passes", async () => expectClean(await runRule("required-flows", exporter("shop", [podMonitor(LABELS), fromCollector]), cfg)));
    it("an endpoint port the pods do not have is not checked", async () => expectClean(await runRule("required-flows", exporter("shop", [podMonitor(LABELS, "other")]), cfg)));
    it("a PodMonitor selects pods of its own namespace only", async () => {
        const r = await runRule("required-flows", [...exporter("elsewhere"), k.namespace("shop"), podMonitor(LABELS)], cfg);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "PodMonitor shop/scrape selects no pod the pack knows (add its pods to endpoints), so its scrape cannot be checked");
    });
});

describe("required-flows: configured flows", () => {
    const webhookStack = [k.namespace("cert-manager"), k.defaultDeny("cert-manager"), k.allowDns("cert-manager"),
        k.deployment("cert-manager", "webhook", WEBHOOK_LABELS, [{ name: "https", containerPort: 10250 }])];
    it("the fix quotes the flow's reason when it has one", async () => {
        const flow = { name: "to-webhook", from: "nginx-ingress-controller", to: "cert-manager-webhook", ports: ["10250/TCP"] };
        const rs = [...webhookStack, ...ingressController([])];
        const [withWhy] = expectViolations(await runRule("required-flows", rs, { ...CFG, requiredFlows: [{ ...flow, why: "a test reason" }] }), 1,
            "Fix: open nginx-ingress-controller → cert-manager-webhook on 10250/TCP (a test reason): an egress allow at the source and an ingress allow at the destination");
        const [without] = expectViolations(await runRule("required-flows", rs, { ...CFG, requiredFlows: [flow] }), 1, "Fix: open nginx-ingress-controller → cert-manager-webhook on 10250/TCP: an egress");
        assert.notEqual(withWhy.message, without.message);
    });
    it("a flow to the API server closed at its source is reported on the source's namespace", async () => {
        const flows = { ...CFG, requiredFlows: [{ name: "webhook-to-apiserver", from: "cert-manager-webhook", to: "kube-apiserver", ports: ["443/TCP"] }] };
        expectViolations(await runRule("required-flows", webhookStack, flows), 1, `Namespace cert-manager (resource "ns-cert-manager"): required flow webhook-to-apiserver`, "is closed at the source");
    });
    it("the API server is an endpoint only on the Cilium dataplane: elsewhere undecided, saying why", async () => {
        const flows = { ...CFG, dataplane: "kubernetes" as const, requiredFlows: [{ name: "apiserver-to-webhook", from: "kube-apiserver", to: "cert-manager-webhook", ports: ["10250/TCP"] }] };
        const r = await runRule("required-flows", webhookStack, flows);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "the stack: required flow apiserver-to-webhook: the API server is an endpoint in Cilium mode only (dataplane is kubernetes)");
    });
});

describe("required-flows: app namespaces closed to each other", () => {
    const openBetween = (from: string, to: string, ports?: { port: number; protocol: string }[]) => [
        k.networkPolicy(to, `from-${from}`, { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSel(from) }], ...(ports ? { ports } : {}) }] }),
        k.networkPolicy(from, `to-${to}`, { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel(to) }], ...(ports ? { ports } : {}) }] }),
    ];
    const stack = () => [...app("a"), ...app("b"), ...ingressController(["a", "b"])];

    it("lists five open cells and counts the rest, including the probe pod that stands for pods added later", async () => {
        const [v] = expectViolations(await runRule("required-flows", [...stack(), ...openBetween("a", "b")], CFG), 1, "app namespace b is open to app namespace a: ", "a/any-pod → b/");
        // Every cell is open: sources a/a and a/any-pod; b/b on the isolation probes and its own port 8080, b/any-pod on the isolation probes.
        const probes = new Set([...DEFAULTS.isolationProbes, "8080/TCP"]).size;
        const total = 2 * probes + 2 * DEFAULTS.isolationProbes.length;
        const listed = v.message.split(": ").slice(2).join(": ").split(". Fix:")[0];
        assert.equal(listed.split("; ").length, 5, listed);
        assert.ok(listed.endsWith(` (+${total - 5} more)`), listed);
    });
    it("five open cells are listed without a count of more", async () => {
        // Only a/a may leave (a's egress selects it alone); b/b on 80, 443 and its own 8080, b/any-pod on 80 and 443: five cells.
        const cfg = { ...CFG, isolationProbes: ["80/TCP", "443/TCP"] };
        const fromA = k.networkPolicy("b", "from-a", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSel("a") }] }] });
        const outOfA = k.networkPolicy("a", "to-b", { podSelector: { matchLabels: { "app.kubernetes.io/name": "a" } }, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel("b") }] }] });
        const [v] = expectViolations(await runRule("required-flows", [...stack(), fromA, outOfA], cfg), 1, "app namespace b is open to app namespace a: a/a → b/");
        assert.equal(v.message.split(". Fix:")[0].split("; ").length, 5, v.message);
        assert.match(v.message, /on \d+\/TCP\. Fix: /, "nothing follows the fifth cell");
    });
    it("names every app namespace that reaches another", async () => {
        const rs = [...app("a"), ...app("b"), ...app("c"), ...ingressController(["a", "b", "c"]), ...openBetween("a", "b"), ...openBetween("c", "b")];
        const [v] = expectViolations(await runRule("required-flows", rs, CFG), 1, "app namespace b is open to app namespace a, c: ", "Fix: remove the allow in b (or the egress in a, c)");
        assert.ok(v.message.includes("c/"), v.message);
    });
    it("a flow on a port only the source listens on (neither an isolation probe nor the destination's port) does not count", async () => {
        const adminInA = k.deployment("a", "admin", { role: "admin" }, [{ name: "admin", containerPort: 9999 }]);
        expectClean(await runRule("required-flows", [...stack(), adminInA, ...openBetween("a", "b", [{ port: 9999, protocol: "TCP" }])], CFG));
    });
    it("a namespace carrying only some of appNamespaceLabels is not an app namespace", async () => {
        const cfg = { ...CFG, appNamespaceLabels: { "aks-platform/role": "app", tier: "web" } };
        expectClean(await runRule("required-flows", [...stack(), ...openBetween("a", "b")], cfg));
    });
    it("an unknown allow makes the isolation undecided, naming the cells and what they depend on", async () => {
        const maybe = k.networkPolicy("b", "maybe", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [UNKNOWN] }] });
        const out = k.networkPolicy("a", "to-b", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel("b") }] }] });
        const r = await runRule("required-flows", [...stack(), maybe, out], CFG);
        assert.equal(violations(r).length, 0, r.findings.map((f) => f.message).join("\n"));
        const [u] = undecided(r).filter((f) => f.message.includes("whether app namespace b is closed to the other app namespaces: "));
        assert.ok(u, r.findings.map((f) => f.message).join("\n"));
        // Five cells listed, each saying what it depends on, then the count of the rest (every a → b cell is possible).
        const listed = u.message.split("closed to the other app namespaces: ")[1];
        assert.match(listed, /^a\/\S+ → b\/\S+ on \S+ depends on NetworkPolicy b\/maybe/);
        const probes = new Set([...DEFAULTS.isolationProbes, "8080/TCP"]).size;
        const total = 2 * probes + 2 * DEFAULTS.isolationProbes.length;
        assert.ok(listed.endsWith(` (+${total - 5} more)`), listed);
        assert.equal(listed.split(" (+")[0].split(/; (?=a\/)/).length, 5, listed);
    });
    it("lists all the undecided cells, with no count of more, when there are five or fewer", async () => {
        const maybe = k.networkPolicy("b", "maybe", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [UNKNOWN], ports: [{ port: 8080, protocol: "TCP" }] }] });
        const out = k.networkPolicy("a", "to-b", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel("b") }] }] });
        const r = await runRule("required-flows", [...stack(), maybe, out], CFG);
        const [u] = undecided(r).filter((f) => f.message.includes("whether app namespace b is closed to the other app namespaces: "));
        assert.ok(u, r.findings.map((f) => f.message).join("\n"));
        const listed = u.message.split("closed to the other app namespaces: ")[1];
        const cells = listed.split(/; (?=a\/)/);
        assert.ok(cells.length >= 1 && cells.length <= 5 && cells.every((c) => / on 8080\/TCP depends on NetworkPolicy b\/maybe/.test(c)), listed);
        assert.ok(!listed.includes(" more)"), listed);
    });
});
