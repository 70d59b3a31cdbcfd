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
 * src/util/syntax-helpers.ts: `mutantCoverage = { static, perTest: { [testId]: { [mutantId]: hits } } }`;
 * its `cover()` records every hit, in mutant runs too).
 *
 * StrykerJS runs many mutants in one process, switching each on in place (`activeMutant`). So each
 * value is first computed with the mutant switched off, recording which mutants' code ran; a mutant
 * whose code did not run cannot change the value (the argument StrykerJS's own test selection rests
 * on) and reuses it, while a mutant whose code ran gets a value computed with it on. A static mutant
 * (code run at load) always gets a fresh process from StrykerJS (the mocha runner cannot reload), so
 * no value outlives it.
 *
 * Ask for shared values inside `it` or `beforeEach`, not `before`: a `before` hook runs while the
 * previous test's id is still current, so the credit would go to the wrong test.
 */

type Hits = Record<string, number>;

/** The part of StrykerJS's global namespace (`__stryker__`) this reads and switches. */
export interface StrykerNamespace {
    activeMutant?: unknown;
    currentTestId?: string;
    mutantCoverage?: { static: Hits; perTest: Record<string, Hits | undefined> };
}

interface Entry {
    value: Promise<unknown>;
    /** Mutants whose code ran while the value was computed. */
    hits: Set<string>;
}

/** A `shared` over the given namespace (StrykerJS's global one, or a test's own). */
export function sharedValues(namespace: () => StrykerNamespace | undefined): <T>(key: string, compute: () => Promise<T>) => Promise<T> {
    /** How many unmutated computations are running; while any is, the active mutant is switched off. */
    let suspensions = 0;
    let suspendedMutant: unknown;
    /** Values computed with no mutant on, per key, for the life of the process. */
    const unmutated = new Map<string, Entry>();
    /** Values computed with the active mutant on, per key; dropped when another mutant is switched on. */
    let mutated = new Map<string, Entry>();
    let mutatedFor = "";

    /** The mutant in effect now: "" outside a mutant run and inside an unmutated computation. */
    function activeMutant(): string {
        const active = namespace()?.activeMutant;
        return active === undefined ? "" : String(active);
    }

    /** The hit counts the instrumenter writes to right now (the current test's, or the static ones). */
    function coverageTarget(): Hits | undefined {
        const ns = namespace();
        const coverage = ns?.mutantCoverage;
        if (!ns || !coverage) return undefined;
        if (ns.currentTestId === undefined) return coverage.static;
        return (coverage.perTest[ns.currentTestId] ??= {});
    }

    async function recordingHits<T>(compute: () => Promise<T>, hits: Set<string>): Promise<T> {
        const target = coverageTarget();
        const before = target ? { ...target } : {};
        try {
            return await compute();
        } finally {
            if (target) for (const [id, n] of Object.entries(target)) if (n > (before[id] ?? 0)) hits.add(id);
        }
    }

    /** Runs `compute` with the active mutant switched off (nested and overlapping calls share one switch). */
    async function withoutMutant<T>(compute: () => Promise<T>): Promise<T> {
        const ns = namespace();
        if (!ns) return compute();
        if (suspensions++ === 0) {
            suspendedMutant = ns.activeMutant;
            ns.activeMutant = undefined;
        }
        try {
            return await compute();
        } finally {
            if (--suspensions === 0) ns.activeMutant = suspendedMutant;
        }
    }

    function entryFor(map: Map<string, Entry>, key: string, compute: () => Promise<unknown>): Entry {
        let entry = map.get(key);
        if (!entry) {
            const hits = new Set<string>();
            entry = { value: recordingHits(compute, hits), hits };
            map.set(key, entry);
        }
        return entry;
    }

    return function shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
        const mutant = activeMutant();
        // In StrykerJS's initial run only: the test asking is credited with computing the value.
        const caller = mutant === "" && suspensions === 0 ? coverageTarget() : undefined;
        const base = entryFor(unmutated, key, () => withoutMutant(compute));
        return base.value.then(() => {
            let entry = base;
            if (mutant !== "" && base.hits.has(mutant)) {
                if (mutatedFor !== mutant) {
                    mutated = new Map();
                    mutatedFor = mutant;
                }
                entry = entryFor(mutated, key, compute);
            }
            return entry.value.then((v) => {
                if (caller) for (const id of entry.hits) caller[id] = (caller[id] ?? 0) + 1;
                return v as T;
            });
        });
    };
}

/** The value under `key`: computed once with no mutant on, and again only for a mutant whose code it ran. */
export const shared = sharedValues(() => (globalThis as { __stryker__?: StrykerNamespace }).__stryker__);
