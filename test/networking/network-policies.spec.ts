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
import { shared } from "../support/shared";
import { managedNamespaces } from "../../components/kubernetes/namespace-specs";

interface Registered { type: string; name: string; inputs: Record<string, unknown>; provider?: string }

class RecordingMocks extends PlatformMocks {
    readonly registered: Registered[] = [];
    override newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        this.registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
        return super.newResource(args);
    }
}

/** The URN of a resource, read under mocks. */
function urnOf(r: pulumi.Resource): Promise<string> {
    return new Promise((resolve) => r.urn.apply((u) => { resolve(u); return u; }));
}

async function run(config: PlatformConfig): Promise<{ registered: Registered[]; byNamespace: Map<string, string[]>; missing: string }> {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, PROJECT, "networking-spec", false);
    const byNamespace = new Map<string, string[]>();
    let missing = "";
    await pulumi.runtime.runInPulumiStack(async () => {
        const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
        const namespaces = Object.fromEntries(managedNamespaces(config).map((n) => [n.name, new k8s.core.v1.Namespace(`namespace-${n.name}`, { metadata: { name: n.name } }, { provider })]));
        const component = new NetworkPolicies("network-policies", { config, namespaces }, { providers: [provider] });
        for (const [namespace, resources] of component.byNamespace) byNamespace.set(namespace, await Promise.all(resources.map(urnOf)));
        try {
            component.forNamespace("no-such-namespace");
        } catch (e) {
            missing = e instanceof Error ? e.message : String(e);
        }
        return {};
    });
    await pulumi.runtime.disconnect();
    return { registered: mocks.registered, byNamespace, missing };
}

describe("networking: NetworkPolicies component", () => {
    let config: PlatformConfig;
    let registered: Registered[] = [];
    let byNamespace = new Map<string, string[]>();
    let missing = "";
    beforeEach(async () => {
        config = stackConfig("prod");
        ({ registered, byNamespace, missing } = await shared("NetworkPolicies component, prod config", () => run(config)));
    });

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

    it("exposes the policies per namespace: each managed namespace maps to exactly the policies that live in it", () => {
        const expected = new Map<string, string[]>();
        for (const p of platformPolicies(config)) expected.set(p.metadata.namespace, [...(expected.get(p.metadata.namespace) ?? []), policyResourceName(p)]);
        assert.deepStrictEqual([...byNamespace.keys()].sort(), [...expected.keys()].sort());
        for (const [namespace, names] of expected) {
            const urns = byNamespace.get(namespace) ?? [];
            assert.deepStrictEqual(urns.map((u) => u.split("::").pop()).sort(), [...names].sort(), namespace);
        }
        assert.ok((byNamespace.get("storefront") ?? []).length >= 2, "an app namespace has its own policies");
    });

    it("forNamespace refuses a namespace without policies, naming it (a typo must not drop the dependency)", () => {
        assert.match(missing, /no policy in namespace "no-such-namespace" \(managed: [a-z-]+(, [a-z-]+)+\)/);
        assert.ok(missing.includes("storefront"));
    });

    it("sends every policy through the cluster's provider", () => {
        const children = registered.filter((r) => r.type.endsWith(":NetworkPolicy") || r.type.endsWith(":CiliumNetworkPolicy"));
        assert.ok(children.length > 0);
        for (const c of children) assert.ok(c.provider?.includes("cluster"), `${c.name} provider ${c.provider}`);
    });
});
