/**
 * Values that many tests share (a program run, a policy evaluation), computed once and still seen
 * as covering the code they ran by StrykerJS (`npm run mutation`).
 *
 * StrykerJS (perTest coverage) runs a mutant only against the tests that executed its code in the
 * initial run: it records each hit under `__stryker__.currentTestId`, which its mocha runner sets in
 * a root `beforeEach` (@stryker-mutator/mocha-runner, src/mocha-test-runner.ts, dryRun) and never
 * clears. A value computed by the first test and read from a cache by the next ones would be
 * "covered" by the first test only, so a mutant the later tests catch would be reported as
 * surviving. Here every test that asks for a shared value is credited with the hits of computing it
 * (the coverage object's shape is the instrumenter's header, @stryker-mutator/instrumenter,
 * src/util/syntax-helpers.ts: `mutantCoverage = { static, perTest: { [testId]: { [mutantId]: hits } } }`).
 *
 * Values are also kept per active mutant: StrykerJS runs every mutant in the same process, so a
 * value computed under one mutant (or none) must never answer for another.
 *
 * Ask for shared values inside `it` or `beforeEach`, not `before`: a `before` hook runs while the
 * previous test's id is still current, so the credit would go to the wrong test.
 */

type Hits = Record<string, number>;

interface StrykerNamespace {
    activeMutant?: unknown;
    currentTestId?: string;
    mutantCoverage?: { static: Hits; perTest: Record<string, Hits | undefined> };
}

function strykerNamespace(): StrykerNamespace | undefined {
    return (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
}

/** The mutant StrykerJS has switched on, or "" outside a mutant run. */
export function activeMutant(): string {
    const active = strykerNamespace()?.activeMutant;
    return active === undefined ? "" : String(active);
}

/** The hit counts Stryker is writing to right now (the current test's, or static ones), in its initial run only. */
function currentHits(): Hits | undefined {
    const ns = strykerNamespace();
    const coverage = ns?.mutantCoverage;
    if (!ns || !coverage || ns.activeMutant !== undefined) return undefined;
    if (ns.currentTestId === undefined) return coverage.static;
    return (coverage.perTest[ns.currentTestId] ??= {});
}

interface Entry {
    value: Promise<unknown>;
    /** Mutants whose code ran while the value was computed. */
    hits: Set<string>;
}

const entries = new Map<string, Entry>();

async function computeRecording<T>(compute: () => Promise<T>, hits: Set<string>): Promise<T> {
    const target = currentHits();
    const before = target ? { ...target } : {};
    try {
        return await compute();
    } finally {
        if (target) for (const [id, n] of Object.entries(target)) if (n > (before[id] ?? 0)) hits.add(id);
    }
}

/** The value under `key`, computed once per active mutant; the calling test is credited with computing it. */
export function shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const entryKey = `${key}\0${activeMutant()}`;
    let entry = entries.get(entryKey);
    if (!entry) {
        const hits = new Set<string>();
        entry = { value: computeRecording(compute, hits), hits };
        entries.set(entryKey, entry);
    }
    const caller = currentHits();
    const { value, hits } = entry;
    return value.then((v) => {
        if (caller) for (const id of hits) caller[id] = (caller[id] ?? 0) + 1;
        return v as T;
    });
}
