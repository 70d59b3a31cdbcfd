/**
 * The pack stays exact at scale: every rule over the prod stack plus 200 generated app namespaces
 * (bench/policy.bench.ts generateStack, ~2,300 resources) finds nothing, and two mistakes hidden in
 * it (one app namespace opened to another, one app without DNS) are found, each by its rule, naming
 * the app, and nothing else is.
 */
import * as assert from "node:assert/strict";
import { generateStack } from "../../bench/policy.bench";
import { runPolicies } from "../../policy-pack/engine";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { shared } from "../support/shared";
import { stackResources } from "./stacks";

const nsSel = (ns: string) => ({ matchLabels: { "kubernetes.io/metadata.name": ns } });

function np(ns: string, name: string, spec: Record<string, unknown>): PlanResource {
    const type = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    return { type, name: `mut-${ns}-${name}`, urn: `urn:pulumi:prod::aks-platform::${type}::mut-${ns}-${name}`, props: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec }, dependencies: [], propertyDependencies: {}, protect: false, custom: true };
}

describe("policy pack at scale: prod plus 200 generated apps", function () {
    this.timeout(120_000);
    let base: PlanResource[] = [];
    beforeEach(async () => { base = await shared("policy scale: prod plus 200 apps", async () => generateStack(200, await stackResources("prod"))); });

    it("finds nothing on the clean stack", async () => {
        assert.ok(base.length > 2000, `${base.length} resources`);
        const r = await runPolicies(base);
        assert.deepEqual(r.findings.map((f) => `${f.policy}: ${f.message}`), []);
    });

    it("finds exactly the two hidden mistakes, each by its own rule, naming the app", async () => {
        const open = [
            np("app-150", "from-app-042", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSel("app-042") }], ports: [{ port: 8080, protocol: "TCP" }] }] }),
            np("app-042", "to-app-150", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel("app-150") }], ports: [{ port: 8080, protocol: "TCP" }] }] }),
        ];
        const withoutDns = base.filter((r) => !((r.props.metadata as { name?: string; namespace?: string } | undefined)?.namespace === "app-101" && (r.props.metadata as { name?: string }).name === "allow-dns"));
        assert.equal(withoutDns.length, base.length - 1);
        const r = await runPolicies([...withoutDns, ...open]);
        const found = r.findings.map((f) => `${f.policy} ${f.undecided ? "undecided" : f.enforcementLevel}: ${f.message}`);
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found.find((f) => f.startsWith("required-flows")) ?? "", /mandatory: Namespace app-150 .*app namespace app-150 is open to app namespace app-042/);
        assert.match(found.find((f) => f.startsWith("dns-egress-allowed")) ?? "", /mandatory: Namespace app-101 .*pods in namespace app-101 cannot reach kube-dns/);
    });
});
