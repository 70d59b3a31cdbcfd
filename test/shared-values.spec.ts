/**
 * The shared test values behind `npm run mutation` (test/support/shared.ts), over a namespace of the
 * test's own shaped like StrykerJS's (@stryker-mutator/instrumenter, src/util/syntax-helpers.ts:
 * `cover()` adds to `mutantCoverage.perTest[currentTestId]`, `isActive(id)` compares `activeMutant`).
 */
import * as assert from "assert";
import { sharedValues, StrykerNamespace } from "./support/shared";

/** Stand-in for instrumented code: mutant "m1" flips the answer, and the run records its hit as cover() does. */
function instrumentedCompute(ns: StrykerNamespace, calls: string[]): () => Promise<string> {
    return async () => {
        await Promise.resolve();
        calls.push(String(ns.activeMutant ?? ""));
        const cov = (ns.mutantCoverage ??= { static: {}, perTest: {} });
        const target = ns.currentTestId === undefined ? cov.static : (cov.perTest[ns.currentTestId] ??= {});
        if (ns.activeMutant === "m1") return "mutated";
        target.m1 = (target.m1 ?? 0) + 1;
        return "original";
    };
}

describe("shared test values under StrykerJS", () => {
    it("credits every test that asks with the hits of computing the value, not only the first", async () => {
        // The coverage object exists once instrumented code has loaded (its load-time hits are "static").
        const ns: StrykerNamespace = { mutantCoverage: { static: {}, perTest: {} } };
        const shared = sharedValues(() => ns);
        const calls: string[] = [];
        ns.currentTestId = "first";
        assert.strictEqual(await shared("k", instrumentedCompute(ns, calls)), "original");
        ns.currentTestId = "second";
        assert.strictEqual(await shared("k", instrumentedCompute(ns, calls)), "original");
        assert.deepStrictEqual(calls, [""], "computed once");
        assert.ok((ns.mutantCoverage?.perTest.second?.m1 ?? 0) > 0, "the second test is seen to cover m1");
    });

    it("recomputes with the mutant on when the value ran its code, and reuses the value for a mutant it never ran", async () => {
        const ns: StrykerNamespace = { mutantCoverage: { static: {}, perTest: {} } };
        const shared = sharedValues(() => ns);
        const calls: string[] = [];
        ns.activeMutant = "m2";
        assert.strictEqual(await shared("k", instrumentedCompute(ns, calls)), "original");
        assert.deepStrictEqual(calls, [""], "computed with m2 switched off");
        assert.strictEqual(ns.activeMutant, "m2", "m2 switched back on");
        ns.activeMutant = "m1";
        assert.strictEqual(await shared("k", instrumentedCompute(ns, calls)), "mutated", "m1's code ran: its own value");
        assert.strictEqual(await shared("k", instrumentedCompute(ns, calls)), "mutated");
        assert.deepStrictEqual(calls, ["", "m1"], "once per mutant");
        ns.activeMutant = "m3";
        assert.strictEqual(await shared("k", instrumentedCompute(ns, calls)), "original");
        assert.deepStrictEqual(calls, ["", "m1"]);
    });

    it("keeps the mutant off through overlapping computations and restores it after the last", async () => {
        const ns: StrykerNamespace = { activeMutant: "m9", mutantCoverage: { static: {}, perTest: {} } };
        const shared = sharedValues(() => ns);
        const seen: unknown[] = [];
        const slow = (ms: number) => async () => { await new Promise((r) => setTimeout(r, ms)); seen.push(ns.activeMutant); return ms; };
        assert.deepStrictEqual(await Promise.all([shared("a", slow(5)), shared("b", slow(1))]), [5, 1]);
        assert.deepStrictEqual(seen, [undefined, undefined]);
        assert.strictEqual(ns.activeMutant, "m9");
    });

    it("works as a plain cache outside StrykerJS", async () => {
        const shared = sharedValues(() => undefined);
        let n = 0;
        const compute = () => Promise.resolve(++n);
        assert.strictEqual(await shared("k", compute), 1);
        assert.strictEqual(await shared("k", compute), 1);
    });
});
