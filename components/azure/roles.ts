/**
 * Role definitions and assignments the platform's way: every assignment's name is a GUID derived
 * from (scope, role, principal), so creating it again after lost state is an idempotent PUT of the
 * same assignment instead of a new random name that Azure refuses with RoleAssignmentExists
 * (Azure allows one assignment per scope, role and principal: learn.microsoft.com/azure/
 * role-based-access-control/troubleshooting, "RoleAssignmentExists"). It is the same idea as
 * Bicep's `guid(scope, role, principal)` for role assignment names.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { createHash } from "crypto";

/** RFC 4122 name-based UUID (version 5, SHA-1) in a namespace of the platform's own. */
export function nameBasedGuid(...parts: string[]): string {
    // A fixed namespace UUID for this project (random, chosen once); the name is the joined parts.
    const namespace = Buffer.from("6f1c2a9e5b7d4e3a8c0f9d2b1a4e7c65", "hex");
    const hash = createHash("sha1").update(namespace).update(parts.map((p) => p.toLowerCase()).join("\n")).digest();
    hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
    hash[8] = (hash[8] & 0x3f) | 0x80; // RFC 4122 variant
    const h = hash.subarray(0, 16).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * `/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<role>`: the id a role
 * assignment names a role by, built-in or custom (role definitions live at subscription level
 * whatever scope created them: learn.microsoft.com/rest/api/authorization/role-definitions).
 */
export function subscriptionRoleId(subscriptionId: pulumi.Input<string>, roleGuid: string): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

export interface RoleGrant {
    /** Who gets the role. */
    principalId: pulumi.Input<string>;
    principalType: "ServicePrincipal" | "Group" | "User";
    /** Full role definition id. */
    roleDefinitionId: pulumi.Input<string>;
    /** Resource id the role applies to. */
    scope: pulumi.Input<string>;
}

/** A role assignment with its deterministic name. */
export function roleAssignment(name: string, grant: RoleGrant, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
    return new authorization.RoleAssignment(name, {
        ...grant,
        roleAssignmentName: pulumi.all([grant.scope, grant.roleDefinitionId, grant.principalId]).apply(([scope, role, principal]) => nameBasedGuid(scope, role, principal)),
    }, opts);
}
