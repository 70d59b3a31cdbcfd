/** What a CLI's `main` printed, with its exit code: console.log and console.error captured while it runs. */
export interface Captured {
    code: number;
    out: string;
    err: string;
}

/** Runs `main` (sync or async) with console.log and console.error captured, one line per call. */
export async function captureConsole(main: () => number | Promise<number>): Promise<Captured> {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
    console.error = (...a: unknown[]) => { err.push(a.join(" ")); };
    try {
        const code = await main();
        return { code, out: out.join("\n"), err: err.join("\n") };
    } finally {
        console.log = log;
        console.error = error;
    }
}
