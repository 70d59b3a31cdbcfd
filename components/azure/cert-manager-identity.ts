import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as authorization from "@pulumi/azure-native/authorization";
import { azure, certManager, serviceAccountSubject } from "../facts";

export interface CertManagerIdentityArgs {
    /** Resource group of the identity. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Azure region. Required. */
    location: pulumi.Input<string>;
    /** Azure name of the identity. Required. */
    identityName: string;
    /** The cluster's OIDC issuer URL. Required. */
    oidcIssuerUrl: pulumi.Input<string>;
    /** The DNS zone's resource id: the only scope the identity gets a role on. Required. */
    zoneId: pulumi.Input<string>;
    /** Subscription id, for the role definition id. Required. */
    subscriptionId: pulumi.Input<string>;
}

/** The federated subject of cert-manager's controller service account, from the facts module. */
export const certManagerSubject = serviceAccountSubject(certManager.namespace, certManager.controllerServiceAccount);

/**
 * cert-manager's Azure identity for DNS-01: a user-assigned identity federated with the cluster's
 * OIDC issuer for exactly the controller's service account, allowed to write records in one zone.
 */
export class CertManagerIdentity extends pulumi.ComponentResource {
    readonly clientId: pulumi.Output<string>;
    readonly principalId: pulumi.Output<string>;
    /** Federation and role assignment: cert-manager's release waits for them so the first DNS-01 attempt succeeds. */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: CertManagerIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:azure:CertManagerIdentity", name, {}, opts);
        const identity = new managedidentity.UserAssignedIdentity(name, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            resourceName: args.identityName,
        }, { parent: this });

        const federation = new managedidentity.FederatedIdentityCredential(`${name}-federation`, {
            resourceGroupName: args.resourceGroupName,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: "cert-manager",
            issuer: args.oidcIssuerUrl,
            subject: certManagerSubject,
            audiences: [azure.workloadIdentityAudience],
        }, { parent: this });

        const roleAssignment = new authorization.RoleAssignment(`${name}-dns-zone-contributor`, {
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${azure.dnsZoneContributorRoleId}`,
            scope: args.zoneId, // the zone only: never the resource group or subscription
        }, { parent: this });

        this.ready = [federation, roleAssignment];
        this.clientId = identity.clientId;
        this.principalId = identity.principalId;
        this.registerOutputs({ clientId: this.clientId, principalId: this.principalId });
    }
}
