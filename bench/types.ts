/** What every benchmark returns to bench/run.ts. */
export interface BenchResult {
    name: string;
    figures: Record<string, number | string>;
    ok: boolean;
    notes?: string[];
}
