/** Program runs under mocks, cached per stack so every spec file shares one run of each stack. */
import { ProgramRun, runProgram } from "../../plan/program";
import type { PlanResource } from "../../policy-pack/plan-resource";

const cache = new Map<string, Promise<ProgramRun>>();

/**
 * The mutant StrykerJS has switched on in this run (`npm run mutation`), if any. Runs are cached per
 * mutant: a run cached before a mutant was switched on would never execute the mutated code.
 */
function activeMutant(): string {
    const stryker = (globalThis as { __stryker__?: { activeMutant?: unknown } }).__stryker__;
    return stryker?.activeMutant === undefined ? "" : String(stryker.activeMutant);
}

export function stackRun(stack: string): Promise<ProgramRun> {
    const key = `${stack}\0${activeMutant()}`;
    let run = cache.get(key);
    if (!run) {
        run = runProgram(stack);
        cache.set(key, run);
    }
    return run;
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
