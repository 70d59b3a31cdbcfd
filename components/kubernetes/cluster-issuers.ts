import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { internalCa } from "../facts";
import { childOptions } from "../component";
import { acmeSolvers, AzureDnsTarget, internalCaResources, LETS_ENCRYPT_ENDPOINTS, letsEncryptIssuer } from "./certificates";

export interface ClusterIssuersArgs {
    /** Let's Encrypt account e-mail. Required. */
    email: string;
    /** Domains whose `_acme-challenge` names are CNAMEs into the zone. Default: none. */
    cnameZones?: readonly string[];
    /** Azure DNS facts for the DNS-01 solver (outputs of the Azure layer). Required. */
    dns: pulumi.Input<AzureDnsTarget>;
}

/**
 * ClusterIssuers: Let's Encrypt staging and production (DNS-01 via Azure DNS) and the internal CA.
 * Pass cert-manager's release in `dependsOn`: its CRDs and webhook must exist before any issuer.
 */
export class ClusterIssuers extends pulumi.ComponentResource {
    /** Resources later custom resources (certificates) must wait for. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: ClusterIssuersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:ClusterIssuers", name, {}, opts);
        const dns = pulumi.output(args.dns);
        const issuers = LETS_ENCRYPT_ENDPOINTS.map((le) => new k8s.apiextensions.CustomResource(`cluster-issuer-${le.issuerName}`, {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: le.issuerName },
            spec: dns.apply((d) => letsEncryptIssuer(le, args.email, acmeSolvers(d, args.cnameZones ?? [])).spec),
        }, childOptions(this, opts)));
        const ca = internalCaResources();
        const selfSigned = new k8s.apiextensions.CustomResource(`cluster-issuer-${internalCa.selfSignedIssuerName}`, { ...ca.selfSigned }, childOptions(this, opts));
        const caCertificate = new k8s.apiextensions.CustomResource(`certificate-${internalCa.caCertificateName}`, { ...ca.caCertificate }, childOptions(this, opts, [selfSigned]));
        const caIssuer = new k8s.apiextensions.CustomResource(`cluster-issuer-${internalCa.caIssuerName}`, { ...ca.caIssuer }, childOptions(this, opts, [caCertificate]));
        this.ready = [...issuers, selfSigned, caIssuer];
        this.registerOutputs({ issuers: [...issuers.map((r) => r.metadata.name), caIssuer.metadata.name] });
    }
}
