import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PlatformConfig } from "../config";
import { childOptions } from "../component";
import { platformPolicies, PolicyObject } from "./policies";

export interface NetworkPoliciesArgs {
    /** Validated platform configuration: namespaces, apps, monitoring, nameservers, API server subnet. Required. */
    config: PlatformConfig;
    /** The managed namespaces by name: each policy waits for its own namespace only (linear in apps). Required. */
    namespaces: Readonly<Record<string, pulumi.Resource>>;
}

/** Pulumi name of a policy: unique because policy names are unique within a namespace (buildPolicies checks). */
export function policyResourceName(policy: PolicyObject): string {
    return `${policy.metadata.namespace}-${policy.metadata.name}`;
}

/**
 * The platform's NetworkPolicy set: default deny and DNS in every managed namespace, then one
 * policy per flow side (see flows.ts). Standard policies are `networking.k8s.io/v1`
 * NetworkPolicies; API-server flows are `cilium.io/v2` CiliumNetworkPolicies. The cluster's
 * provider comes in `providers`, like every Kubernetes component here.
 */
export class NetworkPolicies extends pulumi.ComponentResource {
    /** `namespace/name` of every policy created, in creation order. */
    readonly policyNames: string[];
    /**
     * The policy resources of each managed namespace. A workload depends on its own namespace's
     * policies (and the platform namespaces' it talks to), not on the whole set: with hundreds of
     * apps, depending on the component would wait for every policy of every app.
     */
    readonly byNamespace: ReadonlyMap<string, readonly pulumi.CustomResource[]>;

    constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:networking:NetworkPolicies", name, {}, opts);
        const policies = platformPolicies(args.config);
        const seen = new Set<string>();
        const byNamespace = new Map<string, pulumi.CustomResource[]>();
        for (const policy of policies) {
            const resourceName = policyResourceName(policy);
            // Mocks do not catch duplicate URNs; `a-b`/`c` and `a`/`b-c` would collide here.
            if (seen.has(resourceName)) throw new Error(`two policies map to the resource name ${resourceName}; rename an app or a flow`);
            seen.add(resourceName);
            const namespace = args.namespaces[policy.metadata.namespace];
            if (!namespace) throw new Error(`policy ${policy.metadata.namespace}/${policy.metadata.name}: namespace ${policy.metadata.namespace} is not one the platform creates`);
            const childOpts = childOptions(this, opts, [namespace]);
            const created = policy.kind === "NetworkPolicy"
                ? new k8s.networking.v1.NetworkPolicy(resourceName, policy, childOpts)
                : new k8s.apiextensions.CustomResource(resourceName, {
                    apiVersion: policy.apiVersion,
                    kind: policy.kind,
                    metadata: policy.metadata,
                    spec: policy.spec,
                }, childOpts);
            const list = byNamespace.get(policy.metadata.namespace) ?? [];
            if (list.length === 0) byNamespace.set(policy.metadata.namespace, list);
            list.push(created);
        }
        this.byNamespace = byNamespace;
        this.policyNames = policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
        this.registerOutputs({ policyNames: this.policyNames });
    }

    /** The policies of one managed namespace; a namespace the set has no policy in is a mistake, so it throws. */
    forNamespace(namespace: string): readonly pulumi.CustomResource[] {
        const found = this.byNamespace.get(namespace);
        if (!found) throw new Error(`NetworkPolicies has no policy in namespace "${namespace}" (managed: ${[...this.byNamespace.keys()].join(", ")}); depend on a managed namespace's policies`);
        return found;
    }
}
