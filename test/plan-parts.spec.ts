/** The offline plan's pure parts, on small inputs whose answers can be worked out by hand. */
import * as assert from "assert";
import type { PlanResource } from "../policy-pack/plan-resource";
import { countByType, renderTree } from "../plan/tree";
import { applyOrder, HELM_RELEASE, isManifest, manifestOf } from "../plan/manifests";
import { platformPods, podObjects } from "../plan/workloads";
import { stackPlatformConfig } from "../plan/stack-config";
import { azureMonitor, istioCsr } from "../components/facts";

function res(name: string, extra: Partial<PlanResource> = {}): PlanResource {
    return { type: "t:m:T", name, urn: `urn:${name}`, props: {}, dependencies: [], propertyDependencies: {}, protect: false, custom: true, ...extra };
}

describe("offline plan parts", () => {
    describe("the resource tree (as `pulumi preview` draws it)", () => {
        it("draws children under their parent, the last with a corner, and carries a deeper level's bar", () => {
            const tree = renderTree([
                res("a"),
                res("b", { parent: "urn:a" }),
                res("c", { parent: "urn:a", protect: true }),
                res("d", { parent: "urn:b" }),
                res("e", { parent: "urn:gone" }),
            ]);
            assert.deepStrictEqual(tree.split("\n"), [
                "t:m:T  a",
                "├─ t:m:T  b",
                "│  └─ t:m:T  d",
                "└─ t:m:T  c [protected]",
                "t:m:T  e",
                "",
            ], "a resource whose parent is not captured is drawn as a root");
        });

        it("indents under a last child with spaces, not a bar", () => {
            const lines = renderTree([res("a"), res("b", { parent: "urn:a" }), res("c", { parent: "urn:b" }), res("d", { parent: "urn:c" })]).split("\n");
            assert.deepStrictEqual(lines.slice(1, 4), ["└─ t:m:T  b", "   └─ t:m:T  c", "      └─ t:m:T  d"]);
        });

        it("counts resources by type, most first, ties by name", () => {
            const rs = [res("1", { type: "b" }), res("2", { type: "a" }), res("3", { type: "c" }), res("4", { type: "c" })];
            assert.deepStrictEqual(countByType(rs), [["c", 2], ["a", 1], ["b", 1]]);
        });
    });

    describe("manifests", () => {
        it("are the custom Kubernetes resources with a kind, not Helm releases, providers or components", () => {
            const k8s = { type: "kubernetes:core/v1:Namespace", props: { kind: "Namespace" } };
            assert.strictEqual(isManifest(res("ns", k8s)), true);
            assert.strictEqual(isManifest(res("comp", { ...k8s, custom: false })), false);
            assert.strictEqual(isManifest(res("rel", { type: HELM_RELEASE, props: { kind: "Release" } })), false);
            assert.strictEqual(isManifest(res("prov", { type: "pulumi:providers:kubernetes", props: { kind: "x" } })), false);
            assert.strictEqual(isManifest(res("nokind", { type: "kubernetes:core/v1:Namespace" })), false);
            assert.strictEqual(isManifest(res("az", { type: "azure-native:network:VirtualNetwork", props: { kind: "x" } })), false);
        });

        it("write apiVersion, kind and metadata first, keeping every other field", () => {
            const m = manifestOf(res("p", { props: { spec: { a: 1 }, metadata: { name: "x" }, kind: "Pod", apiVersion: "v1" } }));
            assert.deepStrictEqual(Object.keys(m), ["apiVersion", "kind", "metadata", "spec"]);
            assert.deepStrictEqual(m.spec, { a: 1 });
        });

        it("are applied after what they depend on, a component dependency meaning all its descendants, ties in registration order", () => {
            const order = applyOrder([
                res("app", { dependencies: ["urn:comp"] }),
                res("comp", { custom: false }),
                res("inner", { parent: "urn:comp", dependencies: ["urn:base"] }),
                res("deep", { parent: "urn:inner" }),
                res("base"),
                res("self", { dependencies: ["urn:self", "urn:unknown"] }),
                res("loop1", { dependencies: ["urn:loop2"] }),
                res("loop2", { dependencies: ["urn:loop1"] }),
            ]).map((r) => r.name);
            const before = (a: string, b: string): boolean => order.indexOf(a) < order.indexOf(b);
            assert.strictEqual(order.length, 8, "each resource once, a cycle included");
            assert.ok(before("inner", "app") && before("deep", "app") && before("comp", "app"), order.join(" "));
            assert.ok(before("base", "inner"), order.join(" "));
            assert.deepStrictEqual(order.slice(0, 5), ["comp", "base", "inner", "deep", "app"]);
            assert.deepStrictEqual(order.slice(5), ["self", "loop2", "loop1"]);
        });
    });

    describe("the chart and system pods the matrix evaluates", () => {
        it("adds istio-csr and one istiod per mesh namespace only when istio-csr is on, and the Azure collector only in azure mode", () => {
            const dev = stackPlatformConfig("dev");
            const names = (c: typeof dev): string[] => platformPods(c).map((p) => `${p.namespace}/${p.name}`);
            const plain = names({ ...dev, istioCsr: { enabled: false, meshNamespaces: ["istio-system"] }, monitoring: { ...dev.monitoring, mode: "prometheus-operator" } });
            assert.ok(!plain.some((n) => n.startsWith(`${istioCsr.namespace}/`) || n.endsWith("/istiod") || n.startsWith(`${azureMonitor.namespace}/ama-`)), plain.join(" "));
            const mesh = names({ ...dev, istioCsr: { enabled: true, meshNamespaces: ["istio-system", "mesh-b"] }, monitoring: { ...dev.monitoring, mode: "azure" } });
            assert.deepStrictEqual(mesh.filter((n) => !plain.includes(n)), [`${istioCsr.namespace}/cert-manager-istio-csr`, "istio-system/istiod", "mesh-b/istiod", `${azureMonitor.namespace}/ama-metrics`]);
            const prom = platformPods({ ...dev, monitoring: { ...dev.monitoring, namespace: "obs", podLabels: { app: "prom" } } }).find((p) => p.name === "prometheus");
            assert.deepStrictEqual([prom?.namespace, prom?.labels], ["obs", { app: "prom" }]);
        });

        it("writes each as a Pod with its labels and container ports, as kubectl shows one", () => {
            const [pod] = podObjects([{ namespace: "ns", name: "p", labels: { a: "b" }, ports: [{ name: "web", port: 8080, protocol: "TCP" }] }]);
            assert.deepStrictEqual(pod, {
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name: "p", namespace: "ns", labels: { a: "b" } },
                spec: { containers: [{ name: "p", ports: [{ name: "web", containerPort: 8080, protocol: "TCP" }] }] },
            });
        });
    });
});
