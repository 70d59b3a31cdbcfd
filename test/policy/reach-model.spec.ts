/**
 * The analyzer-backed rules' model of a stack (policy-pack/rules/lib/reach.ts), built directly: which
 * objects reach the analyzer, how workloads become pods, what stays undecided at preview, and the
 * helpers that turn verdicts into messages.
 */
import * as assert from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { buildModel, dependsOn, forgetAnalyses, modelOrReport, notAllowed, why } from "../../policy-pack/rules/lib/reach";
import { Reporter } from "../../policy-pack/rules/lib/rule";
import { DEFAULTS, PackConfig, resolveConfig } from "../../policy-pack/config";
import type { Verdict } from "../../policy-pack/analysis";
import { k, resource, UNKNOWN } from "./helpers";

const CFG: PackConfig = resolveConfig({ endpoints: {}, externals: {} });
const asPolicy = (rs: unknown[]): PolicyResource[] => rs as PolicyResource[];
const TCP80 = { port: 80, protocol: "TCP" as const };

async function model(rs: unknown[], cfg: PackConfig = CFG, options = {}) {
    const rep = new Reporter("test", () => undefined);
    const m = await buildModel(asPolicy(rs), cfg, rep, options);
    return { m, reasons: rep.undecidedReasonsList() };
}

const workload = (type: string, props: Record<string, unknown>, name = "w"): unknown => resource(type, name, props);
const template = (labels: Record<string, string>, spec: Record<string, unknown>) => ({ metadata: { labels }, spec });

describe("reachability model (lib/reach.ts)", () => {
    beforeEach(() => forgetAnalyses());

    it("hands the stack's Namespace labels to the analyzer, so a selector on them is decided", async () => {
        const { m } = await model([
            k.namespace("a", { team: "x" }), k.namespace("b", { team: "y" }),
            k.deployment("a", "web", { app: "web" }), k.deployment("b", "web", { app: "web" }),
            k.networkPolicy("a", "from-team-y", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "y" } } }] }] }),
        ]);
        assert.deepStrictEqual(m.namespaces.get("a")?.labels, { team: "x" });
        assert.strictEqual(m.analysis.canReach("b/web", "a/web", TCP80).status, "allowed");
        assert.strictEqual(m.analysis.canReach("a/web", "a/web", TCP80).status, "allowed");
        assert.ok(!m.analysis.warnings.some((w) => /namespace (a|b)\b/.test(w)), m.analysis.warnings.join("\n"));
    });

    it("keeps a Namespace's unknown labels unknown: a selector on them is inconclusive", async () => {
        const { m } = await model([
            resource("kubernetes:core/v1:Namespace", "ns-b", { metadata: { name: "b", labels: UNKNOWN } }), k.deployment("b", "web", { app: "web" }),
            k.namespace("a"), k.deployment("a", "web", { app: "web" }),
            k.networkPolicy("a", "from-team-y", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "y" } } }] }] }),
        ]);
        assert.strictEqual(m.analysis.canReach("b/web", "a/web", TCP80).status, "inconclusive");
    });

    it("places Deployments, CronJobs and Pods by their pod template: labels, container and init container ports, service account", async () => {
        const { m, reasons } = await model([
            k.namespace("a"),
            workload("kubernetes:apps/v1:Deployment", { metadata: { name: "web", namespace: "a" }, spec: { template: template({ app: "web" }, { serviceAccountName: "web-sa", containers: [{ name: "c", ports: [{ name: "http", containerPort: 8080 }] }], initContainers: [{ name: "i", ports: [{ containerPort: 53, protocol: "UDP" }] }] }) } }),
            workload("kubernetes:batch/v1:CronJob", { metadata: { name: "job", namespace: "a" }, spec: { jobTemplate: { spec: { template: template({ app: "job" }, { containers: [] }) } } } }),
            workload("kubernetes:core/v1:Pod", { metadata: { name: "p", labels: { app: "p" } }, spec: { containers: [{ name: "c", ports: [{ containerPort: 9000 }] }] } }, "logical-pod"),
            workload("kubernetes:apps/v1:Deployment", { spec: { template: template({ app: "nameless" }, { containers: [] }) } }, "logical-name"),
        ]);
        assert.deepStrictEqual(reasons, []);
        const pod = (id: string) => m.pods.find((p) => p.id === id);
        assert.deepStrictEqual(pod("a/web")?.ports, [{ name: "http", port: 8080, protocol: "TCP" }, { name: undefined, port: 53, protocol: "UDP" }]);
        assert.deepStrictEqual(pod("a/web")?.labels, { app: "web" });
        assert.deepStrictEqual(pod("a/job")?.labels, { app: "job" });
        assert.deepStrictEqual(pod("default/p")?.labels, { app: "p" }, "a Pod without a namespace lands in default");
        assert.deepStrictEqual(pod("default/p")?.ports, [{ name: undefined, port: 9000, protocol: "TCP" }]);
        assert.ok(pod("default/logical-name"), "a workload without a name takes its logical name");
        const endpoint = m.analysis.endpoints.find((e) => e.id === "a/web");
        assert.ok(endpoint, "the analyzer sees the pod");
        // The service account reaches the analyzer (Cilium selects it as io.cilium.k8s.policy.serviceaccount).
        const bySa = await model([k.namespace("a"), workload("kubernetes:apps/v1:Deployment", { metadata: { name: "web", namespace: "a" }, spec: { template: template({ app: "web" }, { serviceAccountName: "web-sa", containers: [] }) } }),
            k.deployment("a", "other", { app: "other" }),
            k.cnp("a", "sa-only", { endpointSelector: { matchLabels: { app: "other" } }, ingress: [{ fromEndpoints: [{ matchLabels: { "io.cilium.k8s.policy.serviceaccount": "web-sa" } }] }] })],
        resolveConfig({ endpoints: {}, externals: {}, dataplane: "cilium" }));
        assert.strictEqual(bySa.m.analysis.canReach("a/web", "a/other", TCP80).status, "allowed");
    });

    it("leaves a workload it cannot place undecided, naming each unknown path once, in the singular or plural", async () => {
        const one = await model([workload("kubernetes:apps/v1:Deployment", { metadata: { name: "web", namespace: UNKNOWN }, spec: { template: template({ app: "web" }, { containers: [] }) } }, "web")]);
        assert.deepStrictEqual(one.reasons, ['Deployment web (resource "web"): .metadata.namespace is unknown until the update, so its pods cannot be placed or selected']);
        assert.ok(!one.m.pods.some((p) => p.resource), "no pod for it");
        const two = await model([workload("kubernetes:apps/v1:Deployment", { metadata: { name: "web", namespace: "a" }, spec: { template: { metadata: { labels: { app: UNKNOWN } }, spec: { serviceAccountName: UNKNOWN } } } }, "web")]);
        assert.deepStrictEqual(two.reasons, ['Deployment a/web (resource "web"): .spec.template.spec.serviceAccountName, .spec.template.metadata.labels.app are unknown until the update, so its pods cannot be placed or selected']);
        const ports = await model([workload("kubernetes:apps/v1:Deployment", { metadata: { name: "web", namespace: "a" }, spec: { template: template({ app: "web" }, { containers: [{ name: "c", ports: [{ containerPort: UNKNOWN }, { containerPort: 80, name: UNKNOWN }] }] }) } }, "web")]);
        assert.deepStrictEqual(ports.reasons, ['Deployment a/web (resource "web"): .spec.template.spec.containers.0.ports.0.containerPort, .spec.template.spec.containers.0.ports.1.name are unknown until the update, so checks on its container ports are incomplete']);
        assert.deepStrictEqual(ports.m.pods[0].ports, [], "ports with an unknown part are left out");
        const ns = await model([resource("kubernetes:core/v1:Namespace", "ns", { metadata: { name: UNKNOWN } })]);
        assert.deepStrictEqual(ns.reasons, ['Namespace "ns": .metadata.name is unknown until the update, so its pods and policies cannot be placed']);
    });

    it("puts a policy without a namespace in default, and one without a name under its logical name", async () => {
        const { m } = await model([
            k.namespace("a"), k.deployment("a", "x", { app: "x" }), k.deployment("default", "web", { app: "web" }),
            resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "logical-np", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: {}, spec: { podSelector: {}, policyTypes: ["Ingress"] } }),
        ]);
        const v = m.analysis.canReach("a/x", "default/web", TCP80);
        assert.strictEqual(v.status, "denied");
        assert.match(v.explanation.join("\n"), /NetworkPolicy default\/logical-np/);
        assert.strictEqual(m.analysis.canReach("default/web", "a/x", TCP80).status, "allowed", "only its namespace is isolated");
    });

    it("adds a label-less pod per stack namespace for 'every pod' checks, and config endpoints only where they exist", async () => {
        const cfg = resolveConfig({ externals: {}, endpoints: {
            dns: { namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ports: [{ port: 53, protocol: "UDP" }], present: "always" },
            ctl: { namespace: "ingress", labels: { app: "ctl" }, ports: [], present: "with-namespace" },
            chart: { namespace: "charted", labels: { app: "c" }, ports: [], present: "with-namespace" },
            absent: { namespace: "nowhere", labels: { app: "x" }, ports: [], present: "with-namespace" },
        } });
        const { m } = await model([k.namespace("ingress"), k.namespace("apps"), resource("kubernetes:helm.sh/v3:Release", "rel", { namespace: "charted", chart: "c", version: "1.0.0" })], cfg, { anyPodProbes: true });
        const mine = new Set(["dns", "ctl", "chart", "absent"]);
        assert.deepStrictEqual([...m.endpointIds.entries()].filter(([n]) => mine.has(n)).sort(), [["chart", "charted/chart"], ["ctl", "ingress/ctl"], ["dns", "kube-system/dns"]]);
        assert.deepStrictEqual(m.pods.filter((p) => p.id.endsWith("/any-pod")).map((p) => p.id).sort(), ["apps/any-pod", "ingress/any-pod"]);
        const plain = await model([k.namespace("ingress")], cfg);
        assert.ok(!plain.m.pods.some((p) => p.id.endsWith("/any-pod")));
    });

    it("reports policies the analyzer refuses as one violation naming the field, and builds no model", async () => {
        const messages: string[] = [];
        const rep = new Reporter("test", (m) => messages.push(m));
        const bad = k.networkPolicy("a", "bad", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.300/8" } }] }] });
        assert.strictEqual(await modelOrReport(asPolicy([bad]), CFG, rep), undefined);
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0], /^the stack's network policies: they cannot be analyzed: NetworkPolicy a\/bad: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: invalid CIDR .*\. Fix: correct the object and field the error names \(the API server would reject it too\)$/);
    });

    it("shares one analysis between equal stacks and keeps only the last eight", async () => {
        const stack = (n: number): unknown[] => [k.namespace(`ns${n}`), k.deployment(`ns${n}`, "web", { app: "web" })];
        const first = (await model(stack(0))).m.analysis;
        assert.strictEqual((await model(stack(0))).m.analysis, first, "equal content, one analysis");
        for (let n = 1; n <= 7; n++) await model(stack(n));
        assert.strictEqual((await model(stack(0))).m.analysis, first, "eight kept");
        await model(stack(8));
        await model(stack(9));
        assert.notStrictEqual((await model(stack(0))).m.analysis, first, "the oldest dropped once more than eight were made");
    });

    it("asks the analyzer's question only for cells that are not open, grouping probes case-insensitively", async () => {
        const { m } = await model([k.namespace("a"), k.deployment("a", "web", { app: "web" }), k.deployment("a", "db", { app: "db" }), k.networkPolicy("a", "db-in", { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 5432 }] }] })]);
        const subject = { label: "s" };
        assert.strictEqual(notAllowed(m, []).size, 0);
        const out = notAllowed(m, [
            { from: "a/web", to: "a/db", probe: { port: 5432, protocol: "tcp" }, subject },
            { from: "a/web", to: "a/db", probe: { port: 80, protocol: "TCP" }, subject },
            { from: "a/db", to: "a/web", probe: { port: 5432, protocol: "TCP" }, subject },
            { from: "a/db", to: "a/db", probe: { port: 80, protocol: "TCP" }, subject },
        ]);
        assert.deepStrictEqual([...out.keys()], [1]);
        assert.strictEqual(out.get(1)?.status, "denied");
    });

    it("words a verdict for messages: the denying side's lines, at most four, without end stops; an inconclusive one's dependencies", () => {
        const v = (explanation: string[], inconclusive: string[] = []): Verdict => ({ status: "denied", from: "x", to: "y", probe: { port: 1, protocol: "TCP" }, egress: {} as Verdict["egress"], ingress: {} as Verdict["ingress"], explanation, inconclusive });
        assert.strictEqual(why(v(["Denied: x cannot reach y.", "x is not a pod (outside).", "egress of x is not isolated for it.", "ingress of y: a/deny selects it.", "no rule allows it.", "3.", "4.", "5."])), "ingress of y: a/deny selects it; no rule allows it; 3; 4");
        assert.strictEqual(why(v(["Allowed: fine.", "Inconclusive: maybe.", "keep. this."])), "keep. this");
        assert.strictEqual(dependsOn(v([], ["a", "b"])), "a; b");
    });

    it("uses the configured externals and dataplane for the analysis", async () => {
        const cfg: PackConfig = { ...DEFAULTS, endpoints: {}, externals: { outside: "203.0.113.9" }, dataplane: "cilium" };
        const { m } = await model([k.namespace("a"), k.deployment("a", "web", { app: "web" })], cfg);
        assert.strictEqual(m.dataplane, "cilium");
        assert.ok(m.analysis.endpoints.some((e) => e.id === "outside") && m.analysis.endpoints.some((e) => e.id === "remote-node"));
    });
});
