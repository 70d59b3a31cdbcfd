/** Program runs under mocks, shared per stack so every spec file uses one run of each stack. */
import { ProgramRun, runProgram } from "../../plan/program";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { shared } from "./shared";

/** The stack's program run, computed once (per StrykerJS mutant: see ./shared.ts) and shared by every test. */
export function stackRun(stack: string): Promise<ProgramRun> {
    return shared(`stackRun ${stack}`, () => runProgram(stack));
}

export const STACKS = ["dev", "staging", "prod"] as const;

/** Resources of one type (a Pulumi type token). */
export function ofType(resources: readonly PlanResource[], type: string): PlanResource[] {
    return resources.filter((r) => r.type === type);
}

/** The single resource with this type and name; fails the test when missing. */
export function one(resources: readonly PlanResource[], type: string, name?: string): PlanResource {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

/** Reads a nested property by path ("spec.acme.server"); undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
    let cur: unknown = value;
    for (const key of path.split(".")) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
}
