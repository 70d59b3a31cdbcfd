import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { apps as appFacts, IssuerName, nginxIngress } from "../facts";
import { AppConfig } from "../config";
import { childOptions } from "../component";

import type * as inputs from "@pulumi/kubernetes/types/input";

/** Plain Kubernetes objects (typed by the provider's inputs): what the component sends and tests validate. */
export interface AppManifests {
    deployment: inputs.apps.v1.Deployment;
    service: inputs.core.v1.Service;
    ingress: inputs.networking.v1.Ingress;
    /** Only with 2+ replicas: a PDB on one replica would block node drains. */
    podDisruptionBudget?: inputs.policy.v1.PodDisruptionBudget;
}

/**
 * The shape a team copies: a hardened Deployment, a ClusterIP Service and a TLS Ingress. An app one
 * label below the zone lists its host under `spec.tls` without a secret, so the controller serves
 * the wildcard certificate (F5 NGINX v5.5.4 internal/configs/ingress.go, addSSLConfig) and no
 * certificate is issued for it; an app in a dns01CnameZones domain gets its own certificate from
 * the stack's ClusterIssuer through cert-manager's ingress-shim.
 */
export function appManifests(app: AppConfig, issuer: IssuerName): AppManifests {
    const labels = { ...appFacts.podLabels(app.name) };
    const meta = { name: app.name, namespace: app.name, labels };
    const deployment: AppManifests["deployment"] = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta,
        spec: {
            replicas: app.replicas,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    automountServiceAccountToken: false, // apps never call the API server (and policy would block it)
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [{
                        maxSkew: 1,
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "ScheduleAnyway",
                        labelSelector: { matchLabels: labels },
                    }],
                    containers: [{
                        name: app.name,
                        image: app.image,
                        ports: [{ name: appFacts.containerPortName, containerPort: app.port, protocol: "TCP" }],
                        securityContext: {
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            runAsNonRoot: true,
                            capabilities: { drop: ["ALL"] },
                        },
                        resources: {
                            requests: { cpu: "50m", memory: "64Mi" },
                            limits: { cpu: "500m", memory: "256Mi" },
                        },
                        readinessProbe: { httpGet: { path: "/", port: appFacts.containerPortName }, periodSeconds: 5 },
                        livenessProbe: { httpGet: { path: "/", port: appFacts.containerPortName }, initialDelaySeconds: 10, periodSeconds: 10 },
                        // A read-only root filesystem still needs somewhere to write temp files.
                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                    }],
                    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
                },
            },
        },
    };
    const service: AppManifests["service"] = {
        apiVersion: "v1",
        kind: "Service",
        metadata: meta,
        spec: {
            type: "ClusterIP",
            selector: labels,
            ports: [{ name: "http", port: appFacts.servicePort, targetPort: appFacts.containerPortName, protocol: "TCP" }],
        },
    };
    const dedicated = app.certificate === "dedicated";
    const ingress: AppManifests["ingress"] = {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: dedicated
            // cert-manager's ingress-shim issues this host's own certificate from the stack's ClusterIssuer.
            ? { ...meta, annotations: { "cert-manager.io/cluster-issuer": issuer } }
            : meta,
        spec: {
            ingressClassName: nginxIngress.ingressClassName,
            tls: [dedicated ? { hosts: [app.host], secretName: `${app.name}-tls` } : { hosts: [app.host] }],
            rules: [{
                host: app.host,
                http: {
                    paths: [{
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: app.name, port: { number: appFacts.servicePort } } },
                    }],
                },
            }],
        },
    };
    const podDisruptionBudget: AppManifests["podDisruptionBudget"] = app.replicas >= 2 ? {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: meta,
        spec: { minAvailable: 1, selector: { matchLabels: labels } },
    } : undefined;
    return { deployment, service, ingress, podDisruptionBudget };
}

export interface ApplicationArgs {
    /** The application from config. Required. */
    app: AppConfig;
    /** ClusterIssuer of a dedicated certificate (apps outside the wildcard). Required. */
    issuer: IssuerName;
}

/**
 * One application from config: Deployment, Service, Ingress (and a PDB with 2+ replicas). Pass in
 * `dependsOn` what must exist first: its namespace and that namespace's NetworkPolicies, the
 * ingress controller (and the issuers, for a dedicated certificate).
 */
export class Application extends pulumi.ComponentResource {
    readonly host: string;

    constructor(name: string, args: ApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:Application", name, {}, opts);
        const m = appManifests(args.app, args.issuer);
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, m.deployment, childOptions(this, opts));
        const service = new k8s.core.v1.Service(`${name}-service`, m.service, childOptions(this, opts));
        new k8s.networking.v1.Ingress(`${name}-ingress`, m.ingress, childOptions(this, opts, [service]));
        if (m.podDisruptionBudget) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, m.podDisruptionBudget, childOptions(this, opts, [deployment]));
        this.host = args.app.host;
        this.registerOutputs({ host: this.host });
    }
}
