import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { nginxIngress } from "../facts";
import { PlatformConfig } from "../config";
import { HelmValues, pinnedRelease } from "./helm";
import { wildcardCertificate } from "./cluster-issuers";

/** Where the Azure cloud provider finds the static IP the Service must use. */
export interface StaticIp {
    /** Azure name of the public IP. */
    name: string;
    /** Its resource group (not the node resource group). */
    resourceGroupName: string;
}

/** The controller's ConfigMap: TLS 1.2+, HSTS, no version disclosure, HTTP redirected to HTTPS. */
export function nginxConfigEntries(): Record<string, string> {
    return {
        "ssl-protocols": "TLSv1.2 TLSv1.3",
        "ssl-redirect": "true", // TLS hosts answer plain HTTP with a redirect
        hsts: "true",
        "hsts-max-age": "31536000",
        "hsts-include-subdomains": "true",
        "hsts-behind-proxy": "false",
        "server-tokens": "false",
    };
}

/**
 * Values for the F5 NGINX Ingress Controller chart: standard Ingress API with class `nginx`,
 * the wildcard certificate as default TLS, a LoadBalancer on the static IP keeping client addresses.
 */
export function ingressControllerValues(config: PlatformConfig, ip: StaticIp): HelmValues {
    const prod = config.environment === "prod";
    const replicas = config.ingress.replicas;
    const wildcard = `${nginxIngress.namespace}/${nginxIngress.wildcardSecretName}`;
    const labels = nginxIngress.podLabels(nginxIngress.releaseName);
    return {
        controller: {
            kind: "deployment",
            replicaCount: replicas,
            ingressClass: { name: nginxIngress.ingressClassName, create: true, setAsDefaultIngress: false },
            enableCustomResources: false, // the platform uses the standard Ingress API only
            enableSnippets: false, // raw NGINX config from Ingress annotations would bypass every guard
            defaultTLS: { secret: wildcard },
            wildcardTLS: { secret: wildcard },
            config: { entries: nginxConfigEntries() },
            resources: {
                requests: { cpu: prod ? "200m" : "100m", memory: prod ? "256Mi" : "128Mi" },
                limits: { cpu: prod ? "2" : "1", memory: prod ? "1Gi" : "512Mi" },
            },
            podDisruptionBudget: { enabled: replicas >= 2, minAvailable: 1 },
            topologySpreadConstraints: [{
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: prod ? "DoNotSchedule" : "ScheduleAnyway",
                labelSelector: { matchLabels: { ...labels } },
            }],
            service: {
                type: "LoadBalancer",
                externalTrafficPolicy: "Local", // keep client source addresses (and avoid a second hop)
                annotations: {
                    "service.beta.kubernetes.io/azure-pip-name": ip.name,
                    "service.beta.kubernetes.io/azure-load-balancer-resource-group": ip.resourceGroupName,
                    "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz",
                },
            },
        },
        prometheus: {
            create: true,
            port: nginxIngress.ports.metrics.port,
            scheme: "http",
            // The ServiceMonitor selects the metrics Service, so both come with monitoring.
            service: { create: config.monitoring.enabled },
            serviceMonitor: { create: config.monitoring.enabled },
        },
    };
}

export interface IngressControllerArgs {
    /** Validated platform configuration. Required. */
    config: PlatformConfig;
    /** Kubernetes provider of the cluster. Required. */
    provider: k8s.Provider;
    /** The static public IP the LoadBalancer Service uses. Required. */
    staticIp: pulumi.Input<StaticIp>;
    /** The ClusterIssuers (and so cert-manager's CRDs) the wildcard Certificate needs. Required. */
    issuers: pulumi.Resource[];
    /** What DNS-01 needs to succeed: the zone, its delegation, cert-manager's role on it. Default: none. */
    dnsReady?: pulumi.Resource[];
    /** Must exist first: the namespace, the IP's role assignment, the NetworkPolicies. Default: none. */
    dependsOn?: pulumi.Resource[];
}

/** The NGINX Ingress Controller (F5, nginx/kubernetes-ingress) from its OCI chart, pinned. */
export class IngressController extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly wildcardCertificate: k8s.apiextensions.CustomResource;

    constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:IngressController", name, {}, opts);
        const dependsOn = args.dependsOn ?? [];
        // One certificate for every host in the zone, served for any request that matches no Ingress's own TLS.
        // The controller exits when its default TLS secret is missing, so the certificate waits until Ready
        // (pulumi.com/waitFor) and the release waits for the certificate.
        this.wildcardCertificate = new k8s.apiextensions.CustomResource(`${name}-wildcard-certificate`, {
            ...wildcardCertificate(args.config),
        }, { parent: this, provider: args.provider, dependsOn: [...dependsOn, ...args.issuers, ...(args.dnsReady ?? [])] });
        this.release = pinnedRelease(name, nginxIngress,
            pulumi.output(args.staticIp).apply((ip) => ingressControllerValues(args.config, ip)),
            { parent: this, provider: args.provider, dependsOn: [...dependsOn, this.wildcardCertificate] });
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}
