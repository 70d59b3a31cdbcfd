import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { apps as appFacts, nginxIngress } from "../facts";
import { AppConfig, PlatformConfig } from "../config";

import type * as inputs from "@pulumi/kubernetes/types/input";

/** Plain Kubernetes objects (typed by the provider's inputs): what the component sends and tests validate. */
export interface AppManifests {
    deployment: inputs.apps.v1.Deployment;
    service: inputs.core.v1.Service;
    ingress: inputs.networking.v1.Ingress;
    /** Only with 2+ replicas: a PDB on one replica would block node drains. */
    podDisruptionBudget?: inputs.policy.v1.PodDisruptionBudget;
}

/** The shape a team copies: a hardened Deployment, a ClusterIP Service and a TLS Ingress. */
export function appManifests(app: AppConfig, config: PlatformConfig): AppManifests {
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
    const ingress: AppManifests["ingress"] = {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            ...meta,
            // cert-manager's ingress-shim issues this host's own certificate from the stack's ClusterIssuer.
            annotations: { "cert-manager.io/cluster-issuer": config.acme.issuer },
        },
        spec: {
            ingressClassName: nginxIngress.ingressClassName,
            tls: [{ hosts: [app.host], secretName: `${app.name}-tls` }],
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
    /** Validated platform configuration (issuer, zone). Required. */
    config: PlatformConfig;
    /** Kubernetes provider of the cluster. Required. */
    provider: k8s.Provider;
    /** The app's namespace, and anything else that must exist first (the ingress controller, the issuers). Default: none. */
    dependsOn?: pulumi.Resource[];
}

/** One application from config: Deployment, Service, Ingress (and a PDB with 2+ replicas). */
export class Application extends pulumi.ComponentResource {
    readonly host: string;

    constructor(name: string, args: ApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:Application", name, {}, opts);
        const m = appManifests(args.app, args.config);
        const childOpts = { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] };
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, m.deployment, childOpts);
        const service = new k8s.core.v1.Service(`${name}-service`, m.service, childOpts);
        new k8s.networking.v1.Ingress(`${name}-ingress`, m.ingress, { ...childOpts, dependsOn: [...childOpts.dependsOn, service] });
        if (m.podDisruptionBudget) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, m.podDisruptionBudget, { ...childOpts, dependsOn: [...childOpts.dependsOn, deployment] });
        this.host = args.app.host;
        this.registerOutputs({ host: this.host });
    }
}
