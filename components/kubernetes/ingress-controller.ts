import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { IssuerName, nginxIngress, platformPriorityClass } from "../facts";
import { PlatformConfig } from "../config";
import { childOptions } from "../component";
import { serviceMonitorLabels } from "./monitoring-specs";
import { HelmValues, pinnedRelease } from "./helm";
import { wildcardCertificate } from "./certificates";

/** Where the Azure cloud provider finds the static IP the Service must use. */
export interface StaticIp {
    /** Azure name of the public IP. */
    name: string;
    /** Its resource group (the IP's own group, where the cluster identity may list public IPs). */
    resourceGroupName: string;
}

/** What the controller's values are built from. */
export interface IngressSettings {
    readonly replicas: number;
    /** Prod: more resources, and zone spread that refuses to stack replicas into one zone. */
    readonly production: boolean;
    /** The chart's ServiceMonitor with these labels (prometheus-operator mode), or none. */
    readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
    /** Upstream latency and status metrics, which the ingress 5xx alert reads (any monitoring mode but none). */
    readonly latencyMetrics: boolean;
}

/** The settings of a stack. */
export function ingressSettings(config: PlatformConfig): IngressSettings {
    return {
        replicas: config.ingress.replicas,
        production: config.environment === "prod",
        serviceMonitorLabels: serviceMonitorLabels(config),
        latencyMetrics: config.monitoring.mode !== "none",
    };
}

/**
 * The controller's ConfigMap (keys read by nginx/kubernetes-ingress v5.5.4
 * internal/configs/configmaps.go): TLS 1.2+, HSTS, no version disclosure, HTTP redirected to HTTPS,
 * and HTTP/2 on TLS servers (`http2`, off unless set).
 */
export function nginxConfigEntries(): Record<string, string> {
    return {
        "ssl-protocols": "TLSv1.2 TLSv1.3",
        "ssl-redirect": "true", // TLS hosts answer plain HTTP with a redirect
        hsts: "true",
        "hsts-max-age": "31536000",
        "hsts-include-subdomains": "true",
        "hsts-behind-proxy": "false",
        "server-tokens": "false",
        http2: "true",
    };
}

/**
 * Values for the F5 NGINX Ingress Controller chart (keys read from charts/nginx-ingress/values.yaml
 * at tag v5.5.4): standard Ingress API with class `nginx`, the wildcard certificate as default and
 * wildcard TLS (an Ingress TLS host without a secret is served with it: internal/configs/ingress.go,
 * addSSLConfig), a LoadBalancer on the static IP keeping client addresses.
 */
export function ingressControllerValues(s: IngressSettings, ip: StaticIp): HelmValues {
    const wildcard = `${nginxIngress.namespace}/${nginxIngress.wildcardSecretName}`;
    const labels = nginxIngress.podLabels(nginxIngress.releaseName);
    const monitor = s.serviceMonitorLabels !== undefined;
    return {
        controller: {
            kind: "deployment",
            replicaCount: s.replicas,
            ingressClass: { name: nginxIngress.ingressClassName, create: true, setAsDefaultIngress: false },
            enableCustomResources: false, // the platform uses the standard Ingress API only
            enableSnippets: false, // raw NGINX config from Ingress annotations would bypass every guard
            defaultTLS: { secret: wildcard },
            wildcardTLS: { secret: wildcard },
            config: { entries: nginxConfigEntries() },
            // Its reports go to an F5 endpoint on 443, which the controller's egress policy blocks anyway
            // (the chart passes -enable-telemetry-reporting, templates/_helpers.tpl; on by default).
            telemetryReporting: { enable: false },
            // A read-only root: the chart copies /etc/nginx into an emptyDir with a restricted init container.
            readOnlyRootFilesystem: true,
            priorityClassName: platformPriorityClass.name,
            // nginx_ingress_controller_upstream_server_response_latency_ms with its `code` label: the 5xx
            // rate alert's input (internal/metrics/collectors/latency.go at v5.5.4; off by default).
            enableLatencyMetrics: s.latencyMetrics,
            resources: {
                requests: { cpu: s.production ? "200m" : "100m", memory: s.production ? "256Mi" : "128Mi" },
                limits: { cpu: s.production ? "2" : "1", memory: s.production ? "1Gi" : "512Mi" },
            },
            podDisruptionBudget: { enabled: s.replicas >= 2, minAvailable: 1 },
            topologySpreadConstraints: [{
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: s.production ? "DoNotSchedule" : "ScheduleAnyway",
                labelSelector: { matchLabels: { ...labels } },
            }],
            service: {
                type: "LoadBalancer",
                // Keeps client source addresses. The load balancer then probes the node's health-check
                // node port, and cloud-provider-azure ignores a probe request-path annotation, so none is set.
                externalTrafficPolicy: "Local",
                annotations: {
                    "service.beta.kubernetes.io/azure-pip-name": ip.name,
                    "service.beta.kubernetes.io/azure-load-balancer-resource-group": ip.resourceGroupName,
                },
            },
        },
        prometheus: {
            create: true,
            port: nginxIngress.ports.metrics.port,
            scheme: "http",
            // The ServiceMonitor selects the metrics Service, so both come with prometheus-operator mode.
            service: { create: monitor },
            serviceMonitor: monitor ? { create: true, labels: { ...s.serviceMonitorLabels } } : { create: false },
        },
    };
}

export interface IngressControllerArgs {
    /** Replicas, production sizing, ServiceMonitor. Required. */
    settings: IngressSettings;
    /** The zone the wildcard certificate covers. Required. */
    zoneName: string;
    /** ClusterIssuer of the wildcard certificate. Required. */
    issuer: IssuerName;
    /** The static public IP the LoadBalancer Service uses. Required. */
    staticIp: pulumi.Input<StaticIp>;
    /** What the wildcard certificate needs first: the issuers, the zone, its delegation, cert-manager's role. Required. */
    certificateDependsOn: pulumi.Resource[];
}

/**
 * The NGINX Ingress Controller (F5, nginx/kubernetes-ingress) from its OCI chart, pinned. Pass in
 * `dependsOn` what must exist first: the namespace, its policies, the IP's role assignment.
 */
export class IngressController extends pulumi.ComponentResource {
    readonly release: k8s.helm.v3.Release;
    readonly wildcardCertificate: k8s.apiextensions.CustomResource;

    constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:IngressController", name, {}, opts);
        // One certificate for every host in the zone, served for any request that matches no Ingress's own TLS.
        // The controller exits when its default TLS secret is missing, so the certificate waits until Ready
        // (pulumi.com/waitFor) and the release waits for the certificate.
        this.wildcardCertificate = new k8s.apiextensions.CustomResource(`${name}-wildcard-certificate`, {
            ...wildcardCertificate(args.zoneName, args.issuer),
        }, childOptions(this, opts, args.certificateDependsOn));
        this.release = pinnedRelease(name, nginxIngress,
            pulumi.output(args.staticIp).apply((ip) => ingressControllerValues(args.settings, ip)),
            childOptions(this, opts, [this.wildcardCertificate]));
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}
