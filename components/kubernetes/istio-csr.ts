import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { internalCa, istioCsr } from "../facts";
import { PlatformConfig } from "../config";
import { childOptions } from "../component";
import { serviceMonitorLabels } from "./monitoring-specs";
import { HelmValues, pinnedRelease } from "./helm";

/** What istio-csr's values are built from. */
export interface IstioCsrSettings {
    /** Replicas (the platform runs as many as cert-manager's). */
    readonly replicas: number;
    /** The chart's ServiceMonitor with these labels (prometheus-operator mode), or none. */
    readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
}

/** The settings of a stack: as many replicas as cert-manager. */
export function istioCsrSettings(config: PlatformConfig): IstioCsrSettings {
    return { replicas: config.certManager.replicas, serviceMonitorLabels: serviceMonitorLabels(config) };
}

/**
 * Values for cert-manager's istio-csr chart: Istio's workload certificates are signed by the
 * platform's internal CA ClusterIssuer; its own serving name follows the namespace it runs in.
 */
export function istioCsrValues(s: IstioCsrSettings): HelmValues {
    return {
        replicaCount: s.replicas,
        app: {
            certmanager: {
                issuer: { enabled: true, name: internalCa.caIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
            },
            tls: {
                // The chart's default names the cert-manager namespace; ours runs in its own.
                certificateDNSNames: [`${istioCsr.releaseName}.${istioCsr.namespace}.svc`],
            },
            server: { serving: { port: istioCsr.ports.grpc.port } },
            metrics: { port: istioCsr.ports.metrics.port, service: { enabled: true, servicemonitor: s.serviceMonitorLabels ? { enabled: true, labels: { ...s.serviceMonitorLabels } } : { enabled: false } } },
        },
        resources: {
            requests: { cpu: "10m", memory: "64Mi" },
            limits: { cpu: "500m", memory: "256Mi" },
        },
    };
}

export interface IstioCsrArgs {
    /** Replicas and ServiceMonitor. Required. */
    settings: IstioCsrSettings;
}

/**
 * istio-csr from the jetstack chart, pinned. Pass in `dependsOn` what must exist first: its
 * namespace and policies, cert-manager and the internal CA issuer it issues from.
 */
export class IstioCsr extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: IstioCsrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:IstioCsr", name, {}, opts);
        this.release = pinnedRelease(name, istioCsr, istioCsrValues(args.settings), childOptions(this, opts));
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}
