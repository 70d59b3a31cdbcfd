/** The real stacks' captured resources (shared program runs) and the policy configs each stack uses. */
import * as fs from "fs";
import * as path from "path";
import { EngineResult, PolicyConfigFile, runPolicies } from "../../policy-pack/engine";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { stackRun } from "../support/runs";
import { shared } from "../support/shared";

/** Prod's policy config, the file CI passes to prod's previews and updates: the advisory rules become mandatory. */
export const PROD_POLICY_CONFIG = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy-pack", "config", "prod.json"), "utf8")) as PolicyConfigFile;

export function policyConfigFor(stack: string): PolicyConfigFile {
    return stack === "prod" ? PROD_POLICY_CONFIG : {};
}

/** A deep copy of a stack's resources (mutations never touch the shared run). */
export async function stackResources(stack: string): Promise<PlanResource[]> {
    const run = await stackRun(stack);
    return JSON.parse(JSON.stringify(run.resources)) as PlanResource[];
}

/** The pack run over a stack's resources with the stack's policy config, shared by every test that asks. */
export function stackPolicyResult(stack: string): Promise<{ resources: PlanResource[]; result: EngineResult }> {
    return shared(`stackPolicyResult ${stack}`, async () => {
        const resources = await stackResources(stack);
        return { resources, result: await runPolicies(resources, { policyConfig: policyConfigFor(stack) }) };
    });
}
