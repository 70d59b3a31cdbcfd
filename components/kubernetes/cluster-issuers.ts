import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { azure, certManager, internalCa, letsEncrypt, nginxIngress } from "../facts";
import { PlatformConfig } from "../config";

/** Azure facts the DNS-01 solver needs; outputs of the Azure layer, resolved. */
export interface AzureDnsTarget {
    subscriptionId: string;
    resourceGroupName: string;
    zoneName: string;
    /** Client id of cert-manager's user-assigned identity (workload identity, no secret). */
    identityClientId: string;
}

type AcmeSolver = NonNullable<NonNullable<IClusterIssuer["spec"]["acme"]>["solvers"]>[number];

/** Solvers: DNS-01 through Azure DNS for the zone; HTTP-01 through our ingress class for anything else, when enabled. */
export function acmeSolvers(config: PlatformConfig, dns: AzureDnsTarget): AcmeSolver[] {
    const solvers: AcmeSolver[] = [{
        selector: { dnsZones: [dns.zoneName] },
        dns01: {
            azureDNS: {
                subscriptionID: dns.subscriptionId,
                resourceGroupName: dns.resourceGroupName,
                hostedZoneName: dns.zoneName,
                environment: azure.cloudEnvironment,
                managedIdentity: { clientID: dns.identityClientId },
            },
        },
    }];
    if (config.acme.http01Enabled) {
        // No selector: cert-manager prefers the more specific DNS-01 solver for names in the zone.
        solvers.push({ http01: { ingress: { ingressClassName: nginxIngress.ingressClassName } } });
    }
    return solvers;
}

export type LetsEncryptEndpoint = (typeof letsEncrypt)["staging"] | (typeof letsEncrypt)["production"];
export const LETS_ENCRYPT_ENDPOINTS: readonly LetsEncryptEndpoint[] = [letsEncrypt.staging, letsEncrypt.production];

/** A Let's Encrypt ClusterIssuer; both exist, and the stack's `issuer` config picks which one platform certificates use. */
export function letsEncryptIssuer(le: LetsEncryptEndpoint, config: PlatformConfig, dns: AzureDnsTarget): IClusterIssuer {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: le.issuerName },
        spec: {
            acme: {
                server: le.server,
                email: config.acme.email,
                privateKeySecretRef: { name: `${le.issuerName}-account-key` },
                solvers: acmeSolvers(config, dns),
            },
        },
    };
}

/** Internal CA: a self-signed issuer bootstraps a CA certificate; the CA issuer signs in-cluster service certificates. */
export function internalCaResources(): { selfSigned: IClusterIssuer; caCertificate: ICertificate; caIssuer: IClusterIssuer } {
    return {
        selfSigned: {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: internalCa.selfSignedIssuerName },
            spec: { selfSigned: {} },
        },
        caCertificate: {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            // A ClusterIssuer reads its CA secret from cert-manager's own namespace (the cluster resource namespace).
            metadata: { name: internalCa.caCertificateName, namespace: certManager.namespace },
            spec: {
                isCA: true,
                commonName: internalCa.caCertificateName,
                secretName: internalCa.caSecretName,
                duration: "87600h", // 10 years; renewed 30 days before expiry
                renewBefore: "720h",
                privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                issuerRef: { name: internalCa.selfSignedIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" },
            },
        },
        caIssuer: {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: internalCa.caIssuerName },
            spec: { ca: { secretName: internalCa.caSecretName } },
        },
    };
}

/** How long `pulumi up` waits for the wildcard certificate (DNS-01 through Let's Encrypt takes minutes). */
export const WILDCARD_ISSUANCE_TIMEOUT_SECONDS = 900;

/** The wildcard certificate for `*.<zone>` and the apex: the ingress controller's default TLS certificate. */
export function wildcardCertificate(config: PlatformConfig): ICertificate {
    const zone = config.dns.zoneName;
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: {
            name: "wildcard",
            namespace: nginxIngress.namespace,
            annotations: {
                // Pulumi waits for issuance: the NGINX controller cannot start without this secret.
                "pulumi.com/waitFor": "condition=Ready",
                "pulumi.com/timeoutSeconds": String(WILDCARD_ISSUANCE_TIMEOUT_SECONDS),
            },
        },
        spec: {
            secretName: nginxIngress.wildcardSecretName,
            dnsNames: [`*.${zone}`, zone],
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            issuerRef: { name: config.acme.issuer, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
    };
}

export interface ClusterIssuersArgs {
    /** Validated platform configuration. Required. */
    config: PlatformConfig;
    /** Kubernetes provider of the cluster. Required. */
    provider: k8s.Provider;
    /** Azure DNS facts for the DNS-01 solver (outputs of the Azure layer). Required. */
    dns: pulumi.Input<AzureDnsTarget>;
    /** The cert-manager release: its CRDs and webhook must exist before any issuer. Required. */
    certManagerRelease: pulumi.Resource;
    /** Namespaces that must exist first (cert-manager's, for the CA certificate). Default: none. */
    dependsOn?: pulumi.Resource[];
}

/** ClusterIssuers: Let's Encrypt staging and production (DNS-01 via Azure DNS) and the internal CA. */
export class ClusterIssuers extends pulumi.ComponentResource {
    /** Resources later custom resources (certificates) must wait for. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: ClusterIssuersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:ClusterIssuers", name, {}, opts);
        const childOpts = { parent: this, provider: args.provider, dependsOn: [args.certManagerRelease, ...(args.dependsOn ?? [])] };
        const dns = pulumi.output(args.dns);
        const issuers = LETS_ENCRYPT_ENDPOINTS.map((le) => new k8s.apiextensions.CustomResource(`cluster-issuer-${le.issuerName}`, {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: le.issuerName },
            spec: dns.apply((d) => letsEncryptIssuer(le, args.config, d).spec),
        }, childOpts));
        const ca = internalCaResources();
        const selfSigned = new k8s.apiextensions.CustomResource(`cluster-issuer-${internalCa.selfSignedIssuerName}`, { ...ca.selfSigned }, childOpts);
        const caCertificate = new k8s.apiextensions.CustomResource(`certificate-${internalCa.caCertificateName}`, { ...ca.caCertificate }, { ...childOpts, dependsOn: [...childOpts.dependsOn, selfSigned] });
        const caIssuer = new k8s.apiextensions.CustomResource(`cluster-issuer-${internalCa.caIssuerName}`, { ...ca.caIssuer }, { ...childOpts, dependsOn: [...childOpts.dependsOn, caCertificate] });
        this.ready = [...issuers, selfSigned, caIssuer];
        this.registerOutputs({ issuers: [...issuers.map((r) => r.metadata.name), caIssuer.metadata.name] });
    }
}
