import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { certManager } from "../facts";
import { PlatformConfig } from "../config";
import { HelmValues, pinnedRelease } from "./helm";


type Component = "controller" | "webhook" | "cainjector";

/** Requests and limits for each component in every stack (prod gets more headroom). */
function resources(component: Component | "startupapicheck", prod: boolean): HelmValues {
    const memory = { controller: prod ? "256Mi" : "128Mi", webhook: "64Mi", cainjector: prod ? "256Mi" : "128Mi", startupapicheck: "64Mi" }[component];
    return {
        requests: { cpu: component === "controller" ? "50m" : "10m", memory },
        limits: { cpu: component === "startupapicheck" ? "100m" : "500m", memory: memory === "64Mi" ? "128Mi" : `${2 * Number.parseInt(memory, 10)}Mi` },
    };
}

/** Spread replicas across zones; in prod refuse to stack them into one zone. */
function topologySpread(component: Component, prod: boolean): HelmValues[] {
    return [{
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: prod ? "DoNotSchedule" : "ScheduleAnyway",
        labelSelector: { matchLabels: { ...certManager.podLabels[component], "app.kubernetes.io/instance": certManager.releaseName } },
    }];
}

/**
 * Values for the jetstack chart: CRDs from the chart, workload identity for the controller,
 * DNS-01 checks through the configured recursive resolvers only, HA in prod, metrics on.
 */
export function certManagerValues(config: PlatformConfig, identityClientId: string): HelmValues {
    const prod = config.environment === "prod";
    const replicas = config.certManager.replicas;
    const pdb = { enabled: replicas >= 2, minAvailable: 1 };
    return {
        crds: { enabled: true, keep: true }, // keep: uninstalling the chart must never delete every certificate
        global: { leaderElection: { namespace: certManager.namespace } }, // not kube-system: no rights needed there
        replicaCount: replicas,
        podDisruptionBudget: pdb,
        resources: resources("controller", prod),
        topologySpreadConstraints: topologySpread("controller", prod),
        // Workload identity: the webhook injects a federated token for this service account into labelled pods.
        podLabels: { ...certManager.workloadIdentityUseLabel },
        serviceAccount: {
            create: true,
            name: certManager.controllerServiceAccount,
            labels: { ...certManager.workloadIdentityUseLabel },
            annotations: { [certManager.workloadIdentityClientIdAnnotation]: identityClientId },
        },
        // Propagation checks ask public resolvers only, never the zone's nameservers or in-cluster DNS.
        dns01RecursiveNameservers: config.acme.recursiveNameservers.join(","),
        dns01RecursiveNameserversOnly: true,
        prometheus: {
            enabled: true,
            servicemonitor: { enabled: config.monitoring.enabled },
        },
        webhook: {
            replicaCount: replicas,
            podDisruptionBudget: pdb,
            resources: resources("webhook", prod),
            topologySpreadConstraints: topologySpread("webhook", prod),
        },
        cainjector: {
            replicaCount: replicas,
            podDisruptionBudget: pdb,
            resources: resources("cainjector", prod),
            topologySpreadConstraints: topologySpread("cainjector", prod),
        },
        startupapicheck: {
            resources: resources("startupapicheck", prod),
        },
    };
}

export interface CertManagerArgs {
    /** Validated platform configuration. Required. */
    config: PlatformConfig;
    /** Kubernetes provider of the cluster. Required. */
    provider: k8s.Provider;
    /** Client id of cert-manager's Azure identity (annotated on the service account). Required. */
    identityClientId: pulumi.Input<string>;
    /** Must exist before the release: the namespace, the identity's federation and role, the NetworkPolicies. Default: none. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** cert-manager from the jetstack chart, pinned, rolled back on a failed upgrade. */
export class CertManager extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:CertManager", name, {}, opts);
        this.release = pinnedRelease(name, certManager,
            pulumi.output(args.identityClientId).apply((id) => certManagerValues(args.config, id)),
            { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] });
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}
