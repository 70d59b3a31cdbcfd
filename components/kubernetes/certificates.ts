/**
 * cert-manager objects as plain data (pure, no Pulumi): the Let's Encrypt ClusterIssuers with their
 * DNS-01 solvers, the internal CA, and the wildcard certificate the ingress controller serves.
 */
import type { IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { azure, certManager, internalCa, IssuerName, letsEncrypt, nginxIngress } from "../facts";

/** Azure facts the DNS-01 solver needs; outputs of the Azure layer, resolved. */
export interface AzureDnsTarget {
    subscriptionId: string;
    resourceGroupName: string;
    zoneName: string;
    /** Client id of cert-manager's user-assigned identity (workload identity, no secret). */
    identityClientId: string;
}

type AcmeSolver = NonNullable<NonNullable<IClusterIssuer["spec"]["acme"]>["solvers"]>[number];

/**
 * Solvers: DNS-01 through Azure DNS for the zone. For `cnameZones` (names outside the zone whose
 * `_acme-challenge` records are CNAMEs into it), the same solver with `cnameStrategy: Follow`:
 * cert-manager follows the CNAME and writes the TXT record where it points, inside our zone
 * (cert-manager v1.21.1 pkg/apis/acme/v1/types_issuer.go, CNAMEStrategy; cert-manager.io/docs/
 * configuration/acme/dns01/#delegated-domains-for-dns01). HTTP-01 is not offered: with the F5 NGINX
 * controller, the solver's own Ingress for a host loses to the app's Ingress (Ingresses for one
 * host are only merged as mergeable master/minions) and ssl-redirect sends the self-check to 443.
 */
export function acmeSolvers(dns: AzureDnsTarget, cnameZones: readonly string[]): AcmeSolver[] {
    const azureDNS = {
        subscriptionID: dns.subscriptionId,
        resourceGroupName: dns.resourceGroupName,
        hostedZoneName: dns.zoneName,
        environment: azure.cloudEnvironment,
        managedIdentity: { clientID: dns.identityClientId },
    } as const;
    const solvers: AcmeSolver[] = [{ selector: { dnsZones: [dns.zoneName] }, dns01: { azureDNS: { ...azureDNS } } }];
    if (cnameZones.length > 0) {
        solvers.push({ selector: { dnsZones: [...cnameZones] }, dns01: { cnameStrategy: "Follow", azureDNS: { ...azureDNS } } });
    }
    return solvers;
}

export type LetsEncryptEndpoint = (typeof letsEncrypt)["staging"] | (typeof letsEncrypt)["production"];
export const LETS_ENCRYPT_ENDPOINTS: readonly LetsEncryptEndpoint[] = [letsEncrypt.staging, letsEncrypt.production];

/** A Let's Encrypt ClusterIssuer; both exist, and the stack's `issuer` config picks which one platform certificates use. */
export function letsEncryptIssuer(le: LetsEncryptEndpoint, email: string, solvers: AcmeSolver[]): IClusterIssuer {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: le.issuerName },
        spec: {
            acme: {
                server: le.server,
                email,
                privateKeySecretRef: { name: `${le.issuerName}-account-key` },
                solvers,
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

/**
 * The wildcard certificate for `*.<zone>` and the apex: the ingress controller's default and
 * wildcard TLS certificate, so every app one label below the zone is served without a certificate
 * of its own (one certificate per stack, whatever the number of apps: Let's Encrypt allows 50 per
 * registered domain per week, letsencrypt.org/docs/rate-limits).
 */
export function wildcardCertificate(zone: string, issuer: IssuerName): ICertificate {
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
            issuerRef: { name: issuer, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
    };
}
