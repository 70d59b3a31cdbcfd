/**
 * Dependencies that say what is needed and no more: an app's resources wait for their own
 * namespace's NetworkPolicies and the platform parts they use, so the program's dependency count
 * grows linearly with the number of apps (issue: 500 application namespaces).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProgram } from "../plan/program";
import { at } from "./support/runs";
import { shared } from "./support/shared";
import { writeScaleStack } from "../bench/scale-stack";
import type { PlanResource } from "../policy-pack/plan-resource";

const POLICY_TYPES = new Set(["kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:cilium.io/v2:CiliumNetworkPolicy"]);

function edges(resources: readonly PlanResource[]): number {
    return resources.reduce((n, r) => n + r.dependencies.length, 0);
}

describe("scale: dependencies grow linearly with apps", () => {
    let runs = new Map<number, PlanResource[]>();
    beforeEach(async () => {
        runs = await shared("scale: prod with 4, 8 and 12 apps", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scale-spec-"));
            try {
                fs.copyFileSync(path.join(__dirname, "..", "stacks", "Pulumi.prod.yaml"), path.join(dir, "Pulumi.prod.yaml"));
                const byApps = new Map<number, PlanResource[]>();
                for (const n of [4, 8, 12]) byApps.set(n, (await runProgram(writeScaleStack(dir, n), { stacksDir: dir })).resources);
                return byApps;
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    it("adds the same number of resources and dependency edges for every app (no per-app term grows with the others)", () => {
        const [a, b, c] = [4, 8, 12].map((n) => runs.get(n) ?? []);
        assert.strictEqual(c.length - b.length, b.length - a.length, "resources per app");
        assert.strictEqual(edges(c) - edges(b), edges(b) - edges(a), "dependency edges per app");
        assert.ok((edges(b) - edges(a)) / 4 < 60, `each app adds ${(edges(b) - edges(a)) / 4} edges`);
    });

    it("makes each app's workloads wait for exactly their own namespace's policies, and no other namespace's", () => {
        const resources = runs.get(8) ?? [];
        const policiesByNamespace = new Map<string, Set<string>>();
        for (const p of resources.filter((r) => POLICY_TYPES.has(r.type))) {
            const ns = String(at(p.props, "metadata.namespace"));
            policiesByNamespace.set(ns, (policiesByNamespace.get(ns) ?? new Set()).add(p.urn));
        }
        const deployments = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
        assert.ok(deployments.length >= 8);
        for (const d of deployments) {
            const ns = String(at(d.props, "metadata.namespace"));
            const own = policiesByNamespace.get(ns) ?? new Set<string>();
            assert.ok(own.size >= 3, `${ns}: default deny, DNS and the ingress flow`);
            for (const urn of own) assert.ok(d.dependencies.includes(urn), `${ns} Deployment does not wait for ${urn}`);
            const foreign = d.dependencies.filter((u) => [...policiesByNamespace].some(([other, urns]) => other !== ns && urns.has(u)));
            assert.deepStrictEqual(foreign, [], `${ns} Deployment waits for other namespaces' policies`);
        }
    });

    it("makes each policy wait for its own namespace only", () => {
        const resources = runs.get(8) ?? [];
        const namespaces = new Map(resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => [r.urn, String(at(r.props, "metadata.name"))]));
        for (const p of resources.filter((r) => POLICY_TYPES.has(r.type))) {
            const waits = p.dependencies.filter((u) => namespaces.has(u)).map((u) => namespaces.get(u));
            assert.deepStrictEqual(waits, [at(p.props, "metadata.namespace")], `${p.name}`);
        }
    });
});
