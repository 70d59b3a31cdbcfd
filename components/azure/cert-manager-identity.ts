import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as authorization from "@pulumi/azure-native/authorization";
import { azure, certManager, serviceAccountSubject } from "../facts";
import { childOptions } from "../component";
import { nameBasedGuid, roleAssignment, subscriptionRoleId } from "./roles";

export interface CertManagerIdentityArgs {
    /** Resource group of the identity (and of the DNS zone). Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Resource id of that group: the custom role is defined and assignable there. Required. */
    resourceGroupId: pulumi.Input<string>;
    /** Azure region. Required. */
    location: pulumi.Input<string>;
    /** Azure name of the identity. Required. */
    identityName: string;
    /** The cluster's OIDC issuer URL. Required. */
    oidcIssuerUrl: pulumi.Input<string>;
    /** The DNS zone's resource id: the only scope the identity gets a role on. Required. */
    zoneId: pulumi.Input<string>;
    /** Subscription id, for the role's id. Required. */
    subscriptionId: pulumi.Input<string>;
}

/** The federated subject of cert-manager's controller service account, from the facts module. */
export const certManagerSubject = serviceAccountSubject(certManager.namespace, certManager.controllerServiceAccount);

/**
 * The custom role cert-manager's DNS-01 needs, as plain data: TXT record sets only. Custom role
 * names are unique in the tenant, so the name carries the resource group's id.
 */
export function dnsTxtRoleSpec(resourceGroupId: string): { roleName: string; description: string; actions: readonly string[]; roleDefinitionId: string } {
    return {
        roleName: `aks-platform DNS-01 TXT writer (${resourceGroupId.split("/").pop() ?? resourceGroupId})`,
        description: "Create, read and delete TXT record sets in the platform's DNS zone (cert-manager DNS-01 challenges); nothing else.",
        actions: azure.dnsTxtRecordActions,
        roleDefinitionId: nameBasedGuid("dns-txt-role", resourceGroupId),
    };
}

/**
 * cert-manager's Azure identity for DNS-01: a user-assigned identity federated with the cluster's
 * OIDC issuer for exactly the controller's service account, allowed to write TXT records in one zone.
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
        }, childOptions(this, opts));

        const federation = new managedidentity.FederatedIdentityCredential(`${name}-federation`, {
            resourceGroupName: args.resourceGroupName,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: "cert-manager",
            issuer: args.oidcIssuerUrl,
            subject: certManagerSubject,
            audiences: [azure.workloadIdentityAudience],
        }, childOptions(this, opts));

        // Custom roles are assignable at resource-group scope at the finest (learn.microsoft.com/azure/
        // role-based-access-control/role-definitions#assignablescopes); the assignment below is on the zone.
        const spec = pulumi.output(args.resourceGroupId).apply(dnsTxtRoleSpec);
        const role = new authorization.RoleDefinition(`${name}-dns-txt-role`, {
            scope: args.resourceGroupId,
            roleDefinitionId: spec.roleDefinitionId,
            roleName: spec.roleName,
            description: spec.description,
            roleType: "CustomRole",
            permissions: [{ actions: spec.actions.apply((a) => [...a]) }],
            assignableScopes: [args.resourceGroupId],
        }, childOptions(this, opts));

        const roleAssignmentOnZone = roleAssignment(`${name}-dns-txt-writer`, {
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            // From the role's own output, so the assignment's roleDefinitionId depends on the role (the
            // policy pack's dns-role-scope rule reads the role's actions through that dependency).
            roleDefinitionId: pulumi.all([args.subscriptionId, spec.roleDefinitionId, role.roleName]).apply(([sub, guid]) => subscriptionRoleId(sub, guid)),
            scope: args.zoneId, // the zone only: never the resource group or subscription
        }, childOptions(this, opts, [role]));

        this.ready = [federation, roleAssignmentOnZone];
        this.clientId = identity.clientId;
        this.principalId = identity.principalId;
        this.registerOutputs({ clientId: this.clientId, principalId: this.principalId });
    }
}
