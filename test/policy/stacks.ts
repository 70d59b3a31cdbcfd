/** The real stacks' captured resources (shared program runs) and the policy configs each stack uses. */
import type { PolicyConfigFile } from "../../policy-pack/engine";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { stackRun } from "../support/runs";

/** Prod's policy config, as the README recommends: the advisory rules become mandatory. */
export const PROD_POLICY_CONFIG: PolicyConfigFile = {
    "letsencrypt-environment": { enforcementLevel: "mandatory" },
    "wildcard-dns01": { enforcementLevel: "mandatory" },
    "cert-manager-ha": { enforcementLevel: "mandatory" },
    "dns-role-scope": { enforcementLevel: "mandatory" },
};

export function policyConfigFor(stack: string): PolicyConfigFile {
    return stack === "prod" ? PROD_POLICY_CONFIG : {};
}

/** A deep copy of a stack's resources (mutations never touch the shared run). */
export async function stackResources(stack: string): Promise<PlanResource[]> {
    const run = await stackRun(stack);
    return JSON.parse(JSON.stringify(run.resources)) as PlanResource[];
}
