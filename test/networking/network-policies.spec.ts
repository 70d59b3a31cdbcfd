/**
 * The NetworkPolicies component under Pulumi mocks: one child per emitted policy, the right
 * resource type, readable unique names, the cluster's provider and the namespaces as dependencies.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PlatformMocks } from "../../plan/mocks";
import { PlatformConfig, PROJECT } from "../../components/config";
import { NetworkPolicies, policyResourceName } from "../../components/networking/network-policies";
import { platformPolicies } from "../../components/networking/policies";
import { stackConfig } from "./support";

interface Registered { type: string; name: string; inputs: Record<string, unknown>; provider?: string }

class RecordingMocks extends PlatformMocks {
    readonly registered: Registered[] = [];
    override newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        this.registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
        return super.newResource(args);
    }
}

async function run(config: PlatformConfig): Promise<Registered[]> {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, PROJECT, "networking-spec", false);
    await pulumi.runtime.runInPulumiStack(async () => {
        const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
        const ns = new k8s.core.v1.Namespace("namespace-demo", { metadata: { name: "demo" } }, { provider });
        new NetworkPolicies("network-policies", { config, provider, dependsOn: [ns] });
        return {};
    });
    await pulumi.runtime.disconnect();
    return mocks.registered;
}

describe("networking: NetworkPolicies component", () => {
    const config = stackConfig("prod");
    let registered: Registered[] = [];
    before(async () => { registered = await run(config); });

    it("creates one child per policy: NetworkPolicy resources and CiliumNetworkPolicy custom resources, with the same content", () => {
        const expected = platformPolicies(config);
        const children = registered.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" || r.type === "kubernetes:cilium.io/v2:CiliumNetworkPolicy");
        assert.strictEqual(children.length, expected.length);
        for (const p of expected) {
            const type = p.kind === "NetworkPolicy" ? "kubernetes:networking.k8s.io/v1:NetworkPolicy" : "kubernetes:cilium.io/v2:CiliumNetworkPolicy";
            const child = children.find((c) => c.name === `${p.metadata.namespace}-${p.metadata.name}`);
            assert.ok(child, `no resource for ${p.metadata.namespace}/${p.metadata.name}`);
            assert.strictEqual(child.type, type);
            assert.deepStrictEqual(child.inputs.metadata, p.metadata);
            assert.deepStrictEqual(child.inputs.spec, p.spec);
        }
    });

    it("names children <namespace>-<policy>, all distinct", () => {
        const names = platformPolicies(config).map(policyResourceName);
        assert.strictEqual(new Set(names).size, names.length);
        assert.ok(names.includes("cert-manager-default-deny") && names.includes("storefront-allow-dns"));
    });

    it("sends every policy through the cluster's provider", () => {
        const children = registered.filter((r) => r.type.endsWith(":NetworkPolicy") || r.type.endsWith(":CiliumNetworkPolicy"));
        assert.ok(children.length > 0);
        for (const c of children) assert.ok(c.provider?.includes("cluster"), `${c.name} provider ${c.provider}`);
    });
});
