import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { platformPriorityClass } from "../facts";
import { childOptions } from "../component";
import { namespaceLabels, NamespaceSpec } from "./namespace-specs";

export interface PlatformNamespacesArgs {
    /** Every namespace the platform manages (`managedNamespaces(config)`). Required. */
    namespaces: readonly NamespaceSpec[];
}

/**
 * The platform's namespaces, and its PriorityClass for the ingress controller and cert-manager:
 * what every platform pod needs before it starts. Everything namespaced depends on these.
 */
export class PlatformNamespaces extends pulumi.ComponentResource {
    /** Namespace resources by name. */
    readonly byName: Readonly<Record<string, k8s.core.v1.Namespace>>;
    readonly all: k8s.core.v1.Namespace[];
    readonly priorityClass: k8s.scheduling.v1.PriorityClass;

    constructor(name: string, args: PlatformNamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:Namespaces", name, {}, opts);
        const byName: Record<string, k8s.core.v1.Namespace> = {};
        for (const spec of args.namespaces) {
            byName[spec.name] = new k8s.core.v1.Namespace(`namespace-${spec.name}`, {
                metadata: {
                    name: spec.name,
                    labels: namespaceLabels(spec),
                    annotations: { "aks-platform/pod-security-reason": spec.reason },
                },
            }, childOptions(this, opts));
        }
        this.priorityClass = new k8s.scheduling.v1.PriorityClass(platformPriorityClass.name, {
            metadata: { name: platformPriorityClass.name },
            value: platformPriorityClass.value,
            globalDefault: false,
            preemptionPolicy: "PreemptLowerPriority",
            description: "aks-platform: the ingress controller and cert-manager, above every application pod.",
        }, childOptions(this, opts));
        this.byName = byName;
        this.all = Object.values(byName);
        this.registerOutputs({ names: Object.keys(byName) });
    }
}
