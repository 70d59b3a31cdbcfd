/** Shared helpers for the networking specs: stack configs, policy lookup, the ESM-only model packages. */
import * as assert from "assert";
import { parseConfig, PlatformConfig, PROJECT } from "../../components/config";
import { readStackConfig } from "../../plan/stack-config";
import type { CiliumNetworkPolicyObject, NetworkPolicyObject, PolicyObject } from "../../components/networking/policies";

export const STACKS = ["dev", "staging", "prod"] as const;

/**
 * A stack's validated config from stacks/Pulumi.<stack>.yaml (project prefix stripped,
 * `azure-native:location` as the location), with raw key overrides applied before validation.
 */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): PlatformConfig {
    const raw: Record<string, unknown> = {};
    let location: string | undefined;
    for (const [key, value] of Object.entries(readStackConfig(stack))) {
        if (key === "azure-native:location") location = value;
        else if (key.startsWith(`${PROJECT}:`)) raw[key.slice(PROJECT.length + 1)] = value;
    }
    return parseConfig({ ...raw, ...overrides }, location);
}

/** The policy with this namespace and name; fails the test when missing. */
export function policy(policies: readonly PolicyObject[], namespace: string, name: string): PolicyObject {
    const found = policies.filter((p) => p.metadata.namespace === namespace && p.metadata.name === name);
    assert.strictEqual(found.length, 1, `expected one policy ${namespace}/${name}; have: ${policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(", ")}`);
    return found[0];
}

export function networkPolicy(policies: readonly PolicyObject[], namespace: string, name: string): NetworkPolicyObject {
    const p = policy(policies, namespace, name);
    assert.strictEqual(p.kind, "NetworkPolicy", `${namespace}/${name} should be a NetworkPolicy`);
    return p as NetworkPolicyObject;
}

export function ciliumPolicy(policies: readonly PolicyObject[], namespace: string, name: string): CiliumNetworkPolicyObject {
    const p = policy(policies, namespace, name);
    assert.strictEqual(p.kind, "CiliumNetworkPolicy", `${namespace}/${name} should be a CiliumNetworkPolicy`);
    return p as CiliumNetworkPolicyObject;
}
