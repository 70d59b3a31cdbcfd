import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { certManager, platformPriorityClass } from "../facts";
import { PlatformConfig } from "../config";
import { childOptions } from "../component";
import { HelmValues, pinnedRelease } from "./helm";
import { serviceMonitorLabels } from "./monitoring-specs";

type Component = "controller" | "webhook" | "cainjector";

/** What cert-manager's values are built from. */
export interface CertManagerSettings {
    /** Replicas of the controller, webhook and cainjector; 2+ gets PodDisruptionBudgets. */
    readonly replicas: number;
    /** Prod: more memory, and zone spread that refuses to stack replicas into one zone. */
    readonly production: boolean;
    /** `ip:port` resolvers for DNS-01 propagation checks (and only these). */
    readonly recursiveNameservers: readonly string[];
    /** The chart's ServiceMonitor with these labels (prometheus-operator mode), or none. */
    readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
}

/** The settings of a stack. */
export function certManagerSettings(config: PlatformConfig): CertManagerSettings {
    return {
        replicas: config.certManager.replicas,
        production: config.environment === "prod",
        recursiveNameservers: config.acme.recursiveNameservers,
        serviceMonitorLabels: serviceMonitorLabels(config),
    };
}

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
 * Values for the jetstack chart (keys read from deploy/charts/cert-manager/values.yaml at v1.21.1):
 * CRDs from the chart, workload identity for the controller, DNS-01 checks through the configured
 * recursive resolvers only, the platform's priority class, HA in prod, metrics on.
 */
export function certManagerValues(s: CertManagerSettings, identityClientId: string): HelmValues {
    const pdb = { enabled: s.replicas >= 2, minAvailable: 1 };
    return {
        crds: { enabled: true, keep: true }, // keep: uninstalling the chart must never delete every certificate
        global: {
            leaderElection: { namespace: certManager.namespace }, // not kube-system: no rights needed there
            // Every cert-manager pod (templates/*deployment.yaml, startupapicheck-job.yaml read global.priorityClassName).
            priorityClassName: platformPriorityClass.name,
        },
        replicaCount: s.replicas,
        podDisruptionBudget: pdb,
        resources: resources("controller", s.production),
        topologySpreadConstraints: topologySpread("controller", s.production),
        // Workload identity: the webhook injects a federated token for this service account into labelled pods.
        podLabels: { ...certManager.workloadIdentityUseLabel },
        serviceAccount: {
            create: true,
            name: certManager.controllerServiceAccount,
            labels: { ...certManager.workloadIdentityUseLabel },
            annotations: { [certManager.workloadIdentityClientIdAnnotation]: identityClientId },
        },
        // Propagation checks ask public resolvers only, never the zone's nameservers or in-cluster DNS.
        dns01RecursiveNameservers: s.recursiveNameservers.join(","),
        dns01RecursiveNameserversOnly: true,
        prometheus: {
            enabled: true,
            // honorLabels: the alert rules group by cert-manager's own `namespace` and `name` labels,
            // which a scrape would otherwise rename to exported_* (prometheus-operator pkg/prometheus/promcfg.go).
            servicemonitor: s.serviceMonitorLabels
                ? { enabled: true, labels: { ...s.serviceMonitorLabels }, honorLabels: true }
                : { enabled: false },
        },
        webhook: {
            replicaCount: s.replicas,
            podDisruptionBudget: pdb,
            resources: resources("webhook", s.production),
            topologySpreadConstraints: topologySpread("webhook", s.production),
        },
        cainjector: {
            replicaCount: s.replicas,
            podDisruptionBudget: pdb,
            resources: resources("cainjector", s.production),
            topologySpreadConstraints: topologySpread("cainjector", s.production),
        },
        startupapicheck: {
            resources: resources("startupapicheck", s.production),
        },
    };
}

export interface CertManagerArgs {
    /** Replicas, production sizing, resolvers, ServiceMonitor. Required. */
    settings: CertManagerSettings;
    /** Client id of cert-manager's Azure identity (annotated on the service account). Required. */
    identityClientId: pulumi.Input<string>;
}

/**
 * cert-manager from the jetstack chart, pinned, rolled back on a failed upgrade. Pass in
 * `dependsOn` what must exist first: its namespace and policies, the identity's federation and role.
 */
export class CertManager extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:CertManager", name, {}, opts);
        this.release = pinnedRelease(name, certManager,
            pulumi.output(args.identityClientId).apply((id) => certManagerValues(args.settings, id)),
            childOptions(this, opts));
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}
