/**
 * Mocha root hooks for the mutation run only (stryker.config.json, mochaOptions.require).
 *
 * The policy pack shares one network analysis between the rules that judge the same stack content
 * (policy-pack/rules/lib/reach.ts). StrykerJS runs every mutant in the same process, switching it on
 * in place, so an analysis computed before a mutant was switched on would answer for it (the mutant
 * never runs), or one computed under a mutant would answer for the next. Each test starts with none:
 * the tests that need an analysis compute it under the active mutant, and in the initial run each
 * of them is seen to cover the analyzer code it ran.
 */
import { forgetAnalyses } from "../../policy-pack/rules/lib/reach";

export const mochaHooks = {
    beforeEach(): void {
        forgetAnalyses();
    },
};
