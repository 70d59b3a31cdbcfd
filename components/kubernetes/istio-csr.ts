import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { internalCa, istioCsr } from "../facts";
import { PlatformConfig } from "../config";
import { HelmValues, pinnedRelease } from "./helm";

/**
 * Values for cert-manager's istio-csr chart: Istio's workload certificates are signed by the
 * platform's internal CA ClusterIssuer; its own serving name follows the namespace it runs in.
 */
export function istioCsrValues(config: PlatformConfig): HelmValues {
    const replicas = config.certManager.replicas;
    return {
        replicaCount: replicas,
        app: {
            certmanager: {
                issuer: { enabled: true, name: internalCa.caIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
            },
            tls: {
                // The chart's default names the cert-manager namespace; ours runs in its own.
                certificateDNSNames: [`${istioCsr.releaseName}.${istioCsr.namespace}.svc`],
            },
            server: { serving: { port: istioCsr.ports.grpc.port } },
            metrics: { port: istioCsr.ports.metrics.port, service: { enabled: true, servicemonitor: { enabled: config.monitoring.enabled } } },
        },
        resources: {
            requests: { cpu: "10m", memory: "64Mi" },
            limits: { cpu: "500m", memory: "256Mi" },
        },
    };
}

export interface IstioCsrArgs {
    /** Validated platform configuration. Required. */
    config: PlatformConfig;
    /** Kubernetes provider of the cluster. Required. */
    provider: k8s.Provider;
    /** Must exist first: its namespace, its NetworkPolicies, cert-manager and the internal CA issuer. Required. */
    dependsOn: pulumi.Resource[];
}

/** istio-csr from the jetstack chart, pinned, after the internal CA it issues from. */
export class IstioCsr extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: IstioCsrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:IstioCsr", name, {}, opts);
        this.release = pinnedRelease(name, istioCsr, istioCsrValues(args.config), { parent: this, provider: args.provider, dependsOn: args.dependsOn });
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}
